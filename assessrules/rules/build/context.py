"""What the section builders share while one spec is built.

The context holds the document (for locating problems), every problem found so
far, the names expressions may read, the parameters and assumptions declared,
and the triggers numbered so far. It is the :class:`~assessrules.rules.kinds.BuildContext`
that trigger kinds receive.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ...errors import Path, Problem
from ...numbers import Exact, exact_points, format_points
from ..document import Document
from ..expressions import Expression, ExpressionError, Name, check_expression
from ..facts import FACT_TYPES, Fact
from ..kinds import Trigger, build_trigger
from ..limits import MAX_MAGNITUDE, MAX_PLACES, echo, number_trouble
from ..model import Assumption, Parameter

_POINTS_WITH_UNIT = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*(?:分|分值|points?|pts?)", re.IGNORECASE)
"""Points written with their unit, as a document writes them (`2分`): the spec holds the number only."""

RUN_NAMES = frozenset({"as_of"})
"""Names every expression may read that come from the run, not from the facts."""


class BuildContext:
    """The state the section builders share, and the checks they all use."""

    def __init__(self, document: Document) -> None:
        self.doc = document
        self.problems: list[Problem] = []
        self.names: dict[str, Name] = {}
        self.parameters: dict[str, Parameter] = {}
        self.assumptions: dict[str, Assumption] = {}
        self.triggers: list[Trigger] = []
        self.period_kinds: set[str] = set()
        self.context: tuple[str, str] | None = None  # (label code, name): the part of the spec being built

    @contextlib.contextmanager
    def within(self, label: str, name: str = "") -> Iterator[None]:
        """Say that the problems found inside the block are in a part of the spec: ``label`` is its catalogue
        line (``label.indicator``), ``name`` its name, e.g. ``within("label.indicator", "机构职责")``."""
        saved = self.context
        self.context = (label, name)
        try:
            yield
        finally:
            self.context = saved

    def say(self, code: str, path: Path, **values: Any) -> None:
        """Record a problem of catalogue ``code`` located at ``path``, in the part of the spec being built."""
        self.problems.append(self.doc.say(code, path, within=self.context, **values))

    def scope(self, each: str | None = None, record: Fact | None = None) -> dict[str, Name]:
        """The names an expression may use: annual ones, plus one period's or one record's."""
        if each is None and record is None:
            return self.names
        names = dict(self.names)
        if each is not None:
            for name, info in self.names.items():
                if info.period == each:
                    names[name] = attrs.evolve(info, usable=True)
        if record is not None:
            for name, field in (record.fields or {}).items():
                names[name] = Name(FACT_TYPES[field.type].expr_type, "field", field.label, field.values)
        return names

    def expression(self, raw: Any, path: Path, expect: str, each: str | None = None, record: Fact | None = None,
                   *, names: Mapping[str, Name] | None = None) -> Expression | None:
        """Check an expression (``each``: in the scope of one period); record problems, None if bad."""
        if raw is None:
            self.say("expression.missing", path)
            return None
        if isinstance(raw, bool | int | Decimal):
            raw = str(raw)
        if each is not None and each not in self.period_kinds:
            self.say("spec.each_without_periods", path[:-1] + ("each",), each=each)
            return None
        scope = self.scope(each, record) if names is None else names
        try:
            return check_expression(raw, scope, expect)  # type: ignore[arg-type]
        except ExpressionError as exc:
            for p in exc.problems:
                self.say(p.code, path, **p.values)
            return None

    def points(self, raw: Any, path: Path, positive: bool = True) -> Exact | None:
        """Read a number of points (a number, or an expression over parameters), exactly: ``20 / 12`` stays 5/3."""
        if raw is None:
            self.say("spec.missing_points", path)
            return None
        value: Exact
        if isinstance(raw, str) and (unit := _POINTS_WITH_UNIT.fullmatch(raw.strip())) is not None:
            self.say("spec.points_with_unit", path, written=echo(raw), number=unit.group(1))
            return None
        if isinstance(raw, str):
            params = {n: info for n, info in self.names.items() if info.kind == "parameter"}
            expr = self.expression(raw, path, "number", names=params)
            if expr is None:
                return None
            try:
                value = exact_points(expr.exact_value({n: self.parameters[n].value for n in expr.names}))
            except ZeroDivisionError:
                self.say("spec.points_zero_division", path, expression=echo(raw))
                return None
            except (ArithmeticError, ValueError, TypeError):
                self.say("spec.points_not_computable", path, expression=echo(raw))
                return None
            if (trouble := _number_trouble(value)) is not None:
                self.say(trouble, path, expression=echo(raw), value=echo(str(value), 40),
                         limit=f"{MAX_MAGNITUDE:,.0f}", places=MAX_PLACES)
                return None
        else:
            value = Decimal(raw)
        if positive and value < 0:
            self.say("spec.negative_points", path, points=format_points(value))
            return None
        return value

    def newest(self, path: Path, others: Sequence[Path]) -> Path:
        """Of ``path`` and ``others``, the one written in the most derived file (for a spec that extends another)."""
        order = {f: i for i, f in enumerate(self.doc.sources)}
        if not order:
            return path
        newest = max([path, *others], key=lambda p: order.get(self.doc.file_of(p), -1))
        return path if self.doc.file_of(newest) == self.doc.file_of(path) else newest

    def assumption_ref(self, ref: Any, path: Path) -> None:
        """Check that ``ref`` names a declared assumption."""
        if ref is not None and ref not in self.assumptions:
            close = difflib.get_close_matches(str(ref), list(self.assumptions), n=1)
            if close:
                self.say("spec.assumption_typo", path, assumption=str(ref), suggestion=close[0])
            else:
                self.say("spec.unknown_assumption", path, assumption=str(ref))

    def add_trigger(self, entry: Mapping[str, Any], key: str, where: Path) -> Trigger | None:
        """Build the trigger written at ``where``, number it, and keep it; None if it is bad."""
        self.assumption_ref(entry.get("assumption"), where + ("assumption",))
        trigger = build_trigger(entry, key, where, self)
        if trigger is None:
            return None
        trigger = attrs.evolve(trigger, index=len(self.triggers))
        self.triggers.append(trigger)
        return trigger

    def mark_part_veto(self, trigger: Trigger) -> Trigger:
        """The veto ``trigger`` as written on an indicator (分项一票否决), kept in place of the one added."""
        part: Trigger = attrs.evolve(trigger, part=True)  # type: ignore[call-arg]  # a Veto, by its key
        self.triggers[trigger.index] = part
        return part

    def add_triggers(self, entries: Sequence[Mapping[str, Any]], key: str, path: Path) -> list[Trigger]:
        """:meth:`add_trigger` for each entry of a list written at ``path``."""
        built = (self.add_trigger(entry, key, path + (i,)) for i, entry in enumerate(entries))
        return [t for t in built if t is not None]


_POINTS_TROUBLE = {"document.number_too_precise": "spec.points_too_precise"}


def _number_trouble(value: Exact) -> str | None:
    """The code of what is wrong with points worked out from an expression (too large, too precise); None if fine:
    what :func:`assessrules.rules.limits.number_trouble` finds, said of points."""
    trouble = number_trouble(value if isinstance(value, Decimal) else Decimal(round(value)))
    return None if trouble is None else _POINTS_TROUBLE.get(trouble[0], "spec.points_too_large")


__all__ = ["RUN_NAMES", "BuildContext"]

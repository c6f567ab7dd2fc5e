"""A loaded spec: the rules of one year, ready to score units."""

from __future__ import annotations

import decimal
import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from .compiler import UNIT_KEYS, Program, Record, compile_checker, compile_spec
from .errors import EvaluationError, FactsError, Path, Problem
from .expressions import DECIMAL_CONTEXT
from .facts import Fact, FactValueError, _number
from .kinds import Trigger
from .model import Assumption, Grade, Indicator, Metadata, Parameter, UnitType
from .results import Result, Unit

_MISSING = object()


@attrs.frozen(eq=False)
class Spec:
    """One year's rules (考核办法): load with :func:`assessrules.load_spec`, then evaluate units.

    >>> import assessrules
    >>> spec = assessrules.load_spec("2021")
    >>> result = spec.evaluate({"id": "a", "name": "甲镇", "type": "town", "target": 3, "facts": {
    ...     "has_work_mechanism": True, "has_work_body": True, "fulltime_staff": 1, "parttime_staff": 1,
    ...     "has_review_mechanism": True, "has_catalogue": True, "has_annual_report": True,
    ...     "has_new_media_account": True, "has_interaction": True}})
    >>> result.score, result.grade, result.commended, result.deduction
    (Decimal('100'), '优秀', True, Decimal('0'))
    """

    metadata: Metadata
    unit_types: Mapping[str, UnitType]
    parameters: Mapping[str, Parameter]
    facts: Mapping[str, Fact]
    root: Indicator
    grades: tuple[Grade, ...]
    direct_deductions: tuple[Trigger, ...]
    assumptions: Mapping[str, Assumption]
    triggers: tuple[Trigger, ...]
    source: str
    sha256: str
    direct_clause: str | None = None
    nodes: tuple[Indicator, ...] = attrs.field(init=False, repr=False)
    trigger_owner: Mapping[int, int] = attrs.field(init=False, repr=False)
    _program: Program = attrs.field(init=False, repr=False)
    _untraced: Program = attrs.field(init=False, repr=False)
    _fast_check: Callable[[Any], Record | None] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        nodes = tuple(sorted(self.root.walk(), key=lambda n: n.index))
        owner = {t.index: n.index for n in nodes for t in n.triggers}
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "trigger_owner", owner)
        object.__setattr__(self, "_program", compile_spec(self))
        object.__setattr__(self, "_untraced", compile_spec(self, trace=False))
        object.__setattr__(self, "_fast_check", compile_checker(self))

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the indicator with this id."""
        for node in self.nodes:
            if node.id == indicator_id:
                return node
        raise KeyError(indicator_id)

    def descendants_of(self, indices: Iterable[int]) -> frozenset[int]:
        """The given node indices and every index below them."""
        out: set[int] = set()
        for i in indices:
            out.update(n.index for n in self.nodes[i].walk())
        return frozenset(out)

    # --- facts -----------------------------------------------------------------------

    def check_unit(self, unit: Mapping[str, Any], path: Path = ()) -> Unit:
        """Check one unit's facts against the declarations; raise :class:`FactsError` listing every problem."""
        return Unit(*self._check_record(unit, path))

    def _check_record(self, unit: Mapping[str, Any], path: Path = ()) -> Record:
        checked = self._fast_check(unit)
        if checked is not None:
            return checked
        problems: list[Problem] = []
        checked = self._check_unit(unit, path, problems)
        if problems or checked is None:
            raise FactsError(problems)
        return checked

    def _check_unit(self, unit: Any, path: Path, problems: list[Problem]) -> Record | None:
        if not isinstance(unit, Mapping):
            problems.append(Problem("a unit must be a mapping with id, name, type, target and facts", path))
            return None
        uid = unit.get("id")
        label = str(uid) if uid is not None else "?"

        def bad(message: str, where: Path, hint: str | None = None) -> None:
            problems.append(Problem(message, path + where, hint=hint, unit=label))

        before = len(problems)
        for key in unit:
            if key not in UNIT_KEYS:
                bad(f"unknown key `{key}`", (key,), f"a unit has {', '.join(UNIT_KEYS)}")
        if not isinstance(uid, str | int) or isinstance(uid, bool) or str(uid).strip() == "":
            bad("every unit needs an `id` (text)", ("id",))
        name = unit.get("name", uid)
        if not isinstance(name, str | int) or isinstance(name, bool):
            bad("`name` must be text", ("name",))
        utype = unit.get("type")
        if utype not in self.unit_types:
            known = "、".join(f"{k} ({v.label})" for k, v in self.unit_types.items())
            bad(f"unknown unit type {utype!r}" if utype is not None else "missing `type`", ("type",),
                f"one of: {known}")
        target = unit.get("target", _MISSING)
        target_value = Decimal(0)
        if target is _MISSING:
            bad("missing `target` (目标分值, the points this work carries in the unit's annual assessment)",
                ("target",))
        else:
            try:
                target_value = _number(target)
                if target_value < 0:
                    raise FactValueError(f"{target} is negative")
            except FactValueError as exc:
                bad(f"`target` (目标分值): {exc}", ("target",))
        raw = unit.get("facts", {})
        facts: dict[str, Any] = {}
        if not isinstance(raw, Mapping):
            bad("`facts` must be a mapping of fact names to values", ("facts",))
            raw = {}
        for key in raw:
            if key not in self.facts:
                import difflib

                close = difflib.get_close_matches(str(key), list(self.facts), n=1, cutoff=0.6)
                bad(f"unknown fact `{key}`", ("facts", key),
                    f"did you mean `{close[0]}`?" if close else "the spec declares no such fact")
        for name_, fact in self.facts.items():
            value = raw.get(name_, _MISSING)
            if value is _MISSING:
                if fact.required:
                    bad(f"missing fact `{name_}` ({fact.label})", ("facts",), "this fact is required")
                    continue
                facts[name_] = fact.default
                continue
            try:
                facts[name_] = fact.normalize(value)
            except FactValueError as exc:
                bad(f"fact `{name_}` ({fact.label}): {exc}", ("facts", name_))
        if len(problems) > before:
            return None
        return (str(uid), str(name), str(utype), target_value, facts)

    # --- scoring ---------------------------------------------------------------------

    def evaluate(self, unit: Mapping[str, Any]) -> Result:
        """Check and score one unit: ``{"id", "name", "type", "target", "facts"}``."""
        record = self._check_record(unit)
        with decimal.localcontext(DECIMAL_CONTEXT):
            return self._score(record)

    def evaluate_many(self, units: Sequence[Mapping[str, Any]], *, explain: bool = True) -> list[Result]:
        """Check every unit first (raising one :class:`FactsError` for all problems), then score each.

        With ``explain=False`` the scorer records no trace, which is faster; a result's
        explanation (``fired``, ``indicators``, ``explain()``) is then rebuilt when first asked for.
        """
        # A batch allocates many small acyclic objects (tuples, dicts, Decimals); the cyclic
        # collector would rescan all of them again and again for nothing, so it waits.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._evaluate_many(units, self._program if explain else self._untraced)
        finally:
            if collecting:
                gc.enable()

    def _evaluate_many(self, units: Sequence[Mapping[str, Any]], program: Program) -> list[Result]:
        problems: list[Problem] = []
        checked: list[Record] = []
        seen: dict[str, int] = {}
        fast = self._fast_check
        for i, unit in enumerate(units):
            record = fast(unit) or self._check_unit(unit, ("units", i), problems)
            if record is None:
                continue
            uid = record[0]
            if uid in seen:
                problems.append(Problem(f"unit id `{uid}` is used twice (also unit #{seen[uid] + 1})",
                                        ("units", i, "id"), unit=uid, hint="give each unit its own id"))
            seen[uid] = i
            checked.append(record)
        if problems:
            raise FactsError(problems)
        score = self._score
        with decimal.localcontext(DECIMAL_CONTEXT):
            return [score(r, program) for r in checked]

    def _score(self, record: Record, program: Program | None = None) -> Result:
        try:
            return Result(self, record, (program or self._program)(record[4], record[2], record[3]))
        except EvaluationError as exc:
            raise EvaluationError([attrs.evolve(p, unit=record[0]) for p in exc.problems]) from None
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise self._locate_failure(Unit(*record), exc) from None

    def _locate_failure(self, unit: Unit, exc: Exception) -> EvaluationError:
        """Find, with the reference evaluator, which rule failed on this unit."""
        values = {**{k: p.value for k, p in self.parameters.items()}, **unit.facts}
        for trigger in self.triggers:
            for expression in trigger.expressions():
                try:
                    expression.interpret(values)
                except Exception as inner:  # any failure here is the one to report
                    return EvaluationError([Problem(
                        f"「{trigger.label}」 cannot be evaluated: `{expression.text}` fails with "
                        f"{type(inner).__name__}", trigger.path, self.source, unit=unit.id,
                        hint="guard the expression, e.g. `a / b if b > 0 else 0`")])
        return EvaluationError([Problem(f"scoring failed: {type(exc).__name__}: {exc}", (), self.source,
                                        unit=unit.id)])

    def trace_of(self, record: Record) -> list[tuple[int, Any, Any]]:
        """Score ``record`` again, recording the trace (for results scored without one)."""
        with decimal.localcontext(DECIMAL_CONTEXT):
            trace: list[tuple[int, Any, Any]] = self._program(record[4], record[2], record[3])[7]
        return trace

    # --- views -----------------------------------------------------------------------

    def facts_schema(self) -> dict[str, Any]:
        """Return the JSON Schema of a facts file for this spec."""
        from .facts_file import facts_file_schema

        return facts_file_schema(self)


__all__ = ["Spec"]

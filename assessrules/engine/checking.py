"""Check one unit against a spec's declarations, listing every problem with its place.

This is the full check, which collects every problem; the compiled fast path
(:func:`assessrules.engine.compiler.compile_checker`) accepts units that are already
in order and leaves everything else to this module.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .. import periods as periods_
from ..errors import Path, Problem
from ..messages import problem
from ..rules.facts import UNIT_KEYS, Fact, FactValueError, _number
from ..rules.limits import bad_character, echo

if TYPE_CHECKING:
    from ..rules.ruleset import Rules
    from .types import Record

FastCheck = Callable[[Any], dict[str, Any] | None]
"""The compiled fast check of one mapping of facts: the checked mapping, or None (see the compiler)."""
_MISSING = object()


def shown_name(name: Any) -> bool:
    """Whether a unit's name can name it in a message (单位“牛头店镇”（niutoudian）): plain text, nothing a
    terminal or a spreadsheet would act on, no padding or line breaks."""
    return (isinstance(name, str) and name.strip() == name != "" and bad_character(name) is None
            and not name.startswith(FORMULA_STARTS) and not any(c in name for c in _BREAKS))


class _Collector:
    def __init__(self, problems: list[Problem], path: Path, unit: str, name: str | None = None) -> None:
        self.problems = problems
        self.path = path
        self.unit = unit
        self.name = name  # the unit's name, when it is one: problems say 单位“牛头店镇”（niutoudian）
        self.count = 0

    def __call__(self, code: str, where: Path, **values: Any) -> None:
        """Add the problem ``code`` at ``where`` in this unit, its sentence naming ``values``."""
        period = str(where[1]) if len(where) > 1 and where[0] == "periods" else None
        values.setdefault("period", period)
        if self.name is not None:
            values.setdefault("unit_name", self.name)
        self.problems.append(problem(code, self.path + where, unit=self.unit, **values))
        self.count += 1


def _facts(declared: Mapping[str, Fact], raw: Any, where: Path, bad: _Collector, as_of: dt.date | None, *,
           fast: Callable[[Any], dict[str, Any] | None] | None = None, dated: Sequence[Fact] = ()) -> dict[str, Any]:
    """Check a mapping of fact values against ``declared``; defaults fill what is left out.

    ``dated`` are the records facts among them whose records must not postdate ``as_of``.
    """
    out = fast(raw) if fast is not None else None
    if out is None:
        out = _facts_in_full(declared, raw, where, bad)
    if as_of is not None:
        for fact in dated:
            if fact.name in out:
                _check_dates(fact, out[fact.name], where + (fact.name,), bad, as_of)
    return out


def _check_dates(fact: Fact, records: Any, where: Path, bad: _Collector, as_of: dt.date) -> None:
    for i, record in enumerate(records):
        day = record[fact.dated_by]
        if day is not None and day > as_of:
            bad("facts.record_after_as_of", where + (i, fact.dated_by or ""), fact=fact.name, fact_label=fact.label,
                record=i + 1, day=day.isoformat(), as_of=as_of.isoformat())


def _facts_in_full(declared: Mapping[str, Fact], raw: Any, where: Path, bad: _Collector) -> dict[str, Any]:
    """The full check of a mapping of facts, reporting every problem."""
    out: dict[str, Any] = {}
    if not isinstance(raw, Mapping):
        bad("facts.not_mapping", where, key=str(where[-1]))
        return out
    for key in raw:
        if key not in declared:
            close = difflib.get_close_matches(str(key), list(declared), n=1, cutoff=0.6)
            if close:
                bad("facts.unknown_close", where + (key,), fact=str(key), suggestion=close[0])
            else:
                bad("facts.unknown", where + (key,), fact=str(key))
    for name, fact in declared.items():
        value = raw.get(name, _MISSING)
        if value is _MISSING:
            if fact.required:
                bad("facts.missing", where + (name,), fact=name, fact_label=fact.label)
            else:
                out[name] = fact.default
            continue
        try:
            out[name] = fact.normalize(value)
        except FactValueError as exc:
            number = exc.path[0] + 1 if exc.path and isinstance(exc.path[0], int) else None
            bad(exc.code, where + (name, *exc.path), **{**exc.values, "fact": name, "fact_label": fact.label,
                                                         "record": number})
    return out


def _periods(spec: Rules, fast_facts: Mapping[str | None, FastCheck], raw: Any, bad: _Collector,
             as_of: dt.date | None) -> dict[str, Any]:
    """Check the per-period facts; return ``{"@month": ((label, facts), …), …}``."""
    kinds = spec.period_kinds
    if not kinds:
        if raw is not None:
            bad("facts.periods_unused", ("periods",))
        return {}
    year = spec.year
    if not isinstance(raw, Mapping):
        bad("facts.periods", ("periods",))
        return {}
    if as_of is None or year is None:
        bad("facts.periods_no_date", ("periods",))
        return {}
    quick = _periods_quickly(spec, fast_facts, raw, year, as_of)
    if quick is not None:
        return quick
    given: dict[str, dict[str, tuple[periods_.Period, Any]]] = {k: {} for k in kinds}
    for label, values in raw.items():
        try:
            period = periods_.parse(label)
        except ValueError:
            bad("facts.period", ("periods", label), period=echo(str(label)))
            continue
        if period.kind not in kinds:
            bad("facts.period_kind", ("periods", label), period=period.label)
        elif period.start.year != year:
            bad("facts.period_year", ("periods", label), period=period.label, year=year)
        elif period.start > as_of:
            bad("facts.period_after_as_of", ("periods", label), period=period.label, as_of=as_of.isoformat())
        elif period.label != label:
            bad("facts.period_form", ("periods", label), period=period.label, given=echo(str(label)))
        elif period.label in given[period.kind]:
            bad("facts.period_twice", ("periods", label), period=period.label)
        else:
            given[period.kind][period.label] = (period, values)
    out: dict[str, Any] = {}
    for kind in kinds:
        declared = spec.fact_groups[kind]
        fast = fast_facts.get(kind)
        entries = []
        scope = periods_.in_scope(kind, year, as_of)
        missing = [i for i, period in enumerate(scope) if period.label not in given[kind]]
        if missing:  # one line for the unit, however many are missing
            bad(f"facts.missing_{kind}{'s' if len(missing) > 1 else ''}", ("periods",),
                periods=_runs([p.label for p in scope], missing), year=year, as_of=as_of.isoformat(),
                count=len(missing), total=len(scope))
        for period in scope:
            if period.label in given[kind]:
                values = _facts(declared, given[kind][period.label][1], ("periods", period.label), bad, as_of,
                                fast=fast)
                entries.append((period.label, values))
        out[f"@{kind}"] = tuple(entries)
    return out


def _runs(labels: Sequence[str], indices: Sequence[int]) -> list[str]:
    """The labels at ``indices`` with three or more consecutive ones as a range: ``2021-02``, ``2021-05–2021-12``.

    The en dash reads the same in Chinese and in English (至 / to would be the words of one language).
    """
    parts: list[str] = []
    start = previous = indices[0]
    for i in [*indices[1:], -2]:
        if i != previous + 1:
            if previous == start + 1:
                parts.extend((labels[start], labels[previous]))
            else:
                parts.append(labels[start] if start == previous else f"{labels[start]}–{labels[previous]}")
            start = i
        previous = i
    return parts


def _periods_quickly(spec: Rules, fast_facts: Mapping[str | None, FastCheck], raw: Mapping[str, Any], year: int,
                     as_of: dt.date) -> dict[str, Any] | None:
    """The periods when they are exactly those in scope and each passes its fast check; else None."""
    scopes = {kind: periods_.in_scope(kind, year, as_of) for kind in spec.period_kinds}
    if raw.keys() != {p.label for scope in scopes.values() for p in scope}:
        return None
    out: dict[str, Any] = {}
    for kind, scope in scopes.items():
        fast = fast_facts.get(kind)
        if fast is None:
            return None
        entries = []
        for period in scope:
            values = fast(raw[period.label])
            if values is None:
                return None
            entries.append((period.label, values))
        out[f"@{kind}"] = tuple(entries)
    return out


TARGET_LIMIT = 1000
"""The largest target value (目标分值) a unit may carry: these are points of an annual assessment."""
FORMULA_STARTS = ("=", "+", "-", "@")
"""How a spreadsheet formula begins: a unit's name or id may not, or a workbook would run it."""


def _check_label(bad: _Collector, key: str, value: Any, code: str) -> None:
    """A unit's id or name: one line of text, no surrounding spaces, no control characters, no formula."""
    if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
        bad(code, (key,))
        return
    text = str(value)
    if (char := bad_character(text)) is not None or "\n" in text or "\r" in text or "\t" in text:
        bad("facts.unit_control", (key,), key=key, char=char or _BREAKS[next(c for c in text if c in _BREAKS)])
    elif text != text.strip():
        bad("facts.unit_space", (key,), key=key, value=echo(repr(text)))
    elif text.startswith(FORMULA_STARTS):
        bad("facts.unit_formula", (key,), key=key, first=repr(text[0]))


_BREAKS = {"\n": "U+000A", "\r": "U+000D", "\t": "U+0009"}


def check_unit(spec: Rules, unit: Any, path: Path, problems: list[Problem], as_of: dt.date | None, *,
               fast_facts: Mapping[str | None, FastCheck]) -> Record | None:
    """Check one unit; append every problem to ``problems`` and return the record, or None.

    ``fast_facts`` are the compiled fast checks of each group of facts (annual, per period).
    """
    if not isinstance(unit, Mapping):
        problems.append(problem("facts.unit_not_mapping", path))
        return None
    uid = unit.get("id")
    named = unit.get("name")
    bad = _Collector(problems, path, str(uid) if uid is not None else "?", named if shown_name(named) else None)
    for key in unit:
        if key not in UNIT_KEYS:
            bad("facts.unit_key", (key,), key=echo(str(key)), keys=list(UNIT_KEYS))
    _check_label(bad, "id", uid, "facts.unit_id")
    name = unit.get("name", uid)
    _check_label(bad, "name", name, "facts.unit_name")
    utype = unit.get("type")
    if utype not in spec.unit_types:
        known = [f"{v.label}（{k}）" if v.label and v.label != k else k for k, v in spec.unit_types.items()]
        if utype is None:
            bad("facts.unit_type_missing", ("type",), types=known)
        else:
            bad("facts.unit_type", ("type",), value=echo(repr(utype)), types=known)
    target = unit.get("target", _MISSING)
    target_value = Decimal(0)  # without a target value a grade has no consequence
    if target is not _MISSING:
        try:
            target_value = _number(target)
        except FactValueError as exc:
            bad("facts.target_range" if exc.code == "facts.too_large" else "facts.target", ("target",),
                value=exc.values.get("value", echo(str(target))), limit=TARGET_LIMIT)
        else:
            if not 0 <= target_value <= TARGET_LIMIT:
                bad("facts.target_range", ("target",), value=str(target_value), limit=TARGET_LIMIT)
                target_value = Decimal(0)
    parent = unit.get("parent")
    if parent is not None:
        _check_label(bad, "parent", parent, "facts.unit_parent")
    facts = _facts(spec.fact_groups[None], unit.get("facts", {}), ("facts",), bad, as_of,
                   fast=fast_facts.get(None), dated=spec.dated_records)
    facts.update(_periods(spec, fast_facts, unit.get("periods"), bad, as_of))
    facts["as_of"] = as_of
    if bad.count:
        return None
    return (str(uid), str(name), str(utype), target_value, facts, None, None if parent is None else str(parent))


__all__ = ["FastCheck", "check_unit"]

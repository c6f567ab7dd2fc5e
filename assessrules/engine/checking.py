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
from ..rules.facts import UNIT_KEYS, Fact, FactValueError, _number
from ..rules.limits import bad_character

if TYPE_CHECKING:
    from ..rules.ruleset import Rules
    from .types import Record

FastCheck = Callable[[Any], dict[str, Any] | None]
"""The compiled fast check of one mapping of facts: the checked mapping, or None (see the compiler)."""
_MISSING = object()


class _Collector:
    def __init__(self, problems: list[Problem], path: Path, unit: str) -> None:
        self.problems = problems
        self.path = path
        self.unit = unit
        self.count = 0

    def __call__(self, message: str, where: Path, hint: str | None = None, code: str = "facts.invalid", *,
                 fact: str | None = None, record: int | None = None) -> None:
        period = str(where[1]) if len(where) > 1 and where[0] == "periods" else None
        self.problems.append(Problem(message, self.path + where, hint=hint, unit=self.unit, code=code, fact=fact,
                                     period=period, record=record))
        self.count += 1


def _facts(declared: Mapping[str, Fact], raw: Any, where: Path, bad: _Collector, as_of: dt.date | None, *,
           fast: Callable[[Any], dict[str, Any] | None] | None = None, dated: Sequence[Fact] = (),
           what: str = "fact") -> dict[str, Any]:
    """Check a mapping of fact values against ``declared``; defaults fill what is left out.

    ``dated`` are the records facts among them whose records must not postdate ``as_of``.
    """
    out = fast(raw) if fast is not None else None
    if out is None:
        out = _facts_in_full(declared, raw, where, bad, what)
    if as_of is not None:
        for fact in dated:
            if fact.name in out:
                _check_dates(fact, out[fact.name], where + (fact.name,), bad, as_of)
    return out


def _check_dates(fact: Fact, records: Any, where: Path, bad: _Collector, as_of: dt.date) -> None:
    for i, record in enumerate(records):
        day = record[fact.dated_by]
        if day is not None and day > as_of:
            bad(f"fact `{fact.name}` ({fact.label}): record {i + 1} is dated {day.isoformat()}, after the "
                f"assessment date {as_of.isoformat()}", where + (i, fact.dated_by or ""),
                "leave it out, or assess at a later date (--as-of)", "facts.record_after_as_of", fact=fact.name,
                record=i + 1)


def _facts_in_full(declared: Mapping[str, Fact], raw: Any, where: Path, bad: _Collector, what: str) -> dict[str, Any]:
    """The full check of a mapping of facts, reporting every problem."""
    out: dict[str, Any] = {}
    if not isinstance(raw, Mapping):
        bad(f"`{where[-1]}` must be a mapping of fact names to values", where, code="facts.not_mapping")
        return out
    for key in raw:
        if key not in declared:
            close = difflib.get_close_matches(str(key), list(declared), n=1, cutoff=0.6)
            bad(f"unknown {what} `{key}`", where + (key,),
                f"did you mean `{close[0]}`?" if close else f"the spec declares no such {what}", "facts.unknown",
                fact=str(key))
    for name, fact in declared.items():
        value = raw.get(name, _MISSING)
        if value is _MISSING:
            if fact.required:
                bad(f"missing {what} `{name}` ({fact.label})", where + (name,), f"this {what} is required", "facts.missing",
                    fact=name)
            else:
                out[name] = fact.default
            continue
        try:
            out[name] = fact.normalize(value)
        except FactValueError as exc:
            number = exc.path[0] + 1 if exc.path and isinstance(exc.path[0], int) else None
            bad(f"fact `{name}` ({fact.label}): {exc}", where + (name, *exc.path), exc.hint, code=exc.code, fact=name,
                record=number)
    return out


def _periods(spec: Rules, fast_facts: Mapping[str | None, FastCheck], raw: Any, bad: _Collector,
             as_of: dt.date | None) -> dict[str, Any]:
    """Check the per-period facts; return ``{"@month": ((label, facts), …), …}``."""
    kinds = spec.period_kinds
    if not kinds:
        if raw is not None:
            bad("this spec records nothing per period; `periods:` does not apply", ("periods",), code="facts.periods")
        return {}
    year = spec.year
    if not isinstance(raw, Mapping):
        bad("`periods` must be a mapping from periods (2021-03, 2021Q1, 2021-03a, 2021H1) to facts", ("periods",),
            code="facts.periods")
        return {}
    if as_of is None or year is None:
        bad("periods need an assessment date and the spec's year", ("periods",))
        return {}
    quick = _periods_quickly(spec, fast_facts, raw, year, as_of)
    if quick is not None:
        return quick
    given: dict[str, dict[str, tuple[periods_.Period, Any]]] = {k: {} for k in kinds}
    for label, values in raw.items():
        try:
            period = periods_.parse(label)
        except ValueError as exc:
            bad(str(exc), ("periods", label), code="facts.period")
            continue
        if period.kind not in kinds:
            bad(f"this spec records nothing per {period.kind}", ("periods", label), code="facts.period")
        elif period.start.year != year:
            bad(f"{period.label} is outside the spec's year {year}", ("periods", label), code="facts.period")
        elif period.start > as_of:
            bad(f"{period.label} begins after the assessment date {as_of.isoformat()}", ("periods", label),
                "leave it out, or assess at a later date (--as-of)", "facts.period_after_as_of")
        elif period.label != label:
            bad(f"write the period as {period.label}", ("periods", label), "no spaces, and months with two digits",
                "facts.period")
        elif period.label in given[period.kind]:
            bad(f"{period.label} is given twice", ("periods", label), "keep one of the two", "facts.period")
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
            word = periods_.WORDS[kind][0]
            bad(f"missing {word}{'s' if len(missing) > 1 else ''} {_runs([p.label for p in scope], missing)}",
                ("periods",), f"every {word} of {year} up to the assessment date {as_of.isoformat()} needs its facts"
                + (f" ({len(missing)} of {len(scope)} are missing)" if len(missing) > 1 else ""), "facts.period_missing")
        for period in scope:
            if period.label in given[kind]:
                values = _facts(declared, given[kind][period.label][1], ("periods", period.label), bad, as_of,
                                fast=fast)
                entries.append((period.label, values))
        out[f"@{kind}"] = tuple(entries)
    return out


def _runs(labels: Sequence[str], indices: Sequence[int]) -> str:
    """The labels at ``indices`` with consecutive ones as a range: ``2021-02, 2021-05 to 2021-12``."""
    parts: list[str] = []
    start = previous = indices[0]
    for i in [*indices[1:], -2]:
        if i != previous + 1:
            parts.append(labels[start] if start == previous else
                         f"{labels[start]}{', ' if previous == start + 1 else ' to '}{labels[previous]}")
            start = i
        previous = i
    return ", ".join(parts)


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


def _check_label(bad: _Collector, key: str, value: Any, missing: str, code: str) -> None:
    """A unit's id or name: one line of text, no surrounding spaces, no control characters, no formula."""
    if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
        bad(missing, (key,), code=code)
        return
    text = str(value)
    if (char := bad_character(text)) is not None or "\n" in text or "\r" in text or "\t" in text:
        bad(f"`{key}` holds the control character {char or 'for a new line or tab'}, which is not allowed", (key,),
            code=code)
    elif text != text.strip():
        bad(f"`{key}` begins or ends with a space: {text!r}", (key,),
            "remove the space: ids that differ only by a space would be taken for two units", code)
    elif text.startswith(FORMULA_STARTS):
        bad(f"`{key}` begins with {text[0]!r}, which a spreadsheet reads as a formula", (key,),
            "begin the text with a letter or a character", code)


def check_unit(spec: Rules, unit: Any, path: Path, problems: list[Problem], as_of: dt.date | None, *,
               fast_facts: Mapping[str | None, FastCheck]) -> Record | None:
    """Check one unit; append every problem to ``problems`` and return the record, or None.

    ``fast_facts`` are the compiled fast checks of each group of facts (annual, per period).
    """
    if not isinstance(unit, Mapping):
        problems.append(Problem("a unit must be a mapping with id, name, type, target and facts", path,
                                code="facts.unit_not_mapping"))
        return None
    uid = unit.get("id")
    bad = _Collector(problems, path, str(uid) if uid is not None else "?")
    for key in unit:
        if key not in UNIT_KEYS:
            bad(f"unknown key `{key}`", (key,), f"a unit has {', '.join(UNIT_KEYS)}", "facts.unit_key")
    _check_label(bad, "id", uid, "every unit needs an `id` (text)", "facts.unit_id")
    name = unit.get("name", uid)
    _check_label(bad, "name", name, "`name` must be text: the unit's name", "facts.unit_name")
    utype = unit.get("type")
    if utype not in spec.unit_types:
        known = "、".join(f"{k} ({v.label})" for k, v in spec.unit_types.items())
        bad(f"unknown unit type {utype!r}" if utype is not None else "missing `type`", ("type",), f"one of: {known}",
            "facts.unit_type")
    target = unit.get("target", _MISSING)
    target_value = Decimal(0)  # without a target value a grade has no consequence
    if target is not _MISSING:
        try:
            target_value = _number(target)
            if target_value > TARGET_LIMIT:
                raise FactValueError(f"{target} is too large (at most {TARGET_LIMIT})")
            if target_value < 0:
                raise FactValueError(f"{target} is negative")
        except FactValueError as exc:
            bad(f"`target` (目标分值): {exc}", ("target",), code="facts.target")
    facts = _facts(spec.fact_groups[None], unit.get("facts", {}), ("facts",), bad, as_of,
                   fast=fast_facts.get(None), dated=spec.dated_records)
    facts.update(_periods(spec, fast_facts, unit.get("periods"), bad, as_of))
    facts["as_of"] = as_of
    if bad.count:
        return None
    return (str(uid), str(name), str(utype), target_value, facts, None)


__all__ = ["FastCheck", "check_unit"]

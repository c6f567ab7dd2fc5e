"""Quarterly bulletins (每季一通报): each month's missed items and deductions, and the running score.

A bulletin for ``2021Q3`` scores every unit as of the quarter's last day: the
months after it are left out, records dated after it are not yet due, and a
record published after it counts as not yet published. For each month of the
quarter it lists the rules written with ``each: month`` that fired and what
they deducted; units are ranked within their type by the running score
(equal scores share a rank).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .. import periods
from ..errors import UsageError
from ..messages import problem
from ..numbers import canonical
from ..rules.limits import echo
from .ranking import competition_ranks
from .results import RESULT_FORMAT, plain

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..rules.ruleset import Rules
    from .results import Result

    Scorer = Callable[..., list[Result]]


@attrs.frozen
class BulletinMonth:
    """One month of the quarter for one unit: the items it missed and what they deducted."""

    period: str
    missed: tuple[str, ...]
    deduction: Decimal

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        return {"period": self.period, "missed": list(self.missed), "deduction": plain(self.deduction)}


@attrs.frozen
class BulletinEntry:
    """One unit's line in the bulletin."""

    unit_id: str
    name: str
    type: str
    rank: int
    score: Decimal
    grade: str | None  # None for a spec without grades
    months: tuple[BulletinMonth, ...]
    result: Result = attrs.field(repr=False, eq=False)
    parent: str | None = None  # the id of the unit it is a sub-unit of (下属单位), if any

    @property
    def quarter_deduction(self) -> Decimal:
        """What the quarter's monthly items deducted in all."""
        return canonical(sum((m.deduction for m in self.months), Decimal(0)))

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        return {"id": self.unit_id, "name": self.name, "type": self.type, "rank": self.rank,
                "running_score": plain(self.score), "grade": self.grade,
                "quarter_deduction": plain(self.quarter_deduction), "months": [m.to_dict() for m in self.months],
                **({"parent": self.parent} if self.parent is not None else {})}


@attrs.frozen
class Bulletin:
    """The bulletin of one quarter: entries ranked within each unit type."""

    spec: Rules = attrs.field(repr=False)
    quarter: str
    as_of: dt.date
    entries: tuple[BulletinEntry, ...]

    def by_type(self) -> dict[str, list[BulletinEntry]]:
        """The entries grouped by unit type, in the spec's order of types, each group ranked."""
        groups: dict[str, list[BulletinEntry]] = {t: [] for t in self.spec.unit_types}
        for entry in self.entries:
            groups[entry.type].append(entry)
        return {t: g for t, g in groups.items() if g}

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data, in format ``assessrules.result/1``."""
        return {"format": RESULT_FORMAT, "spec": self.spec.metadata.id, "quarter": self.quarter, "as_of": self.as_of.isoformat(),
                "months": [m.label for m in periods.months_of(periods.parse(self.quarter))],
                "units": [e.to_dict() for e in self.entries]}


def as_it_stood(spec: Rules, unit: Mapping[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The unit as it stood on ``as_of``: later periods and records left out, later dates not yet reached."""
    out = dict(unit)
    raw_periods = unit.get("periods")
    if isinstance(raw_periods, Mapping):
        kept = {}
        for label, values in raw_periods.items():
            try:
                if periods.parse(label).start > as_of:
                    continue
            except ValueError:
                pass  # the full check reports it
            kept[label] = values
        out["periods"] = kept
    facts = unit.get("facts")
    if isinstance(facts, Mapping):
        facts = dict(facts)
        for name, fact in spec.facts.items():
            records = facts.get(name)
            if fact.type != "records" or not isinstance(records, list):
                continue
            facts[name] = [_record_until(fact, r, as_of) for r in records if not _after(fact, r, as_of)]
        out["facts"] = facts
    return out


_until = as_it_stood  # its name before snapshots made it public


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _after(fact: Any, record: Any, as_of: dt.date) -> bool:
    if not fact.dated_by or not isinstance(record, Mapping):
        return False
    day = _as_date(record.get(fact.dated_by))
    return day is not None and day > as_of


def _record_until(fact: Any, record: Any, as_of: dt.date) -> Any:
    if not isinstance(record, Mapping):
        return record
    out = dict(record)
    for name, field in (fact.fields or {}).items():
        day = _as_date(out.get(name)) if field.type == "date" and out.get(name) is not None else None
        if field.nullable and day is not None and day > as_of:
            out[name] = None
    return out


def bulletin(spec: Rules, evaluate_many: Scorer, units: Sequence[Mapping[str, Any]], quarter: str) -> Bulletin:
    """Build the bulletin of ``quarter`` (e.g. ``"2021Q3"``) for ``units``, scored by ``evaluate_many``."""
    try:
        period = periods.parse(quarter)
    except ValueError:
        raise UsageError([problem("usage.bulletin_quarter", quarter=echo(repr(quarter)))]) from None
    if period.kind != "quarter":
        raise UsageError([problem("usage.bulletin_quarter", quarter=echo(repr(quarter)))])
    if spec.year is not None and period.start.year != spec.year:
        raise UsageError([problem("usage.bulletin_year", quarter=period.label, year=spec.year)])
    if "month" not in spec.period_kinds:
        raise UsageError([problem("usage.bulletin_monthly")])
    as_of = period.end
    results = evaluate_many([as_it_stood(spec, u, as_of) for u in units], as_of=as_of)
    months = [m.label for m in periods.months_of(period)]
    monthly = {t.index for t in spec.triggers if t.each == "month"}
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(result.unit.type, []).append(result)
    entries = []
    for type_id in spec.unit_types:
        group = sorted(groups.get(type_id, []), key=lambda r: (-r.score, r.unit.id))
        for rank, result in competition_ranks(group):
            missed: dict[str, list[str]] = {m: [] for m in months}
            deducted: dict[str, Decimal] = dict.fromkeys(months, Decimal(0))
            for fired in result.fired:
                if fired.index not in monthly:
                    continue
                for hit in fired.periods:
                    if hit.period in missed:
                        missed[hit.period].append(fired.label)
                        deducted[hit.period] -= hit.points
            entries.append(BulletinEntry(
                result.unit.id, result.unit.name, type_id, rank, result.score, result.grade,
                tuple(BulletinMonth(m, tuple(missed[m]), canonical(deducted[m])) for m in months), result,
                result.parent))
    return Bulletin(spec, period.label, as_of, tuple(entries))


__all__ = ["Bulletin", "BulletinEntry", "BulletinMonth", "as_it_stood", "bulletin"]

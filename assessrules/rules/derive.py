"""Derived values: how periods roll up into the year, and counts drawn from evidence records.

Each kind is one small class in :data:`DERIVED_KINDS`, chosen by the key it is
written with under ``derived:``::

    derived:
      volume_year:   {label: 全年信息公开数量, sum: info_volume, each: month}
      months_missed: {label: 重点领域未公开月数, count: not key_areas_disclosed, each: month}
      late_records:  {label: 未按时公开条数, count: "working_days(formed, coalesce(published, as_of)) > 20",
                      of: disclosures}
      average_rate:  {label: 平均办理率, mean: online_ratio, each: month}
      per_month:     {label: 月均数量, expr: volume_year / 12}

A derived value is computed for each unit before scoring, in the order
declared, and may be used by every rule (and by later derived values). Each
keeps its evidence — the periods or records that made it — so that an
explanation can name the late documents and the missed months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from ..errors import Path
from ..numbers import canonical, round_exact, terminates
from .expressions import Expression
from .model import Rounding

Evaluator = Callable[[Mapping[str, Any], Mapping[str, Any] | None, Mapping[str, Any] | None], Any]
"""A compiled expression: ``fn(annual, period_values, record) -> value``."""

Evidence = tuple[tuple[Any, Any], ...]
"""``(period label or record index, value)`` for each period or record that made the value."""


@attrs.frozen(kw_only=True)
class Derived:
    """A value computed from the facts of a unit, with its evidence."""

    kind: ClassVar[str]
    expects: ClassVar[str] = "number"
    name: str
    label: str
    expression: Expression
    clause: str | None = None
    each: str | None = None  # a period kind
    of: str | None = None  # a records fact
    path: Path = ()
    rounding: Rounding | None = None  # the spec's: how a quotient with no exact decimal value is published

    @property
    def value_type(self) -> str:
        """The declared type of the value: a number, or (for ``last`` and ``expr``) the expression's type."""
        return self.expression.type if self.expects == "any" else "number"

    def compute(self, fn: Evaluator, ns: Mapping[str, Any]) -> tuple[Any, Evidence]:
        """Return the value and its evidence for one unit's namespace ``ns``, exactly: over the exact facts
        of a spec with ``rounding:`` (every Decimal a Fraction) a quotient stays a Fraction; :meth:`stored`
        makes it what the unit's record keeps."""
        raise NotImplementedError

    def stored(self, value: Any) -> Any:
        """``value`` as the unit's record keeps it, where rules read it and results publish it: an exact
        Fraction as a Decimal, itself when it terminates, else rounded as the spec declares; anything else as is."""
        return _exact_decimal(value, self.rounding) if type(value) is Fraction else value

    def stored_evidence(self, evidence: Evidence) -> Evidence:
        """The evidence with each period's or record's value as :meth:`stored` keeps it."""
        if not any(type(v) is Fraction for _, v in evidence):
            return evidence
        return tuple((k, self.stored(v)) for k, v in evidence)

    def describe(self) -> str:
        """How the value is made, in a line."""
        source = f"每{'月' if self.each == 'month' else '季度'}" if self.each else f"{self.of} 中"
        return f"{self.label} = {self.kind}（{source} {self.expression.text}）"

    def _per_period(self, fn: Evaluator, ns: Mapping[str, Any]) -> list[tuple[str, Any]]:
        return [(label, fn(ns, values, None)) for label, values in ns[f"@{self.each}"]]


def _exact_decimal(value: Fraction, rounding: Rounding | None) -> Decimal:
    """An exact quotient as a Decimal: itself when it terminates, else rounded as the spec declares."""
    if terminates(value):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if rounding is None:  # the loader refuses such a spec without rounding; keep 28 digits if one slips by
        return Decimal(value.numerator) / Decimal(value.denominator)
    return canonical(round_exact(value, rounding.places, rounding.mode))


def _total(values: Sequence[Any]) -> Decimal | Fraction:
    """The sum of one domain's numbers: ints and Decimals (a spec without rounding), or ints and Fractions
    (a spec with ``rounding:``, whose derived values read exact facts); a Decimal when they are all ints."""
    total = sum(values, 0)
    return Decimal(total) if type(total) is int else total


@attrs.frozen(kw_only=True)
class _RollUp(Derived):
    """A value made from every period's value (``each:``), or every record's (``of:``); 0 when there is none yet."""

    def reduce(self, values: Sequence[Any]) -> Decimal | Fraction:
        raise NotImplementedError

    def compute(self, fn: Evaluator, ns: Mapping[str, Any]) -> tuple[Any, Evidence]:
        pairs: list[tuple[Any, Any]] = ([(i, fn(ns, None, record)) for i, record in enumerate(ns[self.of])]
                                        if self.of is not None else self._per_period(fn, ns))
        return (self.reduce([v for _, v in pairs]) if pairs else Decimal(0)), tuple(pairs)


@attrs.frozen(kw_only=True)
class Sum(_RollUp):
    """The sum over the periods of the year (so far), or over the records (``sum: pages, of: reports``)."""

    kind = "sum"

    def reduce(self, values: Sequence[Any]) -> Decimal | Fraction:
        return _total(values)


@attrs.frozen(kw_only=True)
class Mean(_RollUp):
    """The mean over the periods (exact Decimal division)."""

    kind = "mean"

    def reduce(self, values: Sequence[Any]) -> Decimal | Fraction:
        return sum((Fraction(v) for v in values), Fraction(0)) / len(values)


@attrs.frozen(kw_only=True)
class Min(_RollUp):
    """The least value over the periods."""

    kind = "min"

    def reduce(self, values: Sequence[Any]) -> Decimal | Fraction:
        least = min(values)
        return Decimal(least) if type(least) is int else least


@attrs.frozen(kw_only=True)
class Max(_RollUp):
    """The greatest value over the periods."""

    kind = "max"

    def reduce(self, values: Sequence[Any]) -> Decimal | Fraction:
        greatest = max(values)
        return Decimal(greatest) if type(greatest) is int else greatest


@attrs.frozen(kw_only=True)
class Last(Derived):
    """The value of the latest period; 0 when there is none yet."""

    kind = "last"
    expects = "any"

    def compute(self, fn: Evaluator, ns: Mapping[str, Any]) -> tuple[Any, Evidence]:
        pairs = self._per_period(fn, ns)
        return (pairs[-1][1] if pairs else Decimal(0)), tuple(pairs[-1:])


@attrs.frozen(kw_only=True)
class Count(Derived):
    """How many periods (``each:``) or records (``of:``) the condition holds for."""

    kind = "count"
    expects = "bool"

    def compute(self, fn: Evaluator, ns: Mapping[str, Any]) -> tuple[Any, Evidence]:
        hits: Evidence
        if self.of is not None:
            hits = tuple((i, True) for i, record in enumerate(ns[self.of]) if fn(ns, None, record))
        else:
            hits = tuple((label, True) for label, ok in self._per_period(fn, ns) if ok)
        return len(hits), hits


@attrs.frozen(kw_only=True)
class Formula(Derived):
    """An expression over annual facts, parameters and earlier derived values."""

    kind = "expr"
    expects = "any"

    def compute(self, fn: Evaluator, ns: Mapping[str, Any]) -> tuple[Any, Evidence]:
        if self.expression.type == "number" and any(True for _ in self.expression.divisions()):
            try:  # plain arithmetic with a quotient: exactly (stored() rounds it as the spec declares)
                values = {n: ns[n] for n in self.expression.names if n in ns}
                return self.expression.exact_value(values), ()
            except (KeyError, TypeError, ValueError):
                pass  # conditions and functions beyond arithmetic: the compiled expression
        return fn(ns, None, None), ()


def _dated(fn: Evaluator, ns: Mapping[str, Any], of: str) -> list[tuple[dt.date, int]]:
    """The records' dates up to ``as_of``, earliest first, each with the record's index."""
    as_of = ns["as_of"]
    return sorted((d, i) for i, record in enumerate(ns[of]) if (d := fn(ns, None, record)) is not None and d <= as_of)


def _span(start: dt.date, end: dt.date, unit: str) -> int:
    """The time from ``start`` to ``end``: calendar days, official working days (工作日) after ``start`` up to
    and including ``end``, or whole months (2021-01-31 → 2021-02-28 is 0)."""
    if unit == "working_days":
        from ..workdays import working_days

        return working_days(start, end)
    if unit != "months":
        return (end - start).days
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


@attrs.frozen(kw_only=True)
class Gap(Derived):
    """The longest time without a record (多长时间未更新): between successive dates, and from the last to ``as_of``.

    In calendar days (or whole months with ``in: months``, working days with ``in: working_days``); with no
    record at all, from the start of the assessment year. Its evidence is the record that opens the longest gap
    (none if the gap opens the year).
    """

    kind = "gap"
    expects = "date"
    months: bool = False
    unit: str = "days"  # days, months or working_days (``in:``)

    def compute(self, fn: Evaluator, ns: Mapping[str, Any]) -> tuple[Any, Evidence]:
        as_of = ns["as_of"]
        dated = _dated(fn, ns, self.of or "")
        if not dated:
            return self._span(dt.date(as_of.year, 1, 1), as_of), ()
        ends = [d for d, _ in dated[1:]] + [as_of]
        longest, opener = max((self._span(d, end), -i) for (d, i), end in zip(dated, ends, strict=True))
        return longest, ((-opener, longest),)

    def _span(self, start: dt.date, end: dt.date) -> int:
        return _span(start, end, "months" if self.months else self.unit)


@attrs.frozen(kw_only=True)
class Gaps(Derived):
    """How many times a record was not made for longer than ``longer_than`` (超过14天未更新1次扣1分).

    The spans are those from the start of the assessment year to the first record, between successive
    records, and from the last record to ``as_of`` (with no record, the whole year so far is one span); each
    longer than ``longer_than`` counts once, or with ``repeat`` once for every ``longer_than`` it has run past
    (每超过14天计1次: 15 days counts 1, 29 counts 2, 45 counts 3). Days are calendar days unless
    ``in: working_days`` or ``in: months``. The evidence is each counted span, by the record that opens it
    (the year's first span by the record that closes it), with its length.
    """

    kind = "gaps"
    expects = "date"
    longer_than: int = 0
    unit: str = "days"
    repeat: bool = False

    def compute(self, fn: Evaluator, ns: Mapping[str, Any]) -> tuple[Any, Evidence]:
        as_of = ns["as_of"]
        start = dt.date(as_of.year, 1, 1)
        dated = _dated(fn, ns, self.of or "")
        if not dated:
            n = self._times(_span(start, as_of, self.unit))
            return n, ()
        spans = [(dated[0][1], _span(start, dated[0][0], self.unit))]
        ends = [d for d, _ in dated[1:]] + [as_of]
        spans += [(i, _span(d, end, self.unit)) for (d, i), end in zip(dated, ends, strict=True)]
        counted = [(i, length) for i, length in spans if self._times(length)]
        return sum(self._times(length) for _, length in counted), tuple(counted)

    def _times(self, length: int) -> int:
        """How many times a span of ``length`` counts."""
        if length <= self.longer_than:
            return 0
        return (length - 1) // self.longer_than if self.repeat and self.longer_than > 0 else 1



DERIVED_KINDS: dict[str, type[Derived]] = {k.kind: k for k in (Sum, Mean, Min, Max, Last, Count, Formula, Gap, Gaps)}
"""The derived kinds, by the key that selects them."""


SUBUNITS = " subunits"
"""The key under which a parent's facts carry its sub-units' results while its derived values are computed
(no fact can have this name: it is not an identifier); it is gone from the record when they are stored."""

SUBUNIT_HOWS = ("mean", "sum", "min", "max", "count", "share")
"""How a parent reads its sub-units' results (``how:``)."""


@attrs.frozen
class SubUnit:
    """What a parent reads of one sub-unit: its result's figures, handed over after the sub-unit is scored."""

    id: str
    name: str
    type: str
    score: Decimal
    table_score: Decimal
    grade: str | None  # the grade's label; None for a spec without grades
    indicators: Mapping[str, Decimal | None]  # indicator id -> its score (None where it does not apply)

    def value(self, reads: str) -> Decimal | None:
        """``score``, ``table_score`` or an indicator's score."""
        if reads == "score":
            return self.score
        if reads == "table_score":
            return self.table_score
        return self.indicators.get(reads)


@attrs.frozen(kw_only=True)
class FromSubUnits(Derived):
    """A value read from the unit's sub-units' results (下属单位): their mean, sum, least or greatest score (or
    table score, or one indicator's score), how many there are, or the share of them graded ``graded``.

    It is 0 for a unit with no sub-unit; its evidence is each sub-unit's id with the value read (for ``count``
    and ``share``, each sub-unit counted)."""

    kind = "subunits"
    reads: str = "score"  # score, table_score, or an indicator's id
    how: str = "mean"
    graded: str | None = None  # a grade's label: count / share only the sub-units in that grade

    def compute(self, fn: Evaluator, ns: Mapping[str, Any]) -> tuple[Any, Evidence]:
        subs: Sequence[SubUnit] = ns.get(SUBUNITS, ())
        if self.how in ("count", "share"):
            chosen = [s for s in subs if self.graded is None or s.grade == self.graded]
            evidence = tuple((s.id, True) for s in chosen)
            if self.how == "count":
                return len(chosen), evidence
            return (Fraction(len(chosen), len(subs)) if subs else Decimal(0)), evidence
        pairs = [(s.id, v) for s in subs if (v := s.value(self.reads)) is not None]
        if not pairs:
            return Decimal(0), ()
        values = [Fraction(v) for _, v in pairs]
        if self.how == "mean":
            value: Fraction = sum(values, Fraction(0)) / len(values)
        elif self.how == "sum":
            value = sum(values, Fraction(0))
        else:
            value = min(values) if self.how == "min" else max(values)
        return value, tuple(pairs)

    def describe(self) -> str:
        """How the value is made, in a line."""
        return f"{self.label} = {self.expression.text}"


DERIVED_KINDS[FromSubUnits.kind] = FromSubUnits

__all__ = ["DERIVED_KINDS", "SUBUNITS", "SUBUNIT_HOWS", "Count", "Derived", "Evaluator", "Evidence", "Formula",
           "FromSubUnits", "Gap", "Gaps", "Last", "Max", "Mean", "Min", "SubUnit", "Sum"]

"""Hypothesis strategies derived from a spec, for property-testing any county's rules.

>>> import assessrules
>>> from assessrules.authoring.strategies import facts_for
>>> spec = assessrules.load_spec("2021")
>>> strategy = facts_for(spec, unit_type="town")   # nothing is drawn, nothing can fail, until a test runs

The strategies lean towards the edges: counts at 0, at their maximum and
just past the point where a node is exhausted; targets with awkward decimals.
Besides the wide draw of :func:`facts_for`, which mostly lands on failing units, three strategies
start from a perfect unit (every fact at its best, :func:`perfect_unit`) so that every grade is
reached: :func:`near_perfect_for` (a few violations), :func:`at_boundary_for` (a score within one
step of a grade threshold) and :func:`single_violation_for` (one fact moved one step, or to its
worst, in its ``worse`` direction). :func:`mixed_facts_for` draws from all four, as
``assessrules check`` does.

Requires the ``hypothesis`` package (``pip install 'assessrules[testing]'``).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from .. import periods
from ..engine.spec import Spec
from ..rules.facts import Fact

_MAX_COUNT = 200
_BEST_UNBOUNDED = 1000  # the "best" of a `better` count or number without a `max:`
_BOUNDARY_STEPS = 300  # at most this many violations added on the way down to a threshold


def _count(fact: Fact, extra: Iterable[int] = ()) -> st.SearchStrategy[int]:
    low = int(fact.minimum) if fact.minimum is not None else 0
    high = int(fact.maximum) if fact.maximum is not None else low + _MAX_COUNT
    edges = sorted({v for v in (low, low + 1, high, high - 1, *extra) if low <= v <= high})
    return st.one_of(st.sampled_from(edges), st.integers(low, high))


def edge_counts(spec: Spec) -> dict[str, set[int]]:
    """Counts worth trying for each fact a per-occurrence rule counts directly: those that just
    exhaust its indicator, and those that bring a perfect unit exactly onto a grade threshold."""
    out: dict[str, set[int]] = {}
    for node in spec.nodes:
        for trigger in node.triggers:
            per, points = getattr(trigger, "per", None), getattr(trigger, "points", None)
            if per is None or not points or per.names != (per.text,):
                continue
            edges = out.setdefault(per.text, set())
            exhaust = Fraction(node.points) / Fraction(points)  # exact: points may be a share such as 20 / 12
            edges.update({int(exhaust) - 1, int(exhaust), int(exhaust) + 1})
            for grade in spec.grades:
                if grade.at_least is not None:
                    steps = Fraction(spec.metadata.scale - grade.at_least) / Fraction(points)
                    if steps.denominator == 1:
                        edges.update({int(steps) - 1, int(steps), int(steps) + 1})
    return out


def _number(fact: Fact, low: Decimal | None = None, high: Decimal | None = None, places: int = 2
            ) -> st.SearchStrategy[Decimal]:
    lo = fact.minimum if fact.minimum is not None else low
    hi = fact.maximum if fact.maximum is not None else high
    lo = lo if lo is not None else Decimal(-1000)
    hi = hi if hi is not None else Decimal(1000)
    return st.one_of(st.sampled_from([lo, hi]),
                     st.decimals(min_value=lo, max_value=hi, places=places, allow_nan=False, allow_infinity=False))


def _records(fact: Fact, year: int, numbers: Iterable[int] = ()) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Up to 8 records drawn field by field, or a regular list whose dates are ``spacing`` days apart and whose
    later date fields come ``offset`` days after the first (each drawn around the numbers the spec compares with)."""
    fields = fact.fields or {}
    if any(f.type == "date" for f in fields.values()):
        steps = sorted({n for n in (*numbers, 1, 7, 30, 90) if 1 <= n <= 366})
        regular = st.builds(lambda spacing, offset, flag: regular_records(fact, year, spacing, offset=offset, flag=flag),
                            st.sampled_from(steps), st.sampled_from([0, *steps]), st.booleans())
        return st.one_of(_drawn_records(fact, year), regular)
    return _drawn_records(fact, year)


def regular_records(fact: Fact, year: int, spacing: int, *, offset: int = 0, flag: bool | None = None,
                    as_of: dt.date | None = None, since: int = 0) -> list[dict[str, Any]]:
    """Records of ``fact`` dated every ``spacing`` days back from ``as_of`` (default: the year's end) to the year's
    start, each later date field ``offset`` days after the first (at most ``as_of``; empty when it may be);
    yes/no fields ``flag`` (their default when None), other fields their default or least value.

    The gaps between them are exactly ``spacing`` days, and each record's durations ``offset`` days: the
    values that a rule such as 超过14天未更新 or 超过15个工作日未答复 compares with its number."""
    fields = fact.fields or {}
    end = as_of or dt.date(year, 12, 31)
    first = fact.dated_by or next((n for n, f in fields.items() if f.type == "date"), None)
    out: list[dict[str, Any]] = []
    day = end
    while day >= dt.date(year - since, 1, 1) and len(out) < 400:
        record: dict[str, Any] = {}
        for name, field in fields.items():
            if field.type == "date":
                later = day + dt.timedelta(days=offset) if name != first else day
                record[name] = later if later <= end else (None if field.nullable else end)
            elif field.type == "bool":
                record[name] = flag if flag is not None else (field.default if field.default is not None else True)
            elif field.default is not None or field.nullable:
                record[name] = field.default
            else:
                record[name] = best_value(field, year) if field.type != "count" else int(field.minimum or 0)
        out.append(record)
        day -= dt.timedelta(days=spacing)
    return out[::-1]


def _full_record(fact: Fact, year: int) -> dict[str, Any]:
    """A record with every yes/no field true and every number at its most (10 when unbounded)."""
    out: dict[str, Any] = {}
    for name, field in (fact.fields or {}).items():
        if field.type == "bool":
            out[name] = True
        elif field.type in ("count", "number", "ratio"):
            high = field.maximum if field.maximum is not None else (1 if field.type == "ratio" else 10)
            out[name] = int(high) if field.type == "count" else Decimal(high)
        else:
            out[name] = field.default if field.default is not None else best_value(field, year)
    return out


def _drawn_records(fact: Fact, year: int) -> st.SearchStrategy[list[dict[str, Any]]]:
    fields = fact.fields or {}

    @st.composite
    def record(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, field in fields.items():
            if field.nullable and draw(st.booleans()):
                out[name] = None
            elif field.type == "date":
                start = dt.date(year, 1, 1)
                anchor = out.get(fact.dated_by) if fact.dated_by and name != fact.dated_by else None
                low = anchor or start
                out[name] = draw(st.dates(min_value=low, max_value=dt.date(year, 12, 31)))
            else:
                out[name] = draw(value_for(field, year))
        return out

    return st.lists(record(), max_size=8)


def _text(fact: Fact) -> st.SearchStrategy[str]:
    return st.text(alphabet="关于印发通知办法公开工作", min_size=1, max_size=12)


VALUE_STRATEGIES: dict[str, Callable[[Fact, int], st.SearchStrategy[Any]]] = {
    "bool": lambda f, y: st.booleans(),
    "count": lambda f, y: _count(f, (10, 20, 40, 41)),
    "number": lambda f, y: _number(f),
    "ratio": lambda f, y: _number(f, Decimal(0), Decimal(1), places=4),
    "enum": lambda f, y: st.sampled_from(list(f.values or ())),
    "date": lambda f, y: st.dates(min_value=dt.date(y, 1, 1), max_value=dt.date(y, 12, 31)),
    "text": lambda f, y: _text(f),
    "records": _records,
}
"""How a value of each fact type is drawn (given the spec's year, for dates)."""

LARGEST_TARGET = Decimal(20)
"""The largest target value (目标分值) drawn: a unit's target is a few points of its annual work."""

targets = st.one_of(
    st.sampled_from([Decimal(0), Decimal("0.01"), Decimal(1), Decimal(2), Decimal(3), Decimal("3.33"), Decimal(5)]),
    st.decimals(min_value=0, max_value=LARGEST_TARGET, places=2, allow_nan=False, allow_infinity=False),
)
"""Target values (目标分值), awkward decimals included."""


def value_for(fact: Fact, year: int = 2021) -> st.SearchStrategy[Any]:
    """A strategy for valid values of one declared fact (dates within ``year``)."""
    return VALUE_STRATEGIES[fact.type](fact, year)


def _draw_facts(draw: st.DrawFn, declared: dict[str, Fact], year: int, *,
                edges: dict[str, set[int]] | None = None, numbers: Iterable[int] = (),
                dates: Iterable[dt.date] = ()) -> dict[str, Any]:
    out = {}
    near = sorted(d for d in dates if d.year == year)
    for name, fact in declared.items():
        if fact.required or draw(st.booleans()):
            special = (edges or {}).get(name)
            if special and fact.type == "count":
                strategy: st.SearchStrategy[Any] = _count(fact, special)
            elif fact.type == "records":
                strategy = _records(fact, year, numbers)
            elif fact.type == "date" and near:
                strategy = st.one_of(st.sampled_from(near), value_for(fact, year))
            else:
                strategy = value_for(fact, year)
            out[name] = draw(strategy)
    return out


def _constants(spec: Spec) -> Iterable[Any]:
    """Every literal and parameter value the spec's rules and derived values compare with."""
    for expression in [e for t in spec.triggers for e in t.expressions()] + [d.expression for d in spec.derived]:
        yield from expression.constants
        yield from (spec.parameters[n].value for n in expression.names if n in spec.parameters)


def spec_numbers(spec: Spec) -> set[int]:
    """Whole numbers of days worth trying as gaps and durations of dated records: every number the spec
    compares with, one either side, and the calendar days that span as many working days (a week has 5)."""
    out: set[int] = set()
    for c in _constants(spec):
        if isinstance(c, bool) or not isinstance(c, (int, Decimal, Fraction)) or not 0 < c <= 366:
            continue
        n = int(c)
        out |= {n - 1, n, n + 1}
        out |= {-(-n * 7 // 5) + k for k in range(-1, 5)}  # working days: weekends (and a holiday or two) between
    return {n for n in out if n >= 1}


def spec_dates(spec: Spec) -> set[dt.date]:
    """The dates the spec's rules compare with (``date("2021-06-30")``, a date parameter), and a day either side."""
    out: set[dt.date] = set()
    for c in _constants(spec):
        day = c if isinstance(c, dt.date) else None
        if isinstance(c, str):
            with contextlib.suppress(ValueError):
                day = dt.date.fromisoformat(c)
        if day is not None:
            out |= {day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)}
    return out


def facts_for(spec: Spec, unit_type: str | None = None, as_of: dt.date | None = None
              ) -> st.SearchStrategy[dict[str, Any]]:
    """Draw valid units for ``spec``: id, name, type, target, a value (or the default) for every
    fact, and every period up to ``as_of`` (default: the spec's assessment date)."""

    edges, numbers, dates = edge_counts(spec), sorted(spec_numbers(spec)), spec_dates(spec)

    @st.composite
    def unit(draw: st.DrawFn) -> dict[str, Any]:
        year = spec.year or 2021
        when = as_of or spec.default_as_of or dt.date(year, 12, 31)
        chosen = unit_type or draw(st.sampled_from(sorted(spec.unit_types)))
        annual = {n: f for n, f in spec.facts.items() if f.period is None}
        facts = _draw_facts(draw, annual, year, edges=edges, numbers=numbers, dates=dates)
        uid = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8))
        drawn = {"id": uid, "name": f"单位{uid}", "type": chosen, "target": draw(targets), "facts": facts}
        if spec.period_kinds:
            by_period: dict[str, dict[str, Any]] = {}
            drawn["periods"] = by_period
            for kind in spec.period_kinds:
                # a few kinds of month, each period one of them: as varied as a year is, at a fraction of the draws
                group = dict(spec.fact_groups[kind])
                templates = [_draw_facts(draw, group, year) for _ in range(draw(st.integers(1, 3)))]
                for p in periods.in_scope(kind, year, when):
                    by_period[p.label] = dict(draw(st.sampled_from(templates)))
        return drawn

    return unit()


# --- units around the perfect one ---------------------------------------------------------------


def best_value(fact: Fact, year: int = 2021) -> Any:
    """The best value of a fact: the least of a ``worse`` one, the most of a ``better`` one; for a
    fact without a direction its default, else the least value it may take."""
    if fact.type == "bool":
        if fact.direction is not None:
            return fact.direction == "better"
        return fact.default if fact.default is not None else False
    if fact.type in ("count", "number", "ratio"):
        low = fact.minimum if fact.minimum is not None else Decimal(0)
        high = fact.maximum if fact.maximum is not None else (
            Decimal(1) if fact.type == "ratio" else Decimal(_BEST_UNBOUNDED))
        if fact.direction == "better":
            value = high
        elif fact.direction == "worse":
            value = low
        else:
            value = fact.default if fact.default is not None else low
        return int(value) if fact.type == "count" else Decimal(value)
    if fact.default is not None:
        return fact.default
    if fact.type == "records":
        return []
    if fact.type == "enum":
        return (fact.values or ("",))[0]
    if fact.type == "date":
        return dt.date(year, 1, 1)
    return "文件"


def _best_facts(declared: dict[str, Fact], year: int) -> dict[str, Any]:
    return {name: best_value(fact, year) for name, fact in declared.items()
            if fact.required or fact.direction is not None or fact.default is None}


def perfect_unit(spec: Spec, unit_type: str | None = None, target: Decimal | int = 3,
                 as_of: dt.date | None = None) -> dict[str, Any]:
    """A unit with every fact at its best (:func:`best_value`), in every period up to ``as_of``; a
    yes/no or choice fact without a direction takes the value that scores best.

    >>> import assessrules
    >>> spec = assessrules.load_spec("2021")
    >>> spec.evaluate(perfect_unit(spec)).score
    Decimal('100')
    """
    year = spec.year or 2021
    when = as_of or spec.default_as_of or dt.date(year, 12, 31)
    chosen = unit_type or sorted(spec.unit_types)[0]
    unit: dict[str, Any] = {"id": "u1", "name": "单位u1", "type": chosen, "target": target,
                            "facts": _best_facts(dict(spec.fact_groups[None]), year)}
    if spec.period_kinds:
        unit["periods"] = {p.label: _best_facts(dict(spec.fact_groups[kind]), year)
                           for kind in spec.period_kinds for p in periods.in_scope(kind, year, when)}
    return _best_choices(spec, unit)


def _best_choices(spec: Spec, unit: dict[str, Any]) -> dict[str, Any]:
    """Give each yes/no or choice fact without a direction the value that scores best (the first, on a tie)."""
    def rank(candidate: dict[str, Any]) -> tuple[int, Decimal, Decimal]:
        result = spec.evaluate(candidate)  # the better grade first (a verdict grades apart from the score)
        return -result.grade_index, result.score, -result.deduction

    year = spec.year or 2021
    for name, fact in spec.facts.items():
        if fact.direction is not None or fact.type not in ("bool", "enum", "records"):
            continue
        if fact.type == "records":  # none, or a record every week, each settled the day it came
            if fact.period is not None:
                continue
            options: list[Any] = [regular_records(fact, year, 7, flag=flag, as_of=spec.default_as_of) for flag in (True, False)] \
                if any(f.type == "date" for f in (fact.fields or {}).values()) else \
                [[_full_record(fact, year)] * n for n in (1, 10, 50)]  # fields such as 页数 summed by a rule
            current = fact.default if fact.default is not None else []
        else:
            options = [False, True] if fact.type == "bool" else list(fact.values or ())
            current = best_value(fact)
        tried: list[tuple[tuple[int, Decimal, Decimal], int, dict[str, Any]]] = []
        for value in [current, *(v for v in options if v != current)]:
            if fact.period is None:
                candidate = {**unit, "facts": {**unit["facts"], name: value}}
            else:
                candidate = {**unit, "periods": {p: {**v, name: value} if periods.parse(p).kind == fact.period else v
                                                 for p, v in unit.get("periods", {}).items()}}
            tried.append((rank(candidate), -len(tried), candidate))
        unit = max(tried, key=lambda t: (t[0], t[1]))[2]
    return unit


def worst_unit(spec: Spec, unit_type: str | None = None, target: Decimal | int = 3,
               as_of: dt.date | None = None) -> dict[str, Any]:
    """A unit with every directed fact at its worst (a ``worse`` count without a ``max:`` at 1000)."""
    unit = perfect_unit(spec, unit_type, target, as_of)
    for name in directed_facts(spec, "worse") + directed_facts(spec, "better"):
        for pick in range(max(1, len(unit.get("periods", {})))):
            unit = worsen(spec, unit, name, pick, "worst") or unit
    return unit


def _decimal(value: Decimal | Fraction) -> Decimal:
    """A parameter's value as a Decimal near enough to draw values either side of it (25 / 12 stays a Fraction)."""
    return value if isinstance(value, Decimal) else Decimal(value.numerator) / Decimal(value.denominator)


def threshold_values(spec: Spec) -> dict[str, set[Decimal]]:
    """For each fact, the numbers it is compared with: the parameters and literals of every
    expression that reads it, and one either side."""
    out: dict[str, set[Decimal]] = {}
    for trigger in spec.triggers:
        for expression in trigger.expressions():
            numbers = {Decimal(c) for c in expression.constants
                       if isinstance(c, (Decimal, int)) and not isinstance(c, bool)}
            numbers |= {_decimal(v) for n in expression.names  # a date parameter is no number to draw around
                        if n in spec.parameters and isinstance(v := spec.parameters[n].value, Decimal | Fraction)}
            for name in expression.names:
                fact = spec.facts.get(name)
                if fact is None or fact.type not in ("count", "number", "ratio"):
                    continue
                step = Decimal(1) if fact.type == "count" else Decimal("0.01")
                out.setdefault(name, set()).update(v + d for v in numbers for d in (-step, 0, step))
    return out


def period_of(fact: Fact, unit: Mapping[str, Any], pick: int) -> str | None:
    """The ``pick``-th (cyclically) of the unit's periods of the fact's own kind (a half-year fact is never
    changed in a half-month), or None when the unit has none."""
    labels = sorted(label for label in unit.get("periods", {}) if periods.parse(label).kind == fact.period)
    return labels[pick % len(labels)] if labels else None


def worsen(spec: Spec, unit: dict[str, Any], name: str, pick: int = 0, how: str = "step", *,
           to: Decimal | None = None) -> dict[str, Any] | None:
    """The unit with one more violation of the directed fact ``name`` (in the ``pick``-th period), or None.

    ``how`` is ``"step"`` (one more, or 0.01 worse for a ratio), ``"extreme"`` (the worst value
    allowed; None for a ``worse`` fact without a ``max:``), ``"worst"`` (the same, but 1000 for such
    a fact) or ``"to"`` (the value ``to``, when it is worse than the present one). None when the fact
    cannot get worse that way.

    >>> import assessrules
    >>> spec = assessrules.load_spec("2021")
    >>> worse = worsen(spec, perfect_unit(spec), "late_disclosures")
    >>> worse["facts"]["late_disclosures"], spec.evaluate(worse).score
    (1, Decimal('99'))
    """
    fact = spec.facts[name]
    if fact.period is None:
        values, place = unit.get("facts", {}), None
    else:
        place = period_of(fact, unit, pick)
        if place is None:
            return None
        values = unit["periods"][place]
    value = values.get(name, fact.default)
    if fact.type == "bool":
        new: Any = fact.direction == "worse"
        if value is new or how == "to":
            return None
    elif fact.type in ("count", "number", "ratio"):
        low = fact.minimum if fact.minimum is not None else 0
        high = fact.maximum if fact.maximum is not None else (1 if fact.type == "ratio" else None)
        worse = fact.direction == "worse"
        current = Decimal(value) if not isinstance(value, str) else fact.normalize(value)
        if how in ("extreme", "worst"):
            if worse and high is None:
                if how == "extreme":
                    return None
                high = Decimal(_BEST_UNBOUNDED)
            new = high if worse else low
        elif how == "to":
            if to is None or (to <= current if worse else to >= current):
                return None
            new = to
        else:
            step = Decimal("0.01") if fact.type == "ratio" else 1
            new = current + (step if worse else -step)
        if new < low or (high is not None and new > high) or new == current:
            return None
        if fact.type == "count":
            if new != int(new):
                return None
            new = int(new)
    else:
        return None
    changed = {**values, name: new}
    if place is None:
        return {**unit, "facts": changed}
    return {**unit, "periods": {**unit["periods"], place: changed}}


def _violation(spec: Spec, names: list[str], thresholds: dict[str, set[Decimal]]
               ) -> st.SearchStrategy[tuple[str, int, str, Decimal | None]]:
    """``(fact, period pick, how, to)``: one way to make a unit worse."""
    @st.composite
    def one(draw: st.DrawFn) -> tuple[str, int, str, Decimal | None]:
        name = draw(st.sampled_from(names))
        how = draw(st.sampled_from(["step", "step", "extreme", "worst", "to"]))
        to = draw(st.sampled_from(sorted(thresholds[name]))) if how == "to" and thresholds.get(name) else None
        return name, draw(st.integers(0, 11)), how, to
    return one()


def _apply(spec: Spec, unit: dict[str, Any], change: tuple[str, int, str, Decimal | None]) -> dict[str, Any]:
    name, pick, how, to = change
    return worsen(spec, unit, name, pick, how, to=to) or unit


def _directed(spec: Spec) -> list[str]:
    return sorted(directed_facts(spec, "worse") + directed_facts(spec, "better"))


@st.composite
def _start(draw: st.DrawFn, spec: Spec, unit_type: str | None, as_of: dt.date | None) -> dict[str, Any]:
    chosen = unit_type or draw(st.sampled_from(sorted(spec.unit_types)))
    return perfect_unit(spec, chosen, draw(targets), as_of)


def near_perfect_for(spec: Spec, unit_type: str | None = None, as_of: dt.date | None = None
                     ) -> st.SearchStrategy[dict[str, Any]]:
    """Draw units a few violations (0 to 4) away from the perfect one: the 优秀 and 良好 units that a
    wide draw almost never reaches."""
    names, thresholds = _directed(spec), threshold_values(spec)

    @st.composite
    def unit(draw: st.DrawFn) -> dict[str, Any]:
        drawn = draw(_start(spec, unit_type, as_of))
        if not names:
            return drawn
        for change in draw(st.lists(_violation(spec, names, thresholds), max_size=4)):
            drawn = _apply(spec, drawn, change)
        return drawn

    return unit()


def single_violation_for(spec: Spec, unit_type: str | None = None, as_of: dt.date | None = None
                         ) -> st.SearchStrategy[dict[str, Any]]:
    """Draw the neighbours of the perfect unit: one fact moved one step (or to its worst, or just
    past a number it is compared with) in its ``worse`` direction, in one period."""
    names, thresholds = _directed(spec), threshold_values(spec)

    @st.composite
    def unit(draw: st.DrawFn) -> dict[str, Any]:
        drawn = draw(_start(spec, unit_type, as_of))
        return _apply(spec, drawn, draw(_violation(spec, names, thresholds))) if names else drawn

    return unit()


def at_boundary_for(spec: Spec, unit_type: str | None = None, as_of: dt.date | None = None
                    ) -> st.SearchStrategy[dict[str, Any]]:
    """Draw units whose score lies within one violation of a grade threshold: violations are added
    to a perfect unit until the score falls below the threshold, and the unit just above or just
    below it is kept."""
    names, thresholds = _directed(spec), threshold_values(spec)
    cuts = sorted({g.at_least for g in spec.grades if g.at_least is not None}
                  | {g.below for g in spec.grades if g.below is not None})

    @st.composite
    def unit(draw: st.DrawFn) -> dict[str, Any]:
        drawn = draw(_start(spec, unit_type, as_of))
        if not names or not cuts:
            return drawn
        cut = draw(st.sampled_from(cuts))
        keep_above = draw(st.booleans())
        rng = draw(st.randoms(use_true_random=False))  # the walk down is many steps: one draw, not hundreds
        choices = [(n, how) for n in names for how in ("step", "step", "step", "worst", "to")]
        score = spec.evaluate(drawn).score
        for _ in range(_BOUNDARY_STEPS):
            if score < cut:
                break
            name, how = rng.choice(choices)
            to = rng.choice(sorted(thresholds[name])) if how == "to" and thresholds.get(name) else None
            worse = worsen(spec, drawn, name, rng.randrange(12), how, to=to)
            if worse is None:
                continue
            new = spec.evaluate(worse).score
            if new < cut and keep_above:
                return drawn
            drawn, score = worse, new
        return drawn

    return unit()


def mixed_facts_for(spec: Spec, unit_type: str | None = None, as_of: dt.date | None = None
                    ) -> st.SearchStrategy[dict[str, Any]]:
    """Draw from every strategy above and the wide draw of :func:`facts_for`, so that every grade is
    reached: what ``assessrules check`` uses."""
    return st.one_of(near_perfect_for(spec, unit_type, as_of), at_boundary_for(spec, unit_type, as_of),
                     single_violation_for(spec, unit_type, as_of), facts_for(spec, unit_type, as_of))


def _corruptions(spec: Spec) -> list[tuple[str, Callable[[dict[str, Any], Any], None]]]:
    """Ways to spoil a valid unit so that the spec must reject it; each names what it does."""
    annual = [n for n, f in spec.facts.items() if f.period is None and f.type != "records"]
    required = [n for n, f in spec.facts.items() if f.period is None and f.required]
    counts = [n for n, f in spec.facts.items() if f.period is None and f.type == "count"]
    bools = [n for n, f in spec.facts.items() if f.period is None and f.type == "bool"]
    out: list[tuple[str, Callable[[dict[str, Any], Any], None]]] = [
        ("an unknown fact", lambda u, d: u["facts"].__setitem__("undeclared_fact", 1)),
        ("an unknown unit type", lambda u, d: u.__setitem__("type", "no_such_type")),
        ("a negative target value", lambda u, d: u.__setitem__("target", -1)),
        ("a target value that is not a number", lambda u, d: u.__setitem__("target", "three")),  # it may be left out
        ("an unknown key", lambda u, d: u.__setitem__("extra", True)),
        ("facts that are not a mapping", lambda u, d: u.__setitem__("facts", ["a", "list"])),
    ]
    if required:
        out.append(("a missing required fact", lambda u, d: u["facts"].pop(d.draw(st.sampled_from(required)), None)))
    if counts:
        out.append(("a negative count",
                    lambda u, d: u["facts"].__setitem__(d.draw(st.sampled_from(counts)), -d.draw(st.integers(1, 9)))))
        out.append(("a fractional count", lambda u, d: u["facts"].__setitem__(d.draw(st.sampled_from(counts)),
                                                                              Decimal("1.5"))))
        out.append(("NaN", lambda u, d: u["facts"].__setitem__(d.draw(st.sampled_from(counts)), Decimal("NaN"))))
        out.append(("infinity", lambda u, d: u["facts"].__setitem__(d.draw(st.sampled_from(counts)), float("inf"))))
    if bools:
        out.append(("text for a yes/no fact", lambda u, d: u["facts"].__setitem__(d.draw(st.sampled_from(bools)), "yes")))
    if annual:
        out.append(("a list for a value", lambda u, d: u["facts"].__setitem__(d.draw(st.sampled_from(annual)), [1])))
    if spec.period_kinds:
        out.append(("a missing period", lambda u, d: u["periods"].pop(d.draw(st.sampled_from(sorted(u["periods"]))))))
        out.append(("a period outside the year", lambda u, d: u["periods"].__setitem__(f"{(spec.year or 2021) + 1}-01", {})))
        out.append(("a misspelt period", lambda u, d: u["periods"].__setitem__("2021-3", {})))
    return out


def invalid_facts_for(spec: Spec) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """Draw ``(what was spoilt, unit)``: a valid unit with one thing wrong, which the spec must reject."""

    @st.composite
    def spoilt(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
        unit = copy.deepcopy(draw(facts_for(spec)))
        what, spoil = draw(st.sampled_from(_corruptions(spec)))
        spoil(unit, _Drawer(draw))
        return what, unit

    return spoilt()


class _Drawer:
    """Lets a corruption draw what it needs, within the one composite strategy."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw


def directed_facts(spec: Spec, direction: str) -> list[str]:
    """The facts the spec declares as ``worse`` (violations) or ``better`` (achievements)."""
    return [name for name, fact in spec.facts.items() if fact.direction == direction]


__all__ = [
    "LARGEST_TARGET",
    "VALUE_STRATEGIES",
    "at_boundary_for",
    "best_value",
    "directed_facts",
    "edge_counts",
    "facts_for",
    "invalid_facts_for",
    "mixed_facts_for",
    "near_perfect_for",
    "perfect_unit",
    "regular_records",
    "single_violation_for",
    "spec_dates",
    "spec_numbers",
    "targets",
    "threshold_values",
    "value_for",
    "worsen",
    "worst_unit",
]

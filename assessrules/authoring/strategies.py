"""Hypothesis strategies derived from a spec, for property-testing any county's rules.

>>> import assessrules
>>> from assessrules.authoring.strategies import facts_for
>>> spec = assessrules.load_spec("2021")
>>> strategy = facts_for(spec, unit_type="town")   # nothing is drawn, nothing can fail, until a test runs

The strategies lean towards the edges: counts at 0, at their maximum and
just past the point where a node is exhausted; targets with awkward decimals.
Requires the ``hypothesis`` package (``pip install 'assessrules[testing]'``).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from .. import periods
from ..engine.spec import Spec
from ..rules.facts import Fact

_MAX_COUNT = 200


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


def _records(fact: Fact, year: int) -> st.SearchStrategy[list[dict[str, Any]]]:
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

targets = st.one_of(
    st.sampled_from([Decimal(0), Decimal("0.01"), Decimal(1), Decimal(2), Decimal(3), Decimal("3.33"), Decimal(5)]),
    st.decimals(min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False),
)
"""Target values (目标分值), awkward decimals included."""


def value_for(fact: Fact, year: int = 2021) -> st.SearchStrategy[Any]:
    """A strategy for valid values of one declared fact (dates within ``year``)."""
    return VALUE_STRATEGIES[fact.type](fact, year)


def _draw_facts(draw: st.DrawFn, declared: dict[str, Fact], year: int,
                edges: dict[str, set[int]] | None = None) -> dict[str, Any]:
    out = {}
    for name, fact in declared.items():
        if fact.required or draw(st.booleans()):
            special = (edges or {}).get(name)
            strategy = _count(fact, special) if special and fact.type == "count" else value_for(fact, year)
            out[name] = draw(strategy)
    return out


def facts_for(spec: Spec, unit_type: str | None = None, as_of: dt.date | None = None
              ) -> st.SearchStrategy[dict[str, Any]]:
    """Draw valid units for ``spec``: id, name, type, target, a value (or the default) for every
    fact, and every period up to ``as_of`` (default: the spec's assessment date)."""

    edges = edge_counts(spec)

    @st.composite
    def unit(draw: st.DrawFn) -> dict[str, Any]:
        year = spec.year or 2021
        when = as_of or spec.default_as_of or dt.date(year, 12, 31)
        chosen = unit_type or draw(st.sampled_from(sorted(spec.unit_types)))
        annual = {n: f for n, f in spec.facts.items() if f.period is None}
        facts = _draw_facts(draw, annual, year, edges)
        uid = draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8))
        drawn = {"id": uid, "name": f"单位{uid}", "type": chosen, "target": draw(targets), "facts": facts}
        if spec.period_kinds:
            drawn["periods"] = {
                p.label: _draw_facts(draw, {n: f for n, f in spec.facts.items() if f.period == kind}, year)
                for kind in spec.period_kinds for p in periods.in_scope(kind, year, when)}
        return drawn

    return unit()


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
    "VALUE_STRATEGIES",
    "directed_facts",
    "edge_counts",
    "facts_for",
    "invalid_facts_for",
    "targets",
    "value_for",
]

"""Invariants of scoring that must hold for any spec, each a named check with its own examples.

An :class:`Invariant` knows how to draw examples for a spec (hypothesis
strategies from :mod:`assessrules.authoring.strategies`) and how to check one; a broken
one returns a :class:`Violation` that says, in the spec's own terms, which
indicator, which facts, what score and which line of the YAML.

:func:`check_spec` runs them all and lets hypothesis shrink each failure to a
minimal counterexample; ``assessrules check`` is a thin command over it; and
:func:`assert_invariant` lets a pytest suite check one example itself.

A violation's message and details, and each invariant's summary, are catalogue lines
(:class:`~assessrules.authoring._words.Said`, ``authoring.*``): English as text, and
:meth:`Violation.render` says them in Chinese (the default) or English.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import random
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample, Unsatisfiable

from ..engine.results import Result, canonical_json
from ..engine.spec import Spec
from ..errors import AssessRulesError, FactsError
from ..numbers import format_points
from ..rules.facts import Fact
from ._words import Said, say
from .strategies import (
    LARGEST_TARGET,
    directed_facts,
    facts_for,
    mixed_facts_for,
    perfect_unit,
    period_of,
    regular_records,
    spec_dates,
    spec_numbers,
    targets,
    threshold_values,
    worsen,
    worst_unit,
)


@attrs.frozen
class Violation:
    """A broken invariant, with its counterexample in the spec's terms."""

    invariant: str
    message: str
    details: tuple[str, ...] = ()
    example: Any = None
    after: Any = None  # the unit one violation worse, for `monotonic`
    severity: str = "error"  # or "warning": reported, but the spec may mean it

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = "zh") -> str:
        """The violation, its details and its counterexample, in ``lang`` (``zh``, the default, or ``en``)."""
        head = Said("authoring.violation_warning" if self.severity == "warning" else "authoring.violation",
                    invariant=self.invariant, message=self.message).say(lang)
        lines = [head, *(f"    {say(d, lang)}" for d in self.details)]
        if self.example is not None:  # whole, never cut: a counterexample must be reproducible
            lines.append("    " + Said("authoring.counterexample", example=_json(self.example)).say(lang))
        if self.after is not None:
            lines.append("    " + Said("authoring.one_worse", example=_json(self.after)).say(lang))
        return "\n".join(lines)

    def units(self) -> list[Any]:
        """The units of the counterexample, ready to put in a facts file (ids made distinct)."""
        if isinstance(self.example, list):
            found = [u for u in self.example if isinstance(u, dict)]
        elif isinstance(self.example, dict):
            found = [self.example]
        else:
            found = []
        if self.after is not None:
            found = [{**found[0], "id": "before"}, {**self.after, "id": "after", "name": "一项更差"}] if found else []
        return [_plain(u) for u in found]

    def facts_file(self, spec: str, how: str | None = None) -> str:
        """A facts file (YAML) with the counterexample's units, to score with ``assessrules score``.

        ``spec`` is written as its ``spec:`` as given: a bundled id, or a path relative to the folder the file
        is written in (the command line works it out); ``how`` is a comment line saying how to score it.
        """
        from ..rules.document import dump_yaml

        return (f"# {self.invariant}: {self.message}\n" + (f"# {how}\n" if how else "")
                + dump_yaml({"spec": spec, "units": self.units()}))


def _plain(value: Any) -> Any:
    """Decimals as they would be written in a facts file (2.5, not '2.5'), dates as dates."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


class InvariantError(AssertionError):
    """Raised by :func:`assert_invariant` when an example breaks an invariant."""

    def __init__(self, violation: Violation) -> None:
        self.violation = violation
        super().__init__(str(violation))


@attrs.frozen
class Invariant:
    """A property every spec must have: how to draw examples and how to check one.

    ``summary`` is a catalogue line (``authoring.inv_<name>``): English as text, ``say(summary, lang)`` in either.
    """

    name: str
    summary: str
    examples: Callable[[Spec], st.SearchStrategy[Any]]
    check: Callable[[Spec, Any], Violation | None]
    shape: str = "unit"  # one example: a "unit", a "perfect" unit, a "change" (unit, fact, period, how), "units",
    # "all" (every unit drawn) or "none" (the spec alone)


def _where(spec: Spec, node_index: int) -> Said:
    node = spec.nodes[node_index]
    return Said("authoring.where", name=node.name, id=node.id, at=spec.locate(node.path))


def _facts_of(result: Result) -> Said:
    facts = dict(result.unit.facts)
    return Said("authoring.facts", facts=json.dumps(facts, ensure_ascii=False, default=str, sort_keys=True))


# --- the checks -------------------------------------------------------------------------------


def _bounds(spec: Spec, unit: Any) -> Violation | None:
    result = spec.evaluate(unit)
    for node in spec.nodes:
        score = result.final_scores[node.index]
        if score is None:  # an indicator that does not apply, left out
            continue
        if score > node.points or (node.floor is not None and score < node.floor):
            return Violation("bounds", Said("authoring.bounds_indicator", where=_where(spec, node.index),
                                            score=format_points(score),
                                            floor=format_points(node.floor) if node.floor is not None else "-∞",
                                            points=format_points(node.points)), (_facts_of(result),), unit)
    top: Decimal | None = spec.graded_scale
    if spec.bonus is not None:
        top = None if spec.bonus.cap is None else spec.graded_scale + spec.bonus.cap * spec.graded_scale / spec.metadata.scale
    if not Decimal(0) <= result.score or (top is not None and result.score > top):
        return Violation("bounds", Said("authoring.bounds_total", score=format_points(result.score),
                                        top=format_points(top) if top is not None else "∞"),
                         (Said("authoring.bounds_total_fix", at=spec.locate(("total",))),), unit)
    return None


def _caps(spec: Spec, unit: Any) -> Violation | None:
    result = spec.evaluate(unit)
    # a multiplier (考核系数) takes the score within its points, and its product is capped by design: read
    # the score before it
    multiplied = {spec.trigger_owner[f.index]: f.points or 0 for f in result.fired if f.effect == "multiplier"}
    for node in spec.nodes:
        raw = result.raw_scores[node.index]
        if raw is None:
            continue
        raw -= multiplied.get(node.index, 0)
        awards = [t for t in node.triggers if t.kind.startswith("award") or t.kind == "score"]
        if node.children and raw > node.points:
            return Violation(
                "caps", Said("authoring.caps_children", where=_where(spec, node.index), raw=format_points(raw),
                             points=format_points(node.points), dropped=format_points(raw - node.points)),
                (Said("authoring.caps_fix"), _facts_of(result)), unit)
        for fired in result.fired:  # a rule's own `max:` (以5分为限) is what the spec states: it must hold
            cap = getattr(spec.triggers[fired.index], "maximum", None)
            if spec.trigger_owner.get(fired.index) == node.index and cap is not None and fired.points is not None \
                    and abs(fired.points) > cap:
                return Violation("caps", Said("authoring.cap_exceeded", rule=_rule(spec, fired.index),
                                              points=format_points(abs(fired.points)), cap=format_points(cap)),
                                 (_facts_of(result),), unit)
        if awards and raw > node.points and not all(
                t.kind == "award_if" or getattr(t, "maximum", None) is not None for t in awards):
            # 本项以N分为限: the points cap the awards, as documents often mean; said, with how to state it
            return Violation(
                "caps", Said("authoring.caps_awards", where=_where(spec, node.index), raw=format_points(raw),
                             points=format_points(node.points), dropped=format_points(raw - node.points)),
                (Said("authoring.caps_awards_why"), _facts_of(result)), unit, severity="warning")
    return None


def _score_range(spec: Spec, unit: Any) -> Violation | None:
    result = spec.evaluate(unit)
    for fired in result.fired:
        if fired.effect != "score" or fired.points is None:
            continue
        trigger = spec.triggers[fired.index]
        node = spec.nodes[spec.trigger_owner[fired.index]]
        low = node.floor if node.floor is not None else None
        if low is not None and fired.points < low:
            return Violation(
                "score_range", Said("authoring.score_range", expression=trigger.expressions()[0].text,
                                    where=_where(spec, node.index), score=format_points(fired.points),
                                    floor=format_points(low)),
                (Said("authoring.score_range_fix", at=spec.locate(trigger.path)), _facts_of(result)), unit)
    return None


def _grades(spec: Spec, unit: Any) -> Violation | None:
    result = spec.evaluate(unit)
    total = next(i.points for i in result.indicators if i.depth == 0)  # the unit's own, under `total.unit_points`
    containing = [g.label for g in spec.grades_for(result.score, total, result.unit.facts)]  # score, 得分率 or verdict
    if result.veto is not None:  # 一票否决 forces the grade it names
        containing = [spec.grades[spec.grade_index(spec.triggers[result.veto.index].grade)].label]  # type: ignore[attr-defined]
    given = spec.grades[result.grade_index].label  # a spec without grades: its one implicit grade (Result.grade None)
    if containing != [given]:
        return Violation("grades", Said("authoring.grades", score=format_points(result.score), grade=given,
                                        expected=containing or Said("authoring.no_grade")), (), unit)
    return None


def _deduction(spec: Spec, unit: Any) -> Violation | None:
    result = spec.evaluate(unit)
    target = result.unit.target
    if not Decimal(0) <= result.deduction <= target:
        return Violation(
            "deduction_bounds", Said("authoring.deduction_bounds", deduction=format_points(result.deduction),
                                     target=format_points(target), grade=result.grade,
                                     grade_deduction=format_points(result.grade_deduction)),
            (Said("authoring.deduction_fix", at=spec.locate(("direct_deductions",))), _facts_of(result)), unit)
    return None


def _worse_examples(spec: Spec) -> st.SearchStrategy[Any]:
    names = directed_facts(spec, "worse") + directed_facts(spec, "better")
    if not names:
        return st.nothing()
    # `how` is drawn first so that shrinking prefers one step more to a jump to the worst value
    return st.tuples(st.sampled_from(["step", "extreme"]), st.sampled_from(sorted(names)), st.integers(0, 11),
                     mixed_facts_for(spec)).map(lambda t: (t[3], t[1], t[2], t[0]))


def _rule(spec: Spec, index: int) -> Said:
    trigger = spec.triggers[index]
    return Said("authoring.rule", label=trigger.label, at=spec.locate(trigger.path))


def _moved_rules(spec: Spec, before: Result, after: Result) -> list[Said]:
    """The rules whose effect differs between two results: each with its points before and after."""
    def effects(result: Result) -> dict[int, Any]:
        out: dict[int, Any] = {}
        for index, _count, points, _periods in result.trace:
            out[index] = out.get(index, Decimal(0)) + (points if points is not None else Decimal(0)) \
                if points is not None else "fired"
        return out

    b, a = effects(before), effects(after)
    lines = []
    for index in sorted(set(b) | set(a)):
        if b.get(index) != a.get(index):
            def shown(v: Any) -> Said:
                return (Said("authoring.not_fired") if v is None else Said("authoring.fired_plain") if v == "fired"
                        else Said("authoring.points", points=format_points(v)))
            lines.append(Said("authoring.rule_moved", rule=_rule(spec, index), before=shown(b.get(index)),
                              after=shown(a.get(index))))
    return lines


def _monotonic(spec: Spec, example: Any) -> Violation | None:
    unit, name, pick, how = example
    worse = worsen(spec, unit, name, pick, how)
    if worse is None:
        return None
    before, after = spec.evaluate(unit), spec.evaluate(worse)
    fact = spec.facts[name]
    if fact.period is None:
        old, new = unit.get("facts", {}).get(name, fact.default), worse["facts"][name]
        changed = Said("authoring.changed", name=name, old=str(old), new=str(new))
    else:
        label = period_of(fact, unit, pick) or ""
        old, new = unit["periods"][label].get(name, fact.default), worse["periods"][label][name]
        changed = Said("authoring.changed_in", period=label, name=name, old=str(old), new=str(new))
    change = "authoring.one_more" if fact.type == "count" and how == "step" else "authoring.worse_value"
    what = Said(change, name=name, label=fact.label, direction=str(fact.direction))
    details = (changed, *_moved_rules(spec, before, after),
               Said("authoring.outcome_moved", score_before=format_points(before.score),
                    score_after=format_points(after.score), grade_before=before.grade, grade_after=after.grade,
                    deduction_before=format_points(before.deduction), deduction_after=format_points(after.deduction)),
               Said("authoring.never_rewarded"), Said("authoring.fact_at", at=spec.locate(("facts", name))))
    for node in sorted(spec.nodes, key=lambda n: -n.depth):
        b, a = before.final_scores[node.index], after.final_scores[node.index]
        if a is not None and b is not None and a > b:
            return Violation("monotonic", Said("authoring.raised_indicator", what=what, where=_where(spec, node.index),
                                               before=format_points(b), after=format_points(a)), details, unit, worse)
    if after.score > before.score:
        if after.veto is not None:  # 一票否决，按59分计 for a unit already below 59: a real break, named by its rule
            return Violation("monotonic", Said("authoring.veto_lifts", what=what, rule=_rule(spec, after.veto.index),
                                               before=format_points(before.score), after=format_points(after.score)),
                             (*details, Said("authoring.veto_lifts_fix")), unit, worse)
        return Violation("monotonic", Said("authoring.raised_score", what=what, before=format_points(before.score),
                                           after=format_points(after.score)), details, unit, worse)
    if after.grade_index < before.grade_index:
        return Violation("monotonic", Said("authoring.raised_grade", what=what, before=before.grade,
                                           after=after.grade), details, unit, worse)
    if after.deduction < before.deduction:
        return Violation("monotonic", Said("authoring.lowered_deduction", what=what,
                                           before=format_points(before.deduction),
                                           after=format_points(after.deduction)), details, unit, worse)
    return None


# --- a perfect unit ------------------------------------------------------------------------------


def _perfect_examples(spec: Spec) -> st.SearchStrategy[Any]:
    return st.builds(lambda t, target: perfect_unit(spec, t, target),
                     st.sampled_from(sorted(spec.unit_types)), targets)


def _perfect(spec: Spec, unit: Any) -> Violation | None:
    result = spec.evaluate(unit)
    awards = {t.index for n in spec.nodes for t in n.triggers if t.kind in ("award_if", "bonus_if", "bonus_each")}
    fired = {index for index, *_ in result.trace}
    lowering = [i for i, _c, points, _p in result.trace
                if i not in awards and (points is None or points < 0) and spec.triggers[i].kind != "score"]
    hints = (*(Said("authoring.fired_rule", rule=_rule(spec, i)) for i in dict.fromkeys(lowering)),
             *(Said("authoring.not_awarded_rule", rule=_rule(spec, t.index)) for n in spec.nodes for t in n.triggers
               if t.kind == "award_if" and t.index not in fired and result.final_scores[n.index] is not None),
             Said("authoring.perfect_fix"))
    for node in sorted(result.indicators, key=lambda n: -n.depth):  # each worth its points to this unit
        if node.score is not None and node.score < node.points:
            index = spec.indicator(node.id).index
            return Violation("perfect", Said("authoring.perfect_scores", score=format_points(node.score),
                                             points=format_points(node.points), where=_where(spec, index)),
                             hints, unit)
    top = spec.grades[0] if spec.grades else None
    if top is not None and result.grade_index != 0:
        return Violation("perfect", Said("authoring.perfect_graded", grade=result.grade, top=top.label), hints, unit)
    expected = (top.deduct * result.unit.target) if top is not None else Decimal(0)
    if result.deduction > expected:
        return Violation("perfect", Said("authoring.perfect_loses", deduction=format_points(result.deduction),
                                         target=format_points(result.unit.target)), hints, unit)
    return None


# --- every rule can fire and can not fire --------------------------------------------------------


def _compared_ids(spec: Spec) -> set[str]:
    """The unit ids the rules compare ``unit_id`` with (统筹协调 for ``unit_id == 'county_office'``), so that
    some neighbour is that unit."""
    from ..rules.expressions import Expression

    expressions = [e for t in spec.triggers for e in t.expressions()]
    expressions += [v for n in spec.nodes for v in attrs.asdict(n, recurse=False).values() if isinstance(v, Expression)]
    return {c for e in expressions if "unit_id" in e.names for c in e.constants if isinstance(c, str)}


def _neighbours(spec: Spec) -> list[dict[str, Any]]:
    """Perfect and worst units of every type, and every unit one violation away from perfect."""
    out: list[dict[str, Any]] = []
    thresholds = threshold_values(spec)
    names = sorted(directed_facts(spec, "worse") + directed_facts(spec, "better"))
    undirected = sorted(n for n, f in spec.facts.items()
                        if f.direction is None and f.type in ("count", "number", "bool", "enum"))
    named = sorted({u for n in spec.nodes for u in (n.units or ())} | _compared_ids(spec))
    dated = sorted(n for n, f in spec.facts.items() if f.period is None and f.direction is None and (
        f.type in ("date", "records")))
    for unit_type in sorted(spec.unit_types):
        perfect = perfect_unit(spec, unit_type)
        worst = worst_unit(spec, unit_type)
        out += [perfect, worst, *({**u, "id": uid} for uid in named for u in (perfect, worst))]
        for name in undirected:  # a fact without a direction (需解读的政策文件数) moves rules with the others
            for value in _some_values(spec.facts[name]):
                out += [_set(perfect, spec.facts[name], value), _set(worst, spec.facts[name], value)]
        for name in dated:  # dated records and dates, across every number and date the spec compares them with
            out += [_set(perfect, spec.facts[name], value) for value in _dated_values(spec, spec.facts[name])]
        for name in names:
            for how in ("step", "worst"):
                out.append(worsen(spec, perfect, name, 0, how) or perfect)
            for to in sorted(thresholds.get(name, ())):
                out.append(worsen(spec, perfect, name, 0, "to", to=to) or perfect)
    return out


def _some_values(fact: Fact) -> list[Any]:
    """A few values of a fact without a direction: every one of a yes/no or a choice, a few of a number."""
    if fact.type == "bool":
        return [False, True]
    if fact.type == "enum":
        return list(fact.values or ())
    if fact.type in ("count", "number"):
        values = [(fact.minimum or 0) + 1, fact.maximum if fact.maximum is not None else 1000]
        return [int(v) for v in values] if fact.type == "count" else values
    return []


def _dated_values(spec: Spec, fact: Fact) -> list[Any]:
    """Records a given number of days apart (and settled a given number of days after they came), for each
    number the spec compares with; or the dates around each date it compares with."""
    year = spec.year or 2021
    if fact.type == "date":
        return sorted(d for d in spec_dates(spec) if d.year == year) or [dt.date(year, 1, 1), dt.date(year, 12, 31)]
    values: list[Any] = [[]]
    if not any(f.type == "date" for f in (fact.fields or {}).values()):
        return values
    numbers = sorted(spec_numbers(spec) | {7})
    for n in numbers:
        values += [regular_records(fact, year, n, offset=0, as_of=spec.default_as_of),
                   regular_records(fact, year, 30, offset=n, as_of=spec.default_as_of)]
    values += [regular_records(fact, year, 30, offset=n, flag=False, as_of=spec.default_as_of) for n in numbers[:3]]
    values += [regular_records(fact, year, 30, flag=flag, as_of=spec.default_as_of, since=1) for flag in (None, False)]
    return values


def _set(unit: dict[str, Any], fact: Fact, value: Any) -> dict[str, Any]:
    """The unit with ``fact`` set to ``value`` (in its first period, for a periodic fact)."""
    if fact.period is None:
        return {**unit, "facts": {**unit["facts"], fact.name: value}}
    periods = unit.get("periods", {})
    if not periods:
        return unit
    first = sorted(periods)[0]
    return {**unit, "periods": {**periods, first: {**periods[first], fact.name: value}}}


def _coverage_examples(spec: Spec) -> st.SearchStrategy[Any]:
    return st.lists(mixed_facts_for(spec), min_size=1, max_size=10)


def _outcomes(spec: Spec, units: Sequence[Any]) -> list[Result]:
    out = []
    for unit in [*_neighbours(spec), *units]:
        try:
            out.append(spec.evaluate(unit))
        except FactsError:
            continue
    return out


def _fires(spec: Spec, units: Any) -> Violation | None:
    results = _outcomes(spec, units)
    seen: dict[int, int] = {}
    for result in results:
        for index in {i for i, *_ in result.trace}:
            seen[index] = seen.get(index, 0) + 1
    subunits = {d.name for d in spec.derived if d.kind == "subunits"}  # read from sub-units' results
    later: Violation | None = None
    for trigger in spec.triggers:
        count = seen.get(trigger.index, 0)
        reads = Said("authoring.reads", names=list(trigger.reads()) or Said("authoring.nothing"))
        if count == 0 and subunits.intersection(trigger.reads()):  # needs a batch with sub-units: units come alone
            later = later or Violation("fires", Said("authoring.never_fired", rule=_rule(spec, trigger.index),
                                                     count=len(results)),
                                       (reads, Said("authoring.subunits_alone")), severity="warning")
        elif count == 0:
            return Violation("fires", Said("authoring.never_fired", rule=_rule(spec, trigger.index),
                                           count=len(results)),
                             (reads, Said("authoring.never_fired_fix")))
        if count == len(results) and trigger.kind not in ("score", "rating", "multiplier"):  # these always apply
            return Violation("fires", Said("authoring.always_fired", rule=_rule(spec, trigger.index),
                                           count=len(results)),
                             (reads, Said("authoring.always_fired_fix")))
    return later


# --- floors ----------------------------------------------------------------------------------------


_LOWERING = ("deduct_each", "deduct_if", "deduct_records", "deduct_discretionary", "zero_if", "rating", "score")


def _floors(spec: Spec, units: Any) -> Violation | None:
    warnings: list[Violation] = []
    for node in spec.nodes:
        lowers = node.children or any(t.kind in (*_LOWERING, "veto") or t.kind.startswith("award")
                                      for t in node.triggers)
        peers = [n for n in spec.nodes if n.depth == node.depth and n.floor is not None]
        if node.floor is None and peers and any(t.kind.startswith("deduct") for t in node.triggers):
            # `floor: null` is written on purpose (该项可扣至负分), so it is said, never counted as broken
            warnings.append(Violation("floors", Said("authoring.no_floor", where=_where(spec, node.index),
                                                     peer=peers[0].name),
                                      (Said("authoring.no_floor_fix", at=spec.locate(node.path)),), severity="warning"))
        if not lowers and node.depth > 0:  # a part scored elsewhere, counted in full here, is a document's choice
            warnings.append(Violation("floors", Said("authoring.never_loses", where=_where(spec, node.index)),
                                      (Said("authoring.rule_missing"),), severity="warning"))
    results = _outcomes(spec, units)
    for node in spec.nodes:
        scores = [r.final_scores[node.index] for r in results if r.final_scores[node.index] is not None]
        if not scores or node.floor is None:
            continue
        low = min(scores)
        deducting = [t for t in node.triggers if t.kind.startswith("deduct")] if not node.children else []
        # flat deductions (扣5分) that add up to less than the points keep the floor away by the document's numbers:
        # nothing to say; a `max:` (以5分为限) or a count that never gets there may be a slip, so it is said
        flat = all(t.kind == "deduct_if" and getattr(t, "maximum", None) is None for t in deducting)
        if low > node.floor and deducting and not flat:
            warnings.append(Violation("floors", Said("authoring.floor_unreached", where=_where(spec, node.index),
                                                     low=format_points(low), count=len(scores),
                                                     floor=format_points(node.floor)),
                                      (Said("authoring.floor_unreached_fix"),), severity="warning"))
        if max(scores) < node.points:
            return Violation("floors", Said("authoring.never_full", where=_where(spec, node.index),
                                            points=format_points(node.points), best=format_points(max(scores))), ())
    return warnings[0] if warnings else None


# --- grades in order, and dead ranges --------------------------------------------------------------


def _ranked(spec: Spec) -> list[Any]:
    return sorted(spec.grades, key=lambda g: -(g.at_least if g.at_least is not None else Decimal("-Infinity")))


def _grade_order(spec: Spec, _example: Any) -> Violation | None:
    ranked = _ranked(spec)
    for better, worse in itertools.pairwise(ranked):
        if better.deduct > worse.deduct:
            return Violation("grade_order", Said("authoring.deducts_more", better=better.label,
                                                 better_percent=format_points(better.deduct * 100), worse=worse.label,
                                                 worse_percent=format_points(worse.deduct * 100)),
                             (Said("authoring.grades_at", better=better.label, better_at=spec.locate(better.path),
                                   worse=worse.label, worse_at=spec.locate(worse.path)), Said("authoring.swapped")))
    commended = [g.commend for g in ranked]
    if any(commended) and commended != sorted(commended, reverse=True):
        grade = next(g for g in ranked if g.commend)
        return Violation("grade_order", Said("authoring.commend_order", grade=grade.label),
                         (Said("authoring.commend_fix", at=spec.locate(grade.path)),))
    return None


def _dead_range(spec: Spec, _example: Any) -> Violation | None:
    for node in spec.nodes:
        room = node.points - (node.floor or Decimal(0))
        for trigger in node.triggers:
            per, points = getattr(trigger, "per", None), getattr(trigger, "points", None)
            if trigger.kind != "deduct_each" or per is None or not points or per.names != (per.text,):
                continue
            fact = spec.facts.get(per.text)
            if fact is None or fact.maximum is None:
                continue
            exhausted = Decimal(-(-Fraction(room) // Fraction(points)))  # the count that takes the last point
            # (exact: the points may be a share such as 1 / 3)
            if exhausted < fact.maximum <= 2 * exhausted:  # further beyond, `max:` is a sanity bound
                return Violation(
                    "dead_range", Said("authoring.dead_range", name=fact.name, label=fact.label,
                                       maximum=format_points(fact.maximum), where=_where(spec, node.index),
                                       exhausted=format_points(exhausted), room=format_points(room),
                                       points=format_points(points),
                                       quotient=format_points(Fraction(room) / Fraction(points)),
                                       next=format_points(exhausted + 1)),
                    (Said("authoring.dead_range_where", rule=_rule(spec, trigger.index),
                          at=spec.locate(("facts", fact.name))), Said("authoring.dead_range_fix")),
                    severity="warning")
    for trigger in spec.direct_deductions:
        points = getattr(trigger, "points", None)
        if points is not None and points >= LARGEST_TARGET:
            return Violation(
                "dead_range", Said("authoring.direct_too_big", rule=_rule(spec, trigger.index),
                                   points=format_points(points), largest=format_points(LARGEST_TARGET)),
                (Said("authoring.direct_fix"),), severity="warning")
    return None


def _static(spec: Spec) -> st.SearchStrategy[Any]:
    return st.just(None)


def _units(spec: Spec) -> st.SearchStrategy[Any]:
    return st.tuples(st.lists(facts_for(spec), min_size=1, max_size=5), st.randoms(use_true_random=False))


def _deterministic(spec: Spec, example: Any) -> Violation | None:
    from ..outputs.report import render_json

    units, rng = example
    units = [{**u, "id": f"u{i}"} for i, u in enumerate(units)]
    shuffled = units[:]
    rng.shuffle(shuffled)
    first = render_json(spec, spec.evaluate_many(units))
    if first != render_json(spec, spec.evaluate_many(shuffled)) or first != render_json(spec, spec.evaluate_many(units)):
        return Violation("deterministic", Said("authoring.deterministic"), (), units)
    return None


def _receipts(spec: Spec, unit: Any) -> Violation | None:
    reordered = {**unit, "facts": dict(reversed(list(unit.get("facts", {}).items())))}
    a, b = spec.evaluate(unit), spec.evaluate(reordered)
    if a.receipt != b.receipt or len(a.receipt.facts_sha256) != 64:
        return Violation("receipts", Said("authoring.receipts"), (), unit)
    return None


def _round_trip(spec: Spec, unit: Any) -> Violation | None:
    data = spec.evaluate(unit).to_dict()
    text = canonical_json(data)
    if json.loads(text) != data:
        return Violation("json_round_trip", Said("authoring.json_round_trip"), (), unit)
    return None


INVARIANTS: tuple[Invariant, ...] = (
    Invariant("perfect", Said("authoring.inv_perfect"), _perfect_examples, _perfect, "perfect"),
    Invariant("fires", Said("authoring.inv_fires"), _coverage_examples, _fires, "all"),
    Invariant("floors", Said("authoring.inv_floors"), _coverage_examples, _floors, "all"),
    Invariant("grade_order", Said("authoring.inv_grade_order"), _static, _grade_order, "none"),
    Invariant("dead_range", Said("authoring.inv_dead_range"), _static, _dead_range, "none"),
    Invariant("bounds", Said("authoring.inv_bounds"), mixed_facts_for, _bounds),
    Invariant("caps", Said("authoring.inv_caps"), mixed_facts_for, _caps),
    Invariant("score_range", Said("authoring.inv_score_range"), mixed_facts_for, _score_range),
    Invariant("monotonic", Said("authoring.inv_monotonic"), _worse_examples, _monotonic, "change"),
    Invariant("grades", Said("authoring.inv_grades"), mixed_facts_for, _grades),
    Invariant("deduction_bounds", Said("authoring.inv_deduction_bounds"), mixed_facts_for, _deduction),
    Invariant("deterministic", Said("authoring.inv_deterministic"), _units, _deterministic, "units"),
    Invariant("receipts", Said("authoring.inv_receipts"), mixed_facts_for, _receipts),
    Invariant("json_round_trip", Said("authoring.inv_json_round_trip"), mixed_facts_for, _round_trip),
)
"""Every invariant, by name, in the order they are checked."""


def invariant(name: str) -> Invariant:
    """The invariant called ``name``."""
    for inv in INVARIANTS:
        if inv.name == name:
            return inv
    raise KeyError(name)


def assert_invariant(spec: Spec, name: str, example: Any) -> None:
    """Check one example against one invariant; raise :class:`InvariantError` if it breaks.

    Use it inside your own hypothesis test::

        @given(unit=facts_for(spec))
        def test_bounds(unit):
            assert_invariant(spec, "bounds", unit)
    """
    violation = invariant(name).check(spec, example)
    if violation is not None:
        raise InvariantError(violation)


def _safe(check: Callable[[Spec, Any], Violation | None], spec: Spec, name: str, errors_only: bool = False
          ) -> Callable[[Any], bool]:
    def broken(example: Any) -> bool:
        try:
            found = check(spec, example)
            return found is not None and not (errors_only and found.severity == "warning")
        except FactsError:
            return False  # the strategy drew facts the spec rejects: not this invariant's concern
        except AssessRulesError:
            return True  # a valid unit that cannot be scored is itself a broken rule
    return broken


def _pool(spec: Spec, size: int, seed: float) -> list[Any]:
    """``size`` units drawn from :func:`mixed_facts_for`, and the neighbours of the perfect unit."""
    drawn: list[Any] = []

    def keep(unit: Any) -> bool:
        drawn.append(unit)
        return False

    config = settings(max_examples=size, database=None, deadline=None, derandomize=False,
                      suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    with contextlib.suppress(NoSuchExample, Unsatisfiable):
        find(mixed_facts_for(spec), keep, settings=config, random=random.Random(seed))
    return [*_neighbours(spec), *drawn]


def _candidates(inv: Invariant, spec: Spec, pool: list[Any], rng: random.Random) -> Iterator[Any]:
    """The pool's units in the shape of the invariant's examples."""
    if inv.shape == "unit":
        yield from pool
    elif inv.shape == "perfect":
        yield from (perfect_unit(spec, t, target) for t in sorted(spec.unit_types) for target in (0, 3))
    elif inv.shape == "change":
        names = sorted(directed_facts(spec, "worse") + directed_facts(spec, "better"))
        for unit in pool:
            for _ in range(min(8, len(names))):
                yield unit, rng.choice(names), rng.randrange(12), rng.choice(["step", "extreme"])
    elif inv.shape == "units":
        for start in range(0, min(len(pool), 25), 5):
            yield pool[start:start + 5], random.Random(rng.random())
    elif inv.shape == "all":
        yield pool
    else:
        yield None


def check_spec(spec: Spec, examples: int = 100, seed: int | None = None,
               progress: Callable[[str, str], None] | None = None, *,
               only: Sequence[str] | None = None, thorough: bool = False) -> list[Violation]:
    """Check every invariant; return the broken ones, each shrunk to a minimal example where hypothesis can.

    ``examples`` units are drawn once from :func:`~assessrules.authoring.strategies.mixed_facts_for`
    (near-perfect, at a grade boundary, one violation from perfect, and the wide draw) and every
    invariant is checked on them, with the neighbours of the perfect unit; a broken one is then
    searched again and shrunk by hypothesis. ``thorough`` draws five times as many units and lets
    hypothesis search each invariant on its own as well. ``progress(name, state)`` is called with
    state ``"running"``, ``"ok"``, ``"warning"`` or ``"broken"``.
    """
    rng = random.Random(seed)
    config = settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                      suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
    chosen = [inv for inv in INVARIANTS if not only or inv.name in only]
    pool = _pool(spec, examples * (5 if thorough else 1), rng.random()) \
        if any(inv.shape != "none" for inv in chosen) else []
    found: list[Violation] = []
    for inv in chosen:
        if progress:
            progress(inv.name, "running")
        seed_of_search, seed_of_candidates = rng.random(), rng.random()
        # a broken example first, so that a warning never hides a failure; a warning only when nothing is broken
        for broken in (_safe(inv.check, spec, inv.name, errors_only=True), _safe(inv.check, spec, inv.name)):
            example = next((c for c in _candidates(inv, spec, pool, random.Random(seed_of_candidates)) if broken(c)),
                           _NONE)
            if example is not _NONE:
                break
        if inv.shape in ("unit", "change", "units", "perfect") and (example is not _NONE or thorough):
            with contextlib.suppress(NoSuchExample, Unsatisfiable):  # search again with hypothesis, which shrinks
                example = find(inv.examples(spec), broken, settings=config, random=random.Random(seed_of_search))
        if inv.shape == "change" and example is not _NONE:
            example = _to_the_edge(spec, example, broken)
        if example is _NONE:
            if progress:
                progress(inv.name, "ok")
            continue
        try:
            violation = inv.check(spec, example)
        except AssessRulesError as exc:
            violation = Violation(inv.name, Said("authoring.unscorable", problems=list(exc.problems)), (), example)
        if violation is not None:
            found.append(violation)
        if progress:
            progress(inv.name, "warning" if violation is not None and violation.severity == "warning" else "broken")
    return found


_NONE = object()


def _to_the_edge(spec: Spec, example: Any, broken: Callable[[Any], bool]) -> Any:
    """A jump to the worst value that breaks monotonicity, as the single step at which it breaks."""
    unit, name, pick, how = example
    if how == "step":
        return example
    for _ in range(1000):
        if broken((unit, name, pick, "step")):
            return unit, name, pick, "step"
        unit = worsen(spec, unit, name, pick, "step")
        if unit is None:
            break
    return example


__all__ = ["INVARIANTS", "Invariant", "InvariantError", "Violation", "assert_invariant", "check_spec", "invariant",
           "worsen"]

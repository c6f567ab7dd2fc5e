"""Invariants of scoring that must hold for any spec, each a named check with its own examples.

An :class:`Invariant` knows how to draw examples for a spec (hypothesis
strategies from :mod:`assessrules.authoring.strategies`) and how to check one; a broken
one returns a :class:`Violation` that says, in the spec's own terms, which
indicator, which facts, what score and which line of the YAML.

:func:`check_spec` runs them all and lets hypothesis shrink each failure to a
minimal counterexample; ``assessrules check`` is a thin command over it; and
:func:`assert_invariant` lets a pytest suite check one example itself.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample, Unsatisfiable

from ..engine.results import Result, canonical_json
from ..engine.spec import Spec
from ..errors import AssessRulesError, FactsError
from ..numbers import format_points
from .strategies import directed_facts, facts_for


@attrs.frozen
class Violation:
    """A broken invariant, with its counterexample in the spec's terms."""

    invariant: str
    message: str
    details: tuple[str, ...] = ()
    example: Any = None

    def __str__(self) -> str:
        lines = [f"{self.invariant}: {self.message}", *(f"    {d}" for d in self.details)]
        if self.example is not None:
            text = json.dumps(self.example, ensure_ascii=False, default=str, sort_keys=True)
            lines.append(f"    counterexample: {text if len(text) < 2000 else text[:2000] + ' …'}")
        return "\n".join(lines)


class InvariantError(AssertionError):
    """Raised by :func:`assert_invariant` when an example breaks an invariant."""

    def __init__(self, violation: Violation) -> None:
        self.violation = violation
        super().__init__(str(violation))


@attrs.frozen
class Invariant:
    """A property every spec must have: how to draw examples and how to check one."""

    name: str
    summary: str
    examples: Callable[[Spec], st.SearchStrategy[Any]]
    check: Callable[[Spec, Any], Violation | None]


def _where(spec: Spec, node_index: int) -> str:
    node = spec.nodes[node_index]
    return f"指标「{node.name}」({node.id}, {spec.locate(node.path)})"


def _facts_of(result: Result) -> str:
    facts = dict(result.unit.facts)
    return json.dumps(facts, ensure_ascii=False, default=str, sort_keys=True)


# --- the checks -------------------------------------------------------------------------------


def _bounds(spec: Spec, unit: Any) -> Violation | None:
    result = spec.evaluate(unit)
    for node in spec.nodes:
        score = result.final_scores[node.index]
        if score is None:  # an indicator that does not apply, left out
            continue
        if score > node.points or (node.floor is not None and score < node.floor):
            return Violation("bounds", f"{_where(spec, node.index)} scored {format_points(score)}, outside "
                             f"[{format_points(node.floor) if node.floor is not None else '-∞'}, "
                             f"{format_points(node.points)}]", (f"facts: {_facts_of(result)}",), unit)
    top: Decimal | None = spec.graded_scale
    if spec.bonus is not None:
        top = None if spec.bonus.cap is None else spec.graded_scale + spec.bonus.cap * spec.graded_scale / spec.metadata.scale
    if not Decimal(0) <= result.score or (top is not None and result.score > top):
        return Violation("bounds", f"the final score {format_points(result.score)} is outside "
                         f"[0, {format_points(top) if top is not None else '∞'}]",
                         (f"at {spec.locate(('total',))}: give the total a floor, or remove `floor: null`",), unit)
    return None


def _caps(spec: Spec, unit: Any) -> Violation | None:
    result = spec.evaluate(unit)
    for node in spec.nodes:
        raw = result.raw_scores[node.index]
        if raw is None:
            continue
        gaining = node.children or any(t.kind in ("award_if", "score") for t in node.triggers)
        if gaining and raw > node.points:
            what = "its children" if node.children else "its awards or score expression"
            return Violation(
                "caps", f"{_where(spec, node.index)}: {what} give {format_points(raw)}, more than its "
                f"{format_points(node.points)} points; the cap silently drops {format_points(raw - node.points)}",
                ("make the parts add up to the points, or bound the expression with min(…)",
                 f"facts: {_facts_of(result)}"), unit)
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
                "score_range", f"the score expression `{trigger.expressions()[0].text}` of {_where(spec, node.index)} "
                f"gives {format_points(fired.points)}, below {format_points(low)}",
                (f"at {spec.locate(trigger.path)}: bound it, e.g. max(…, 0)", f"facts: {_facts_of(result)}"), unit)
    return None


def _grades(spec: Spec, unit: Any) -> Violation | None:
    result = spec.evaluate(unit)
    containing = [g.label for g in spec.grades if g.contains(result.score)]
    if result.veto is not None:  # 一票否决 forces the grade it names
        containing = [spec.grades[spec.grade_index(spec.triggers[result.veto.index].grade)].label]  # type: ignore[attr-defined]
    if containing != [result.grade]:
        return Violation("grades", f"the score {format_points(result.score)} is graded {result.grade}, but the "
                         f"thresholds give {'、'.join(containing) or 'no grade'}", (), unit)
    return None


def _deduction(spec: Spec, unit: Any) -> Violation | None:
    result = spec.evaluate(unit)
    target = result.unit.target
    if not Decimal(0) <= result.deduction <= target:
        return Violation(
            "deduction_bounds", f"the deduction {format_points(result.deduction)} is outside [0, the target value "
            f"{format_points(target)}] (grade {result.grade}: {format_points(result.grade_deduction)})",
            (f"at {spec.locate(('direct_deductions',))}: the document says 扣完为止 — remove `limit_to_target: false`",
             f"facts: {_facts_of(result)}"), unit)
    return None


def _worse_examples(spec: Spec) -> st.SearchStrategy[Any]:
    names = directed_facts(spec, "worse") + directed_facts(spec, "better")
    if not names:
        return st.nothing()
    return st.tuples(facts_for(spec), st.sampled_from(sorted(names)), st.integers(0, 11),
                     st.sampled_from(["step", "extreme"]))


def worsen(spec: Spec, unit: dict[str, Any], name: str, pick: int = 0, how: str = "step") -> dict[str, Any] | None:
    """The unit with one more violation of the directed fact ``name`` (in the ``pick``-th period), or None.

    ``how`` is ``"step"`` (one more, or 0.01 worse for a ratio) or ``"extreme"`` (the worst value allowed).
    """
    fact = spec.facts[name]
    if fact.period is None:
        values, place = unit.get("facts", {}), None
    else:
        labels = sorted(unit.get("periods", {}))
        if not labels:
            return None
        place = labels[pick % len(labels)]
        values = unit["periods"][place]
    value = values.get(name, fact.default)
    if fact.type == "bool":
        new: Any = fact.direction == "worse"
        if value is new:
            return None
    elif fact.type in ("count", "number", "ratio"):
        low = fact.minimum if fact.minimum is not None else 0
        high = fact.maximum if fact.maximum is not None else (1 if fact.type == "ratio" else None)
        worse = fact.direction == "worse"
        current = Decimal(value) if not isinstance(value, str) else fact.normalize(value)
        if how == "extreme":
            if worse and high is None:
                return None
            new = high if worse else low
        else:
            step = Decimal("0.01") if fact.type == "ratio" else 1
            new = current + (step if worse else -step)
        if new < low or (high is not None and new > high) or new == current:
            return None
        if fact.type == "count":
            new = int(new)
    else:
        return None
    changed = {**values, name: new}
    if place is None:
        return {**unit, "facts": changed}
    return {**unit, "periods": {**unit["periods"], place: changed}}


def _monotonic(spec: Spec, example: Any) -> Violation | None:
    unit, name, pick, how = example
    worse = worsen(spec, unit, name, pick, how)
    if worse is None:
        return None
    before, after = spec.evaluate(unit), spec.evaluate(worse)
    fact = spec.facts[name]
    if fact.period is None:
        where, old, new = "", unit.get("facts", {}).get(name, fact.default), worse["facts"][name]
    else:
        label = sorted(unit["periods"])[pick % len(unit["periods"])]
        where, old, new = f"in {label} ", unit["periods"][label].get(name, fact.default), worse["periods"][label][name]
    changed = f"changed: {where}{name} {old} → {new}"
    change = "one more" if fact.type == "count" and how == "step" else "a worse value of"
    for node in sorted(spec.nodes, key=lambda n: -n.depth):
        b, a = before.final_scores[node.index], after.final_scores[node.index]
        if a is not None and b is not None and a > b:
            return Violation(
                "monotonic", f"{change} `{name}` ({fact.label}, declared `direction: {fact.direction}`) raised "
                f"{_where(spec, node.index)} from {format_points(b)} to {format_points(a)}",
                (changed, "a violation must never be rewarded: check the sign of the rule, or the fact's direction",
                 f"the fact is declared at {spec.locate(('facts', name))}"), unit)
    if after.deduction < before.deduction:
        return Violation("monotonic", f"{change} `{name}` ({fact.label}) lowered the deduction from "
                         f"{format_points(before.deduction)} to {format_points(after.deduction)}", (changed,), unit)
    return None


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
        return Violation("deterministic", "the same units gave different results in another order or another run",
                         (), units)
    return None


def _receipts(spec: Spec, unit: Any) -> Violation | None:
    reordered = {**unit, "facts": dict(reversed(list(unit.get("facts", {}).items())))}
    a, b = spec.evaluate(unit), spec.evaluate(reordered)
    if a.receipt != b.receipt or len(a.receipt.facts_sha256) != 64:
        return Violation("receipts", "the same facts, written in another order, gave another receipt", (), unit)
    return None


def _round_trip(spec: Spec, unit: Any) -> Violation | None:
    data = spec.evaluate(unit).to_dict()
    text = canonical_json(data)
    if json.loads(text) != data:
        return Violation("json_round_trip", "the result does not survive a trip through JSON", (), unit)
    return None


INVARIANTS: tuple[Invariant, ...] = (
    Invariant("bounds", "every indicator scores within its floor and its points; the total within 0 and the scale",
              facts_for, _bounds),
    Invariant("caps", "awards, children and score expressions never exceed an indicator's points "
              "(else the cap silently drops points)", facts_for, _caps),
    Invariant("score_range", "a score expression never gives less than its indicator's floor", facts_for, _score_range),
    Invariant("monotonic", "one more violation (a `direction: worse` fact growing, a `better` one shrinking) "
              "never raises any score nor lowers the deduction", _worse_examples, _monotonic),
    Invariant("grades", "the grade is the one whose thresholds contain the score", facts_for, _grades),
    Invariant("deduction_bounds", "0 ≤ deduction ≤ the unit's target value", facts_for, _deduction),
    Invariant("deterministic", "the same units give byte-identical results, whatever their order", _units,
              _deterministic),
    Invariant("receipts", "the same facts give the same receipt", facts_for, _receipts),
    Invariant("json_round_trip", "results are plain JSON and survive a round trip", facts_for, _round_trip),
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


def _safe(check: Callable[[Spec, Any], Violation | None], spec: Spec, name: str) -> Callable[[Any], bool]:
    def broken(example: Any) -> bool:
        try:
            return check(spec, example) is not None
        except FactsError:
            return False  # the strategy drew facts the spec rejects: not this invariant's concern
        except AssessRulesError:
            return True  # a valid unit that cannot be scored is itself a broken rule
    return broken


def check_spec(spec: Spec, examples: int = 200, seed: int | None = None,
               progress: Callable[[str, str], None] | None = None,
               only: Sequence[str] | None = None) -> list[Violation]:
    """Check every invariant on ``examples`` drawn units; return the broken ones, each shrunk to a minimal example.

    ``progress(name, state)`` is called with state ``"running"``, ``"ok"`` or ``"broken"``.
    """
    rng = random.Random(seed)
    config = settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                      suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
    found: list[Violation] = []
    for inv in INVARIANTS:
        if only and inv.name not in only:
            continue
        if progress:
            progress(inv.name, "running")
        broken = _safe(inv.check, spec, inv.name)
        try:
            example = find(inv.examples(spec), broken, settings=config, random=random.Random(rng.random()))
        except (NoSuchExample, Unsatisfiable):
            if progress:
                progress(inv.name, "ok")
            continue
        try:
            violation = inv.check(spec, example)
        except AssessRulesError as exc:
            violation = Violation(inv.name, f"a valid unit could not be scored: {exc}", (), example)
        if violation is not None:
            found.append(violation)
        if progress:
            progress(inv.name, "broken")
    return found


__all__ = ["INVARIANTS", "Invariant", "InvariantError", "Violation", "assert_invariant", "check_spec", "invariant",
           "worsen"]

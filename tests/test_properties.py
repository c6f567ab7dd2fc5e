"""Invariants of scoring, checked by hypothesis on the 2021 spec and on a spec using every kind."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import assessrules
from assessrules import periods
from assessrules.authoring.strategies import directed_facts, facts_for
from assessrules.engine.spec import Spec
from assessrules.outputs.report import render_json

SPECS = {"2021": assessrules.load_spec("2021"),
         "mixed": assessrules.load_spec(Path(__file__).parent / "specs" / "mixed.yaml"),
         **{p.stem: assessrules.load_spec(p) for p in sorted((Path(__file__).parent / "specs" / "shapes").glob("*.yaml"))
            if not p.name.endswith(".tests.yaml")}}


on_each_spec = pytest.mark.parametrize("spec", list(SPECS.values()), ids=list(SPECS))


@on_each_spec
@given(data=st.data())
def test_every_node_stays_within_its_floor_and_cap(spec: Spec, data: st.DataObject) -> None:
    """Each indicator scores between its floor and its points; the total between 0 and the scale."""
    result = spec.evaluate(data.draw(facts_for(spec)))
    for node, indicator in zip(spec.nodes, result.indicators, strict=True):
        if indicator.score is None:
            assert not indicator.applicable
            continue
        assert indicator.score <= node.points
        if node.floor is not None:
            assert indicator.score >= node.floor
    assert Decimal(0) <= result.score
    if spec.bonus is None or spec.bonus.cap is not None:  # without a cap every bonus item counts
        bonus = spec.bonus.cap * spec.graded_scale / spec.metadata.scale if spec.bonus and spec.bonus.cap else 0
        assert result.score <= spec.graded_scale + bonus


def _worsen(spec: Spec, facts: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The same facts with one more violation of ``name``, or None if it cannot grow."""
    fact = spec.facts[name]
    if fact.type not in ("bool", "count", "number", "ratio"):
        return None
    value = facts.get(name, fact.default)
    if fact.type == "bool":
        bad = fact.direction == "worse"
        return None if value is bad else {**facts, name: bad}
    size = Decimal("0.01") if fact.type == "ratio" else 1
    new = value + (size if fact.direction == "worse" else -size)
    low = fact.minimum if fact.minimum is not None else 0
    high = fact.maximum if fact.maximum is not None else (1 if fact.type == "ratio" else None)
    if (high is not None and new > high) or new < low:
        return None
    return {**facts, name: new}


@on_each_spec
@given(data=st.data())
def test_one_more_violation_never_raises_any_score(spec: Spec, data: st.DataObject) -> None:
    """Growing a `worse` fact, or shrinking a `better` one, lowers or keeps every node and the total."""
    unit = data.draw(facts_for(spec))
    names = directed_facts(spec, "worse") + directed_facts(spec, "better")
    if not names:  # a spec of dates and records only (date_rules, gap_counts): no fact has a direction to grow in
        return
    name = data.draw(st.sampled_from(names))
    if spec.facts[name].period is None:
        worse = _worsen(spec, unit["facts"], name)
        changed = None if worse is None else {**unit, "facts": worse}
    else:
        kind = spec.facts[name].period  # a label of the kind the fact is recorded per
        label = data.draw(st.sampled_from(sorted(p for p in unit["periods"] if periods.parse(p).kind == kind)))
        worse = _worsen(spec, unit["periods"][label], name)
        changed = None if worse is None else {**unit, "periods": {**unit["periods"], label: worse}}
    if changed is None:
        return
    before = spec.evaluate(unit)
    after = spec.evaluate(changed)
    for b, a in zip(before.indicators, after.indicators, strict=True):
        if a.score is not None and b.score is not None:
            assert a.score <= b.score, (name, b.name)
    assert after.score <= before.score
    assert after.deduction >= before.deduction


@on_each_spec
@given(data=st.data())
def test_the_grade_always_matches_the_thresholds(spec: Spec, data: st.DataObject) -> None:
    """Exactly one grade contains the score, and it is the one given."""
    result = spec.evaluate(data.draw(facts_for(spec)))
    total = next(i.points for i in result.indicators if i.depth == 0)  # the unit's own, under `total.unit_points`
    containing = [g.label for g in spec.grades_for(result.score, total, result.unit.facts)]
    if result.veto is not None:
        containing = [spec.grades[spec.grade_index(spec.triggers[result.veto.index].grade)].label]  # type: ignore[attr-defined]
    assert containing == [spec.grades[result.grade_index].label]  # without grades, the one implicit grade
    assert result.grade == (containing[0] if spec.graded else None)


@on_each_spec
@given(data=st.data())
def test_the_deduction_is_never_negative_nor_above_the_target(spec: Spec, data: st.DataObject) -> None:
    """0 ≤ deduction ≤ target value (扣完为止), and at least the grade's share."""
    result = spec.evaluate(data.draw(facts_for(spec)))
    target = result.unit.target
    assert Decimal(0) <= result.deduction <= target
    assert result.deduction >= min(result.grade_deduction, target)


@on_each_spec
@given(units=st.lists(st.data(), min_size=1, max_size=6), seed=st.integers(0, 2**32))
def test_scoring_is_deterministic_and_independent_of_unit_order(spec: Spec, units: list[st.DataObject],
                                                                 seed: int) -> None:
    """The same units in another order give byte-identical JSON."""
    drawn = [{**d.draw(facts_for(spec)), "id": f"u{i}"} for i, d in enumerate(units)]
    shuffled = drawn[:]
    random.Random(seed).shuffle(shuffled)
    first = render_json(spec, spec.evaluate_many(drawn))
    second = render_json(spec, spec.evaluate_many(shuffled))
    assert first == second


@on_each_spec
@given(data=st.data())
def test_results_round_trip_through_json_and_receipts_are_stable(spec: Spec, data: st.DataObject) -> None:
    """to_dict is plain JSON; scoring the same facts twice gives the same receipt."""
    unit = data.draw(facts_for(spec))
    first, second = spec.evaluate(unit), spec.evaluate(unit)
    as_dict = first.to_dict()
    assert json.loads(json.dumps(as_dict, ensure_ascii=False)) == as_dict
    assert as_dict == second.to_dict()
    assert first.receipt == second.receipt
    assert Decimal(as_dict["score"]) == first.score


def test_receipts_tell_different_facts_apart(spec2021: Spec) -> None:
    """Changing one fact changes the facts hash; the spec hash stays."""
    from .helpers import make_unit

    a = spec2021.evaluate(make_unit(late_disclosures=1)).receipt
    b = spec2021.evaluate(make_unit(late_disclosures=2)).receipt
    assert a.spec_sha256 == b.spec_sha256
    assert a.facts_sha256 != b.facts_sha256
    assert a.library_version == assessrules.__version__


@on_each_spec
@given(units=st.lists(st.data(), min_size=1, max_size=4))
def test_scoring_without_a_trace_gives_the_same_results(spec: Spec, units: list[st.DataObject]) -> None:
    """evaluate_many(explain=False) is only faster: its results, explanations included, are the same."""
    drawn = [{**d.draw(facts_for(spec)), "id": f"u{i}"} for i, d in enumerate(units)]
    traced = spec.evaluate_many(drawn)
    quick = spec.evaluate_many(drawn, explain=False)
    assert [r.to_dict() for r in quick] == [r.to_dict() for r in traced]
    assert [r.explain() for r in quick] == [r.explain() for r in traced]

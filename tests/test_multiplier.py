"""A per-unit multiplier (考核系数, issue 14 item 4): `multiplier:` on an indicator or on `total:`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import assessrules
from assessrules import spec_from_text
from assessrules._resources import load_schema
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.errors import EvaluationError, SpecError

MULTIPLIER = Path(__file__).parent / "specs" / "shapes" / "multiplier.yaml"
RESULT_SCHEMA = jsonschema.Draft202012Validator(load_schema("result-1.schema.json"))
D = Decimal


def load(*changes: tuple[str, str]) -> assessrules.Spec:
    text = MULTIPLIER.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return spec_from_text(text, str(MULTIPLIER))


def unit(uid: str = "u", **facts: Any) -> dict[str, Any]:
    return {"id": uid, "type": "department", "target": 1, "facts": facts}


def scores(result: assessrules.Result) -> dict[str, Decimal | None]:
    return {i.id: i.score for i in result.indicators}


def test_the_hand_worked_multiplier_scenarios_pass() -> None:
    """Every case of multiplier.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(MULTIPLIER)
    outcomes = run_cases(spec, load_cases(spec, MULTIPLIER.with_name("multiplier.tests.yaml")))
    assert len(outcomes) == 5
    assert [o.differences for o in outcomes if not o.passed] == []


def test_a_factor_above_one_is_held_to_the_parts_points() -> None:
    """54 × 1.2 = 64.8 on a 60-point part scores 60, reported as capped; the raw score is the product."""
    result = assessrules.load_spec(MULTIPLIER).evaluate(unit(task_errors=3, difficulty=D("1.2")))
    tasks = next(i for i in result.indicators if i.id == "tasks")
    assert (tasks.raw, tasks.score, tasks.capped, tasks.floored) == (D("64.8"), D(60), True, False)


def test_the_account_shows_the_factor_where_it_came_from_and_the_cap() -> None:
    """The part's line names the factor, the fact it read and the clause; the cap follows it."""
    account = assessrules.load_spec(MULTIPLIER).evaluate(
        unit(task_errors=3, difficulty=D("1.2"), routine_errors=1, coefficient=D("0.9"))).explain()
    assert "+10.8  任务难度系数：本项得分 54 × 1.2 = 64.8" in account
    assert "事实：difficulty（重点工作难度系数） = 1.2" in account
    assert "依据：重点工作得分乘以难度系数，不超过本项分值" in account
    assert "不超过分值：64.8 计为 60" in account
    assert "−9.6  部门考核系数：总分 96 × 0.9 = 86.4" in account


def test_the_result_records_the_factor_and_the_change_it_made() -> None:
    """to_dict: the multiplier is a fired rule whose count is the factor and whose points are the change."""
    spec = assessrules.load_spec(MULTIPLIER)
    data = spec.evaluate(unit(task_errors=10, difficulty=D("0.8"), coefficient=D("1.1"))).to_dict()
    RESULT_SCHEMA.validate(data)
    tasks = next(i for i in data["indicators"] if i["id"] == "tasks")
    [factor] = [f for f in tasks["fired"] if f["effect"] == "multiplier"]
    assert (factor["kind"], factor["label"], factor["count"], factor["points"], factor["facts"]) == (
        "multiplier", "任务难度系数", "0.8", "-8", {"difficulty": "0.8"})
    total = data["indicators"][0]
    assert [(f["count"], f["points"]) for f in total["fired"]] == [("1.1", "7.2")]
    assert data["score"] == "79.2"


def test_the_batch_scorer_multiplies_too() -> None:
    """evaluate_many (the untraced scorer) gives the same scores, and the same account, as evaluate."""
    spec = assessrules.load_spec(MULTIPLIER)
    units = [unit("a", task_errors=3, difficulty=D("1.2"), coefficient=D("0.9")), unit("b", coefficient=D("1.1"))]
    many = spec.evaluate_many(units)
    assert [r.score for r in many] == [spec.evaluate(u).score for u in units] == [D("90"), D(100)]
    assert many[0].explain() == spec.evaluate(units[0]).explain()


def test_the_score_is_bounded_before_and_after_the_factor() -> None:
    """With a floor of −10: 60 − 25 × 3 = −15 is floored to −10 first; × 1.2 = −12 is held to −10, × 0.8 is −8."""
    spec = load(("    name: 重点工作\n", "    name: 重点工作\n    floor: -10\n"),
                ("per: task_errors, points: 2", "per: task_errors, points: 3"))
    high = spec.evaluate(unit(task_errors=25, difficulty=D("1.2")))
    low = spec.evaluate(unit(task_errors=25, difficulty=D("0.8")))
    assert (scores(high)["tasks"], scores(low)["tasks"]) == (D(-10), D(-8))
    assert (high.score, low.score) == (D(30), D(32))


def test_under_a_floor_of_0_the_account_shows_where_deductions_stopped() -> None:
    """60 − 25 × 3 = −15, × 1.2 = −18, floored to 0: the account says 扣完为止 as for any part."""
    spec = load(("per: task_errors, points: 2", "per: task_errors, points: 3"))
    result = spec.evaluate(unit(task_errors=25, difficulty=D("1.2")))
    assert scores(result)["tasks"] == D(0)
    account = result.explain()
    assert "−3  任务难度系数：本项得分 -15 × 1.2 = -18" in account and "扣完为止：-18 计为 0" in account


def test_a_negative_factor_for_a_unit_is_an_error_naming_the_unit() -> None:
    """A fact that allows −0.5 is refused when a unit gives it, at the multiplier's `factor:`."""
    spec = load(("min: 0.8, max: 1.2", "min: -1, max: 1.2"))
    with pytest.raises(EvaluationError) as caught:
        spec.evaluate(unit("dept-x", difficulty=D("-0.5")))
    [problem] = caught.value.problems
    assert problem.unit == "dept-x"
    assert "the factor of 「任务难度系数」 on 「重点工作」 is -0.5; a multiplier cannot be negative" in problem.message
    assert problem.path == ("indicators", 0, "multiplier", "factor")


@pytest.mark.parametrize(("factor", "message"), [
    ("factor: 0.5 - 1", "multiplies the score by -0.5; a multiplier cannot be negative"),
    ("factor: -0.5", "multiplies the score by -0.5; a multiplier cannot be negative"),
])
def test_a_negative_constant_factor_is_refused_at_load(factor: str, message: str) -> None:
    """A factor the spec fixes is checked before any unit: negative is refused at its line."""
    with pytest.raises(SpecError) as caught:
        load(("factor: difficulty", factor))
    [problem] = caught.value.problems
    assert message in problem.message and problem.line == 21


def test_a_factor_that_reads_an_undeclared_fact_is_refused_with_a_suggestion() -> None:
    """The factor is an expression checked at load like any other: a misspelt fact gets a did-you-mean."""
    with pytest.raises(SpecError) as caught:
        load(("factor: difficulty", "factor: dificulty"))
    assert any("difficulty" in (p.hint or "") for p in caught.value.problems)


def test_a_factor_that_need_not_terminate_needs_rounding() -> None:
    """`difficulty / 3` can give a quotient with no exact decimal: refused without `rounding:`, exact with it."""
    with pytest.raises(SpecError) as caught:
        load(("factor: difficulty", "factor: difficulty / 3"))
    assert any("divides in `difficulty / 3`" in p.message for p in caught.value.problems)
    spec = load(("factor: difficulty", "factor: difficulty / 3"),
                ("grades:", "rounding: {places: 2, mode: half_up}\ngrades:"))
    result = spec.evaluate(unit(task_errors=1))  # 58 × 1/3 = 19.333…; 19.333… + 40 = 59.333… → 59.33
    assert (scores(result)["tasks"], result.score) == (D("19.33"), D("59.33"))


def test_a_multiplier_on_the_total_comes_before_the_bonus() -> None:
    """The table's total is multiplied (96 × 0.9 = 86.4); a bonus is added after it, untouched: 86.4 + 2."""
    spec = load(("grades:", "bonus:\n  items: [{label: 获表彰, if: coefficient > 1, points: 2}]\ngrades:"),
                ("max: 1.1, direction: better}", "max: 1.1}"))
    result = spec.evaluate(unit(task_errors=2, coefficient=D("1.05")))  # 56 + 40 = 96 × 1.05 = 100.8 → 100
    assert (result.base_score, result.bonus, result.score) == (D(100), D(2), D(102))
    result = spec.evaluate(unit(task_errors=2, coefficient=D("0.9")))
    assert (result.base_score, result.bonus, result.score) == (D("86.4"), D(0), D("86.4"))


def test_the_breakdown_still_adds_up_with_a_multiplier() -> None:
    """The columns (the parts, the rules on the total, the floor …) add up to the score for every unit."""
    from assessrules.outputs.breakdown import score_columns

    spec = assessrules.load_spec(MULTIPLIER)
    results = spec.evaluate_many([unit("a", task_errors=3, difficulty=D("1.2"), coefficient=D("0.9")),
                                  unit("b", coefficient=D("1.1")), unit("c", task_errors=10, coefficient=D("1.05"))])
    columns = score_columns(spec, results)
    for result in results:
        parts = [c.value(result) for c in columns if c.summand]
        assert sum((p for p in parts if p is not None), D(0)) == result.score

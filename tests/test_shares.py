"""Shares per unit (issue 14, item 4): weights from each unit's facts, checked per unit at scoring time."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import assessrules
from assessrules import spec_from_text
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.errors import EvaluationError

SHARES = Path(__file__).parent / "specs" / "shapes" / "shares.yaml"


def test_the_hand_worked_share_scenarios_pass() -> None:
    """Every case of shares.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(SHARES)
    outcomes = run_cases(spec, load_cases(spec, SHARES.with_name("shares.tests.yaml")))
    assert [o.differences for o in outcomes if not o.passed] == []


def test_the_account_names_the_share_each_part_takes() -> None:
    """The explanation shows the weight expression; 70% × 95 + 30% × 100 = 96.5."""
    result = assessrules.load_spec(SHARES).evaluate(
        {"id": "u", "type": "department", "facts": {"own_share": "70%", "own_errors": 5}})
    assert result.score == Decimal("96.5")
    assert "本单位业务  95 / 100  权重 = own_share" in result.explain()


def test_shares_that_do_not_add_up_for_a_unit_are_an_error_naming_the_unit() -> None:
    """Written as two facts, 70% + 40% = 110% is refused when that unit is scored, with the parts named."""
    text = SHARES.read_text(encoding="utf-8").replace("weight: 1 - own_share", "weight: joint_share").replace(
        "  own_errors:", "  joint_share: {type: ratio, label: 共同任务所占比例, required: true}\n  own_errors:")
    spec = spec_from_text(text, str(SHARES))
    with pytest.raises(EvaluationError) as caught:
        spec.evaluate({"id": "dept-a", "type": "department", "facts": {"own_share": "70%", "joint_share": "40%"}})
    [problem] = caught.value.problems
    assert problem.unit == "dept-a"
    assert "add up to 110% (本单位业务 70%, 共同任务 40%); they must add up to 100%" in problem.message


# --- points per unit --------------------------------------------------------------------------------

UNIT_POINTS = SHARES.with_name("unit_points.yaml")


def test_the_hand_worked_unit_points_scenarios_pass() -> None:
    """Every case of unit_points.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(UNIT_POINTS)
    outcomes = run_cases(spec, load_cases(spec, UNIT_POINTS.with_name("unit_points.tests.yaml")))
    assert [o.differences for o in outcomes if not o.passed] == []


def test_an_indicator_shows_what_it_is_worth_to_the_unit() -> None:
    """Worth 20 to this unit: 17 / 20 in the account and in the result, not / 30."""
    result = assessrules.load_spec(UNIT_POINTS).evaluate(
        {"id": "u", "type": "department", "facts": {"business_points": 20, "business_errors": 3}})
    business = next(i for i in result.indicators if i.id == "business")
    assert (business.score, business.points) == (Decimal(17), Decimal(20))
    assert "本单位业务  17 / 20" in result.explain()


@pytest.mark.parametrize(("change", "message"), [
    (("unit_points: 30 - business_points", "unit_points: 25 - business_points"),
     "the parts of 「职责任务」 are worth 本单位业务 20 + 协作任务 5 = 25, not its 30 points"),
    (("unit_points: business_points\n", "unit_points: business_points + 20\n"),
     "「本单位业务」 is worth 40 points, outside 0–30"),
])
def test_the_point_budget_is_checked_for_each_unit(change: tuple[str, str], message: str) -> None:
    """Points per unit that break the budget are an error naming the unit, when that unit is scored."""
    text = UNIT_POINTS.read_text(encoding="utf-8")
    assert change[0] in text
    spec = spec_from_text(text.replace(*change), str(UNIT_POINTS))
    with pytest.raises(EvaluationError) as caught:
        spec.evaluate({"id": "dept-b", "type": "department", "facts": {"business_points": 20}})
    [problem] = caught.value.problems
    assert problem.unit == "dept-b" and message in problem.message

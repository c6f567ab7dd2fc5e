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
    assert "add up to 110% (本单位业务 70%、共同任务 40%), not 100%" in problem.message

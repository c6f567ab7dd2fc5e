"""A part's own veto (分项一票否决, issue 14): `veto:` on an indicator zeroes, fixes or caps that part."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import assessrules
from assessrules import spec_from_text
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.errors import SpecError

PART_VETO = Path(__file__).parent / "specs" / "shapes" / "part_veto.yaml"
HIT = {"id": "u", "type": "town", "target": 1,
       "facts": {"web_errors": 1, "web_leak": True, "media_errors": 2, "media_hacked": True}}


def load(old: str = "", new: str = "") -> assessrules.Spec:
    text = PART_VETO.read_text(encoding="utf-8")
    assert old in text
    return spec_from_text(text.replace(old, new), str(PART_VETO))


def test_the_hand_worked_part_veto_scenarios_pass() -> None:
    """Every case of part_veto.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(PART_VETO)
    outcomes = run_cases(spec, load_cases(spec, PART_VETO.with_name("part_veto.tests.yaml")))
    assert len(outcomes) == 4
    assert [o.differences for o in outcomes if not o.passed] == []


def test_a_part_veto_leaves_the_units_outcome_alone() -> None:
    """The parts' vetoes set web to 20 and media to 0, and the whole unit has no veto: 50 is read as 不合格."""
    result = assessrules.load_spec(PART_VETO).evaluate(HIT)
    scores = {i.id: i.score for i in result.indicators}
    assert (scores["web"], scores["media"], result.score, result.veto) == (Decimal(20), Decimal(0), Decimal(50), None)


def test_the_batch_scorer_applies_part_vetoes_too() -> None:
    """evaluate_many (the compiled scorer) gives the same part scores as evaluate."""
    spec = assessrules.load_spec(PART_VETO)
    assert [i.score for i in spec.evaluate_many([HIT])[0].indicators] == [i.score for i in spec.evaluate(HIT).indicators]


def test_the_account_names_the_veto_not_the_cap() -> None:
    """The part's line shows the veto that fired, and no 不超过分值 line for the score it set."""
    account = assessrules.load_spec(PART_VETO).evaluate(HIT).explain()
    assert "否决  泄露个人信息，本项最高计20分" in account and "否决  账号被盗用，本项计0分" in account
    assert "不超过分值" not in account


def test_a_part_veto_can_fix_a_score() -> None:
    """`score: 10` on the media veto fixes the part at 10: 20 + 10 + 30 = 60, 合格."""
    spec = load("{label: 账号被盗用，本项计0分, if: media_hacked}",
                "{label: 账号被盗用，本项计10分, if: media_hacked, score: 10}")
    result = spec.evaluate(HIT)
    assert (result.score, result.grade) == (Decimal(60), "合格")
    assert any("本项得分计为10" in t.describe() for t in spec.triggers)


def test_a_part_veto_cannot_force_a_grade() -> None:
    """Only the whole unit's veto forces a grade: `grade:` on a part's veto is refused by the schema."""
    with pytest.raises(SpecError) as caught:
        load("if: media_hacked}", "if: media_hacked, grade: bad}")
    assert any("grade" in p.message for p in caught.value.problems)


@pytest.mark.parametrize("outcome", ["score: 35", "at_most: 31"])
def test_a_part_veto_stays_within_the_parts_points(outcome: str) -> None:
    """A veto on the 30-point media part that sets 35 (or caps at 31) is refused at its key."""
    with pytest.raises(SpecError) as caught:
        load("if: media_hacked}", f"if: media_hacked, {outcome}}}")
    problem = caught.value.problems[0]
    assert "outside its 0–30" in problem.message and problem.line == 25

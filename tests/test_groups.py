"""Group results (issue 14, item 7): a county scored from its members' results, after them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import assessrules
from assessrules import spec_from_text
from assessrules.errors import SpecError

GROUPS = Path(__file__).parent / "specs" / "shapes" / "groups.yaml"


def unit(uid: str, unit_type: str, late: int) -> dict[str, Any]:
    return {"id": uid, "type": unit_type, "facts": {"late": late}}


UNITS = [unit("d1", "department", 0), unit("d2", "department", 10), unit("t1", "town", 20),
         unit("t2", "town", 5), unit("t3", "town", 0)]


def test_a_county_is_the_mean_or_the_weighted_mix_of_its_members() -> None:
    """Departments 100, 90 (mean 95); towns 80, 95, 100 (mean 275/3 = 91.67).
    Mean of all five: 465/5 = 93 (合格). Mix: 60% × 95 + 40% × 275/3 = 57 + 110/3 = 281/3 = 93.67 (合格)."""
    spec = assessrules.load_spec(GROUPS)
    results, groups = spec.evaluate_groups(UNITS)
    assert [r.score for r in results] == [100, 90, 80, 95, 100]
    mean, mix = groups
    assert (mean.score, mean.grade, len(mean.members)) == (Decimal(93), "合格", 5)
    assert (mix.score, mix.grade) == (Decimal("93.67"), "合格")
    assert [(t, m, w) for t, m, w in mix.means] == [("department", Decimal(95), Decimal("0.6")),
                                                      ("town", Decimal("91.67"), Decimal("0.4"))]
    assert mix.to_dict()["score"] == "93.67"
    assert "department 平均 95 × 60%；town 平均 91.67 × 40%（5 个成员单位）" in mix.explain()
    assert "全部成员平均；department 平均 95；town 平均 91.67（5 个成员单位）" in mean.explain()
    assert mix.method(lambda t: {"department": "部门", "town": "乡镇"}[t], "\n") == "部门 平均 95 × 60%\n乡镇 平均 91.67 × 40%"


def test_a_member_type_without_units_is_left_out_of_the_mix() -> None:
    """Only towns: the mix is their mean, 275/3 → 91.67."""
    _, (_, mix) = assessrules.load_spec(GROUPS).evaluate_groups(UNITS[2:])
    assert mix.score == Decimal("91.67")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("rounding: {places: 2, mode: half_up}\n", "", "the group 「全县（平均）」 averages its members' scores"),
    ("department: 60%, town: 40%", "department: 60%, town: 30%", "the weights add up to 90%"),
    ("members: [department, town]}", "members: [department, village]}", "no unit type `village`"),
])
def test_a_misused_group_is_a_located_load_error(old: str, new: str, message: str) -> None:
    """No rounding, weights off 100%, or an unknown member type: each named at its line."""
    text = GROUPS.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(SpecError) as caught:
        spec_from_text(text.replace(old, new, 1), str(GROUPS))
    found = [p for p in caught.value.problems if message in p.message]
    assert found and found[0].line is not None, caught.value.problems

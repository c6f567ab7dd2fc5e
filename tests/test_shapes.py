"""The spec language beyond 2021, one shape at a time, with hand-worked results (tests/specs/shapes/)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import assessrules
from assessrules import spec_from_text
from assessrules.engine.spec import Spec
from assessrules.errors import FactsError, SpecError
from assessrules.messages import render_problem

SHAPES = Path(__file__).parent / "specs" / "shapes"
D = Decimal


def load(name: str, change: tuple[str, str] | None = None) -> Spec:
    text = (SHAPES / name).read_text(encoding="utf-8")
    if change:
        assert change[0] in text
        text = text.replace(*change)
    return spec_from_text(text, str(SHAPES / name))


def unit(uid: str = "u", unit_type: str = "town", target: Any = 2, **facts: Any) -> dict[str, Any]:
    return {"id": uid, "type": unit_type, "target": target, "facts": facts}


def score_of(result: Any, node_id: str) -> Any:
    return next(i.score for i in result.indicators if i.id == node_id)


# --- bonus (加分项) -------------------------------------------------------------------------------


def test_bonus_items_add_up_to_their_cap() -> None:
    """95 + 3 (award, with its document) + 3 (three practices) = 6 claimed, capped at 5: 100."""
    spec = load("bonus_veto.yaml")
    result = spec.evaluate(unit(late=5, provincial_award=True, award_document="陕政办发〔2021〕3号",
                                practices_adopted=3))
    assert (result.base_score, result.bonus_claimed, result.bonus, result.score) == (D(95), D(6), D(5), D(100))
    assert result.grade == "优秀"
    assert "加分合计 6 分，以上限 5 分计" in result.explain()


def test_a_bonus_needs_the_base_score_to_reach_its_gate() -> None:
    """A base of 75 is under the gate of 80: the bonus is not counted, and the account says so."""
    spec = load("bonus_veto.yaml")
    result = spec.evaluate(unit(late=25, practices_adopted=2))
    assert (result.bonus_claimed, result.bonus, result.bonus_gated, result.score) == (D(2), D(0), True, D(75))
    assert "基础得分 75 未达到 80 分，加分不计" in result.explain()


def test_a_bonus_claimed_without_evidence_scores_nothing() -> None:
    """The award without its document adds 0; the practice still adds 1: 96."""
    spec = load("bonus_veto.yaml")
    result = spec.evaluate(unit(late=5, provincial_award=True, practices_adopted=1))
    assert result.score == 96
    items = {f.label: f for f in result.bonus_items}
    assert (items["获省级表彰"].effect, items["获省级表彰"].points) == ("no_evidence", D(0))
    assert "获省级表彰（未提供佐证材料 award_document，不加分）" in result.explain()


# --- veto (一票否决) ------------------------------------------------------------------------------


def test_a_veto_forces_its_grade_and_caps_the_score() -> None:
    """A major leak: 95 is capped at 59 and graded 不合格, which deducts the whole target value."""
    spec = load("bonus_veto.yaml")
    result = spec.evaluate(unit(late=5, major_leak=True, target=3))
    assert (result.score, result.grade, result.deduction) == (D(59), "不合格", D(3))
    assert result.veto is not None and result.veto.label == "发生重大泄密事件"
    assert "一票否决：发生重大泄密事件：一票否决，得分最高计59，等次定为failing" in result.explain()
    low = spec.evaluate(unit(late=50, major_leak=True))
    assert low.score == 50  # a cap, not a lift


def test_a_veto_without_a_grade_forces_the_lowest_and_keeps_the_score() -> None:
    """False data: the score stays 95, the grade is the lowest."""
    spec = load("bonus_veto.yaml")
    result = spec.evaluate(unit(late=5, false_data=True))
    assert (result.score, result.grade) == (D(95), "不合格")


# --- weights, scale conversion, five grades ------------------------------------------------------


def test_weighted_parts_nest_and_the_total_is_converted_to_100() -> None:
    """work = 40%×40×120/50 + 60%×10×120/10 = 110.4; total = 70%×110.4 + 30%×85×120/100 = 107.88;
    107.88 × 100 ÷ 120 = 89.90 (较好)."""
    spec = load("weighted_scale.yaml")
    result = spec.evaluate(unit(unit_type="dept", work_errors=5, review_rating="B"))
    assert score_of(result, "work") == Decimal("110.4")
    assert result.base_score == Decimal("107.88")
    assert (result.score, result.grade) == (Decimal("89.9"), "较好")
    assert "折算为考核分值：107.88 × 100 ÷ 120，四舍五入保留 2 位小数" in result.explain()
    assert "工作考核  110.4 / 120  权重 70%" in result.explain()


def test_five_grades_without_consequences() -> None:
    """Full marks is 好; a missing plan drops work to 48 and the total to 69.6 → 58 (较差), deducting nothing."""
    spec = load("weighted_scale.yaml")
    assert spec.evaluate(unit(unit_type="dept", review_rating="A")).grade == "好"
    result = spec.evaluate(unit(unit_type="dept", review_rating="A", plan_missing=True))
    assert (result.score, result.grade, result.deduction) == (D(58), "较差", D(0))


# --- applicability --------------------------------------------------------------------------------


@pytest.mark.parametrize(("strategy", "expected"), [("rescale", Decimal("62.5")), ("spread", Decimal(65)),
                                                   ("full_marks", Decimal(70))])
def test_points_of_an_indicator_that_does_not_apply(strategy: str, expected: Decimal) -> None:
    """No new-media account: timely 30/60 and rural 20/20 — rescaled (50×100/80), spread (30×70/60 + 20×30/20),
    or the media points counted in full (20 + 30 + 20)."""
    spec = load("applicability.yaml", ("not_applicable: rescale", f"not_applicable: {strategy}"))
    result = spec.evaluate(unit("zengjia", has_new_media=False, late=30))
    assert result.score == expected
    media = next(i for i in result.indicators if i.id == "media")
    assert media.applicable is False


def test_indicators_for_named_units_only() -> None:
    """`units:` names who is assessed on rural information; another unit is rescaled over 80 points."""
    spec = load("applicability.yaml")
    named = spec.evaluate(unit("zengjia", has_new_media=True, media_problems=2, late=10, poverty_items_missed=5))
    assert named.score == 16 + 50 + 15
    other = spec.evaluate(unit("shuiwu", unit_type="dept", has_new_media=True, late=10, poverty_items_missed=5))
    assert other.score == (20 + 50) * Decimal(100) / 80
    assert "不适用于该单位，不计入；上级指标按适用指标的分值折算" in other.explain()


# --- ratings, severity, escalation, discretion, bounds at the top level ----------------------------


def test_ratings_severities_escalation_and_discretion() -> None:
    """content 10 − (1+3+3) = 3; links 5 − (8×0.5 + 2 再扣) = −1 (no floor below the top level);
    other 5 − 1.5 = 3.5; website 5.5; media 良 16; total 21.5 (差)."""
    spec = load("deductions.yaml")
    errors = [{"title": "首页", "level": "一般差错"}, {"title": "通知", "level": "严重差错"},
              {"title": "公告", "level": "严重差错"}]
    result = spec.evaluate(unit(content_errors=errors, broken_links=8, other_issues=Decimal("1.5"),
                                media_rating="良"))
    assert [score_of(result, i) for i in ("content", "links", "other", "website", "media")] == [
        3, -1, Decimal("3.5"), Decimal("5.5"), 16]
    assert (result.score, result.grade) == (Decimal("21.5"), "差")
    text = result.explain()
    assert "内容差错记录 第2条《通知》：严重差错  −3" in text
    assert "错链：8 次 × 0.5 分" in text
    assert "= 16  群众评议：良" in text


def test_deductions_may_exceed_a_lower_indicator_but_not_its_top_level_one() -> None:
    """content −5, links −7, other 3: the website (level 1) floors at 0, the total is the media's 20."""
    spec = load("deductions.yaml")
    errors = [{"title": f"页{i}", "level": "严重差错"} for i in range(5)]
    result = spec.evaluate(unit(content_errors=errors, broken_links=20, other_issues=2, media_rating="优"))
    assert [score_of(result, i) for i in ("content", "links", "website")] == [-5, -7, 0]
    assert result.score == 20


def test_a_discretionary_amount_outside_its_range_is_rejected() -> None:
    """视情况扣0–2分: 2.5 is refused with the fact named."""
    spec = load("deductions.yaml")
    with pytest.raises(FactsError, match=r"2\.5 is above the greatest allowed value 2"):
        spec.evaluate(unit(other_issues=Decimal("2.5"), media_rating="优"))


# --- misuse is a located load error ---------------------------------------------------------------


@pytest.mark.parametrize(("name", "change", "message"), [
    ("weighted_scale.yaml", ("    weight: 30%", "    weight: 20%"), "the weights add up to 90%"),
    ("weighted_scale.yaml", ("        weight: 60%\n", ""), "some children have a `weight:` and some do not"),
    ("bonus_veto.yaml", ("  gate: 80", "  gate: 120"), "the bonus gate 120 is outside the base score's range"),
    ("deductions.yaml", ("优: 20, 良: 16", "优: 20, 好: 16"), "`好` is not a value of `media_rating`"),
    ("deductions.yaml", ("优: 20, 良: 16, ", "优: 20, "), "no points for 良 of `media_rating`"),
    ("deductions.yaml", ("min: 0, max: 2, direction", "direction"), "must be bounded by the range 0–2"),
    ("deductions.yaml", ("severity: level", "severity: title"), "must name an enum field of `content_errors`"),
    ("bonus_veto.yaml", ("evidence: award_document", "evidence: award_doc"), "`evidence: award_doc` must name"),
    ("bonus_veto.yaml", ("grade: failing", "grade: fail"), "no grade `fail`"),
    ("weighted_scale.yaml", ("conversion: {to: 100, places: 2", "conversion: {to: 90, places: 2"),
     "no unit can reach it"),
])
def test_misused_shapes_fail_at_load_with_a_located_message(name: str, change: tuple[str, str], message: str) -> None:
    """Each misuse names what is wrong at its line."""
    with pytest.raises(SpecError) as caught:
        load(name, change)
    found = [p for p in caught.value.problems if message in p.message]
    assert found, caught.value.problems
    assert found[0].line is not None


@pytest.mark.parametrize(("name", "change", "message"), [
    ("weighted_scale.yaml", ("    weight: 30%", "    weight: 20%"),
     "指标「加权与折算」：各子指标权重合计为 90%（工作考核 70%、专业评价 20%），不是 100%"),
    ("bonus_veto.yaml", ("  gate: 80", "  gate: 120"), "加分项：加分门槛 120 超出了基本得分的范围 0–100"),
    ("deductions.yaml", ("优: 20, 良: 16", "优: 20, 好: 16"),
     "“好”不是数据项“评议等次”（media_rating）的可选值（可选值：优、良、一般、差）"),
    ("deductions.yaml", ("min: 0, max: 2, direction", "direction"),
     "数据项“其他问题视情况扣分”（other_issues）须限定在 0–2 之内"),
    ("deductions.yaml", ("severity: level", "severity: title"),
     "规则「内容差错」的 `severity: title` 须为数据项“内容差错记录”（content_errors）中的枚举字段"),
    ("bonus_veto.yaml", ("grade: failing", "grade: fail"), "一票否决「发生重大泄密事件」：没有编号为 `fail` 的等次"),
])
def test_misused_shapes_are_said_in_chinese_with_the_spec_s_own_names(name: str, change: tuple[str, str],
                                                                       message: str) -> None:
    """The same misuses read as Chinese sentences naming indicators, facts and rules by their labels."""
    with pytest.raises(SpecError) as caught:
        load(name, change)
    said = [render_problem(p, "zh") for p in caught.value.problems]
    assert any(message in s for s in said), said


def test_every_shape_spec_validates_from_the_command_line() -> None:
    """The shape specs are real specs: they load by path like any other."""
    for path in sorted(p for p in SHAPES.glob("*.yaml") if not p.name.endswith(".tests.yaml")):
        assert assessrules.load_spec(path).metadata.id.startswith("shape-")


def test_under_a_weighted_parent_a_child_that_does_not_apply_is_left_out_and_the_weights_renormalised() -> None:
    """The plan applies to another unit only: work = 40%×40×120/50 ÷ 40% = 96 (not 110.4 at full marks);
    total 70%×96 + 30%×85×120/100 = 97.8 → 81.5 (一般), whatever `not_applicable` says."""
    spec = load("weighted_scale.yaml", ("        weight: 60%\n", "        weight: 60%\n        units: [other]\n"))
    assert spec.not_applicable == "full_marks"
    result = spec.evaluate(unit(unit_type="dept", work_errors=5, review_rating="B"))
    assert score_of(result, "work") == Decimal(96)
    assert score_of(result, "plan") is None
    assert (result.base_score, result.score, result.grade) == (Decimal("97.8"), Decimal("81.5"), "一般")
    assert "计划  — / 10  权重 60%  （不适用于该单位，不计入；其余指标的权重按比例折算为100%）" in result.explain()

"""Smaller additions to the spec language (issue 14, item 6), on tests/specs/shapes/awards.yaml."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import assessrules
from assessrules import spec_from_text
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.engine.spec import Spec
from assessrules.errors import FactsError, SpecError

AWARDS = Path(__file__).parent / "specs" / "shapes" / "awards.yaml"


def load(*changes: tuple[str, str]) -> Spec:
    text = AWARDS.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return spec_from_text(text, str(AWARDS))


def unit(**facts: Any) -> dict[str, Any]:
    return {"id": "u", "type": "town", "target": 1, "facts": facts}


def test_the_hand_worked_award_scenarios_pass() -> None:
    """Every case of awards.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(AWARDS)
    outcomes = run_cases(spec, load_cases(spec, AWARDS.with_name("awards.tests.yaml")))
    assert [o.differences for o in outcomes if not o.passed] == []


def test_an_award_per_occurrence_stops_at_its_max_and_says_so() -> None:
    """7 interpretations × 2 = 14 is held to the rule's 10; the account shows 7 × 2."""
    result = load().evaluate(unit(interpretations=7))
    fired = next(f for f in result.fired if f.label == "发布政策解读")
    assert (fired.effect, fired.count, fired.points) == ("award", Decimal(7), Decimal(10))
    assert "+10  发布政策解读：7 次 × 2 分" in result.explain()


def test_a_discretionary_award_above_its_range_is_rejected_with_the_facts() -> None:
    """在2分内酌情给分: 2.5 is refused, naming the fact."""
    with pytest.raises(FactsError, match=r"2\.5 is above the greatest allowed value 2"):
        load().evaluate(unit(innovation=Decimal("2.5")))


def test_a_discretionary_award_must_be_bounded_by_its_fact() -> None:
    """The fact behind `discretion:` must declare the range, or the spec does not load."""
    with pytest.raises(SpecError, match="must be bounded by the range 0–2"):
        load(("min: 0, max: 2, direction: better}", "direction: better}"))


def test_a_sum_over_a_record_field_keeps_its_records_as_evidence() -> None:
    """pages 12 + 18 = 30 from two records, which the evidence lists."""
    result = load().evaluate(unit(reports=[{"title": "一季度", "pages": 12}, {"title": "二季度", "pages": 18}]))
    evidence = result.evidence_of("pages_reported")
    assert (evidence.value, [n for n, _ in evidence.records]) == (Decimal(30), [1, 2])


def test_a_roll_up_needs_periods_or_records() -> None:
    """`sum:` without `each:` or `of:` is a located error naming both."""
    with pytest.raises(SpecError, match="add `each: month` or `each: quarter` or `of: <records>`"):
        load(("sum: pages, of: reports", "sum: pages"))


def test_a_bonus_without_a_cap_counts_every_item() -> None:
    """Nine practices add 9, and the account says there is no cap."""
    result = load().evaluate(unit(practices=9))
    assert (result.bonus_claimed, result.bonus, result.score) == (Decimal(9), Decimal(9), Decimal(89))
    assert "加分项（不设上限）" in result.explain()


def test_an_indicator_and_a_floor_cite_their_assumptions() -> None:
    """The indicator quotes its reading; the floor of −5 quotes its own when it applies."""
    text = load().evaluate(unit(errors=20)).explain()
    assert "解读〔per-article〕细则只说“酌情得分”" in text
    assert "扣完为止：-20 计为 -5（解读〔errors-below-zero〕细则未写扣完为止；本项最低计为 −5 分。）" in text


def test_an_unknown_assumption_on_an_indicator_or_a_floor_is_located() -> None:
    """A misspelt id gets a did-you-mean at its line."""
    with pytest.raises(SpecError) as caught:
        load(("assumption: per-article\n", "assumption: per-articel\n"),
             ("assumption: errors-below-zero}", "assumption: errors-below}"))
    messages = {p.message.split(": ", 1)[-1]: p.hint for p in caught.value.problems}
    assert messages == {"no assumption with id `per-articel`": "did you mean `per-article`?",
                        "no assumption with id `errors-below`": "did you mean `errors-below-zero`?"}


def test_a_grade_table_that_stops_below_an_uncapped_bonus_is_refused() -> None:
    """Without a bonus cap scores have no top, so the highest grade may not have `below:`."""
    with pytest.raises(SpecError, match="stops at `below: 200`, but scores go up to any bonus without a cap"):
        load(("{id: ok, label: 合格, at_least: 60}", "{id: ok, label: 合格, at_least: 60, below: 200}"))


def test_an_award_needs_a_condition_a_count_or_a_discretion() -> None:
    """An award with none of if/per/discretion names all three."""
    with pytest.raises(SpecError, match="needs exactly one of `if`, `per`, `discretion`"):
        spec_from_text(AWARDS.read_text(encoding="utf-8").replace("discretion: innovation, ", ""))


SCORES_ONLY = AWARDS.with_name("scores_only.yaml")


def test_a_spec_without_grades_gives_scores_only() -> None:
    """No grades: the result has a score and no grade, and the account has no grade section."""
    spec = assessrules.load_spec(SCORES_ONLY)
    outcomes = run_cases(spec, load_cases(spec, SCORES_ONLY.with_name("scores_only.tests.yaml")))
    assert [o.differences for o in outcomes if not o.passed] == []
    result = spec.evaluate({"id": "u", "type": "dept", "facts": {"late": 7}})
    assert (result.to_dict()["grade"], result.summary()["grade"]) == (None, None)
    assert "考核等次" not in result.explain() and "· 等次" not in result.explain()


def test_a_unit_without_a_target_value_gets_no_consequence() -> None:
    """A failing unit of the 2021 spec without `target` is graded but deducts nothing."""
    spec = assessrules.load_spec("2021")
    facts_schema = spec.facts_schema()["properties"]["units"]["items"]
    assert "target" not in facts_schema["required"]
    result = load().evaluate({"id": "u", "type": "town", "facts": {"errors": 16}})
    assert (result.grade, result.deduction, result.unit.target) == ("不合格", Decimal(0), Decimal(0))


def test_consequences_that_are_not_points_are_recorded_and_explained() -> None:
    """不合格 brings 约谈 and 17 errors bring 暂停公开: both in the result, its data and its account."""
    result = load().evaluate(unit(errors=17))
    expected = ("约谈单位主要负责人", "内容差错较多：相关信息暂停公开并予以更正")
    assert result.consequences == expected
    assert result.to_dict()["consequences"] == list(expected)
    assert "其他结果运用（不计分）\n  约谈单位主要负责人\n  内容差错较多：相关信息暂停公开并予以更正" in result.explain()
    assert load().evaluate(unit(errors=1)).consequences == ()


@pytest.mark.parametrize(("gate", "base", "counted"), [
    ("80", 80, True), ("{at_least: 80}", 80, True), ("{above: 80}", 80, False), ("{above: 80}", 81, True)])
def test_a_bonus_gate_is_at_least_or_strictly_above(gate: str, base: int, counted: bool) -> None:
    """达到80 lets a base of exactly 80 through; 高于80 (`{above: 80}`) does not, and the account says 未高于."""
    text = (AWARDS.with_name("bonus_veto.yaml")).read_text(encoding="utf-8").replace("  gate: 80", f"  gate: {gate}")
    spec = spec_from_text(text, "bonus_veto.yaml")
    result = spec.evaluate({"id": "u", "type": "town", "target": 1, "facts": {"late": 100 - base, "practices_adopted": 1}})
    assert (result.bonus, result.bonus_gated) == ((Decimal(1), False) if counted else (Decimal(0), True))
    if not counted:
        assert "基础得分 80 未高于 80 分，加分不计" in result.explain()

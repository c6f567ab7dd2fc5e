"""Strict and inclusive grade thresholds (issue 14): 高于80 (`above: 80`) as well as 80分以上 (`at_least: 80`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import assessrules
from assessrules import spec_from_text
from assessrules.authoring.diff import diff
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.errors import SpecError

THRESHOLDS = Path(__file__).parent / "specs" / "shapes" / "thresholds.yaml"


def load(old: str = "", new: str = "") -> assessrules.Spec:
    text = THRESHOLDS.read_text(encoding="utf-8")
    assert old in text
    return spec_from_text(text.replace(old, new), str(THRESHOLDS))


def unit(**facts: int) -> dict[str, object]:
    return {"id": "u", "type": "dept", "target": 2, "facts": facts}


def test_the_hand_worked_threshold_scenarios_pass() -> None:
    """Every case of thresholds.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(THRESHOLDS)
    outcomes = run_cases(spec, load_cases(spec, THRESHOLDS.with_name("thresholds.tests.yaml")))
    assert len(outcomes) == 7
    assert [o.differences for o in outcomes if not o.passed] == []


@pytest.mark.parametrize(("late", "grade"), [(2, "良好"), (4, "良好"), (8, "不合格"), (7, "合格")])
def test_a_score_on_a_threshold_goes_where_the_words_say(late: int, grade: str) -> None:
    """90 is not above 90 (良好); 80 is at least 80 (良好); 60 is at most 60 (不合格); 65 is above 60 (合格)."""
    assert assessrules.load_spec(THRESHOLDS).evaluate(unit(late=late)).grade == grade


def test_the_fast_and_exact_scorers_agree_on_a_strict_threshold() -> None:
    """evaluate_many (the compiled scorer) reads exactly 90 as 良好, like evaluate."""
    spec = assessrules.load_spec(THRESHOLDS)
    units = [{**unit(late=2), "id": "a"}, {**unit(web_errors=1), "id": "b"}]
    assert [r.grade for r in spec.evaluate_many(units)] == ["良好", "优秀"]


def test_the_account_shows_strict_and_inclusive_bounds() -> None:
    """The grade line reads 60 < 74 < 80 for 合格 and 80 ≤ 90 ≤ 90 for 良好."""
    spec = assessrules.load_spec(THRESHOLDS)
    assert "合格（60 < 74 < 80）" in spec.evaluate(unit(late=2, web_errors=8)).explain()
    assert "良好（80 ≤ 90 ≤ 90）" in spec.evaluate(unit(late=2)).explain()


@pytest.mark.parametrize(("good", "words", "code"), [
    ("{id: good, label: 良好, at_least: 80, below: 90}", "no grade covers a score of exactly 90", "spec.grade_gap_at"),
    ("{id: good, label: 良好, at_least: 80, at_most: 91}", "grades overlap: scores from 90 to 91", "spec.grade_overlap"),
], ids=["gap_at_the_threshold", "overlap"])
def test_coverage_is_checked_with_the_thresholds_strictness(good: str, words: str, code: str) -> None:
    """Above 90 over below 90 leaves 90 itself without a grade; the error names it and the fix."""
    with pytest.raises(SpecError) as caught:
        load("{id: good, label: 良好, at_least: 80, at_most: 90}", good)
    problem = caught.value.problems[0]
    assert words in problem.message and problem.code == code


def test_at_least_over_at_most_holds_the_threshold_twice() -> None:
    """at_least: 90 over at_most: 90 puts a score of exactly 90 in both grades: an overlap, with the fix."""
    with pytest.raises(SpecError) as caught:
        load("above: 90, commend", "at_least: 90, commend")
    problem = caught.value.problems[0]
    assert "a score of exactly 90 is both 「优秀」 and 「良好」" in problem.message
    assert problem.code == "spec.grade_overlap_at" and problem.hint is not None and "90" in problem.hint


def test_a_grade_cannot_say_both_at_least_and_above() -> None:
    """Writing both forms of the same threshold is refused, naming both keys."""
    with pytest.raises(SpecError) as caught:
        load("above: 90, commend", "above: 90, at_least: 90, commend")
    assert any("both `at_least` and `above`" in p.message for p in caught.value.problems)


def test_a_strict_threshold_at_the_top_of_the_scale_cannot_be_reached() -> None:
    """Above 100 on a scale of 100 is out of reach."""
    with pytest.raises(SpecError) as caught:
        load("above: 90, commend: true}\n  - {id: good, label: 良好, at_least: 80, at_most: 90}",
             "above: 100, commend: true}\n  - {id: good, label: 良好, at_least: 80, at_most: 100}")
    assert any("needs `above: 100`" in p.message for p in caught.value.problems)


def test_the_lowest_grade_above_zero_leaves_zero_uncovered() -> None:
    """A lowest grade `above: 0` leaves a score of 0 with no grade."""
    with pytest.raises(SpecError) as caught:
        load("{id: failing, label: 不合格, at_most: 60, deduct: 100%}",
             "{id: failing, label: 不合格, above: 0, at_most: 60, deduct: 100%}")
    assert any("no grade covers scores up to 0" in p.message for p in caught.value.problems)


def test_diff_reports_a_threshold_turned_strict() -> None:
    """at_least: 80 → above: 80 on 良好 shows as a change of the 良好 grade."""
    old = load()
    new = load("{id: good, label: 良好, at_least: 80, at_most: 90}\n  - {id: fair, label: 合格, above: 60, below: 80,",
               "{id: good, label: 良好, above: 80, at_most: 90}\n  - {id: fair, label: 合格, above: 60, at_most: 80,")
    changed = [c for c in diff(old, new) if c.section == "grades"]
    assert {(c.id, c.field, c.old, c.new) for c in changed} == {
        ("good", "下限不含本数（高于）", False, True), ("fair", "上限含本数（及以下）", False, True)}
    assert new.grades[1].at_least == Decimal(80) and new.grades[1].above

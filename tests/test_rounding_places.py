"""Rounding at two places (issue 14): each indicator to 2 places and the graded score to 1."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import assessrules
from assessrules import spec_from_text
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.errors import SpecError

PLACES = Path(__file__).parent / "specs" / "shapes" / "rounding_places.yaml"
ONE_EACH = {"id": "u", "type": "dept", "target": 1, "facts": {"slow": 1, "stale": 1}}
INNER = ", indicators: {places: 2, clause: 各项得分保留两位小数}"


def load(old: str = "", new: str = "") -> assessrules.Spec:
    text = PLACES.read_text(encoding="utf-8")
    assert old in text
    return spec_from_text(text.replace(old, new), str(PLACES))


def test_the_hand_worked_rounding_scenarios_pass() -> None:
    """Every case of rounding_places.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(PLACES)
    outcomes = run_cases(spec, load_cases(spec, PLACES.with_name("rounding_places.tests.yaml")))
    assert len(outcomes) == 2
    assert [o.differences for o in outcomes if not o.passed] == []


def test_the_total_adds_the_rounded_parts() -> None:
    """49.38 + 49.67 = 99.05 → 99.1; without `indicators:` the exact 99.041… gives 99.0 and parts of 1 place."""
    rounded = assessrules.load_spec(PLACES).evaluate(ONE_EACH)
    plain = load(INNER, "").evaluate(ONE_EACH)
    assert rounded.score == Decimal("99.1") and plain.score == Decimal("99.0")
    assert [i.score for i in plain.indicators[1:]] == [Decimal("49.4"), Decimal("49.7")]


def test_the_batch_scorer_rounds_at_both_places() -> None:
    """evaluate_many gives the same parts, table total (99.05) and graded score (99.1) as evaluate."""
    spec = assessrules.load_spec(PLACES)
    result = spec.evaluate_many([ONE_EACH])[0]
    assert [i.score for i in result.indicators] == [Decimal("99.05"), Decimal("49.38"), Decimal("49.67")]
    assert result.score == Decimal("99.1")


def test_the_account_shows_each_figure_at_its_places() -> None:
    """The explanation shows the parts to 2 places and the score to 1."""
    account = assessrules.load_spec(PLACES).evaluate(ONE_EACH).explain()
    assert "依申请公开  49.38 / 50" in account and "栏目更新  49.67 / 50" in account
    assert "最终得分 99.1 分" in account


@pytest.mark.parametrize("at", ["indicator", "published"])
def test_a_second_place_needs_the_outer_rounding_at_the_score(at: str) -> None:
    """`indicators:` with `at: indicator` or `at: published` is refused at `at`, with the fix."""
    with pytest.raises(SpecError) as caught:
        load("clause: 总分保留一位小数", f"at: {at}, clause: 总分保留一位小数")
    problem = caught.value.problems[0]
    assert f"not `at: {at}`" in problem.message and problem.path == ("rounding", "at")

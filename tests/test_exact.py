"""Exact quotients (issue 14): shares such as 20 / 12 stay exact, and the spec says where to round."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from assessrules import spec_from_text
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.engine.spec import Spec
from assessrules.errors import SpecError
from assessrules.numbers import round_exact

SPEC = Path(__file__).parent / "specs" / "shapes" / "exact.yaml"
MONTHS = [f"2021-{m:02d}" for m in range(1, 13)]


def load(*changes: tuple[str, str]) -> Spec:
    text = SPEC.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return spec_from_text(text, str(SPEC))


def unit(missed: int = 0, **facts: Any) -> dict[str, Any]:
    periods = {m: {"column_updated": i >= missed} for i, m in enumerate(MONTHS)}
    return {"id": "u", "type": "town", "target": 2, "facts": facts, "periods": periods}


def test_the_hand_worked_scenarios_pass() -> None:
    """Every case of exact.tests.yaml, worked by hand in its comments, comes out exactly."""
    spec = load()
    outcomes = run_cases(spec, load_cases(spec, SPEC.with_name("exact.tests.yaml")))
    assert [o.differences for o in outcomes if not o.passed] == []
    assert len(outcomes) == 7


def test_nine_missed_months_at_twenty_twelfths_total_exactly_85() -> None:
    """9 × 20/12 is exactly 15, so the unit totals exactly 85 and is graded 合格, not 不合格."""
    result = load().evaluate(unit(missed=9))
    assert (result.score, result.grade) == (Decimal(85), "合格")
    monthly = next(f for f in result.fired if f.label == "栏目未按月更新")
    assert monthly.points == Decimal(-15)
    assert [p.points for p in monthly.periods] == [Decimal("-1.67")] * 9  # each month published rounded


def test_twelve_monthly_shares_add_back_to_the_whole() -> None:
    """Twelve shares of 20 / 12 take exactly the indicator's 20 points: it ends at 0, not below or above."""
    result = load().evaluate(unit(missed=12))
    monthly = next(i for i in result.indicators if i.id == "monthly")
    assert (monthly.score, monthly.raw, monthly.floored) == (Decimal(0), Decimal(0), False)


def test_a_parameter_value_may_be_an_exact_quotient() -> None:
    """`value: 25 / 12` is kept as the fraction 25/12, not a 28-digit decimal."""
    assert load().parameters["late_share"].value == Fraction(25, 12)


def test_no_fraction_leaks_into_a_result() -> None:
    """Scores, fired points, to_dict and the explanation show Decimals rounded as declared."""
    result = load().evaluate(unit(missed=1, late=1, has_media=False, catalogue_problems=1))
    data = result.to_dict()
    json.dumps(data)  # a Fraction would not serialise
    assert data["score"] == "95.61"  # 55/3 + 116/3 + 695/18 = 57 + 695/18 = 1721/18 = 95.611…
    assert all(type(i.score) in (Decimal, type(None)) for i in result.indicators)
    assert all(type(f.points) is Decimal for f in result.fired)
    text = result.explain()
    assert "月度更新  18.33 / 20" in text
    assert "−1.67  栏目未按月更新：1 个月 × 5/3 分" in text  # the rule's exact rate, the points rounded
    assert re.search(r"\d\.\d{3,}", text) is None


@pytest.mark.parametrize(("at", "mode", "expected"), [
    ("score", "half_up", Decimal("96.94")),  # 55/3 + 40 + 695/18 = 1745/18 = 96.944…
    ("score", "down", Decimal("96.94")),
    ("indicator", "down", Decimal("96.93")),  # 18.33 + 40 + (50% × 27.91 × 4/3 + 20 = 38.606… → 38.60)
    ("published", "half_up", Decimal("96.94")),
])
def test_rounding_applies_where_the_spec_declares_it(at: str, mode: str, expected: Decimal) -> None:
    """Rounding each indicator adds rounded parts; rounding the score rounds only the total."""
    spec = load(("rounding: {places: 2, mode: half_up, at: score", f"rounding: {{places: 2, mode: {mode}, at: {at}"))
    assert spec.evaluate(unit(missed=1, late=1)).score == expected


def test_a_grade_is_read_on_the_exact_score_when_only_published_figures_round() -> None:
    """At `published` the grade sees 84.999… as below 85 even though the figure shows 85."""
    spec = load(("rounding: {places: 2, mode: half_up, at: score", "rounding: {places: 1, mode: half_up, at: published"),
                ("at_least: 85}", "at_least: 98.34}"), ("below: 85,", "below: 98.34,"))
    result = spec.evaluate(unit(missed=1))  # 295/3 = 98.333… → shown 98.3, graded below 98.34
    assert (result.score, result.grade) == (Decimal("98.3"), "不合格")


def test_a_spec_that_can_produce_a_non_terminating_value_must_declare_rounding() -> None:
    """Without `rounding:` the load fails at each place that can divide inexactly, with the hint to add it."""
    with pytest.raises(SpecError) as caught:
        load(("rounding: {places: 2, mode: half_up, at: score, clause: 得分保留两位小数，四舍五入}\n", ""))
    messages = [p.message for p in caught.value.problems]
    assert any("the parameter `late_share` is 25/12" in m for m in messages)
    assert any("「栏目未按月更新」 `points` is 5/3" in m for m in messages)
    assert any("spreads 10 points over 3 children" in m for m in messages)
    assert any("takes 2/3 of 「日常工作」's score" in m for m in messages)
    assert all("rounding: {places: 2" in (p.hint or "") and p.line is not None for p in caught.value.problems)


def test_a_spec_whose_quotients_terminate_needs_no_rounding() -> None:
    """15 / 6 is 2.5: the spec loads without `rounding:` and scores in Decimal as before."""
    spec = spec_from_text("""
spec_format: 1
metadata: {id: t, title: t, scale: 10}
unit_types: {town: {label: 镇}}
facts: {late: {type: count, label: 迟报, default: 0}}
indicators: [{id: a, name: 甲, points: 10, deduct: [{label: 迟报, per: late, points: 15 / 6}]}]
grades: [{id: ok, label: 合格, at_least: 6}, {id: bad, label: 不合格, below: 6}]
""")
    assert spec.rounding is None
    assert spec.evaluate({"id": "u", "type": "town", "target": 1, "facts": {"late": 3}}).score == Decimal("2.5")


def test_rounding_with_integer_arithmetic_never_double_rounds() -> None:
    """0.125 half up to 2 places is 0.13, and 1/3 is 0.33, computed without an inexact intermediate."""
    assert round_exact(Fraction(1, 8), 2) == Decimal("0.13")
    assert round_exact(Fraction(-1, 8), 2, "half_even") == Decimal("-0.12")
    assert round_exact(Fraction(1, 3), 2, "up") == Decimal("0.34")


def test_a_derived_mean_or_quotient_is_exact_then_rounded_as_declared() -> None:
    """A mean of 1, 1, 2 is 4/3: refused without rounding; with 2 places it is 1.33, and 10 / 4 stays 2.5."""
    text = """
spec_format: 1
metadata: {id: m, title: m, scale: 10, year: 2021}
unit_types: {town: {label: 镇}}
facts: {v: {type: count, label: 数量, period: quarter, required: true}}
derived:
  avg: {label: 季均, mean: v, each: quarter}
  tenth: {label: 十分之, expr: 10 / 4}
indicators: [{id: a, name: 甲, points: 10}]
"""
    with pytest.raises(SpecError, match="the derived value 「季均」 is a mean"):
        spec_from_text(text)
    spec = spec_from_text(text + "rounding: {places: 2, mode: half_up}\n")
    periods = {"2021Q1": {"v": 1}, "2021Q2": {"v": 1}, "2021Q3": {"v": 2}}
    derived = spec.evaluate({"id": "u", "type": "town", "periods": periods},
                            as_of=dt.date(2021, 9, 30)).derived
    assert derived == {"avg": Decimal("1.33"), "tenth": Decimal("2.5")}

"""The six worked examples of the 2021 reading, exactly (zhenping-2021-reading.md)."""

from __future__ import annotations

from decimal import Decimal

from assessrules.engine.spec import Spec

from .helpers import make_unit


def parts(result: object) -> dict[str, Decimal]:
    """Leaf scores by indicator id."""
    return {i.id: i.score for i in result.indicators}  # type: ignore[attr-defined]


def test_example_a_everything_in_place_scores_100_and_is_commended(spec2021: Spec) -> None:
    """A: everything in place → table 100, final 100, 优秀, commended, deduction 0."""
    result = spec2021.evaluate(make_unit(target=3))
    assert result.table_score == Decimal(100)
    assert result.score == Decimal(100)
    assert result.grade == "优秀"
    assert result.commended is True
    assert result.deduction == Decimal(0)


def test_example_b_parts_table_monthly_final_grade_deduction(spec2021: Spec) -> None:
    """B: parts 10, 10, 5, 2.5, 12, 33; table 72.5; monthly −1.5; final 71, 良好; deduction 1.0."""
    result = spec2021.evaluate(make_unit(
        target=3, basic_elements_missing=2, has_work_body=False, has_review_mechanism=True,
        has_catalogue=True, has_annual_report=False, has_new_media_account=True, has_interaction=False,
        new_media_problems=3, late_disclosures=7, monthly_missed=3, criticisms_city=1, criticisms_county=2))
    p = parts(result)
    assert [p["duties"], p["staffing"], p["review"], p["catalogue"], p["new_media"], p["timeliness"]] == [
        Decimal(10), Decimal(10), Decimal(5), Decimal("2.5"), Decimal(12), Decimal(33)]
    assert result.table_score == Decimal("72.5")
    monthly = [f for f in result.fired if f.label.startswith("月度考核")]
    assert [f.points for f in monthly] == [Decimal("-1.5")]
    assert result.score == Decimal(71)
    assert result.grade == "良好"
    assert result.commended is False
    assert result.deduction == Decimal("1.0")


def test_example_c_exactly_90_belongs_to_the_higher_grade(spec2021: Spec) -> None:
    """C: as A but 10 late items → 90, 优秀 (the boundary belongs to the higher grade)."""
    result = spec2021.evaluate(make_unit(late_disclosures=10))
    assert result.score == Decimal(90)
    assert result.grade == "优秀"
    assert result.commended is True


def test_example_d_half_a_point_below_the_boundary_is_good(spec2021: Spec) -> None:
    """D: as A but 10 late items and 1 missed monthly item → 89.5, 良好."""
    result = spec2021.evaluate(make_unit(late_disclosures=10, monthly_missed=1))
    assert result.score == Decimal("89.5")
    assert result.grade == "良好"


def test_example_e_no_account_fair_grade_deducts_40_percent_plus_website(spec2021: Spec) -> None:
    """E: no account, 15 late, target 5, website unqualified → 65, 一般; deduction 2 + 1.5 = 3.5."""
    result = spec2021.evaluate(make_unit(target=5, has_new_media_account=False, late_disclosures=15,
                                         website_unqualified=True))
    assert result.score == Decimal(65)
    assert result.grade == "一般"
    assert result.grade_deduction == Decimal(2)
    assert result.deduction == Decimal("3.5")
    new_media = next(i for i in result.indicators if i.id == "new_media")
    assert new_media.zeroed is True
    assert new_media.score == Decimal(0)


def test_example_f_failing_deduction_is_capped_at_the_target(spec2021: Spec) -> None:
    """F: no account, 45 late, target 2, 1 State Council criticism → 40, 不合格; deduction min(2, 2 + 2) = 2."""
    result = spec2021.evaluate(make_unit(target=2, has_new_media_account=False, late_disclosures=45,
                                         criticisms_state_council=1))
    assert result.score == Decimal(40)
    assert result.grade == "不合格"
    assert result.grade_deduction == Decimal(2)
    assert result.deduction == Decimal(2)
    assert result.deduction_capped is True
    timeliness = next(i for i in result.indicators if i.id == "timeliness")
    assert (timeliness.raw, timeliness.score, timeliness.floored) == (Decimal(-5), Decimal(0), True)

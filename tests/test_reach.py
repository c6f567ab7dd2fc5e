"""Strategies that reach every grade, the invariants they feed, and counterexamples a person can use."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assessrules
from assessrules.authoring.invariants import InvariantError, assert_invariant, check_spec
from assessrules.authoring.strategies import (
    at_boundary_for,
    mixed_facts_for,
    near_perfect_for,
    perfect_unit,
    single_violation_for,
    worsen,
    worst_unit,
)
from assessrules.cli import run
from assessrules.engine.spec import Spec

SPEC_2021 = assessrules.load_spec("2021")
ROOT = Path(__file__).parent.parent
ALL_GRADES = {g.label for g in SPEC_2021.grades}


def grades_drawn(strategy: st.SearchStrategy[dict[str, Any]], examples: int = 150) -> set[str]:
    """The grades of the units a strategy draws in one hypothesis run."""
    seen: set[str] = set()

    @settings(max_examples=examples, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(unit=strategy)
    def collect(unit: dict[str, Any]) -> None:
        seen.add(SPEC_2021.evaluate(unit).grade or "")

    collect()
    return seen


def spec_with(replacements: dict[str, str], tmp_path: Path) -> Spec:
    """The 2021 spec with each text replaced once."""
    text = (ROOT / "specs" / "2021.yaml").read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = tmp_path / "2021-changed.yaml"
    path.write_text(text, encoding="utf-8")
    return assessrules.load_spec(path)


def test_the_perfect_unit_scores_full_marks_and_the_worst_nothing() -> None:
    """Every fact at its best gives 100 and 优秀; every directed fact at its worst gives 0 and 不合格."""
    best, worst = SPEC_2021.evaluate(perfect_unit(SPEC_2021)), SPEC_2021.evaluate(worst_unit(SPEC_2021))
    assert (best.score, best.grade, worst.score, worst.grade) == (Decimal(100), "优秀", Decimal(0), "不合格")


def test_the_mixed_draw_reaches_every_grade() -> None:
    """优秀, 良好, 一般 and 不合格 all come out of the strategy `check` uses."""
    assert grades_drawn(mixed_facts_for(SPEC_2021)) == ALL_GRADES


def test_the_boundary_draw_reaches_every_grade() -> None:
    """Walking down to each threshold lands on both sides of every one of them."""
    assert grades_drawn(at_boundary_for(SPEC_2021)) == ALL_GRADES


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(unit=near_perfect_for(SPEC_2021))
def test_near_perfect_units_stay_near_the_top(unit: dict[str, Any]) -> None:
    """A few violations away from perfect never falls below 一般 in 2021 (at most 4 × 15 points lost)."""
    assert SPEC_2021.evaluate(unit).score >= 40


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(unit=single_violation_for(SPEC_2021, unit_type="town"))
def test_a_single_violation_neighbour_differs_from_perfect_in_one_place(unit: dict[str, Any]) -> None:
    """At most one fact, in one period, differs from the perfect unit."""
    perfect = perfect_unit(SPEC_2021, "town", unit["target"])
    changed = [n for n in unit["facts"] if unit["facts"][n] != perfect["facts"][n]]
    changed += [(p, n) for p in unit["periods"] for n in unit["periods"][p]
                if unit["periods"][p][n] != perfect["periods"][p][n]]
    assert len(changed) <= 1


def test_worsen_moves_one_step_or_to_the_worst() -> None:
    """`worsen` adds one violation, jumps to the worst allowed value, or says it cannot."""
    perfect = perfect_unit(SPEC_2021)
    assert worsen(SPEC_2021, perfect, "basic_elements_missing")["facts"]["basic_elements_missing"] == 1  # type: ignore[index]
    assert worsen(SPEC_2021, perfect, "basic_elements_missing", how="extreme")["facts"]["basic_elements_missing"] == 6  # type: ignore[index]
    assert worsen(SPEC_2021, perfect, "late_disclosures", how="extreme") is None  # no `max:`: no worst value
    assert worsen(SPEC_2021, perfect, "has_work_body")["facts"]["has_work_body"] is False  # type: ignore[index]
    month = worsen(SPEC_2021, perfect, "online_service_ratio", 2, "to", to=Decimal("0.89"))
    assert month is not None and month["periods"]["2021-03"]["online_service_ratio"] == Decimal("0.89")


# --- the new invariants, each with an example that breaks it and one that keeps it ---------------------

BREAKERS: list[tuple[str, dict[str, str], Callable[[Spec], Any], str]] = [
    ("perfect", {"if: info_published < monthly_info_target": "if: info_published > monthly_info_target"},
     perfect_unit, "a perfect unit scores 94 of 100 on 指标「政务公开」"),
    ("fires", {"value: 0.01": "value: 1"}, lambda s: [],
     "the rule 「月度考核：上传信息差错率超标」(SPEC:308:7) never fired"),
    ("floors", {"per: late_records + late_disclosures\n        points: 1":
                "per: late_records + late_disclosures\n        points: 1\n        max: 10"},
     lambda s: [], "指标「公开内容时效性」(timeliness, SPEC:403:5) never goes below 30"),
    ("grade_order", {"below: 90\n    deduct: 0%": "below: 90\n    deduct: 50%"}, lambda s: None,
     "the better grade 良好 deducts 50% of the target value, more than the worse grade 一般 (40%)"),
    ("dead_range", {"points: 15 / 6": "points: 15 / 3"}, lambda s: None,
     "is used up after 3: 15 ÷ 5 = 3, so 4 to 6 change nothing"),
]


@pytest.mark.parametrize(("name", "change", "example", "message"), BREAKERS, ids=[b[0] for b in BREAKERS])
def test_each_new_invariant_breaks_on_its_mistake_and_holds_on_2021(
        name: str, change: dict[str, str], example: Callable[[Spec], Any], message: str, tmp_path: Path) -> None:
    """The invariant raises on the changed spec, naming the place, and holds on the spec as published."""
    spec = spec_with(change, tmp_path)
    with pytest.raises(InvariantError) as caught:
        assert_invariant(spec, name, example(spec))
    assert message.replace("SPEC", spec.source) in str(caught.value)
    assert_invariant(SPEC_2021, name, example(SPEC_2021))


def test_a_floor_removed_is_reported_where_it_was(tmp_path: Path) -> None:
    """An indicator with deductions and `floor: null`, among indicators that floor at 0, is an error."""
    spec = spec_with({"points: 40\n    method: [查看资料, 政府网站采样]":
                      "points: 40\n    floor: null\n    method: [查看资料, 政府网站采样]"}, tmp_path)
    with pytest.raises(InvariantError, match="has deductions but no floor"):
        assert_invariant(spec, "floors", [])


def test_commendation_belongs_to_the_top_grade(tmp_path: Path) -> None:
    """通报表扬 moved from 优秀 to 良好 is reported, at the grade's line."""
    spec = spec_with({"at_least: 90\n    commend: true": "at_least: 90",
                      "below: 90\n    deduct: 0%": "below: 90\n    commend: true\n    deduct: 0%"}, tmp_path)
    with pytest.raises(InvariantError, match=r"良好 is commended .* but a better grade is not"):
        assert_invariant(spec, "grade_order", None)


def test_monotonic_covers_the_final_score_and_names_the_rule(tmp_path: Path) -> None:
    """A monthly deduction for good behaviour is named with its label and line, and the scores before and after."""
    spec = spec_with({"if: not key_areas_disclosed": "if: key_areas_disclosed"}, tmp_path)
    unit = perfect_unit(spec)
    with pytest.raises(InvariantError) as caught:
        assert_invariant(spec, "monotonic", (unit, "key_areas_disclosed", 0, "step"))
    text = str(caught.value)
    assert "rule 「月度考核：重点领域信息未按要求公开」(" + spec.source + ":272:7): -6 points → -5.5 points" in text
    assert "score 94 → 94.5, grade 优秀 → 优秀" in text


# --- counterexamples ----------------------------------------------------------------------------------


def test_counterexamples_are_never_cut_and_are_written_as_facts_files(tmp_path: Path) -> None:
    """Each counterexample prints whole (it parses as JSON) and `--counterexamples DIR` writes a facts
    file that `score` reads and that reproduces the two scores of the message."""
    spec = spec_with({"if: not key_areas_disclosed": "if: key_areas_disclosed"}, tmp_path)
    out = io.StringIO()
    folder = tmp_path / "cx"
    assert run(["check", spec.source, "--seed", "5", "--counterexamples", str(folder)], out, io.StringIO()) == 1
    lines = [line.strip() for line in out.getvalue().splitlines() if line.strip().startswith("反例：")]
    assert lines and all(json.loads(line.removeprefix("反例：")) for line in lines)
    written = sorted(folder.glob("*-monotonic.yaml"))
    assert written
    data = yaml.safe_load(written[0].read_text(encoding="utf-8"))
    assert [u["id"] for u in data["units"]] == ["before", "after"]
    csv = io.StringIO()
    assert "--allow-dir" in written[0].read_text(encoding="utf-8").splitlines()[1]  # how to score it, said in it
    assert run(["score", str(written[0]), "--format", "csv", "--allow-dir", str(tmp_path)], csv, io.StringIO()) == 0
    before, after = (spec.evaluate(u).score for u in data["units"])
    assert after > before  # the file reproduces the broken invariant


def test_a_default_check_of_2021_holds_and_shows_progress_per_invariant() -> None:
    """Every invariant is reported as it finishes, with its time; the 2021 spec keeps them all."""
    out = io.StringIO()
    assert run(["check", "2021", "--seed", "9"], out, io.StringIO()) == 0
    assert out.getvalue().count(" … 成立（") == 14
    assert check_spec(SPEC_2021, examples=20, seed=9, thorough=True) == []


def test_a_veto_that_raises_a_low_score_breaks_monotonic(tmp_path: Path) -> None:
    """A veto written with a fixed `score: 59` lifts a unit at 40 to 59 when it has a major leak: reported."""
    spec = spec_with({"direct_deductions:\n": "veto:\n  - {label: 发生重大泄密事件, if: platform_rated_poor, score: 59}\n\n"
                      "direct_deductions:\n"}, tmp_path)
    unit = {**perfect_unit(spec), "facts": {**perfect_unit(spec)["facts"], "late_disclosures": 40,
                                            "basic_elements_missing": 6}}
    with pytest.raises(InvariantError, match="raised the final score from 45 to 59"):
        assert_invariant(spec, "monotonic", (unit, "platform_rated_poor", 0, "step"))


def test_a_choice_without_a_direction_takes_its_best_value_in_the_perfect_unit() -> None:
    """mixed.yaml's rating (优/良/差, no direction) is 优 in the perfect unit, which then scores full marks."""
    spec = assessrules.load_spec(ROOT / "tests" / "specs" / "mixed.yaml")
    unit = perfect_unit(spec, "town")
    assert unit["facts"]["rating"] == "优"
    assert_invariant(spec, "perfect", unit)


def test_a_rule_for_named_units_is_tried_on_those_units() -> None:
    """An indicator for 曾家镇 and 城关镇 only (`units:`) gets units of those ids, so its rule can fire."""
    spec = assessrules.load_spec(ROOT / "tests" / "specs" / "shapes" / "applicability.yaml")
    assert_invariant(spec, "fires", [])
    assert_invariant(spec, "floors", [])

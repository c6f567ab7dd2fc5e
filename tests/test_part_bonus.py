"""A part's own bonus (本项加分, issue 14): `bonus:` on an indicator, with its items, cap and gate on that part."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import assessrules
from assessrules import spec_from_text
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.errors import SpecError

PART_BONUS = Path(__file__).parent / "specs" / "shapes" / "part_bonus.yaml"


def load(old: str = "", new: str = "") -> assessrules.Spec:
    text = PART_BONUS.read_text(encoding="utf-8")
    assert old in text
    return spec_from_text(text.replace(old, new), str(PART_BONUS))


def unit(**facts: object) -> dict[str, object]:
    return {"id": "u", "type": "town", "target": 1, "facts": facts}


def web(result: assessrules.Result) -> Decimal | None:
    return next(i.score for i in result.indicators if i.id == "web")


def test_the_hand_worked_part_bonus_scenarios_pass() -> None:
    """Every case of part_bonus.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(PART_BONUS)
    outcomes = run_cases(spec, load_cases(spec, PART_BONUS.with_name("part_bonus.tests.yaml")))
    assert len(outcomes) == 4
    assert [o.differences for o in outcomes if not o.passed] == []


@pytest.mark.parametrize(("gate", "errors", "score"), [
    ("{above: 30}", 5, 30), ("{above: 30}", 4, 35), ("{at_least: 30}", 5, 33), ("30", 5, 33), ("30", 6, 28)])
def test_a_part_bonus_gate_is_at_least_or_strictly_above(gate: str, errors: int, score: int) -> None:
    """At exactly 30 a strict gate keeps the bonus out and an inclusive one lets it in; below 30 neither does."""
    spec = load("gate: {above: 30}", f"gate: {gate}")
    assert web(spec.evaluate(unit(web_errors=errors, web_award=True))) == Decimal(score)


def test_the_batch_scorer_gives_the_same_part_bonus() -> None:
    """evaluate_many (the compiled scorer) adds, caps and gates a part's bonus like evaluate."""
    spec = assessrules.load_spec(PART_BONUS)
    units = [{**unit(web_errors=4, web_award=True, web_practices=2), "id": "a"},
             {**unit(web_errors=5, web_award=True), "id": "b"}]
    assert [web(r) for r in spec.evaluate_many(units)] == [Decimal(36), Decimal(30)]


def test_the_account_says_why_a_part_bonus_was_cut_or_left_out() -> None:
    """The part's line says the bonus was held to its cap, or not counted under the gate."""
    spec = assessrules.load_spec(PART_BONUS)
    capped = spec.evaluate(unit(web_errors=4, web_award=True, web_practices=2)).explain()
    gated = spec.evaluate(unit(web_errors=5, web_award=True)).explain()
    assert "本项加分合计 5 分，以上限 4 分计" in capped
    assert "本项得分 30 未高于 30 分，本项加分不计" in gated and "网站获评优秀" not in gated


def test_a_part_bonus_is_not_the_units_bonus() -> None:
    """The part's items show on its line, and the unit's bonus stays 0."""
    result = assessrules.load_spec(PART_BONUS).evaluate(unit(web_errors=4, web_award=True))
    fired = next(i for i in result.indicators if i.id == "web").fired
    assert [f.label for f in fired] == ["网站差错", "网站获评优秀"]
    assert (result.bonus, result.bonus_items) == (Decimal(0), ())


def test_a_part_bonus_gate_beyond_the_parts_points_is_refused() -> None:
    """A gate of 45 on a 40-point part can never be reached: refused at the gate."""
    with pytest.raises(SpecError) as caught:
        load("gate: {above: 30}", "gate: {above: 45}")
    problem = caught.value.problems[0]
    assert "outside" in problem.message and problem.path[-1] == "gate"

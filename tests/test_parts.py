"""Rules per part (issue 14, item 3): reading another indicator's score with score("id")."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import assessrules
from assessrules import spec_from_text
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.errors import SpecError

PARTS = Path(__file__).parent / "specs" / "shapes" / "parts.yaml"


def load(old: str, new: str) -> assessrules.Spec:
    text = PARTS.read_text(encoding="utf-8")
    assert old in text
    return spec_from_text(text.replace(old, new), str(PARTS))


def test_the_hand_worked_part_scenarios_pass() -> None:
    """Every case of parts.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(PARTS)
    outcomes = run_cases(spec, load_cases(spec, PARTS.with_name("parts.tests.yaml")))
    assert [o.differences for o in outcomes if not o.passed] == []


def test_a_rule_may_read_an_indicator_written_before_it() -> None:
    """service, after platforms, loses 10 when the website scored below 20: 30 − 6 × 2 = 18 → service 30."""
    spec = load("    name: 政务服务\n    points: 40\n",
                "    name: 政务服务\n    points: 40\n"
                "    deduct: [{label: 网站拖累, if: 'score(\"web\") < 20', points: 10}]\n")
    result = spec.evaluate({"id": "u", "type": "town", "target": 1, "facts": {"web_errors": 6}})
    assert next(i.score for i in result.indicators if i.id == "service") == Decimal(30)


@pytest.mark.parametrize(("rule", "message"), [
    ("if: 'score(\"service\") < 20'", "reads score(\"service\"), which is scored after this rule"),
    ("if: 'score(\"platforms\") < 20'", "reads score(\"platforms\"), which depends on this rule: a cycle"),
    ("if: 'score(\"web\") < 20'", "reads score(\"web\"), which depends on this rule: a cycle"),
    ("if: 'score(\"webb\") < 20'", "no indicator `webb` to read the score of"),
])
def test_reading_a_score_not_yet_known_is_refused_where_it_is_written(rule: str, message: str) -> None:
    """A later indicator, one's own or a parent's score is refused at the rule's line; a typo gets a did-you-mean."""
    with pytest.raises(SpecError) as caught:
        load("deduct: [{label: 网站差错, per: web_errors, points: 2}]",
             f"deduct: [{{label: 网站差错, per: web_errors, points: 2}}, {{label: 循环, {rule}, points: 1}}]")
    found = [p for p in caught.value.problems if message in p.message]
    assert found and found[0].line == 20, caught.value.problems


def test_derived_values_cannot_read_scores() -> None:
    """Derived values are computed before scoring: score() there is refused."""
    text = PARTS.read_text(encoding="utf-8").replace(
        "indicators:\n", "derived:\n  w: {label: w, expr: 'score(\"web\")'}\nindicators:\n", 1)
    with pytest.raises(SpecError, match="can be used only in rules"):
        spec_from_text(text, str(PARTS))


def test_a_part_has_its_own_grade_with_its_consequence() -> None:
    """The website at 16 is 不合格 below its own 18, shown on its line; at 26 it is 合格 and brings nothing."""
    spec = assessrules.load_spec(PARTS)
    low = spec.evaluate({"id": "u", "type": "town", "target": 1, "facts": {"web_errors": 7}})
    web = next(i for i in low.indicators if i.id == "web")
    assert (web.grade, web.to_dict()["grade"]) == ("不合格", "不合格")
    assert "政府网站  16 / 30  等次 不合格" in low.explain()
    assert low.consequences == ("政府网站不合格：网站分项评为不合格，限期整改",)
    high = spec.evaluate({"id": "u", "type": "town", "target": 1, "facts": {"web_errors": 2}})
    assert (next(i.grade for i in high.indicators if i.id == "web"), high.consequences) == ("合格", ())


def test_a_part_grade_cannot_deduct_from_the_target_value() -> None:
    """`deduct:` on a part's grade is refused: only the whole unit's grade acts on the target value."""
    with pytest.raises(SpecError, match="a part's grade has no `deduct`"):
        load("below: 18, consequence:", "below: 18, deduct: 50%, consequence:")

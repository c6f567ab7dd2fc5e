"""Fixes to the spec language (issue 14, item 8): scenario expectations by type, bonus/veto checks, `stop:`."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessrules import spec_from_text
from assessrules.authoring.scenarios import Case, check_case, load_cases, run_cases
from assessrules.errors import SpecError

SHAPES = Path(__file__).parent / "specs" / "shapes"

FLAGGED = """
spec_format: 1
metadata: {id: flagged, title: 派生判断, scale: 10}
unit_types: {town: {label: 镇}}
facts: {late: {type: count, label: 迟报, default: 0}}
derived:
  many_late: {label: 迟报较多, expr: late > 3}
  late_twice: {label: 迟报加倍, expr: late * 2}
indicators: [{id: a, name: 甲, points: 10, deduct: [{label: 迟报, per: late, points: 1}]}]
grades: [{id: ok, label: 合格, at_least: 6}, {id: bad, label: 不合格, below: 6}]
"""


def case(expect: dict[str, object], **facts: object) -> Case:
    return Case("c", {"id": "u", "type": "town", "target": 1, "facts": facts}, expect, None, (), "here")


def test_a_yes_no_derived_value_is_compared_as_yes_or_no() -> None:
    """`many_late: true` holds for 5 late; `1` is refused with the hint to write true or false."""
    spec = spec_from_text(FLAGGED)
    assert check_case(spec, case({"derived": {"many_late": True, "late_twice": 10}}, late=5)).passed
    assert check_case(spec, case({"derived": {"many_late": False}}, late=1)).passed
    wrong = check_case(spec, case({"derived": {"many_late": 1}}, late=5))
    assert wrong.differences == ("derived.many_late: expected 1, but this is a yes/no value: write true or false",)
    assert check_case(spec, case({"derived": {"many_late": False}}, late=5)).differences == (
        "derived.many_late: expected False, got True",)


def test_an_expected_number_may_be_an_exact_fraction() -> None:
    """`"295/3"` is compared exactly: 98.33 (published) is not 295/3."""
    spec = spec_from_text(FLAGGED)
    assert check_case(spec, case({"score": "14/2"}, late=3)).passed
    assert not check_case(spec, case({"score": "20/3"}, late=3)).passed


def test_scenarios_check_bonus_gating_and_veto() -> None:
    """bonus_veto.tests.yaml checks the bonus counted, claimed and gated, and which veto fired."""
    from assessrules import load_spec

    spec = load_spec(SHAPES / "bonus_veto.yaml")
    cases = load_cases(spec, SHAPES / "bonus_veto.tests.yaml")
    assert all(o.passed for o in run_cases(spec, cases))
    wrong = [Case(c.name, c.unit, {**c.expect, "veto": "报送虚假材料", "bonus_gated": True}, None, (), "")
             for c in cases[:1]]
    assert run_cases(spec, wrong)[0].differences == ("bonus_gated: expected True, got False",
                                                    "veto: expected 报送虚假材料, got none")


def test_stop_on_a_veto_is_refused_with_the_hint_to_delete_it() -> None:
    """`stop: true` never did more than require `score:`; it is now a located error."""
    text = (SHAPES / "bonus_veto.yaml").read_text(encoding="utf-8").replace(
        "{label: 报送虚假材料, if: false_data}", "{label: 报送虚假材料, if: false_data, score: 0, stop: true}")
    with pytest.raises(SpecError) as caught:
        spec_from_text(text, "bonus_veto.yaml")
    [problem] = caught.value.problems
    assert "`stop:` is no longer part of a veto" in problem.message
    assert problem.line == 23 and problem.hint is not None and "delete the line" in problem.hint

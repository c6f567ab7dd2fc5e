"""Fixes to the spec language (issue 14, item 8): scenario expectations by type, bonus/veto checks, `stop:`."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessrules import load_spec, spec_from_text
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


# --- messages while authoring (item 9) -------------------------------------------------------------


@pytest.mark.parametrize(("line", "fixed"), [
    ('  label: "重点"领域信息公开', "label: '\"重点\"领域信息公开'"),
    ("  - label: 说明: 按月更新", "- label: '说明: 按月更新'"),
])
def test_yaml_that_fails_on_a_quote_or_a_colon_gets_the_line_fixed(line: str, fixed: str) -> None:
    """A value that starts with a quote or holds `: ` is shown quoted whole, as the hint."""
    from assessrules.rules.document import DocumentError, load_document

    with pytest.raises(DocumentError) as caught:
        load_document(f"indicators:\n{line}\n  x: 1\n", "s.yaml")
    [problem] = caught.value.problems
    assert problem.line == 2 and problem.hint is not None
    assert problem.hint.endswith(f"quote the whole value, e.g. line 2 as  {fixed}")


def test_validate_recognises_scenario_files() -> None:
    """`validate *.yaml` loads X.tests.yaml as scenarios for X.yaml, and reports a bad case at its line."""
    import io

    from assessrules.cli import run

    out, err = io.StringIO(), io.StringIO()
    assert run(["validate", str(SHAPES / "bonus_veto.tests.yaml"), str(SHAPES / "bonus_veto.yaml")], out, err) == 0
    assert "bonus_veto.tests.yaml — 情景测试文件，4 个用例" in out.getvalue()


def test_validate_reports_a_bad_scenario_file(tmp_path: Path) -> None:
    """An unknown expectation in a scenario file is a located problem and a non-zero exit."""
    import io

    from assessrules.cli import run

    (tmp_path / "s.yaml").write_text(FLAGGED, encoding="utf-8")
    (tmp_path / "s.tests.yaml").write_text("cases:\n  - name: a\n    expect: {scroe: 10}\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["validate", str(tmp_path / "s.tests.yaml")], out, err) == 2
    assert "s.tests.yaml:3:14: 未知的期望项 `scroe`" in err.getvalue()
    assert "提示：可用的期望项：score、table_score" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert run(["validate", "--lang", "en", str(tmp_path / "s.tests.yaml")], out, err) == 2
    assert "s.tests.yaml:3:14: unknown expectation `scroe`" in err.getvalue()
    assert "hint: one of: score, table_score" in err.getvalue()


def test_missing_periods_are_one_line_per_unit() -> None:
    """Months 2 and 5–12 missing: one problem listing them as runs, not nine."""
    from assessrules.errors import FactsError

    spec = load_spec(SHAPES / "exact.yaml")
    periods = {"2021-01": {"column_updated": True}, "2021-03": {"column_updated": True},
               "2021-04": {"column_updated": True}}
    with pytest.raises(FactsError) as caught:
        spec.evaluate({"id": "u", "type": "town", "target": 1, "periods": periods})
    [problem] = caught.value.problems
    assert problem.message.endswith("missing months 2021-02, 2021-05–2021-12")
    assert problem.hint is not None and "(9 of 12 are missing)" in problem.hint

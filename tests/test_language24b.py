"""Issue 24's language items of h-lang24b, each through the public API and its shape's scenario file.

Next year's edits (`rules:` adds a rule; the unit's bonus merges key by key; what a removal leaves behind is a
warning), and the other shapes below, each hand-worked in ``tests/specs/shapes/*.tests.yaml``.
"""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import assessrules
from assessrules._resources import load_schema
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.cli import run
from assessrules.errors import Problem, SpecError
from assessrules.messages import render_problem

SHAPES = Path(__file__).parent / "specs" / "shapes"
SPEC_SCHEMA = jsonschema.Draft202012Validator(load_schema("spec-1.schema.json"))
D = Decimal


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


def extend(tmp_path: Path, body: str) -> Path:
    """An extending file over a copy of next_edits_base.yaml, both in ``tmp_path``."""
    shutil.copy(SHAPES / "next_edits_base.yaml", tmp_path / "next_edits_base.yaml")
    path = tmp_path / "next.yaml"
    path.write_text(f"spec_format: 1\nextends: next_edits_base.yaml\n{body}", encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    return list(caught.value.problems)


def town(**facts: Any) -> dict[str, Any]:
    return {"id": "u", "type": "town", "target": 1, "facts": {"paper_missing": 0, **facts}}


def scenario_passes(name: str) -> None:
    spec = assessrules.load_spec(SHAPES / f"{name}.yaml")
    outcomes = run_cases(spec, load_cases(spec, SHAPES / f"{name}.tests.yaml"))
    assert outcomes and all(o.passed for o in outcomes), [o for o in outcomes if not o.passed]


# --- next year's edits -------------------------------------------------------------------------------


def test_next_years_edits_add_rules_and_edit_bonuses() -> None:
    """`rules:` adds a deduction, a part's veto (after the one it names) and bonus item, and a unit veto under
    `total`; the part's and the unit's bonus caps change key by key, their items kept."""
    spec = assessrules.load_spec(SHAPES / "next_edits.yaml")
    web = spec.indicator("web")
    assert [t.label for t in web.triggers if t.kind == "veto"] == ["泄露个人信息，本项最高计20分", "网站被篡改，本项计0分"]
    assert web.bonus is not None and web.bonus.cap == 3 and [t.label for t in web.bonus.items] == [
        "网站获评优秀", "网站创新做法"]
    assert spec.bonus is not None and spec.bonus.cap == 6 and len(spec.bonus.items) == 1
    assert [v.label for v in spec.vetoes] == ["报送虚假材料"]
    result = spec.evaluate(town(late=3, blank_columns=2, ledger_missing=1, paper_missing=5))
    assert (result.score, result.grade) == (D(89), "良好")
    scenario_passes("next_edits")


def test_what_a_removal_leaves_behind_is_a_warning_not_an_error() -> None:
    """Removing 纸质台账缺失 leaves the required fact it read and the assumption it cited: the spec loads, with
    a warning for each, located at their declarations."""
    spec = assessrules.load_spec(SHAPES / "next_edits.yaml")
    assert [(w.code, w.path) for w in spec.warnings] == [
        ("extends.orphan_fact", ("facts", "paper_missing")),
        ("extends.orphan_assumption", ("assumptions", 0, "id"))]
    fact, assumption = (render_problem(w, "zh") for w in spec.warnings)
    assert "必填数据项 `paper_missing`（缺失纸质台账本数）已没有任何规则读取" in fact
    assert "`paper_missing: null`" in fact
    assert all(str(w.file).endswith("next_edits_base.yaml") for w in spec.warnings)  # where they are declared
    assert "解读 `paper_books` 已不被任何指标、参数或规则引用" in assumption
    assert "after the removals nothing reads the required fact `paper_missing`" in render_problem(spec.warnings[0], "en")
    assert assessrules.load_spec(SHAPES / "next_edits_base.yaml").warnings == ()


def test_the_warning_goes_once_its_cause_is_removed_too(tmp_path: Path) -> None:
    """Writing `paper_missing: null` and removing the assumption, as the hints say, leaves no warning; a fact that
    the base did not read either is not the extending spec's doing."""
    body = """\
facts: {paper_missing: null}
assumptions: [{id: paper_books, remove: true}]
indicators:
  - id: records
    rules: [{label: 纸质台账缺失, remove: true}]
"""
    assert assessrules.load_spec(extend(tmp_path, body)).warnings == ()
    body = """\
facts: {notes: {type: count, label: 备注数, required: true, max: 5}}
"""
    assert assessrules.load_spec(extend(tmp_path, body)).warnings == ()


def test_an_orphan_stays_a_warning_through_a_further_extension(tmp_path: Path) -> None:
    """A spec extending next year's keeps the warning while the fact is still left behind."""
    for name in ("next_edits_base.yaml", "next_edits.yaml"):
        shutil.copy(SHAPES / name, tmp_path / name)
    path = tmp_path / "later.yaml"
    path.write_text("spec_format: 1\nextends: next_edits.yaml\nmetadata: {id: shape-later, title: 再下一年}\n",
                    encoding="utf-8")
    assert [w.code for w in assessrules.load_spec(path).warnings] == ["extends.orphan_fact",
                                                                       "extends.orphan_assumption"]


def test_validate_and_diff_print_the_warnings_and_still_succeed() -> None:
    code, out, err = call("validate", str(SHAPES / "next_edits.yaml"))
    assert code == 0 and "通过" in out
    assert err.count("提醒：") == 2 and "next_edits_base.yaml:9:" in err and "`paper_missing: null`" in err
    code, out, err = call("validate", "--errors", "json", str(SHAPES / "next_edits.yaml"))
    assert code == 0 and err.count("提醒：") == 2
    code, out, err = call("diff", str(SHAPES / "next_edits_base.yaml"), str(SHAPES / "next_edits.yaml"))
    assert code == 0 and "栏目空白" in out and err.count("提醒：") == 2
    code, out, err = call("--lang", "en", "diff", str(SHAPES / "next_edits_base.yaml"), str(SHAPES / "next_edits.yaml"))
    assert "warning: " in err and "nothing reads the required fact `paper_missing`" in err


@pytest.mark.parametrize(("body", "code", "line", "words"), [
    ("indicators:\n  - id: web\n    rules:\n      - {add: multiplier, label: 系数, factor: 1}\n",
     "extends.add_where", 6, "不能向「multiplier」新增规则"),
    ("indicators:\n  - id: records\n    rules:\n      - {add: bonus, label: 台账创新, if: web_award, points: 1}\n",
     "extends.add_where", 6, "不能向「bonus」新增规则"),
    ("indicators:\n  - id: web\n    rules:\n      - {add: deduct, label: 未按时更新, per: late, points: 2}\n",
     "extends.add_exists", 6, "已有名为「未按时更新」的规则"),
    ("indicators:\n  - id: web\n    rules:\n      - {add: deduct, id: blank, per: late, points: 2}\n",
     "extends.add_label", 6, "缺少 `label:`"),
    ("indicators:\n  - id: web\n    rules:\n      - {add: veto, label: 篡改, if: web_leak, after: 泄露个人信息，本项最高计2分}\n",
     "extends.no_rule_typo", 6, "泄露个人信息，本项最高计20分"),
])
def test_a_rule_that_cannot_be_added_is_refused_in_the_extending_file(tmp_path: Path, body: str, code: str,
                                                                      line: int, words: str) -> None:
    path = extend(tmp_path, body)
    problems = problems_of(path)
    assert [p.code for p in problems] == [code]
    said = render_problem(problems[0], "zh")
    assert problems[0].file == str(path) and problems[0].line == line and words in said, said


def test_the_extending_file_with_added_rules_passes_the_editor_schema() -> None:
    data = yaml.safe_load((SHAPES / "next_edits.yaml").read_text(encoding="utf-8"))
    assert list(SPEC_SCHEMA.iter_errors(data)) == []


# --- conversion after the bonus ----------------------------------------------------------------------


def test_a_share_of_the_table_and_its_bonus_is_the_score() -> None:
    """(97 + 2) × 1% = 0.99, graded on the converted scale; the account shows the share."""
    spec = assessrules.load_spec(SHAPES / "conversion_share.yaml")
    assert spec.conversion is not None and (spec.conversion.to, spec.conversion.share) == (D(1), D("0.01"))
    result = spec.evaluate({"id": "u", "type": "town", "facts": {"late": 3, "practices": 1}})
    assert (result.base_score, result.bonus, result.score, result.grade) == (D(97), D(2), D("0.99"), "优秀")
    assert "折算为考核分值：(97 + 2) × 1%" in result.explain()
    assert "converted to the assessment score: (97 + 2) × 1%" in result.explain(lang="en")
    scenario_passes("conversion_share")


def test_a_conversion_takes_to_or_share_not_both(tmp_path: Path) -> None:
    text = (SHAPES / "conversion_share.yaml").read_text(encoding="utf-8")
    path = tmp_path / "both.yaml"
    path.write_text(text.replace("conversion: {share: 1%,", "conversion: {share: 1%, to: 1,"), encoding="utf-8")
    assert problems_of(path)[0].path[0] == "conversion"


# --- a parent's own score ----------------------------------------------------------------------------


def test_a_parents_own_score_reads_its_children() -> None:
    """依申请公开 = 90% × 20 − 2 − 2 (what its children lost) − 0.5 (its own deduction) = 13.5; the account shows the
    parent's formula, not a sum of the items it does not take."""
    spec = assessrules.load_spec(SHAPES / "parent_score.yaml")
    result = spec.evaluate({"id": "u", "type": "dept", "facts": {"on_time_rate": "90%", "irregular_replies": 2,
                                                                 "corrected": 1, "late_reports": 1}})
    assert {i.id: i.score for i in result.indicators if i.id in ("requests", "replies", "review")} == {
        "requests": D("13.5"), "replies": D(3), "review": D(3)}
    assert result.score == D("93.5")
    account = result.explain()
    assert "= 14  按期办结率计分" in account and "各项合计" not in account
    scenario_passes("parent_score")


# --- a grade from an assessor's verdict --------------------------------------------------------------


def test_the_grade_is_the_assessors_verdict_and_the_score_is_still_the_tables() -> None:
    spec = assessrules.load_spec(SHAPES / "verdict_grade.yaml")
    assert spec.grade_by == "verdict" and [g.verdicts for g in spec.grades] == [("好",), ("较好",), ("一般",), ("差",)]
    result = spec.evaluate({"id": "u", "type": "dept", "target": 2, "facts": {"verdict": "一般", "late": 1}})
    assert (result.score, result.grade, result.deduction) == (D(98), "合格", D(1))
    assert "合格（考核组评议结果为「一般」，得分 98）：扣除目标分值的 50%：1 分" in result.explain()
    assert "Pass" not in result.explain(lang="en") and "「一般」, score 98" in result.explain(lang="en")
    scenario_passes("verdict_grade")


def test_a_group_of_verdict_graded_units_has_no_grade_of_its_own() -> None:
    text = (SHAPES / "verdict_grade.yaml").read_text(encoding="utf-8")
    spec = assessrules.spec_from_text(text + "groups: {county: {label: 全县, members: [dept]}}\n"
                                                  "rounding: {places: 2}\n")
    results = [spec.evaluate({"id": u, "type": "dept", "facts": {"verdict": v}}) for u, v in (("a", "好"), ("b", "差"))]
    (group,) = spec.score_groups(results)
    assert group.grade is None and group.score == D(100)


@pytest.mark.parametrize(("change", "code", "words"), [
    (("grade_by: verdict", "grade_by: late"), "spec.grade_by", "`grade_by: late` 须指向一个年度的 `enum` 数据项"),
    (("verdict: 较好}", "verdict: 较佳}"), "spec.verdict_value", "「较佳」不是 `verdict` 的取值"),
    (("verdict: 一般, deduct", "verdict: [一般, 好], deduct"), "spec.verdict_twice",
     "评议结果「好」既对应「优秀」又对应「合格」"),
    (("verdict: 一般, deduct", "verdict: 差, deduct"), "spec.verdict_twice",
     "评议结果「差」既对应「合格」又对应「不合格」"),
    (("  - {id: poor, label: 不合格, verdict: 差, deduct: 100%}\n", ""), "spec.verdict_missing",
     "`verdict` 的评议结果 差 没有对应任何等次"),
    (("label: 良好, verdict: 较好}", "label: 良好, verdict: 较好, at_least: 80}"), "spec.verdict_grade",
     "等次「良好」由 `verdict` 确定"),
    (("grade_by: verdict\n", ""), "spec.verdict_without_grade_by", "但没有 `grade_by:` 指明评议结果所在的数据项"),
])
def test_a_verdict_grade_that_does_not_fit_is_refused_at_its_place(tmp_path: Path, change: tuple[str, str], code: str,
                                                                   words: str) -> None:
    text = (SHAPES / "verdict_grade.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "spec.yaml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    problems = problems_of(path)
    assert code in [p.code for p in problems]
    said = [render_problem(p, "zh") for p in problems]
    assert any(words in s for s in said), said


# --- points that depend on the unit ------------------------------------------------------------------


def test_rules_read_the_units_type_and_id_as_plain_names() -> None:
    spec = assessrules.load_spec(SHAPES / "unit_dependent.yaml")

    def score(uid: str, kind: str, **facts: Any) -> Decimal:
        return spec.evaluate({"id": uid, "type": kind, "facts": {"events": 2, **facts}}).score

    assert (score("a", "town", missing=3), score("b", "dept", missing=3)) == (D(94), D(97))
    assert score("county_office", "dept", missing=1, coordination_missed=2) == D(95)
    result = spec.evaluate({"id": "a", "type": "town", "facts": {"missing": 3}})
    fired = next(f for i in result.indicators for f in i.fired if f.label.startswith("缺项"))
    assert dict(fired.facts) == {"missing": 3}  # the unit's type is not a fact: the account lists the facts only
    scenario_passes("unit_dependent")


@pytest.mark.parametrize(("old", "new", "code"), [
    ("unit_type == 'town'", "unit_type == 'towns'", "expression.enum_value"),
    ("unit_type == 'town'", "unit.type == 'town'", None),
])
def test_the_unit_names_are_checked_and_attribute_access_stays_refused(tmp_path: Path, old: str, new: str,
                                                                       code: str | None) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text((SHAPES / "unit_dependent.yaml").read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0].path[:2] == ("indicators", 0)
    if code is not None:
        assert problems[0].code == code


def test_a_derived_value_cannot_read_the_unit(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    text = (SHAPES / "unit_dependent.yaml").read_text(encoding="utf-8")
    path.write_text(text + "derived:\n  town: {label: 是镇, expr: \"unit_type == 'town'\"}\n", encoding="utf-8")
    assert [p.path for p in problems_of(path)] == [("derived", "town", "expr")]


# --- per-unit totals ---------------------------------------------------------------------------------


def test_a_departments_total_is_90_and_its_grade_reads_the_percentage() -> None:
    """81 of 90 is 90%: 优秀 for a department, while 81 of 100 in a town is 良好."""
    spec = assessrules.load_spec(SHAPES / "unit_totals.yaml")
    dept = spec.evaluate({"id": "d", "type": "dept", "facts": {"late": 9}})
    town = spec.evaluate({"id": "t", "type": "town", "facts": {"late": 9, "column_gaps": 5}})
    assert (dept.score, dept.grade, town.score, town.grade) == (D(81), "优秀", D(81), "良好")
    assert next(i.points for i in dept.indicators if i.id == "total") == D(90)
    assert "良好（75% ≤ 得分率 88.89%（80 / 90） < 90%）" in spec.evaluate(
        {"id": "d", "type": "dept", "facts": {"late": 10}}).explain()
    scenario_passes("unit_totals")


def test_the_top_level_points_must_add_up_to_the_units_total(tmp_path: Path) -> None:
    """The 专栏 left worth 10 to a department whose total is 90: 90 + 10 ≠ 90, an error naming the unit."""
    path = tmp_path / "spec.yaml"
    path.write_text((SHAPES / "unit_totals.yaml").read_text(encoding="utf-8").replace(
        "unit_points: \"10 if unit_type == 'town' else 0\"", "unit_points: '10'"), encoding="utf-8")
    spec = assessrules.load_spec(path)
    assert spec.evaluate({"id": "t", "type": "town", "facts": {}}).score == D(100)
    with pytest.raises(assessrules.AssessRulesError) as caught:
        spec.evaluate({"id": "d", "type": "dept", "facts": {}})
    assert "d" in str(caught.value)


def test_grades_on_the_score_stay_the_default_for_a_per_unit_total(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text((SHAPES / "unit_totals.yaml").read_text(encoding="utf-8").replace("grade_on: percentage\n", ""),
                    encoding="utf-8")
    assert assessrules.load_spec(path).evaluate({"id": "d", "type": "dept", "facts": {"late": 9}}).grade == "良好"


# --- weights on raw scores ---------------------------------------------------------------------------


def test_weights_on_raw_scores_keep_each_parts_own_maximum() -> None:
    spec = assessrules.load_spec(SHAPES / "raw_weights.yaml")
    assert spec.root.raw_weights and [c.points for c in spec.root.children] == [D(100), D(120)]
    result = spec.evaluate({"id": "d", "type": "dept", "facts": {"work_errors": 5, "complaints": 5}})
    assert (result.score, result.grade) == (D("99.5"), "优秀")  # 70% × 95 + 30% × 110
    scenario_passes("raw_weights")


@pytest.mark.parametrize(("old", "new", "code", "words"), [
    ("scale: 106", "scale: 100", "spec.raw_weights_points", "各项最多得 70% × 100 + 30% × 120 = 106 分，而不是 100 分"),
    ("    weight: 30%\n", "    weight: 40%\n", "spec.weights", "100"),
])
def test_raw_weights_declare_the_real_maximum(tmp_path: Path, old: str, new: str, code: str, words: str) -> None:
    path = tmp_path / "spec.yaml"
    text = (SHAPES / "raw_weights.yaml").read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = problems_of(path)
    assert code in [p.code for p in problems]
    assert any(words in render_problem(p, "zh") for p in problems if p.code == code)


def test_raw_weighting_needs_weighted_children(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    text = (SHAPES / "raw_weights.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("    weight: 70%\n", "").replace("    weight: 30%\n", "").replace(
        "scale: 106", "scale: 220"), encoding="utf-8")
    assert [p.code for p in problems_of(path)] == ["spec.raw_weights_unweighted"]

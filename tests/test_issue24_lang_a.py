"""Issue 24's language items of h-lang24a: gap counts, dates, consistency and authoring messages.

Each shape is tried through the public API (``load_spec``, ``evaluate``) and, where a person reads it, through
the command line; the specs are in tests/specs/shapes/ with their scenario files.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import assessrules
from assessrules import SpecError
from assessrules.cli import run
from assessrules.messages import problem_message

SHAPES = Path(__file__).parent / "specs" / "shapes"

BASE = """\
spec_format: 1
metadata: {id: base, title: 基础, scale: 100}
unit_types: {u: {label: 单位}}
facts:
  x: {type: count, label: 次数, default: 0}
indicators:
  - {id: a, name: 甲项, points: 2, deduct: [{label: 差错, per: x, points: 1}]}
  - {id: b, name: 乙项, points: 98}
grades:
  - {id: good, label: 优秀, at_least: 90}
  - {id: fair, label: 良好, at_least: 80, below: 90}
  - {id: poor, label: 一般, below: 80}
"""


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def problems_of(path: Path) -> list[assessrules.Problem]:
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    return list(caught.value.problems)


# --- authoring messages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "number"), [("2分", "2"), ("2 分", "2"), ("2.5分", "2.5"), ("3 points", "3")])
def test_points_with_their_unit_ask_for_the_number_only(tmp_path: Path, written: str, number: str) -> None:
    """`points: 2分`, as a document writes it, is told to write the number only — not "invalid syntax"."""
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE.replace("points: 2,", f"points: {written},"), encoding="utf-8")
    [problem] = problems_of(spec)
    assert problem.code == "spec.points_with_unit" and problem.json_path == "$.indicators[0].points"
    assert problem_message(problem, "zh")[1] == f"请只写数字：`points: {number}`"
    assert problem_message(problem, "en")[1] == f"write the number only: `points: {number}`"
    assert problem.line == 7


def test_a_grade_gap_after_an_extending_spec_moves_the_upper_grade_proposes_the_lower_follows(tmp_path: Path) -> None:
    """优秀 moved to 92 in next year's spec: the hint says `below: 92` on 良好, not the undo `at_least: 90`."""
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("spec_format: 1\nextends: base.yaml\nmetadata: {id: next, title: 次年}\n"
                     "grades:\n  - {id: good, at_least: 92}\n", encoding="utf-8")
    [gap] = problems_of(child)
    assert gap.code == "spec.grade_gap" and gap.file == str(child) and gap.line == 5
    assert problem_message(gap, "zh")[1] == "请把「良好」设为 `below: 92`"
    assert problem_message(gap, "en")[1] == "set `below: 92` on 「良好」"


def test_a_grade_gap_after_an_extending_spec_moves_the_lower_grade_proposes_the_upper_follows(tmp_path: Path) -> None:
    """良好 moved to `below: 88`: the hint says `at_least: 88` on 优秀."""
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("spec_format: 1\nextends: base.yaml\nmetadata: {id: next, title: 次年}\n"
                     "grades:\n  - {id: fair, below: 88}\n", encoding="utf-8")
    [gap] = problems_of(child)
    assert gap.code == "spec.grade_gap" and gap.file == str(child)
    assert problem_message(gap, "zh")[1] == "请把「优秀」设为 `at_least: 88`"


def test_a_grade_gap_in_one_file_proposes_the_lower_grade_follows(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE.replace("at_least: 90}", "at_least: 92}"), encoding="utf-8")
    [gap] = problems_of(spec)
    assert problem_message(gap, "en")[1] == "set `below: 92` on 「良好」"


def test_a_problem_in_an_extending_file_has_the_path_of_that_file(tmp_path: Path) -> None:
    """`file:line` names the extending file, so the JSON `path` is the path in that file, not in the merged spec."""
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("spec_format: 1\nextends: base.yaml\nmetadata: {id: next, title: 次年}\nindicators:\n"
                     "  - {id: b, points: 97}\n  - {id: a, points: 3分}\n", encoding="utf-8")
    code, _, err = cli("--errors", "json", "validate", str(child))
    assert code == 2
    [problem] = json.loads(err)["problems"]
    assert problem["file"] == str(child) and problem["line"] == 6
    assert problem["path"] == "$.indicators[1].points"  # in the merged spec `a` is $.indicators[0]
    text = child.read_text(encoding="utf-8").splitlines()
    assert "3分" in text[problem["line"] - 1]


def test_a_problem_in_the_base_file_keeps_the_base_path(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE.replace("points: 98}", "points: 98分}"), encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("spec_format: 1\nextends: base.yaml\nmetadata: {id: next, title: 次年}\n", encoding="utf-8")
    [problem] = problems_of(child)
    assert problem.file == str(tmp_path / "base.yaml") and problem.json_path == "$.indicators[1].points"


def test_per_with_if_is_refused_with_how_to_count_under_a_condition(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE.replace("{label: 差错, per: x, points: 1}", "{label: 差错, per: x, if: x > 1, points: 1}"),
                    encoding="utf-8")
    [problem] = problems_of(spec)
    assert problem.code == "spec.trigger_ambiguous"
    assert "`per: \"errors if not rectified else 0\"`" in (problem_message(problem, "zh")[1] or "")


# --- gap counts ----------------------------------------------------------------------------------------------

GAPS = """\
spec_format: 1
metadata: {id: g, title: 更新, scale: 10, year: 2021}
unit_types: {u: {label: 单位}}
facts:
  updates: {type: records, label: 更新记录, default: [], fields: {published: {type: date, label: 更新日期}}}
derived:
  spells: {label: 超过14天未更新次数, gaps: published, of: updates, longer_than: 14}
  each14: {label: 每超过14天, gaps: published, of: updates, longer_than: 14, repeat: true}
  longest: {label: 最长未更新工作日, gap: published, of: updates, in: working_days}
indicators:
  - {id: a, name: 栏目更新, points: 10, deduct: [{label: 超过14天未更新, per: spells, points: 1}]}
"""


def unit(**facts: object) -> dict[str, object]:
    return {"id": "u", "name": "甲", "type": "u", "facts": facts}


def dated(*days: str) -> list[dict[str, str]]:
    return [{"published": d} for d in days]


def test_gaps_count_every_span_longer_than_n_with_the_year_start_and_the_assessment_date() -> None:
    """超过14天未更新1次扣1分: 1 Jan → 10 Jan 9; → 20 Feb 41; → 1 Mar 9; → 31 Mar 30: two spans, two points."""
    spec = assessrules.spec_from_text(GAPS)
    result = spec.evaluate(unit(updates=dated("2021-03-01", "2021-01-10", "2021-02-20")), as_of="2021-03-31")
    assert result.derived["spells"] == 2 and result.score == 8
    assert result.derived["each14"] == 2 + 2  # 41 runs past 14 and 28; 30 past 14 and 28
    account = result.explain()  # the evidence: the records that open the counted spans
    assert "更新记录 第2条：更新日期 2021-01-10" in account and "更新记录 第1条：更新日期 2021-03-01" in account


def test_a_span_of_exactly_n_days_is_not_longer_than_n() -> None:
    spec = assessrules.spec_from_text(GAPS)
    result = spec.evaluate(unit(updates=dated("2021-01-15", "2021-01-29")), as_of="2021-02-12")
    assert result.derived["spells"] == 0 and result.derived["each14"] == 0


def test_no_record_makes_the_year_so_far_one_span() -> None:
    spec = assessrules.spec_from_text(GAPS)
    result = spec.evaluate(unit(), as_of="2021-03-31")
    assert result.derived["spells"] == 1 and result.derived["each14"] == (89 - 1) // 14


def test_gap_in_working_days_skips_the_spring_festival() -> None:
    """29 Jan → 22 Feb 2021: 1-5 Feb, Sunday 7 Feb (worked), 8-10 Feb, 18-20 Feb (Saturday worked), 22 Feb = 13;
    the other spans are 1 (元旦 off), 5, 5, 5, 4 and 1 working days."""
    spec = assessrules.spec_from_text(GAPS)
    result = spec.evaluate(unit(updates=dated("2021-01-04", "2021-01-11", "2021-01-18", "2021-01-25", "2021-01-29",
                                              "2021-02-22")), as_of="2021-02-23")
    assert result.derived["longest"] == 13


@pytest.mark.parametrize(("longer_than", "code"), [("", "spec.derived_gaps_longer_than"),
                                                   (', longer_than: "3 / 2"', "spec.derived_gaps_longer_than"),
                                                   (", longer_than: 1.5", "schema.type")])
def test_gaps_without_a_whole_longer_than_is_refused(longer_than: str, code: str) -> None:
    text = GAPS.replace(", longer_than: 14}\n  each14", f"{longer_than}}}\n  each14")
    with pytest.raises(SpecError) as caught:
        assessrules.spec_from_text(text)
    assert code in [p.code for p in caught.value.problems]


def test_the_gap_counts_shape_passes_its_scenarios() -> None:
    code, out, _ = cli("test", str(SHAPES / "gap_counts.yaml"))
    assert code == 0, out
    assert "通过 6 个，未通过 0 个" in out


# --- dates -----------------------------------------------------------------------------------------------------

def test_add_months_and_add_years_clamp_to_the_month_end() -> None:
    from assessrules.rules.expressions import FUNCTIONS

    add_months, add_years, add_days = (FUNCTIONS[n].impl for n in ("add_months", "add_years", "add_days"))
    import datetime as dt

    assert add_months(dt.date(2021, 1, 31), 1) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2020, 1, 31), 1) == dt.date(2020, 2, 29)
    assert add_months(dt.date(2021, 3, 31), -1) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2021, 11, 30), 3) == dt.date(2022, 2, 28)
    assert add_years(dt.date(2020, 2, 29), 1) == dt.date(2021, 2, 28)
    assert add_days(dt.date(2021, 12, 31), 1) == dt.date(2022, 1, 1)
    with pytest.raises(ValueError, match="whole"):
        add_months(dt.date(2021, 1, 1), 1.5)


def test_dates_shape_passes_its_scenarios_and_over_a_year_is_exact() -> None:
    code, out, _ = cli("test", str(SHAPES / "date_rules.yaml"))
    assert code == 0, out
    spec = assessrules.load_spec(SHAPES / "date_rules.yaml")
    base = {"report_published": "2021-01-31", "guide_updated": "2021-03-31", "catalogue_updated": "2021-06-01"}
    on_the_day = spec.evaluate({**unit(**base, documents=[{"issued": "2020-12-31"}]), "type": "town"})
    day_after = spec.evaluate({**unit(**base, documents=[{"issued": "2020-12-31"}]), "type": "town"},
                              as_of="2022-01-01")
    assert (on_the_day.derived["stale_documents"], day_after.derived["stale_documents"]) == (0, 1)


def test_a_date_parameter_reads_as_a_date() -> None:
    spec = assessrules.load_spec(SHAPES / "date_rules.yaml")
    import datetime as dt

    assert spec.parameters["report_deadline"].value == dt.date(2021, 1, 31)
    assert spec.parameters["guide_deadline"].value == dt.date(2021, 3, 31)  # quoted in the spec


def test_an_annual_date_fact_may_default_to_null_and_be_written_null() -> None:
    spec = assessrules.load_spec(SHAPES / "date_rules.yaml")
    assert spec.facts["report_published"].default is None
    left_out = spec.evaluate({"id": "u", "type": "town", "facts": {}})
    written = spec.evaluate({"id": "u", "type": "town", "facts": {"report_published": None}})
    assert left_out.score == written.score == 20 - 5 - 5 - 4
    schema = spec.facts_schema()
    report = json.dumps(schema, ensure_ascii=False)
    assert '"null"' in report


def test_a_date_parameter_in_a_rule_does_not_break_check() -> None:
    _, out, err = cli("check", "--examples", "20", "--seed", "1", str(SHAPES / "date_rules.yaml"))
    assert "内部错误" not in out + err and "internal error" not in out + err


# --- consistency -------------------------------------------------------------------------------------------------

def test_a_spec_without_grades_gives_grade_null_everywhere() -> None:
    spec = assessrules.spec_from_text(GAPS)
    result = spec.evaluate(unit(), as_of="2021-03-31")
    assert result.grade is None and result.grade_id is None and result.to_dict()["grade"] is None


def test_a_spec_without_grades_gives_grade_null_in_the_json_output(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(GAPS, encoding="utf-8")
    (tmp_path / "units.yaml").write_text("as_of: 2021-03-31\nunits: [{id: u, name: 甲, type: u, facts: {}}]\n",
                                         encoding="utf-8")
    code, out, err = cli("score", "--spec", str(tmp_path / "g.yaml"), "--format", "json", str(tmp_path / "units.yaml"))
    assert code == 0, err
    [result] = json.loads(out)["results"]
    assert result["grade"] is None
    code, out, err = cli("score", "--spec", str(tmp_path / "g.yaml"), str(tmp_path / "units.yaml"))
    assert "不评等次" not in out.splitlines()[3] and "共 1 个单位（不评等次）" in out


def test_explain_says_nothing_of_a_target_when_nothing_deducts_from_it() -> None:
    spec = assessrules.spec_from_text(GAPS)
    text = spec.evaluate(unit(), as_of="2021-03-31").explain()
    assert "目标分值" not in text
    graded = assessrules.spec_from_text(GAPS.replace("indicators:", "direct_deductions:\n  deduct: [{label: 通报, "
                                                     "if: 'False', points: 1}]\nindicators:"))
    assert "目标分值" in graded.evaluate(unit(), as_of="2021-03-31").explain()


def test_a_scenario_case_accepts_a_period_as_of_like_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(GAPS, encoding="utf-8")
    cases = tmp_path / "g.tests.yaml"
    cases.write_text("spec: g.yaml\ndefaults: {type: u}\ncases:\n"
                     "  - {name: 一季度, as_of: 2021Q1, expect: {score: 9, grade: null, derived: {spells: 1}}}\n"
                     "  - {name: 三月, as_of: 2021-03, expect: {score: 9}}\n"
                     "  - {name: 上半年, as_of: 2021H1, unit: {facts: {updates: [{published: 2021-06-01}]}},"
                     " expect: {derived: {spells: 2}}}\n"
                     "  - {name: 坏日期, as_of: 明年, expect: {score: 9}}\n", encoding="utf-8")
    code, _, err = cli("test", str(tmp_path / "g.yaml"), str(cases))
    assert code == 2 and "`as_of` 应是日期，例如 2022-01-10，或期次，例如 2021Q2" in err
    cases.write_text("\n".join(cases.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    code, out, err = cli("test", str(tmp_path / "g.yaml"), str(cases))
    assert code == 0, out + err

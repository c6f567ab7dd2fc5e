"""Next year's rules: `extends:`, show, diff, impact and scenario tests (tests/specs/2022-next.yaml)."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

import assessrules
from assessrules.authoring.diff import diff, impact
from assessrules.cli import run
from assessrules.engine.spec import Spec
from assessrules.errors import SpecError
from assessrules.inputs.facts_file import read_facts, units_of

HERE = Path(__file__).parent
NEXT = HERE / "specs" / "2022-next.yaml"
EXAMPLE = HERE.parent / "examples" / "zhenping-2021-units.yaml"


@pytest.fixture(scope="module")
def spec2022() -> Spec:
    return assessrules.load_spec(NEXT)


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "next.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_extending_spec_states_only_what_differs(spec2022: Spec) -> None:
    """The merged spec has 2021's tree with 时效性 at 35, the new indicator after it, and 一般 at 50%."""
    assert spec2022.metadata.id == "zhenping-2022"
    assert spec2022.metadata.issuer == "镇坪县考核委员会办公室"  # kept from 2021
    top = [(n.id, n.points) for n in spec2022.root.children]
    assert top == [("basic_info", Decimal(15)), ("organization", Decimal(25)), ("platform", Decimal(20)),
                   ("timeliness", Decimal(35)), ("key_tasks", Decimal(5))]
    assert next(g for g in spec2022.grades if g.id == "fair").deduct == Decimal("0.5")
    assert spec2022.sources == ("specs/2021.yaml", str(NEXT))


def test_a_unit_scored_under_next_years_rules(spec2022: Spec) -> None:
    """Facts of 2022 score under the merged rules: the new indicator deducts, the 一般 grade takes 50%."""
    from .helpers import make_unit

    unit = make_unit(target=4, late_disclosures=15, has_new_media_account=False, key_tasks_missed=2)
    unit["periods"] = {k.replace("2021", "2022"): v for k, v in unit["periods"].items()}
    result = spec2022.evaluate(unit)
    assert [result.final_scores[spec2022.indicator(i).index] for i in ("timeliness", "key_tasks")] == [20, 3]
    assert (result.score, result.grade, result.deduction) == (Decimal(63), "一般", Decimal(2))


def test_show_prints_the_effective_spec_which_loads_and_diffs_as_identical(tmp_path: Path) -> None:
    """`show` gives a plain spec; loading it and diffing against the extending one shows nothing."""
    code, out, _ = call("show", str(NEXT))
    assert code == 0
    assert out.startswith(f"# 合并后的考评细则 zhenping-2022，来自：specs/2021.yaml + {NEXT}")
    effective = write(tmp_path, out, "effective.yaml")
    code, text, _ = call("diff", str(NEXT), str(effective))
    assert (code, text) == (0, "")


def test_diff_names_every_change_in_the_documents_terms(spec2022: Spec, spec2021: Spec) -> None:
    """Indicator added, cap changed, rule points changed, grade consequence changed, parameter changed."""
    changes = {(c.section, c.kind, c.id, c.field): (c.old, c.new) for c in diff(spec2021, spec2022)}
    assert changes[("indicators", "changed", "timeliness", "分值")] == (40, 35)
    assert ("indicators", "added", "key_tasks", None) in changes
    assert changes[("grades", "changed", "fair", "扣除目标分值")] == ("40%", "50%")
    assert changes[("parameters", "changed", "monthly_miss_points", "数值")] == (Decimal("0.5"), Decimal("0.25"))
    assert changes[("rules", "changed", "total", "分值")] == (Decimal("0.5"), Decimal("0.25"))
    assert ("bonus", "added", "bonus", None) in changes
    assert any(c.section == "bonus" and c.label == "获省级以上政务公开表彰" for c in diff(spec2021, spec2022))
    _, out, _ = call("diff", "2021", str(NEXT))
    assert "~ 公开内容时效性（timeliness）：分值 40 → 35" in out
    assert "+ 年度重点工作任务（key_tasks）：5 分，属于「政务公开」" in out
    assert "~ 一般（fair）：扣除目标分值 40% → 50%" in out
    assert "加分项" in out and "获省级以上政务公开表彰" in out
    _, out, _ = call("diff", "2021", str(NEXT), "--format", "json")
    assert any(c["id"] == "key_tasks" and c["kind"] == "added" for c in json.loads(out))


def test_diff_of_a_spec_with_itself_is_empty(spec2021: Spec) -> None:
    """Nothing when identical."""
    assert diff(spec2021, spec2021) == []
    assert call("diff", "2021", "specs/2021.yaml") == (0, "", "")


def test_impact_lists_the_units_that_move_and_why(spec2021: Spec, spec2022: Spec) -> None:
    """Last year's facts under next year's rules: units whose outcome changes, with the indicators that moved."""
    units = units_of(read_facts(EXAMPLE))
    moved = {m.unit_id: m for m in impact(spec2021, spec2022, units)}
    shangzhu = moved["shangzhu"]  # 一般 both years: the deduction rises from 40% to 50% of 5, plus 1.5
    assert (shangzhu.old.deduction, shangzhu.new.deduction) == (Decimal("3.5"), Decimal(4))
    assert ("timeliness", "公开内容时效性", Decimal(25), Decimal(20)) in shangzhu.moved
    assert "chengguan" not in moved  # a perfect unit stays perfect
    assert ("月度考核：负责栏目未按时更新", Decimal("-0.5"), Decimal("-0.25")) in moved["niutoudian"].rules
    code, out, _ = call("impact", "2021", str(NEXT), str(EXAMPLE))
    assert code == 0
    assert "上竹镇（shangzhu）：得分 65 → 65，等次 一般，扣减 3.5 → 4" in out
    assert "等次变化：0 个单位（升 0，降 0）" in out
    data = json.loads(call("impact", "2021", str(NEXT), str(EXAMPLE), "--format", "json")[1])
    assert data["units"] == 16
    assert {u["id"] for u in data["changed"]} == set(moved)


def test_scenario_tests_pass_and_a_failure_is_a_readable_difference(tmp_path: Path) -> None:
    """`test` runs the bundled cases; a wrong expectation prints expected and actual and exits 1, in Chinese
    unless `--lang en` asks for English."""
    code, out, _ = call("test", "2021")
    assert code == 0
    assert "specs/2021.tests.yaml：共 9 个用例" in out
    assert out.endswith("通过 9 个，未通过 0 个\n")
    cases = (HERE.parent / "specs" / "2021.tests.yaml").read_text(encoding="utf-8")
    wrong = write(tmp_path, cases.replace("spec: 2021.yaml\n", "").replace("score: 71\n", "score: 72\n"), "cases.yaml")
    code, out, _ = call("test", "2021", str(wrong))
    assert code == 1
    assert "✗ 例B：各项均有扣分，良好，扣减1.0" in out
    assert "score：期望 72，实际为 71" in out
    assert f"位置：{wrong}:" in out
    assert "通过 8 个，未通过 1 个" in out
    code, out, _ = call("test", "2021", str(wrong), "--lang", "en")
    assert code == 1
    assert "✗ 例B：各项均有扣分，良好，扣减1.0" in out
    assert "score: expected 72, got 71" in out
    assert f"at {wrong}:" in out
    assert out.endswith("8 passed, 1 failed\n")


def test_next_years_scenarios_run_against_the_extending_spec(tmp_path: Path) -> None:
    """Scenario files work for an extending spec too."""
    cases = write(tmp_path, """\
defaults:
  type: town
  target: 2
  facts: {has_work_mechanism: true, has_work_body: true, fulltime_staff: 1, parttime_staff: 1,
          has_review_mechanism: true, has_catalogue: true, has_annual_report: true,
          has_new_media_account: true, has_interaction: true}
  every_month: {info_published: 8, key_areas_disclosed: true, service_platform_ok: true,
                online_service_ratio: 95%, columns_updated: true}
cases:
  - name: 重点任务未完成两项
    unit: {facts: {key_tasks_missed: 2}}
    expect: {indicators: {key_tasks: 3}, score: 98, grade: 优秀}
  - name: 一般等次扣除50%
    unit: {facts: {late_disclosures: 15, has_new_media_account: false}}
    expect: {score: 65, grade: 一般, deduction: 1}
  - name: 省级表彰加2分，须有文件
    unit: {facts: {late_disclosures: 10, provincial_award: true, award_document: 陕政办函〔2022〕1号}}
    expect: {score: 92, grade: 优秀}
  - name: 没有文件的表彰不加分
    unit: {facts: {late_disclosures: 10, provincial_award: true}}
    expect: {score: 90}
""", "cases.yaml")
    code, out, _ = call("test", str(NEXT), str(cases))
    assert code == 0, out


@pytest.mark.parametrize(("change", "file", "message"), [
    ("indicators:\n  - {id: timeliness, points: 30}\n", "next", "the children add up to 90"),
    ("indicators:\n  - {id: reviw, remove: true}\n", "next", "no indicator `reviw` in the base spec to remove"),
    ("indicators:\n  - {id: extra, name: 新增, points: 1, parent: nowhere}\n", "next", "no indicator `nowhere`"),
    ("indicators:\n  - {id: extra, points: 1}\n", "next", "a new indicator needs `name:` and `points:`"),
    ("facts:\n  late_disclosures: null\n", "next",
     "`late_disclosures` is removed from facts, but 「未按时限公开政府信息」 at specs/2021.yaml:411:14 still uses it"),
    ("parameters:\n  monthly_mis_points: {value: 1, label: 月度考核每项未完成扣分}\n", "next",
     "`monthly_mis_points` is a new parameter that no rule uses, so it changes nothing"),
    ("grades:\n  - {id: fiar, deduct: 50%}\n", "next",
     "`fiar` is not among the base spec's grades (excellent, good, fair, failing); a new one needs `label:`"),
    ("indicators:\n  - id: new_media\n    rules:\n      - {label: 未提供互动交流, points: 3}\n", "next",
     "no rule of `new_media` with label 「未提供互动交流」"),
    ("grades:\n  - {id: fair, at_least: 65}\n", "next", "gap between grades"),
    ("extends: \"2019\"\n", "next", "neither a file beside this spec nor a bundled spec"),
])
def test_bad_overrides_are_located_in_the_file_that_caused_them(tmp_path: Path, change: str, file: str,
                                                                  message: str) -> None:
    """An override's own mistake points into the extending file; a base rule it breaks, into the base."""
    text = "spec_format: 1\nextends: \"2021\"\n" + change if not change.startswith("extends") else change
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    found = [p for p in caught.value.problems if message in p.message]
    assert found, caught.value.problems
    expected = str(path) if file == "next" else "specs/2021.yaml"
    assert found[0].file == expected, found[0]
    assert found[0].line is not None


def test_each_next_year_mistake_is_reported_at_its_line_with_a_hint(tmp_path: Path) -> None:
    """The misspelt parameter, the misspelt grade and the removed fact point at the line written, and say what to do."""
    path = write(tmp_path, "spec_format: 1\nextends: \"2021\"\nparameters:\n  monthly_mis_points: {value: 1, label: x}\n"
                 "grades:\n  - {id: fiar, deduct: 50%}\nfacts:\n  late_disclosures: null\n")
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    shown = [(p.line, p.hint) for p in caught.value.problems]
    assert (4, "did you mean `monthly_miss_points`? — a misspelt name adds a parameter and leaves the base's value "
               "in force") in shown
    assert (6, "did you mean `fair`?") in shown
    assert (8, "change or remove that rule too (an indicator's `rules:` can remove one rule)") in shown


def test_a_parameter_may_be_given_by_its_value_alone(tmp_path: Path) -> None:
    """`{value: 0.25}` changes the value and keeps the base's label, clause and assumption."""
    path = write(tmp_path, "spec_format: 1\nextends: \"2021\"\nparameters:\n  monthly_miss_points: {value: 0.25}\n")
    parameter = assessrules.load_spec(path).parameters["monthly_miss_points"]
    assert (parameter.value, parameter.label, parameter.assumption) == (Decimal("0.25"), "月度考核每项未完成扣分",
                                                                        "monthly-miss-points")


def test_one_rule_is_changed_or_removed_by_its_label_or_id_without_restating_the_list(tmp_path: Path) -> None:
    """`rules:` on an indicator or on `total` changes one rule's points and removes another; the rest stay."""
    base = write(tmp_path, (HERE.parent / "specs" / "2021.yaml").read_text(encoding="utf-8").replace(
        "- label: 其它问题（要素不全", "- id: other-problems\n            label: 其它问题（要素不全"), "base.yaml")
    path = write(tmp_path, f"spec_format: 1\nextends: {base.name}\nindicators:\n  - id: new_media\n    rules:\n"
                 "      - {label: 未提供互动交流功能, points: 3}\n      - {id: other-problems, points: 2}\n"
                 "      - {label: 无\"两微一端\"不得分, remove: true}\n"
                 "total:\n  rules:\n    - {label: 月度考核：负责栏目未按时更新, remove: true}\n")
    spec = assessrules.load_spec(path)
    assert [(t.label[:8], getattr(t, "points", None)) for t in spec.indicator("new_media").triggers] == [
        ("未提供互动交流功", Decimal(3)), ("其它问题（要素不", Decimal(2))]
    assert len(spec.root.triggers) == 7


def test_a_scenario_label_that_names_no_rule_is_an_error(tmp_path: Path) -> None:
    """`not_fired:` with a misspelt label would pass for ever: it is reported at its line, with the label meant."""
    cases = write(tmp_path, "cases:\n  - name: 一项\n    unit: {facts: {}}\n"
                  "    expect: {not_fired: [月度考核：负责栏目未按时更]}\n", "cases.yaml")
    code, _, err = call("test", "2021", str(cases))
    assert code == 2
    assert f"{cases}:4:" in err and "您是不是要写“月度考核：负责栏目未按时更新”？" in err
    assert "`not_fired:` 中的“月度考核：负责栏目未按时更”不是考评细则中任何一条规则的名称" in err
    code, _, err = call("test", "2021", str(cases), "--lang", "en")
    assert code == 2
    assert f"{cases}:4:" in err and "did you mean 「月度考核：负责栏目未按时更新」?" in err


def test_a_spec_cannot_extend_itself_in_a_circle(tmp_path: Path) -> None:
    """a extends b extends a is an error, not a hang."""
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\n", "b.yaml")
    with pytest.raises(SpecError, match="goes round in a circle"):
        assessrules.load_spec(tmp_path / "a.yaml")


def test_the_benchmarks_annual_spec_extends_2021_by_removing_what_it_sums_up() -> None:
    """benchmarks/annual-2021.yaml removes facts, records and derived values by `null` and still loads whole."""
    spec = assessrules.load_spec(HERE.parent / "benchmarks" / "annual-2021.yaml")
    assert not spec.period_kinds
    assert "disclosures" not in spec.facts
    result = spec.evaluate({"id": "u", "type": "town", "target": 3, "facts": {
        "has_work_mechanism": True, "has_work_body": True, "fulltime_staff": 1, "parttime_staff": 1,
        "has_review_mechanism": True, "has_catalogue": True, "has_annual_report": True,
        "has_new_media_account": True, "has_interaction": True, "late_disclosures": 10, "monthly_items_missed": 1}})
    assert (result.score, result.grade) == (Decimal("89.5"), "良好")


def _authoring_example(tmp_path: Path) -> Path:
    """The first YAML block of docs/authoring.md, as printed."""
    import re

    text = (HERE.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    return write(tmp_path, re.findall(r"```yaml\n(.*?)```", text, re.S)[0], "2022.yaml")


def test_the_2022_example_of_the_authoring_guide_validates_as_printed(tmp_path: Path) -> None:
    """The guide's extending spec loads: 100 points, the removed indicator gone, one rule changed by its label."""
    spec = assessrules.load_spec(_authoring_example(tmp_path))
    assert sum(n.points for n in spec.root.children) == 100
    assert "review" not in {n.id for n in spec.nodes}
    changed = next(t for t in spec.indicator("new_media").triggers if t.label == "未提供互动交流功能")
    assert changed.points == Decimal(3)  # type: ignore[attr-defined]


def test_an_extending_spec_passes_the_editor_schema(tmp_path: Path) -> None:
    """What yaml-language-server checks (the raw file against the schema) accepts every extending spec here."""
    import jsonschema
    import yaml

    from assessrules.rules.schema import spec_schema

    for path in (NEXT, _authoring_example(tmp_path), HERE.parent / "benchmarks" / "annual-2021.yaml"):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        errors = [e.message for e in jsonschema.Draft202012Validator(spec_schema()).iter_errors(data)]
        assert errors == [], path


def test_a_removal_that_breaks_a_sum_is_reported_where_it_was_made(tmp_path: Path) -> None:
    """Removing 审查机制 without lowering its parent points at the `remove: true` of the extending file."""
    path = write(tmp_path, "spec_format: 1\nextends: \"2021\"\nindicators:\n  - {id: review, remove: true}\n")
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(path), 4)
    assert "the children add up to 20" in problem.message


def test_diff_reports_clauses_children_add_up_and_fact_ranges(tmp_path: Path, spec2021: Spec) -> None:
    """A dropped rule clause, a changed indicator clause, children_add_up and a new `max:` are all changes."""
    path = write(tmp_path, "spec_format: 1\nextends: \"2021\"\nfacts:\n  new_media_problems: {type: count, "
                 "label: 其它问题次数, default: 0, max: 10, direction: worse}\nindicators:\n  - id: timeliness\n"
                 "    clause: 新依据\n    rules:\n      - {label: 未按时限公开政府信息, clause: null}\n"
                 "  - {id: basic_info, children_add_up: false}\n")
    shown = [str(c) for c in diff(spec2021, assessrules.load_spec(path))]
    assert "~ 公开内容时效性（timeliness）：依据 附件 考评细则 二级指标 公开内容时效性（40分） → 新依据" in shown
    assert ("~ 公开内容时效性「未按时限公开政府信息」（timeliness）：依据 附件 考评细则 公开内容时效性：发现1次扣除1分，"
            "扣完为止 → （无）") in shown
    assert "~ 基础信息公开（basic_info）：下级分值合计等于本级 是 → 否" in shown
    assert "~ 其它问题次数（new_media_problems）：类型/范围 count，默认 0 → count，至多 10，默认 0" in shown


def test_impact_names_the_threshold_consequence_and_parameter_that_moved_a_unit(tmp_path: Path) -> None:
    """曾家镇 keeps 90 but drops to 良好: the raised threshold is named; a parameter behind a rule's points too."""
    path = write(tmp_path, "spec_format: 1\nextends: \"2021\"\nparameters:\n  monthly_miss_points: {value: 1}\n"
                 "grades:\n  - {id: excellent, at_least: 92}\n  - {id: good, below: 92}\n  - {id: fair, deduct: 50%}\n")
    code, out, _ = call("impact", "2021", str(path), str(EXAMPLE))
    assert code == 0
    zengjia = out.split("曾家镇（zengjia）")[1].split("\n\n")[0]
    assert "~ 优秀（excellent）：下限（含） 90 → 92" in zengjia
    shangzhu = out.split("上竹镇（shangzhu）")[1].split("\n\n")[0]
    assert "~ 一般（fair）：扣除目标分值 40% → 50%" in shangzhu
    zhongbao = out.split("钟宝镇（zhongbao）")[1].split("\n\n")[0]
    assert "~ 月度考核每项未完成扣分（monthly_miss_points）：数值 0.5 → 1" in zhongbao

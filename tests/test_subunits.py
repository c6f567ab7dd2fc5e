"""Sub-units feeding a unit (issue 24): `parent:` on units and unit types, derived values read from the
sub-units' results (`subunits:`), parents scored after their sub-units, groups by parent, the relation in
the outputs, and scenario files that test a batch.

The figures are worked by hand in tests/specs/shapes/subunits.tests.yaml: o1 100, o2 87, o3 83 under d1;
d1 94.75 (own 95, the sub-units' mean 90); d2 97 (no sub-unit); the county 95.88; d1's system 90.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import jsonschema
import openpyxl
import pytest

import assessrules
from assessrules._resources import load_schema
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.cli import run
from assessrules.engine.batch import evaluate_in_workers
from assessrules.outputs.report import render_bulletin_table, render_json

from .test_service import Server, _start

ROOT = Path(__file__).resolve().parent.parent
SHAPE = ROOT / "tests/specs/shapes/subunits.yaml"
RESULT_SCHEMA = jsonschema.Draft202012Validator(load_schema("result-1.schema.json"))
UNITS = [{"id": "o1", "name": "甲所", "type": "office", "parent": "d1", "target": 3, "facts": {"late": 0, "daily": 100}},
         {"id": "d1", "name": "甲局", "type": "department", "target": 3, "facts": {"late": 1, "daily": 100}},
         {"id": "o2", "name": "乙所", "type": "office", "parent": "d1", "target": 3, "facts": {"late": 2, "daily": 80}},
         {"id": "o3", "name": "丙所", "type": "office", "parent": "d1", "target": 3, "facts": {"late": 4, "daily": 90}},
         {"id": "d2", "name": "乙局", "type": "department", "target": 3, "facts": {"late": 0, "daily": 90}}]


@pytest.fixture(scope="module")
def spec() -> assessrules.Spec:
    return assessrules.load_spec(SHAPE)


def call(*args: str) -> str:
    out = io.StringIO()
    assert run(list(args), out=out) == 0
    return out.getvalue()


def test_the_scenario_file_passes(spec: assessrules.Spec) -> None:
    outcomes = run_cases(spec, load_cases(spec, SHAPE.with_name("subunits.tests.yaml")))
    assert len(outcomes) == 5
    assert [o.differences for o in outcomes if not o.passed] == []


def test_a_parent_reads_its_sub_units_results(spec: assessrules.Spec) -> None:
    results, groups = spec.evaluate_groups(UNITS)
    scores = {r.unit.id: r.score for r in results}
    assert scores == {"o1": 100, "d1": Decimal("94.75"), "o2": 87, "o3": 83, "d2": 97}
    d1 = next(r for r in results if r.unit.id == "d1")
    assert d1.derived == {"offices_mean": 90, "offices": 3, "offices_excellent": Decimal("0.33"), "offices_lowest": 80}
    assert [r.parent for r in results] == ["d1", None, "d1", "d1", None]
    evidence = d1.evidence_of("offices_mean")
    assert evidence.periods == (("o1", 100), ("o2", 87), ("o3", 83))  # each sub-unit with what it gave
    assert [(g.id, g.score, g.grade, g.parent) for g in groups] == [
        ("county", Decimal("95.88"), "优秀", None), ("system.d1", 90, "优秀", "d1")]
    assert [m[0] for m in groups[1].members] == ["o1", "o2", "o3"]


def test_the_order_of_the_batch_does_not_matter(spec: assessrules.Spec) -> None:
    forward = {r.unit.id: r.score for r in spec.evaluate_many(UNITS)}
    backward = spec.evaluate_many(UNITS[::-1])
    assert [r.unit.id for r in backward] == [u["id"] for u in UNITS[::-1]]  # the batch's order, as before
    assert {r.unit.id: r.score for r in backward} == forward
    workers = evaluate_in_workers(spec, UNITS, jobs=2)
    assert [(r.unit.id, r.score) for r in workers] == [(r.unit.id, r.score) for r in spec.evaluate_many(UNITS)]


def test_a_parent_alone_has_no_sub_unit(spec: assessrules.Spec) -> None:
    # scored alone, d1 has no sub-unit: its own table only, 70% × 95 + 30% × 100 = 96.5
    assert spec.evaluate(UNITS[1]).score == Decimal("96.5")


def test_the_json_and_the_receipt_name_the_parent(spec: assessrules.Spec) -> None:
    results, groups = spec.evaluate_groups(UNITS)
    o1 = results[0].to_dict()
    RESULT_SCHEMA.validate(o1)
    assert o1["unit"]["parent"] == "d1"
    assert "parent" not in results[1].to_dict()["unit"]
    assert results[0].unit.canonical()["parent"] == "d1"
    alone = spec.evaluate({k: v for k, v in UNITS[0].items() if k != "parent"})
    assert alone.receipt.facts_sha256 != results[0].receipt.facts_sha256
    document = json.loads(render_json(spec, results, groups))
    RESULT_SCHEMA.validate(document)
    assert document["groups"][1] | {"members": None, "means": None} == {
        "id": "system.d1", "label": "甲局·系统内下属单位", "score": "90", "grade": "优秀", "group": "system",
        "parent": "d1", "members": None, "means": None}


@pytest.mark.parametrize(("units", "code", "at"), [
    ([{"id": "o1", "type": "office", "parent": "d9", "facts": {}}], "facts.parent_unknown", "$.units[0].parent"),
    ([{"id": "o1", "type": "office", "facts": {}}, {"id": "o2", "type": "office", "parent": "o1", "facts": {}}],
     "facts.parent_type", "$.units[1].parent"),
    ([{"id": "d1", "type": "department", "facts": {}}, {"id": "d2", "type": "department", "parent": "d1", "facts": {}}],
     "facts.parent_not_allowed", "$.units[1].parent"),
    ([{"id": "o1", "type": "office", "parent": "", "facts": {}}], "facts.unit_parent", "$.units[0].parent"),
])
def test_a_wrong_parent_is_a_located_error(spec: assessrules.Spec, units: list[dict[str, object]], code: str,
                                           at: str) -> None:
    with pytest.raises(assessrules.FactsError) as caught:
        spec.evaluate_many(units)
    assert [(p.code, p.json_path) for p in caught.value.problems] == [(code, at)]


def test_a_cycle_of_parents_is_a_located_error() -> None:
    spec = assessrules.spec_from_text(SHAPE.read_text(encoding="utf-8").replace(
        "department: {label: 县直部门}", "department: {label: 县直部门, parent: department}"))
    units = [{"id": "a", "type": "department", "parent": "b", "facts": {}},
             {"id": "b", "type": "department", "parent": "c", "facts": {}},
             {"id": "c", "type": "department", "parent": "a", "facts": {}},
             {"id": "d", "type": "department", "parent": "a", "facts": {}}]
    with pytest.raises(assessrules.FactsError) as caught:
        spec.evaluate_many(units)
    [found] = caught.value.problems
    assert (found.code, found.json_path, found.unit) == ("facts.parent_cycle", "$.units[0].parent", "a")
    assert "a → b → c → a" in found.message
    # without the cycle, a chain of departments scores each after the one below it
    units[2] = {"id": "c", "type": "department", "facts": {}}
    assert [r.score for r in spec.evaluate_many(units)] == [Decimal("100"), Decimal("100"), 100, 100]


@pytest.mark.parametrize(("edit", "code"), [
    (("office: {label: 下属单位, parent: department}", "office: {label: 下属单位, parent: bureau}"), "spec.unit_type_parent"),
    (("subunits: own, how: min", "subunits: nothing, how: min"), "spec.derived_subunits_reads"),
    (("how: share, graded: 优秀", "how: share, graded: 特优"), "spec.derived_subunits_grade"),
    (("how: share, graded: 优秀", "how: share"), "spec.derived_subunits_share"),
    (("subunits: score, how: count}", "subunits: score, how: count, each: month}"), "spec.derived_subunits_scope"),
])
def test_a_wrong_sub_unit_declaration_is_a_spec_error(edit: tuple[str, str], code: str) -> None:
    text = SHAPE.read_text(encoding="utf-8")
    assert edit[0] in text
    with pytest.raises(assessrules.SpecError) as caught:
        assessrules.spec_from_text(text.replace(*edit), "subunits.yaml")
    assert code in [p.code for p in caught.value.problems]


def test_a_mean_of_sub_units_needs_rounding() -> None:
    text = SHAPE.read_text(encoding="utf-8").replace("rounding: {places: 2, mode: half_up}\n", "")
    with pytest.raises(assessrules.SpecError) as caught:
        assessrules.spec_from_text(text, "subunits.yaml")
    assert {p.path for p in caught.value.problems if p.code == "spec.inexact_mean"} >= {
        ("derived", "offices_mean"), ("derived", "offices_excellent")}


def test_the_outputs_show_the_parent(spec: assessrules.Spec, tmp_path: Path) -> None:
    facts = tmp_path / "units.json"
    facts.write_text(json.dumps({"units": UNITS}, ensure_ascii=False), encoding="utf-8")
    table = call("score", "--spec", str(SHAPE), str(facts))
    assert "上级单位" in table and "  1  甲所  o1     100  优秀              0/3  甲局" in table
    assert "甲局·系统内下属单位  system.d1     90  优秀         3" in table
    csv = call("score", "--spec", str(SHAPE), str(facts), "--format", "csv", "--ids").splitlines()
    assert csv[0].endswith(",parent") and csv[3].endswith(",d1") and csv[1].endswith(",")
    book = tmp_path / "results.xlsx"
    call("score", "--spec", str(SHAPE), str(facts), "-o", str(book))
    ranking = list(openpyxl.load_workbook(book)["排名"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(ranking) if row[0] == "单位类型")
    assert ranking[header][-1] == "上级单位"
    assert [row[-1] for row in ranking[header + 1:] if row[0] == "下属单位"] == ["甲局"] * 3
    report = tmp_path / "report.html"
    call("report", "--spec", str(SHAPE), str(facts), "-o", str(report))
    html = report.read_text(encoding="utf-8")
    assert "上级单位" in html and "甲局·系统内下属单位" in html


def test_the_workbook_carries_the_parent(spec: assessrules.Spec, tmp_path: Path) -> None:
    facts = tmp_path / "units.json"
    facts.write_text(json.dumps({"units": UNITS}, ensure_ascii=False), encoding="utf-8")
    book = tmp_path / "facts.xlsx"
    call("convert", str(facts), "-o", str(book), "--spec", str(SHAPE))
    sheet = openpyxl.load_workbook(book)["单位"]
    assert [c.value for c in sheet[1]] == ["单位编号", "单位名称", "单位类型", "目标分值", "上级单位编号"]
    assert json.loads(call("score", "--spec", str(SHAPE), str(book), "--format", "json"))["groups"][1]["id"] == "system.d1"
    wb = openpyxl.load_workbook(book)
    wb["单位"].delete_cols(5)  # a workbook without the column: no sub-unit, but read
    wb.save(tmp_path / "without.xlsx")
    scored = json.loads(call("score", "--spec", str(SHAPE), str(tmp_path / "without.xlsx"), "--format", "json"))
    assert [g["id"] for g in scored["groups"]] == ["county"]
    wb = openpyxl.load_workbook(book)
    wb["单位"]["E2"] = "d7"
    wb.save(book)
    out, err = io.StringIO(), io.StringIO()
    assert run(["score", "--spec", str(SHAPE), str(book)], out=out, err=err) == 1
    assert "facts.xlsx!单位!E2" in err.getvalue() and "d7" in err.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("specs")
    shutil.copy(SHAPE, folder / "subunits.yaml")
    yield from _start(tmp_path_factory.mktemp("serve"), "--spec-dir", str(folder))


def test_the_service_scores_sub_units_before_their_parent(server: Server) -> None:
    answer = httpx.post(f"{server.url}/specs/subunits/evaluate", json={"units": UNITS}, timeout=30)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    RESULT_SCHEMA.validate(body)
    assert [(r["unit"]["id"], r["unit"].get("parent"), r["score"]) for r in body["results"]] == [
        ("d1", None, "94.75"), ("d2", None, "97"), ("o1", "d1", "100"), ("o2", "d1", "87"), ("o3", "d1", "83")]
    assert [g["id"] for g in body["groups"]] == ["county", "system.d1"]


def test_explain_scores_the_file_sub_units_first(tmp_path: Path) -> None:
    facts = tmp_path / "units.json"
    facts.write_text(json.dumps({"units": UNITS}, ensure_ascii=False), encoding="utf-8")
    d1 = call("explain", "--spec", str(SHAPE), str(facts), "--unit", "d1")
    assert "最终得分 94.75 分" in d1  # not 96.5, its score without its sub-units
    assert "offices_mean（下属单位平均得分）= 90：mean(score)" in d1 and "o3：83" in d1
    assert call("explain", "--spec", str(SHAPE), str(facts), "--unit", "o2").startswith("乙所（o2 · 下属单位 · 上级单位 d1）")


BULLETIN_SPEC = """
spec_format: 1
metadata: {id: monthly-subunits, title: 月度考核, scale: 100, year: 2021}
unit_types: {department: {label: 县直部门}, office: {label: 下属单位, parent: department}}
facts:
  updated: {type: bool, label: 栏目按时更新, period: month, default: true}
rounding: {places: 2}
derived:
  offices_mean: {label: 下属单位平均得分, subunits: score}
indicators:
  - {id: columns, name: 栏目更新, points: 100, deduct: [{label: 栏目未按时更新, each: month, if: not updated, points: 10}]}
"""


def test_the_bulletin_names_each_sub_units_parent() -> None:
    spec = assessrules.spec_from_text(BULLETIN_SPEC)
    months = {f"2021-0{m}": {"updated": m != 2} for m in (1, 2, 3)}
    units = [{"id": "d1", "name": "甲局", "type": "department", "facts": {}, "periods": months},
             {"id": "o1", "name": "甲所", "type": "office", "parent": "d1", "facts": {}, "periods": months}]
    bulletin = spec.bulletin(units, "2021Q1")
    assert [(e.unit_id, e.parent) for e in bulletin.entries] == [("d1", None), ("o1", "d1")]
    assert bulletin.entries[1].to_dict()["parent"] == "d1" and "parent" not in bulletin.entries[0].to_dict()
    RESULT_SCHEMA.validate(bulletin.to_dict())
    table = render_bulletin_table(bulletin)
    assert "上级单位" in table.splitlines()[3]
    assert [line.split()[-1] for line in table.splitlines() if " o1 " in line] == ["甲局"]

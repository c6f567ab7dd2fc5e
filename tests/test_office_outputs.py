"""Results for offices: the results workbook, CSV for Excel, the HTML report, files and consoles on Windows."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from assessrules.cli import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
SHEETS = ["排名", "等次分布", "得分明细", "扣分明细", "月度", "直接扣分与目标分值", "凭据"]


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def scored_json(facts: Path = EXAMPLE) -> dict[str, Any]:
    code, out, err = call("score", str(facts), "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def table(sheet: Any) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("wb") / "结果.xlsx"
    code, _, err = call("score", str(EXAMPLE), "-o", str(target))
    assert code == 0, err
    return target


def test_score_o_xlsx_writes_a_workbook_with_the_six_sheets(workbook: Path) -> None:
    """`score -o 结果.xlsx` writes an xlsx workbook (not text) with the sheets in order."""
    assert workbook.read_bytes()[:2] == b"PK"
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == SHEETS


def test_every_sheet_has_a_frozen_header_and_an_autofilter(workbook: Path) -> None:
    """Each sheet freezes its header row and filters all its columns."""
    book = openpyxl.load_workbook(workbook)
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2"), sheet.title
        assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}"


def test_ranking_sheet_is_the_published_table_per_unit_type(workbook: Path) -> None:
    """排名: per type, 名次 单位 得分 等次 表扬 扣减目标分值, numbers as numbers."""
    rows = table(openpyxl.load_workbook(workbook)["排名"])
    towns = [r for r in rows if r["单位类型"] == "各镇人民政府"]
    assert [(r["名次"], r["单位"], r["得分"], r["等次"]) for r in towns[:4]] == [
        (1, "城关镇", 100, "优秀"), (2, "曾家镇", 90, "优秀"), (3, "华坪镇", 89.5, "良好"), (3, "钟宝镇", 89.5, "良好")]
    niutoudian = next(r for r in rows if r["编号"] == "niutoudian")
    assert (niutoudian["扣减目标分值"], niutoudian["表扬"]) == (1, None)
    assert rows[0]["表扬"] == "是"


def test_breakdown_columns_add_up_to_each_units_score(workbook: Path) -> None:
    """得分明细: the top-level indicators plus the monthly deductions equal the final score, for every unit."""
    sheet = openpyxl.load_workbook(workbook)["得分明细"]
    header = [str(c.value) for c in sheet[1]]
    assert header == ["单位类型", "编号", "单位", "基础信息公开", "组织协调和制度建设", "政务公开平台建设与运行",
                      "公开内容时效性", "月度考核扣分", "得分"]
    scores = {r["unit"]["id"]: Decimal(r["score"]) for r in scored_json()["results"]}
    rows = table(sheet)
    assert len(rows) == 16
    for row in rows:
        parts = [Decimal(str(row[h])) for h in header[3:-1]]
        assert sum(parts) == Decimal(str(row["得分"])) == scores[row["编号"]], row
    niutoudian = next(r for r in rows if r["编号"] == "niutoudian")
    assert [niutoudian[h] for h in header[3:]] == [10, 17.5, 12, 33, -1.5, 71]


def test_deduction_sheet_has_a_row_per_fired_rule_with_facts_and_clause(workbook: Path) -> None:
    """扣分明细: indicator, rule, count, points, the facts that fired it, and the clause."""
    rows = table(openpyxl.load_workbook(workbook)["扣分明细"])
    late = next(r for r in rows if r["编号"] == "niutoudian" and r["扣分/得分规则"] == "未按时限公开政府信息")
    assert (late["指标"], late["次数"], late["分值"]) == ("公开内容时效性", 7, -7)
    assert "政府网站采样发现的未按时公开信息条数 = 4" in late["事实"]
    assert late["依据"] == "附件 考评细则 公开内容时效性：发现1次扣除1分，扣完为止"
    direct = next(r for r in rows if r["编号"] == "niutoudian" and r["扣分/得分规则"] == "县政府办公室通报批评")
    assert (direct["指标"], direct["次数"], direct["分值"]) == ("直接扣分项", 2, -0.5)


def test_monthly_sheet_lists_each_units_months_with_missed_items(workbook: Path) -> None:
    """月度: a row per unit and month; the missed items and their deduction."""
    rows = table(openpyxl.load_workbook(workbook)["月度"])
    assert len(rows) == 16 * 12
    row = next(r for r in rows if r["编号"] == "niutoudian" and r["期间"] == "2021-11")
    assert (row["未完成项数"], row["未完成事项"], row["扣分"]) == (1, "月度考核：信息公开数量未达到月度目标", -0.5)
    assert sum(Decimal(str(r["扣分"])) for r in rows if r["编号"] == "niutoudian") == Decimal("-1.5")


def test_target_and_receipt_sheets_hold_the_deductions_and_the_hashes(workbook: Path) -> None:
    """直接扣分与目标分值 adds the grade's and the direct deductions; 凭据 holds spec and facts SHA-256."""
    book = openpyxl.load_workbook(workbook)
    target = next(r for r in table(book["直接扣分与目标分值"]) if r["编号"] == "niutoudian")
    assert (target["目标分值"], target["等次扣减"], target["市政府办公室通报批评"], target["县政府办公室通报批评"],
            target["扣减合计"], target["剩余目标分值"]) == (3, 0, 0.5, 0.5, 1, 2)
    data = scored_json()
    receipts = {r["unit"]["id"]: r["receipt"] for r in data["results"]}
    rows = table(book["凭据"])
    assert rows[1]["值"] == data["spec"]["sha256"]
    facts = {r["编号"]: r["值"] for r in rows if r["项目"] == "考核数据 SHA-256"}
    assert facts == {uid: r["facts_sha256"] for uid, r in receipts.items()}
    assert any("考核日期 2022-01-10" in (r["说明"] or "") for r in rows)


def test_the_workbook_is_the_same_bytes_every_time(tmp_path: Path, workbook: Path) -> None:
    """The same facts give a byte-identical workbook (no clock inside)."""
    again = tmp_path / "again.xlsx"
    assert call("score", str(EXAMPLE), "-o", str(again))[0] == 0
    assert again.read_bytes() == workbook.read_bytes()


def test_a_number_a_float_cannot_hold_is_written_as_text(tmp_path: Path) -> None:
    """Exactness first: a figure such as 10 / 3 of a point stays its exact text in a cell; 89.5 is a number."""
    from assessrules.outputs.cells import excel_number

    assert excel_number(Decimal("3.333333333333333333333333333")) == "3.333333333333333333333333333"
    assert excel_number(Decimal("3.00000000000000000001")) == "3.00000000000000000001"
    assert excel_number(Decimal("89.5")) == 89.5
    target = tmp_path / "out.xlsx"
    assert call("score", str(EXAMPLE), "-o", str(target))[0] == 0
    rows = table(openpyxl.load_workbook(target)["排名"])
    assert next(r for r in rows if r["编号"] == "huaping")["得分"] == 89.5


def formula_spec(tmp_path: Path) -> Path:
    """The 2021 spec with a unit type whose label a spreadsheet would take for a formula (names of units are refused)."""
    text = (ROOT / "specs" / "2021.yaml").read_text(encoding="utf-8")
    assert "label: 各镇人民政府" in text
    spec = tmp_path / "formula.yaml"
    spec.write_text(text.replace("label: 各镇人民政府", 'label: "=HYPERLINK(\\"http://x\\",\\"各镇\\")"', 1), encoding="utf-8")
    return spec


def test_formula_like_texts_are_refused_in_names_and_neutralised_in_csv_and_xlsx(tmp_path: Path) -> None:
    """A unit's name may not start with = + - @; a spec's label that does is text in the workbook and '-prefixed in CSV."""
    facts = tmp_path / "formula.yaml"
    facts.write_text(EXAMPLE.read_text(encoding="utf-8").replace("name: 曾家镇", 'name: "@SUM(1)"', 1), encoding="utf-8")
    code, _, err = call("score", str(facts))
    assert code == 1 and "单位 zengjia：`name` 以 '@' 开头，电子表格会把它当作公式" in err
    spec = formula_spec(tmp_path)
    target = tmp_path / "out.xlsx"
    assert call("score", str(EXAMPLE), "--spec", str(spec), "-o", str(target))[0] == 0
    cells = [c for row in openpyxl.load_workbook(target)["排名"].iter_rows() for c in row
             if c.value == '=HYPERLINK("http://x","各镇")']
    assert cells and all((c.data_type, c.quotePrefix) == ("s", True) for c in cells)
    code, out, _ = call("score", str(EXAMPLE), "--spec", str(spec), "--format", "csv")
    assert code == 0
    kinds = {r["单位类型"] for r in csv.DictReader(io.StringIO(out))}
    assert "'=HYPERLINK(\"http://x\",\"各镇\")" in kinds
    assert all(not k.startswith(("=", "+", "-", "@")) for k in kinds)


def test_csv_file_has_a_bom_chinese_headers_and_a_row_that_adds_up(tmp_path: Path) -> None:
    """-o x.csv: UTF-8 with BOM for Excel, Chinese headers, a monthly column; --ids gives machine ids."""
    target = tmp_path / "结果.csv"
    assert call("score", str(EXAMPLE), "-o", str(target))[0] == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[:13] == ["单位类型", "名次", "编号", "单位", "基础信息公开", "组织协调和制度建设",
                                  "政务公开平台建设与运行", "公开内容时效性", "月度考核扣分", "得分", "等次", "表扬", "目标分值"]
    for row in rows:
        parts = [Decimal(row[h]) for h in list(rows[0])[4:9]]
        assert sum(parts) == Decimal(row["得分"])
    assert next(r for r in rows if r["编号"] == "zhongbao")["月度考核扣分"] == "-0.5"
    _, out, _ = call("score", str(EXAMPLE), "--format", "csv", "--ids")
    assert not out.startswith("\ufeff")
    assert out.splitlines()[0].startswith("type,rank,id,name,basic_info,organization,platform,timeliness,on_total,score,")


def test_bulletin_csv_has_chinese_headers_and_ids_on_request() -> None:
    """The bulletin's CSV speaks Chinese too, and --ids gives the old machine headers."""
    code, out, _ = call("bulletin", str(EXAMPLE), "--quarter", "2021Q3", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "单位类型,名次,编号,单位,月份,未完成事项,扣分,累计得分,等次"
    code, out, _ = call("bulletin", str(EXAMPLE), "--quarter", "2021Q3", "--format", "csv", "--ids")
    assert out.splitlines()[0] == "type,rank,id,name,period,missed,deduction,running_score,grade"


@pytest.mark.parametrize(("name", "marker"), [("r.json", b'"format": "assessrules.result/1"'), ("r.txt", "名次".encode()),
                                               ("r.html", b"<!DOCTYPE html>"), ("r.csv", b"\xef\xbb\xbf")])
def test_the_output_format_follows_the_extension(tmp_path: Path, name: str, marker: bytes) -> None:
    """-o picks the format from the file's extension."""
    target = tmp_path / name
    code, _, err = call("score", str(EXAMPLE), "-o", str(target))
    assert code == 0, err
    assert marker in target.read_bytes()[:300]


def test_an_unknown_extension_is_a_usage_error_and_writes_nothing(tmp_path: Path) -> None:
    """-o x.doc exits 2 with the formats it knows; no silent text file."""
    target = tmp_path / "结果.doc"
    code, _, err = call("score", str(EXAMPLE), "-o", str(target))
    assert code == 2
    assert f"{target}: 无法从扩展名 .doc 判断输出格式" in err
    assert "提示：文件扩展名请用以下之一：.xlsx、.csv、.json、.html、.txt、.docx、.pdf" in err
    assert not target.exists()
    code, _, err = call("score", str(EXAMPLE), "-o", str(target), "--lang", "en")
    assert f"{target}: cannot tell the output format from the extension `.doc`" in err
    assert "hint: name the file with one of .xlsx, .csv, .json, .html, .txt, .docx, .pdf" in err
    code, _, err = call("score", str(EXAMPLE), "--format", "json", "-o", str(tmp_path / "x.csv"))
    assert code == 2
    assert "`--format json` 与文件扩展名 .csv 不一致" in err
    assert call("bulletin", str(EXAMPLE), "--quarter", "2021Q3", "-o", str(tmp_path / "b.xlsx"))[0] == 2


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_output_files_get_the_usual_permissions_under_the_umask(tmp_path: Path) -> None:
    """A file written with -o is 0644 under umask 022 (not 0600), and 0640 under 027."""
    old = os.umask(0o022)
    try:
        for umask, mode in ((0o022, 0o644), (0o027, 0o640)):
            os.umask(umask)
            target = tmp_path / f"out-{umask:o}.xlsx"
            assert call("score", str(EXAMPLE), "-o", str(target))[0] == 0
            assert stat.S_IMODE(target.stat().st_mode) == mode
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out-22.xlsx", "out-27.xlsx"]


def test_explain_takes_the_units_name_as_well_as_its_id() -> None:
    """--unit 牛头店镇 explains niutoudian; a near miss gets a did-you-mean."""
    code, by_name, _ = call("explain", str(EXAMPLE), "--unit", "牛头店镇")
    assert code == 0
    assert by_name == call("explain", str(EXAMPLE), "--unit", "niutoudian")[1]
    code, _, err = call("explain", str(EXAMPLE), "--unit", "牛头店")
    assert code == 2
    assert "没有编号或名称为“牛头店”的单位" in err
    assert "提示：您是不是要写 `牛头店镇 (niutoudian)`？" in err
    code, _, err = call("explain", str(EXAMPLE), "--unit", "牛头店", "--lang", "en")
    assert "no unit with id or name `牛头店`" in err
    assert "hint: did you mean `牛头店镇 (niutoudian)`?" in err
    code, _, err = call("explain", str(EXAMPLE), "--unit", "niutodian", "--lang", "en")
    assert "hint: did you mean `niutoudian`?" in err


def test_explain_all_writes_every_units_account_in_one_file(tmp_path: Path) -> None:
    """explain --all -o writes all 16 accounts as text, HTML or a workbook."""
    data = scored_json()
    names = [r["unit"]["name"] for r in data["results"]]
    txt, html, xlsx = tmp_path / "扣分明细.txt", tmp_path / "扣分明细.html", tmp_path / "扣分明细.xlsx"
    for target in (txt, html, xlsx):
        code, _, err = call("explain", str(EXAMPLE), "--all", "-o", str(target))
        assert code == 0, err
    text = txt.read_text(encoding="utf-8")
    assert text.count("一、得分明细") == 16
    assert text.count("最终得分 71 分 · 等次 良好") == 1
    page = html.read_text(encoding="utf-8")
    assert page.count('<h3 class="level2" id="unit-') == 16  # each unit's heading, the anchor of its account
    assert all(name in page for name in names)
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["扣分明细", "说明"]
    lines = [r for r in table(book["说明"]) if r["编号"] == "niutoudian"]
    assert lines[2]["说明"] == "最终得分 71 分 · 等次 良好 · 扣减目标分值 1 分（目标分值 3 分）"
    assert call("explain", str(EXAMPLE), "--unit", "niutoudian", "-o", str(tmp_path / "x.xlsx"))[0] == 2


def test_report_is_one_self_contained_html_file_with_everything(tmp_path: Path) -> None:
    """report: ranking, SVG charts per type, the four bulletins, each account, A4 print CSS; nothing remote."""
    target = tmp_path / "考核结果.html"
    code, _, err = call("report", str(EXAMPLE), "-o", str(target))
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    for unit in scored_json()["results"]:
        assert f'id="unit-{unit["unit"]["id"]}"' in page
        assert unit["unit"]["name"] in page
    assert page.count("<svg") == 2 * 3  # grades and scores for each of the three unit types
    assert all(f"2021年第{q}季度（截至" in page for q in "一二三四")  # each quarter's bulletin
    assert "牛头店镇：7月，月度考核：负责栏目未按时更新（扣0.5分）" in page
    assert "size: A4;" in page and "@media print" in page
    assert "<script" not in page and "<link" not in page and "@import" not in page and "url(" not in page
    assert page.replace('xmlns="http://www.w3.org/2000/svg"', "").count("http") == 0
    assert call("report", str(EXAMPLE), "-o", str(tmp_path / "x.odt"))[0] == 2


def test_report_escapes_names_from_the_facts(tmp_path: Path) -> None:
    """A name with markup is shown as text, not run."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("name: 城关镇", 'name: "<script>alert(1)</script>"', 1)
    facts = tmp_path / "facts.yaml"
    facts.write_text(text, encoding="utf-8")
    code, out, _ = call("report", str(facts))
    assert code == 0
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out


GBK_COMMANDS = [
    ["explain", str(EXAMPLE), "--unit", "niutoudian"],
    ["bulletin", str(EXAMPLE), "--quarter", "2021Q3"],
    ["impact", "2021", "2021", str(EXAMPLE)],
    ["test", "2021"],
    ["score", str(EXAMPLE)],
]


@pytest.mark.parametrize("argv", GBK_COMMANDS, ids=lambda a: a[0])
def test_a_gbk_console_gets_utf8_and_no_crash(argv: list[str]) -> None:
    """Under PYTHONIOENCODING=gbk the real CLI exits 0 and writes UTF-8 (− included)."""
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    proc = subprocess.run([sys.executable, "-m", "assessrules.cli", *argv], capture_output=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    text = proc.stdout.decode("utf-8")  # strict: it must be UTF-8
    assert text.strip()
    if argv[0] in ("explain", "bulletin"):
        assert "−0.5" in text


def test_control_characters_are_refused_in_names_and_never_reach_the_terminal(tmp_path: Path) -> None:
    """An escape sequence in a unit's name is refused; whatever text reaches the console is stripped of them."""
    from assessrules.outputs.cells import strip_controls

    text = EXAMPLE.read_text(encoding="utf-8").replace("name: 城关镇", 'name: "城关\\e[2J镇\\a"', 1)
    facts = tmp_path / "facts.yaml"
    facts.write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "assessrules.cli", "score", str(facts)], capture_output=True,
                          check=False)
    assert proc.returncode == 1
    assert b"\x1b" not in proc.stdout + proc.stderr and "控制字符".encode() in proc.stderr
    assert strip_controls("城关\x1b[2J镇\x07") == "城关[2J镇"


SHAPES = ROOT / "tests" / "specs" / "shapes"


def breakdown_of(spec_file: str, *units: dict[str, Any]) -> tuple[list[str], list[list[Decimal | None]], list[Decimal]]:
    from assessrules import load_spec
    from assessrules.outputs.breakdown import score_columns

    spec = load_spec(str(SHAPES / spec_file))
    results = spec.evaluate_many([{"target": 2, "type": "town", **u} for u in units])
    columns = score_columns(spec, results)
    return [c.label for c in columns], [[c.value(r) for c in columns if c.summand] for r in results], \
        [r.score for r in results]


@pytest.mark.parametrize(("spec_file", "labels", "units"), [
    ("bonus_veto.yaml", ["加分项", "折算与否决"], [
        {"id": "capped", "facts": {"late": 5, "provincial_award": True, "award_document": "x", "practices_adopted": 3}},
        {"id": "gated", "facts": {"late": 25, "practices_adopted": 2}},
        {"id": "vetoed", "facts": {"late": 5, "major_leak": True}}]),
    ("weighted_scale.yaml", ["合计折算", "折算与否决"], [
        {"id": "a", "type": "dept", "facts": {"work_errors": 5, "review_rating": "B"}},
        {"id": "b", "type": "dept", "facts": {"review_rating": "A", "plan_missing": True}}]),
    ("applicability.yaml", ["合计折算"], [
        {"id": "zengjia", "facts": {"has_new_media": False, "late": 30}},
        {"id": "shuiwu", "type": "dept", "facts": {"has_new_media": True, "late": 10, "poverty_items_missed": 5}}]),
])
def test_breakdown_columns_add_up_under_bonus_veto_weights_and_rescaling(
        spec_file: str, labels: list[str], units: list[dict[str, Any]]) -> None:
    """Whatever the spec does between the indicators and the score, a step column says it and the row adds up."""
    header, rows, scores = breakdown_of(spec_file, *units)
    assert all(label in header for label in labels), header
    for row, score in zip(rows, scores, strict=True):
        assert sum((v for v in row if v is not None), Decimal(0)) == score

"""The data-entry workbook: the template from any spec, reading filled workbooks, convert, and bad cells located."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from assessrules import load_spec
from assessrules.cli import run
from assessrules.engine.spec import Spec
from assessrules.errors import FactsError
from assessrules.inputs.facts_file import read_facts, score_document
from assessrules.inputs.template import build_workbook, excel_number
from assessrules.inputs.workbook import CellError, fact_value, read_workbook
from assessrules.messages import render_problem

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
QUARTERS = Path(__file__).parent / "specs" / "workbook-quarters.yaml"
BOOK = "考核数据.xlsx"
QUARTER_FACTS = """\
spec: {spec}
as_of: 2024-01-15
units:
  - id: a
    name: 甲镇
    type: town
    target: 2.5
    facts:
      media_rating: 良
      report_date: 2023-01-20
      has_plan: true
      other_issues: 0.5
      content_errors:
        - {{title: 首页, level: 严重差错, found: 2023-05-01}}
        - {{title: "=SUM(1)", level: 一般差错, found: 2023-06-01, fixed: true}}
    periods:
      2023Q1: {{visits: 3, satisfaction: 0.85}}
      2023Q2: {{visits: 1, satisfaction: 0.79, on_time: false}}
      2023Q3: {{visits: 4, satisfaction: "90%"}}
      2023Q4: {{visits: 4, satisfaction: 0.123456789012}}
  - id: 7
    type: dept
    target: 3
    facts: {{media_rating: 差, report_date: 2023-03-01, has_plan: false}}
    periods:
      2023Q1: {{visits: 0, satisfaction: 1}}
      2023Q2: {{visits: 0, satisfaction: 1}}
      2023Q3: {{visits: 0, satisfaction: 1}}
      2023Q4: {{visits: 0, satisfaction: 0}}
"""


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def quarters() -> Spec:
    """The small spec with quarters, enums, a date and records."""
    return load_spec(QUARTERS)


@pytest.fixture(scope="session")
def example_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example facts converted to a workbook, once."""
    path = tmp_path_factory.mktemp("book") / "example.xlsx"
    assert call("convert", str(EXAMPLE), "-o", str(path))[0] == 0
    return path


def quarter_spec(tmp_path: Path) -> Path:
    """The quarters spec beside the files of a test: a facts file or workbook names it by a path in its own folder."""
    path = tmp_path / QUARTERS.name
    if not path.exists():
        shutil.copy(QUARTERS, path)
    return path


def quarter_facts(tmp_path: Path) -> Path:
    path = tmp_path / "q.yaml"
    path.write_text(QUARTER_FACTS.format(spec=quarter_spec(tmp_path).name), encoding="utf-8")
    return path


# -- round trips ---------------------------------------------------------------------------------------------------


def test_scoring_the_converted_workbook_gives_byte_identical_json(example_book: Path) -> None:
    """Scoring the example YAML and scoring its converted workbook print the same JSON, byte for byte."""
    code, from_yaml, _ = call("score", str(EXAMPLE), "--format", "json")
    assert code == 0
    code, from_book, err = call("score", str(example_book), "--format", "json")
    assert (code, err) == (0, ""), err
    assert from_yaml == from_book


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_convert_back_from_the_workbook_loses_nothing(example_book: Path, tmp_path: Path, suffix: str) -> None:
    """A workbook converted back to JSON or YAML scores exactly as the original YAML."""
    out = tmp_path / f"back{suffix}"
    assert call("convert", str(example_book), "-o", str(out))[0] == 0
    assert call("score", str(out), "--format", "json")[1] == call("score", str(EXAMPLE), "--format", "json")[1]


def test_a_spec_with_quarters_enums_and_records_round_trips(tmp_path: Path) -> None:
    """YAML with quarters, enums, dates, records, an int id and a 12-place ratio scores the same as its workbook."""
    facts = quarter_facts(tmp_path)
    book = tmp_path / "q.xlsx"
    assert call("convert", str(facts), "-o", str(book))[0] == 0
    expected = call("score", str(facts), "--format", "json")[1]
    assert call("score", str(book), "--format", "json")[1] == expected
    data = read_facts(book).data
    assert data["units"][1]["id"] == 7
    assert data["units"][0]["periods"]["2023Q4"]["satisfaction"] == Decimal("0.123456789012")
    assert data["units"][0]["facts"]["content_errors"][1]["title"] == "=SUM(1)"
    assert data["as_of"] == dt.date(2024, 1, 15)


def test_a_numeric_unit_id_matches_however_the_cell_holds_it(tmp_path: Path) -> None:
    """A unit whose id is the number 7 is found from a row that holds the text "7" (a text-formatted cell)."""
    book = tmp_path / "q.xlsx"
    assert call("convert", str(quarter_facts(tmp_path)), "-o", str(book))[0] == 0
    wb = openpyxl.load_workbook(book)
    rows = wb["季度考核"]
    ids = [r for r in range(2, rows.max_row + 1) if rows.cell(row=r, column=1).value == 7]
    assert len(ids) == 4
    rows.cell(row=ids[1], column=1, value="7")
    wb.save(book)
    expected = call("score", str(quarter_facts(tmp_path)), "--format", "json")[1]
    assert call("score", str(book), "--format", "json")[1] == expected


def test_explain_bulletin_and_impact_read_a_workbook(example_book: Path) -> None:
    """`explain`, `bulletin` and `impact` take a workbook wherever they take YAML, with the same output."""
    for argv in (("explain", "{}", "--unit", "niutoudian"), ("bulletin", "{}", "--quarter", "2021Q2"),
                 ("impact", "2021", "2021", "{}")):
        from_yaml = call(*[a.format(EXAMPLE) for a in argv])
        from_book = call(*[a.format(example_book) for a in argv])
        assert from_yaml[0] == 0
        assert from_book == from_yaml


def test_template_filled_by_openpyxl_scores(quarters: Spec, tmp_path: Path) -> None:
    """A template pre-filled with units, then filled in cell by cell as a person would, scores as the same YAML."""
    units = tmp_path / "units.yaml"
    spec = quarter_spec(tmp_path)
    units.write_text(f"spec: {spec.name}\nunits:\n  - {{id: a, name: 甲镇, type: town, target: 2}}\n",
                     encoding="utf-8")
    book = tmp_path / "t.xlsx"
    assert call("template", str(spec), "-o", str(book), "--units", str(units))[0] == 0
    wb = openpyxl.load_workbook(book)
    wb["填表说明"]["B6"] = dt.datetime(2024, 1, 15)
    annual = wb["年度考核"]
    assert [c.value for c in annual[2]][:2] == ["a", "甲镇"]
    annual["C2"], annual["D2"], annual["E2"], annual["F2"] = "良", "0.5", "2023年1月20日", "√"
    rows = wb["季度考核"]
    assert [rows.cell(row=r, column=3).value for r in range(2, 6)] == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    filled: list[tuple[int | str, float | str]] = [(3, 0.85), ("1", "79%"), (4, 0.9), (4, 0.1)]
    for r, (visits, share) in enumerate(filled, start=2):
        rows.cell(row=r, column=4, value=visits)
        rows.cell(row=r, column=5, value=share)
    rows["F3"] = "×"
    errors = wb["内容差错记录"]
    errors.append(["a", "首页", "严重差错", "2023/5/1", None])
    errors.append(["a", "栏目", "一般差错", dt.datetime(2023, 6, 1), "TRUE"])
    wb.save(book)
    same = tmp_path / "same.yaml"
    same.write_text(f"""spec: {spec.name}
as_of: 2024-01-15
units:
  - id: a
    name: 甲镇
    type: town
    target: 2
    facts:
      media_rating: 良
      has_plan: true
      report_date: 2023-01-20
      other_issues: 0.5
      content_errors:
        - {{title: 首页, level: 严重差错, found: 2023-05-01}}
        - {{title: 栏目, level: 一般差错, found: 2023-06-01, fixed: true}}
    periods:
      2023Q1: {{visits: 3, satisfaction: 0.85}}
      2023Q2: {{visits: 1, satisfaction: 0.79, on_time: false}}
      2023Q3: {{visits: 4, satisfaction: 0.9}}
      2023Q4: {{visits: 4, satisfaction: 0.1}}
""", encoding="utf-8")
    code, out, err = call("score", str(book), "--format", "json")
    assert (code, err) == (0, ""), err
    assert out == call("score", str(same), "--format", "json")[1]


# -- the template --------------------------------------------------------------------------------------------------


def _rules(ws: Any) -> dict[str, DataValidation]:
    """The data validations of a sheet by the column letter of their range."""
    out = {}
    for rule in ws.data_validations.dataValidation:
        out[str(rule.sqref).split(":")[0].rstrip("0123456789")] = rule
    return out


def test_the_template_carries_each_kind_of_validation(quarters: Spec) -> None:
    """Bools get 是/否 lists, counts whole ≥ 0 with max, numbers and ratios decimal ranges, enums lists, dates dates."""
    wb = build_workbook(quarters)
    assert wb.sheetnames == ["填表说明", "单位", "年度考核", "季度考核", "内容差错记录"]
    annual, quarter, records, units = (_rules(wb[s]) for s in ("年度考核", "季度考核", "内容差错记录", "单位"))
    headers = [c.value for c in wb["年度考核"][1]]
    assert headers == ["单位编号", "单位名称", "评议等次", "其他问题视情况扣分（分）", "年度报告发布日期", "有年度工作方案"]
    assert (annual["C"].type, annual["C"].formula1) == ("list", '"优,良,一般,差"')
    number = annual["D"]
    assert (number.type, number.operator, number.formula1, number.formula2) == ("decimal", "between", "0", "2")
    assert (annual["E"].type, annual["E"].operator, annual["E"].formula1) == ("date", "between", "32874")  # 1990-01-01
    assert (annual["F"].type, annual["F"].formula1) == ("list", '"是,否"')
    count = quarter["D"]
    assert (count.type, count.operator, count.formula1, count.formula2) == ("whole", "between", "0", "90")
    assert (_rules(wb["单位"])["D"].type, _rules(wb["单位"])["D"].operator) == ("decimal", "greaterThanOrEqual")
    assert (quarter["E"].type, quarter["E"].formula1, quarter["E"].formula2) == ("decimal", "0", "1")
    assert quarter["C"].formula1 == '"2023Q1,2023Q2,2023Q3,2023Q4"'
    assert quarter["A"].formula1 == "'单位'!$A$2:$A$5000"
    assert (records["B"].type, records["B"].operator, records["B"].formula1) == ("textLength", "lessThanOrEqual", "2000")
    assert (records["C"].type, records["C"].formula1) == ("list", '"一般差错,严重差错"')
    assert (units["C"].type, units["C"].formula1) == ("list", '"镇,部门"')
    assert all(rule.showErrorMessage for rule in annual.values())
    assert wb["季度考核"]["E2"].number_format == "General"  # no rows yet; the column carries the format
    assert wb["季度考核"].column_dimensions["E"].number_format == "0.00%"


def test_the_template_headers_explain_their_facts_and_stay_in_view(quarters: Spec, spec2021: Spec) -> None:
    """Each fact's header has a comment with its description, method and clause; the header row is frozen."""
    wb = build_workbook(spec2021)
    late = next(c for c in wb["年度考核"][1] if c.value == "政府网站采样发现的未按时公开信息条数（条）")
    assert late.comment is not None
    text = late.comment.text
    assert "说明：采样发现的" in text and "方法：政府网站采样" in text and "依据：附件 考评细则" in text
    assert wb["月度考核"].freeze_panes == "D2"
    assert wb["年度考核"].freeze_panes == "C2"
    assert wb["单位"].freeze_panes == "A2"
    assert 12 <= wb["年度考核"].column_dimensions["N"].width <= 44
    clause = next(c for c in build_workbook(quarters)["季度考核"][1] if c.value == "季度走访次数（次）").comment
    assert clause is not None and "依据：第三条第一款" in clause.text


def test_units_prefill_a_row_per_unit_and_period(spec2021: Spec) -> None:
    """--units gives each unit its row in 单位 and in the annual sheet, and a row per month in 月度考核."""
    units = [{"id": "a", "name": "甲镇", "type": "town", "target": 3}, {"id": "b", "type": "department", "target": 2.5}]
    wb = build_workbook(spec2021, units)
    assert [[c.value for c in row] for row in wb["单位"].iter_rows(min_row=2)] == [
        ["a", "甲镇", "各镇人民政府", 3], ["b", None, "县政府各工作部门、直属事业单位", 2.5]]
    assert wb["月度考核"].max_row == 1 + 2 * 12
    assert wb["月度考核"]["C25"].value == "2021-12"
    assert wb["年度考核"]["A3"].value == "b"


def test_the_template_command_writes_a_workbook_and_refuses_other_names(tmp_path: Path) -> None:
    """`template` writes an .xlsx whose guide names the spec; another extension is a usage error."""
    book = tmp_path / "考核数据.xlsx"
    code, out, _ = call("template", "2021", "-o", str(book))
    assert code == 0 and "考核数据.xlsx" in out
    guide = openpyxl.load_workbook(book)["填表说明"]
    assert [guide["A5"].value, guide["B5"].value, guide["B4"].value] == ["规则", "2021", "镇考办发〔2021〕10号"]
    code, _, err = call("template", "2021", "-o", str(tmp_path / "x.xls"))
    assert code == 2 and "xlsx" in err


@pytest.mark.parametrize("value", [Decimal("0.1"), Decimal("0.95"), Decimal("0.950"), Decimal("3"), Decimal("2.5"),
                                   Decimal("0.1234567890123456789"), Decimal("1E+2"), Decimal("-0.002"), 12, 2**60])
def test_numbers_survive_a_cell_exactly(value: Decimal | int, tmp_path: Path) -> None:
    """A number written to a cell and read back is the same Decimal, digit for digit (no float artefacts)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = excel_number(value)
    wb.save(tmp_path / "n.xlsx")
    read = openpyxl.load_workbook(tmp_path / "n.xlsx").active
    assert read is not None
    from assessrules.inputs.workbook import number_of

    back = number_of(read["A1"].value)
    assert str(back) == str(value)


# -- what people type ----------------------------------------------------------------------------------------------

ACCEPTED: list[tuple[str, Any, Any]] = [
    ("has_plan", "是", True), ("has_plan", "否", False), ("has_plan", "√", True), ("has_plan", "×", False),
    ("has_plan", True, True), ("has_plan", "FALSE", False), ("has_plan", " true ", True),
    ("satisfaction", "95%", Decimal("0.95")), ("satisfaction", "９５％", Decimal("0.95")),
    ("satisfaction", 0.1, Decimal("0.1")), ("satisfaction", "0.85", Decimal("0.85")), ("satisfaction", 1, Decimal(1)),
    ("visits", "12", 12), ("visits", 12.0, 12), ("visits", " 7 ", 7),
    ("other_issues", 0.3, Decimal("0.3")), ("other_issues", "1.5", Decimal("1.5")),
    ("report_date", dt.datetime(2021, 3, 2), dt.date(2021, 3, 2)), ("report_date", "2021/3/2", dt.date(2021, 3, 2)),
    ("report_date", "2021年3月2日", dt.date(2021, 3, 2)), ("report_date", "2021-03-02", dt.date(2021, 3, 2)),
    ("media_rating", " 优 ", "优"),
]


@pytest.mark.parametrize(("name", "cell", "expected"), ACCEPTED)
def test_cells_accept_what_people_type(quarters: Spec, name: str, cell: Any, expected: Any) -> None:
    """是/否, √/×, TRUE/FALSE, 95%, date cells, 2021/3/2, 2021年3月2日 and numbers as text are read as meant."""
    value = fact_value(quarters.facts[name], cell)
    assert (type(value), value) == (type(expected), expected)


@pytest.mark.parametrize(("name", "cell", "hint"), [
    ("has_plan", "有", "write 是 or 否"), ("has_plan", 1, "write 是 or 否"),
    ("satisfaction", 95, "write 95% or 0.95"), ("visits", "3次", "whole number"),
    ("visits", "1,000", "without thousands separators"), ("report_date", 44000, "format the cell as a date"),
    ("media_rating", "很好", "choose one of 优, 良, 一般, 差"), ("other_issues", dt.datetime(2021, 1, 1), "not a date"),
    ("other_issues", 0.30000000000000004, "at most 12 decimal places"),  # as a facts file may hold: convert round-trips
])
def test_anything_else_gets_a_hint(quarters: Spec, name: str, cell: Any, hint: str) -> None:
    """A value that cannot be read as meant is refused with a hint on what to type."""
    with pytest.raises(CellError) as caught:
        fact_value(quarters.facts[name], cell)
    assert hint in (caught.value.hint or "")


# -- bad workbooks -------------------------------------------------------------------------------------------------

Mutation = Callable[[Workbook], None]


def _set(sheet: str, cell: str, value: Any) -> Mutation:
    def mutate(wb: Workbook) -> None:
        wb[sheet][cell] = value

    return mutate


def _both(first: Mutation, second: Mutation) -> Mutation:
    def mutate(wb: Workbook) -> None:
        first(wb)
        second(wb)

    return mutate


def _merge(wb: Workbook) -> None:
    wb["月度考核"].merge_cells("D2:D3")


def _hide_row(wb: Workbook) -> None:
    wb["月度考核"].row_dimensions[30].hidden = True


def _hide_column(wb: Workbook) -> None:
    wb["月度考核"].column_dimensions["J"].hidden = True


def _extra_sheet(wb: Workbook) -> None:
    wb.create_sheet("Sheet1")["A1"] = "草稿"


def _drop_sheet(wb: Workbook) -> None:
    del wb["主动公开信息记录"]


def _drop_column(wb: Workbook) -> None:
    wb["月度考核"].delete_cols(9)


def _drop_annual_row(wb: Workbook) -> None:
    wb["年度考核"].delete_rows(2)


def _number_in_date_cell(wb: Workbook) -> None:
    cell = wb["主动公开信息记录"]["C2"]
    cell.value, cell.number_format = 44000, "General"


def _orphan_record(wb: Workbook) -> None:
    wb["主动公开信息记录"]["A2"] = None


BAD: list[tuple[str, Mutation, str, str, str]] = [
    # name, change, code, cell, what the clerk reads (Chinese, the default)
    ("ratio_as_whole_percent", _set("月度考核", "I28", "95"), "xlsx.percent_as_number", "月度考核!I28",
     "单位“牛头店镇”（niutoudian）：2021-03 公共服务事项上网办理比例（online_service_ratio）填的是 95，大于允许的最大值 1\n"
     "    提示：比例在 0 到 1 之间：请写成 95% 或 0.95"),
    ("ratio_word", _set("月度考核", "I28", "高"), "xlsx.not_number", "月度考核!I28",
     "单位“牛头店镇”（niutoudian）：2021-03 公共服务事项上网办理比例（online_service_ratio）应填数字，单元格中是“高”"),
    ("bool_word", _set("月度考核", "E5", "maybe"), "xlsx.not_bool", "月度考核!E5",
     "单位“城关镇”（chengguan）：2021-04 重点领域信息按要求公开（key_areas_disclosed）应填“是”或“否”，单元格中是“maybe”"),
    ("bool_number", _set("月度考核", "E5", 1), "xlsx.not_bool", "月度考核!E5", "应填“是”或“否”，单元格中是“1”"),
    ("count_fraction", _set("月度考核", "D5", 2.5), "xlsx.not_whole", "月度考核!D5",
     "单位“城关镇”（chengguan）：2021-04 信息公开数量（条）（info_published）应填整数，单元格中是 2.5"),
    ("count_negative", _set("月度考核", "D5", -1), "xlsx.below_min", "月度考核!D5", "填的是 -1，小于允许的最小值 0"),
    ("count_separators", _set("月度考核", "D5", "1,200"), "xlsx.thousands", "月度考核!D5",
     "应填数字，单元格中是“1,200”，带有千位分隔符\n    提示：请去掉逗号，只填数字"),
    ("count_with_unit", _set("月度考核", "D5", "8条"), "xlsx.not_whole", "月度考核!D5", "应填整数，单元格中是 8条"),
    ("count_above_max", _set("年度考核", "C2", 7), "xlsx.above_max", "年度考核!C2",
     "单位“城关镇”（chengguan）：基础信息要素缺失或未及时更新项数（basic_elements_missing）填的是 7，大于允许的最大值 6"),
    ("required_empty", _set("年度考核", "D2", None), "xlsx.empty_cell", "年度考核!D2",
     "单位“城关镇”（chengguan）：已建立完善本单位政务公开工作机制（has_work_mechanism）未填写"),
    ("date_words", _set("主动公开信息记录", "C2", "去年"), "xlsx.not_date", "主动公开信息记录!C2",
     "单位“城关镇”（chengguan）：主动公开信息记录 第1条 形成或变更日期（formed）应填日期，单元格中是“去年”"),
    ("date_impossible", _set("主动公开信息记录", "C2", "2021/2/30"), "xlsx.no_such_date", "主动公开信息记录!C2",
     "填的“2021/2/30”不是存在的日期"),
    ("date_as_number", _number_in_date_cell, "xlsx.date_as_number", "主动公开信息记录!C2",
     "应填日期，单元格中是数字 44000\n    提示：请把单元格格式设为日期"),
    ("date_with_time", _set("主动公开信息记录", "D2", dt.datetime(2021, 3, 10, 9, 30)), "xlsx.date_with_time",
     "主动公开信息记录!D2", "在县政府网站全面公开日期（published）应填不带时刻的日期，单元格中是 2021-03-10 09:30"),
    ("unknown_unit", _set("月度考核", "A2", "chengguna"), "xlsx.unit_variant", "月度考核!A2",
     "“chengguna”不是“单位”表中的单位编号或单位名称（共 1 行这样填写）\n    提示：您是不是要写“城关镇（chengguan）”？"),
    ("record_without_unit", _orphan_record, "xlsx.no_unit", "主动公开信息记录!A2", "这一行没有填单位编号或单位名称"),
    ("unit_twice", _set("单位", "A3", "chengguan"), "xlsx.duplicate_unit", "单位!A3",
     "单位“城关镇”（chengguan）：这个单位列了两次（第一次在第 2 行）"),
    ("unknown_unit_type", _set("单位", "C3", "镇"), "xlsx.unknown_type", "单位!C3",
     "单位“曾家镇”（zengjia）：单位类型“镇”不在可选的类型之中\n"
     "    提示：可选的类型：各镇人民政府；县政府各工作部门、直属事业单位；"),
    ("target_words", _set("单位", "D2", "三分"), "xlsx.not_number", "单位!D2",
     "单位“城关镇”（chengguan）：目标分值（target）应填数字，单元格中是“三分”"),
    ("target_negative", _set("单位", "D2", -1), "xlsx.negative", "单位!D2", "目标分值（target）填的是 -1，不能为负数"),
    ("formula_without_value", _set("月度考核", "D2", "=4+4"), "xlsx.formula_unsaved", "月度考核!D2",
     "单元格中是公式，但没有保存计算结果"),
    ("error_value", _set("月度考核", "D2", "#DIV/0!"), "xlsx.error_value", "月度考核!D2", "单元格显示错误值 #DIV/0!"),
    ("merged_cells", _merge, "xlsx.merged", "月度考核!D2:D3", "单元格 D2:D3 被合并了，只有 D2 保留数值"),
    ("hidden_row", _hide_row, "xlsx.hidden_row", "月度考核!30:30", "第 30 行被隐藏了"),
    ("hidden_column", _hide_column, "xlsx.hidden_column", "月度考核!J:J", "J 列被隐藏了"),
    ("extra_sheet", _extra_sheet, "xlsx.unknown_sheet", "Sheet1", "工作表“Sheet1”不属于填报格式"),
    ("missing_sheet", _drop_sheet, "xlsx.missing_sheet", "主动公开信息记录", "缺少工作表“主动公开信息记录”"),
    ("missing_column", _drop_column, "xlsx.missing_column", "月度考核!1:1",
     "表头缺少“公共服务事项上网办理比例”列（online_service_ratio）"),
    ("unknown_column", _set("月度考核", "M1", "备注"), "xlsx.unknown_column", "月度考核!M1", "表头“备注”不属于这个工作表"),
    ("annual_row_twice", _both(_set("年度考核", "A3", "chengguan"), _set("年度考核", "B3", "城关镇")),
     "xlsx.second_row", "年度考核!3:3", "单位“城关镇”（chengguan）：在此表中有第二行（第一行是第 2 行）"),
    ("period_twice", _set("月度考核", "C3", "2021-01"), "xlsx.second_period_row", "月度考核!3:3",
     "单位“城关镇”（chengguan）：2021-01 有第二行（第一行是第 2 行）"),
    ("period_words", _set("月度考核", "C3", "二月"), "xlsx.not_month", "月度考核!C3",
     "单位“城关镇”（chengguan）：“二月”不是月份\n    提示：请写成 2021-03 这样的形式"),
    ("period_outside_year", _set("月度考核", "C3", "2020-02"), "facts.period_year", "月度考核!C3", "2020-02"),
    ("record_after_as_of", _both(_set("主动公开信息记录", "C2", dt.datetime(2022, 6, 1)),
                                 _set("主动公开信息记录", "D2", dt.datetime(2022, 6, 2))), "facts.record_after_as_of",
     "主动公开信息记录!C2", "单位“城关镇”（chengguan）："),
    ("annual_row_missing", _drop_annual_row, "xlsx.missing_row", "年度考核",
     "单位“城关镇”（chengguan）：在工作表“年度考核”中没有行"),
    ("as_of_words", _set("填表说明", "B6", "明年"), "xlsx.not_date", "填表说明!B6",
     "考核日期（as_of）应填日期，单元格中是“明年”"),
]


@pytest.mark.parametrize(("mutate", "code", "cell", "expected"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_workbook_is_refused_at_its_cell(example_book: Path, tmp_path: Path, mutate: Mutation, *, code: str,
                                               cell: str, expected: str) -> None:
    """Each failure mode of a filled workbook is refused with a Chinese message at its cell, and its own code."""
    wb = openpyxl.load_workbook(example_book)
    mutate(wb)
    path = tmp_path / BOOK
    wb.save(path)
    spec = load_spec("2021")
    with pytest.raises(FactsError) as caught:
        score_document(spec, read_workbook(path, spec, display=BOOK))
    found = [p for p in caught.value.problems if (p.code, p.cell) == (code, cell)]
    shown = "\n".join(render_problem(p, "zh") for p in caught.value.problems)
    assert found, shown
    assert f"{BOOK}!{cell}: " in render_problem(found[0], "zh")
    assert expected in render_problem(found[0], "zh"), shown


def test_every_problem_is_listed_at_once_and_nothing_is_scored(example_book: Path, tmp_path: Path) -> None:
    """Several bad cells in several sheets give one message each, in one run that exits 1 with no output."""
    wb = openpyxl.load_workbook(example_book)
    for mutate in (_set("月度考核", "I28", "95"), _set("单位", "D2", "三分"), _merge, _set("年度考核", "D2", None)):
        mutate(wb)
    path = tmp_path / BOOK
    wb.save(path)
    code, out, err = call("score", str(path))
    assert (code, out) == (1, "")
    assert "共 5 个问题；未计分" in err  # the merge empties D3, a required cell
    assert {"单位!D2", "月度考核!D2:D3", "月度考核!D3", "月度考核!I28", "年度考核!D2"} <= {line.split(": ")[0].split(".xlsx!")[-1]
                                                                       for line in err.splitlines()}


def test_files_that_are_not_workbooks_are_refused_clearly(tmp_path: Path) -> None:
    """A text file named .xlsx, a broken .xls and a .numbers file each get one clear message and exit 1."""
    fake = tmp_path / "fake.xlsx"
    fake.write_text("units: []\n", encoding="utf-8")
    code, _, err = call("score", str(fake))
    assert code == 1 and "fake.xlsx: 这不是 `Excel`、`WPS` 或 `LibreOffice` 工作簿，无法读取" in err and "Traceback" not in err
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    code, _, err = call("score", str(old))
    assert code == 1 and "old.xls: 这不是" in err and "Traceback" not in err
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    code, _, err = call("score", str(old))
    assert code == 1 and "old.xls: 这不是可读取的工作簿" in err and "Traceback" not in err
    with pytest.raises(FactsError) as caught:
        read_workbook(tmp_path / "book.numbers", load_spec("2021"))
    assert caught.value.problems[0].code == "xlsx.suffix"


def test_convert_refuses_facts_that_do_not_pass_the_spec(tmp_path: Path) -> None:
    """`convert` checks the facts first: a bad one is reported at its line and nothing is written."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("fulltime_staff: 1", "fulltime_staff: -1", 1),
                   encoding="utf-8")
    out = tmp_path / "bad.xlsx"
    code, _, err = call("convert", str(bad), "-o", str(out))
    assert code == 1 and "fulltime_staff" in err and ":18:23:" in err
    assert not out.exists()
    code, _, err = call("convert", str(EXAMPLE), "-o", str(tmp_path / "x.txt"))
    assert code == 2 and ".xlsx" in err


# -- a real office suite -------------------------------------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice Calc is not installed (Debian: apt-get install libreoffice-calc-nogui)")
    return found


def _libreoffice(source: Path, target: str, outdir: Path) -> subprocess.CompletedProcess[str]:
    profile = outdir / "profile"
    return subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--convert-to",
         target, "--outdir", str(outdir), str(source)], capture_output=True, text=True, timeout=180, check=False)


ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.mark.parametrize("which", ["template", "converted"])
def test_libreoffice_opens_the_workbooks(example_book: Path, tmp_path: Path, which: str) -> None:
    """LibreOffice Calc converts the template and a converted workbook to CSV, every sheet, without error."""
    source = tmp_path / f"{which}.xlsx"
    if which == "template":
        assert call("template", "2021", "-o", str(source), "--units", str(EXAMPLE))[0] == 0
    else:
        shutil.copy(example_book, source)
    done = _libreoffice(source, ALL_SHEETS_CSV, tmp_path)
    assert done.returncode == 0, done.stderr
    monthly = (tmp_path / f"{which}-月度考核.csv").read_text(encoding="utf-8").splitlines()
    assert len(monthly) == 1 + 16 * 12
    assert monthly[0].startswith("单位编号,单位名称,月份,信息公开数量（条）")
    if which == "converted":
        assert monthly[1].startswith("chengguan,城关镇,2021-01,8,是,1,1,是,")
    units = (tmp_path / f"{which}-单位.csv").read_text(encoding="utf-8").splitlines()
    assert units[1] == "chengguan,城关镇,各镇人民政府,3"


def test_a_workbook_saved_by_libreoffice_scores_the_same(example_book: Path, tmp_path: Path) -> None:
    """The converted workbook, saved again by LibreOffice with a formula in a cell, reads back to the same scores."""
    wb = openpyxl.load_workbook(example_book)
    wb["月度考核"]["D2"] = "=4+4"  # LibreOffice computes and saves 8, the value that was there
    source = tmp_path / "src" / "book.xlsx"
    source.parent.mkdir()
    wb.save(source)
    done = _libreoffice(source, "xlsx:Calc MS Excel 2007 XML", tmp_path)
    assert done.returncode == 0, done.stderr
    code, out, err = call("score", str(tmp_path / "book.xlsx"), "--format", "json")
    assert (code, err) == (0, ""), err
    assert out == call("score", str(EXAMPLE), "--format", "json")[1]


def test_a_workbook_problem_carries_its_cell_and_code(tmp_path: Path) -> None:
    """A program reading the problems finds the cell (sheet!ref), its code and the unit and fact, not only the text."""
    target = tmp_path / "t.xlsx"
    code, _, err = call("template", "2021", "-o", str(target), "--units", str(EXAMPLE))
    assert code == 0, err
    with pytest.raises(FactsError) as caught:
        read_facts(target, load_spec("2021"))
    first = caught.value.problems[0]
    assert (first.code, first.cell, first.unit, first.fact) == ("xlsx.empty_cell", "年度考核!D2", "chengguan",
                                                                "has_work_mechanism")
    assert first.file == f"{target}!年度考核!D2"

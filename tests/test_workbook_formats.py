"""Every workbook an office has: the example saved by LibreOffice as .xls and .ods scores as the .xlsx does, and
a corpus of clerks' mistakes gets the same located Chinese message and code in .xlsx, .xls and .ods.

The corpus is written once per session with openpyxl (.xlsx) and converted by LibreOffice headless in one
batch per format (``soffice --convert-to xls a.xlsx b.xlsx …``), so that the default run stays fast. The
.xls and .ods tests skip only when LibreOffice (``soffice``) is not installed, and say so.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from openpyxl.workbook.workbook import Workbook

from assessrules import load_spec
from assessrules.cli import run
from assessrules.engine.spec import Spec
from assessrules.errors import FactsError
from assessrules.inputs.facts_file import score_document
from assessrules.inputs.workbook import parse_date_text, read_workbook
from assessrules.messages import render_problem

from .hostile_workbooks import load_example

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
FORMATS = ("xlsx", "xls", "ods")
UNITS, ANNUAL, MONTHLY, RECORDS = "单位", "年度考核", "月度考核", "主动公开信息记录"
Change = Callable[[Workbook], object]


@attrs.frozen
class Mistake:
    """One clerk's mistake: how it is made, and the problem it must give (code, cell, Chinese words) in each format."""

    name: str
    change: Change
    code: str | None  # None: not a mistake, the workbook scores as the example does
    cell: str = ""
    words: str = ""
    formats: tuple[str, ...] = FORMATS
    codes: dict[str, str] = attrs.field(factory=dict)  # a format whose code differs, with why in the case's comment
    once: bool = False  # the problem is said once, however many rows it concerns


def _set(sheet: str, ref: str, value: Any, number_format: str | None = None) -> Change:
    def change(wb: Workbook) -> None:
        wb[sheet][ref].value = value
        if number_format is not None:
            wb[sheet][ref].number_format = number_format
    return change


def _column(sheet: str, column: str, rows: range, value: Any) -> Change:
    def change(wb: Workbook) -> None:
        for row in rows:
            wb[sheet][f"{column}{row}"].value = value
    return change


def _merge(wb: Workbook) -> None:
    wb[MONTHLY].merge_cells("D2:D3")


def _hide_row(wb: Workbook) -> None:
    wb[MONTHLY].row_dimensions[30].hidden = True


def _rename(wb: Workbook) -> None:
    wb[MONTHLY].title = "月度考核表"


def _drop_records(wb: Workbook) -> None:
    del wb[RECORDS]


def _drop_month(wb: Workbook) -> None:
    wb[MONTHLY].delete_rows(5)


MISTAKES = [
    Mistake("name_typo", _set(ANNUAL, "B4", "牛头店真"), "xlsx.name_mismatch", "年度考核!B4",
            "单位“牛头店镇”（niutoudian）："
            "单位名称“牛头店真”与单位编号 niutoudian 不一致：“单位”表中 niutoudian 的名称是“牛头店镇”"),
    Mistake("id_case_variant", _column(MONTHLY, "A", range(14, 26), "Zengjia"), "xlsx.unit_variant", "月度考核!A14",
            "“Zengjia”不是“单位”表中的单位编号或单位名称（共 12 行这样填写）\n    提示：您是不是要写“zengjia”？", once=True),
    Mistake("full_width_id", _set(ANNUAL, "A2", "ｃｈｅｎｇｇｕａｎ"), "xlsx.unit_variant", "年度考核!A2",
            "提示：您是不是要写“chengguan”？"),
    Mistake("name_typo_in_records", _set(RECORDS, "A2", "城关真"), "xlsx.unit_variant", "主动公开信息记录!A2",
            "“城关真”不是“单位”表中的单位编号或单位名称（共 1 行这样填写）\n    提示：您是不是要写“城关镇（chengguan）”？"),
    # LibreOffice itself keeps 20210305 in a date cell as the date 32767-12-31 (it shows #FMT): the .ods
    # holds no digits to read back, so its hint says what happened instead
    Mistake("number_in_date_cell", _set(RECORDS, "C2", 20210305, "yyyy-mm-dd"), "xlsx.date_digits",
            "主动公开信息记录!C2", "改为“常规”", codes={"ods": "xlsx.date_overflow"}),
    Mistake("ratio_as_95", _set(MONTHLY, "I28", 95), "xlsx.percent_as_number", "月度考核!I28",
            "单位“牛头店镇”（niutoudian）："
            "2021-03 公共服务事项上网办理比例（online_service_ratio）填的是 95，大于允许的最大值 1\n"
            "    提示：比例在 0 到 1 之间：请写成 95% 或 0.95"),
    Mistake("text_in_count", _set(MONTHLY, "D5", "三条"), "xlsx.not_whole", "月度考核!D5",
            "单位“城关镇”（chengguan）：2021-04 信息公开数量（条）（info_published）应填整数，单元格中是 三条"),
    Mistake("unknown_type", _set(UNITS, "C3", "镇"), "xlsx.unknown_type", "单位!C3",
            "单位“曾家镇”（zengjia）：单位类型“镇”不在可选的类型之中"
            "\n    提示：可选的类型：各镇人民政府；县政府各工作部门、直属事业单位；"
            "县税务局、市生态环境局镇坪分局"),
    Mistake("missing_month_row", _drop_month, "facts.missing_month", "月度考核", "2021-04"),
    Mistake("merged_cells", _merge, "xlsx.merged", "月度考核!D2:D3", "单元格 D2:D3 被合并了，只有 D2 保留数值"),
    Mistake("wrong_sheet_name", _rename, "xlsx.misnamed_sheet", "月度考核表",
            "工作表“月度考核表”不属于填报格式\n    提示：您是不是要写“月度考核”？"),
    Mistake("empty_required_cell", _set(ANNUAL, "D2", None), "xlsx.empty_cell", "年度考核!D2",
            "单位“城关镇”（chengguan）：已建立完善本单位政务公开工作机制（has_work_mechanism）未填写"),
    Mistake("thousands_separator", _set(MONTHLY, "D5", "1,200"), "xlsx.thousands", "月度考核!D5", "带有千位分隔符"),
    Mistake("yes_no_word", _set(MONTHLY, "E5", "有"), "xlsx.not_bool", "月度考核!E5", "应填“是”或“否”，单元格中是“有”"),
    Mistake("date_words", _set(RECORDS, "C2", "去年"), "xlsx.not_date", "主动公开信息记录!C2",
            "单位“城关镇”（chengguan）：主动公开信息记录 第1条 形成或变更日期（formed）应填日期，单元格中是“去年”"),
    Mistake("impossible_date", _set(RECORDS, "C2", "2021/2/30"), "xlsx.no_such_date", "主动公开信息记录!C2",
            "填的“2021/2/30”不是存在的日期"),
    Mistake("unit_twice", _set(UNITS, "A3", "chengguan"), "xlsx.duplicate_unit", "单位!A3",
            "单位“城关镇”（chengguan）：这个单位列了两次（第一次在第 2 行）"),
    Mistake("unknown_unit", _set(MONTHLY, "A2", "nobody"), "xlsx.unknown_unit", "月度考核!A2",
            "“nobody”不是“单位”表中的单位编号或单位名称（共 1 行这样填写）"),
    Mistake("negative_target", _set(UNITS, "D2", -1), "xlsx.negative", "单位!D2", "目标分值（target）填的是 -1，不能为负数"),
    Mistake("target_in_words", _set(UNITS, "D2", "三分"), "xlsx.not_number", "单位!D2",
            "目标分值（target）应填数字，单元格中是“三分”"),
    Mistake("month_in_words", _set(MONTHLY, "C3", "二月"), "xlsx.not_month", "月度考核!C3",
            "单位“城关镇”（chengguan）：“二月”不是月份"),
    Mistake("month_twice", _set(MONTHLY, "C3", "2021-01"), "xlsx.second_period_row", "月度考核!3:3",
            "单位“城关镇”（chengguan）：2021-01 有第二行（第一行是第 2 行）"),
    Mistake("extra_column", _set(MONTHLY, "M1", "备注"), "xlsx.unknown_column", "月度考核!M1", "表头“备注”不属于这个工作表"),
    Mistake("sheet_deleted", _drop_records, "xlsx.missing_sheet", "主动公开信息记录", "缺少工作表“主动公开信息记录”"),
    Mistake("count_above_max", _set(ANNUAL, "C2", 7), "xlsx.above_max", "年度考核!C2", "填的是 7，大于允许的最大值 6"),
    Mistake("date_with_time", _set(RECORDS, "D2", dt.datetime(2021, 3, 10, 9, 30)), "xlsx.date_with_time",
            "主动公开信息记录!D2", "应填不带时刻的日期，单元格中是 2021-03-10 09:30"),
    # an .xls keeps hidden rows in records that calamine does not read, and we do not parse BIFF ourselves
    Mistake("hidden_row", _hide_row, "xlsx.hidden_row", "月度考核!30:30", "第 30 行被隐藏了", formats=("xlsx", "ods")),
    # not mistakes: a unit by its name instead of its id, in a records sheet and in a monthly sheet
    Mistake("unit_by_name_in_records", _set(RECORDS, "A2", "城关镇"), None),
    Mistake("unit_by_name_in_monthly", _column(MONTHLY, "A", range(2, 14), "城关镇"), None),
]


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(sources: list[Path], fmt: str, outdir: Path) -> subprocess.Popen[str]:
    """Start converting every source to ``fmt`` with one LibreOffice run (its own profile, so two can run at once)."""
    soffice = _soffice()
    assert soffice is not None
    profile = outdir / "profile"
    return subprocess.Popen([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                             "--convert-to", fmt, "--outdir", str(outdir), *map(str, sources)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="session")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The folder of each format holding the example (example.*) and every mistake (name.*)."""
    root = tmp_path_factory.mktemp("formats")
    folders = {fmt: root / fmt for fmt in FORMATS}
    for folder in folders.values():
        folder.mkdir()
    example = folders["xlsx"] / "example.xlsx"
    assert run(["convert", str(EXAMPLE), "-o", str(example)], io.StringIO(), io.StringIO()) == 0
    for mistake in MISTAKES:
        wb = load_example()
        mistake.change(wb)
        wb.save(folders["xlsx"] / f"{mistake.name}.xlsx")
    if _soffice() is not None:
        sources = sorted(folders["xlsx"].glob("*.xlsx"))
        runs = [_convert(sources, fmt, folders[fmt]) for fmt in ("xls", "ods")]
        for done in runs:
            _, stderr = done.communicate(timeout=600)
            assert done.returncode == 0, stderr
    return folders


def _book(books: dict[str, Path], name: str, fmt: str) -> Path:
    if fmt != "xlsx" and _soffice() is None:
        pytest.skip(f"LibreOffice (soffice) is not installed: no .{fmt} can be made to read")
    return books[fmt] / f"{name}.{fmt}"


@pytest.fixture(scope="module")
def spec2021() -> Spec:
    return load_spec("2021")


def _score(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["score", str(path), "--format", "json"], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_example_saved_in_each_format_scores_byte_identically(books: dict[str, Path], fmt: str) -> None:
    """The 16 example units in a workbook saved by LibreOffice as .xls or .ods score exactly as the .xlsx and the YAML."""
    expected = _score(EXAMPLE)
    assert expected[0] == 0
    assert _score(_book(books, "example", fmt)) == expected


CASES = [pytest.param(m, fmt, id=f"{m.name}-{fmt}") for m in MISTAKES for fmt in FORMATS if fmt in m.formats]
"""Each mistake in each format that can tell it (a hidden row is not told in .xls: docs/facts.md)."""


@pytest.mark.parametrize(("mistake", "fmt"), CASES)
def test_a_clerks_mistake_is_located_in_chinese_in_every_format(books: dict[str, Path], spec2021: Spec,
                                                               mistake: Mistake, fmt: str) -> None:
    """Each mistake gives its code at its cell (book!sheet!cell) with its Chinese words, in .xlsx, .xls and .ods."""
    path = _book(books, mistake.name, fmt)
    display = f"考核数据.{fmt}"
    if mistake.code is None:
        document = read_workbook(path, spec2021, display=display)
        example = read_workbook(_book(books, "example", fmt), spec2021, display=display)
        assert document.data == example.data
        return
    with pytest.raises(FactsError) as caught:
        score_document(spec2021, read_workbook(path, spec2021, display=display))
    code = mistake.codes.get(fmt, mistake.code)
    shown = "\n".join(render_problem(p, "zh") for p in caught.value.problems)
    found = [p for p in caught.value.problems if (p.code, p.cell) == (code, mistake.cell)]
    assert found, shown
    said = render_problem(found[0], "zh")
    assert said.startswith(f"{display}!{mistake.cell}: "), said
    assert mistake.words in said, shown
    if mistake.once:
        assert [p.code for p in caught.value.problems].count(code) == 1, shown


def test_the_corpus_holds_twenty_mistakes_in_each_format() -> None:
    """At least 20 clerks' mistakes are told in each of .xlsx, .xls and .ods."""
    for fmt in FORMATS:
        assert sum(1 for m in MISTAKES if m.code is not None and fmt in m.formats) >= 20


def test_a_problem_names_its_unit_fact_and_period_for_programs(books: dict[str, Path], spec2021: Spec) -> None:
    """`--errors json` readers find the unit, fact and period of a cell's problem, not only its words."""
    with pytest.raises(FactsError) as caught:
        read_workbook(_book(books, "ratio_as_95", "xlsx"), spec2021)
    problem = caught.value.problems[0]
    assert (problem.code, problem.unit, problem.fact, problem.period, problem.cell) == (
        "xlsx.percent_as_number", "niutoudian", "online_service_ratio", "2021-03", "月度考核!I28")


@pytest.mark.parametrize(("text", "day"), [("2021年12月31日", dt.date(2021, 12, 31)), ("2021/12/31", dt.date(2021, 12, 31)),
                                          ("2021-3-2", dt.date(2021, 3, 2)), ("２０２１.３.２", dt.date(2021, 3, 2))])
def test_dates_are_read_as_cells_accept_them(text: str, day: dt.date) -> None:
    """parse_date_text reads the date forms a cell accepts, for the command line to reuse (--as-of)."""
    assert parse_date_text(text) == day


@pytest.mark.parametrize("text", ["2021/2/30", "明天", "20211231"])
def test_what_is_no_date_is_refused(text: str) -> None:
    """parse_date_text refuses what is no date with ValueError."""
    with pytest.raises(ValueError, match="date"):
        parse_date_text(text)


def test_an_ods_that_repeats_a_filled_row_a_million_times_is_refused_unread(books: dict[str, Path],
                                                                          tmp_path: Path) -> None:
    """A row with a value repeated 1,000,000 times (a few bytes in content.xml) is refused before calamine builds it."""
    import zipfile

    source = _book(books, "example", "ods")
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    content = parts["content.xml"]
    start = content.find(b"<table:table-row", content.find(b'table:name="' + UNITS.encode()))
    end = content.find(b">", start)
    parts["content.xml"] = content[:end] + b' table:number-rows-repeated="1000000"' + content[end:]
    bomb = tmp_path / "bomb.ods"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", parts.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(FactsError) as caught:
        read_workbook(bomb, load_spec("2021"), display="bomb.ods")
    said = render_problem(caught.value.problems[0], "zh")
    assert caught.value.problems[0].code == "xlsx.repeated"
    assert said.startswith("bomb.ods: 工作簿把一行（或一个单元格）有内容的数据重复了 1,000,000 次"), said


def test_an_xlsm_is_read_as_its_xlsx_and_its_macros_never_run(books: dict[str, Path], tmp_path: Path) -> None:
    """A macro-enabled workbook (.xlsm) with a VBA part scores as the .xlsx does: only its cells are read."""
    import zipfile

    source = books["xlsx"] / "example.xlsx"
    target = tmp_path / "考核数据.xlsm"
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            out.writestr(info, archive.read(info))
        out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub Workbook_Open(): Shell \"calc\": End Sub")
    assert _score(target) == _score(EXAMPLE)

"""Hostile workbooks for the corpus: each is the example workbook with one thing broken, built with openpyxl.

The example facts are converted once to a workbook (``assessrules convert … -o x.xlsx``); each case
changes a cell, a sheet or the file itself in a temporary folder, then runs ``convert`` (or
``score``, ``template --units``) on it with ``-o converted.yaml``. Every case must fail with a
message that names the cell (``book.xlsx!sheet!D2``), and leave no ``converted.yaml`` behind.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook

from assessrules.cli import run

from .hostile_corpus import CANARY, EXAMPLE, Builder, Case, write

BOOK = "book.xlsx"
CONVERTED = "converted.yaml"
"""The output every workbook case asks for; it must not exist after the failure."""
UNITS, ANNUAL, MONTHLY, RECORDS, GUIDE = "单位", "年度考核", "月度考核", "主动公开信息记录", "填表说明"
SPEC_CELL = "B5"
"""The guide's 规则 cell: the spec the workbook names."""


@functools.cache
def example_book() -> bytes:
    """The example facts as a workbook, made once by ``assessrules convert``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.xlsx"
        code = run(["convert", str(EXAMPLE), "-o", str(path)], io.StringIO(), io.StringIO())
        assert code == 0
        return path.read_bytes()


def load_example() -> Workbook:
    """A fresh openpyxl copy of the example workbook."""
    return openpyxl.load_workbook(io.BytesIO(example_book()))


Change = Callable[[Workbook], object]


def command(d: Path, book: Path, verb: str) -> list[str]:
    """The command line that reads ``book`` with ``verb`` and writes ``converted.yaml`` (or a workbook)."""
    if verb == "template":
        return ["template", "-o", str(d / "template.xlsx"), "--units", str(book)]
    return [verb, str(book), "-o", str(d / (CONVERTED if verb == "convert" else "scores.json"))]


def _changed(change: Change, verb: str) -> Builder:
    def build(d: Path) -> list[str]:
        wb = load_example()
        change(wb)
        wb.save(d / BOOK)
        return command(d, d / BOOK, verb)
    return build


def cell_case(name: str, sheet: str, ref: str, value: Any, fragment: str, *, kind: str | None = None,
              number_format: str | None = None, verb: str = "convert") -> Case:
    """The example workbook with ``sheet!ref`` set to ``value``; the message must hold ``fragment``."""
    def change(wb: Workbook) -> None:
        cell = wb[sheet][ref]
        cell.value = value
        if kind is not None:
            cell.data_type = kind
        if number_format is not None:
            cell.number_format = number_format
    return Case(f"workbook_{name}", _changed(change, verb), 1, fragment)


def book_case(name: str, change: Change, fragment: str, exit: int = 1, verb: str = "convert") -> Case:
    """The example workbook changed by ``change``."""
    return Case(f"workbook_{name}", _changed(change, verb), exit, fragment)


def file_case(name: str, make: Callable[[Path], Path], fragment: str, exit: int = 1) -> Case:
    """``convert`` whatever ``make`` puts at the workbook's path."""
    return Case(f"workbook_{name}", lambda d: command(d, make(d), "convert"), exit, fragment)


def _zip(d: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(d / BOOK, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return d / BOOK


def _example_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(example_book())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _edited(old: bytes, new: bytes, part: str) -> Callable[[Path], Path]:
    """The example workbook with ``old`` replaced by ``new`` in its raw XML ``part``."""
    def make(d: Path) -> Path:
        parts = _example_parts()
        found = old if old in parts[part] else _references(old)  # openpyxl on lxml writes 城 as &#22478;
        assert found in parts[part], f"{old!r} is not in {part}"
        parts[part] = parts[part].replace(found, new, 1)
        return _zip(d, parts)
    return make


def _references(text: bytes) -> bytes:
    """``text`` as XML writes it with every character beyond ASCII a numeric reference (``&#22478;``)."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text.decode()).encode()


def _bomb(d: Path) -> Path:
    """A real zip bomb: a 300 MB part of zeros, about 300 KB packed, beside the example's parts."""
    path = _zip(d, _example_parts())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/media/pad.bin", "w") as part:
        chunk = bytes(1 << 20)
        for _ in range(300):
            part.write(chunk)
    return path


def _declared_bomb(d: Path) -> Path:
    """A workbook whose central directory declares a 4 GB part: refused on the declaration alone."""
    path = _zip(d, _example_parts())
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # the last part's central-directory entry
    data[central + 24:central + 28] = (0xFFFFFFF0).to_bytes(4, "little")  # its uncompressed size
    path.write_bytes(bytes(data))
    return path


def _link(d: Path, target: Path | str) -> Path:
    os.symlink(target, d / BOOK)
    return d / BOOK


def _fifo(d: Path) -> Path:
    os.mkfifo(d / BOOK)
    return d / BOOK


def _folder(d: Path) -> Path:
    (d / BOOK).mkdir()
    return d / BOOK


def _secret(d: Path) -> Path:
    return write(d, "outside/secret.yaml", f"spec: {CANARY}\nunits: [{CANARY}]\n")


def _names_spec(reference: Callable[[Path], str], verb: str = "convert") -> Builder:
    """The example workbook in ``d/inside`` whose guide names the spec ``reference(d)``."""
    def build(d: Path) -> list[str]:
        wb = load_example()
        wb[GUIDE][SPEC_CELL].value = reference(d)
        (d / "inside").mkdir(exist_ok=True)
        wb.save(d / "inside" / BOOK)
        return command(d, d / "inside" / BOOK, verb)
    return build


def _link_out(d: Path) -> str:
    os.makedirs(d / "inside", exist_ok=True)
    os.symlink(_secret(d), d / "inside" / "spec.yaml")
    return "spec.yaml"


def _hide_sheet(wb: Workbook) -> None:
    wb[MONTHLY].sheet_state = "hidden"


def _hide_row(wb: Workbook) -> None:
    wb[MONTHLY].row_dimensions[3].hidden = True


def _hide_column(wb: Workbook) -> None:
    wb[MONTHLY].column_dimensions["D"].hidden = True


def _merge(wb: Workbook) -> None:
    wb[MONTHLY].merge_cells("A2:A4")


def _merge_values(wb: Workbook) -> None:
    wb[RECORDS].merge_cells("B2:C2")


def _wide(wb: Workbook) -> None:
    ws = wb[MONTHLY]
    for column in range(13, 3013):
        ws.cell(1, column, f"列{column}")


def _far_row(wb: Workbook) -> None:
    wb[MONTHLY].cell(1_048_576, 1, "chengguan")


def _far_column(wb: Workbook) -> None:
    wb[RECORDS].cell(2, 16_384, 5)


def _tall(wb: Workbook) -> None:
    wb[UNITS].cell(250_000, 1, "x")


def _rename(title: str, new: str) -> Change:
    def change(wb: Workbook) -> None:
        wb[title].title = new
    return change


def _drop(title: str) -> Change:
    def change(wb: Workbook) -> None:
        del wb[title]
    return change


def _extra_sheet(wb: Workbook) -> None:
    wb.create_sheet("=cmd| C calc A0")


def _header(sheet: str, ref: str, text: str) -> Change:
    def change(wb: Workbook) -> None:
        wb[sheet][ref].value = text
    return change


def _many_bad(wb: Workbook) -> None:
    ws = wb[MONTHLY]
    for row in range(2, ws.max_row + 1):
        ws.cell(row, 4, "很多")


WORKBOOK_CASES: list[Case] = [
    # -- the file itself -------------------------------------------------------------------------------------
    file_case("not_a_zip", lambda d: write(d, BOOK, "单位编号,单位名称\nchengguan,城关镇\n"),
              "这不是 `Excel`、`WPS` 或 `LibreOffice` 工作簿"),
    file_case("empty_file", lambda d: write(d, BOOK, b""), "这不是 `Excel`、`WPS` 或 `LibreOffice` 工作簿"),
    file_case("zip_of_text", lambda d: _zip(d, {"readme.txt": CANARY.encode()}), "这不是 `Excel`、`WPS` 或 `LibreOffice` 工作簿"),
    file_case("truncated_zip", lambda d: write(d, BOOK, example_book()[:5000]), "这不是可读取的工作簿"),
    file_case("zip_bomb", _bomb, "工作簿解压后有 314,"),
    file_case("zip_bomb_declared", _declared_bomb, "是否为压缩炸弹"),
    file_case("broken_sheet_xml", _edited(b"</sheetData>", b"<row><c>", "xl/worksheets/sheet3.xml"),
              "这不是可读取的工作簿"),
    file_case("symlink_to_dev_zero", lambda d: _link(d, "/dev/zero"), "这不是一个普通文件"),
    file_case("symlink_to_secret", lambda d: _link(d, _secret(d)), "这不是 `Excel`、`WPS` 或 `LibreOffice` 工作簿"),
    file_case("symlink_dangling", lambda d: _link(d, d / "nowhere.xlsx"), "找不到这个文件"),
    file_case("fifo", _fifo, "这不是一个普通文件"),
    file_case("folder", _folder, "这不是一个普通文件"),
    file_case("too_large_file", lambda d: write(d, BOOK, b"PK" + bytes(33_000_000)), "工作簿最多 32,000,000 字节"),
    file_case("raw_escape_byte_in_xml", _edited("城关镇".encode(), "城关\x1b[31m镇".encode(), "xl/worksheets/sheet2.xml"),
              "U+001B"),
    file_case("raw_c1_csi_in_xml", _edited("城关镇".encode(), "城关\u009b31m镇".encode(), "xl/worksheets/sheet2.xml"),
              "U+009B"),
    file_case("raw_bell_entity_in_xml", _edited("关于印发".encode(), "关于&#7;印发".encode(), "xl/worksheets/sheet5.xml"),
              "主动公开信息记录!B2: 单位“城关镇”（chengguan）："
              "主动公开信息记录 第1条 信息标题（title）含有不允许的控制字符 U+0007"),
    # -- sheets and layout -----------------------------------------------------------------------------------
    book_case("hidden_sheet", _hide_sheet, "工作表“月度考核”被隐藏了"),
    book_case("hidden_row", _hide_row, "月度考核!3:3: 第 3 行被隐藏了"),
    book_case("hidden_column", _hide_column, "月度考核!D:D: D 列被隐藏了"),
    book_case("merged_ids", _merge, "月度考核!A2:A4: 单元格 A2:A4 被合并了"),
    book_case("merged_title_and_date", _merge_values, "主动公开信息记录!B2:C2"),
    book_case("three_thousand_columns", _wide, "月度考核!DKV:DKV: 工作表延伸到 DKV 列"),
    book_case("last_row_of_excel", _far_row, "月度考核!1048576:1048576: 工作表延伸到第 1,048,576 行"),
    book_case("last_column_of_excel", _far_column, "主动公开信息记录!XFD:XFD"),
    book_case("quarter_million_rows", _tall, "单位!250000:250000"),
    book_case("sheet_name_bidi", _rename(MONTHLY, "月度考核\u202e"), "book.xlsx!月度考核\\u202e: 工作表“月度考核\\u202e”"),
    book_case("sheet_name_tab", _rename(MONTHLY, "月度\t考核"), "工作表“月度\\u0009考核”不属于填报格式"),
    book_case("sheet_name_escape", _rename(UNITS, "单位\x9b2J"), "缺少工作表“单位”"),
    book_case("units_sheet_missing", _drop(UNITS), "book.xlsx!单位: 缺少工作表“单位”"),
    book_case("records_sheet_missing", _drop(RECORDS), "缺少工作表“主动公开信息记录”"),
    book_case("formula_sheet_name", _extra_sheet, "不属于填报格式"),
    book_case("header_renamed", _header(MONTHLY, "D1", "=HYPERLINK(\"http://x\")"), "月度考核!D1"),
    book_case("header_control", _header(MONTHLY, "E1", "重点\x7f领域"), "表头“重点\\u007f领域”"),
    book_case("every_count_bad", _many_bad, "月度考核!D193"),
    # -- values ----------------------------------------------------------------------------------------------
    cell_case("formula_without_saved_value", MONTHLY, "D2", "=1+1", "月度考核!D2: 单元格中是公式，但没有保存计算结果"),
    cell_case("hyperlink_formula_title", RECORDS, "B2", '=HYPERLINK("http://evil.example","点此")',
              "主动公开信息记录!B2: 单元格中是公式"),
    cell_case("dde_formula_in_count", MONTHLY, "D3", "=cmd|' /C calc'!A0", "月度考核!D3: 单元格中是公式"),
    cell_case("dde_text_as_unit_name", UNITS, "B2", "=cmd|' /C calc'!A0",
              "单位!B2: 单位 chengguan：", kind="s"),
    cell_case("plus_text_as_unit_id", UNITS, "A3", "+cmd|' /C calc'!A0", "单位!A3: 单位编号“+cmd", kind="s"),
    cell_case("at_text_as_unit_name", UNITS, "B4", "@SUM(1+1)", "单位!B4: 单位 niutoudian：", kind="s"),
    cell_case("error_value", MONTHLY, "D2", "#DIV/0!", "月度考核!D2: 单元格显示错误值 #DIV/0!", kind="e"),
    cell_case("error_ref", RECORDS, "C2", "#REF!", "主动公开信息记录!C2: 单元格显示错误值 #REF!", kind="e"),
    cell_case("bidi_in_unit_id", UNITS, "A2", "cheng\u202eguan", "单位!A2: 单位编号“cheng\\u202eguan”"),
    cell_case("bidi_in_title", RECORDS, "B2", "通知\u202egnp.exe", "主动公开信息记录!B2"),
    cell_case("isolate_in_unit_name", UNITS, "B2", "城关\u2066镇", "U+2066"),
    cell_case("c1_csi_in_unit_name", UNITS, "B2", "城关\x9b31m镇", "U+009B"),
    cell_case("delete_char_in_title", RECORDS, "B2", "通知\x7f", "U+007F"),
    cell_case("minus_text_as_unit_id", UNITS, "A2", "-chengguan", "单位!A2: 单位编号“-chengguan”以“-”开头"),
    cell_case("nan_text_count", MONTHLY, "D2", "NaN", "月度考核!D2: 单位“城关镇”（chengguan）：2021-01"),
    cell_case("inf_text_ratio", MONTHLY, "I2", "inf", "月度考核!I2"),
    cell_case("minus_infinity_text", MONTHLY, "I2", "-Infinity", "应填数字，单元格中是“-Infinity”"),
    cell_case("exponent_400", MONTHLY, "I2", "1e400", "月度考核!I2: 单位“城关镇”（chengguan）：2021-01"),
    cell_case("exponent_minus_400", MONTHLY, "I2", "1e-400",
              "月度考核!I2: 单位“城关镇”（chengguan）："
              "2021-01 公共服务事项上网办理比例（online_service_ratio）的数字 1e-400 太小"),
    cell_case("ten_to_the_30", MONTHLY, "D2", 10**30,
              "月度考核!D2: 单位“城关镇”（chengguan）：2021-01 信息公开数量（条）（info_published）的数字 1e+30"),
    cell_case("ten_to_the_30_float", MONTHLY, "F2", 1e30, "月度考核!F2"),
    cell_case("count_above_a_billion", MONTHLY, "D2", 2_000_000_000, "月度考核!D2"),
    cell_case("target_ten_to_the_30", UNITS, "D2", 10**30, "单位!D2"),
    cell_case("target_negative", UNITS, "D2", -3, "单位!D2: 单位“城关镇”（chengguan）：目标分值（target）填的是 -3，不能为负数"),
    cell_case("count_negative", MONTHLY, "D2", -1, "月度考核!D2"),
    cell_case("count_fraction", MONTHLY, "D2", 1.5, "应填整数，单元格中是 1.5"),
    cell_case("count_thousands_text", MONTHLY, "D2", "1,000", "带有千位分隔符"),
    cell_case("count_true", MONTHLY, "D2", True,
              "月度考核!D2: 单位“城关镇”（chengguan）：2021-01 信息公开数量（条）（info_published）应填整数"),
    cell_case("count_date", MONTHLY, "D2", dt.datetime(2021, 1, 1), "请把单元格格式设为“常规”或“数值”"),
    cell_case("ratio_150_percent", MONTHLY, "I2", "150%", "月度考核!I2"),
    cell_case("ratio_percent_twice", MONTHLY, "I2", "95%%", "月度考核!I2"),
    cell_case("bool_maybe", MONTHLY, "E2", "也许", "月度考核!E2: 单位“城关镇”（chengguan）：2021-01"),
    cell_case("month_13", MONTHLY, "C2", "2021-13", "月度考核!C2"),
    cell_case("month_twice", MONTHLY, "C3", "2021-01", "有第二行"),
    cell_case("unit_id_twice", UNITS, "A3", "chengguan", "单位!A3: 单位“城关镇”（chengguan）：这个单位列了两次"),
    cell_case("unit_id_trailing_space", UNITS, "A3", "chengguan ", "单位!A3: 单位“城关镇”（chengguan）：这个单位列了两次"),
    cell_case("unit_id_missing", UNITS, "A2", None, "单位!A2: 这一行没有填单位编号"),
    cell_case("unit_unknown_in_sheet", MONTHLY, "A2", "nobody", "月度考核!A2: “nobody”不是“单位”表中的单位编号或单位名称"),
    cell_case("unit_type_unknown", UNITS, "C2", "宇宙", "单位!C2"),
    # -- dates -----------------------------------------------------------------------------------------------
    cell_case("date_1900", RECORDS, "C2", dt.datetime(1900, 1, 1), "1900-01-01 超出官方节假日安排"),
    cell_case("date_9999", RECORDS, "D2", dt.datetime(9999, 12, 31), "9999-12-31 超出官方节假日安排"),
    cell_case("date_with_time", RECORDS, "C2", dt.datetime(2021, 2, 5, 10, 30), "主动公开信息记录!C2"),
    cell_case("serial_zero", RECORDS, "C2", 0, "单元格中是“00:00”", number_format="yyyy-mm-dd"),
    cell_case("serial_60_fake_leap_day", RECORDS, "C2", 60, "1900-02-28 超出官方节假日安排", number_format="yyyy-mm-dd"),
    cell_case("serial_negative", RECORDS, "C2", -5,
              "主动公开信息记录!C2: 单位“城关镇”（chengguan）：主动公开信息记录 第1条 形成或变更日期（formed）",
              number_format="yyyy-mm-dd"),
    cell_case("serial_after_9999", RECORDS, "C2", 2_958_466, "主动公开信息记录!C2", number_format="yyyy-mm-dd"),
    cell_case("serial_1e10", RECORDS, "D2", 1e10, "主动公开信息记录!D2", number_format="yyyy-mm-dd"),
    cell_case("serial_as_number", RECORDS, "C2", 44_300, "早于“形成或变更日期”（formed）"),
    cell_case("date_text_feb_30", RECORDS, "C2", "2021-02-30", "填的“2021-02-30”不是存在的日期"),
    cell_case("date_text_year_0", RECORDS, "C2", "0000-01-01", "主动公开信息记录!C2"),
    cell_case("date_published_before_formed", RECORDS, "D2", dt.datetime(2021, 1, 1), "早于“形成或变更日期”（formed）"),
    cell_case("as_of_feb_30", GUIDE, "B6", "2021-02-30", "填表说明!B6"),
    # -- the spec the workbook names (file-access policy) ----------------------------------------------------
    Case("workbook_spec_etc_passwd", _names_spec(lambda d: "/etc/passwd"), 2, "可读取的文件夹之外"),
    Case("workbook_spec_dotdot_secret", _names_spec(lambda d: (_secret(d), "../outside/secret.yaml")[1]), 2,
         "可读取的文件夹之外"),
    Case("workbook_spec_proc_environ", _names_spec(lambda d: "/proc/self/environ"), 2, "可读取的文件夹之外"),
    Case("workbook_spec_symlink_out", _names_spec(_link_out), 2, "可读取的文件夹之外"),
    Case("workbook_spec_unknown_id", _names_spec(lambda d: "2099"), 2, "2099"),
    Case("workbook_spec_outside_in_score", _names_spec(lambda d: "/etc/passwd", "score"), 2, "可读取的文件夹之外"),
    # -- the other commands ----------------------------------------------------------------------------------
    cell_case("score_bidi_title", RECORDS, "B2", "a\u202eb", "主动公开信息记录!B2", verb="score"),
    cell_case("template_units_bad_count", MONTHLY, "D2", "x", "月度考核!D2", verb="template"),
]
"""Every hostile workbook, by name."""


__all__ = ["CONVERTED", "WORKBOOK_CASES", "example_book", "load_example"]

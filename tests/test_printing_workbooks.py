"""Workbooks ready to print: A4, one page wide, the header row on every page, a title and page numbers.

The page setup is read back with openpyxl; then real LibreOffice prints the results workbook and the
data-entry template to PDF, and poppler's ``pdftotext`` reads each page back: every unit's row of the
ranking stands whole on one line of one page, and the template's guide prints whole.
Units come in ranked order (unit type, score, id) on every sheet, never by id.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from assessrules.cli import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
TITLE = "镇坪县2021年政务公开工作考核办法"

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_calc = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (Debian: libreoffice-calc-nogui)")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed (Debian: poppler-utils)")


def call(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    assert code == 0, err.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The results workbook, the accounts workbook, and the template blank and pre-filled, of the example."""
    folder = tmp_path_factory.mktemp("books")
    made = {name: folder / f"{name}.xlsx" for name in ("结果", "扣分明细", "模板", "预填模板")}
    call("score", str(EXAMPLE), "-o", str(made["结果"]))
    call("explain", "--all", str(EXAMPLE), "-o", str(made["扣分明细"]))
    call("template", "-o", str(made["模板"]))
    call("template", "-o", str(made["预填模板"]), "--units", str(EXAMPLE))
    return made


@pytest.mark.parametrize("name", ["结果", "扣分明细", "模板", "预填模板"])
def test_every_sheet_prints_on_a4_one_page_wide_with_title_and_page_numbers(books: dict[str, Path], name: str) -> None:
    book = openpyxl.load_workbook(books[name])
    for sheet in map(_any, book.worksheets):
        setup = sheet.page_setup
        assert (int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (9, 1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        widths = [sheet.column_dimensions[openpyxl.utils.get_column_letter(c)].width or 13
                  for c in range(1, sheet.max_column + 1)]
        assert setup.orientation == ("landscape" if sum(widths) > 100 else "portrait"), sheet.title
        header, footer = sheet.oddHeader.center.text or "", sheet.oddFooter.center.text or ""
        assert header.startswith(TITLE), sheet.title
        assert "&P" in header + footer and "&N" in header + footer, sheet.title
        if sheet.title != "填表说明":  # the guide has no header row: its title heads each page
            assert sheet.print_title_rows == "$1:$1", sheet.title
            assert all(cell.border.left.style == "thin" for cell in sheet[1]), sheet.title
        if name in ("结果", "扣分明细", "预填模板") and sheet.title != "填表说明" and sheet.max_row > 1:
            assert all(cell.border.bottom.style == "thin" for cell in sheet[sheet.max_row]), sheet.title


def test_the_ranking_prints_landscape_titled_with_the_spec(books: dict[str, Path]) -> None:
    sheet = _any(openpyxl.load_workbook(books["结果"])["排名"])
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.oddHeader.center.text == f"{TITLE} 考核结果排名"
    assert sheet["A1"].value == "单位类型"  # the header stays in row 1: readers need not change


def _any(sheet: Any) -> Any:
    """The sheet, its print settings read without openpyxl's optional types in the way."""
    return sheet


def _rows(sheet: Any) -> list[dict[str, Any]]:
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, r, strict=True)) for r in rows]


def _first_seen(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def test_units_come_in_ranked_order_on_every_sheet(books: dict[str, Path]) -> None:
    """扣分明细, 月度, 直接扣分与目标分值 and 凭据 list units as 排名 does: unit type, score, then id."""
    book = openpyxl.load_workbook(books["结果"])
    order = [r["编号"] for r in _rows(book["排名"])]
    assert order != sorted(order)  # the example's ranking is not its id order: the check below can tell them apart
    deductions = _first_seen([r["编号"] for r in _rows(book["扣分明细"])])
    assert deductions == [u for u in order if u in deductions]
    assert len(deductions) > 10
    assert _first_seen([r["编号"] for r in _rows(book["月度"])]) == order
    assert [r["编号"] for r in _rows(book["直接扣分与目标分值"])] == order
    assert [r["编号"] for r in _rows(book["凭据"]) if r["项目"] == "考核数据 SHA-256"] == order
    accounts = openpyxl.load_workbook(books["扣分明细"])
    assert _first_seen([r["编号"] for r in _rows(accounts["扣分明细"])]) == deductions
    assert _first_seen([r["编号"] for r in _rows(accounts["说明"])]) == order


def to_pdf(workbook: Path, folder: Path) -> list[str]:
    """Print ``workbook`` to PDF with LibreOffice; the text of each page, laid out as printed."""
    assert SOFFICE is not None and PDFTOTEXT is not None
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    pdf = folder / f"{workbook.stem}.pdf"
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=120,
                          check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _number(value: Any) -> str:
    return str(int(value)) if float(value) == int(value) else str(value)


@pytest.fixture(scope="module")
def printed(books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The results workbook as LibreOffice prints it: the text of each page."""
    return to_pdf(books["结果"], tmp_path_factory.mktemp("printed"))


@needs_calc
@needs_pdftotext
def test_libreoffice_prints_each_ranked_unit_whole_on_one_line(books: dict[str, Path], printed: list[str]) -> None:
    """On every printed page of 排名, a unit's name, id, score and grade stand on one line: no column is cut
    off to another page."""
    pages = printed
    total = len(pages)
    ranking = [p for p in pages if f"{TITLE} 考核结果排名" in p]
    assert ranking, "no page is headed with the ranking's title"
    assert all(f"第 {n} 页 共 {total} 页" in page for n, page in enumerate(pages, 1))
    for page in ranking:
        assert "单位类型" in page and "目标分值" in page  # the header row on every page, whole
    lines = [line for page in ranking for line in page.splitlines()]
    for row in _rows(openpyxl.load_workbook(books["结果"])["排名"]):
        pattern = re.compile(rf"{re.escape(row['单位'])}\s+{re.escape(row['编号'])}\s+{re.escape(_number(row['得分']))}"
                             rf"\s+{re.escape(row['等次'])}")
        assert any(pattern.search(line) for line in lines), row
    for sheet in ("得分明细", "扣分明细", "直接扣分与目标分值", "凭据"):
        assert any(f"{TITLE} {sheet}" in p for p in pages), sheet


@needs_calc
@needs_pdftotext
def test_libreoffice_prints_the_template_one_page_wide_with_its_guide_whole(books: dict[str, Path],
                                                                            tmp_path: Path) -> None:
    pages = to_pdf(books["模板"], tmp_path)
    book = openpyxl.load_workbook(books["模板"])
    assert len(pages) == len(book.sheetnames)  # a blank sheet is one page: its columns fit the page's width
    guide = pages[0]
    assert f"{TITLE} 考核数据填报表" in guide
    flat = re.sub(r"\s+", "", guide)
    assert "目标分值。" in flat and "assessrulesscore考核数据.xlsx" in flat  # the steps' ends: nothing cut
    for page, title in zip(pages[1:], book.sheetnames[1:], strict=True):
        assert f"{TITLE} 考核数据填报表 {title}" in page
        last = str(book[title].cell(row=1, column=book[title].max_column).value)
        assert re.sub(r"\s+", "", last)[:4] in re.sub(r"\s+", "", page), (title, last)


def test_the_grade_distribution_counts_the_ranking_and_carries_a_native_chart(books: dict[str, Path]) -> None:
    """等次分布: per unit type, how many units got each grade (they add up to 排名's), and a column chart of it."""
    book = openpyxl.load_workbook(books["结果"])
    assert book.sheetnames[:2] == ["排名", "等次分布"]
    counted: dict[tuple[str, str], int] = {}
    for row in _rows(book["排名"]):
        counted[row["单位类型"], row["等次"]] = counted.get((row["单位类型"], row["等次"]), 0) + 1
    table = _rows(book["等次分布"])
    assert [r["单位类型"] for r in table] == list(dict.fromkeys(r["单位类型"] for r in _rows(book["排名"])))
    for row in table:
        grades = {k: v for k, v in row.items() if k not in ("单位类型", "合计")}
        assert list(grades) == ["优秀", "良好", "一般", "不合格"]
        assert grades == {g: counted.get((row["单位类型"], g), 0) for g in grades}
        assert row["合计"] == sum(grades.values())
    with zipfile.ZipFile(books["结果"]) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "<barChart>" in chart and "各类单位考核等次分布" in chart and "'等次分布'!$A$2:$A$4" in chart


@needs_calc
@needs_pdftotext
def test_libreoffice_draws_the_grade_chart(printed: list[str]) -> None:
    pages = [p for p in printed if f"{TITLE} 等次分布" in p]
    assert len(pages) == 1  # the table and its chart on one page
    assert "各类单位考核等次分布" in pages[0] and "单位数" in pages[0]  # the chart's title and axis, drawn

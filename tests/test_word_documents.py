"""The documents as Word (.docx): read back with python-docx, and laid out by real LibreOffice.

The four documents of the 16 example units (公示, 通报, 扣分明细, the whole report) are written by
:func:`render_docx`; python-docx reads them back (the figures in the tables, the page, the styles, the table
rows' flags, the letterhead); LibreOffice Writer converts each to PDF, and poppler's ``pdftotext`` reads every
page: no page ends with a heading, and no page but the last is mostly empty.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import attrs
import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assessrules import load_spec
from assessrules.engine.results import Result
from assessrules.engine.spec import Spec
from assessrules.inputs.facts_file import read_facts, score_document, units_of
from assessrules.messages import text
from assessrules.numbers import format_points
from assessrules.outputs.documents import build
from assessrules.outputs.documents.model import Appendix, Block, Document, Heading, Keep
from assessrules.outputs.documents.word import render_docx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
NUMBER = "镇考办发〔2022〕3号"

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_writer = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui)")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed (Debian: poppler-utils)")


@attrs.frozen
class Example:
    spec: Spec
    results: list[Result]
    documents: dict[str, Document]
    files: dict[str, bytes]


@pytest.fixture(scope="module")
def example() -> Example:
    spec = load_spec("2021")
    facts = read_facts(EXAMPLE, lambda name: spec)
    results = score_document(spec, facts, None)
    letterhead = build.letterhead_of(spec, results, number=NUMBER)
    groups = spec.score_groups(results)
    units = units_of(facts)
    documents = {
        "公示": build.publicity(spec, results, letterhead, groups),
        "通报": build.bulletin_notice(spec, spec.bulletin(units, "2021Q3"), letterhead),
        "扣分明细": build.deductions(spec, results, letterhead),
        "考核结果": build.report(spec, results, letterhead,
                             bulletins=[spec.bulletin(units, f"2021Q{q}") for q in range(1, 5)], groups=groups),
    }
    return Example(spec, results, documents, {name: render_docx(d) for name, d in documents.items()})


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def table_rows(data: bytes) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in read(data).tables for row in table.rows]


def headings(blocks: tuple[Block, ...]) -> Iterator[Heading]:
    for block in blocks:
        if isinstance(block, Heading):
            yield block
        elif isinstance(block, Keep | Appendix):
            yield from headings(block.blocks)


def test_every_unit_is_in_the_tables_with_its_score_and_grade(example: Example) -> None:
    """公示 and the report: a row per unit with its score and grade; 扣分明细: each unit's table totals its score."""
    assert len(example.results) == 16
    for name in ("公示", "考核结果"):
        rows = table_rows(example.files[name])
        for r in example.results:
            assert any(r.unit.name in row and format_points(r.score) in row and r.grade in row for row in rows), \
                (name, r.unit.name)
    word = read(example.files["扣分明细"])
    body = word.element.body
    total = text("out.doc_total", "zh")
    scores: dict[str, str] = {}
    unit = None
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            style = child.pPr.pStyle.val if child.pPr is not None and child.pPr.pStyle is not None else ""
            if style == "Heading2":
                unit = "".join(t.text or "" for t in child.iter(qn("w:t")))
            elif style.startswith("Heading"):
                unit = None
        elif child.tag == qn("w:tbl") and unit is not None and unit not in scores:
            last = child.findall(qn("w:tr"))[-1]
            cells = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in last.findall(qn("w:tc"))]
            assert cells[0] == total
            scores[unit] = cells[3]
    assert scores == {r.unit.name: format_points(r.score) for r in example.results}

    bulletin = example.documents["通报"]
    rows = table_rows(example.files["通报"])
    assert bulletin.blocks
    entries = example.spec.bulletin(units_of(read_facts(EXAMPLE, lambda name: example.spec)), "2021Q3").entries
    for e in entries:
        assert any(e.name in row and format_points(e.score) in row and e.grade in row for row in rows), e.name


def test_page_is_a4_with_the_margins_of_gbt_9704(example: Example) -> None:
    for name, data in example.files.items():
        section = read(data).sections[0]
        for measured, wanted in ((section.page_width, Mm(210)), (section.page_height, Mm(297)),
                                 (section.top_margin, Mm(37)), (section.bottom_margin, Mm(35)),
                                 (section.left_margin, Mm(28)), (section.right_margin, Mm(26))):
            assert measured is not None and abs(measured - wanted) <= 635, name  # within a twip


def test_styles_are_named_and_set_as_gbt_9704_says(example: Example) -> None:
    word = read(example.files["公示"])
    used = {p.style.name for p in word.paragraphs if p.style is not None}
    assert {"Title", "Heading 1", "公文正文", "落款", "发文机关标志", "发文字号"} <= used
    in_tables = {p.style.name for t in word.tables for row in t.rows for c in row.cells for p in c.paragraphs
                 if p.style is not None}
    assert {"表格文字", "表头"} <= in_tables
    appendix = read(example.files["扣分明细"])
    assert "附件标题" in {p.style.name for p in appendix.paragraphs if p.style is not None}

    styles = word.styles
    title, body = styles["Title"], styles["公文正文"]
    assert title.font.size == Pt(22) and body.font.size == Pt(16)
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert body.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.paragraph_format.line_spacing == Pt(28)
    for level, font in ((1, "黑体"), (2, "楷体_GB2312"), (3, "仿宋_GB2312")):
        assert styles[f"Heading {level}"].element.rPr.rFonts.get(qn("w:eastAsia")) == font
    assert styles["Heading 3"].font.bold
    assert styles["表格文字"].font.size == Pt(12) and styles["表格小字"].font.size == Pt(10.5)
    fonts = zipfile.ZipFile(io.BytesIO(example.files["公示"])).read("word/fontTable.xml").decode()
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="黑体"/>', fonts)
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', fonts)


def test_every_table_repeats_its_header_and_keeps_its_rows_whole(example: Example) -> None:
    for name, data in example.files.items():
        tables = read(data).tables
        assert tables, name
        for table in tables:
            flags = [{child.tag for child in row.trPr} if row.trPr is not None else set() for row in table._tbl.tr_lst]
            assert qn("w:tblHeader") in flags[0], name
            assert all(qn("w:cantSplit") in row for row in flags), name
            assert all(qn("w:tblHeader") not in row for row in flags[1:]), name
    merged = read(example.files["扣分明细"]).element.body.findall(".//" + qn("w:vMerge"))
    assert merged, "一级指标 spans its 二级指标 rows"


def test_letterhead_shows_the_office_and_the_number(example: Example) -> None:
    for name in ("公示", "通报"):
        first, second, third = (p.text for p in read(example.files[name]).paragraphs[:3])
        assert (first, second) == ("镇坪县考核委员会办公室", NUMBER), name
        assert third == example.documents[name].title
    assert read(example.files["扣分明细"]).paragraphs[0].text == example.documents["扣分明细"].title
    unnumbered = attrs.evolve(example.documents["公示"],
                              letterhead=attrs.evolve(example.documents["公示"].letterhead, number=None))
    assert read(render_docx(unnumbered)).paragraphs[1].text == text("out.doc_number_blank", "zh")


def test_page_numbers_are_a_page_field_between_dashes_right_then_left(example: Example) -> None:
    word = read(example.files["公示"])
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    for footer in (section.footer, section.even_page_footer):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert " PAGE " in [t.text for t in paragraph._p.iter(qn("w:instrText"))]
    assert section.footer.paragraphs[0].alignment != section.even_page_footer.paragraphs[0].alignment


def test_the_same_document_gives_the_same_bytes(example: Example) -> None:
    for name, document in example.documents.items():
        assert render_docx(document) == example.files[name], name
    data = example.files["公示"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2022, 1, 10, 0, 0, 0)}
    core = read(data).core_properties
    assert core.author == core.last_modified_by == "assessrules"
    assert core.title == example.documents["公示"].title
    assert core.created == core.modified == dt.datetime(2022, 1, 10, tzinfo=dt.UTC)


# real LibreOffice


MM = 72 / 25.4


def pdf_pages(pdf: Path) -> list[tuple[float, list[tuple[float, str]]]]:
    """Each page's height and its words (yMax, text), in pt, as ``pdftotext -bbox`` finds them."""
    assert PDFTOTEXT is not None
    xml = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', xml, re.S):
        words = [(float(y), unescape(w)) for y, w in
                 re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', body)]
        pages.append((float(height), words))
    return pages


def page_lines(pdf: Path, page: int) -> list[str]:
    """The page's text lines without spaces, the page number (— 1 —) left out."""
    assert PDFTOTEXT is not None
    out = subprocess.run([PDFTOTEXT, "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    lines = [re.sub(r"\s+", "", line) for line in out.splitlines()]
    return [line for line in lines if line and not re.fullmatch(r"—\d+—", line)]


@needs_writer
@needs_poppler
def test_writer_lays_out_every_document_without_orphan_headings_or_empty_pages(example: Example,
                                                                               tmp_path: Path) -> None:
    """LibreOffice converts each .docx to PDF; no page ends with a heading; every page but the last is a third full."""
    assert SOFFICE is not None
    paths = []
    for name, data in example.files.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(data)
        paths.append(str(path))
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), *paths],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Error" not in proc.stderr, proc.stderr
    for name, document in example.documents.items():
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.is_file(), (name, proc.stdout, proc.stderr)
        titles = {re.sub(r"\s+", "", h.text) for h in headings(document.blocks)}
        pages = pdf_pages(pdf)
        assert len(pages) >= 2, name
        for number, (height, words) in enumerate(pages, 1):
            lines = page_lines(pdf, number)
            assert lines, (name, number)
            last = lines[-1]
            assert last not in titles and not any(len(last) >= 6 and t.startswith(last) for t in titles), \
                f"{name}: page {number} ends with the heading {last}"
            if number == len(pages):
                continue
            text_bottom = height - 35 * MM
            lowest = max(y for y, _ in words if y <= text_bottom + 4)  # the page number below is left out
            assert lowest - 37 * MM >= (225 * MM) / 3, f"{name}: page {number} is less than a third full"

"""The documents printed: the report as PDF by WeasyPrint and as the same HTML printed by headless Chromium.

The pages are read back with poppler's ``pdftotext -bbox``: where each line of text stands on its page. Both
renderers must give pages that are full enough (no near-empty page but the last and the one before the
appendix, which starts a new page on purpose), that never end with a heading, that keep each chart on the page
of its table's heading, and about as many pages as the content needs. The 公示, the 通报 and the 扣分明细 as
PDF hold every unit with its score and grade; the same document gives the same PDF bytes; and without
WeasyPrint, ``render_pdf`` says so with the catalogue's ``usage.pdf_missing``.

Tests that need WeasyPrint skip only where it is not installed (the ``[pdf]`` extra); those that print with
Chromium skip only where Chromium is not installed; all need poppler's ``pdftotext``.
"""

from __future__ import annotations

import html as htmllib
import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from assessrules import load_spec
from assessrules.engine.results import Result
from assessrules.engine.spec import Spec
from assessrules.errors import UsageError
from assessrules.inputs.facts_file import read_facts, score_document, units_of
from assessrules.numbers import format_points
from assessrules.outputs.documents import build
from assessrules.outputs.documents.model import Appendix, Block, Chart, Document, Heading, Keep
from assessrules.outputs.documents.printed import render_html, render_pdf

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
HAS_WEASYPRINT = importlib.util.find_spec("weasyprint") is not None
needs_weasyprint = pytest.mark.skipif(not HAS_WEASYPRINT,
                                      reason="WeasyPrint is not installed (pip install 'assessrules[pdf]')")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: chromium)")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed (Debian: poppler-utils)")

MM = 72 / 25.4
PAGE_HEIGHT = 297 * MM
TOP = 37 * MM  # GB/T 9704 margins: the text area is 225 mm high, from 37 mm below the top
TEXT_HEIGHT = 225 * MM
BOTTOM = TOP + TEXT_HEIGHT


@attrs.frozen
class Line:
    text: str
    x: float
    y_min: float
    y_max: float


@attrs.frozen
class Page:
    lines: tuple[Line, ...]
    """Every line of text inside the text area (the running header and the page number are outside it)."""
    words: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)

    def columns(self) -> str:
        """The words of the left half, then those of the right: two figures side by side, each read whole."""
        middle = 210 * MM / 2
        left = [w for w in self.words if w.x < middle]
        right = [w for w in self.words if w.x >= middle]
        return "".join(w.text for w in sorted(left, key=lambda w: (w.y_min, w.x))) + \
            "".join(w.text for w in sorted(right, key=lambda w: (w.y_min, w.x)))


def read_pages(pdf: Path) -> list[Page]:
    """The pages of ``pdf`` as ``pdftotext -bbox-layout`` reads them: lines and words with their places."""
    assert PDFTOTEXT is not None
    proc = subprocess.run([PDFTOTEXT, "-bbox-layout", str(pdf), "-"], capture_output=True, check=True, timeout=120)
    xhtml = proc.stdout.decode("utf-8")
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", xhtml, flags=re.S):
        lines, words = [], []
        for attrs_, body in re.findall(r"<line ([^>]*)>(.*?)</line>", page, flags=re.S):
            box = dict(re.findall(r'(\w+)="([\d.]+)"', attrs_))
            found = [(dict(re.findall(r'(\w+)="([\d.]+)"', a)), htmllib.unescape(t))
                     for a, t in re.findall(r"<word ([^>]*)>(.*?)</word>", body, flags=re.S)]
            y_min, y_max = float(box["yMin"]), float(box["yMax"])
            if y_max <= TOP - 2 or y_min >= BOTTOM + 2:
                continue  # the running header, the page number
            lines.append(Line("".join(t for _, t in found), float(box["xMin"]), y_min, y_max))
            words += [Line(t, float(w["xMin"]), float(w["yMin"]), float(w["yMax"])) for w, t in found]
        pages.append(Page(rows_of(lines), tuple(words)))
    return pages


def rows_of(lines: list[Line]) -> tuple[Line, ...]:
    """The lines that stand side by side (a table's cells) joined, left to right, into one; top to bottom."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.y_min, ln.x)):
        if rows and abs(rows[-1][0].y_min - line.y_min) < 3:
            rows[-1].append(line)
        else:
            rows.append([line])
    joined = []
    for row in rows:
        row.sort(key=lambda ln: ln.x)
        joined.append(Line("".join(ln.text for ln in row), row[0].x, min(ln.y_min for ln in row),
                           max(ln.y_max for ln in row)))
    return tuple(sorted(joined, key=lambda ln: (ln.y_max, ln.x)))


def squeezed(words: str) -> str:
    return re.sub(r"\s+", "", words)


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Keep | Appendix):
            yield from walk(block.blocks)


def headings(document: Document) -> set[str]:
    found = {squeezed(b.text) for b in walk(document.blocks) if isinstance(b, Heading)}
    return found | {squeezed(b.title) for b in document.blocks if isinstance(b, Appendix)}


Scored = tuple[Spec, list[Result], Any]


@pytest.fixture(scope="module")
def scored() -> Scored:
    spec = load_spec("2021")
    facts = read_facts(str(EXAMPLE), lambda name: spec)
    results = score_document(spec, facts, None)
    return spec, results, facts


@pytest.fixture(scope="module")
def report(scored: Scored) -> Document:
    spec, results, facts = scored
    return build.report(spec, results, build.letterhead_of(spec, results),
                        bulletins=[spec.bulletin(units_of(facts), f"2021Q{q}") for q in range(1, 5)],
                        groups=spec.score_groups(results))


@pytest.fixture(scope="module")
def weasyprint_pdf(report: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not HAS_WEASYPRINT:
        pytest.skip("WeasyPrint is not installed (pip install 'assessrules[pdf]')")
    pdf = tmp_path_factory.mktemp("weasyprint") / "考核结果.pdf"
    pdf.write_bytes(render_pdf(report))
    return pdf


@pytest.fixture(scope="module")
def chromium_pdf(report: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: chromium)")
    folder = tmp_path_factory.mktemp("chromium")
    page = folder / "考核结果.html"
    page.write_text(render_html(report), encoding="utf-8")
    pdf = folder / "考核结果.pdf"
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                           "--no-first-run", "--disable-background-networking", "--disable-component-update",
                           f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={pdf}", page.name],
                          cwd=folder, capture_output=True, timeout=300, check=False)
    assert proc.returncode == 0 and pdf.is_file(), proc.stderr.decode("utf-8", "replace")
    return pdf


PRINTERS = [pytest.param("weasyprint_pdf", marks=needs_weasyprint, id="weasyprint"),
            pytest.param("chromium_pdf", marks=needs_chromium, id="chromium")]


@needs_pdftotext
@pytest.mark.parametrize("printer", PRINTERS)
def test_the_printed_report_has_full_pages_and_no_heading_at_a_foot(printer: str, report: Document,
                                                                   request: pytest.FixtureRequest) -> None:
    pages = read_pages(request.getfixturevalue(printer))
    # The appendix starts a new page on purpose: the page before it may be short, as may the last.
    appendix = next(i for i, p in enumerate(pages) if p.lines and p.lines[0].text.startswith("附件"))
    assert appendix > 0
    titles = headings(report)
    for number, page in enumerate(pages, start=1):
        assert page.lines, f"page {number} is empty"
        if number not in (len(pages), appendix):
            filled = (page.lines[-1].y_max - TOP) / TEXT_HEIGHT
            assert filled >= 1 / 3, f"page {number} is only {filled:.0%} full"
        last = squeezed(page.lines[-1].text)
        assert last not in titles, f"page {number} ends with the heading {last}"
        assert not any(len(last) >= 4 and t.startswith(last) for t in titles), f"page {number} ends with {last}"
    # What the content needs: three rankings with their charts (2 pages), four quarters' tables (6–7), sixteen
    # accounts of about half a page each (8–10) and their appendix (8–9). Fewer pages would mean content lost
    # or print too small; more, near-empty pages (an account per page gave 38).
    assert 20 <= len(pages) <= 36, len(pages)


@needs_pdftotext
@pytest.mark.parametrize("printer", PRINTERS)
def test_each_chart_is_on_the_page_of_its_tables_heading(printer: str, report: Document,
                                                         request: pytest.FixtureRequest) -> None:
    pages = read_pages(request.getfixturevalue(printer))
    charted = [b for b in report.blocks if isinstance(b, Keep) and any(isinstance(c, Chart) for c in b.blocks)]
    assert len(charted) == 3
    for keep in charted:
        heading = next(b for b in keep.blocks if isinstance(b, Heading))
        at = next(i for i, p in enumerate(pages) if squeezed(heading.text) in squeezed(p.text))
        for chart in (b for b in keep.blocks if isinstance(b, Chart)):
            on = [i for i, p in enumerate(pages)
                  if squeezed(chart.caption) in squeezed(p.text) or squeezed(chart.caption) in p.columns()]
            assert on == [at], (chart.caption, on, at)


@needs_weasyprint
def test_the_report_pdf_links_the_ranking_to_each_account(report: Document, weasyprint_pdf: Path) -> None:
    """The HTML's names link to the accounts; in the PDF those are internal links (GoTo named destinations)."""
    page = render_html(report)
    for block in walk(report.blocks):
        if isinstance(block, Heading) and block.anchor:
            assert f'id="{block.anchor}"' in page and f'href="#{block.anchor}"' in page
    from pypdf import PdfReader

    links = [a.get_object() for p in PdfReader(weasyprint_pdf).pages for a in p.get("/Annots") or ()]
    internal = [a for a in links if a.get("/Subtype") == "/Link" and "/URI" not in (a.get("/A") or {})]
    assert len(internal) >= 16 * 2  # the ranking's names and the bulletins' names, to each unit's account


@needs_weasyprint
@needs_pdftotext
def test_publicity_bulletin_and_deductions_as_pdf_hold_every_unit(scored: Scored,
                                                                  tmp_path: Path) -> None:
    spec, results, facts = scored
    letterhead = build.letterhead_of(spec, results)
    assert len(results) == 16

    def pages(document: Document, name: str) -> list[Page]:
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(render_pdf(document))
        return read_pages(pdf)

    publicity = pages(build.publicity(spec, results, letterhead), "publicity")
    lines = [squeezed(line.text) for p in publicity for line in p.lines]
    assert any(letterhead.issuer and squeezed(letterhead.issuer) in line for line in lines)
    for r in results:
        row = f"{r.unit.name}{format_points(r.score)}{r.grade}"
        assert any(row in line for line in lines), row

    bulletin = spec.bulletin(units_of(facts), "2021Q3")
    lines = [squeezed(line.text) for p in pages(build.bulletin_notice(spec, bulletin, letterhead), "bulletin")
             for line in p.lines]
    assert len(bulletin.entries) == 16
    for e in bulletin.entries:
        assert any(line.startswith(f"{e.rank}{e.name}") and line.endswith(f"{format_points(e.score)}{e.grade}")
                   for line in lines), e.name

    deductions = "".join(squeezed(p.text) for p in pages(build.deductions(spec, results, letterhead), "deductions"))
    for r in results:
        summary = f"{r.unit.name}得分{format_points(r.score)}分，等次{r.grade}"
        assert summary in deductions, summary


@needs_weasyprint
def test_the_same_document_gives_the_same_pdf_bytes(report: Document, weasyprint_pdf: Path) -> None:
    again = render_pdf(report)
    assert again == weasyprint_pdf.read_bytes()
    assert again.startswith(b"%PDF-") and b"/CreationDate" not in again and b"/ModDate" not in again


def test_render_pdf_without_weasyprint_says_how_to_install_it(report: Document,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now raises ImportError
    with pytest.raises(UsageError) as caught:
        render_pdf(report)
    [problem] = caught.value.problems
    assert problem.code == "usage.pdf_missing"
    assert problem.hint is not None and 'pip install "assessrules[pdf]"' in problem.hint


def test_the_html_is_self_contained_escaped_and_printable(report: Document) -> None:
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "<script" not in page and "<link" not in page and "@import" not in page and "url(" not in page
    assert page.replace('xmlns="http://www.w3.org/2000/svg"', "").count("http") == 0
    assert page.count("<svg") == 6  # grades and scores for each of the three unit types
    for rule in ("size: A4", "margin: 37mm 26mm 35mm 28mm", "display: table-header-group", "string-set: doctitle",
                 "counter(page)", "break-before: page"):
        assert rule in page, rule
    assert page.count('class="appendix"') == 1  # the one forced page break
    hostile = attrs.evolve(report, title='<script>alert("x")</script>')
    shown = render_html(hostile)
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert '\\3c script\\3e alert(\\22 x\\22 )' in shown  # in the running header's CSS string, escaped too

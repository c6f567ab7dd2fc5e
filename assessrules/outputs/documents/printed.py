"""A :class:`~.model.Document` as one self-contained HTML file with its print stylesheet, and as PDF.

The HTML is rendered from the jinja2 templates of this package (``outputs/templates/document.html.j2`` and
its macros), autoescaped. Everything is inline: the stylesheet, the charts (SVG); nothing is loaded from
elsewhere (no CDN, web font or script). On screen it is a centered column; printed — by a browser or by
WeasyPrint (:func:`render_pdf`, the ``[pdf]`` extra) — it is laid out on A4 after GB/T 9704: margins
37/35/28/26 mm, the title in 小标宋, the body in 仿宋 3号, page numbers ``— 1 —`` at the foot, the document's
title at the head of every page but the first, table headers repeated on every page, rows never split,
no heading left alone at the foot of a page, and a new page only before the appendix.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from typing import Any

import attrs
import jinja2
from markupsafe import Markup

from ..._version import __version__
from ...errors import UsageError
from ...messages import problem, text
from .model import MERGED, Appendix, Block, Chart, Document, Heading, Items, Keep, Listing, Paragraph, Signature, Table

TEXT_HEIGHT_PT = 225 / 25.4 * 72
"""The height of an A4 page's text area (297 mm less the margins of 37 and 35 mm), in points."""
TEXT_WIDTH_PT = 156 / 25.4 * 72
"""The width of the text area (210 mm less the margins of 28 and 26 mm), in points."""
LOOSE_SHARE = 0.35
"""A :class:`~.model.Keep` estimated taller than this share of a page may break inside: kept whole, it would leave
too much of the page before it empty. One with a chart is kept whole up to a full page (the chart stays with its
table)."""


@attrs.frozen
class CellView:
    """A table cell as printed: its lines, the link its text goes to, whether it continues the cell above."""

    lines: tuple[str, ...]
    numeric: bool
    href: str | None = None
    merged: bool = False


def _cells(table: Table, anchors: frozenset[str]) -> list[list[CellView]]:
    """The table's cells as printed; a cell links to its row's anchor only where the document has that anchor."""
    rows = []
    for i, row in enumerate(table.rows):
        link = table.links[i] if i < len(table.links) else None
        cells = []
        for j, cell in enumerate(row):
            if cell == MERGED:
                cells.append(CellView((), j in table.numeric, merged=True))
                continue
            href = f"#{link}" if link in anchors and j == table.link_column and cell else None
            cells.append(CellView(tuple(cell.split("\n")), j in table.numeric, href))
        rows.append(cells)
    return rows


def _widths(table: Table) -> list[str]:
    """Each column's width in percent of the table's, from its relative width (none when none are given).

    A column whose cells are all short (a grade, a number: six characters at most) is widened to hold its
    longest cell on one line; the others give up that room in proportion.
    """
    if len(table.widths) != len(table.header):
        return []
    total = sum(table.widths) or 1
    size = 10.5 if table.size == "small" else 12.0
    shares = [w / total for w in table.widths]
    needed = []
    for j in range(len(shares)):
        cells = [table.header[j], *(row[j] for row in table.rows if j < len(row) and row[j] != MERGED)]
        longest = max((_ems(part) for c in cells for part in c.split("\n")), default=0)
        needed.append((longest * size + 9) / TEXT_WIDTH_PT if 0 < longest <= 6 else 0.0)
    short = [j for j, share in enumerate(shares) if needed[j] > share]
    if short:
        extra = sum(needed[j] - shares[j] for j in short)
        rest = sum(share for j, share in enumerate(shares) if j not in short) or 1
        shares = [needed[j] if j in short else share * (1 - extra / rest) for j, share in enumerate(shares)]
    return [f"{100 * share:.2f}%" for share in shares]


def _ems(words: str) -> float:
    """How wide ``words`` are in ems: a Chinese character one, a digit, a Latin letter or a sign about half."""
    return sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in words)


def _lines(words: str, width_pt: float, size_pt: float) -> int:
    """How many lines ``words`` take in a column ``width_pt`` wide, a CJK character being ``size_pt`` wide."""
    chars = max(1, int(width_pt / size_pt))
    return sum(max(1, math.ceil(len(part) / chars)) for part in words.split("\n"))


def _estimate(block: Block) -> float:
    """A rough height of ``block`` when printed, in points: enough to tell a small block from a tall one."""
    if isinstance(block, Heading):
        return 44.0
    if isinstance(block, Paragraph):
        size, leading = (10.5, 16.0) if block.kind == "note" else (16.0, 28.0)
        return _lines(block.text, TEXT_WIDTH_PT - 32, size) * leading + 8
    if isinstance(block, Items):
        return sum(_lines(item, TEXT_WIDTH_PT - 40, 16.0) * 28.0 for item in block.items)
    if isinstance(block, Chart):
        return 150.0
    if isinstance(block, Listing):
        return len(block.lines) * 14.0
    if isinstance(block, Signature):
        return 70.0
    if isinstance(block, Table):
        size, leading = (10.5, 14.5) if block.size == "small" else (12.0, 17.0)
        shares = [w / (sum(block.widths) or 1) for w in block.widths] if len(block.widths) == len(block.header) \
            else [1 / max(1, len(block.header))] * len(block.header)
        height = leading + 8 + (leading + 4 if block.caption else 0)
        for row in block.rows:
            height += 7 + leading * max(_lines("" if c == MERGED else c, max(1.0, s * TEXT_WIDTH_PT - 8), size)
                                        for c, s in zip(row, shares, strict=False))
        return height
    if isinstance(block, Keep | Appendix):
        return sum(_estimate(b) for b in block.blocks)
    return 0.0


def keep_class(keep: Keep) -> str:
    """``keep`` (printed on one page) or ``loose`` (may break inside, its heading kept with what follows)."""
    height = _estimate(keep)
    charted = any(isinstance(b, Chart) for b in keep.blocks)
    limit = TEXT_HEIGHT_PT if charted else LOOSE_SHARE * TEXT_HEIGHT_PT
    return "keep" if height <= limit else "loose"


def lead_in(keep: Keep) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    """A loose keep's headings and paragraphs before its first other block (kept together, and with what follows),
    and the rest."""
    n = 0
    while n < len(keep.blocks) and isinstance(keep.blocks[n], Heading | Paragraph):
        n += 1
    return keep.blocks[:n], keep.blocks[n:]


def _walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Keep | Appendix):
            yield from _walk(block.blocks)


def _block_kind(block: object) -> str:
    return type(block).__name__.lower()


def _css_string(value: str) -> Markup:
    """``value`` as a CSS string literal, safe inside a ``<style>`` element."""
    out = []
    for ch in value:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')  # every character that could end the string or the element is escaped


def _page_content(lang: str) -> Markup:
    """The page number's CSS ``content``: the catalogue's ``— {page} —`` around ``counter(page)``."""
    before, _, after = text("out.doc_page", lang, page="\x00").partition("\x00")
    return Markup(f"{_css_string(before)} counter(page) {_css_string(after)}")  # both parts escaped


def _chart_view(chart: Chart) -> dict[str, Any]:
    """The bars' places in a 340 × 170 drawing: x, width, height, the label's and the count's positions."""
    n = max(1, len(chart.bars))
    left, right, base, tallest = 12.0, 334.0, 138.0, 110.0
    step = (right - left) / n
    bars = []
    for i, bar in enumerate(chart.bars):
        x = left + step * i
        h = tallest * bar.share
        bars.append({"label": bar.label, "count": bar.count, "x": f"{x + step * 0.18:.1f}", "w": f"{step * 0.64:.1f}",
                     "y": f"{base - h:.1f}", "h": f"{h:.1f}", "mid": f"{x + step / 2:.1f}", "top": f"{base - h - 4:.1f}"})
    return {"bars": bars, "left": left, "right": right, "base": base, "label_y": base + 16}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("assessrules.outputs", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["css_string"] = _css_string
    env.globals.update(kind=_block_kind, cells=_cells, widths=_widths, keep_class=keep_class, lead_in=lead_in,
                       chart_view=_chart_view)
    return env


def render_html(document: Document) -> str:
    """The document as one self-contained HTML file, printable on A4 (see the module's description)."""
    lang = document.language

    def say(code: str, **values: object) -> str:
        return text(f"out.{code}", lang, **values)

    letterhead = document.letterhead
    anchors = frozenset(b.anchor for b in _walk(document.blocks) if isinstance(b, Heading | Keep) and b.anchor)
    return _environment().get_template("document.html.j2").render(
        document=document, blocks=document.blocks, lang=lang, html_lang="zh-CN" if lang == "zh" else lang,
        say=say, anchors=anchors, version=__version__, page_content=_page_content(lang),
        number=letterhead.number or say("doc_number_blank"),
        appendices=[b for b in document.blocks if isinstance(b, Appendix)],
        body=[b for b in document.blocks if not isinstance(b, Appendix)])


def require_pdf() -> Any:
    """WeasyPrint, or :class:`~assessrules.errors.UsageError` (``usage.pdf_missing``: how to get it) when the
    ``[pdf]`` extra is not installed or its Pango library is missing. The command line asks before any work."""
    try:
        import weasyprint
    except (ImportError, OSError):  # not installed, or its Pango library is missing
        raise UsageError([problem("usage.pdf_missing")]) from None
    return weasyprint


def render_pdf(document: Document) -> bytes:
    """The document as PDF, laid out by WeasyPrint from :func:`render_html`; the same bytes for the same document.

    Raises :class:`~assessrules.errors.UsageError` (``usage.pdf_missing``) when WeasyPrint is not installed.
    """
    weasyprint = require_pdf()
    html = render_html(document)
    # No dates in the metadata (the HTML has no dcterms.created/modified) and an identifier made from the content:
    # the same document always gives the same bytes.
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    pdf: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf(pdf_identifier=identifier)
    return pdf


__all__ = ["render_html", "render_pdf", "require_pdf"]

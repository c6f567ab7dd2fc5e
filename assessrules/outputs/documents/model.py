"""What an issued document is made of, whatever it is written as (Word, HTML, PDF).

A :class:`Document` is a title, a letterhead (the issuing office, the 文号, the date) and a sequence of
blocks: headings, paragraphs, tables, charts kept with their table, lists, and an appendix. The builders
(:mod:`.build`) make one from results; the writers (:mod:`.word` for .docx, :mod:`.printed` for HTML and
PDF) lay it out. Nothing here knows a format, and no writer recomputes a figure.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

Cell = str
"""A table cell's text (the empty string for an empty cell)."""

MERGED = "\x00merged"
"""A cell that continues the cell above it (一级指标 spanning its 二级指标 rows)."""


@attrs.frozen
class Letterhead:
    """Who issues the document, under which number (文号), and its date (成文日期)."""

    issuer: str | None
    number: str | None
    date: dt.date | None


@attrs.frozen
class Heading:
    """A heading: level 1 is 一、…, level 2 （一）…, level 3 a unit's name. ``anchor`` names it for links."""

    text: str
    level: int = 1
    anchor: str | None = None


@attrs.frozen
class Paragraph:
    """A paragraph of body text; ``kind`` ``note`` is smaller print, ``lead`` a bold lead-in (…如下：)."""

    text: str
    kind: Literal["body", "note", "lead"] = "body"


@attrs.frozen
class Items:
    """A numbered or bulleted list (未完成事项)."""

    items: tuple[str, ...]


@attrs.frozen
class Table:
    """A real table: a header row repeated on every page, rows never split across pages.

    ``numeric`` are the columns aligned right; ``widths`` the columns' relative widths; ``links`` for each
    row the anchor its first text cell links to (HTML only) or None; ``total`` whether the last row is a
    total (bold). A cell equal to :data:`MERGED` continues the cell above it.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str | None = None
    numeric: frozenset[int] = frozenset()
    widths: tuple[int, ...] = ()
    links: tuple[str | None, ...] = ()
    link_column: int = 1
    total: bool = False
    size: Literal["normal", "small"] = "normal"


@attrs.frozen
class Bar:
    """One bar of a chart: its label, the number of units, and its height as a share of the tallest."""

    label: str
    count: int
    share: float


@attrs.frozen
class Chart:
    """A bar chart (in Word, a small table of the same figures)."""

    title: str
    caption: str
    bars: tuple[Bar, ...]
    head: str = ""
    """The header of the figures' column when written as a table (单位数)."""
    label_head: str = ""
    """The header of the labels' column when written as a table (等次, 得分)."""


@attrs.frozen
class Keep:
    """Blocks printed on one page together when they fit (a table with its charts, a heading with its table)."""

    blocks: tuple[Block, ...]
    anchor: str | None = None


@attrs.frozen
class Listing:
    """Lines printed as they are, indented by their leading spaces (the appendix 计算依据)."""

    lines: tuple[str, ...]


@attrs.frozen
class Signature:
    """The issuing office and the date at the end of the body (落款)."""

    issuer: str | None
    date: str | None


@attrs.frozen
class Appendix:
    """What follows the body on a new page: 附件 计算依据, for auditors."""

    title: str
    blocks: tuple[Block, ...]


Block = Heading | Paragraph | Items | Table | Chart | Keep | Listing | Signature | Appendix


@attrs.frozen
class Document:
    """A whole document: ``kind`` is one of publicity (公示), bulletin (通报), deductions (扣分明细), report, rules (考评细则)."""

    kind: Literal["publicity", "bulletin", "deductions", "report", "rules"]
    title: str
    subtitle: str | None
    letterhead: Letterhead
    blocks: tuple[Block, ...]
    official: bool = True
    """Whether it opens with the issuing office's header and the 文号 (公示 and 通报 do)."""
    footer: str | None = None
    """The small print at the very end: the rules' id and SHA-256 and the library's version."""
    language: str = "zh"


__all__ = [
    "MERGED",
    "Appendix",
    "Bar",
    "Block",
    "Cell",
    "Chart",
    "Document",
    "Heading",
    "Items",
    "Keep",
    "Letterhead",
    "Listing",
    "Paragraph",
    "Signature",
    "Table",
]

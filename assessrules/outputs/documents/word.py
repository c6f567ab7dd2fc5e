"""A :class:`~.model.Document` as Word (.docx), laid out after GB/T 9704 (党政机关公文格式), with python-docx.

A4, margins 37/35/28/26 mm; the title in 2号 (22 pt) 小标宋, the body in 3号 (16 pt) 仿宋 at a fixed 28 pt
line, first lines indented two characters; headings 黑体 (一、), 楷体 (（一）), 仿宋 bold; tables in 小四 or 五号
with a header row repeated on every page and rows that never split; page numbers ``— 1 —`` at the foot, odd
pages right and even pages left. Every paragraph has a named style (公文正文, 表格文字, 落款, 附件标题, …) so
that staff can change the look in Word or WPS in one place. Where a font is missing, the font table names the
usual stand-in (方正小标宋简体 → 黑体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体).

The only XML written by hand is what python-docx has no API for: the East Asian font names, the repeated
header row (``w:tblHeader``), rows kept whole (``w:cantSplit``), the PAGE field, the red rule and the fonts'
stand-ins. The same document gives the same bytes: the core properties and the zip members carry the
document's date.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ...messages import text
from ..archive import restamped
from ..report import width
from .model import (
    MERGED,
    Appendix,
    Block,
    Chart,
    Document,
    Heading,
    Items,
    Keep,
    Listing,
    Paragraph,
    Signature,
    Table,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.styles.style import ParagraphStyle
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph as WordParagraph

# The page (GB/T 9704: A4, 版心 156 mm × 225 mm).
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH = Mm(210 - 28 - 26)
TEXT_HEIGHT = Mm(297 - 37 - 35)
LINE = 28.0
"""The body's fixed line pitch in pt (about 22 lines to a page)."""
ROOM, ROOM_HEIGHT = 156 * 72 / 25.4, 225 * 72 / 25.4
"""The text's width and height in pt."""

# Fonts, with the stand-in the font table names for each.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"
LATIN = "Times New Roman"
STAND_INS = {
    TITLE_FONT: HEI,
    BODY_FONT: "仿宋",
    KAI: "楷体",
    HEI: "SimHei",
    "仿宋": "FangSong",
    "楷体": "KaiTi",
    SONG: "SimSun",
}
RED = RGBColor(0xFF, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)

BODY, NOTE, LEAD, ITEM = "公文正文", "注释", "引导语", "列项"
CAPTION, SPACER = "表题", "表后空行"
CELL, CELL_SMALL, HEAD, HEAD_SMALL = "表格文字", "表格小字", "表头", "表头小字"
LETTERHEAD, NUMBER = "发文机关标志", "发文字号"
SUBTITLE, SIGNATURE = "副标题", "落款"
APPENDIX_MARK, APPENDIX_TITLE = "附件标注", "附件标题"
LISTING, FOOTNOTE, PAGE_NUMBER = "计算依据", "文末注记", "页码"

KEEP_SHARE = 0.6
"""A kept block longer than this share of a page is kept only as far as its table's first rows: kept whole, it
would leave most of a page empty before it."""


def _fonts(element: object, east: str, latin: str = LATIN) -> None:
    """Name the fonts of a style or run (``element`` has ``get_or_add_rPr``): ``east`` for Chinese, ``latin`` else."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east)


def _paragraph_style(word: WordDocument, name: str, *, base: str | None = "Normal", east: str = BODY_FONT,
                     size: float = 16, bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None,
                     indent: float = 0, line: float | None = 28, before: float = 0, after: float = 0,
                     keep: bool = False, latin: str = LATIN) -> ParagraphStyle:
    """A paragraph style, built-in (adjusted) or ours (added): fonts, size, alignment, indent in characters, line."""
    styles = word.styles
    try:
        style: ParagraphStyle = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.quick_style = True
    if base is not None and name != base:
        style.base_style = styles[base]
    _fonts(style.element, east, latin)
    rpr = style.element.get_or_add_rPr()
    for stale in ("w:spacing", "w:kern", "w:szCs"):  # the template's letter spacing and complex-script size
        for child in rpr.findall(qn(stale)):
            rpr.remove(child)
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = BLACK
    form = style.paragraph_format
    form.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    form.first_line_indent = Pt(indent * size) if indent else Pt(0)
    form.left_indent = Pt(0)
    form.right_indent = Pt(0)
    if line is None:
        form.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        form.line_spacing = Pt(line)
        form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.space_before = Pt(before)
    form.space_after = Pt(after)
    form.keep_with_next = keep
    form.widow_control = True
    return style


def _styles(word: WordDocument, document: Document) -> None:
    """Every style the document uses, named; the built-in ones set to GB/T 9704's fonts and sizes."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is not None:
                for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    fonts.attrib.pop(qn(theme), None)
                fonts.set(qn("w:ascii"), LATIN)
                fonts.set(qn("w:hAnsi"), LATIN)
                fonts.set(qn("w:eastAsia"), BODY_FONT)
            lang = rpr.find(qn("w:lang"))
            if lang is not None and document.language == "zh":
                lang.set(qn("w:eastAsia"), "zh-CN")
    centre, right, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT
    _paragraph_style(word, "Normal", base=None)
    _paragraph_style(word, BODY, indent=2)
    _paragraph_style(word, LEAD, base=BODY, indent=2, bold=True, keep=True)
    _paragraph_style(word, NOTE, base=BODY, size=14, indent=2, line=24)
    _paragraph_style(word, ITEM, base=BODY, indent=2)
    title = _paragraph_style(word, "Title", east=TITLE_FONT, size=22, align=centre, line=36, after=28, keep=True)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):  # the template's blue rule under the title
        ppr.remove(border)
    title.font.color.rgb = BLACK
    _paragraph_style(word, SUBTITLE, east=KAI, size=16, align=centre, after=14, keep=True)
    for level, east, bold in ((1, HEI, False), (2, KAI, False), (3, BODY_FONT, True)):
        heading = _paragraph_style(word, f"Heading {level}", east=east, bold=bold, indent=2, keep=True, align=left)
        heading.paragraph_format.keep_together = True
    _paragraph_style(word, CAPTION, east=HEI, size=14, align=centre, line=None, before=6, after=4, keep=True)
    _paragraph_style(word, SPACER, size=8, line=8)
    for name, size in ((CELL, 12), (CELL_SMALL, 10.5)):
        _paragraph_style(word, name, size=size, line=None, align=left, before=1, after=1)
    _paragraph_style(word, HEAD, base=CELL, size=12, line=None, align=centre, bold=True, before=1, after=1)
    _paragraph_style(word, HEAD_SMALL, base=CELL_SMALL, size=10.5, line=None, align=centre, bold=True, before=1,
                     after=1)
    issuer = document.letterhead.issuer or ""
    mark = min(36.0, math.floor(ROOM / max(len(issuer), 1)))
    head = _paragraph_style(word, LETTERHEAD, east=TITLE_FONT, size=mark, align=centre, line=None, after=28)
    head.font.color.rgb = RED
    number = _paragraph_style(word, NUMBER, align=centre, after=24)
    _rule(number.element.get_or_add_pPr())
    _paragraph_style(word, SIGNATURE, align=right, before=0)
    _paragraph_style(word, APPENDIX_MARK, east=HEI, align=left)
    _paragraph_style(word, APPENDIX_TITLE, east=TITLE_FONT, size=22, align=centre, line=36, before=14, after=28, keep=True)
    _paragraph_style(word, LISTING, size=10.5, line=14, align=left)
    _paragraph_style(word, FOOTNOTE, size=10.5, line=None, align=left, before=28)
    _paragraph_style(word, PAGE_NUMBER, base="Footer", east=SONG, size=14, line=None, latin=SONG)


def _rule(ppr: object) -> None:
    """A red rule under the paragraph (the 红头's separating line, about 1 pt)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "FF0000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",  # type: ignore[attr-defined]
                              "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                              "w:pPrChange")


def _font_table(word: WordDocument) -> None:
    """Name each font's stand-in (``w:altName``) in the font table, for machines without 方正小标宋 or 仿宋_GB2312."""
    part = word.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    table = parse_xml(part.blob)
    for name, alternative in STAND_INS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternative)
        font.append(alt)
        for tag, value in (("w:charset", "86"), ("w:family", "auto"), ("w:pitch", "variable")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        table.append(font)
    # python-docx keeps the font table as bytes (a plain Part), with no API to change it
    part._blob = serialize_part_xml(table)


def _page(word: WordDocument) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance = Mm(15)
    section.footer_distance = Mm(22)
    word.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = word.styles[PAGE_NUMBER]
        paragraph.alignment = align
        paragraph.paragraph_format.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
        paragraph.paragraph_format.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)
        paragraph.add_run("— ")
        _page_field(paragraph)
        paragraph.add_run(" —")


def _page_field(paragraph: WordParagraph) -> None:
    """A PAGE field (the page's number), shown as 1 until the reader updates it."""
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif instruction == " PAGE ":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instruction
            run._r.append(code)
        else:
            run.text = instruction or ""


# how tall a block is, roughly: to decide whether keeping it on one page is wise


def _lines(words: str, size: float, room: float) -> int:
    """How many lines ``words`` take at ``size`` pt in ``room`` pt of width (a wide character is ``size`` wide)."""
    per_line = max(room / (size / 2), 1)
    return sum(max(math.ceil(width(part) / per_line), 1) for part in words.split("\n"))


def _table_height(table: Table, rows: int | None = None) -> float:
    size = 10.5 if table.size == "small" else 12
    widths = _widths(table)
    height = 0.0
    for row in (table.header, *table.rows)[: None if rows is None else rows + 1]:
        lines = max((_lines(cell, size, w.pt - 11) for cell, w in zip(row, widths, strict=False) if cell != MERGED),
                    default=1)
        height += lines * size * 1.35 + 2
    return height + (20 if table.caption else 0) + 8


def _height(block: Block) -> float:
    room = ROOM
    if isinstance(block, Heading):
        return _lines(block.text, 16, room - 32) * LINE
    if isinstance(block, Paragraph):
        size = 14 if block.kind == "note" else 16
        return _lines("　　" + block.text, size, room) * (24 if block.kind == "note" else LINE)
    if isinstance(block, Items):
        return sum(_lines("　　1. " + item, 16, room) for item in block.items) * LINE
    if isinstance(block, Table):
        return _table_height(block)
    if isinstance(block, Chart):
        return 20 + 2 * (12 * 1.35 + 2) + 8
    if isinstance(block, Listing):
        return sum(_lines(line, 10.5, room) for line in block.lines) * 14
    if isinstance(block, Keep):
        return sum(_height(b) for b in block.blocks)
    return 2 * LINE


def _widths(table: Table) -> list[Mm]:
    """The columns' widths: ``Table.widths`` in proportion across the text width (equal when not given), but no
    narrower than a number or a short word in it needs (those do not wrap well: 不合格, 100)."""
    count = len(table.header)
    size = 10.5 if table.size == "small" else 12
    parts = list(table.widths) if len(table.widths) == count else [1] * count
    room = ROOM
    wanted = [room * p / sum(parts) for p in parts]
    least = [0.0] * count
    for c, head in enumerate(table.header):
        cells = [row[c] for row in table.rows if c < len(row) and row[c] != MERGED]
        words = [w for w in cells if width(w) <= 6 or c in table.numeric] + ([head] if width(head) <= 8 else [])
        least[c] = max((width(w) * size * (0.5 if w.isalpha() else 0.7) + _MARGINS for w in words), default=0.0)
    fixed: set[int] = set()
    while True:  # give the narrow columns what they need, taken from the others in proportion
        short = {c for c in range(count) if c not in fixed and wanted[c] < least[c]}
        if not short or len(fixed | short) == count:
            break
        fixed |= short
        for c in fixed:
            wanted[c] = least[c]
        free = [c for c in range(count) if c not in fixed]
        spare = room - sum(wanted[c] for c in fixed)
        total = sum(parts[c] for c in free)
        for c in free:
            wanted[c] = spare * parts[c] / total
    return [Mm(round(Pt(w).mm, 1)) for w in wanted]


_MARGINS = 12.0
"""A cell's left and right margins together, in pt (Table Grid: 0.19 cm each)."""


class _Writer:
    """Writes the blocks of one document into a python-docx document."""

    def __init__(self, word: WordDocument, document: Document) -> None:
        self.word = word
        self.document = document
        self.first = True
        self.last: WordParagraph | None = None
        # python-docx looks a style up among all styles on every use, and finds the body's end by reading every
        # block before it: a document of thousands of units took hours. Each style's id is looked up once, and
        # new blocks go straight before the section properties that end the body.
        self._style_ids: dict[str, str | None] = {}
        body = word.element.body
        self._end = body.sectPr

    def style_id(self, name: str) -> str | None:
        """The id of paragraph style ``name`` as python-docx would set it (None for the default style)."""
        if name not in self._style_ids:
            found: str | None = self.word.part.get_style_id(  # type: ignore[no-untyped-call]
                self.word.styles[name], WD_STYLE_TYPE.PARAGRAPH)
            self._style_ids[name] = found
        return self._style_ids[name]

    def styled(self, paragraph: WordParagraph, name: str) -> None:
        """Give ``paragraph`` the style ``name``."""
        paragraph._p.style = self.style_id(name)

    def _add(self, element: object) -> None:
        if self._end is not None:
            self._end.addprevious(element)
        else:
            self.word.element.body.append(element)

    def add_paragraph(self, style: str) -> WordParagraph:
        """A new paragraph of ``style`` at the end of the body."""
        from docx.text.paragraph import Paragraph

        p = OxmlElement("w:p")
        self._add(p)
        paragraph = Paragraph(p, self.word._body)
        self.styled(paragraph, style)
        return paragraph

    def add_table(self, rows: int, cols: int) -> WordTable:
        """A new table at the end of the body, as wide as the text."""
        from docx.oxml.table import CT_Tbl
        from docx.table import Table

        tbl = CT_Tbl.new_tbl(rows, cols, self.word._block_width)
        self._add(tbl)
        return Table(tbl, self.word._body)

    def paragraph(self, words: str, style: str, *, keep: bool = False, bold: bool = False) -> WordParagraph:
        if self.first and self.word.paragraphs and not self.word.paragraphs[0].text:
            paragraph = self.word.paragraphs[0]  # the template's one empty paragraph
            self.styled(paragraph, style)
        else:
            paragraph = self.add_paragraph(style)
        self.first = False
        if words:
            run = paragraph.add_run(words)
            if bold:
                run.bold = True
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        self.last = paragraph
        return paragraph

    def head(self) -> None:
        document = self.document
        letterhead = document.letterhead
        if document.official:
            if letterhead.issuer:
                self.paragraph(letterhead.issuer, LETTERHEAD)
            number = letterhead.number or text("out.doc_number_blank", document.language)
            self.paragraph(number, NUMBER)
        self.paragraph(document.title, "Title")
        if document.subtitle:
            self.paragraph(document.subtitle, SUBTITLE)

    def blocks(self, blocks: Iterable[Block], keep: bool = False, whole: bool = False) -> None:
        """Write ``blocks``; each kept whole on one page with ``whole``, and kept with what follows with ``keep``."""
        for block in blocks:
            self.block(block, keep, whole or keep)

    def block(self, block: Block, keep: bool, whole: bool) -> None:
        if isinstance(block, Heading):
            self.paragraph(block.text, f"Heading {min(max(block.level, 1), 3)}")
        elif isinstance(block, Paragraph):
            style = {"body": BODY, "note": NOTE, "lead": LEAD}[block.kind]
            self.paragraph(block.text, style, keep=keep)
        elif isinstance(block, Items):
            for n, item in enumerate(block.items, 1):
                self.paragraph(f"{n}. {item}", ITEM, keep=keep or (whole and n < len(block.items)))
        elif isinstance(block, Table):
            self.table(block, keep=keep, whole=whole)
        elif isinstance(block, Chart):
            self.chart(block, keep)
        elif isinstance(block, Keep):
            self.keep(block, keep)
        elif isinstance(block, Listing):
            self.listing(block, keep=keep, whole=whole)
        elif isinstance(block, Signature):
            self.signature(block)
        elif isinstance(block, Appendix):
            self.appendix(block)

    def keep(self, block: Keep, keep: bool) -> None:
        """A kept block on one page when it is short; a long one keeps only its opening with its table's first rows."""
        inner = list(block.blocks)
        if keep or _height(block) <= KEEP_SHARE * ROOM_HEIGHT:
            self.blocks(inner[:-1], keep=True)
            self.blocks(inner[-1:], keep=keep, whole=True)
            return
        opening = next((i for i, b in enumerate(inner) if isinstance(b, Table | Chart | Listing)), len(inner))
        self.blocks(inner[:opening], keep=True)
        for b in inner[opening:opening + 1]:
            if isinstance(b, Table):
                self.table(b, keep=False, whole=False, opening=2)
            elif isinstance(b, Listing):
                self.listing(b, keep=False, whole=False, opening=3)
            else:
                self.block(b, False, False)
        self.blocks(inner[opening + 1:])

    def listing(self, block: Listing, *, keep: bool, whole: bool, opening: int = 0) -> None:
        """Lines as they are, indented by their leading spaces; the first ``opening`` kept with the next."""
        for n, line in enumerate(block.lines, 1):
            stripped = line.lstrip(" ")
            kept = keep or (whole and n < len(block.lines)) or n <= opening
            paragraph = self.paragraph(stripped, LISTING, keep=kept)
            if len(line) > len(stripped):
                paragraph.paragraph_format.left_indent = Pt(5.25 * (len(line) - len(stripped)))

    def table(self, table: Table, *, keep: bool, whole: bool, opening: int = 1) -> None:
        """A table, its caption above: rows kept with the next row when ``whole`` (the first ``opening`` always),
        the last one too when ``keep``."""
        if table.caption:
            self.paragraph(table.caption, CAPTION, keep=True)
        small = table.size == "small"
        self.grid(table.header, table.rows, _widths(table), numeric=table.numeric, small=small,
                  total=table.total, keep=keep, opening=len(table.rows) if whole else opening)

    def chart(self, chart: Chart, keep: bool) -> None:
        """A chart as a small table of its figures: the labels across, the number of units under each."""
        self.paragraph(chart.caption, CAPTION, keep=True)
        labels = (chart.label_head, *(bar.label for bar in chart.bars))
        counts = (chart.head, *(str(bar.count) for bar in chart.bars))
        first = Mm(max(TEXT_WIDTH.mm * 0.16, 20))
        rest = Mm((TEXT_WIDTH.mm - first.mm) / max(len(chart.bars), 1))
        self.grid(labels, (counts,), [first] + [rest] * len(chart.bars), numeric=frozenset(range(1, len(labels))),
                  small=True, total=False, keep=keep, opening=1, centred=True)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[Mm], *,
             numeric: frozenset[int], small: bool, total: bool, keep: bool, opening: int,
             centred: bool = False) -> None:
        word = self.word
        grid = self.add_table(1 + len(rows), len(header))
        grid.style = word.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        grid.autofit = False
        cell_style, head_style = (CELL_SMALL, HEAD_SMALL) if small else (CELL, HEAD)
        for column, size in zip(grid.columns, widths, strict=True):
            column.width = size
        count = len(rows) + 1
        opening = max(opening, 1)  # the header always stays with the first row
        for r, (row, values) in enumerate(zip(grid.rows, (header, *rows), strict=True)):
            _row_flags(row._tr, header=r == 0)
            kept = keep or r < opening
            last_total = total and r == count - 1
            for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = widths[c]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                paragraph = cell.paragraphs[0]
                self.styled(paragraph, head_style if r == 0 else cell_style)
                if r > 0 and (c in numeric or centred):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.RIGHT
                if kept:
                    paragraph.paragraph_format.keep_with_next = True
                if value and value != MERGED:
                    run = paragraph.add_run(value)
                    if last_total or (centred and c == 0):
                        run.bold = True
        _merge(grid, rows)
        self.paragraph("", SPACER, keep=keep)

    def signature(self, block: Signature) -> None:
        """The 落款, never alone on a page: the paragraph before it goes with it."""
        if self.last is not None:
            self.last.paragraph_format.keep_with_next = True
        lines = [line for line in (block.issuer, block.date) if line]
        for n, line in enumerate(lines):
            paragraph = self.paragraph(line, SIGNATURE, keep=n < len(lines) - 1)
            paragraph.paragraph_format.right_indent = Pt(32)
            if n == 0:
                paragraph.paragraph_format.space_before = Pt(2 * LINE)

    def appendix(self, block: Appendix) -> None:
        mark = self.paragraph(text("out.doc_appendix", self.document.language), APPENDIX_MARK, keep=True)
        mark.paragraph_format.page_break_before = True
        self.paragraph(block.title, APPENDIX_TITLE)
        self.blocks(block.blocks)


def _row_flags(tr: object, *, header: bool) -> None:
    """The row never splits across pages; the first row is the header repeated on every page."""
    trpr = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _merge(grid: WordTable, rows: Sequence[Sequence[str]]) -> None:
    """Merge each run of MERGED cells with the cell above it (row 0 of ``rows`` is the table's second row)."""
    columns = len(rows[0]) if rows else 0
    for c in range(columns):
        r = 0
        while r < len(rows):
            end = r
            while end + 1 < len(rows) and rows[end + 1][c] == MERGED:
                end += 1
            if end > r and rows[r][c] != MERGED:
                grid.cell(r + 1, c).merge(grid.cell(end + 1, c))
            r = end + 1


def _stamp(document: Document) -> dt.date:
    return document.letterhead.date or dt.date(2000, 1, 1)


def render_docx(document: Document) -> bytes:
    """The document as the bytes of a .docx file; the same document gives the same bytes."""
    word = docx.Document()
    _styles(word, document)
    _font_table(word)
    _page(word)
    writer = _Writer(word, document)
    writer.head()
    writer.blocks(document.blocks)
    if document.footer:
        writer.paragraph(document.footer, FOOTNOTE)
    stamp = dt.datetime.combine(_stamp(document), dt.time())
    core = word.core_properties
    core.author = core.last_modified_by = "assessrules"
    core.title = document.title
    core.subject = core.keywords = core.category = core.comments = ""
    core.created = core.modified = stamp
    core.revision = 1
    core.language = "zh-CN" if document.language == "zh" else document.language
    buffer = io.BytesIO()
    word.save(buffer)
    return restamped(buffer.getvalue(), stamp)


__all__ = ["render_docx"]

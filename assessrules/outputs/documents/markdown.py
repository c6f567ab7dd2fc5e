"""Any :class:`~.model.Document` as Markdown (GitHub's flavour): headings ``#``, paragraphs, pipe tables, lists.

A table cell's ``|`` is escaped as ``\\|`` and its line breaks become ``<br>``; a cell that continues the cell above
it (:data:`~.model.MERGED`) is left empty, as Markdown has no merged cells. A listing is a fenced block of text;
a chart is the table of its figures. Nothing is recomputed: the words are the document's.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...messages import text
from .model import MERGED, Appendix, Block, Chart, Document, Heading, Items, Keep, Listing, Paragraph, Signature, Table


def _cell(value: str) -> str:
    if value == MERGED:
        return ""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(line.replace("\\", "\\\\").replace("|", "\\|").strip() for line in lines)


def _line(value: str) -> str:
    """A paragraph's text on one line, with nothing Markdown would read as a heading or a list at its start."""
    flat = " ".join(value.split())
    return "\\" + flat if flat[:1] in "#>-+*|" and flat else flat


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]], numeric: frozenset[int] = frozenset()) -> str:
    lines = ["| " + " | ".join(_cell(h) or " " for h in header) + " |",
             "|" + "|".join("---:" if i in numeric else "---" for i in range(len(header))) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines)


def _fence(lines: tuple[str, ...]) -> str:
    ticks = "`" * max(3, max((len(run) for line in lines for run in _runs(line)), default=0) + 1)
    return "\n".join([ticks + "text", *lines, ticks])


def _runs(line: str) -> list[str]:
    """The runs of backticks in ``line`` (a fence must be longer than any of them)."""
    runs, current = [], ""
    for char in line:
        if char == "`":
            current += char
        elif current:
            runs.append(current)
            current = ""
    return [*runs, current] if current else runs


def _blocks(blocks: Iterable[Block], lang: str, depth: int = 0) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append("#" * min(6, block.level + 1 + depth) + " " + " ".join(block.text.split()))
        elif isinstance(block, Paragraph):
            out.append(f"*{_line(block.text)}*" if block.kind == "note" and block.text.strip() else
                       f"**{_line(block.text)}**" if block.kind == "lead" and block.text.strip() else _line(block.text))
        elif isinstance(block, Items):
            out.append("\n".join(f"{n}. {_line(item)}" for n, item in enumerate(block.items, 1)))
        elif isinstance(block, Table):
            table = _table(block.header, block.rows, block.numeric)
            out.append(f"{table}\n\n*{_line(block.caption)}*" if block.caption else table)
        elif isinstance(block, Chart):
            out.append(f"**{_line(block.title)}**")
            out.append(_table((block.label_head, block.head), ((b.label, str(b.count)) for b in block.bars),
                              frozenset({1})))
            if block.caption:
                out.append(f"*{_line(block.caption)}*")
        elif isinstance(block, Keep):
            out.extend(_blocks(block.blocks, lang, depth))
        elif isinstance(block, Listing):
            out.append(_fence(block.lines))
        elif isinstance(block, Signature):
            out.extend(_line(part) for part in (block.issuer, block.date) if part)
        elif isinstance(block, Appendix):
            out.append("---")
            out.append("## " + " ".join(block.title.split()))
            out.extend(_blocks(block.blocks, lang, depth + 1))
    return out


def render_markdown(document: Document) -> str:
    """The document as Markdown text: its title, the 文号 of an official one, its subtitle, blocks and footer."""
    lang = document.language
    parts = ["# " + " ".join(document.title.split())]
    if document.official:
        head = document.letterhead
        number = head.number or text("out.doc_number_blank", lang)
        parts.append(_line(" ".join(p for p in (head.issuer, number) if p)))
    if document.subtitle:
        parts.append(_line(document.subtitle))
    parts.extend(_blocks(document.blocks, lang))
    if document.footer:
        parts.append(f"*{_line(document.footer)}*")
    return "\n\n".join(p for p in parts if p) + "\n"


__all__ = ["render_markdown"]

"""The layout of the data-entry workbook: its sheets, their columns and their headers.

One function, :func:`layout`, derives every sheet from a spec; the template
writer and the workbook reader both use it, so what one writes the other reads.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import attrs

from ..rules.facts import Fact

if TYPE_CHECKING:
    from ..engine.spec import Spec

GUIDE = "填表说明"
UNITS = "单位"
ANNUAL = "年度考核"
PERIOD_SHEETS = {"month": "月度考核", "quarter": "季度考核"}
PERIOD_HEADERS = {"month": "月份", "quarter": "季度"}
# The rows of the guide sheet that the reader takes back: the label in column A, the value in column B.
GUIDE_SPEC = "规则"
GUIDE_AS_OF = "考核日期"
GUIDE_DESCRIPTION = "说明"
HEADER_LINES = 4
"""The most lines a header of the data sheets wraps into (its column is made wide enough for that)."""
TYPE_HINTS = {
    "bool": "填“是”或“否”",
    "count": "填 0 或正整数",
    "number": "填数字",
    "ratio": "填百分比（如 95%）或 0 到 1 的小数",
    "enum": "从下拉列表选择",
    "date": "填日期，如 2021-03-02",
    "text": "填文字",
}


@attrs.frozen
class Column:
    """One column of a sheet: its header, what it holds (``key``) and the fact it records, if any."""

    header: str
    key: str
    fact: Fact | None = None
    informative: bool = False  # shown to help the person filling it in; never read back
    optional: bool = False  # read when there, but a workbook may leave the column out (上级单位编号)

    @property
    def width(self) -> float:
        """A column width (in characters) that shows the header on at most :data:`HEADER_LINES` lines (CJK
        counted double) and a value, kept narrow so that a sheet of many facts still prints one page wide."""
        least = 18 if self.key == "name" else 12 if self.fact is None or self.fact.type in ("date", "text") else 8
        return float(min(max(-(-display_width(self.header) // HEADER_LINES) + 3, least), 20))

    @property
    def header_lines(self) -> int:
        """How many lines the header takes in a column :attr:`width` wide."""
        return max(-(-display_width(self.header) // max(int(self.width) - 3, 1)), 1)


@attrs.frozen
class Sheet:
    """One data sheet: its name, what it holds, and its columns in order."""

    title: str
    kind: str  # "units", "annual", "month", "quarter" or "records"
    columns: tuple[Column, ...]
    fact: Fact | None = None  # the records fact of a records sheet

    @property
    def first_input(self) -> int:
        """The number (1-based) of the first column that is not the unit's (or period's) identity."""
        return {"units": 1, "annual": 3, "records": 2}.get(self.kind, 4)


def display_width(text: str) -> int:
    """How many columns ``text`` takes in a grid font: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def header_of(fact: Fact) -> str:
    """The header of a fact's column: its label and, if it has one, its unit: ``人数（人）``."""
    return f"{fact.label}（{fact.unit}）" if fact.unit else fact.label


def _headers(facts: list[Fact], taken: set[str]) -> list[Column]:
    out = []
    counts: dict[str, int] = {}
    for f in facts:
        counts[header_of(f)] = counts.get(header_of(f), 0) + 1
    for f in facts:
        header = header_of(f)
        if counts[header] > 1 or header in taken:  # two facts with one label: the name tells them apart
            header = f"{header}〔{f.name}〕"
        out.append(Column(header, f.name, f))
    return out


_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def _records_title(fact: Fact, used: set[str]) -> str:
    title = _BAD_TITLE.sub("", fact.label)[:31].strip("'") or fact.name[:31]
    if title in used:
        title = fact.name[:31]
    return title


def layout(spec: Spec) -> tuple[Sheet, ...]:
    """The data sheets of the workbook for ``spec``, in order (the guide sheet comes before them)."""
    unit_id = Column("单位编号", "id")
    unit_name = Column("单位名称", "name", informative=True)
    parent = (Column("上级单位编号", "parent", optional=True),) if any(t.parents for t in spec.unit_types.values()) else ()
    sheets = [Sheet(UNITS, "units", (unit_id, Column("单位名称", "name"), Column("单位类型", "type"),
                                      Column("目标分值", "target"), *parent))]
    annual = [f for f in spec.facts.values() if f.period is None and f.type != "records"]
    if annual:
        sheets.append(Sheet(ANNUAL, "annual", (unit_id, unit_name, *_headers(annual, set()))))
    for kind in spec.period_kinds:
        facts = [f for f in spec.facts.values() if f.period == kind]
        period = Column(PERIOD_HEADERS[kind], "period")
        sheets.append(Sheet(PERIOD_SHEETS[kind], kind, (unit_id, unit_name, period, *_headers(facts, set()))))
    used = {GUIDE, UNITS, ANNUAL, *PERIOD_SHEETS.values()}
    for fact in spec.facts.values():
        if fact.type != "records":
            continue
        title = _records_title(fact, used)
        used.add(title)
        fields = [attrs.evolve(f, name=n) if f.name != n else f for n, f in (fact.fields or {}).items()]
        sheets.append(Sheet(title, "records", (unit_id, *_headers(fields, {"单位编号"})), fact))
    return tuple(sheets)


__all__ = ["ANNUAL", "GUIDE", "PERIOD_SHEETS", "UNITS", "Column", "Sheet", "display_width", "header_of", "layout"]

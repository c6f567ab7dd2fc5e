"""The results workbook (考核结果.xlsx): the ranking, the breakdown, every deduction, the receipt.

Sheets, headers in Chinese:

* 排名 — per unit type, the published (公示) table: 名次, 单位, 得分, 等次, 表扬, 扣减目标分值;
* 等次分布 — per unit type, how many units got each grade, and a column chart of it (a spec with grades);
* 得分明细 — a row per unit, a column per top-level indicator, then the rules on the total (月度考核),
  any floor, bonus or conversion, and the final score: the columns add up (see :mod:`.breakdown`);
* 扣分明细 — a row per rule that fired for a unit: indicator, rule, count, points, facts, clause;
* 月度 — per unit and period: the items missed and what they deducted;
* 直接扣分与目标分值 — the grade's deduction and each direct deduction from the target value;
* 考核组 — only for a spec with ``groups:``: each group (全县) scored from its members: 名称, 编号, 得分,
  等次, 成员数, 计算方式 (平均 or each member type's mean and weight), 成员 (each member and its score);
* 凭据 — the spec's id and SHA-256, each unit's facts SHA-256, the version, the assessment date.

Numbers are written as numbers only when a binary float holds them exactly (so 89.5 shows as 89.5,
and no point changes by being written); otherwise as text (:func:`.cells.excel_number`). A text that
a spreadsheet would take for a formula is written as a plain string with its quote prefix set.
Every sheet has its header row frozen and an autofilter on its columns, thin borders round its cells, and
prints on A4 one page wide (landscape when it is too wide upright), its header row on every page, headed with
the spec's title and what the sheet holds, and footed with the page number (:func:`print_setup`).
Units come in ranked order on every sheet: unit type (spec order), score, id.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from .._version import __version__
from ..engine.ranking import competition_ranks, ranked
from ..numbers import canonical
from ..sheets import print_setup
from .archive import StampedZip, zip_time
from .breakdown import score_columns
from .cells import excel_number, is_formula_like
from .explain import show_value
from .report import width

if TYPE_CHECKING:
    from ..engine.groups import GroupResult
    from ..engine.results import FiredTrigger, Result, Unit
    from ..engine.spec import Spec

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_ALIGN = Alignment(wrap_text=True, horizontal="center", vertical="center")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
WRAP_WIDTH = 32
"""The widest a column whose text wraps is made (a longer text takes more lines)."""


def _cell_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int):
        return excel_number(value)
    if value is None:
        return None
    return str(value)


def _text_width(value: Any) -> int:
    if isinstance(value, str):
        return max((width(part) for part in value.split("\n")), default=0)
    return 0 if value is None else len(str(value))


def _widths(header: Sequence[str], table: Sequence[Sequence[Any]], wrapping: set[int],
            wrap_width: int = WRAP_WIDTH) -> list[int]:
    """Each column's width: its widest value (a wrapping column at most ``wrap_width``), and room for
    its header on two lines at most (a header wraps)."""
    widths = []
    for i, head in enumerate(header):
        data = max((_text_width(values[i]) for values in table), default=0)
        if i in wrapping:
            data = min(data, wrap_width)
        head_width = width(head)
        needed = max(data, head_width if head_width <= 10 else -(-head_width // 2))
        widths.append(min(max(needed + 2, 6), 66))
    return widths


LINE_HEIGHT = 14
"""The height (points) of one line of text in a cell: a row whose text wraps is as high as its lines."""


def _lines(value: Any, column_width: int) -> int:
    """How many lines ``value`` takes in a wrapping cell ``column_width`` characters wide."""
    if not isinstance(value, str):
        return 1
    room = max(column_width - 3, 1)  # a little less than the column: better a spare line than a cut one
    return sum(max(-(-width(part) // room), 1) for part in value.split("\n"))


def _height(values: Sequence[Any], widths: Sequence[int], wrapping: Iterable[int]) -> float | None:
    """The height a row needs to show its wrapped text whole (None: one line is enough)."""
    lines = max((_lines(values[i], widths[i]) for i in wrapping), default=1)
    return LINE_HEIGHT * lines + 2 if lines > 1 else None


def _add_sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
               printed: str, freeze_columns: int = 0, wrap: Sequence[int] = (), wrap_width: int = WRAP_WIDTH) -> Any:
    """Write one table: bold frozen header, autofilter, thin borders, columns as wide as their text (within
    reason), printed as :func:`print_setup` says under the title ``printed``.

    The book is write-only (openpyxl streams each sheet), so the rows are gathered and measured first.
    """
    sheet = book.create_sheet(title)
    table = [[_cell_value(v) for v in row] for row in rows]
    wrapping = set(wrap)
    widths = _widths(header, table, wrapping, wrap_width)
    for i, size in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = size
    sheet.freeze_panes = f"{get_column_letter(freeze_columns + 1)}2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(len(table) + 1, 2)}"
    print_setup(sheet, printed, widths)
    # A spreadsheet need not work out the height of a row whose text wraps (LibreOffice does not on opening):
    # each such row says it, set before the row is streamed.
    if any(width(head) + 2 > widths[i] for i, head in enumerate(header)):  # a header wraps on two lines
        sheet.row_dimensions[1].height = LINE_HEIGHT * 2 + 2
    for number, values in enumerate(table, start=2):
        height = _height(values, widths, wrapping)
        if height is not None:
            sheet.row_dimensions[number].height = height
    heads = []
    for text in header:
        head = WriteOnlyCell(sheet, value=text)
        head.font, head.fill, head.border, head.alignment = _HEADER_FONT, _HEADER_FILL, _BORDER, _HEAD_ALIGN
        heads.append(head)
    sheet.append(heads)
    for values in table:
        row: list[Any] = []
        for i, value in enumerate(values):
            cell = WriteOnlyCell(sheet, value=value)
            cell.border = _BORDER
            cell.alignment = _WRAP if i in wrapping else _TOP
            if isinstance(value, str) and is_formula_like(value):
                cell.data_type = "s"  # a string, never a formula
                cell.quotePrefix = True
            row.append(cell)
        sheet.append(row)
    return sheet


def _type_label(spec: Spec, result: Result) -> str:
    return spec.unit_types[result.unit.type].label


def _in_order(spec: Spec, results: Sequence[Result]) -> list[tuple[Result, Unit]]:
    """Each result with its unit (built once: ``Result.unit`` builds it anew each time), in ranked order:
    unit type (spec order), score (highest first), unit id (:func:`~assessrules.engine.ranking.ranked`)."""
    return [(r, r.unit) for r in ranked(spec, results)]


def ranking_rows(spec: Spec, results: Sequence[Result]) -> list[list[Any]]:
    """The 公示 table: per unit type (spec order), ranked by score; equal scores share a rank; where units name
    parents, each unit's 上级单位 last."""
    named = {r.record[0]: r.record[1] for r in results}
    parents = any(r.record[6] is not None for r in results)
    rows: list[list[Any]] = []
    by_type: dict[str, list[Result]] = {}
    for r in ranked(spec, results):
        by_type.setdefault(r.unit.type, []).append(r)
    for type_id, group in by_type.items():
        for rank, r in competition_ranks(group):
            unit = r.unit
            rows.append([spec.unit_types[type_id].label, rank, unit.name, unit.id, r.score, r.grade or "",
                         "是" if r.commended else "", r.deduction, unit.target,
                         *((named.get(unit.parent, unit.parent) if unit.parent else "",) if parents else ())])
    return rows


def grade_rows(spec: Spec, results: Sequence[Result]) -> tuple[list[str], list[list[Any]]]:
    """How many units of each type (spec order) got each grade (spec order), and how many in all."""
    grades = [g.label for g in spec.grades]
    counts: dict[str, dict[str, int]] = {t: dict.fromkeys(grades, 0) for t in spec.unit_types}
    for r in results:
        if r.grade is not None:
            counts[r.unit.type][r.grade] += 1
    rows = [[spec.unit_types[t].label, *by_grade.values(), sum(by_grade.values())]
            for t, by_grade in counts.items() if sum(by_grade.values())]
    return ["单位类型", *grades, "合计"], rows


def _grade_chart(sheet: Any, title: str, grades: int, types: int) -> None:
    """A clustered column chart of the 等次分布 table: a column group per unit type, a column per grade."""
    chart = BarChart()
    chart.type, chart.grouping, chart.title = "col", "clustered", title
    chart.y_axis.title, chart.y_axis.majorUnit = "单位数", 1
    chart.y_axis.delete = chart.x_axis.delete = False  # openpyxl hides the axes unless told
    chart.add_data(Reference(sheet, min_col=2, max_col=grades + 1, min_row=1, max_row=types + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=types + 1))
    chart.width, chart.height = 22, 10  # centimetres: wide enough for the types' labels to lie flat
    sheet.add_chart(chart, f"A{types + 4}")


RANKING_HEADER = ("单位类型", "名次", "单位", "编号", "得分", "等次", "表扬", "扣减目标分值", "目标分值")


def _section(spec: Spec, fired: FiredTrigger) -> str:
    owner = spec.trigger_owner.get(fired.index)
    if owner is not None:
        return spec.nodes[owner].name
    if any(t.index == fired.index for t in spec.direct_deductions):
        return "直接扣分项"
    if spec.bonus is not None and any(t.index == fired.index for t in spec.bonus.items):
        return spec.bonus.label
    return "一票否决"


def _labelled(spec: Spec, facts: Any) -> str:
    parts = []
    for name, value in dict(facts).items():
        fact = spec.facts.get(name)
        parts.append(f"{fact.label if fact else name} = {show_value(value)}")
    return "；".join(parts)


def facts_text(spec: Spec, fired: FiredTrigger) -> str:
    """The facts that fired a rule, in the spec's labels, one line per period, record or derived value."""
    lines = []
    if fired.facts:
        lines.append(_labelled(spec, fired.facts))
    lines.extend(f"{hit.period}：{_labelled(spec, hit.facts)}" for hit in fired.periods)
    lines.extend(f"{e.label} = {show_value(e.value)}" for e in fired.evidence)
    lines.extend(f"第{number}条：{show_value(severity)}（{show_value(points)}）" for number, severity, points in fired.records)
    return "\n".join(lines)


def _count(fired: FiredTrigger) -> Decimal | int | None:
    if fired.count is not None:
        return fired.count
    if fired.periods:
        return len(fired.periods)
    if fired.records:
        return len(fired.records)
    return None


def deduction_rows(spec: Spec, results: Sequence[Result]) -> list[list[Any]]:
    """A row per rule that moved a unit's points, in the order the scorer applied them."""
    rows: list[list[Any]] = []
    for r, unit in _in_order(spec, results):
        for fired in r.fired:
            clause = fired.clause or (spec.nodes[o].clause if (o := spec.trigger_owner.get(fired.index)) is not None
                                      else None)
            rows.append([unit.id, unit.name, _section(spec, fired), fired.label, _count(fired),
                         fired.points, facts_text(spec, fired), clause or ""])
    return rows


DEDUCTION_HEADER = ("编号", "单位", "指标", "扣分/得分规则", "次数", "分值", "事实", "依据")


def period_rows(spec: Spec, results: Sequence[Result]) -> list[list[Any]]:
    """Per unit and period (月/季): the items missed and what they deducted."""
    periodic = {t.index for t in spec.triggers if t.each}
    rows: list[list[Any]] = []
    for r, unit in _in_order(spec, results):
        missed: dict[str, list[str]] = {label: [] for label in sorted(unit.periods)}
        deducted: dict[str, Decimal] = dict.fromkeys(missed, Decimal(0))
        for fired in r.fired:
            if fired.index not in periodic:
                continue
            for hit in fired.periods:
                missed.setdefault(hit.period, []).append(fired.label)
                deducted[hit.period] = deducted.get(hit.period, Decimal(0)) + hit.points
        for label in sorted(missed):
            rows.append([unit.id, unit.name, label, len(missed[label]), "\n".join(missed[label]),
                         canonical(deducted[label])])
    return rows


PERIOD_HEADER = ("编号", "单位", "期间", "未完成项数", "未完成事项", "扣分")


def target_rows(spec: Spec, results: Sequence[Result]) -> tuple[list[str], list[list[Any]]]:
    """The grade's deduction and each direct deduction from the target value, per unit."""
    direct = list(spec.direct_deductions)
    header = ["编号", "单位", "目标分值", "等次", "等次扣减", *[t.label for t in direct], "扣减合计", "扣完为止", "剩余目标分值"]
    rows: list[list[Any]] = []
    for r, unit in _in_order(spec, results):
        by_rule = {f.index: -(f.points or Decimal(0)) for f in r.direct_deductions}
        rows.append([unit.id, unit.name, unit.target, r.grade or "", r.grade_deduction,
                     *[canonical(by_rule.get(t.index, Decimal(0))) for t in direct],
                     r.deduction, "是" if r.deduction_capped else "", canonical(unit.target - r.deduction)])
    return header, rows


def receipt_rows(spec: Spec, results: Sequence[Result]) -> list[list[Any]]:
    """The spec's identity, then each unit's facts SHA-256 and assessment date."""
    meta = spec.metadata
    rows: list[list[Any]] = [
        ["规则", "", meta.id, meta.title + (f"（{meta.document_number}）" if meta.document_number else "")],
        ["规则 SHA-256", "", spec.sha256, ""],
        ["assessrules 版本", "", __version__, ""],
    ]
    for r, unit in _in_order(spec, results):
        facts = r.receipt.facts_sha256
        as_of = unit.as_of.isoformat() if unit.as_of else ""
        rows.append(["考核数据 SHA-256", unit.id, facts, f"{unit.name} · 考核日期 {as_of}"])
    return rows


RECEIPT_HEADER = ("项目", "编号", "值", "说明")


def group_rows(spec: Spec, groups: Sequence[GroupResult]) -> list[list[Any]]:
    """A row per group (spec order): its score, grade, member count, how it was computed and its members."""
    def type_label(type_id: str) -> str:
        return spec.unit_types[type_id].label

    return [[g.label, g.id, g.score, g.grade, len(g.members), g.method(type_label, "\n"),
             "\n".join(f"{u}（{type_label(t)}）{show_value(s)}" for u, t, s in g.members)] for g in groups]


GROUP_HEADER = ("考核组", "编号", "得分", "等次", "成员数", "计算方式", "成员")


def sheet_title(spec: Spec, sheet: str) -> str:
    """What a printed page of ``sheet`` is headed with: the spec's title and what the sheet holds."""
    return f"{spec.metadata.title} {_PRINTED.get(sheet, sheet)}"


_PRINTED = {"排名": "考核结果排名", "说明": "得分说明"}


def results_workbook(spec: Spec, results: Sequence[Result], groups: Sequence[GroupResult] = ()) -> Workbook:
    """Build the results workbook of ``results`` and ``groups`` (see the module's docstring for its sheets)."""
    book = Workbook(write_only=True)

    def add(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], **how: Any) -> None:
        _add_sheet(book, title, header, rows, printed=sheet_title(spec, title), **how)

    parents = any(r.record[6] is not None for r in results)
    add("排名", (*RANKING_HEADER, "上级单位") if parents else RANKING_HEADER, ranking_rows(spec, results), freeze_columns=3)
    if spec.graded:
        header, rows = grade_rows(spec, results)
        sheet = _add_sheet(book, "等次分布", header, rows, printed=sheet_title(spec, "等次分布"), freeze_columns=1)
        _grade_chart(sheet, "各类单位考核等次分布", len(header) - 2, len(rows))
    columns = score_columns(spec, results)
    add("得分明细", ["单位类型", "编号", "单位", *[c.label for c in columns]],
        ([_type_label(spec, r), (unit := r.unit).id, unit.name, *[c.value(r) for c in columns]]
         for r in ranked(spec, results)), freeze_columns=3)
    add("扣分明细", DEDUCTION_HEADER, deduction_rows(spec, results), freeze_columns=2, wrap=(2, 3, 6, 7))
    if spec.period_kinds:
        add("月度", PERIOD_HEADER, period_rows(spec, results), freeze_columns=3, wrap=(4,))
    header, rows = target_rows(spec, results)
    add("直接扣分与目标分值", header, rows, freeze_columns=2)
    if groups:
        add("考核组", GROUP_HEADER, group_rows(spec, groups), freeze_columns=2, wrap=(5, 6))
    add("凭据", RECEIPT_HEADER, receipt_rows(spec, results), wrap=(3,))
    book.properties.title = spec.metadata.title
    book.properties.creator = f"assessrules {__version__}"
    return book


def accounts_workbook(spec: Spec, results: Sequence[Result]) -> Workbook:
    """Every unit's account (explain) in one workbook: the 扣分明细 table, then each account line by line."""
    book = Workbook(write_only=True)
    _add_sheet(book, "扣分明细", DEDUCTION_HEADER, deduction_rows(spec, results), printed=sheet_title(spec, "扣分明细"),
               freeze_columns=2, wrap=(2, 3, 6, 7))
    lines = ([unit.id, unit.name, n, line] for r, unit in _in_order(spec, results)
             for n, line in enumerate(r.explain().splitlines(), 1))
    _add_sheet(book, "说明", ("编号", "单位", "行", "说明"), lines, printed=sheet_title(spec, "说明"), freeze_columns=2,
               wrap=(3,), wrap_width=52)  # an account's lines are long: an upright page's width
    book.properties.title = f"{spec.metadata.title} 扣分明细"
    return book


def stamp_of(results: Sequence[Result]) -> dt.datetime:
    """The time a results file records as made: the (latest) assessment date, so the same input gives the same bytes."""
    days = [r.unit.as_of for r in results if r.unit.as_of is not None]
    return dt.datetime.combine(max(days), dt.time()) if days else dt.datetime(1980, 1, 1)


def workbook_bytes(book: Workbook, stamp: dt.datetime) -> bytes:
    """The workbook as the bytes of an .xlsx file, dated ``stamp`` (inside and in the archive): deterministic."""
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    with StampedZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        archive.stamp = zip_time(stamp)
        ExcelWriter(book, archive).write_data()
    return buffer.getvalue()


def render_workbook(spec: Spec, results: Sequence[Result], groups: Sequence[GroupResult] = ()) -> bytes:
    """The results workbook as .xlsx bytes (with a 考核组 sheet when ``groups`` are given)."""
    return workbook_bytes(results_workbook(spec, results, groups), stamp_of(results))


__all__ = [
    "accounts_workbook",
    "deduction_rows",
    "facts_text",
    "grade_rows",
    "group_rows",
    "period_rows",
    "print_setup",
    "ranking_rows",
    "receipt_rows",
    "render_workbook",
    "results_workbook",
    "sheet_title",
    "stamp_of",
    "target_rows",
    "workbook_bytes",
]

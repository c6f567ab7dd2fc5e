"""Write the data-entry workbook (考核数据.xlsx) for a spec: blank, pre-filled with units, or filled with facts.

The sheets are those of :func:`~assessrules.inputs._layout.layout`: a guide, the
units, the annual facts, one sheet per period kind and one per records fact.
Every input column carries Excel data validation taken from its fact's
declaration, and every header a comment with the fact's description, method
and clause. :func:`write_workbook` with ``filled=True`` writes a facts file's
values, so that :func:`~assessrules.inputs.workbook.read_workbook` gives back
the same facts (``assessrules convert``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import periods as periods_
from ..files import write_whole
from ..messages import listing
from ..rules.facts import Fact
from ..sheets import print_setup
from ._layout import (
    GUIDE,
    GUIDE_AS_OF,
    GUIDE_DESCRIPTION,
    GUIDE_SPEC,
    TYPE_HINTS,
    UNITS,
    Column,
    Sheet,
    display_width,
    layout,
)

if TYPE_CHECKING:
    from ..engine.spec import Spec

LAST_ROW = 1_048_576
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_FORMATS = {"count": "0", "ratio": "0.00%", "date": "yyyy-mm-dd", "text": "@", "enum": "@"}
_EARLIEST, _LATEST = dt.date(1990, 1, 1), dt.date(2099, 12, 31)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
LINE_HEIGHT = 14  # points: one line of text in a cell


def _print_setup(ws: Any, title: str, *, title_rows: str | None = "1:1") -> None:
    """:func:`~assessrules.sheets.print_setup` with the widths the sheet's columns were given."""
    widths = [ws.column_dimensions[get_column_letter(c)].width or 13 for c in range(1, ws.max_column + 1)]
    print_setup(ws, title, widths, title_rows=title_rows)


def _excel_list(items: Sequence[str]) -> str | None:
    """An Excel list-validation formula of ``items``, or None when they cannot be written as one."""
    text = ",".join(items)
    if not items or any("," in i or '"' in i for i in items) or len(text) > 250:
        return None
    return f'"{text}"'


def _number_rule(kind: Literal["whole", "decimal"], low: Decimal | None, high: Decimal | None) -> DataValidation:
    if low is not None and high is not None:
        return DataValidation(kind, operator="between", formula1=str(low), formula2=str(high))
    if low is not None:
        return DataValidation(kind, operator="greaterThanOrEqual", formula1=str(low))
    if high is not None:
        return DataValidation(kind, operator="lessThanOrEqual", formula1=str(high))
    return DataValidation(kind, operator="between", formula1="-1E+15", formula2="1E+15")


def _serial(day: dt.date) -> str:
    return str((day - dt.date(1899, 12, 30)).days)  # Excel's day number (1900 date system)


def validation_of(fact: Fact) -> DataValidation | None:
    """The Excel data validation a cell of ``fact`` carries (None for free text that no list fits)."""
    if fact.type == "bool":
        rule = DataValidation("list", formula1='"是,否"')
    elif fact.type == "count":
        rule = _number_rule("whole", fact.minimum if fact.minimum is not None else Decimal(0), fact.maximum)
    elif fact.type == "number":
        rule = _number_rule("decimal", fact.minimum, fact.maximum)
    elif fact.type == "ratio":
        rule = _number_rule("decimal", fact.minimum if fact.minimum is not None else Decimal(0),
                            fact.maximum if fact.maximum is not None else Decimal(1))
    elif fact.type == "enum":
        formula = _excel_list(fact.values or ())
        if formula is None:
            return None
        rule = DataValidation("list", formula1=formula)
    elif fact.type == "date":
        rule = DataValidation("date", operator="between", formula1=_serial(_EARLIEST), formula2=_serial(_LATEST))
    else:
        rule = DataValidation("textLength", operator="lessThanOrEqual", formula1="2000")
    rule.error = f"{fact.label}：{TYPE_HINTS.get(fact.type, '')}"
    rule.errorTitle = "填写有误"
    rule.prompt = TYPE_HINTS.get(fact.type, "")
    rule.showErrorMessage = True
    rule.showInputMessage = True
    return rule


def clauses_of(spec: Spec, fact: Fact) -> list[str]:
    """The clauses of the rules that read ``fact`` (directly or through a derived value), in spec order."""
    names = {fact.name}
    clauses: dict[str, None] = {}
    for derived in spec.derived:
        if names & set(derived.expression.names) or derived.of == fact.name:
            names.add(derived.name)
            if derived.clause:
                clauses[derived.clause] = None
    for trigger in spec.triggers:
        if names & set(trigger.reads()):
            owner = spec.nodes[spec.trigger_owner[trigger.index]] if trigger.index in spec.trigger_owner else None
            clause = trigger.clause or (owner.clause if owner is not None else None)
            if clause:
                clauses[clause] = None
    return list(clauses)


def _comment(spec: Spec | None, fact: Fact) -> Comment:
    lines = [f"{fact.label}（{fact.name}）"]
    if fact.description:
        lines.append(f"说明：{fact.description}")
    if fact.method:
        lines.append(f"方法：{listing(list(fact.method), 'zh')}")
    if spec is not None:
        lines.extend(f"依据：{c}" for c in clauses_of(spec, fact)[:3])
    hint = TYPE_HINTS.get(fact.type, "")
    if fact.type == "enum":
        hint = f"从下拉列表选择：{listing(list(fact.values or ()), 'zh')}"
    if fact.required:
        hint += "；必填"
    elif fact.default is not None and fact.type != "records":
        hint += f"；不填则为 {_shown(fact, fact.default)}"
    lines.append(f"填写：{hint}")
    comment = Comment("\n".join(lines), "assessrules")
    comment.width = 320
    comment.height = 40 + 18 * sum(1 + display_width(line) // 40 for line in lines)
    return comment


def _shown(fact: Fact, value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if fact.type == "ratio" and isinstance(value, int | Decimal):
        return f"{Decimal(value) * 100:f}%".replace(".00%", "%")
    return str(value)


def excel_number(value: Decimal | int) -> int | float | str:
    """A number as the cell value that reads back as exactly the same Decimal.

    Whole numbers become ints, others floats when the float's shortest text is the
    number's own text (``0.95``), else text (``0.1234567890123456789``, ``0.950``).
    """
    if isinstance(value, int):
        return value if abs(value) < 2**53 else str(value)
    text = str(value)
    if value == value.to_integral_value() and text.lstrip("-").isdigit() and abs(value) < 2**53:
        return int(value)
    as_float = float(value)
    return as_float if repr(as_float) == text else text


def cell_value(fact: Fact, value: Any) -> Any:
    """The cell value for ``value`` of ``fact`` (already normalised): 是/否, a number, a date or text."""
    if value is None:
        return None
    if fact.type == "bool":
        return "是" if value else "否"
    if fact.type in ("count", "number", "ratio"):
        return excel_number(value)
    return value


def _set(cell: Cell | MergedCell, value: Any) -> None:
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":  # text that begins with "=" stays text
        cell.data_type = "s"
        cell.quotePrefix = True


def _header_row(ws: Worksheet, spec: Spec | None, sheet: Sheet) -> None:
    for number, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=number, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = _BORDER
        if column.fact is not None:
            cell.comment = _comment(spec, column.fact)
        letter = get_column_letter(number)
        ws.column_dimensions[letter].width = column.width
        fmt = _FORMATS.get(column.fact.type, "General") if column.fact is not None else None
        if column.key in ("period", "id"):
            fmt = "@"
        if fmt is not None:
            ws.column_dimensions[letter].number_format = fmt
    ws.freeze_panes = f"{get_column_letter(sheet.first_input)}2"
    lines = max((c.header_lines for c in sheet.columns), default=1)
    if lines > 1:  # a spreadsheet need not work out a wrapped row's height (LibreOffice does not on opening)
        ws.row_dimensions[1].height = LINE_HEIGHT * lines + 4


def _validations(ws: Worksheet, spec: Spec, sheet: Sheet) -> None:
    for number, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(number)
        rule: DataValidation | None = None
        if column.fact is not None:
            rule = validation_of(column.fact)
        elif column.key == "type":
            labels = [t.label for t in spec.unit_types.values()]
            formula = _excel_list(labels if len(set(labels)) == len(labels) else list(spec.unit_types))
            rule = DataValidation("list", formula1=formula) if formula else None
        elif column.key == "target":
            rule = _number_rule("decimal", Decimal(0), None)
        elif column.key == "period" and spec.year is not None:
            rule = DataValidation("list", formula1=_excel_list(
                [p.label for p in periods_.of_year(sheet.kind, spec.year)]))
        elif (column.key == "id" and sheet.kind != "units") or column.key == "parent":
            rule = DataValidation("list", formula1=f"'{UNITS}'!$A$2:$A$5000")
        if rule is not None:
            rule.allow_blank = True
            rule.showErrorMessage = True
            rule.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(rule)


_GUIDE_WIDTH = 80  # column B of the guide: with column A, an upright A4 page wide


def _guide(ws: Worksheet, spec: Spec, sheets: Sequence[Sheet], *, spec_ref: str | None, as_of: dt.date | None,
           description: str | None) -> None:
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = _GUIDE_WIDTH
    ws.cell(row=1, column=1, value=f"{spec.metadata.title} 考核数据填报表").font = Font(bold=True, size=14)
    rows: list[tuple[str, Any]] = [
        ("考核办法", spec.metadata.title),
        ("文号", spec.metadata.document_number or ""),
        (GUIDE_SPEC, spec_ref or ""),
        (GUIDE_AS_OF, as_of),
        (GUIDE_DESCRIPTION, description or ""),
    ]
    for i, (label, value) in enumerate(rows, start=3):
        ws.cell(row=i, column=1, value=label).font = Font(bold=True)
        cell = ws.cell(row=i, column=2)
        _set(cell, value if value != "" else None)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
    types = listing([t.label for t in spec.unit_types.values()], "zh")  # a label may hold 、 itself
    steps = [
        "填写方法",
        f"1. 在“{sheets[0].title}”表中每个被考核单位填一行：单位编号（字母或数字，唯一）、单位名称、"
        f"单位类型（{types}）、目标分值"
        + ("；下属单位还填上级单位编号" if any(t.parents for t in spec.unit_types.values()) else "") + "。",
        "2. 在其余各表中，每行以单位编号（或单位名称）开头，按表头逐项填写；"
        "把鼠标移到表头上可看到该项的说明、考核方法和依据条款。",
        "3. 是非项填“是”或“否”；比例可填 95% 或 0.95；日期填 2021-03-02（也可写 2021/3/2 或 2021年3月2日）。",
        "4. 选填项留空即按默认值计；不要合并单元格、隐藏行或增加其它工作表。",
        f"5. 考核日期不填时，按{spec.year or ''}年末计。“{GUIDE_SPEC}”一栏写明所用的考核规则（如 2021）。",
        "6. 填好后运行：assessrules score 考核数据.xlsx",
        "",
        "各表：",
    ]
    steps += [f"· {s.title}：" + {"units": "被考核单位", "annual": "年度考核事项，每单位一行",
                                  "month": "月度考核事项，每单位每月一行", "quarter": "季度考核事项，每单位每季度一行",
                                  "records": "记录，每条一行"}[s.kind] for s in sheets]
    # The headings in column A, the steps in column B, wrapped, each row as high as its lines: the guide
    # prints whole, one page wide. (Column B of these rows holds no value the reader takes: their column A
    # names none of the guide's fields.)
    for i, line in enumerate(steps, start=len(rows) + 4):
        if not line:
            continue
        if line in ("填写方法", "各表："):
            ws.cell(row=i, column=1, value=line).font = Font(bold=True)
            continue
        cell = ws.cell(row=i, column=2, value=line)
        cell.alignment = _WRAP
        lines = -(-display_width(line) // (_GUIDE_WIDTH - 4))
        if lines > 1:
            ws.row_dimensions[i].height = LINE_HEIGHT * lines + 4
    _print_setup(ws, f"{spec.metadata.title} 考核数据填报表", title_rows=None)


def _unit_rows(spec: Spec, unit: Mapping[str, Any]) -> list[Any]:
    type_id = unit.get("type")
    utype = spec.unit_types.get(type_id) if isinstance(type_id, str) else None
    labels = [t.label for t in spec.unit_types.values()]
    shown_type = utype.label if utype is not None and len(set(labels)) == len(labels) else type_id
    target = unit.get("target")
    if isinstance(target, Decimal | int) and not isinstance(target, bool):
        target = excel_number(target)
    parent = [unit.get("parent")] if any(t.parents for t in spec.unit_types.values()) else []
    return [unit.get("id"), unit.get("name"), shown_type, target, *parent]


def _facts_row(columns: Sequence[Column], values: Mapping[str, Any]) -> list[Any]:
    row: list[Any] = []
    for column in columns:
        if column.fact is None or column.key not in values:
            row.append(None)
            continue
        value = values[column.key]
        row.append(cell_value(column.fact, column.fact.normalize(value)))
    return row


def _rows(spec: Spec, sheet: Sheet, units: Sequence[Mapping[str, Any]], filled: bool) -> Iterable[list[Any]]:
    """The data rows of ``sheet``: identities only (a template), or every value (``filled``)."""
    for unit in units:
        uid, name = unit.get("id"), unit.get("name")
        facts = unit.get("facts") or {}
        if sheet.kind == "units":
            yield _unit_rows(spec, unit)
        elif sheet.kind == "annual":
            yield [uid, name, *_facts_row(sheet.columns[2:], facts if filled else {})]
        elif sheet.kind == "records":
            if filled and sheet.fact is not None:
                for record in facts.get(sheet.fact.name) or ():
                    yield [uid, *_facts_row(sheet.columns[1:], record)]
        elif filled:
            for label, values in (unit.get("periods") or {}).items():
                if periods_.parse(label).kind == sheet.kind:
                    yield [uid, name, str(label), *_facts_row(sheet.columns[3:], values)]
        elif spec.year is not None:
            for period in periods_.of_year(sheet.kind, spec.year):
                yield [uid, name, period.label] + [None] * (len(sheet.columns) - 3)


def build_workbook(spec: Spec, units: Sequence[Mapping[str, Any]] = (), *, filled: bool = False,
                   spec_ref: str | None = None, as_of: dt.date | None = None,
                   description: str | None = None) -> Workbook:
    """The workbook for ``spec``: a blank template, one pre-filled with ``units``, or (``filled``) their facts.

    ``units`` are unit mappings as a facts file holds them; with ``filled`` they must
    already have passed the spec's checks (their values are written normalised).
    """
    sheets = layout(spec)
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = GUIDE
    _guide(guide, spec, sheets, spec_ref=spec_ref, as_of=as_of, description=description)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        _header_row(ws, spec, sheet)
        _validations(ws, spec, sheet)
        formats = [_FORMATS.get(c.fact.type) if c.fact is not None else ("@" if c.key in ("id", "period") else None)
                   for c in sheet.columns]
        for r, row in enumerate(_rows(spec, sheet, units, filled), start=2):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c)
                _set(cell, value)
                if formats[c - 1] is not None:
                    cell.number_format = formats[c - 1]
        shown = [0] * len(sheet.columns)
        for cells in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=len(sheet.columns)):
            for i, cell in enumerate(cells):  # the rows written (a pre-filled or filled workbook) print as a table
                cell.border = _BORDER
                if isinstance(cell.value, str):
                    shown[i] = max(shown[i], display_width(cell.value))
        for i, column in enumerate(sheet.columns):  # a unit's name and type are shown whole
            letter = get_column_letter(i + 1)
            if column.fact is None and shown[i] + 2 > column.width:
                ws.column_dimensions[letter].width = min(shown[i] + 2, 32)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(ws.max_row, 2)}"
        _print_setup(ws, f"{spec.metadata.title} 考核数据填报表 {sheet.title}")
    return wb


def save_workbook(wb: Workbook, path: str | os.PathLike[str]) -> None:
    """Save ``wb`` to ``path`` whole or not at all, with the permissions the umask gives."""
    write_whole(path, wb.save)


def write_workbook(spec: Spec, path: str | os.PathLike[str], units: Sequence[Mapping[str, Any]] = (), *,
                   filled: bool = False, spec_ref: str | None = None, as_of: dt.date | None = None,
                   description: str | None = None) -> None:
    """Write :func:`build_workbook`'s workbook to ``path`` (whole or not at all)."""
    save_workbook(build_workbook(spec, units, filled=filled, spec_ref=spec_ref, as_of=as_of,
                                 description=description), path)


__all__ = ["build_workbook", "cell_value", "clauses_of", "excel_number", "print_setup", "save_workbook",
           "validation_of", "write_workbook"]

"""Read a filled data-entry workbook (考核数据.xlsx) into the unit mappings a YAML facts file gives.

The workbook's sheets are those of :func:`~assessrules.inputs._layout.layout`.
:func:`read_workbook` reads every cell, accepts what people type (是/否, √/×,
TRUE/FALSE, 95%, date cells, ``2021/3/2`` or ``2021年3月2日`` as text, numbers
stored as text), and reports every problem at once, each at its cell::

    考核数据.xlsx!月度考核!F17: 单位 niutoudian 2021-03 公共服务事项上网办理比例 (online_service_ratio): …

Numbers become :class:`~decimal.Decimal` from the shortest text that reads back
as the cell's float (``0.1`` → ``Decimal('0.1')``), never through float arithmetic.
The result is a :class:`~assessrules.yamlio.Document` whose ``files`` name the
cell of every value, so the problems the spec's checks find later are placed
in the workbook too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import math
import os
import re
import stat
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from .. import periods as periods_
from ..engine.checking import FORMULA_STARTS
from ..errors import FactsError, Path, Problem
from ..rules.document import Document
from ..rules.facts import Fact, FactValueError
from ..rules.limits import CONTROL, MAX_DOCUMENT_BYTES, MAX_PLACES, bad_character, echo, number_problem
from ._layout import GUIDE, GUIDE_AS_OF, GUIDE_DESCRIPTION, GUIDE_SPEC, Column, Sheet, layout

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

    from ..engine.spec import Spec

SpecSource = Callable[[str | None], "Spec"]
"""Gives the spec to read a workbook with, from the spec the workbook names (its guide's 规则), if any."""

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
MAX_UNPACKED_BYTES = 256_000_000
"""The most a workbook may unpack to (the sum of its parts' sizes): a zip bomb is refused before it is opened."""
MAX_ROWS = 200_000
"""The most rows a sheet may reach (a province's year of monthly rows is about 25,000)."""
MAX_COLUMNS = 256
"""The most columns a sheet may reach (the widest sheet of the bundled spec has 20)."""
_TRUE = frozenset({"是", "√", "✓", "✔", "true", "对", "yes", "y"})
_FALSE = frozenset({"否", "×", "✗", "✘", "x", "false", "错", "no", "n"})
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_QUARTER_TEXT = re.compile(r"^(\d{4})\s*(?:年\s*第?\s*([1-4一二三四])\s*季度?|[Qq]([1-4]))$")
HINTS = {
    "bool": "write 是 or 否 (√/×, TRUE/FALSE also do)",
    "count": "type a whole number, 0 or more, without units or separators",
    "number": "type a number without units or separators",
    "ratio": "type a share as a percentage (95%) or a fraction (0.95)",
    "date": "type a date such as 2021-03-02, 2021/3/2 or 2021年3月2日, or format the cell as a date",
    "text": "type text",
}


class CellError(ValueError):
    """A cell's value cannot be read as its column's kind; ``hint`` says what to type instead."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def _what(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return f"the date {value:%Y-%m-%d}"
    if isinstance(value, dt.time):
        return f"the time {value:%H:%M}"
    if isinstance(value, dt.timedelta):
        return f"the duration {value}"
    return f"{value!r}"


def _visible(text: str) -> str:
    """``text`` with control and direction-override characters written as ``\\uXXXX``, for a location."""
    return CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def number_of(value: Any) -> Decimal | int:
    """A number cell (or a number typed as text) as an exact int or Decimal; raise :class:`CellError` otherwise."""
    if isinstance(value, bool):
        raise CellError(f"expected a number, got {_what(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"expected a finite number, got {value!r}")
        return Decimal(repr(value))  # the shortest text that reads back as the stored float: 0.1, not 0.1000…0555
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", text):
            raise CellError(f"expected a number, got {_what(value)}", "write it without thousands separators")
        if re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text):
            return Decimal(text)
        raise CellError(f"expected a number, got {_what(value)}")
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError(f"expected a number, got {_what(value)}", "format the cell as a number (常规), not a date")
    raise CellError(f"expected a number, got {_what(value)}")


def date_of(value: Any) -> dt.date:
    """A date cell, or a date typed as text (2021-03-02, 2021/3/2, 2021年3月2日); raise :class:`CellError` otherwise."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(f"expected a date without a time, got {value:%Y-%m-%d %H:%M}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = _DATE_TEXT.match(unicodedata.normalize("NFKC", value).strip())
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise CellError(f"there is no such date as {value!r}") from None
        raise CellError(f"expected a date, got {_what(value)}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(f"expected a date, got the number {value!r}", "format the cell as a date (yyyy-mm-dd)")
    raise CellError(f"expected a date, got {_what(value)}")


def _bool_of(value: Any, fact: Fact) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = unicodedata.normalize("NFKC", value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise CellError(f"expected 是 or 否, got {_what(value)}")


def _enum_of(value: Any, fact: Fact) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(number_of(value))
    raise CellError(f"expected one of {'、'.join(fact.values or ())}, got {_what(value)}")


def _text_of(value: Any, fact: Fact) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_of(value)
    if isinstance(value, dt.datetime | dt.date):
        return date_of(value).isoformat()
    raise CellError(f"expected text, got {_what(value)}")


def _ratio_of(value: Any, fact: Fact) -> Any:
    if isinstance(value, str) and unicodedata.normalize("NFKC", value).strip().endswith("%"):
        text = unicodedata.normalize("NFKC", value).strip()[:-1]
        return number_of(text) / 100
    return number_of(value)


_READERS: dict[str, Callable[[Any, Fact], Any]] = {
    "bool": _bool_of,
    "count": lambda v, f: number_of(v),
    "number": lambda v, f: number_of(v),
    "ratio": _ratio_of,
    "enum": _enum_of,
    "date": lambda v, f: date_of(v),
    "text": _text_of,
}


def _not_tiny(value: Any) -> Any:
    """``value``, unless it is a number a facts file could not hold either: nearer to 0 than 10^-12 but not 0
    (``1e-400`` typed as text), too large, or with more decimal places than a document may have (a float
    such as 0.30000000000000004), so that a workbook and the YAML it converts to accept the same numbers."""
    if isinstance(value, Decimal) and value.is_finite() and value and value.adjusted() < -MAX_PLACES:
        raise CellError(f"this number is too small: {echo(str(value))}; the least other than 0 is 10^-{MAX_PLACES}")
    if isinstance(value, Decimal | int) and not isinstance(value, bool) and (trouble := number_problem(value)):
        raise CellError(trouble, "round it to at most 12 decimal places" if "places" in trouble
                        else None)
    return value


def fact_value(fact: Fact, value: Any) -> Any:
    """The value of ``fact`` in a cell, normalised as scoring uses it; raise :class:`CellError` if it will not do."""
    reader = _READERS.get(fact.type)
    if reader is None:
        raise CellError(f"a {fact.type} fact cannot be given in one cell")
    hint = HINTS.get(fact.type)
    if fact.type == "enum":
        hint = f"choose one of {'、'.join(fact.values or ())}"
    try:
        return fact.normalize(_not_tiny(reader(value, fact)))
    except CellError as exc:
        raise CellError(str(exc), exc.hint or hint) from None
    except FactValueError as exc:
        if fact.type == "ratio":
            with contextlib.suppress(CellError):
                number = number_of(value)
                if 1 < number <= 100:
                    hint = f"a share is from 0 to 1: write {number}% or {number / 100}"
        raise CellError(str(exc), hint) from None


@attrs.define
class _Unit:
    """Where one unit's values sit in the workbook."""

    index: int
    data: dict[str, Any]
    row: int  # in the units sheet
    annual: int | None = None
    periods: dict[str, int] = attrs.field(factory=dict)  # period label -> row
    records: dict[str, list[int]] = attrs.field(factory=dict)  # records fact -> rows


class _Cells(Mapping[Path, str]):
    """The cell (``book.xlsx!sheet!F17``) of each value of the document, worked out when asked for."""

    def __init__(self, book: str, sheets: Mapping[str, Sheet], units: list[_Unit]) -> None:
        self.book = book
        self.units = units
        self.by_kind = {s.kind if s.kind != "records" else f"records:{s.fact.name if s.fact else ''}": s
                        for s in sheets.values()}
        self.columns = {s.title: {c.key: i for i, c in enumerate(s.columns, start=1)} for s in sheets.values()}

    def _cell(self, kind: str, row: int | None, key: str | None = None) -> str | None:
        sheet = self.by_kind.get(kind)
        if sheet is None:
            return None
        if row is None:
            return f"{self.book}!{sheet.title}"
        column = self.columns[sheet.title].get(key or "id", 1)
        return f"{self.book}!{sheet.title}!{get_column_letter(column)}{row}"

    def find(self, path: Path) -> str | None:
        """The cell (or row, or sheet) of the value at ``path``, if the path is one this workbook holds."""
        if len(path) < 2 or path[0] != "units" or not isinstance(path[1], int) or path[1] >= len(self.units):
            return None
        unit, rest = self.units[path[1]], path[2:]
        if not rest or rest[0] in ("id", "name", "type", "target"):
            return self._cell("units", unit.row, str(rest[0]) if rest else None)
        if rest[0] == "facts":
            if len(rest) == 1:
                return self._cell("annual", unit.annual)
            name = str(rest[1])
            if f"records:{name}" in self.by_kind:
                rows = unit.records.get(name, [])
                if len(rest) >= 3 and isinstance(rest[2], int) and rest[2] < len(rows):
                    return self._cell(f"records:{name}", rows[rest[2]], str(rest[3]) if len(rest) > 3 else None)
                return self._cell(f"records:{name}", rows[0] if rows else None)
            return self._cell("annual", unit.annual, name) if unit.annual else self._cell("annual", None)
        if rest[0] == "periods":
            if len(rest) == 1:
                kinds = [k for k in periods_.PERIOD_KINDS if k in self.by_kind]
                return self._cell(kinds[0], None) if kinds else None
            label = str(rest[1])
            try:
                kind = periods_.parse(label).kind
            except ValueError:
                kind = "month"
            row = unit.periods.get(label)
            return self._cell(kind, row, str(rest[2]) if len(rest) > 2 and row else "period")
        return None

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self.find(path) is not None

    def __getitem__(self, path: Path) -> str:
        found = self.find(path)
        if found is None:
            raise KeyError(path)
        return found

    def __iter__(self) -> Iterator[Path]:
        return iter(())

    def __len__(self) -> int:
        return 0


class _Reader:
    """Reads one workbook against one spec, collecting every problem."""

    def __init__(self, book: str, wb: Workbook, cached: Callable[[], Workbook]) -> None:
        self.book = book
        self.wb = wb
        self.cached = cached
        self.problems: list[Problem] = []
        self.units: list[_Unit] = []
        self.by_id: dict[str, _Unit] = {}

    def problem(self, where: str, message: str, hint: str | None = None) -> None:
        where = _visible(where)
        self.problems.append(Problem(message, (), f"{self.book}!{where}", hint=hint, code="facts.workbook", cell=where))

    # -- the guide sheet ---------------------------------------------------------------------------------------
    def guide(self) -> dict[str, Any]:
        """The spec, assessment date and description the guide sheet states."""
        out: dict[str, Any] = {}
        if GUIDE not in self.wb.sheetnames:
            return out
        ws = self.wb[GUIDE]
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 60), max_col=2):
            label, cell = row[0].value, row[1] if len(row) > 1 else None
            if cell is None or cell.value is None or not isinstance(label, str):
                continue
            value, where = cell.value, f"{GUIDE}!{cell.coordinate}"
            if label.strip() == GUIDE_SPEC:
                out["spec"] = str(value).strip()
            elif label.strip() == GUIDE_DESCRIPTION:
                out["description"] = str(value)
            elif label.strip() == GUIDE_AS_OF:
                try:
                    out["as_of"] = date_of(value)
                except CellError as exc:
                    self.problem(where, f"考核日期 (as_of): {exc}", exc.hint or HINTS["date"])
        return out

    # -- sheets and columns ------------------------------------------------------------------------------------
    def sheets(self, expected: tuple[Sheet, ...]) -> dict[str, Sheet]:
        """The expected sheets that are present; a problem for each missing or unknown one."""
        titles = {s.title: s for s in expected}
        for title in self.wb.sheetnames:
            if title != GUIDE and title not in titles:
                close = difflib.get_close_matches(title, list(titles), n=1, cutoff=0.5)
                self.problem(title, f"unknown sheet {title!r}",
                             f"did you mean {close[0]!r}?" if close else
                             f"the workbook has the sheets {GUIDE}, {', '.join(titles)}; delete or rename this one")
        for title in titles:
            if title not in self.wb.sheetnames:
                self.problem(title, f"missing sheet {title!r}",
                             "add it back with its header row, or start from a new template (assessrules template)")
        return {t: s for t, s in titles.items() if t in self.wb.sheetnames}

    def columns(self, ws: Worksheet, sheet: Sheet) -> dict[int, Column] | None:
        """Each header's column (0-based) in the sheet; None when the header row is unusable."""
        wanted: dict[str, Column] = {}
        for column in sheet.columns:
            wanted[column.header] = column
            wanted.setdefault(column.key, column)
            if column.fact is not None:
                wanted.setdefault(column.fact.label, column)
        found: dict[int, Column] = {}
        seen: dict[str, str] = {}
        header = next(ws.iter_rows(min_row=1, max_row=1), ())
        for index, cell in enumerate(header):
            text = cell.value
            if text is None or (isinstance(text, str) and not text.strip()):
                continue
            text = str(text).strip()
            where = f"{sheet.title}!{cell.coordinate}"
            chosen = wanted.get(text)
            if chosen is None:
                close = difflib.get_close_matches(text, [c.header for c in sheet.columns], n=1, cutoff=0.5)
                self.problem(where, f"unknown column {text!r}",
                             f"did you mean {close[0]!r}?" if close else "delete it; this sheet's columns are "
                             + "、".join(c.header for c in sheet.columns))
                continue
            if chosen.key in seen:
                self.problem(where, f"the column {chosen.header!r} is given twice (also {seen[chosen.key]})",
                             "keep one of them")
                continue
            seen[chosen.key] = cell.coordinate
            found[index] = chosen
        for column in sheet.columns:
            if column.key not in seen and not column.informative:
                self.problem(f"{sheet.title}!1:1", f"missing column {column.header!r}"
                             + (f" ({column.key})" if column.fact is not None else ""),
                             "add it back to the header row, or start from a new template (assessrules template)")
        if "id" not in seen:
            return None
        return found

    def too_large(self, ws: Worksheet) -> bool:
        """Whether the sheet reaches beyond :data:`MAX_ROWS` or :data:`MAX_COLUMNS` (a problem, then), before it is read."""
        rows, columns = ws.max_row, ws.max_column
        if rows > MAX_ROWS:
            self.problem(f"{ws.title}!{rows}:{rows}", f"the sheet reaches row {rows:,}; a sheet may have at most "
                         f"{MAX_ROWS:,} rows", "delete the rows below the data (删除行), or split the workbook")
        if columns > MAX_COLUMNS:
            letter = get_column_letter(columns)
            self.problem(f"{ws.title}!{letter}:{letter}", f"the sheet reaches column {letter} ({columns:,}); a sheet "
                         f"may have at most {MAX_COLUMNS} columns", "delete the columns right of the data (删除列)")
        return rows > MAX_ROWS or columns > MAX_COLUMNS

    def layout_problems(self, ws: Worksheet) -> None:
        """A hidden sheet, merged cells, hidden rows and hidden columns: each one a problem."""
        if ws.sheet_state != "visible":
            self.problem(ws.title, f"the sheet {ws.title!r} is hidden; it would be scored unseen",
                         "unhide it (取消隐藏工作表)")
        for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            self.problem(f"{ws.title}!{merged.coord}", f"the cells {merged.coord} are merged; only "
                         f"{get_column_letter(merged.min_col)}{merged.min_row} keeps a value",
                         "unmerge them (取消合并单元格) and fill in every cell")
        for number, dim in sorted(ws.row_dimensions.items()):
            if dim.hidden:
                self.problem(f"{ws.title}!{number}:{number}", f"row {number} is hidden; it would be scored unseen",
                             "unhide it (取消隐藏), and delete it if it should not count")
        for letter, cdim in sorted(ws.column_dimensions.items()):
            if cdim.hidden:
                self.problem(f"{ws.title}!{letter}:{letter}", f"column {letter} is hidden; it would be read unseen",
                             "unhide it (取消隐藏), and delete it if it should not count")

    # -- cells ---------------------------------------------------------------------------------------------------
    def rows(self, ws: Worksheet) -> list[tuple[int, list[Any]]]:
        """The non-empty rows below the header, formulas replaced by their saved values."""
        out: list[tuple[int, list[Any]]] = []
        formulas: list[tuple[int, int]] = []
        for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            row = list(values)
            empty = True
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    if not value.strip():
                        row[c] = None
                        continue
                    if value[0] in "=#":
                        kind = ws.cell(row=r, column=c + 1).data_type
                        if kind == "f":
                            formulas.append((r, c))
                        elif kind == "e":
                            self.problem(f"{ws.title}!{get_column_letter(c + 1)}{r}",
                                         f"the cell shows the error {value}", "correct the formula or type the value")
                            row[c] = None
                            continue
                elif isinstance(value, ArrayFormula | DataTableFormula):
                    formulas.append((r, c))
                empty = False
            if not empty:
                out.append((r, row))
        if formulas:
            self.saved_values(ws.title, out, formulas)
        return out

    def saved_values(self, title: str, rows: list[tuple[int, list[Any]]], formulas: list[tuple[int, int]]) -> None:
        """Put each formula's saved value in its place, or say that it has none."""
        saved = self.cached()[title]
        by_row = dict(rows)
        for r, c in formulas:
            value = saved.cell(row=r, column=c + 1).value
            if value is None:
                self.problem(f"{title}!{get_column_letter(c + 1)}{r}", "the cell holds a formula with no saved value",
                             "open the workbook in Excel or WPS and save it, so that the formula's value is "
                             "stored; or type the value instead of the formula")
            by_row[r][c] = value

    def cell(self, sheet: Sheet, r: int, c: int, *, who: str, column: Column, value: Any) -> Any:
        """``value`` of ``column`` read as its fact says, or None after a located problem."""
        assert column.fact is not None
        try:
            return fact_value(column.fact, value)
        except CellError as exc:
            self.problem(f"{sheet.title}!{get_column_letter(c + 1)}{r}",
                         f"{who} {column.fact.label} ({column.key}): {exc}", exc.hint)
            return None

    def unit_of(self, sheet: Sheet, r: int, c: int, value: Any) -> _Unit | None:
        where = f"{sheet.title}!{get_column_letter(c + 1)}{r}"
        if value is None:
            self.problem(where, "no 单位编号 in this row", "type the unit's id as in the sheet 单位")
            return None
        if isinstance(value, float):  # an id typed as a number: 7, not 7.0
            value = int(value) if value.is_integer() else number_of(value)
        uid = str(value).strip()
        unit = self.by_id.get(uid)
        if unit is None:
            close = difflib.get_close_matches(uid, list(self.by_id), n=1, cutoff=0.6)
            self.problem(where, f"unknown unit {uid!r}: the sheet 单位 has no such 单位编号",
                         f"did you mean {close[0]!r}?" if close else "add the unit to the sheet 单位 first")
        return unit

    # -- the sheets ----------------------------------------------------------------------------------------------
    def read_units(self, spec: Spec, ws: Worksheet, sheet: Sheet, columns: dict[int, Column]) -> None:
        labels = {t.label: k for k, t in spec.unit_types.items()}
        for r, row in self.rows(ws):
            cells = {columns[c].key: (c, v) for c, v in enumerate(row) if c in columns}
            c, uid = cells.get("id", (0, None))
            where = f"{sheet.title}!{get_column_letter(c + 1)}{r}"
            if uid is None:
                self.problem(where, "no 单位编号 in this row", "give every unit an id, e.g. chengguan")
                continue
            if isinstance(uid, float):
                uid = int(uid) if uid.is_integer() else str(number_of(uid))
            if isinstance(uid, str):
                uid = uid.strip()
                if (bad := bad_character(uid)) is not None:
                    self.problem(where, f"the 单位编号 {uid!r} holds the control character {bad}, which is not allowed",
                                 "retype the id without it")
                    continue
                if uid.startswith(FORMULA_STARTS):
                    self.problem(where, f"the 单位编号 {echo(uid)!r} begins with {uid[0]!r}, which a spreadsheet reads "
                                 "as a formula", "begin the id with a letter or a digit")
                    continue
            elif not isinstance(uid, int) or isinstance(uid, bool):
                self.problem(where, f"a 单位编号 is text or a whole number, not {_what(uid)}")
                continue
            if str(uid) in self.by_id:
                self.problem(where, f"the unit {uid} is listed twice (first in row {self.by_id[str(uid)].row})",
                             "give each unit one row")
                continue
            data: dict[str, Any] = {"id": uid}
            who = f"单位 {uid}"
            if "name" in cells:
                c, name = cells["name"]
                if name is not None:
                    data["name"] = name if isinstance(name, str) else str(name)
            c, utype = cells.get("type", (0, None))
            if isinstance(utype, str) and utype.strip() in labels:
                data["type"] = labels[utype.strip()]
            elif isinstance(utype, str) and utype.strip() in spec.unit_types:
                data["type"] = utype.strip()
            else:
                known = "、".join(labels)
                self.problem(f"{sheet.title}!{get_column_letter(c + 1)}{r}",
                             f"{who} 单位类型 (type): " + (f"unknown unit type {utype!r}" if utype is not None
                                                          else "no unit type given"), f"choose one of {known}")
            c, target = cells.get("target", (0, None))
            where = f"{sheet.title}!{get_column_letter(c + 1)}{r}"
            if target is None:
                self.problem(where, f"{who} 目标分值 (target): no target given",
                             "the points this work carries in the unit's annual assessment, e.g. 3")
            else:
                try:
                    number = number_of(target)
                    if number < 0:
                        raise CellError(f"{number} is negative")
                    data["target"] = number
                except CellError as exc:
                    self.problem(where, f"{who} 目标分值 (target): {exc}", exc.hint or HINTS["number"])
            data["facts"] = {}
            if spec.period_kinds:
                data["periods"] = {}
            unit = _Unit(len(self.units), data, r)
            self.units.append(unit)
            self.by_id[str(uid)] = unit

    def read_facts(self, ws: Worksheet, sheet: Sheet, columns: dict[int, Column]) -> None:
        """An annual or period sheet: a row per unit (and period), a column per fact."""
        id_col = next(c for c, col in columns.items() if col.key == "id")
        period_col = next((c for c, col in columns.items() if col.key == "period"), None)
        facts = [(c, col) for c, col in columns.items() if col.fact is not None]
        required = [(col, c) for c, col in facts if col.fact is not None and col.fact.required]
        for r, row in self.rows(ws):
            unit = self.unit_of(sheet, r, id_col, row[id_col] if id_col < len(row) else None)
            if unit is None:
                continue
            who = f"单位 {unit.data['id']}"
            if sheet.kind == "annual":
                if unit.annual is not None:
                    self.problem(f"{sheet.title}!{r}:{r}", f"{who} has a second row here (the first is row {unit.annual})",
                                 "give each unit one row")
                    continue
                unit.annual = r
                target = unit.data["facts"]
            else:
                label = self.period(sheet, r, period_col, row, who)
                if label is None:
                    continue
                if label in unit.periods:
                    self.problem(f"{sheet.title}!{r}:{r}", f"{who} {label} has a second row here (the first is row "
                                 f"{unit.periods[label]})", "give each unit one row per period")
                    continue
                unit.periods[label] = r
                target = unit.data["periods"][label] = {}
                who = f"{who} {label}"
            for c, column in facts:
                value = row[c] if c < len(row) else None
                if value is None:
                    continue
                checked = self.cell(sheet, r, c, who=who, column=column, value=value)
                if checked is not None:
                    target[column.key] = checked
            for column, c in required:
                if (row[c] if c < len(row) else None) is None:
                    assert column.fact is not None
                    self.problem(f"{sheet.title}!{get_column_letter(c + 1)}{r}",
                                 f"{who} {column.fact.label} ({column.key}): the cell is empty",
                                 "this fact is required; fill it in")

    def period(self, sheet: Sheet, r: int, c: int | None, row: list[Any], who: str) -> str | None:
        value = row[c] if c is not None and c < len(row) else None
        where = f"{sheet.title}!{get_column_letter((c or 0) + 1)}{r}"
        word = "月份" if sheet.kind == "month" else "季度"
        example = "2021-03" if sheet.kind == "month" else "2021Q1"
        if value is None:
            self.problem(where, f"{who}: no {word} in this row", f"write it as {example}")
            return None
        if isinstance(value, dt.datetime | dt.date) and sheet.kind == "month":
            return f"{value.year}-{value.month:02d}"
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if sheet.kind == "month" and (m := _MONTH_TEXT.match(text)) and 1 <= int(m[2]) <= 12:
            return f"{m[1]}-{int(m[2]):02d}"
        if sheet.kind == "quarter" and (m := _QUARTER_TEXT.match(text)):
            number = m[2] or m[3]
            return f"{m[1]}Q{'一二三四'.index(number) + 1 if number in '一二三四' else number}"
        self.problem(where, f"{who}: {_what(value)} is not a {'month' if sheet.kind == 'month' else 'quarter'}",
                     f"write it as {example}")
        return None

    def read_records(self, ws: Worksheet, sheet: Sheet, columns: dict[int, Column]) -> None:
        """A records sheet: a row per record, the unit first."""
        assert sheet.fact is not None
        name = sheet.fact.name
        id_col = next(c for c, col in columns.items() if col.key == "id")
        fields = [(c, col) for c, col in columns.items() if col.fact is not None]
        required = {col.key: c for c, col in fields if col.fact is not None and col.fact.required}
        for r, row in self.rows(ws):
            unit = self.unit_of(sheet, r, id_col, row[id_col] if id_col < len(row) else None)
            if unit is None:
                continue
            rows = unit.records.setdefault(name, [])
            rows.append(r)
            who = f"单位 {unit.data['id']} {sheet.title} 第{len(rows)}条"
            record: dict[str, Any] = {}
            for c, column in fields:
                value = row[c] if c < len(row) else None
                if value is None:
                    if column.key in required:
                        assert column.fact is not None
                        self.problem(f"{sheet.title}!{get_column_letter(c + 1)}{r}",
                                     f"{who} {column.fact.label} ({column.key}): the cell is empty",
                                     "this field is required; fill it in")
                    continue
                checked = self.cell(sheet, r, c, who=who, column=column, value=value)
                if checked is not None:
                    record[column.key] = checked
            unit.data["facts"].setdefault(name, []).append(record)

    def missing_rows(self, sheet: Sheet) -> None:
        """A unit with no row in the annual sheet, when the sheet has a required fact."""
        if sheet.kind != "annual" or not any(c.fact is not None and c.fact.required for c in sheet.columns):
            return
        for unit in self.units:
            if unit.annual is None:
                self.problem(sheet.title, f"单位 {unit.data['id']} has no row in this sheet",
                             "add a row with its 单位编号 and its facts")


def _refused(message: str, display: str, hint: str | None = None) -> FactsError:
    return FactsError([Problem(message, (), display, hint=hint, code="facts.file")])


def _check_file(path: str, display: str) -> None:
    """Refuse, before openpyxl opens it, anything but a regular file of bounded size that unpacks to a bounded size."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _refused("no such file", display, "check the path") from None
    except OSError as exc:
        raise _refused(f"cannot be read: {exc.strerror}", display) from None
    if not stat.S_ISREG(info.st_mode):
        raise _refused("this is not a regular file (a folder, device, pipe or socket); nothing was read", display)
    if info.st_size > MAX_DOCUMENT_BYTES:
        raise _refused(f"the file is {info.st_size:,} bytes; a workbook may have at most {MAX_DOCUMENT_BYTES:,}",
                       display, "split the workbook")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refused(f"this is not a readable .xlsx workbook ({type(exc).__name__}: {exc})", display,
                       "open it in Excel or WPS and save it as .xlsx (Excel 工作簿)") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refused(f"the workbook unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,} are read "
                       "(is it a zip bomb?); nothing was unpacked", display, "split the workbook")


def _open(path: str, display: str, data_only: bool) -> Workbook:
    _check_file(path, display)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; they hold no facts
            return load_workbook(path, data_only=data_only)
    except FileNotFoundError:
        raise FactsError([Problem("no such file", (), display, hint="check the path", code="facts.file")]) from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, AttributeError, IndexError,
            SyntaxError, EOFError, OSError, zlib.error) as exc:  # SyntaxError: malformed XML (ParseError)
        raise FactsError([Problem(f"this is not a readable .xlsx workbook ({type(exc).__name__}: {exc})", (),
                                  display, hint="open it in Excel or WPS and save it as .xlsx (Excel 工作簿)",
                                  code="facts.file")]) from None


def read_workbook(path: str | os.PathLike[str], spec: Spec | SpecSource, display: str | None = None) -> Document:
    """Read a filled workbook as a facts document; raise :class:`FactsError` with every problem, each at its cell.

    ``spec`` is the spec the workbook was made for, or a function that gives it from
    the spec the workbook's guide names (None when it names none).
    """
    file = os.fspath(path)
    book = display or file
    if not file.lower().endswith(WORKBOOK_SUFFIXES):
        raise FactsError([Problem("only .xlsx workbooks can be read", (), book,
                                  hint="open it in Excel or WPS and save it as .xlsx (Excel 工作簿)", code="facts.file")])
    wb = _open(file, book, data_only=False)
    cache: list[Workbook] = []

    def cached() -> Workbook:
        if not cache:
            cache.append(_open(file, book, data_only=True))
        return cache[0]

    reader = _Reader(book, wb, cached)
    data: dict[str, Any] = reader.guide()
    if callable(spec):
        spec = spec(data.get("spec"))
    present = reader.sheets(layout(spec))
    if not any(s.kind == "units" for s in present.values()):
        raise FactsError(reader.problems)  # the other sheets name units that are listed nowhere
    order = sorted(present.values(), key=lambda s: s.kind != "units")  # the units first: the others refer to them
    for sheet in order:
        ws = wb[sheet.title]
        if reader.too_large(ws):
            continue
        reader.layout_problems(ws)
        columns = reader.columns(ws, sheet)
        if columns is None:
            continue
        if sheet.kind == "units":
            reader.read_units(spec, ws, sheet, columns)
        elif sheet.kind == "records":
            reader.read_records(ws, sheet, columns)
        else:
            reader.read_facts(ws, sheet, columns)
        reader.missing_rows(sheet)
    if reader.problems:
        raise FactsError(reader.problems)
    data["units"] = [u.data for u in reader.units]
    return Document(data, book, {}, "", files=_Cells(book, present, reader.units))


__all__ = [
    "HINTS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "WORKBOOK_SUFFIXES",
    "CellError",
    "SpecSource",
    "date_of",
    "fact_value",
    "number_of",
    "read_workbook",
]

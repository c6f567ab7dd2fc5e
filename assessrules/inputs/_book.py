"""Open a workbook of any format an office has (.xlsx, .xlsm, .xls, .ods) and give each sheet's cells.

The cells come from python-calamine (a Rust reader of all four formats; it never runs a macro). What
calamine does not tell, and the workbook reader needs, is taken from the file itself where the format
allows a light read:

- .xlsx/.xlsm: the sheet's XML is scanned (a byte search first, a regular expression only when the
  search finds something) for hidden rows and columns, error cells (``t="e"``, which calamine reads as
  empty), formulas with no saved value (likewise empty) and the sheet's extent (so that a sheet that
  reaches row 1,048,576 is refused before calamine fills a grid that large);
- .ods: ``content.xml`` is walked (only when it holds a merge or a hidden row or column, again found by
  a byte search) for merged ranges and hidden rows and columns, which calamine does not give;
- .xls: calamine gives the merged ranges; hidden rows and columns and error cells cannot be told (a
  documented limitation: an error cell reads as empty, so a required one is reported as empty).

A number typed into a date-formatted cell needs no number format: calamine gives the number back when
it is no date (20210305 is day 20,210,305), and the reader tells a yyyymmdd number by its digits.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import attrs
import python_calamine as calamine

from ..rules.limits import MAX_DOCUMENT_BYTES

MAX_UNPACKED_BYTES = 256_000_000
"""The most a zipped workbook may unpack to (the sum of its parts' sizes): a zip bomb is refused before it is opened."""
MAX_ROWS = 200_000
"""The most rows a sheet may reach (a province's year of monthly rows is about 25,000)."""
MAX_COLUMNS = 256
"""The most columns a sheet may reach (the widest sheet of the bundled spec has 20)."""
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"


class BookError(Exception):
    """The file cannot be read as a workbook: ``code`` and ``values`` say why (a catalogue entry)."""

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


def column_letter(number: int) -> str:
    """The letters of the 1-based column ``number``: 1 → A, 28 → AB."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """The 1-based number of the column ``letters``: A → 1, AB → 28."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


@attrs.define
class Grid:
    """One sheet as read: its rows (row 1 first, None for an empty cell) and what calamine does not tell."""

    title: str
    hidden: bool = False
    rows: list[list[Any]] = attrs.field(factory=list)
    merged: list[tuple[int, int, int, int]] = attrs.field(factory=list)  # first row and column, last row and column
    hidden_rows: list[int] = attrs.field(factory=list)
    hidden_columns: list[int] = attrs.field(factory=list)
    errors: dict[tuple[int, int], str] = attrs.field(factory=dict)  # (row, column), 1-based -> "#DIV/0!"
    unsaved: set[tuple[int, int]] = attrs.field(factory=set)  # formulas with no saved value
    height: int = 0  # the last row reached
    width: int = 0  # the last column reached


@attrs.define
class _SheetXml:
    """What the light read of one sheet's XML found."""

    hidden_rows: list[int] = attrs.field(factory=list)
    hidden_columns: list[int] = attrs.field(factory=list)
    errors: dict[tuple[int, int], str] = attrs.field(factory=dict)
    unsaved: set[tuple[int, int]] = attrs.field(factory=set)
    merged: list[tuple[int, int, int, int]] = attrs.field(factory=list)
    height: int = 0
    width: int = 0


def check_file(path: str) -> str:
    """Refuse anything but a regular file of bounded size that unpacks to a bounded size; give its format."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise BookError("xlsx.no_file") from None
    except OSError as exc:
        raise BookError("xlsx.unreadable", reason=exc.strerror or type(exc).__name__) from None
    if not stat.S_ISREG(info.st_mode):
        raise BookError("xlsx.not_regular")
    if info.st_size > MAX_DOCUMENT_BYTES:
        raise BookError("xlsx.file_too_large", size=f"{info.st_size:,}", limit=f"{MAX_DOCUMENT_BYTES:,}")
    try:
        with open(path, "rb") as file:
            magic = file.read(8)
    except OSError as exc:
        raise BookError("xlsx.unreadable", reason=exc.strerror or type(exc).__name__) from None
    if magic == _OLE:
        return "xls"
    if not magic.startswith(b"PK"):
        raise BookError("xlsx.not_workbook")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            unpacked = sum(part.file_size for part in parts)
            names = {part.filename for part in parts}
            if unpacked > MAX_UNPACKED_BYTES:
                raise BookError("xlsx.zip_bomb", size=f"{unpacked:,}", limit=f"{MAX_UNPACKED_BYTES:,}")
            if "mimetype" in names and archive.read("mimetype").strip() == _ODS:
                return "ods"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as exc:
        raise BookError("xlsx.unreadable", reason=f"{type(exc).__name__}: {exc}") from None
    if "xl/workbook.xml" not in names:
        raise BookError("xlsx.not_workbook")
    return "xlsx"


# -- .xlsx: a light read of each sheet's XML ----------------------------------------------------------------------

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_ATTR = re.compile(rb"([\w:]+)\s*=\s*\"([^\"]*)\"")
_ROW_TAG = re.compile(rb"<row\b([^>]*)>")
_COL_TAG = re.compile(rb"<col\b([^>]*)/?>")
# a cell reference beyond column IV (256) or beyond row 99,999: a literal start, so the search is fast
_FAR_OR_WIDE = re.compile(rb"r=\"(?:[A-Z]{1,3}\d{6,}\"|[A-Z]{3}\d|[J-Z][A-Z]\d|I[W-Z]\d)")
_ERROR_CELL = re.compile(rb"<c\b([^>]*\bt=\"e\"[^>]*)>\s*<v>([^<]*)</v>")
_FORMULA = re.compile(rb"<f[ >/]")
_VALUE = re.compile(rb"<v>\s*[^<\s]")
_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _attrs(text: bytes) -> dict[str, str]:
    return {k.decode().split(":")[-1] if not k.startswith(b"r:") else k.decode(): v.decode("utf-8", "replace")
            for k, v in _ATTR.findall(text)}


def _cell_at(attributes: bytes) -> tuple[int, int] | None:
    ref = _attrs(attributes).get("r")
    m = _REF.fullmatch(ref or "")
    return (int(m[2]), column_number(m[1])) if m else None


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'") \
        .replace("&amp;", "&")


def _xlsx_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the part that holds it."""
    book = archive.read("xl/workbook.xml")
    try:
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for m in _REL_TAG.finditer(rels):
        a = _attrs(m[1])
        target = a.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[a.get("Id", "")] = os.path.normpath(target).replace(os.sep, "/")
    out = {}
    for m in _SHEET_TAG.finditer(book):
        a = _attrs(m[1])
        if "name" in a and a.get("r:id") in targets:
            out[_unescape(a["name"])] = targets[a["r:id"]]
    return out


def _scan_xlsx_sheet(data: bytes) -> _SheetXml:
    out = _SheetXml()
    last = data.rfind(b"<row ")
    if last >= 0:
        m = _ROW_TAG.match(data, last)
        if m and (r := _attrs(m[1]).get("r", "")).isdigit():
            out.height = int(r)
    if b"hidden=" in data:
        for m in _ROW_TAG.finditer(data):
            a = _attrs(m[1])
            if a.get("hidden") in ("1", "true") and a.get("r", "").isdigit():
                out.hidden_rows.append(int(a["r"]))
            if a.get("r", "").isdigit():
                out.height = max(out.height, int(a["r"]))
        for m in _COL_TAG.finditer(data):
            a = _attrs(m[1])
            if a.get("hidden") in ("1", "true") and a.get("min", "").isdigit() and a.get("max", "").isdigit():
                out.hidden_columns.extend(range(int(a["min"]), min(int(a["max"]), int(a["min"]) + MAX_COLUMNS) + 1))
    for m in _FAR_OR_WIDE.finditer(data):
        ref = _REF.match(data[m.start() + 3:data.find(b'"', m.start() + 3)].decode("ascii", "replace"))
        if ref and (m.start() == 0 or not data[m.start() - 1:m.start()].isalnum()):  # r="…", not sqref="…"
            out.height = max(out.height, int(ref[2]))
            out.width = max(out.width, column_number(ref[1]))
    if b't="e"' in data:
        for m in _ERROR_CELL.finditer(data):
            at = _cell_at(m[1])
            if at is not None:
                out.errors[at] = _unescape(m[2].decode("utf-8", "replace"))
    if _FORMULA.search(data):  # <f>, not the <formula1> of a data validation
        for m in _FORMULA.finditer(data):
            start = data.rfind(b"<c ", 0, m.start())
            open_end = data.find(b">", start)
            end = data.find(b"</c>", m.start())
            if start < 0 or end < 0:
                continue
            at = _cell_at(data[start + 2:open_end])
            if at is not None and not _VALUE.search(data, m.start(), end):
                out.unsaved.add(at)
    return out


# -- .ods: merges and hidden rows and columns from content.xml ----------------------------------------------------

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T = "{" + _TABLE_NS + "}"


def _repeat(element: ElementTree.Element, what: str) -> int:
    try:
        return max(1, int(element.get(f"{_T}number-{what}-repeated", "1")))
    except ValueError:
        return 1


_ROWS_REPEATED = re.compile(rb"number-rows-repeated=\"(\d{6,})\"")  # a literal start: the search is fast
_CELLS_REPEATED = re.compile(rb"number-columns-repeated=\"(\d{3,})\"")


def _check_repeats(data: bytes) -> None:
    """Refuse an .ods that repeats a filled row or cell past the limits (calamine would build every copy).

    LibreOffice repeats empty rows and cells to the sheet's end (``number-columns-repeated="16382"``):
    only a repeat whose row or cell holds a value counts.
    """
    for m in _ROWS_REPEATED.finditer(data):
        start = data.rfind(b"<", 0, m.start())
        end = data.find(b"</table:table-row>", m.end())
        if int(m[1]) > MAX_ROWS and data.startswith(b"<table:table-row", start) \
                and b"office:value-type" in data[m.end():end if end >= 0 else len(data)]:
            raise BookError("xlsx.repeated", count=f"{int(m[1]):,}", limit=f"{MAX_ROWS:,}")
    for m in _CELLS_REPEATED.finditer(data):
        if int(m[1]) > MAX_COLUMNS:
            start = data.rfind(b"<", 0, m.start())
            if b"office:value-type" in data[start:data.find(b">", m.end()) + 1]:
                raise BookError("xlsx.repeated", count=f"{int(m[1]):,}", limit=f"{MAX_COLUMNS:,}")


def _scan_ods(data: bytes) -> dict[str, _SheetXml]:
    """Each table's merged ranges and hidden rows and columns, walking content.xml once."""
    out: dict[str, _SheetXml] = {}
    if b"spanned" not in data and b"visibility=" not in data:
        return out
    table: _SheetXml | None = None
    row = column = 0
    depth_in_cell = 0
    for event, element in ElementTree.iterparse(_Bytes(data), events=("start", "end")):
        tag = element.tag
        if event == "start":
            if depth_in_cell:
                depth_in_cell += 1
                continue
            if tag == f"{_T}table":
                table = out.setdefault(element.get(f"{_T}name", ""), _SheetXml())
                row, column = 0, 0
            elif table is None:
                continue
            elif tag == f"{_T}table-column":
                count = _repeat(element, "columns")
                if element.get(f"{_T}visibility", "visible") != "visible" and column < MAX_COLUMNS:
                    table.hidden_columns.extend(range(column + 1, min(column + count, MAX_COLUMNS) + 1))
                column += count
            elif tag == f"{_T}table-row":
                column = 0
                if element.get(f"{_T}visibility", "visible") != "visible" and row < MAX_ROWS:
                    table.hidden_rows.extend(range(row + 1, min(row + _repeat(element, "rows"), MAX_ROWS) + 1))
            elif tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
                rows = int(element.get(f"{_T}number-rows-spanned", "1") or 1)
                columns = int(element.get(f"{_T}number-columns-spanned", "1") or 1)
                if (rows > 1 or columns > 1) and row < MAX_ROWS:
                    table.merged.append((row + 1, column + 1, row + rows, column + columns))
                column += _repeat(element, "columns")
                depth_in_cell = 1
        else:
            if depth_in_cell:
                depth_in_cell -= 1
                if depth_in_cell == 0:
                    element.clear()
                continue
            if tag == f"{_T}table-row" and table is not None:
                row += _repeat(element, "rows")
                element.clear()
            elif tag == f"{_T}table":
                table = None
    return out


class _Bytes:
    """A file-like view of bytes, for iterparse."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at:end], min(end, len(self.data))
        return chunk


# -- the book -------------------------------------------------------------------------------------------------------

class Book:
    """An open workbook: its sheet names in order, and each sheet's :class:`Grid` when asked for."""

    def __init__(self, path: str) -> None:
        self.format = check_file(path)
        self.path = path
        self._xml: dict[str, _SheetXml] = {}
        self._parts: dict[str, str] = {}
        try:
            if self.format == "ods":
                with zipfile.ZipFile(path) as archive:
                    content = archive.read("content.xml")
                _check_repeats(content)
                self._xml = _scan_ods(content)
            self.wb = calamine.CalamineWorkbook.from_path(path)
            if self.format == "xlsx":
                with zipfile.ZipFile(path) as archive:
                    self._parts = _xlsx_parts(archive)
                    for name, part in self._parts.items():
                        if part in archive.namelist():
                            self._xml[name] = _scan_xlsx_sheet(archive.read(part))
        except BookError:
            raise
        except (calamine.CalamineError, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError,
                ElementTree.ParseError) as exc:
            raise BookError("xlsx.unreadable", reason=f"{type(exc).__name__}: {exc}") from None
        except BaseException as exc:  # a panic of the Rust reader comes as pyo3's PanicException
            if type(exc).__name__ != "PanicException":
                raise
            raise BookError("xlsx.unreadable", reason=str(exc)) from None
        self.names: list[str] = list(self.wb.sheet_names)
        self.hidden = {m.name for m in self.wb.sheets_metadata if m.visible != calamine.SheetVisibleEnum.Visible}

    def extent(self, title: str) -> tuple[int, int]:
        """How far the sheet reaches (rows, columns), as far as told before it is read (0 when not known)."""
        xml = self._xml.get(title)
        return (xml.height, xml.width) if xml is not None and self.format == "xlsx" else (0, 0)

    def grid(self, title: str, header_only: bool = False) -> Grid:
        """The sheet ``title``'s cells; raise :class:`BookError` if calamine cannot read them."""
        try:
            sheet = self.wb.get_sheet_by_name(title)
            rows = sheet.to_python(skip_empty_area=False, nrows=1 if header_only else None)
            merged = sheet.merged_cell_ranges
        except (calamine.CalamineError, ValueError, OSError) as exc:
            raise BookError("xlsx.unreadable", reason=f"{type(exc).__name__}: {exc}") from None
        except BaseException as exc:
            if type(exc).__name__ != "PanicException":
                raise
            raise BookError("xlsx.unreadable", reason=str(exc)) from None
        xml = self._xml.get(title, _SheetXml())
        grid = Grid(title, title in self.hidden, rows, xml.merged, xml.hidden_rows, xml.hidden_columns, xml.errors,
                    xml.unsaved, len(rows), max((len(r) for r in rows[:1]), default=0))
        if merged:
            grid.merged = [(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in merged]
        return grid

    def close(self) -> None:
        """Let the file go."""
        self.wb.close()


def iter_cells(grid: Grid) -> Iterator[tuple[int, int, Any]]:
    """Every non-empty cell of ``grid`` as (row, column, value), 1-based."""
    for r, row in enumerate(grid.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":
                yield r, c, value


__all__ = ["MAX_COLUMNS", "MAX_ROWS", "MAX_UNPACKED_BYTES", "SUFFIXES", "Book", "BookError", "Grid", "check_file",
           "column_letter", "column_number", "iter_cells"]

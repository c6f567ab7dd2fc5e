"""Read a filled data-entry workbook (考核数据.xlsx, .xlsm, .xls or .ods) into the unit mappings a YAML facts file gives.

The workbook's sheets are those of :func:`~assessrules.inputs._layout.layout`. The cells are read by
python-calamine (see :mod:`assessrules.inputs._book`, which also says what is taken from the file
itself where calamine cannot tell it). :func:`read_workbook` reads every cell, accepts what people type
(是/否, √/×, TRUE/FALSE, 95%, date cells, ``2021/3/2`` or ``2021年3月2日`` as text, numbers stored as
text, a unit by its name or its id), and reports every problem at once, each at its cell, with a code
of its own (``xlsx.not_number``, ``xlsx.unknown_unit`` …) and the unit, fact and period it concerns::

    考核数据.xlsx!月度考核!I28: 单位 niutoudian：2021-03 公共服务事项上网办理比例（online_service_ratio）应填数字，单元格中是“高”

Numbers become :class:`~decimal.Decimal` from the shortest text that reads back as the cell's float
(``0.1`` → ``Decimal('0.1')``), never through float arithmetic; a whole number becomes an int. The
result is a :class:`~assessrules.rules.document.Document` whose ``files`` name the cell of every value,
so the problems the spec's checks find later are placed in the workbook too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .. import periods as periods_
from ..engine.checking import FORMULA_STARTS, shown_name
from ..errors import FactsError, Path, Problem
from ..messages import CATALOGUE, fill, problem
from ..rules.document import Document
from ..rules.facts import Fact, FactValueError
from ..rules.limits import CONTROL, MAX_COUNT, MAX_MAGNITUDE, MAX_PLACES, bad_character, echo
from ._book import MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES, SUFFIXES, Book, BookError, Grid, column_letter
from ._layout import GUIDE, GUIDE_AS_OF, GUIDE_DESCRIPTION, GUIDE_SPEC, UNITS, Column, Sheet, layout

if TYPE_CHECKING:
    from ..engine.spec import Spec

SpecSource = Callable[[str | None], "Spec"]
"""Gives the spec to read a workbook with, from the spec the workbook names (its guide's 规则), if any."""

WORKBOOK_SUFFIXES = SUFFIXES
"""The workbooks read: .xlsx, .xlsm (its macros never run), .xls (Excel 97–2003, WPS) and .ods (LibreOffice)."""
_TRUE = frozenset({"是", "√", "✓", "✔", "true", "对", "yes", "y"})
_FALSE = frozenset({"否", "×", "✗", "✘", "x", "false", "错", "no", "n"})
_BIG_DATE = re.compile(r"^\d{5,}-\d{1,2}-\d{1,2}")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_QUARTER_TEXT = re.compile(r"^(\d{4})\s*(?:年\s*第?\s*([1-4一二三四])\s*季度?|[Qq]([1-4]))$")
_NUMBER_TEXT = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")
_DATE_CODES = {"date": "xlsx.not_date"}


class CellError(ValueError):
    """A cell's value cannot be read as its column's kind: ``code`` (a catalogue entry) and ``values`` say why.

    ``str()`` gives the English sentence and :attr:`hint` the English hint; the reader puts the code in
    a located problem, in either language.
    """

    def __init__(self, code: str, **values: Any) -> None:
        self.code = code
        self.values = values
        entry = CATALOGUE[code]
        assert entry.text_en is not None
        super().__init__(fill(entry.text_en, "en", {"item": "the value", **values}))

    @property
    def hint(self) -> str | None:
        """How to put it right, in English."""
        entry = CATALOGUE[self.code]
        return fill(entry.hint_en, "en", {"item": "the value", **self.values}) if entry.hint_en else None


def shown(value: Any) -> str:
    """What a cell shows, as a message quotes it: the text itself, TRUE/FALSE, 2.5, 2021-03-02, 09:30."""
    if isinstance(value, str):
        return CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", echo(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}" if value.time() != dt.time(0) else f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return str(value)


_UNSEEN = re.compile(f"[\t\n\r]|{CONTROL.pattern}")


def _visible(text: str) -> str:
    """``text`` with control, direction-override and line-break characters written as ``\\uXXXX``, for a name."""
    return _UNSEEN.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def number_of(value: Any) -> Decimal | int:
    """A number cell (or a number typed as text) as an exact int or Decimal; raise :class:`CellError` otherwise.

    >>> number_of(12.0), number_of(0.1), number_of(" 7 ")
    (12, Decimal('0.1'), Decimal('7'))
    """
    if isinstance(value, bool):
        raise CellError("xlsx.not_number", got=shown(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("xlsx.not_finite", got=shown(value))
        if value.is_integer() and abs(value) < 2**53:
            return int(value)  # a whole number, as a cell holding 12 is read: 12, not 12.0
        return Decimal(repr(value))  # the shortest text that reads back as the stored float: 0.1, not 0.1000…0555
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if _THOUSANDS.fullmatch(text):
            raise CellError("xlsx.thousands", got=shown(value))
        if _NUMBER_TEXT.fullmatch(text):
            return Decimal(text)
        raise CellError("xlsx.not_number", got=shown(value))
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError("xlsx.date_in_number", got=shown(value))
    raise CellError("xlsx.not_number", got=shown(value))


def parse_date_text(text: str) -> dt.date:
    """A date as people type it into a cell (:func:`assessrules.periods.written_date`).

    >>> parse_date_text("2021年12月31日"), parse_date_text("２０２１/１２/３１")
    (datetime.date(2021, 12, 31), datetime.date(2021, 12, 31))
    """
    return periods_.written_date(text)


def _digits_date(value: float | int) -> dt.date | None:
    """The date a number such as 20210305 spells, if it spells one between 1900 and 2099."""
    if isinstance(value, float) and not value.is_integer():
        return None
    number = int(value)
    if not 19000101 <= number <= 20991231:
        return None
    try:
        return dt.date(number // 10000, number // 100 % 100, number % 100)
    except ValueError:
        return None


def date_of(value: Any) -> dt.date:
    """A date cell, or a date typed as text (2021-03-02, 2021/3/2, 2021年3月2日); raise :class:`CellError` otherwise."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError("xlsx.date_with_time", got=shown(value))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if _BIG_DATE.match(text):  # what LibreOffice keeps of 20210305 typed into a date cell: 32767-12-31
            raise CellError("xlsx.date_overflow", got=shown(value))
        if periods_.WRITTEN_DATE.match(text):
            try:
                return parse_date_text(text)
            except ValueError:
                raise CellError("xlsx.no_such_date", got=shown(value)) from None
        if text.isdigit() and (day := _digits_date(int(text))) is not None:
            raise CellError("xlsx.date_digits", got=text, date=day.isoformat())
        raise CellError("xlsx.not_date", got=shown(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if (day := _digits_date(value)) is not None:
            raise CellError("xlsx.date_digits", got=shown(value), date=day.isoformat())
        raise CellError("xlsx.date_as_number", got=shown(value))
    raise CellError("xlsx.not_date", got=shown(value))


def _bounded(number: Decimal | int, fact: Fact, got: str, low: Decimal | int | None = None,
             high: Decimal | int | None = None) -> None:
    lo = fact.minimum if fact.minimum is not None else low
    hi = fact.maximum if fact.maximum is not None else high
    if lo is not None and number < lo:
        raise CellError("xlsx.below_min", got=got, least=str(lo))
    if hi is not None and number > hi:
        if fact.type == "ratio" and hi == 1 and 1 < number <= 100:
            raise CellError("xlsx.percent_as_number", got=got, share=str(Decimal(number) / 100))
        raise CellError("xlsx.above_max", got=got, greatest=str(hi))


def _exact(number: Decimal | int, got: str) -> Decimal | int:
    """``number``, unless a facts file could not hold it either (too large, too small, too many places)."""
    if isinstance(number, int):
        if abs(number) > MAX_MAGNITUDE:
            raise CellError("xlsx.too_large_number", got=got, limit=f"{MAX_MAGNITUDE:,.0f}")
        return number
    if not number.is_finite():
        raise CellError("xlsx.not_finite", got=got)
    if abs(number) > MAX_MAGNITUDE:
        raise CellError("xlsx.too_large_number", got=got, limit=f"{MAX_MAGNITUDE:,.0f}")
    if number and number.adjusted() < -MAX_PLACES:
        raise CellError("xlsx.too_small_number", got=got, places=MAX_PLACES)
    exponent = number.normalize().as_tuple().exponent
    if number and isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise CellError("xlsx.too_many_places", got=got, places=MAX_PLACES)
    return number


def _bool_of(value: Any, fact: Fact) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = unicodedata.normalize("NFKC", value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise CellError("xlsx.not_bool", got=shown(value))


def _count_of(value: Any, fact: Fact) -> int:
    got = shown(value)
    try:
        number = _exact(number_of(value), got)
    except CellError as exc:
        if exc.code == "xlsx.not_number":
            raise CellError("xlsx.not_whole", got=got) from None
        raise
    if number != int(number):
        raise CellError("xlsx.not_whole", got=got)
    if number > MAX_COUNT:
        raise CellError("xlsx.above_max", got=got, greatest=f"{MAX_COUNT}")
    _bounded(number, fact, got, low=0)
    return int(number)


def _number_of(value: Any, fact: Fact) -> Decimal:
    got = shown(value)
    number = _exact(number_of(value), got)
    _bounded(number, fact, got)
    return Decimal(number)


def _ratio_of(value: Any, fact: Fact) -> Decimal:
    got = shown(value)
    if isinstance(value, str) and (text := unicodedata.normalize("NFKC", value).strip()).endswith("%"):
        number: Decimal | int = _exact(number_of(text[:-1]), got) / Decimal(100)
    else:
        number = _exact(number_of(value), got)
    _bounded(number, fact, got, Decimal(0), Decimal(1))
    return Decimal(number)


def _enum_of(value: Any, fact: Fact) -> str:
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        text = str(number_of(value))
    else:
        raise CellError("xlsx.not_choice", got=shown(value), choices=list(fact.values or ()))
    if text not in (fact.values or ()):
        raise CellError("xlsx.not_choice", got=shown(text), choices=list(fact.values or ()))
    return text


def _date_of(value: Any, fact: Fact) -> dt.date:
    return date_of(value)


def _text_of(value: Any, fact: Fact) -> str:
    if isinstance(value, str):
        if (bad := bad_character(value)) is not None:
            raise CellError("xlsx.control_character", char=bad)
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(_exact(number_of(value), shown(value)))
    if isinstance(value, dt.datetime | dt.date):
        return date_of(value).isoformat()
    raise CellError("xlsx.not_text", got=shown(value))


_READERS: dict[str, Callable[[Any, Fact], Any]] = {
    "bool": _bool_of,
    "count": _count_of,
    "number": _number_of,
    "ratio": _ratio_of,
    "enum": _enum_of,
    "date": _date_of,
    "text": _text_of,
}


def item_of(fact: Fact, key: str | None = None) -> str:
    """A fact as a message names it: its label, then its name: ``迟报（late）``."""
    return f"{fact.label}（{key or fact.name}）"


def fact_value(fact: Fact, value: Any) -> Any:
    """The value of ``fact`` in a cell, normalised as scoring uses it; raise :class:`CellError` if it will not do."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellError("xlsx.empty_cell", item=item_of(fact))
    reader = _READERS.get(fact.type)
    if reader is None:
        raise CellError("xlsx.not_in_cell", item=item_of(fact))
    try:
        return fact.normalize(reader(value, fact))
    except CellError as exc:
        raise CellError(exc.code, **{"item": item_of(fact), **exc.values}) from None
    except FactValueError:  # what the readers above let through, the declaration refuses: say it as they would
        raise CellError(_DATE_CODES.get(fact.type, "xlsx.not_number"), got=shown(value), item=item_of(fact)) from None


def _fast(fact: Fact) -> Callable[[Any], Any]:
    """A reader of one column's cells: the common cases at once, the rest through :func:`fact_value`."""
    kind = fact.type
    lo = fact.minimum
    hi = fact.maximum
    if kind == "count":
        low = float(lo) if lo is not None else 0.0
        high = float(min(Decimal(hi), Decimal(MAX_COUNT))) if hi is not None else float(MAX_COUNT)

        def count(value: Any) -> Any:
            if ((value.__class__ is float and value.is_integer()) or value.__class__ is int) and low <= value <= high:
                return int(value)
            return fact_value(fact, value)
        return count
    if kind in ("ratio", "number"):
        low = float(lo) if lo is not None else (0.0 if kind == "ratio" else -1e12)
        high = float(hi) if hi is not None else (1.0 if kind == "ratio" else 1e12)

        def number(value: Any) -> Any:
            if value.__class__ is float and low <= value <= high:
                if value.is_integer():
                    return Decimal(int(value))
                text = repr(value)
                dot = text.find(".")
                if "e" not in text and dot >= 0 and len(text) - dot <= MAX_PLACES + 1:
                    return Decimal(text)
            return fact_value(fact, value)
        return number
    if kind == "bool":
        def yes_no(value: Any) -> Any:
            if value == "是":
                return True
            if value == "否":
                return False
            return fact_value(fact, value)
        return yes_no
    return lambda value: fact_value(fact, value)


_MISS = object()
_EMPTY = object()


def _filled(value: Any) -> bool:
    """Whether a cell holds something: not "" (calamine's empty cell), None or only spaces."""
    return value is not None and value != "" and (value.__class__ is not str or bool(value.strip()))


def _key(text: str) -> str:
    """``text`` as two spellings of one id compare: full-width folded to half-width, case ignored."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


@attrs.define
class _Unit:
    """Where one unit's values sit in the workbook."""

    index: int
    data: dict[str, Any]
    row: int  # in the units sheet
    annual: int | None = None
    periods: dict[str, int] = attrs.field(factory=dict)  # period label -> row
    records: dict[str, list[int]] = attrs.field(factory=dict)  # records fact -> rows

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def name(self) -> str | None:
        name = self.data.get("name")
        return name.strip() if isinstance(name, str) else None


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
        return f"{self.book}!{sheet.title}!{column_letter(column)}{row}"

    def find(self, path: Path) -> str | None:
        """The cell (or row, or sheet) of the value at ``path``, if the path is one this workbook holds."""
        if len(path) < 2 or path[0] != "units" or not isinstance(path[1], int) or path[1] >= len(self.units):
            return None
        unit, rest = self.units[path[1]], path[2:]
        if not rest or rest[0] in ("id", "name", "type", "target", "parent"):
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


@attrs.define
class _Pending:
    """A problem said once for many rows (an unknown unit, a name that does not match): where it is and how often."""

    index: int
    code: str
    where: str
    count: int
    values: dict[str, Any]


class _Reader:
    """Reads one workbook against one spec, collecting every problem."""

    def __init__(self, book: str, wb: Book) -> None:
        self.book = book
        self.wb = wb
        self.problems: list[Problem] = []
        self.units: list[_Unit] = []
        self.by_id: dict[str, _Unit] = {}
        self.by_name: dict[str, _Unit | None] = {}  # None: two units have this name
        self.pending: dict[tuple[str, ...], _Pending] = {}
        self.periods: dict[tuple[str, str], str] = {}  # (sheet kind, cell text) -> period label, once worked out

    def problem(self, where: str, code: str, **values: Any) -> None:
        self.problems.append(self.made(where, code, **values))

    def made(self, where: str, code: str, **values: Any) -> Problem:
        """The problem ``code`` at the cell ``where``; a unit it names is named as 单位“城关镇”（chengguan）."""
        where = _visible(where)
        values = {k: _visible(v) if k in ("sheet", "header") and isinstance(v, str) else v for k, v in values.items()}
        known = self.by_id.get(str(values.get("unit")))
        name = known.data.get("name") if known is not None else None
        if shown_name(name) and "unit_name" not in values:  # as the facts' own checks name it
            values["unit_name"] = name
        return problem(code, file=f"{self.book}!{where}", cell=where, sheet=where.split("!", 1)[0], **values)

    def once(self, key: tuple[str, ...], where: str, code: str, **values: Any) -> None:
        """A problem said once for every row it concerns: the first row's cell, and how many rows."""
        found = self.pending.get(key)
        if found is not None:
            found.count += 1
            return
        self.pending[key] = _Pending(len(self.problems), code, where, 1, values)
        self.problem(where, code, count=1, **values)

    def settle(self) -> None:
        """Put the final row counts in the problems said once."""
        for p in self.pending.values():
            self.problems[p.index] = self.made(p.where, p.code, count=p.count, **p.values)

    # -- the guide sheet ---------------------------------------------------------------------------------------
    def guide(self) -> dict[str, Any]:
        """The spec, assessment date and description the guide sheet states."""
        out: dict[str, Any] = {}
        if GUIDE not in self.wb.names:
            return out
        try:
            grid = self.wb.grid(GUIDE)
        except BookError:
            return out
        for r, row in enumerate(grid.rows[:60], start=1):
            label = row[0] if row else None
            value = row[1] if len(row) > 1 else None
            if value is None or value == "" or not isinstance(label, str):
                continue
            if label.strip() == GUIDE_SPEC:
                out["spec"] = shown(value).strip() if not isinstance(value, str) else value.strip()
            elif label.strip() == GUIDE_DESCRIPTION:
                out["description"] = str(value)
            elif label.strip() == GUIDE_AS_OF:
                try:
                    out["as_of"] = date_of(value)
                except CellError as exc:
                    self.problem(f"{GUIDE}!B{r}", exc.code, fact="as_of", item="考核日期（as_of）", **exc.values)
        return out

    # -- sheets and columns ------------------------------------------------------------------------------------
    def sheets(self, expected: tuple[Sheet, ...]) -> dict[str, Sheet]:
        """The expected sheets that are present; a problem for each missing or unknown one."""
        titles = {s.title: s for s in expected}
        for title in self.wb.names:
            if title != GUIDE and title not in titles:
                close = difflib.get_close_matches(title, list(titles), n=1, cutoff=0.5)
                if close:
                    self.problem(title, "xlsx.misnamed_sheet", suggestion=close[0])
                else:
                    self.problem(title, "xlsx.unknown_sheet", sheets=[GUIDE, *titles])
        for title in titles:
            if title not in self.wb.names:
                self.problem(title, "xlsx.missing_sheet")
        return {t: s for t, s in titles.items() if t in self.wb.names}

    def columns(self, grid: Grid, sheet: Sheet) -> dict[int, Column] | None:
        """Each header's column (0-based) in the sheet; None when the header row is unusable."""
        wanted: dict[str, Column] = {}
        for column in sheet.columns:
            wanted[column.header] = column
            wanted.setdefault(column.key, column)
            if column.fact is not None:
                wanted.setdefault(column.fact.label, column)
        found: dict[int, Column] = {}
        seen: dict[str, str] = {}
        header = grid.rows[0] if grid.rows else []
        for (r, c), error in sorted(grid.errors.items()):
            if r == 1:
                self.problem(f"{sheet.title}!{column_letter(c)}1", "xlsx.error_value", error=error)
        for r, c in sorted(grid.unsaved):
            if r == 1:
                self.problem(f"{sheet.title}!{column_letter(c)}1", "xlsx.formula_unsaved")
        for index, value in enumerate(header):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            text = shown(value).strip() if not isinstance(value, str) else value.strip()
            coordinate = f"{column_letter(index + 1)}1"
            where = f"{sheet.title}!{coordinate}"
            chosen = wanted.get(text)
            if chosen is None:
                close = difflib.get_close_matches(text, [c.header for c in sheet.columns], n=1, cutoff=0.5)
                if close:
                    self.problem(where, "xlsx.misnamed_column", header=shown(text), suggestion=close[0])
                else:
                    self.problem(where, "xlsx.unknown_column", header=shown(text),
                                 headers=[c.header for c in sheet.columns])
                continue
            if chosen.key in seen:
                self.problem(where, "xlsx.duplicate_column", header=chosen.header, other=seen[chosen.key])
                continue
            seen[chosen.key] = coordinate
            found[index] = chosen
        for column in sheet.columns:
            if column.key not in seen and not column.informative and not column.optional:
                self.problem(f"{sheet.title}!1:1", "xlsx.missing_column", header=column.header, key=column.key,
                             fact=column.key if column.fact is not None else None)
        if "id" not in seen:
            return None
        return found

    def too_large(self, title: str, rows: int, columns: int) -> bool:
        """Whether a sheet reaches beyond :data:`MAX_ROWS` or :data:`MAX_COLUMNS` (a problem, then)."""
        if rows > MAX_ROWS:
            self.problem(f"{title}!{rows}:{rows}", "xlsx.too_many_rows", row=f"{rows:,}", limit=f"{MAX_ROWS:,}")
        if columns > MAX_COLUMNS:
            letter = column_letter(columns)
            self.problem(f"{title}!{letter}:{letter}", "xlsx.too_many_columns", letter=letter, count=f"{columns:,}",
                         limit=MAX_COLUMNS)
        return rows > MAX_ROWS or columns > MAX_COLUMNS

    def layout_problems(self, grid: Grid) -> None:
        """A hidden sheet, merged cells, hidden rows and hidden columns: each one a problem."""
        title = grid.title
        if grid.hidden:
            self.problem(title, "xlsx.hidden_sheet")
        for r0, c0, r1, c1 in sorted(grid.merged):
            first = f"{column_letter(c0)}{r0}"
            span = f"{first}:{column_letter(c1)}{r1}"
            self.problem(f"{title}!{span}", "xlsx.merged", range=span, first=first)
        for number in sorted(set(grid.hidden_rows)):
            self.problem(f"{title}!{number}:{number}", "xlsx.hidden_row", row=number)
        for number in sorted(set(grid.hidden_columns)):
            letter = column_letter(number)
            self.problem(f"{title}!{letter}:{letter}", "xlsx.hidden_column", letter=letter)

    # -- cells ---------------------------------------------------------------------------------------------------
    def rows(self, grid: Grid) -> list[tuple[int, list[Any]]]:
        """The non-empty rows below the header (an empty cell is "" as calamine gives it, see :func:`_filled`);
        error cells and formulas with no saved value are said, and read as empty."""
        out: list[tuple[int, list[Any]]] = []
        flagged = {r for r, _ in grid.errors} | {r for r, _ in grid.unsaved}
        for r, row in enumerate(grid.rows[1:], start=2):
            if r in flagged:
                for c in range(1, len(row) + 1):
                    where = f"{grid.title}!{column_letter(c)}{r}"
                    if (r, c) in grid.errors:
                        self.problem(where, "xlsx.error_value", error=grid.errors[(r, c)])
                        row[c - 1] = ""
                    elif (r, c) in grid.unsaved:
                        self.problem(where, "xlsx.formula_unsaved")
                        row[c - 1] = ""
            elif row.count("") == len(row) or (not _filled(row[0]) and not any(_filled(v) for v in row)):
                continue
            out.append((r, row))
        return out

    def unit_of(self, sheet: Sheet, r: int, c: int, value: Any, *, name_at: int | None, row: list[Any]) -> _Unit | None:
        """The unit a row names by its id (or its name, in either column); one problem for all rows that misname it."""
        name = row[name_at] if name_at is not None and name_at < len(row) else ""
        unit = self.by_id.get(value) if value.__class__ is str else None
        if unit is not None and (name == "" or name == unit.data.get("name")):
            return unit  # the common case: the id as in the sheet 单位, and its name or none
        where = f"{sheet.title}!{column_letter(c + 1)}{r}"
        name = (name.strip() or None) if isinstance(name, str) else (shown(name) if name is not None else None)
        if not _filled(value):
            if name is None:
                self.problem(where, "xlsx.no_unit")
                return None
            value, where = name, f"{sheet.title}!{column_letter((name_at or 0) + 1)}{r}"
            name = None
        uid = shown(value).strip()
        unit = self.by_id.get(uid) or self.by_name.get(uid)
        if unit is None:
            unit = self.variant(uid, where)
            if unit is None:
                return None
        if name is not None and unit.name is not None and name not in (unit.name, unit.id) \
                and bad_character(unit.name) is None and not unit.name.startswith(FORMULA_STARTS):
            # (a name that is refused itself is reported by the facts' checks, not as a mismatch)
            self.once(("name", unit.id, name), f"{sheet.title}!{column_letter((name_at or 0) + 1)}{r}",
                      "xlsx.name_mismatch", unit=unit.id, name=unit.name, given=name)
        return unit

    def variant(self, typed: str, where: str) -> _Unit | None:
        """The unit ``typed`` nearly names (a case or width variant of its id, or a near-miss of its id or name).

        One problem is said for all the rows that type it so; the unit is returned, for the sake of the
        rows it has (no unit is reported as missing a row because of a typo), though nothing is scored.
        """
        key = _key(typed)
        unit = next((u for u in self.units if _key(u.id) == key or (u.name and _key(u.name) == key)), None)
        if unit is None:
            names = {u.id: u for u in self.units} | {u.name: u for u in self.units if u.name}
            close = difflib.get_close_matches(typed, list(names), n=1, cutoff=0.6)
            unit = names[close[0]] if close else None
        if unit is None:
            self.once(("unit", typed), where, "xlsx.unknown_unit", got=typed)
            return None
        suggestion = unit.id if unit.name is None else f"{unit.name}（{unit.id}）"
        if typed == unit.name or _key(typed) == _key(unit.id):
            suggestion = unit.id if _key(typed) == _key(unit.id) else suggestion
        self.once(("unit", typed), where, "xlsx.unit_variant", got=typed, suggestion=suggestion)
        return unit

    # -- the sheets ----------------------------------------------------------------------------------------------
    def read_units(self, spec: Spec, grid: Grid, sheet: Sheet, columns: dict[int, Column]) -> None:
        labels = {t.label: k for k, t in spec.unit_types.items()}
        types = list(labels)
        at = {col.key: c for c, col in columns.items()}
        for r, row in self.rows(grid):
            def get(key: str, row: list[Any] = row) -> Any:
                c = at.get(key)
                value = row[c] if c is not None and c < len(row) else None
                return value if _filled(value) else None

            def where(key: str, r: int = r) -> str:
                return f"{sheet.title}!{column_letter(at.get(key, 0) + 1)}{r}"

            uid = get("id")
            if uid is None:
                self.problem(where("id"), "xlsx.no_unit_id")
                continue
            if isinstance(uid, float):
                uid = int(uid) if uid.is_integer() else str(number_of(uid))
            if isinstance(uid, str):
                uid = uid.strip()
                if (bad := bad_character(uid)) is not None:
                    self.problem(where("id"), "xlsx.id_control_character", got=shown(uid), char=bad)
                    continue
                if uid.startswith(FORMULA_STARTS):
                    self.problem(where("id"), "xlsx.id_formula", got=shown(uid), start=uid[0])
                    continue
            elif not isinstance(uid, int) or isinstance(uid, bool):
                self.problem(where("id"), "xlsx.id_kind", got=shown(uid))
                continue
            if str(uid) in self.by_id:
                self.problem(where("id"), "xlsx.duplicate_unit", unit=str(uid), first_row=self.by_id[str(uid)].row)
                continue
            data: dict[str, Any] = {"id": uid}
            name = get("name")
            if name is not None:
                data["name"] = name if isinstance(name, str) else shown(name)
            named = {"unit_name": name} if shown_name(name) else {}  # 单位“曾家镇”（zengjia）, before it is listed
            utype = get("type")
            if isinstance(utype, str) and utype.strip() in labels:
                data["type"] = labels[utype.strip()]
            elif isinstance(utype, str) and utype.strip() in spec.unit_types:
                data["type"] = utype.strip()
            elif utype is None:
                self.problem(where("type"), "xlsx.no_type", unit=str(uid), types=types, **named)
            else:
                self.problem(where("type"), "xlsx.unknown_type", unit=str(uid), got=shown(utype), types=types, **named)
            target = get("target")
            if target is None:
                self.problem(where("target"), "xlsx.no_target", unit=str(uid), **named)
            else:
                try:
                    number = _exact(number_of(target), shown(target))
                    if number < 0:
                        raise CellError("xlsx.negative", got=shown(target))
                    data["target"] = number
                except CellError as exc:
                    self.problem(where("target"), exc.code, unit=str(uid), fact="target",
                                 **{**exc.values, **named, "item": "目标分值（target）"})
            parent = get("parent")
            if parent is not None:  # a sub-unit's parent, by its id: the batch is checked when it is scored
                if isinstance(parent, float):
                    parent = int(parent) if parent.is_integer() else str(number_of(parent))
                data["parent"] = parent.strip() if isinstance(parent, str) else parent
            data["facts"] = {}
            if spec.period_kinds:
                data["periods"] = {}
            unit = _Unit(len(self.units), data, r)
            self.units.append(unit)
            self.by_id[str(uid)] = unit
        for unit in self.units:
            if unit.name:
                self.by_name[unit.name] = None if unit.name in self.by_name else unit
        self.by_name = {k: v for k, v in self.by_name.items() if v is not None and k not in self.by_id}

    def read_facts(self, grid: Grid, sheet: Sheet, columns: dict[int, Column]) -> None:
        """An annual or period sheet: a row per unit (and period), a column per fact."""
        id_col = next(c for c, col in columns.items() if col.key == "id")
        name_col = next((c for c, col in columns.items() if col.key == "name"), None)
        period_col = next((c for c, col in columns.items() if col.key == "period"), None)
        facts: list[tuple[int, str, Callable[[Any], Any], dict[Any, Any], dict[Any, Any], str, bool]] = [
            (c, col.key, _fast(col.fact), {}, {"": _EMPTY}, item_of(col.fact, col.key), col.fact.required)
                 for c, col in columns.items() if col.fact is not None]
        for r, row in self.rows(grid):
            width = len(row)
            unit = self.unit_of(sheet, r, id_col, row[id_col] if id_col < width else None, name_at=name_col, row=row)
            if unit is None:
                continue
            label: str | None = None
            if sheet.kind == "annual":
                if unit.annual is not None:
                    self.problem(f"{sheet.title}!{r}:{r}", "xlsx.second_row", unit=unit.id, first_row=unit.annual)
                    continue
                unit.annual = r
                target = unit.data["facts"]
            else:
                label = self.period(sheet, r, period_col, row, unit)
                if label is None:
                    continue
                if label in unit.periods:
                    self.problem(f"{sheet.title}!{r}:{r}", "xlsx.second_period_row", unit=unit.id, period=label,
                                 first_row=unit.periods[label])
                    continue
                unit.periods[label] = r
                target = unit.data["periods"][label] = {}
            for c, key, read, floats, texts, item, required in facts:
                # A column's cells repeat (是/否, small counts): each distinct number or text is read once. The
                # two caches are apart because True == 1.0 and hash alike, and must not be read alike.
                value = row[c] if c < width else ""
                kind = value.__class__
                got = (floats.get(value, _MISS) if kind is float or kind is int
                       else texts.get(value, _MISS) if kind is str else _MISS)
                if got is _MISS:
                    try:
                        got = read(value)
                    except CellError as exc:
                        if exc.code != "xlsx.empty_cell" or required:
                            self.problem(f"{sheet.title}!{column_letter(c + 1)}{r}", exc.code, unit=unit.id,
                                         fact=key, period=label,
                                         **{**exc.values, "item": f"{label} {item}" if label else item})
                        continue
                    if kind is float or kind is int:  # (an .xls gives whole numbers as int; 1 and 1.0 read alike)
                        floats[value] = got
                    elif kind is str:
                        texts[value] = got
                elif got is _EMPTY:
                    if required:
                        self.problem(f"{sheet.title}!{column_letter(c + 1)}{r}", "xlsx.empty_cell", unit=unit.id,
                                     fact=key, period=label, item=f"{label} {item}" if label else item)
                    continue
                target[key] = got

    def period(self, sheet: Sheet, r: int, c: int | None, row: list[Any], unit: _Unit) -> str | None:
        value = row[c] if c is not None and c < len(row) else None
        label = self.periods.get((sheet.kind, value)) if value.__class__ is str else None
        if label is not None:
            return label
        label = self.period_of(sheet, r, c, value, unit)
        if label is not None and value.__class__ is str:
            self.periods[(sheet.kind, value)] = label
        return label

    def period_of(self, sheet: Sheet, r: int, c: int | None, value: Any, unit: _Unit) -> str | None:
        """The period label of ``value``, or None after a problem."""
        where = f"{sheet.title}!{column_letter((c or 0) + 1)}{r}"
        month = sheet.kind == "month"
        if not _filled(value):
            self.problem(where, "xlsx.no_month" if month else "xlsx.no_quarter", unit=unit.id)
            return None
        if isinstance(value, dt.datetime | dt.date) and month:
            return f"{value.year}-{value.month:02d}"
        text = unicodedata.normalize("NFKC", shown(value)).strip()
        if month and (m := _MONTH_TEXT.match(text)) and 1 <= int(m[2]) <= 12:
            return f"{m[1]}-{int(m[2]):02d}"
        if not month and (m := _QUARTER_TEXT.match(text)):
            number = m[2] or m[3]
            return f"{m[1]}Q{'一二三四'.index(number) + 1 if number in '一二三四' else number}"
        self.problem(where, "xlsx.not_month" if month else "xlsx.not_quarter", unit=unit.id, got=shown(value))
        return None

    def read_records(self, grid: Grid, sheet: Sheet, columns: dict[int, Column]) -> None:
        """A records sheet: a row per record, the unit first."""
        assert sheet.fact is not None
        name = sheet.fact.name
        id_col = next(c for c, col in columns.items() if col.key == "id")
        fields = [(c, col, _fast(col.fact), item_of(col.fact, col.key)) for c, col in columns.items()
                  if col.fact is not None]
        for r, row in self.rows(grid):
            unit = self.unit_of(sheet, r, id_col, row[id_col] if id_col < len(row) else None, name_at=None, row=row)
            if unit is None:
                continue
            rows = unit.records.setdefault(name, [])
            rows.append(r)
            prefix = f"{sheet.title} 第{len(rows)}条 "
            record: dict[str, Any] = {}
            for c, column, read, item in fields:
                value = row[c] if c < len(row) else ""
                try:
                    if value == "" or value is None:
                        if column.fact is None or not column.fact.required:
                            continue
                        raise CellError("xlsx.empty_cell")
                    record[column.key] = read(value)
                except CellError as exc:
                    if exc.code != "xlsx.empty_cell" or (column.fact is not None and column.fact.required):
                        self.problem(f"{sheet.title}!{column_letter(c + 1)}{r}", exc.code, unit=unit.id, fact=name,
                                     record=len(rows), **{**exc.values, "item": prefix + item})
            unit.data["facts"].setdefault(name, []).append(record)

    def missing_rows(self, sheet: Sheet) -> None:
        """A unit with no row in the annual sheet, when the sheet has a required fact."""
        if sheet.kind != "annual" or not any(c.fact is not None and c.fact.required for c in sheet.columns):
            return
        for unit in self.units:
            if unit.annual is None:
                self.problem(sheet.title, "xlsx.missing_row", unit=unit.id)


def _refused(code: str, display: str, **values: Any) -> FactsError:
    # the book's name is a value too: a problem with no values at all would keep its English words
    return FactsError([problem(code, file=display, book=display, **values)])


def read_workbook(path: str | os.PathLike[str], spec: Spec | SpecSource, display: str | None = None) -> Document:
    """Read a filled workbook as a facts document; raise :class:`FactsError` with every problem, each at its cell.

    ``spec`` is the spec the workbook was made for, or a function that gives it from
    the spec the workbook's guide names (None when it names none).
    """
    file = os.fspath(path)
    book = display or file
    suffix = os.path.splitext(file)[1]
    if suffix.lower() not in WORKBOOK_SUFFIXES:
        raise _refused("xlsx.suffix", book, suffix=suffix or "（无）")
    try:
        wb = Book(file)
    except BookError as exc:
        raise _refused(exc.code, book, **exc.values) from None
    collecting = gc.isenabled()
    gc.disable()  # the reader makes a dict per row and keeps them all: no cycle to find, and a full collection
    try:          # would walk every object the caller holds, again and again (a third of the time in a busy process)
        return _read(wb, book, spec)
    finally:
        wb.close()
        if collecting:
            gc.enable()


def _read(wb: Book, book: str, spec: Spec | SpecSource) -> Document:
    reader = _Reader(book, wb)
    data: dict[str, Any] = reader.guide()
    if callable(spec):
        spec = spec(data.get("spec"))
    present = reader.sheets(layout(spec))
    if not any(s.kind == "units" for s in present.values()):
        raise FactsError(reader.problems)  # the other sheets name units that are listed nowhere
    order = sorted(present.values(), key=lambda s: s.kind != "units")  # the units first: the others refer to them
    for sheet in order:
        if reader.too_large(sheet.title, *wb.extent(sheet.title)):
            continue
        try:
            grid = wb.grid(sheet.title)
        except BookError as exc:
            raise _refused(exc.code, book, **exc.values) from None
        if reader.too_large(sheet.title, len(grid.rows), max((len(r) for r in grid.rows), default=0)):
            continue
        reader.layout_problems(grid)
        columns = reader.columns(grid, sheet)
        if columns is None:
            continue
        if sheet.kind == "units":
            reader.read_units(spec, grid, sheet, columns)
        elif sheet.kind == "records":
            reader.read_records(grid, sheet, columns)
        else:
            reader.read_facts(grid, sheet, columns)
        reader.missing_rows(sheet)
    if reader.problems:
        reader.settle()
        raise FactsError(reader.problems)
    data["units"] = [u.data for u in reader.units]
    return Document(data, book, {}, "", files=_Cells(book, present, reader.units))


__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "UNITS",
    "WORKBOOK_SUFFIXES",
    "CellError",
    "SpecSource",
    "date_of",
    "fact_value",
    "item_of",
    "number_of",
    "parse_date_text",
    "read_workbook",
    "shown",
]

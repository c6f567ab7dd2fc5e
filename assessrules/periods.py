"""Periods (半月 / 月度 / 季度 / 半年): their labels, their dates, and which of them an assessment date covers.

A month is written ``2021-03``; a quarter ``2021Q3``; the first and second
half of a month ``2021-03a`` (1st–15th) and ``2021-03b`` (16th–end); a half
year ``2021H1`` / ``2021H2``. Facts recorded per period are given under a
unit's ``periods:`` by these labels.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata

import attrs

PERIOD_KINDS = ("month", "quarter", "half_month", "half_year")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_HALF_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])([ab])$")
_HALF_YEAR = re.compile(r"^(\d{4})H([12])$")

WORDS: dict[str, tuple[str, str, str]] = {
    "month": ("month", "每月", "个月"),
    "quarter": ("quarter", "每季度", "个季度"),
    "half_month": ("half-month", "每半月", "个半月"),
    "half_year": ("half-year", "每半年", "个半年"),
}
"""Each kind of period in words: English, 每…, and the counter (3 个月)."""

LABELS = {"month": "2021-03", "quarter": "2021Q3", "half_month": "2021-03a", "half_year": "2021H1"}
"""How each kind of period is written, as an example."""


@attrs.frozen(order=True)
class Period:
    """One month or quarter: its kind, its label and its first and last day."""

    start: dt.date
    kind: str
    label: str
    end: dt.date

    def __str__(self) -> str:
        return self.label


WRITTEN_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
"""A date as people write it (after NFKC): 2021-03-02, 2021/3/2, 2021.3.2, 2021年3月2日."""


def written_date(text: str, *, digits: bool = False) -> dt.date:
    """The date ``text`` writes, in any of the forms a workbook's cell accepts (full-width digits too);
    with ``digits``, also as eight digits (20211231). A ValueError when it is none of these, or no such day.

    >>> written_date("2021年12月31日"), written_date("２０２１/１/５"), written_date("20211231", digits=True)
    (datetime.date(2021, 12, 31), datetime.date(2021, 1, 5), datetime.date(2021, 12, 31))
    """
    plain = unicodedata.normalize("NFKC", text).strip()
    found = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", plain) if digits else None
    found = found or WRITTEN_DATE.match(plain)
    if found is None:
        raise ValueError(f"not a date: {text!r}")
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        raise ValueError(f"there is no such date as {text!r}") from None


def month(year: int, number: int) -> Period:
    """The month ``number`` of ``year``."""
    last = calendar.monthrange(year, number)[1]
    return Period(dt.date(year, number, 1), "month", f"{year}-{number:02d}", dt.date(year, number, last))


def quarter(year: int, number: int) -> Period:
    """The quarter ``number`` (1–4) of ``year``."""
    first, last = month(year, 3 * number - 2), month(year, 3 * number)
    return Period(first.start, "quarter", f"{year}Q{number}", last.end)


def half_month(year: int, number: int, half: str) -> Period:
    """The first (``a``: 1st–15th) or second (``b``: 16th–end) half of month ``number``."""
    whole = month(year, number)
    if half == "a":
        return Period(whole.start, "half_month", f"{whole.label}a", dt.date(year, number, 15))
    return Period(dt.date(year, number, 16), "half_month", f"{whole.label}b", whole.end)


def half_year(year: int, number: int) -> Period:
    """The half year ``number`` (1–2) of ``year``."""
    first, last = month(year, 6 * number - 5), month(year, 6 * number)
    return Period(first.start, "half_year", f"{year}H{number}", last.end)


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> Period:
    if m := _MONTH.match(text):
        return month(int(m[1]), int(m[2]))
    if m := _QUARTER.match(text):
        return quarter(int(m[1]), int(m[2]))
    if m := _HALF_MONTH.match(text):
        return half_month(int(m[1]), int(m[2]), m[3])
    if m := _HALF_YEAR.match(text):
        return half_year(int(m[1]), int(m[2]))
    raise ValueError(text)


def parse(label: object) -> Period:
    """Read ``2021-03`` or ``2021Q3``; raise ValueError otherwise."""
    try:
        return _parse(str(label).strip())
    except ValueError:
        raise ValueError(f"`{label}` is not a period: write a month as 2021-03, a quarter as 2021Q3, a half-month "
                         "as 2021-03a (1st–15th) or 2021-03b, a half-year as 2021H1") from None


def of_year(kind: str, year: int) -> list[Period]:
    """Every period of ``kind`` in ``year``, in order."""
    if kind == "half_month":
        return [half_month(year, n, h) for n in range(1, 13) for h in "ab"]
    if kind == "half_year":
        return [half_year(year, n) for n in (1, 2)]
    make = month if kind == "month" else quarter
    return [make(year, n) for n in range(1, 13 if kind == "month" else 5)]


@functools.lru_cache(maxsize=256)
def in_scope(kind: str, year: int, as_of: dt.date) -> tuple[Period, ...]:
    """The periods of ``year`` that have begun by ``as_of``: the ones an assessment then must have."""
    return tuple(p for p in of_year(kind, year) if p.start <= as_of)


def months_of(period: Period) -> list[Period]:
    """The months a period spans (a half-month: its month)."""
    if period.kind in ("month", "half_month"):
        return [month(period.start.year, period.start.month)]
    first = period.start.month
    return [month(period.start.year, m) for m in range(first, period.end.month + 1)]


__all__ = ["LABELS", "PERIOD_KINDS", "WORDS", "Period", "half_month", "half_year", "in_scope", "month", "months_of",
           "of_year", "parse", "quarter"]

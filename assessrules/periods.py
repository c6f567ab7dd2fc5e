"""Periods (月度 / 季度): their labels, their dates, and which of them an assessment date covers.

A month is written ``2021-03``; a quarter ``2021Q3``. Facts recorded per
period are given under a unit's ``periods:`` by these labels.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

import attrs

PERIOD_KINDS = ("month", "quarter")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@attrs.frozen(order=True)
class Period:
    """One month or quarter: its kind, its label and its first and last day."""

    start: dt.date
    kind: str
    label: str
    end: dt.date

    def __str__(self) -> str:
        return self.label


def month(year: int, number: int) -> Period:
    """The month ``number`` of ``year``."""
    last = calendar.monthrange(year, number)[1]
    return Period(dt.date(year, number, 1), "month", f"{year}-{number:02d}", dt.date(year, number, last))


def quarter(year: int, number: int) -> Period:
    """The quarter ``number`` (1–4) of ``year``."""
    first, last = month(year, 3 * number - 2), month(year, 3 * number)
    return Period(first.start, "quarter", f"{year}Q{number}", last.end)


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> Period:
    if m := _MONTH.match(text):
        return month(int(m[1]), int(m[2]))
    if m := _QUARTER.match(text):
        return quarter(int(m[1]), int(m[2]))
    raise ValueError(text)


def parse(label: object) -> Period:
    """Read ``2021-03`` or ``2021Q3``; raise ValueError otherwise."""
    try:
        return _parse(str(label).strip())
    except ValueError:
        raise ValueError(f"`{label}` is not a period: write a month as 2021-03 or a quarter as 2021Q3") from None


def of_year(kind: str, year: int) -> list[Period]:
    """Every period of ``kind`` in ``year``, in order."""
    make = month if kind == "month" else quarter
    return [make(year, n) for n in range(1, 13 if kind == "month" else 5)]


@functools.lru_cache(maxsize=256)
def in_scope(kind: str, year: int, as_of: dt.date) -> tuple[Period, ...]:
    """The periods of ``year`` that have begun by ``as_of``: the ones an assessment then must have."""
    return tuple(p for p in of_year(kind, year) if p.start <= as_of)


def months_of(period: Period) -> list[Period]:
    """The months a quarter (or a month) spans."""
    if period.kind == "month":
        return [period]
    first = period.start.month
    return [month(period.start.year, m) for m in range(first, first + 3)]


__all__ = ["PERIOD_KINDS", "Period", "in_scope", "month", "months_of", "of_year", "parse", "quarter"]

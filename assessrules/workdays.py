"""China's official working days (工作日), from the maintained ``chinese-calendar`` package.

Weekends and statutory holidays are off; the make-up working days (调休上班,
e.g. the Saturday worked before 国庆) are on. Nothing here guesses from
weekends alone: a date the calendar does not cover raises :class:`CalendarError`.

"Within 20 working days of its formation" counts the working days *after*
the day of formation: information published on the 20th working day after
it is on time, on the 21st it is late.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

_ONE_DAY = dt.timedelta(days=1)


class CalendarError(ValueError):
    """A date outside the years the official calendar covers."""


@cache
def _calendar() -> tuple[object, int, int]:
    import chinese_calendar
    from chinese_calendar import constants

    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return chinese_calendar, min(years), max(years)


def coverage() -> tuple[int, int]:
    """The first and last year the installed calendar covers."""
    _, first, last = _calendar()
    return first, last


def _check(day: dt.date) -> None:
    first, last = coverage()
    if not first <= day.year <= last:
        from importlib.metadata import version

        raise CalendarError(
            f"{day.isoformat()} is outside the official holiday calendar (chinesecalendar "
            f"{version('chinesecalendar')} covers {first}–{last}): check the date; if it is right, "
            "update the package rather than guess")


@cache
def is_working_day(day: dt.date) -> bool:
    """True when ``day`` is an official working day (调休上班 included, holidays excluded)."""
    _check(day)
    calendar, _, _ = _calendar()
    result: bool = calendar.is_workday(day)  # type: ignore[attr-defined]
    return result


def working_days(start: dt.date, end: dt.date) -> int:
    """Count the working days after ``start`` up to and including ``end`` (0 when ``end`` is not after it).

    >>> working_days(dt.date(2021, 9, 24), dt.date(2021, 10, 27))   # across 国庆 2021
    20
    """
    _check(start)
    _check(end)
    if end <= start:
        return 0
    counted, first = _running_count()
    return counted[end.toordinal() - first] - counted[start.toordinal() - first]


@cache
def _running_count() -> tuple[list[int], int]:
    """How many working days there are from the calendar's first day up to each day it covers (by ordinal).

    Built once (a few thousand days), so that counting the days between two dates is a subtraction:
    facts files carry thousands of records, each counted.
    """
    first_year, last_year = coverage()
    first = dt.date(first_year, 1, 1).toordinal()
    last = dt.date(last_year, 12, 31).toordinal()
    counted = [0]
    for ordinal in range(first + 1, last + 1):
        counted.append(counted[-1] + is_working_day(dt.date.fromordinal(ordinal)))
    return counted, first


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date of the ``count``-th working day after ``start``.

    >>> add_working_days(dt.date(2022, 1, 26), 20)                   # across 春节 2022
    datetime.date(2022, 2, 28)
    """
    _check(start)
    day, seen = start, 0
    while seen < count:
        day += _ONE_DAY
        seen += is_working_day(day)
    return day


__all__ = ["CalendarError", "add_working_days", "coverage", "is_working_day", "working_days"]

"""Working days on China's official calendar, checked against the State Council's holiday arrangements.

2021: 国务院办公厅关于2021年部分节假日安排的通知（国办发明电〔2020〕27号）—
  春节 2月11日至17日放假调休，2月7日（星期日）、2月20日（星期六）上班；
  国庆节 10月1日至7日放假调休，9月26日（星期日）、10月9日（星期六）上班。
2022: 国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号）—
  春节 1月31日至2月6日放假调休，1月29日（星期六）、1月30日（星期日）上班；
  国庆节 10月1日至7日放假调休，10月8日（星期六）、10月9日（星期日）上班。
"""

from __future__ import annotations

import datetime as dt

import pytest

from assessrules.workdays import CalendarError, add_working_days, coverage, is_working_day, working_days

D = dt.date


@pytest.mark.parametrize(("day", "working"), [
    (D(2021, 2, 7), True),    # Sunday worked before 春节 2021
    (D(2021, 2, 11), False),  # 春节 2021 begins (a Thursday)
    (D(2021, 2, 17), False),  # 春节 2021 ends (a Wednesday)
    (D(2021, 2, 20), True),   # Saturday worked after 春节 2021
    (D(2021, 9, 26), True),   # Sunday worked before 国庆 2021
    (D(2021, 10, 4), False),  # 国庆 2021, a Monday
    (D(2021, 10, 9), True),   # Saturday worked after 国庆 2021
    (D(2021, 10, 10), False),  # an ordinary Sunday
    (D(2022, 1, 29), True),   # Saturday worked before 春节 2022
    (D(2022, 1, 30), True),   # Sunday worked before 春节 2022
    (D(2022, 2, 1), False),   # 春节 2022, a Tuesday
    (D(2022, 10, 8), True),   # Saturday worked after 国庆 2022
    (D(2022, 10, 9), True),   # Sunday worked after 国庆 2022
    (D(2022, 10, 7), False),  # 国庆 2022, a Friday
])
def test_official_working_days_follow_the_state_council_arrangements(day: dt.date, working: bool) -> None:
    """Holidays are off and make-up days on, never guessed from the weekday alone."""
    assert is_working_day(day) is working


def test_twenty_working_days_across_national_day_2021() -> None:
    """Formed Fri 2021-09-24: the 20th working day after it is 2021-10-27 (26 Sep and 9 Oct worked, 1–7 Oct off)."""
    formed = D(2021, 9, 24)
    assert add_working_days(formed, 20) == D(2021, 10, 27)
    assert working_days(formed, D(2021, 10, 27)) == 20
    assert working_days(formed, D(2021, 10, 28)) == 21
    assert working_days(formed, D(2021, 10, 8)) == 6  # 26, 27, 28, 29, 30 Sep and 8 Oct


def test_twenty_working_days_across_spring_festival_2021() -> None:
    """Formed Fri 2021-02-05: 7 Feb and 20 Feb worked, 11–17 Feb off; the 20th working day is 2021-03-10."""
    assert add_working_days(D(2021, 2, 5), 20) == D(2021, 3, 10)
    assert working_days(D(2021, 2, 5), D(2021, 2, 20)) == 7


def test_twenty_working_days_across_spring_festival_2022() -> None:
    """Formed Wed 2022-01-26: 29 and 30 Jan worked, 31 Jan–6 Feb off; the 20th working day is 2022-02-28."""
    assert add_working_days(D(2022, 1, 26), 20) == D(2022, 2, 28)
    assert working_days(D(2022, 1, 26), D(2022, 2, 6)) == 4


def test_the_day_of_formation_is_not_counted() -> None:
    """Publishing on the day of formation, or before, takes no working day."""
    assert working_days(D(2021, 3, 1), D(2021, 3, 1)) == 0
    assert working_days(D(2021, 3, 2), D(2021, 3, 1)) == 0
    assert working_days(D(2021, 3, 1), D(2021, 3, 2)) == 1


def test_a_date_outside_the_calendar_is_an_error_not_a_guess() -> None:
    """The calendar covers a known range of years; beyond it there is no answer."""
    first, last = coverage()
    assert first <= 2021 <= last
    with pytest.raises(CalendarError, match="outside the official holiday calendar"):
        working_days(D(last, 12, 1), D(last + 1, 1, 5))
    with pytest.raises(CalendarError):
        is_working_day(D(first - 1, 6, 1))

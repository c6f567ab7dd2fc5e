"""Dates in the spec language (issue 14, item 2): constants, spans, months, gaps between dated records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import assessrules
from assessrules import spec_from_text
from assessrules.authoring.scenarios import load_cases, run_cases
from assessrules.errors import SpecError
from assessrules.rules.expressions import ExpressionError, Name, check_expression

DATES = Path(__file__).parent / "specs" / "shapes" / "dates.yaml"
NAMES = {"a": Name("date", "fact"), "b": Name("date", "fact")}


def test_the_hand_worked_date_scenarios_pass() -> None:
    """Every case of dates.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(DATES)
    outcomes = run_cases(spec, load_cases(spec, DATES.with_name("dates.tests.yaml")))
    assert [o.differences for o in outcomes if not o.passed] == []


@pytest.mark.parametrize(("text", "a", "b", "expected"), [
    ("days(a, b)", dt.date(2021, 1, 31), dt.date(2021, 3, 1), 29),
    ("days(a, b)", dt.date(2021, 3, 1), dt.date(2021, 1, 31), -29),
    ("months(a, b)", dt.date(2021, 1, 31), dt.date(2021, 2, 28), 0),
    ("months(a, b)", dt.date(2021, 1, 31), dt.date(2021, 3, 1), 1),
    ("months(a, b)", dt.date(2020, 12, 31), dt.date(2021, 12, 31), 12),
    ('a < date("2021-06-30")', dt.date(2021, 6, 29), None, True),
    ('a < date("2021-06-30")', dt.date(2021, 6, 30), None, False),
])
def test_date_functions_agree_compiled_and_interpreted(text: str, a: dt.date, b: dt.date | None, expected: object) -> None:
    """Calendar days, whole months and date constants, the same in the reference and the scorer."""
    from assessrules.engine.compiler import compile_expression

    spec = assessrules.load_spec(DATES)
    expression = check_expression(text, NAMES)
    values = {"a": a, "b": b}
    assert expression.interpret(values) == expected
    assert compile_expression(spec, expression)(values, None, None) == expected


def test_subtracting_dates_is_one_message_with_the_way_to_write_it() -> None:
    """`a - b` on dates says once that `-` is for numbers, and names days() and working_days()."""
    with pytest.raises(ExpressionError) as caught:
        check_expression("a - b > 3", NAMES)
    [problem] = caught.value.problems
    assert problem.message == "in `a - b > 3` at character 1: `-` works on numbers, not on dates"
    assert problem.hint is not None and "days(a, b)" in problem.hint and "working_days(a, b)" in problem.hint


def test_a_date_constant_must_be_a_real_date_in_quotes() -> None:
    """date("2021-13-01") and date(a) are refused at load."""
    for text in ('a > date("2021-13-01")', "a > date(a)"):
        with pytest.raises(ExpressionError, match=r"takes a date written in quotes"):
            check_expression(text, NAMES)


def test_a_gap_needs_records() -> None:
    """`gap:` without `of:` is a located error."""
    text = DATES.read_text(encoding="utf-8").replace("gap: published, of: updates", "gap: published, each: month")
    with pytest.raises(SpecError, match="`gap:` names the date field of records"):
        spec_from_text(text, str(DATES))


def test_a_gap_may_be_counted_in_whole_months_and_names_the_record_that_opens_it() -> None:
    """2021-10-01 → 10-20 → 12-31: the longest gap is 2 whole months, from 10-20, opened by record 2."""
    text = DATES.read_text(encoding="utf-8").replace("gap: published, of: updates}",
                                                     "gap: published, of: updates, in: months}")
    spec = spec_from_text(text, str(DATES))
    updates = [{"published": dt.date(2021, 10, 1)}, {"published": dt.date(2021, 10, 20)}]
    result = spec.evaluate({"id": "u", "type": "town", "target": 1,
                            "facts": {"plan_adopted": dt.date(2021, 3, 1), "updates": updates}})
    evidence = result.evidence_of("longest_gap")
    assert (evidence.value, [n for n, _ in evidence.records]) == (2, [2])


# --- more periods (item 5): half-months and half-years ---------------------------------------------


HALVES = DATES.with_name("half_periods.yaml")


def test_the_hand_worked_half_period_scenarios_pass() -> None:
    """Every case of half_periods.tests.yaml, worked by hand in its comments, comes out as written."""
    spec = assessrules.load_spec(HALVES)
    outcomes = run_cases(spec, load_cases(spec, HALVES.with_name("half_periods.tests.yaml")))
    assert [o.differences for o in outcomes if not o.passed] == []


@pytest.mark.parametrize(("label", "start", "end"), [
    ("2021-02a", dt.date(2021, 2, 1), dt.date(2021, 2, 15)),
    ("2021-02b", dt.date(2021, 2, 16), dt.date(2021, 2, 28)),
    ("2021H2", dt.date(2021, 7, 1), dt.date(2021, 12, 31)),
])
def test_half_periods_span_their_days(label: str, start: dt.date, end: dt.date) -> None:
    """A half-month is the 1st–15th or the 16th–end; a half-year six months."""
    from assessrules import periods

    period = periods.parse(label)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_half_months_due_by_the_assessment_date_are_required() -> None:
    """Assessed on 2021-03-20, 2021-01a … 2021-03b are due (2021-03b began on the 16th) and H1 too."""
    from assessrules import periods

    assert [p.label for p in periods.in_scope("half_month", 2021, dt.date(2021, 3, 20))][-2:] == ["2021-03a", "2021-03b"]
    assert [p.label for p in periods.in_scope("half_year", 2021, dt.date(2021, 3, 20))] == ["2021H1"]


def test_a_quarterly_snapshot_leaves_out_later_periods_instead_of_refusing_them() -> None:
    """As of 2021Q1 a full year of half-months is cut to the six of Q1 and H1: 3 missed, but only 2021-03a counts."""
    spec = assessrules.load_spec(HALVES)
    halves = {f"2021-{m:02d}{h}": {"bulletin_sent": (m, h) not in {(3, "a"), (5, "b"), (9, "a")}}
              for m in range(1, 13) for h in "ab"}
    unit = {"id": "u", "type": "town", "periods": {**halves, "2021H1": {"review_held": True},
                                                   "2021H2": {"review_held": False}}}
    with pytest.raises(assessrules.FactsError, match="begins after the assessment date 2021-03-31"):
        spec.evaluate(unit, as_of=dt.date(2021, 3, 31))
    snapshot = spec.evaluate(unit, as_of="2021Q1")
    assert (snapshot.score, snapshot.unit.as_of) == (Decimal(98), dt.date(2021, 3, 31))
    assert snapshot.score == spec.evaluate(unit, as_of=dt.date(2021, 3, 31), snapshot=True).score
    assert [r.score for r in spec.evaluate_many([unit], as_of="2021Q1")] == [98]


def test_a_snapshot_date_that_is_not_a_period_is_a_usage_error() -> None:
    """`as_of="2021Q5"` names what a period looks like."""
    with pytest.raises(assessrules.UsageError, match="must be a date like 2022-01-10 or a period like 2021Q2"):
        assessrules.load_spec(HALVES).evaluate({"id": "u", "type": "town"}, as_of="2021Q5")

"""The compiled check of a whole unit (periods, records, derived values) agrees with the full check."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessrules.engine.checking import check_unit
from assessrules.engine.spec import Spec
from assessrules.errors import FactsError, Problem

EXAMPLE = Path(__file__).parent.parent / "examples" / "zhenping-2021-units.yaml"
AS_OF = dt.date(2022, 1, 10)


def units() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["units"]
    return data


def full_check(spec: Spec, unit: Any, as_of: dt.date | None = AS_OF) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    record = check_unit(spec, unit, (), problems, as_of, fast_facts=spec.fast_facts)
    return (None if problems else record), problems


def test_the_compiled_check_takes_every_example_unit_as_the_full_check_does(spec2021: Spec) -> None:
    """Each example unit (12 months, disclosure records) passes the compiled check with the full check's record."""
    for unit in units():
        fast = spec2021._fast_check(unit, AS_OF)
        assert fast is not None
        assert full_check(spec2021, unit) == (fast, [])


def test_the_compiled_check_reads_text_dates_and_numbers_as_the_full_check_does(spec2021: Spec) -> None:
    """JSON-shaped input (dates as text, ratios as floats) gives the same record either way."""
    unit = copy.deepcopy(units()[1])
    for record in unit["facts"]["disclosures"]:
        record["formed"] = record["formed"].isoformat()
    unit["periods"]["2021-03"]["online_service_ratio"] = 0.93
    fast = spec2021._fast_check(unit, AS_OF)
    assert fast is not None
    assert full_check(spec2021, unit) == (fast, [])


def _break(unit: dict[str, Any], how: str) -> None:
    if how == "missing month":
        del unit["periods"]["2021-07"]
    elif how == "extra month":
        unit["periods"]["2022-01"] = unit["periods"]["2021-01"]
    elif how == "bad month value":
        unit["periods"]["2021-05"]["info_published"] = -2
    elif how == "misspelt month fact":  # as many keys as a full month, one unknown
        unit["periods"]["2021-05"]["info_publised"] = unit["periods"]["2021-05"].pop("info_published")
    elif how == "unknown record field":
        unit["facts"]["disclosures"][0]["colour"] = "red"
    elif how == "record after the assessment date":
        unit["facts"]["disclosures"][0]["formed"] = dt.date(2022, 3, 1)
    elif how == "bad record date":
        unit["facts"]["disclosures"][0]["formed"] = "yesterday"
    elif how == "no periods":
        del unit["periods"]


@pytest.mark.parametrize("how", ["missing month", "extra month", "bad month value", "misspelt month fact",
                                 "unknown record field",
                                 "record after the assessment date", "bad record date", "no periods"])
def test_a_unit_out_of_order_is_left_to_the_full_check(spec2021: Spec, how: str) -> None:
    """The compiled check gives up on a bad unit, and evaluation reports the full check's problems."""
    unit = copy.deepcopy(units()[0])
    _break(unit, how)
    assert spec2021._fast_check(unit, AS_OF) is None
    _, problems = full_check(spec2021, unit)
    assert problems
    with pytest.raises(FactsError) as caught:
        spec2021.evaluate(unit, as_of=AS_OF)
    assert [p.message for p in caught.value.problems] == [p.message for p in problems]


def test_without_an_assessment_date_periods_go_to_the_full_check(spec2021: Spec) -> None:
    """No as_of: the compiled check declines, so the full check can say what is missing."""
    assert spec2021._fast_check(units()[0], None) is None


def test_a_month_that_leaves_out_an_optional_fact_gets_its_default_either_way(spec2021: Spec) -> None:
    """A month without `mailbox_overdue` (default 0) takes the per-month check and gives the full check's record."""
    unit = copy.deepcopy(units()[2])
    del unit["periods"]["2021-04"]["mailbox_overdue"]
    fast = spec2021._fast_check(unit, AS_OF)
    assert fast is not None
    assert dict(fast[4]["@month"])["2021-04"]["mailbox_overdue"] == 0
    assert full_check(spec2021, unit) == (fast, [])

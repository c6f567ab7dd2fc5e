"""Facts are checked before scoring: every bad value names the unit and the fact; nothing is scored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from assessrules.engine.spec import Spec
from assessrules.errors import FactsError

from .helpers import make_unit


def problems_of(spec: Spec, unit: dict[str, Any]) -> list[str]:
    with pytest.raises(FactsError) as caught:
        spec.evaluate(unit)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("change", "expected"), [
    ({"late_disclosures": -1},
     "fact `late_disclosures` (政府网站采样发现的未按时公开信息条数): -1 is below the least allowed value 0"),
    ({"late_disclosures": 2.5}, "expected a whole number"),
    ({"late_disclosures": "seven"}, "expected a number, got 'seven'"),
    ({"late_disclosures": float("nan")}, "expected a finite number, got nan"),
    ({"late_disclosures": Decimal("Infinity")}, "expected a finite number, got Infinity"),
    ({"late_disclosures": True}, "expected a number, got true"),
    ({"late_disclosures": None}, "expected a number, got null"),
    ({"basic_elements_missing": 7}, "7 is above the greatest allowed value 6"),
    ({"has_interaction": "yes"}, "expected true or false"),
    ({"has_interaction": 1}, "expected true or false"),
    ({"late_disclosure": 3}, "unknown fact `late_disclosure`"),
])
def test_a_bad_fact_is_reported_with_unit_and_fact(spec2021: Spec, change: dict[str, Any], expected: str) -> None:
    """Wrong-typed, out-of-range, negative, NaN, infinite and unknown values are each rejected."""
    messages = problems_of(spec2021, make_unit(uid="曾家镇", **change))
    assert any(expected in m and "unit 曾家镇" in m for m in messages), messages


def test_an_unknown_fact_gets_a_did_you_mean(spec2021: Spec) -> None:
    """A misspelt fact name is matched to the declared one."""
    with pytest.raises(FactsError) as caught:
        spec2021.evaluate(make_unit(late_disclosure=3))
    assert caught.value.problems[0].hint == "did you mean `late_disclosures`?"


def test_a_missing_required_fact_is_named(spec2021: Spec) -> None:
    """A required fact left out is an error; optional ones take their default."""
    unit = make_unit()
    del unit["facts"]["has_interaction"]
    assert any("missing fact `has_interaction` (提供互动交流功能)" in m for m in problems_of(spec2021, unit))
    assert spec2021.check_unit(make_unit()).facts["late_disclosures"] == 0


@pytest.mark.parametrize(("unit", "expected"), [
    ({"id": "x", "type": "county", "target": 1, "facts": {}}, "unknown unit type 'county'"),
    ({"id": "x", "type": "town", "target": -1, "facts": {}}, "-1 is negative or too large (0–1000)"),
    ({"type": "town", "target": 1, "facts": {}}, "every unit needs an `id`"),
    ({"id": "x", "type": "town", "target": 1, "facts": [], "extra": 1}, "unknown key `extra`"),
    ({"id": "x", "type": "town", "target": 1, "facts": []}, "`facts` must be a mapping"),
])
def test_a_bad_unit_is_reported(spec2021: Spec, unit: dict[str, Any], expected: str) -> None:
    """The unit's own keys are checked too."""
    assert any(expected in m for m in problems_of(spec2021, unit))


def test_one_bad_unit_stops_the_whole_batch_and_every_problem_is_listed(spec2021: Spec) -> None:
    """evaluate_many scores nothing when any unit is bad, and lists the problems of all units."""
    units = [make_unit(uid="a"), make_unit(uid="b", late_disclosures=-2), make_unit(uid="c", has_interaction="no"),
             make_unit(uid="a")]
    with pytest.raises(FactsError) as caught:
        spec2021.evaluate_many(units)
    problems = caught.value.problems
    assert [p.unit for p in problems] == ["b", "c", "a"]
    assert problems[0].json_path == "$.units[1].facts.late_disclosures"
    assert "used twice" in problems[2].message


def test_accepted_spellings_are_normalised_exactly(small_spec: Callable[[str], Spec]) -> None:
    """Floats read as their shortest text, ratios as percentages, dates as ISO text."""
    spec = small_spec("""
        facts:
          rate: {type: ratio, label: 比例, required: true}
          amount: {type: number, label: 金额, required: true, min: 0}
          day: {type: date, label: 日期, required: true}
          level: {type: enum, label: 评定, values: [优, 差], required: true}
        indicators:
          - {id: a, name: 甲, points: 10}
        """)
    unit = spec.check_unit({"id": "u", "type": "town", "target": 0.3, "facts": {
        "rate": "95%", "amount": 0.1, "day": "2021-10-08", "level": "优"}})
    assert unit.facts == {"rate": Decimal("0.95"), "amount": Decimal("0.1"), "day": dt.date(2021, 10, 8), "level": "优"}
    assert unit.target == Decimal("0.3")
    with pytest.raises(FactsError, match="expected a date like 2021-10-08"):
        spec.check_unit({"id": "u", "type": "town", "target": 1, "facts": {
            "rate": "95%", "amount": 1, "day": "8/10/2021", "level": "优"}})
    with pytest.raises(FactsError, match="'良' is not one of 优, 差"):
        spec.check_unit({"id": "u", "type": "town", "target": 1, "facts": {
            "rate": 1, "amount": 1, "day": "2021-10-08", "level": "良"}})
    with pytest.raises(FactsError, match=r"1\.5 is above the greatest allowed value 1"):
        spec.check_unit({"id": "u", "type": "town", "target": 1, "facts": {
            "rate": Decimal("1.5"), "amount": 1, "day": "2021-10-08", "level": "优"}})

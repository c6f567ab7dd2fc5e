"""The compiled derived values (engine/compiler.py ``compile_deriver``) give what ``Derived.compute`` gives.

Values, their types and their evidence are compared with the reference way, one derived value at a
time through :meth:`~assessrules.rules.derive.Derived.compute`, on units drawn for specs using every
kind: sums, means, least, greatest, last, counts over months and quarters, expressions, counts over
records, and gaps. A unit the compiled function cannot compute goes the reference way, which says
where it fails.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assessrules
from assessrules.authoring.strategies import facts_for, perfect_unit
from assessrules.engine.compiler import generate_deriver
from assessrules.engine.spec import Spec
from assessrules.errors import FactsError

from .test_periods import ROLLUPS

SHAPES = Path(__file__).parent / "specs" / "shapes"
SPECS = {
    "2021": lambda: assessrules.load_spec("2021"),
    "rollups": lambda: assessrules.spec_from_text(ROLLUPS, "rollups.yaml"),
    "dates": lambda: assessrules.load_spec(SHAPES / "dates.yaml"),
    "2021 exact": lambda: assessrules.spec_from_text(
        (Path(assessrules.__file__).parent.parent / "specs" / "2021.yaml").read_text(encoding="utf-8")
        + "\nrounding: {places: 2, mode: half_up}\n", "2021-exact.yaml"),
    # issue 24, D1: exact specs whose derived values read records, defaults and quotients
    "issue24 records": lambda: assessrules.load_spec(Path(__file__).parent / "specs" / "issue24" / "d1_conditional.yaml"),
    "issue24 quarters": lambda: assessrules.load_spec(Path(__file__).parent / "specs" / "issue24" / "d1_quarter.yaml"),
    "issue24 expr": lambda: assessrules.load_spec(Path(__file__).parent / "specs" / "issue24" / "d1_expr.yaml"),
}


def typed(value: Any) -> Any:
    """A value with the type of every part spelled out, so that 1 and Decimal(1) differ."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return (type(value).__name__, [typed(v) for v in value])
    return (type(value).__name__, value)


@pytest.fixture(scope="module", params=sorted(SPECS))
def spec(request: pytest.FixtureRequest) -> Spec:
    return SPECS[request.param]()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          deadline=None)
@given(data=st.data())
def test_compiled_derived_values_are_the_reference_ones(spec: Spec, data: st.DataObject) -> None:
    unit = data.draw(facts_for(spec))
    try:
        record = spec._check_record(unit, (), spec.default_as_of)
    except FactsError:
        return  # a unit the checker refuses is never derived
    reference = spec._derive_reference(record)
    try:
        facts, evidence = spec._fast_derive(record[4])
    except Exception:  # then the reference way must fail too
        with pytest.raises(Exception):  # noqa: B017
            spec._derive_reference(record)
        return
    assert typed(facts) == typed(reference[4])
    assert typed(evidence) == typed(reference[5])
    assert typed(spec._derive(record)) == typed(reference)


def test_the_2021_spec_derives_without_the_reference_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled spec's late records are counted by the compiled function: the reference way is not called."""
    spec = assessrules.load_spec("2021")
    assert "for lab, rec in enumerate(ns['disclosures']):" in generate_deriver(spec)[0]

    def refuse(self: Spec, record: Any) -> Any:
        raise AssertionError("the reference way was taken")

    monkeypatch.setattr(Spec, "_derive_reference", refuse)
    unit = with_records(spec, [{"title": "甲", "formed": dt.date(2021, 3, 1), "published": dt.date(2021, 5, 6)},
                               {"title": "乙", "formed": dt.date(2021, 3, 1), "published": dt.date(2021, 3, 5)}])
    record = spec._check_record(unit, (), spec.default_as_of)
    derived = spec._derive(record)
    assert derived[4]["late_records"] == 1
    assert derived[5]["late_records"] == ((0, True),)


def with_records(spec: Spec, records: list[dict[str, Any]]) -> dict[str, Any]:
    unit = perfect_unit(spec)
    return {**unit, "facts": {**unit["facts"], "disclosures": records}}


def test_a_record_off_the_calendar_is_located_as_before() -> None:
    """The compiled function fails on a date the calendar does not cover; the reference way names the record."""
    spec = assessrules.load_spec("2021")
    unit = with_records(spec, [{"title": "甲", "formed": dt.date(2021, 3, 1), "published": dt.date(2021, 3, 5)},
                               {"title": "乙", "formed": dt.date(1990, 3, 1), "published": dt.date(1990, 3, 5)}])
    with pytest.raises(FactsError) as caught:
        spec.evaluate(unit)
    problem = caught.value.problems[0]
    assert problem.path == ("facts", "disclosures", 1)
    assert problem.message.startswith("record 2 《乙》: ")

"""The receipt writer (engine/receipt.py) writes exactly ``canonical_json(unit.canonical())``.

Receipts are part of the result format: ``facts_sha256`` must stay the same digest for every unit.
The writer (orjson, in C) is compared with the general definition (json's encoder) on every shape
spec with units drawn by hypothesis, and on hand-made records whose values are odd or of the wrong
shape (where it must hand over to the general encoder and still write the same text).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assessrules
from assessrules.authoring.strategies import facts_for
from assessrules.engine import receipt
from assessrules.engine.receipt import ReceiptWriter, general_form, writer_of
from assessrules.engine.results import Result, Unit, canonical_json
from assessrules.engine.spec import Spec
from assessrules.jsontext import sorted_compact

SPECS = {"2021": assessrules.load_spec("2021"),
         **{p.stem: assessrules.load_spec(p) for p in sorted((Path(__file__).parent / "specs" / "shapes").glob("*.yaml"))
            if not p.name.endswith(".tests.yaml")}}

on_each_spec = pytest.mark.parametrize("spec", list(SPECS.values()), ids=list(SPECS))

ODD_TEXT = st.text(st.one_of(st.sampled_from('"\\/\n\r\t\b\f\x00\x1f\x7f\u2028\u2029\ufeff😀𠀀政务公开'),
                             st.characters()), max_size=12)
"""Text a JSON writer can get wrong: quotes, backslashes, control characters, non-BMP, Chinese."""

ODD_DECIMALS = st.one_of(
    st.sampled_from([Decimal("1E+2"), Decimal("-0"), Decimal("0.10"), Decimal("0"), Decimal("-0.00"),
                     Decimal("2.50"), Decimal("1E-7"), Decimal("123456789012345.5"), Decimal("-3")]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6))


def _reference(result: Result) -> str:
    return canonical_json(result.unit.canonical())


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Refuse(json.JSONEncoder):
    """A fallback encoder that fails the test: the writer must not need it."""

    def encode(self, o: Any) -> str:
        raise AssertionError(f"the writer fell back to json's encoder for {o!r:.200}")


def test_a_float_never_reaches_a_record() -> None:
    """A float read in is checked into a Decimal through its shortest text, so the writer never meets one
    (orjson would write 1e-07 as 1e-7): the odd records below hold no floats for that reason."""
    spec = SPECS["2021"]
    unit = spec_2021_unit()
    unit["target"] = 3.5
    unit["facts"]["fulltime_staff"] = 1.0
    unit["periods"]["2021-01"].update(online_service_ratio=0.1 + 0.2, upload_error_rate=1e-07)
    record = spec.evaluate(unit).record
    month = dict(record[4]["@month"])["2021-01"]
    assert record[3] == Decimal("3.5") and type(record[3]) is Decimal
    assert month["online_service_ratio"] == Decimal("0.30000000000000004")
    assert type(month["upload_error_rate"]) is Decimal
    floats = [v for k, v in record[4].items() if type(v) is float]
    assert floats == []


@on_each_spec
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_receipt_hashes_the_canonical_form_of_drawn_units(spec: Spec, data: st.DataObject) -> None:
    """For units drawn for each shape spec, with odd names and ids, orjson writes the text of
    ``canonical_json(unit.canonical())`` itself (json's encoder is not called), and the receipt is its
    SHA-256; the writer is built once per spec."""
    unit = data.draw(facts_for(spec))
    unit["name"] = "单位" + data.draw(ODD_TEXT.filter(lambda t: t == t.strip() and t.isprintable()), label="name")
    if data.draw(st.booleans(), label="id as a number"):
        unit["id"] = data.draw(st.integers(0, 10**9), label="id")
    result = spec.evaluate(unit)
    wanted = _reference(result)
    writer = writer_of(spec)
    assert writer_of(spec) is writer
    written = sorted_compact(receipt._canonical_data(result.record, writer.derived),
                             receipt._orjson_default, _Refuse())
    assert written.decode("utf-8") == wanted
    assert result.receipt.facts_sha256 == _sha(wanted)
    assert result.to_dict()["receipt"] == result.to_dict(inputs=False)["receipt"] == result.receipt.to_dict()


def test_the_2021_receipt_of_a_unit_with_a_year_of_months_and_records() -> None:
    """The bundled spec, twelve months and disclosure records with and without a publication date."""
    spec = SPECS["2021"]
    unit = spec_2021_unit()
    result = spec.evaluate(unit, as_of="2022-01-10")
    text = writer_of(spec).text(result.record)
    assert text == _reference(result)
    assert '"periods":{"2021-01":{' in text and '"published":null' in text and '"formed":"2021-03-01"' in text
    assert '"online_service_ratio":"0.95"' in text and '"as_of":"2022-01-10"' in text


def spec_2021_unit() -> dict[str, Any]:
    month = {"info_published": 6, "key_areas_disclosed": True, "service_platform_ok": True,
             "online_service_ratio": Decimal("0.950"), "columns_updated": True}
    facts: dict[str, Any] = {
        "has_work_mechanism": True, "has_work_body": True, "fulltime_staff": 1, "parttime_staff": 2,
        "has_review_mechanism": True, "has_catalogue": True, "has_annual_report": False,
        "has_new_media_account": True, "has_interaction": True,
        "disclosures": [{"title": '关于"公开"的\\通知', "formed": dt.date(2021, 3, 1), "published": None},
                        {"title": "𠀀 two", "formed": dt.date(2021, 5, 6), "published": dt.date(2021, 5, 20),
                         "deadline": 10}]}
    return {"id": "u1", "name": "某县\u2028局", "type": "town", "target": Decimal("3.50"), "facts": facts,
            "periods": {f"2021-{m:02d}": dict(month) for m in range(1, 13)}}


# --- hand-made records: values a checked unit never has still give the general encoder's text -----------

def _odd_value() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), ODD_DECIMALS, ODD_TEXT,
                        st.dates(), st.datetimes())  # no floats: a checked record never holds one
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.tuples(inner, inner),
        st.dictionaries(ODD_TEXT, inner, max_size=3)), max_leaves=6)


def _value_for(fact_type: str) -> st.SearchStrategy[Any]:
    typed: dict[str, st.SearchStrategy[Any]] = {
        "bool": st.booleans(), "count": st.integers(0, 10**6), "number": ODD_DECIMALS, "ratio": ODD_DECIMALS,
        "enum": ODD_TEXT, "text": ODD_TEXT, "date": st.dates(),
    }
    return typed.get(fact_type, st.nothing()) | _odd_value()


@st.composite
def _records_for(draw: st.DrawFn, spec: Spec) -> tuple[Any, ...]:
    """A record as the checker makes it (id, name, type, target, namespace), with values of the declared
    type or of none, facts and fields sometimes left out or added, records and periods of any shape."""
    ns: dict[str, Any] = {}
    for name, fact in spec.facts.items():
        if fact.period is not None or draw(st.integers(0, 9)) == 0:
            continue
        if fact.type == "records":
            fields = fact.fields or {}
            def record(draw: st.DrawFn = draw, fields: Any = fields) -> Any:
                out = {k: draw(_value_for(f.type)) for k, f in fields.items() if draw(st.integers(0, 9))}
                if draw(st.integers(0, 9)) == 0:
                    out[draw(ODD_TEXT)] = draw(_odd_value())
                return out
            items = tuple(record() for _ in range(draw(st.integers(0, 3))))
            ns[name] = items if draw(st.integers(0, 9)) else list(items)
        else:
            ns[name] = draw(_value_for(fact.type))
    if draw(st.integers(0, 9)) == 0:
        ns[draw(ODD_TEXT.filter(lambda k: not k.startswith("@") and k != "as_of"))] = draw(_odd_value())
    for kind in spec.period_kinds:
        group = spec.fact_groups[kind]
        months = []
        for label in draw(st.lists(st.one_of(st.sampled_from(["2021-01", "2021-02", "2021H1", "2021-01a"]),
                                             ODD_TEXT), max_size=4)):
            values = {k: draw(_value_for(f.type)) for k, f in group.items() if draw(st.integers(0, 9))}
            months.append((label, values))
        ns["@" + kind] = tuple(months)
    if draw(st.booleans()):
        ns["as_of"] = draw(st.dates())
    for derived in spec.derived:
        ns[derived.name] = draw(_odd_value())
    target = draw(ODD_DECIMALS)
    parent = draw(st.none() | ODD_TEXT)  # a sub-unit's parent (issue 24): hashed with the unit
    return (draw(ODD_TEXT), draw(ODD_TEXT), draw(ODD_TEXT), target, ns, None, parent)


@on_each_spec
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_writer_writes_the_general_text_for_any_record(spec: Spec, data: st.DataObject) -> None:
    """Odd text, Decimals such as 1E+2, -0 and 0.10, dates and datetimes, None, missing and extra facts,
    records and periods of other shapes: the same text as ``canonical_json(Unit.from_record(...).canonical())``."""
    record = data.draw(_records_for(spec))
    writer = ReceiptWriter(spec)
    derived = tuple(d.name for d in spec.derived)
    wanted = canonical_json(Unit.from_record(record, derived).canonical())
    assert writer.text(record) == wanted
    assert general_form(record, derived) == wanted

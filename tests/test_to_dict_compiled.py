"""`Result.to_dict()` is built by code generated per spec (engine/serialize.py); the reference is the
result's objects: `fired`, `indicators`, `veto`, `unit`, `receipt` and each derived value's evidence,
rendered by their own `to_dict()`. The two must give the same JSON, key order included, on every shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assessrules
from assessrules.authoring.scenarios import load_cases
from assessrules.authoring.strategies import facts_for
from assessrules.engine.results import RESULT_FORMAT, Result, plain
from assessrules.engine.spec import Spec

HERE = Path(__file__).parent
SHAPES = HERE / "specs" / "shapes"
SPECS: dict[str, Spec] = {
    "2021": assessrules.load_spec("2021"),
    "mixed": assessrules.load_spec(HERE / "specs" / "mixed.yaml"),
    **{p.stem: assessrules.load_spec(p) for p in sorted(SHAPES.glob("*.yaml")) if not p.name.endswith(".tests.yaml")},
}
SCENARIOS = sorted(SHAPES.glob("*.tests.yaml"))


def reference(result: Result, inputs: bool = True) -> dict[str, Any]:
    """The JSON form of ``result`` from its objects: the definition the compiled to_dict must follow."""
    spec = result.spec
    fired = result.fired
    grade = spec.grades[result.grade_index]
    unit = result.unit
    data: dict[str, Any] = {
        "format": RESULT_FORMAT,
        "unit": {"id": unit.id, "name": unit.name, "type": unit.type, "type_label": spec.unit_types[unit.type].label,
                 "target": plain(unit.target), **({"parent": unit.parent} if unit.parent is not None else {})},
        "score": plain(result.score),
        "base_score": plain(result.base_score),
        "table_score": plain(result.table_score),
        "bonus": None if not spec.bonus else {
            "claimed": plain(result.bonus_claimed), "counted": plain(result.bonus), "gated": result.bonus_gated,
            "items": [f.to_dict() for f in result.bonus_items]},
        "veto": result.veto.to_dict() if result.veto else None,
        "grade": {"id": grade.id, "label": grade.label} if spec.graded else None,
        "commended": result.commended,
        "deduction": plain(result.deduction),
        "grade_deduction": plain(result.grade_deduction),
        "deduction_capped": result.deduction_capped,
        "consequences": list(result.consequences),
        "direct_deductions": [f.to_dict() for f in result.direct_deductions],
        "indicators": [i.to_dict() for i in result.indicators],
    }
    if inputs:
        canonical = unit.canonical()
        data["facts"] = canonical["facts"]
        data["periods"] = canonical.get("periods", {})
    data["derived"] = {name: result.evidence_of(name).to_dict() for name in result.derived}
    data["as_of"] = plain(unit.as_of)
    data["receipt"] = result.receipt.to_dict()
    assert len(fired) == len(result.trace)
    return data


def _same(spec: Spec, units: list[dict[str, Any]], as_of: Any = None) -> None:
    for inputs in (True, False):
        compiled = [r.to_dict(inputs=inputs) for r in spec.evaluate_many(units, as_of=as_of)]
        expected = [reference(r, inputs) for r in spec.evaluate_many(units, as_of=as_of)]
        for got, want in zip(compiled, expected, strict=True):
            assert json.dumps(got, ensure_ascii=False) == json.dumps(want, ensure_ascii=False)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name.removesuffix(".tests.yaml") for p in SCENARIOS])
def test_compiled_to_dict_is_the_objects_dict_on_every_scenario_unit(path: Path) -> None:
    """Every hand-worked scenario unit of the shape specs: the compiled to_dict is the reference, byte for byte."""
    spec = SPECS[path.name.removesuffix(".tests.yaml")]
    cases = [c for c in load_cases(spec, path) if "error" not in c.expect]
    assert cases
    for case in cases:  # a batch (sub-units and their parents) as a whole
        _same(spec, list(case.units) if case.units is not None else [case.unit], case.as_of)


@pytest.mark.parametrize("spec", list(SPECS.values()), ids=list(SPECS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_to_dict_is_the_objects_dict_on_drawn_units(spec: Spec, data: st.DataObject) -> None:
    """Units drawn over every fact's range (several per example): the compiled to_dict is the reference."""
    units = [data.draw(facts_for(spec)) for _ in range(3)]
    for k, unit in enumerate(units):
        unit["id"] = f"{unit['id']}-{k}"
    _same(spec, units)


def test_compiled_to_dict_is_the_objects_dict_on_the_benchmark_units() -> None:
    """A year of months and disclosure records per unit, as benchmarks/bench_scoring.py draws them."""
    import sys

    sys.path.insert(0, str(HERE.parent / "benchmarks"))
    try:
        from bench_scoring import AS_OF, random_units
    finally:
        sys.path.pop(0)
    units = random_units(60, seed=11)
    _same(SPECS["2021"], units, AS_OF)
    untraced = [r.to_dict() for r in SPECS["2021"].evaluate_many(units, as_of=AS_OF, explain=False)]
    assert untraced == [reference(r) for r in SPECS["2021"].evaluate_many(units, as_of=AS_OF)]


def test_to_dict_after_the_objects_were_built_is_the_same() -> None:
    """Asking for `fired` or `indicators` first does not change what to_dict() writes."""
    spec = SPECS["2021"]
    example = assessrules.load_spec("2021")
    import yaml

    document = yaml.safe_load((HERE.parent / "examples" / "zhenping-2021-units.yaml").read_text(encoding="utf-8"))
    fresh = [r.to_dict() for r in spec.evaluate_many(document["units"], as_of=document["as_of"])]
    used = example.evaluate_many(document["units"], as_of=document["as_of"])
    for r in used:
        assert r.fired is not None and r.indicators is not None
    assert [r.to_dict() for r in used] == fresh


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name.removesuffix(".tests.yaml") for p in SCENARIOS])
def test_the_general_way_of_every_entry_gives_the_same_dict(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no generated builder (what an unusual entry falls back to), to_dict gives the same data."""
    import attrs

    from assessrules.engine import results

    spec = SPECS[path.name.removesuffix(".tests.yaml")]
    cases = [c for c in load_cases(spec, path) if "error" not in c.expect]
    def scored(case: Any) -> list[dict[str, Any]]:
        units = list(case.units) if case.units is not None else [case.unit]
        return [r.to_dict() for r in spec.evaluate_many(units, as_of=case.as_of)]

    compiled = [scored(c) for c in cases]
    serializer = results._serializer_of(spec, results.RuleTables.of(spec))
    general = attrs.evolve(serializer, fired=(None,) * len(serializer.fired), periods={})
    monkeypatch.setitem(results._SERIALIZERS, spec, general)
    assert results._serializer_of(spec, results.RuleTables.of(spec)) is general
    assert [scored(c) for c in cases] == compiled


@pytest.mark.parametrize("spec", list(SPECS.values()), ids=list(SPECS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_scores_are_the_indicators_scores_written_the_same(spec: Spec, data: st.DataObject) -> None:
    """`result.scores` (its canonical forms kept between units) gives each indicator's score as `indicators`
    does, down to the written text: ``-0`` stays ``-0``, ``15.0`` is ``15``, whatever units came before."""
    units = [data.draw(facts_for(spec)) for _ in range(3)]
    for k, unit in enumerate(units):
        unit["id"] = f"{unit['id']}-{k}"
    for result in spec.evaluate_many(units):
        expected = {i.id: None if i.score is None else str(i.score) for i in result.indicators}
        assert {k: None if v is None else str(v) for k, v in result.scores.items()} == expected


def test_a_negative_zero_score_is_not_taken_from_a_zero_seen_before() -> None:
    from decimal import Decimal

    from assessrules.engine.results import _canonical

    assert str(_canonical(Decimal("0.00"))) == "0"
    assert str(_canonical(Decimal("-0.0"))) == "-0"
    assert str(_canonical(Decimal("15.0"))) == "15"
    assert str(_canonical(Decimal("15"))) == "15"
    assert str(_canonical(Decimal("2.50"))) == "2.5"
    assert str(_canonical(Decimal("2.5000"))) == "2.5"

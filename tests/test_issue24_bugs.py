"""The bugs D1–D4 of issue 24, each with its reproducer, through the public API and the command line.

D1: under ``rounding:`` a derived value mixing Decimal and Fraction crashed; D2: a Fraction in a unit's
record crashed every output; D3: ``not_applicable: rescale`` under ``unit_points`` rescaled to the
declared points; D4: the exactness check refused an exact weighted spec, at a place that does not exist.
The specs are in tests/specs/issue24/.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import assessrules
from assessrules.cli import run
from assessrules.engine.spec import Spec

HERE = Path(__file__).parent / "specs" / "issue24"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def no_fraction(value: Any) -> bool:
    """True when no Fraction hides anywhere in ``value`` (a record, its evidence)."""
    if isinstance(value, Fraction):
        return False
    if isinstance(value, dict):
        return all(no_fraction(v) for v in value.values())
    if isinstance(value, tuple | list):
        return all(no_fraction(v) for v in value)
    return True


def typed(value: Any) -> Any:
    """A value with the type of every part spelled out, so that 1 and Decimal(1) differ."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return (type(value).__name__, [typed(v) for v in value])
    return (type(value).__name__, value)


def scored(spec: Spec, unit: dict[str, Any]) -> assessrules.Result:
    """The unit's result, after checking that the compiled derived values are the reference ones, Decimals
    only, and that every output of the result is made."""
    record = spec._check_record(unit, (), spec.default_as_of)
    fast = spec._fast_derive(record[4])  # raises if the compiled way fails: it must not
    reference = spec._derive_reference(record)
    assert typed(fast) == typed(reference[4:6])  # the facts and the evidence (then the unit's parent)
    assert no_fraction(fast)
    result = spec.evaluate(unit)
    json.dumps(result.to_dict())
    assert result.explain()
    return result


# --- D1: derived values mixing Decimal and Fraction ---------------------------------------------------------


def test_d1_a_sum_over_records_with_a_conditional() -> None:
    """The issue's reproducer: an unstamped claim of 5 points is worth 0, so the score is 100 (a stamped one: 105)."""
    spec = assessrules.load_spec(HERE / "d1_conditional.yaml")
    unstamped = scored(spec, {"id": "a", "type": "u", "facts": {"claims": [{"points": 5, "stamped": False}]}})
    stamped = scored(spec, {"id": "b", "type": "u", "facts": {"claims": [{"points": 5, "stamped": True}]}})
    assert (unstamped.score, stamped.score) == (Decimal(100), Decimal(105))
    assert unstamped.record[4]["valid"] == 0 and type(unstamped.record[4]["valid"]) is Decimal


def test_d1_a_sum_of_x_plus_1_over_records() -> None:
    """(2 + 1) + (0.5 + 1) = 4.5 points off 100."""
    spec = assessrules.load_spec(HERE / "d1_plus_one.yaml")
    result = scored(spec, {"id": "a", "type": "u", "facts": {"recs": [{"x": 2}, {"x": 0.5}]}})
    assert (result.score, result.record[4]["total"]) == (Decimal("95.5"), Decimal("4.5"))


def test_d1_a_quarterly_sum_with_a_fact_left_at_its_default() -> None:
    """Q2 and Q3 leave `m` at its default 0: 2 + 0 + 0 + 0.5 = 2.5 points off; the evidence lists the quarters."""
    spec = assessrules.load_spec(HERE / "d1_quarter.yaml")
    unit = {"id": "a", "type": "u", "periods": {"2021Q1": {"m": 2}, "2021Q2": {}, "2021Q3": {}, "2021Q4": {"m": 0.5}}}
    result = scored(spec, unit)
    assert result.score == Decimal("97.5")
    assert result.to_dict()["derived"]["year_m"]["periods"] == [
        {"period": "2021Q1", "value": "2"}, {"period": "2021Q2", "value": "0"},
        {"period": "2021Q3", "value": "0"}, {"period": "2021Q4", "value": "0.5"}]


def test_d1_an_expression_with_a_division_is_stored_as_the_spec_rounds() -> None:
    """(48 − 40) / 12 = 2/3 → 0.67 (the derived value, as the spec rounds it), so 10 − 0.67 = 9.33; nothing
    posted: 48 / 12 = 4 exactly, 6 points."""
    spec = assessrules.load_spec(HERE / "d1_expr.yaml")
    some = scored(spec, {"id": "a", "type": "u", "facts": {"year_posted": 40}})
    none = scored(spec, {"id": "b", "type": "u", "facts": {}})
    assert (some.record[4]["shortfall"], some.score) == (Decimal("0.67"), Decimal("9.33"))
    assert (none.record[4]["shortfall"], none.score) == (Decimal(4), Decimal(6))
    assert some.to_dict()["derived"]["shortfall"]["value"] == "0.67"


def test_d1_a_value_really_missing_still_gets_the_coalesce_hint() -> None:
    """A record field left null in `x + 1` is a missing value (the coalesce hint is right there); the hint
    is for an operand that is None, not for any TypeError."""
    text = (HERE / "d1_plus_one.yaml").read_text(encoding="utf-8").replace(
        "{x: {type: number, label: 数}}", "{x: {type: number, label: 数, default: null}}")
    spec = assessrules.spec_from_text(text, "plus_one.yaml")
    with pytest.raises(assessrules.EvaluationError) as caught:
        spec.evaluate({"id": "a", "type": "u", "facts": {"recs": [{"x": 1}, {"x": None}]}})
    assert [p.code for p in caught.value.problems] == ["evaluation.missing_value"]
    from assessrules.engine.spec import _cause

    assert _cause(TypeError("unsupported operand type(s) for +: 'decimal.Decimal' and 'Fraction'")) \
        == "evaluation.failed"


# --- D2: a Fraction in a unit's record ----------------------------------------------------------------------


def test_d2_a_default_is_the_decimal_of_the_text_in_the_record() -> None:
    """甲 leaves `errors` at its default: the record keeps Decimal 0 (the text's), never the exact scorer's Fraction."""
    spec = assessrules.load_spec(HERE / "d2_rounding.yaml")
    a = scored(spec, {"id": "a", "name": "甲", "type": "u", "facts": {}})
    b = scored(spec, {"id": "b", "name": "乙", "type": "u", "facts": {"errors": 2}})
    assert typed(a.record[4]["errors"]) == ("Decimal", Decimal(0))
    assert (a.score, b.score) == (Decimal(100), Decimal(98))
    assert a.to_dict()["receipt"]["facts_sha256"] == spec.evaluate(
        {"id": "a", "name": "甲", "type": "u", "facts": {"errors": 0}}).to_dict()["receipt"]["facts_sha256"]


def test_d2_score_json_explain_and_check_run() -> None:
    """`score --format json`, `explain` and `check --examples 30` end normally (they ended in an internal error)."""
    spec, units = str(HERE / "d2_rounding.yaml"), str(HERE / "d2_units.yaml")
    code, out, err = cli("score", "--spec", spec, "--format", "json", units)
    assert (code, err) == (0, "")
    assert [(r["unit"]["id"], r["score"]) for r in json.loads(out)["results"]] == [("a", "100"), ("b", "98")]
    code, out, err = cli("explain", "--spec", spec, "--all", units)
    assert (code, err) == (0, "") and "甲" in out and "乙" in out
    code, out, err = cli("check", "--examples", "30", "--seed", "1", spec)
    assert code == 0, out + err
    assert "内部错误" not in out + err


def test_d1_score_json_through_the_command_line(tmp_path: Path) -> None:
    """The D1 reproducer's unit through `score --format json`: 100."""
    facts = tmp_path / "claims.yaml"
    facts.write_text("units:\n  - {id: a, name: 甲, type: u, facts: {claims: [{points: 5, stamped: false}]}}\n",
                     encoding="utf-8")
    code, out, err = cli("score", "--spec", str(HERE / "d1_conditional.yaml"), "--format", "json", str(facts))
    assert (code, err) == (0, "")
    assert [r["score"] for r in json.loads(out)["results"]] == ["100"]


# --- D3: rescale under a parent with unit_points ------------------------------------------------------------


D3_FACTS = {"a_lost": 2, "b_applies": False}


def test_d3_rescale_goes_to_the_units_points_of_the_parent() -> None:
    """g is worth 4 + 0 = 4 to a unit without b; a scores 4 − 2 = 2; rescaled to g's 4 points over a's 4: g = 2
    (it was 2 × 10 / 4 = 5, held to 4). With b applying g is worth 10: 2 + 6 = 8, nothing rescaled."""
    spec = assessrules.load_spec(HERE / "d3_rescale_unit_points.yaml")
    without_b = scored(spec, {"id": "x", "type": "u", "facts": D3_FACTS})
    with_b = scored(spec, {"id": "y", "type": "u", "facts": {"a_lost": 2, "b_applies": True}})
    g = {r.id: r for r in without_b.indicators}["g"]
    assert (g.score, g.points, without_b.score) == (Decimal(2), Decimal(4), Decimal(98))
    assert ({r.id: r for r in with_b.indicators}["g"].score, with_b.score) == (Decimal(8), Decimal(98))
    assert {i["id"]: i["score"] for i in without_b.to_dict()["indicators"]}["g"] == "2"


def test_d3_spread_also_goes_to_the_units_points() -> None:
    """Under `spread` b's points are not b's to share when g is worth only a's 4 to the unit: g = 2 as well."""
    text = (HERE / "d3_rescale_unit_points.yaml").read_text(encoding="utf-8").replace(
        "not_applicable: rescale", "not_applicable: spread")
    spec = assessrules.spec_from_text(text, "d3_spread.yaml")
    assert {r.id: r.score for r in spec.evaluate({"id": "x", "type": "u", "facts": D3_FACTS}).indicators}["g"] == 2


def test_d3_explain_through_the_command_line(tmp_path: Path) -> None:
    """`explain` shows G 2 / 4, and no cap at 4 any more."""
    facts = tmp_path / "d3.yaml"
    facts.write_text("units:\n  - {id: x, name: 甲, type: u, facts: {a_lost: 2, b_applies: false}}\n", encoding="utf-8")
    code, out, err = cli("explain", "--spec", str(HERE / "d3_rescale_unit_points.yaml"), "--all", str(facts))
    assert (code, err) == (0, "")
    assert "G  2 / 4" in out and "计为 4" not in out


# --- D4: the exactness check of weighted children ----------------------------------------------------------


def test_d4_weights_that_renormalise_to_exactly_100_percent_are_exact() -> None:
    """web 30% alone takes 0.3 ÷ 0.3 = 100%, with media 30% and 70%: the spec loads without `rounding:` and
    scores 97 (web alone, 3 lost) and 0.3 × 90 + 0.7 × 80 = 83."""
    spec = assessrules.load_spec(HERE / "d4_weights.yaml")
    assert spec.rounding is None
    alone = scored(spec, {"id": "a", "type": "u", "facts": {"has_media": False, "web_lost": 3}})
    both = scored(spec, {"id": "b", "type": "u", "facts": {"web_lost": 10, "media_lost": 20}})
    assert (alone.score, both.score) == (Decimal(97), Decimal(83))
    code, out, err = cli("validate", str(HERE / "d4_weights.yaml"))
    assert (code, err) == (0, ""), out


def test_d4_weights_that_do_not_renormalise_exactly_are_refused_where_the_weight_is_written() -> None:
    """其他 30%, 网站 40%, 新媒体 30% that may not apply: 其他 then takes 0.3 ÷ 0.7 = 3/7 — refused, located at
    其他's `weight:` (a place in the file), not at `$.total.children`, a key the spec does not have."""
    text = ("spec_format: 1\nmetadata: {id: t, title: t, scale: 100}\nunit_types: {u: {label: 单位}}\n"
            "facts:\n  has_media: {type: bool, label: 有新媒体, default: true}\n"
            "indicators:\n"
            "  - {id: other, name: 其他, points: 100, weight: 30%}\n"
            "  - {id: web, name: 网站, points: 100, weight: 40%}\n"
            "  - {id: media, name: 新媒体, points: 100, weight: 30%, applies_if: has_media}\n")
    with pytest.raises(assessrules.SpecError) as caught:
        assessrules.spec_from_text(text, "weights.yaml")
    [found] = caught.value.problems
    assert (found.code, found.path, found.line, found.column) == ("spec.inexact_weights", ("indicators", 0, "weight"),
                                                                  7, 48)
    assert assessrules.spec_from_text(text + "rounding: {places: 2}\n", "weights.yaml").evaluate(
        {"id": "a", "type": "u", "facts": {"has_media": False}}).score == 100


def test_d4_a_problem_of_the_top_level_children_is_located_at_indicators(tmp_path: Path) -> None:
    """Weights on some top-level children only: said at `indicators:` (line 6), not at a `total.children` that
    is not in the file; `validate --errors json` gives the same path."""
    spec = tmp_path / "partial.yaml"
    spec.write_text("spec_format: 1\nmetadata: {id: t, title: t, scale: 100}\nunit_types: {u: {label: 单位}}\n"
                    "facts: {}\nindicators:\n  - {id: web, name: 网站, points: 30, weight: 30%}\n"
                    "  - {id: media, name: 新媒体, points: 70}\n", encoding="utf-8")
    code, out, err = cli("--errors", "json", "validate", str(spec))
    assert code == 2
    paths = {p["code"]: (p["path"], p["line"]) for p in json.loads(out or err)["problems"]}
    assert paths["spec.weights_partial"] == ("$.indicators", 6)
    assert all("total" not in path for path, _ in paths.values())

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
    assert typed(fast) == typed(reference[4:])
    assert no_fraction(fast)
    result = spec.evaluate(unit)
    json.dumps(result.to_dict())
    assert result.explain()
    return result


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

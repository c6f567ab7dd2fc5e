"""Every JSON output validates against its published schema; errors carry stable codes; library manners."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import decimal
import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import assessrules
from assessrules._resources import load_schema
from assessrules.catalogue import is_line
from assessrules.cli import run
from assessrules.engine.spec import Spec
from assessrules.errors import FactsError, Problem, SpecError, UsageError
from assessrules.messages import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples/zhenping-2021-units.yaml"
RESULT_SCHEMA = jsonschema.Draft202012Validator(load_schema("result-1.schema.json"))
PROBLEM_SCHEMA = jsonschema.Draft202012Validator(load_schema("problem-1.schema.json"))
SHAPES = sorted(p for p in (ROOT / "tests/specs/shapes").glob("*.yaml") if not p.name.endswith(".tests.yaml"))


def _units() -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["units"]
    return units


def _cli(*argv: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_the_schemas_are_valid_json_schemas() -> None:
    """Both published schemas are valid draft 2020-12 schemas."""
    for name in ("result-1.schema.json", "problem-1.schema.json"):
        jsonschema.Draft202012Validator.check_schema(load_schema(name))


def test_every_result_of_the_example_validates(spec2021: Spec) -> None:
    """Result.to_dict() of every example unit validates and says its format."""
    for result in spec2021.evaluate_many(_units()):
        data = result.to_dict()
        RESULT_SCHEMA.validate(data)
        assert data["format"] == "assessrules.result/1"


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.stem)
def test_results_of_every_shape_of_spec_validate(path: Path) -> None:
    """Results under specs with bonuses, vetoes, weights and records validate too."""
    from hypothesis import HealthCheck, given, settings

    from assessrules.authoring.strategies import facts_for

    spec = assessrules.load_spec(path)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(facts_for(spec))
    def check(unit: dict[str, Any]) -> None:
        RESULT_SCHEMA.validate(json.loads(json.dumps(spec.evaluate(unit).to_dict())))

    check()


def test_a_result_that_does_not_fit_the_schema_is_refused(spec2021: Spec) -> None:
    """The schema is strict: a result with a float score or an unknown key does not validate."""
    data = spec2021.evaluate(_units()[0]).to_dict()
    with pytest.raises(jsonschema.ValidationError):
        RESULT_SCHEMA.validate({**data, "score": 99.5})
    with pytest.raises(jsonschema.ValidationError):
        RESULT_SCHEMA.validate({**data, "extra": 1})


def test_score_json_and_explain_json_and_bulletin_json_validate() -> None:
    """The command line's JSON outputs (score, explain, bulletin) validate against the result schema."""
    for argv in (["score", str(EXAMPLE), "--format", "json"],
                 ["explain", str(EXAMPLE), "--unit", "zengjia", "--format", "json"],
                 ["bulletin", str(EXAMPLE), "--quarter", "2021Q3", "--format", "json"]):
        code, out, _ = _cli(*argv)
        assert code == 0
        data = json.loads(out)
        RESULT_SCHEMA.validate(data)
        assert data["format"] == "assessrules.result/1"


def test_score_reads_facts_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    """`score - --format json` reads the facts (JSON here) from standard input, the same as from the file."""
    _, from_file, _ = _cli("score", str(EXAMPLE), "--format", "json")
    facts = json.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), default=str)
    code, from_stdin, _ = _cli("score", "-", "--format", "json", stdin=facts, monkeypatch=monkeypatch)
    assert code == 0
    assert from_stdin == from_file


def test_errors_json_prints_the_problems_document_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--errors json` prints one problems document on stderr with codes, located in the input."""
    facts = "units:\n  - {id: a, name: A, type: town, target: 3, facts: {lates: 1}}\n"
    code, out, err = _cli("score", "-", "--errors", "json", stdin=facts, monkeypatch=monkeypatch)
    assert (code, out) == (1, "")
    document = json.loads(err)
    PROBLEM_SCHEMA.validate(document)
    assert (document["error"], document["code"], document["exit_code"]) == ("FactsError", "facts.invalid", 1)
    unknown = next(p for p in document["problems"] if p["code"] == "facts.unknown")
    assert (unknown["fact"], unknown["file"], unknown["line"], unknown["path"]) == ("lates", "<stdin>", 2,
                                                                                   "$.units[0].facts.lates")


def test_errors_json_also_before_the_command_and_for_specs(tmp_path: Path) -> None:
    """`--errors json validate BAD` prints the spec's problems as JSON with their codes."""
    code, _, err = _cli("--errors", "json", "validate", str(ROOT / "tests/bad_specs/grade_gap.yaml"))
    assert code == 2
    document = json.loads(err)
    PROBLEM_SCHEMA.validate(document)
    assert [p["code"] for p in document["problems"]] == ["spec.grade_gap"]


def test_a_missing_fact_s_path_names_the_fact(spec2021: Spec) -> None:
    """A missing fact is reported at $.facts.<name>, with `fact` set and code facts.missing."""
    unit = dict(_units()[0], facts={k: v for k, v in _units()[0]["facts"].items() if k != "has_catalogue"})
    with pytest.raises(FactsError) as caught:
        spec2021.evaluate(unit)
    [problem] = caught.value.problems
    assert (problem.code, problem.fact, problem.path) == ("facts.missing", "has_catalogue", ("facts", "has_catalogue"))


def test_period_and_record_problems_carry_period_and_record(spec2021: Spec) -> None:
    """A bad monthly value names its period; a bad record field names its record (numbered from 1)."""
    unit = _units()[0]
    periods = dict(unit["periods"])
    periods["2021-03"] = {**periods["2021-03"], "info_published": -1}
    records = [dict(unit["facts"]["disclosures"][0], formed="not a date")]
    bad = dict(unit, periods=periods, facts={**unit["facts"], "disclosures": records})
    with pytest.raises(FactsError) as caught:
        spec2021.evaluate(bad)
    by_fact = {p.fact: p for p in caught.value.problems}
    assert (by_fact["info_published"].period, by_fact["info_published"].code) == ("2021-03", "facts.range")
    assert (by_fact["disclosures"].record, by_fact["disclosures"].code) == (1, "facts.field_not_date")


def test_every_problem_of_an_error_has_a_code_and_to_dict_works_on_errors() -> None:
    """An error fills in its class's code where a problem has none, and to_dict() gives the problems document."""
    error = UsageError([Problem("no"), Problem("yes", code="usage.as_of")])
    assert [p.code for p in error.problems] == ["usage.invalid", "usage.as_of"]
    document = error.to_dict()
    PROBLEM_SCHEMA.validate(document)
    assert document["exit_code"] == 2
    assert SpecError([Problem("bad")]).to_dict()["problems"][0]["code"] == "spec.invalid"
    with pytest.raises(TypeError, match=r"messages\.problem"):
        SpecError("a bare sentence")  # type: ignore[arg-type]


def _codes_in_source() -> set[str]:
    pattern = re.compile(r"""["']((?:facts|spec|usage|evaluation|request|internal)\.[a-z_]+)["']""")
    found: set[str] = set()
    for path in (ROOT / "assessrules").rglob("*.py"):
        found.update(m for m in pattern.findall(path.read_text(encoding="utf-8")) if not m.endswith("_"))
    return found - {"spec.yaml", "facts.yaml"}


def test_every_code_in_the_source_is_in_the_catalogue_and_the_docs() -> None:
    """Each code the library can give has catalogue texts and a row in docs/errors.md, and vice versa."""
    docs = (ROOT / "docs/errors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+(?:\.[a-z_]+)?)` \|", docs, re.MULTILINE))
    used = _codes_in_source()
    problem_codes = {c for c in CATALOGUE if not is_line(c)}
    assert used <= problem_codes
    assert documented == problem_codes
    assert all(m.zh and m.en for m in CATALOGUE.values())


def test_as_of_accepts_iso_text(spec2021: Spec) -> None:
    """evaluate and evaluate_many take "2022-01-10" as they take the date; other text is a usage error."""
    unit = _units()[0]
    assert spec2021.evaluate(unit, as_of="2022-01-10").to_dict() == spec2021.evaluate(
        unit, as_of=dt.date(2022, 1, 10)).to_dict()
    assert spec2021.evaluate_many([unit], as_of="2022-01-10")[0].unit.as_of == dt.date(2022, 1, 10)
    with pytest.raises(UsageError) as caught:
        spec2021.evaluate(unit, as_of="10/01/2022")
    assert caught.value.problems[0].code == "usage.as_of"


def test_evaluation_does_not_depend_on_the_caller_s_decimal_context(spec2021: Spec) -> None:
    """With a precision-2 context every figure, explanation and bulletin is the same as with the default."""
    units = _units()
    expected = [(r.to_dict(), r.explain(), r.score, r.deduction, r.direct_deduction) for r in spec2021.evaluate_many(units)]
    bulletin = spec2021.bulletin(units, "2021Q3").to_dict()
    with decimal.localcontext(decimal.Context(prec=2, rounding=decimal.ROUND_DOWN)):
        got = [(r.to_dict(), r.explain(), r.score, r.deduction, r.direct_deduction)
               for r in spec2021.evaluate_many(units)]
        one = spec2021.evaluate(units[1]).to_dict()
        narrow_bulletin = spec2021.bulletin(units, "2021Q3").to_dict()
    assert got == expected
    assert one == expected[1][0]
    assert narrow_bulletin == bulletin
    assert any("." in r[0]["score"] for r in expected)  # a score such as 89.5 would show a rounding


def test_a_spec_is_safe_to_share_between_threads(spec2021: Spec) -> None:
    """Eight threads scoring the same units at once get the results of scoring them one by one."""
    units = _units()
    expected = [json.dumps(r.to_dict(), sort_keys=True) for r in spec2021.evaluate_many(units)]

    def score(i: int) -> tuple[int, str]:
        k = i % len(units)
        result = spec2021.evaluate_many([units[k]])[0] if i % 2 else spec2021.evaluate(units[k])
        return k, json.dumps(result.to_dict(), sort_keys=True)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(score, range(160)))
    assert all(text == expected[k] for k, text in answers)

"""Property checks for any spec: invariants, shrunk counterexamples, `assessrules check`, invalid facts."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings

import assessrules
from assessrules.authoring.invariants import INVARIANTS, InvariantError, assert_invariant, check_spec
from assessrules.authoring.strategies import facts_for, invalid_facts_for
from assessrules.cli import run
from assessrules.engine.spec import Spec
from assessrules.errors import FactsError

SPEC_2021 = assessrules.load_spec("2021")
BROKEN = sorted((Path(__file__).parent / "broken_specs").glob("*.yaml"))
SHAPES = Path(__file__).parent / "specs" / "shapes"
HEADER = re.compile(r"^# broken: (\w+)$")


def test_the_2021_spec_keeps_every_invariant(spec2021: Spec) -> None:
    """No invariant breaks on the bundled spec."""
    assert check_spec(spec2021, examples=30, seed=2021) == []


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_a_broken_spec_is_caught_with_its_invariant(path: Path) -> None:
    """Each deliberately broken spec breaks the invariant its header names, with a counterexample."""
    match = HEADER.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} lacks its '# broken:' header"
    spec = assessrules.load_spec(path)
    violations = check_spec(spec, examples=150, seed=7)
    assert match[1] in [v.invariant for v in violations], "\n".join(map(str, violations))
    violation = next(v for v in violations if v.invariant == match[1])
    assert violation.example is not None
    assert str(path) in str(violation)  # located in the YAML


def test_counterexamples_are_shrunk_to_the_edge() -> None:
    """The award that rewards `errors > 3` is shown with exactly 3 errors, the least that breaks it."""
    spec = assessrules.load_spec(Path(__file__).parent / "broken_specs" / "monotonic_reward_for_violations.yaml")
    (violation,) = check_spec(spec, examples=150, seed=1, only=["monotonic"])
    assert violation.example["facts"] == {"errors": 3}
    assert "changed: errors 3 → 4" in violation.details


def test_check_command_reports_progress_and_exit_codes(spec2021: Spec) -> None:
    """0 when all hold, 1 with the broken invariant and its location otherwise, 2 for a bad spec."""
    out = io.StringIO()
    assert run(["check", "2021", "--examples", "10", "--seed", "3"], out, io.StringIO()) == 0
    text = out.getvalue()
    assert all(f"  {inv.name}" in text for inv in INVARIANTS)
    assert text.startswith("正在检查 ")
    assert " … 成立（" in text
    assert f"{len(INVARIANTS)} 项不变式全部成立（" in text
    out = io.StringIO()
    path = Path(__file__).parent / "broken_specs" / "score_expression_negative.yaml"
    assert run(["check", str(path), "--examples", "100", "--seed", "3"], out, io.StringIO()) == 1
    assert "score_range：指标“质量”（quality，" in out.getvalue()
    assert "的得分公式 `10 - errors * 2` 给出" in out.getvalue()
    assert f"位置 {path}:12:12：请限定公式" in out.getvalue()
    assert f"{len(INVARIANTS)} 项不变式中有 1 项不成立" in out.getvalue()
    out = io.StringIO()
    assert run(["check", str(path), "--examples", "100", "--seed", "3", "--lang", "en"], out, io.StringIO()) == 1
    assert "score_range: the score expression `10 - errors * 2`" in out.getvalue()
    assert f"{path}:12:12: bound it" in out.getvalue()
    assert f"1 of {len(INVARIANTS)} invariants broken" in out.getvalue()
    assert run(["check", str(Path(__file__).parent / "bad_specs" / "grade_gap.yaml")], io.StringIO(),
               io.StringIO()) == 2


def test_invariants_are_usable_from_a_pytest_suite(spec2021: Spec) -> None:
    """assert_invariant raises InvariantError, an AssertionError, naming the invariant."""
    spec = assessrules.load_spec(Path(__file__).parent / "broken_specs" / "deduction_above_target.yaml")
    with pytest.raises(InvariantError, match="deduction_bounds: the deduction 3 is outside"):
        assert_invariant(spec, "deduction_bounds",
                         {"id": "u", "type": "town", "target": 1, "facts": {"late": 9, "notices": 4}})
    assert_invariant(spec2021, "grades", spec2021_unit())


def spec2021_unit() -> dict[str, object]:
    from .helpers import make_unit

    return make_unit()


@settings(max_examples=60)
@given(data=invalid_facts_for(SPEC_2021))
def test_invalid_facts_are_always_rejected(data: tuple[str, dict[str, object]]) -> None:
    """Every unit the invalid strategy draws is rejected with a FactsError, never scored."""
    what, unit = data
    with pytest.raises(FactsError):
        SPEC_2021.evaluate(unit)
    assert what


@given(unit=facts_for(SPEC_2021, unit_type="department"))
def test_valid_facts_are_always_accepted(unit: dict[str, object]) -> None:
    """Every unit the valid strategy draws is accepted, of the type asked for."""
    assert SPEC_2021.check_unit(unit).type == "department"


CORPUS = sorted(p for p in (Path(__file__).parent / "specs" / "corpus").glob("*.yaml")
                if not p.name.endswith(".tests.yaml"))


def test_the_corpus_has_a_dozen_specs_each_with_its_source_and_cases() -> None:
    """At least 12 correct specs, each naming its source and with hand-worked scenario cases that pass."""
    from assessrules.authoring.scenarios import load_cases, run_cases

    assert len(CORPUS) >= 12
    for path in CORPUS:
        assert path.read_text(encoding="utf-8").startswith("# Source"), path.name
        spec = assessrules.load_spec(path)
        outcomes = run_cases(spec, load_cases(spec, path.with_name(path.stem + ".tests.yaml")))
        assert outcomes and all(o.passed for o in outcomes), path.name


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_check_reports_nothing_broken_on_a_correct_spec(path: Path) -> None:
    """Precision: `check` may warn on a correct spec, never report it broken."""
    violations = check_spec(assessrules.load_spec(path), examples=40, seed=24)
    assert [v for v in violations if v.severity != "warning"] == [], "\n".join(map(str, violations))


def test_a_veto_that_lifts_a_low_score_is_broken_and_named() -> None:
    """一票否决，按59分计 with `score: 59` raises a unit below 59: monotonic, naming the veto and the fix."""
    spec = assessrules.load_spec(Path(__file__).parent / "specs" / "check" / "veto_lifts.yaml")
    (violation,) = check_spec(spec, examples=40, seed=3, only=["monotonic"])
    assert violation.severity == "error"
    assert "set off the veto 「公开涉密信息造成严重后果，一票否决，按59分计」" in str(violation)
    assert "write `at_most:` instead of `score:`" in str(violation)
    assert "一票否决“公开涉密信息造成严重后果，一票否决，按59分计”" in violation.render("zh")


def test_dated_rules_fire_and_not_fire() -> None:
    """The strategies reach rules over dated records and dates: every rule fires on some unit and not on all."""
    spec = assessrules.load_spec(Path(__file__).parent / "specs" / "corpus" / "dated_updates.yaml")
    assert check_spec(spec, examples=20, seed=1, only=["fires", "perfect"]) == []


@pytest.mark.parametrize("shape", ["verdict_grade", "unit_totals", "unit_dependent", "half_periods", "gap_counts", "subunits",
                                   "date_rules", "raw_weights", "parent_score", "conversion_share", "next_edits"])
def test_check_raises_no_false_alarm_on_the_new_shapes(shape: str) -> None:
    """Grades from a verdict or a percentage, each unit's own total, rules on one unit's id, facts of several
    period kinds: check reads each as the spec means it (issue 24) and reports nothing broken."""
    out, err = io.StringIO(), io.StringIO()
    code = run(["check", str(SHAPES / f"{shape}.yaml"), "--examples", "40", "--seed", "1"], out, err)
    assert code == 0, out.getvalue() + err.getvalue()
    assert "内部错误" not in err.getvalue()


def test_check_says_what_next_years_removals_left_behind() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["check", str(SHAPES / "next_edits.yaml"), "--examples", "10", "--seed", "1"], out, err) == 0
    assert "提醒：" in err.getvalue() and "paper_missing" in err.getvalue()

"""The quick default run of the invariants: shared draws, the same verdicts, shrunk counterexamples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import assessrules
from assessrules.authoring.invariants import INVARIANTS
from assessrules.authoring.runner import examples_for, run_checks

BROKEN = sorted((Path(__file__).parent / "broken_specs").glob("*.yaml"))
HEADER = re.compile(r"^# broken: (\w+)$")


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_the_quick_run_catches_each_broken_spec_with_its_invariant(path: Path) -> None:
    """Sharing the draws, the default run still breaks exactly the invariant each broken spec names."""
    match = HEADER.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match
    violations = run_checks(assessrules.load_spec(path), examples=150, seed=7)
    assert [v.invariant for v in violations] == [match[1]], "\n".join(map(str, violations))
    assert str(path) in str(violations[0])


def test_the_quick_run_still_shrinks_a_counterexample_to_the_edge() -> None:
    """The award that rewards `errors > 3` is shown with exactly 3 errors."""
    spec = assessrules.load_spec(Path(__file__).parent / "broken_specs" / "monotonic_reward_for_violations.yaml")
    (violation,) = run_checks(spec, examples=150, seed=1)
    assert violation.example["facts"] == {"errors": 3}


def test_progress_names_every_invariant_once_running_then_done() -> None:
    """Each invariant is reported running, then ok or broken, exactly once."""
    seen: list[tuple[str, str]] = []
    run_checks(assessrules.load_spec("2021"), examples=10, seed=3, progress=lambda n, s: seen.append((n, s)))
    assert sorted(seen) == sorted([(inv.name, s) for inv in INVARIANTS for s in ("running", "ok")])
    assert all(seen[i][1] == "running" and seen[i + 1] == (seen[i][0], "ok") for i in range(0, len(seen), 2))


def test_batch_invariants_draw_a_fifth_of_the_examples() -> None:
    """`deterministic` draws up to five units per example: 100 examples become 20, never fewer than 10."""
    assert (examples_for("deterministic", 100), examples_for("deterministic", 20), examples_for("bounds", 100)) == (
        20, 10, 100)

"""A corpus of realistic one-line mistakes in the 2021 spec, each caught by `validate` or a default `check`.

Each file in ``tests/mutants/`` says what to replace in ``specs/2021.yaml`` (``replace``/``with``, and
``replace2``/``with2`` for a mistake that touches two places) and what must catch it: ``validate``, or
the name of the invariant a default ``check`` reports. By default each mutant is checked on one seed;
``-m slow`` (run by CI) checks every mutant on three seeds with the whole default ``check``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import assessrules
from assessrules.authoring.invariants import check_spec
from assessrules.errors import SpecError

ROOT = Path(__file__).parent.parent
MUTANTS = sorted((Path(__file__).parent / "mutants").glob("*.yaml"))
SEEDS = (11, 2021, 424242)


def mutate(mutant: dict[str, Any]) -> str:
    """The 2021 spec's text with the mutant's replacements made, each at exactly one place."""
    text = (ROOT / "specs" / "2021.yaml").read_text(encoding="utf-8")
    for old_key, new_key in (("replace", "with"), ("replace2", "with2")):
        if old_key in mutant:
            assert text.count(mutant[old_key]) == 1, f"`{old_key}` must match exactly once"
            text = text.replace(mutant[old_key], mutant[new_key])
    return text


def caught(path: Path, tmp_path: Path, seed: int, only: bool) -> tuple[str, list[str]]:
    """What catches the mutant: ``("validate", problems)`` or ``("check", invariants reported)``."""
    mutant = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec_path = tmp_path / "2021.yaml"
    spec_path.write_text(mutate(mutant), encoding="utf-8")
    try:
        spec = assessrules.load_spec(spec_path)
    except SpecError as exc:
        return "validate", [str(p) for p in exc.problems]
    names = [mutant["caught_by"]] if only else None
    return "check", [v.invariant for v in check_spec(spec, seed=seed, only=names)]


@pytest.mark.parametrize("path", MUTANTS, ids=[p.stem for p in MUTANTS])
def test_a_mutant_is_caught_by_what_its_file_names(path: Path, tmp_path: Path) -> None:
    """The invariant (or validation) the mutant file names reports the mistake, on one seed."""
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))["caught_by"]
    how, found = caught(path, tmp_path, SEEDS[0], only=True)
    if expected == "validate":
        assert how == "validate" and found
    else:
        assert (how, found) == ("check", [expected])


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("path", MUTANTS, ids=[p.stem for p in MUTANTS])
def test_a_mutant_is_caught_by_a_default_check_on_every_seed(path: Path, tmp_path: Path, seed: int) -> None:
    """The whole default `check` (or `validate`) catches the mutant on each of three seeds."""
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))["caught_by"]
    how, found = caught(path, tmp_path, seed, only=False)
    assert how == "validate" if expected == "validate" else expected in found


def test_the_unmutated_spec_is_clean(tmp_path: Path) -> None:
    """The 2021 spec itself breaks no invariant and has no warning, so every report above is the mutant's."""
    assert check_spec(assessrules.load_spec("2021"), seed=SEEDS[0]) == []

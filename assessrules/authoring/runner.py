"""Run the invariants of :mod:`assessrules.authoring.invariants` on a spec, quickly by default.

Drawing units is what costs in a check (a 2021 unit has twelve months and a list of records;
scoring it takes microseconds, drawing it with hypothesis milliseconds). So the default run
draws each kind of example once and puts every invariant that takes that kind to it: the
invariants that check a single unit share one stream of units, and each breaks on its own.
Only an invariant that broke is run again alone, so that hypothesis shrinks its
counterexample; if that run does not meet it again, the example that broke it is reported as
drawn. The invariant that compares whole batches (``deterministic``) draws up to five units
per example, so it takes a fifth of the examples, never fewer than 10.

``thorough=True`` runs each invariant alone with ten times the examples (the former way, long).
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.errors import NoSuchExample, Unsatisfiable

from ..engine.spec import Spec
from ..errors import AssessRulesError, FactsError
from .invariants import INVARIANTS, Invariant, Violation, check_spec

BATCH_INVARIANTS = frozenset({"deterministic"})
"""Invariants whose examples are batches of units: they take a fifth of the examples."""


def _broken(inv: Invariant, spec: Spec, example: Any) -> bool:
    try:
        return inv.check(spec, example) is not None
    except FactsError:
        return False  # the strategy drew facts the spec rejects: not this invariant's concern
    except AssessRulesError:
        return True  # a valid unit that cannot be scored is itself a broken rule


def _violation(inv: Invariant, spec: Spec, example: Any) -> Violation | None:
    try:
        return inv.check(spec, example)
    except AssessRulesError as exc:
        return Violation(inv.name, f"a valid unit could not be scored: {exc}", (), example)


def examples_for(name: str, examples: int) -> int:
    """How many examples the default run draws for the invariant ``name``."""
    return max(10, examples // 5) if name in BATCH_INVARIANTS else examples


def run_checks(spec: Spec, examples: int = 100, seed: int | None = None,
               progress: Callable[[str, str], None] | None = None, *, thorough: bool = False,
               only: Sequence[str] | None = None) -> list[Violation]:
    """Check every invariant on drawn units; return the broken ones, in the order of :data:`INVARIANTS`.

    ``progress(name, state)`` is called with ``"running"``, then ``"ok"`` or ``"broken"``, per invariant.
    """
    chosen = [inv for inv in INVARIANTS if not only or inv.name in only]
    if thorough:
        return check_spec(spec, examples * 10, seed, progress, only=[inv.name for inv in chosen])
    rng = random.Random(seed)
    groups: dict[Any, list[Invariant]] = {}
    for inv in chosen:  # invariants drawing the same kind of example share the draws
        groups.setdefault(inv.examples, []).append(inv)
    found: dict[str, Violation] = {}
    for draw, members in groups.items():
        if progress:  # the first of a group waits for the shared draws; the others are checked by then
            progress(members[0].name, "running")
        first: dict[str, Any] = {}

        def any_broken(example: Any, members: list[Invariant] = members, first: dict[str, Any] = first) -> bool:
            for inv in members:
                if inv.name not in first and _broken(inv, spec, example):
                    first[inv.name] = example
            return False  # draw them all: each invariant is to meet every example

        config = settings(max_examples=examples_for(members[0].name, examples), database=None, deadline=None,
                          derandomize=False, suppress_health_check=list(HealthCheck), phases=[Phase.generate])
        with contextlib.suppress(NoSuchExample, Unsatisfiable):  # nothing "found": every example was drawn
            find(draw(spec), any_broken, settings=config, random=random.Random(rng.random()))
        for inv in members:
            if inv.name in first:
                shrunk = check_spec(spec, examples_for(inv.name, examples), rng.randrange(2**32), only=[inv.name])
                violation = shrunk[0] if shrunk else _violation(inv, spec, first[inv.name])
                if violation is not None:
                    found[inv.name] = violation
            if progress:
                if inv is not members[0]:
                    progress(inv.name, "running")
                progress(inv.name, "broken" if inv.name in found else "ok")
    return [found[inv.name] for inv in chosen if inv.name in found]


__all__ = ["BATCH_INVARIANTS", "examples_for", "run_checks"]

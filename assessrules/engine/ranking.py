"""Ranking (名次): results ordered within each unit type, equal scores sharing a rank.

The order is a pure function of the results: unit type (in the spec's order),
score (highest first), then unit id, so the same facts give the same ranking
whatever their order in the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..rules.ruleset import Rules
    from .results import Result


def ranked(spec: Rules, results: Sequence[Result]) -> list[Result]:
    """Order results by unit type (spec order), score (highest first), then unit id."""
    order = {t: i for i, t in enumerate(spec.unit_types)}
    return sorted(results, key=lambda r: (order[r.unit.type], -r.score, r.unit.id))


def competition_ranks(group: Sequence[Result]) -> list[tuple[int, Result]]:
    """Rank results already ordered by score: equal scores share a rank (1, 2, 2, 4)."""
    out: list[tuple[int, Result]] = []
    for i, r in enumerate(group):
        rank = out[-1][0] if out and out[-1][1].score == r.score else i + 1
        out.append((rank, r))
    return out


__all__ = ["competition_ranks", "ranked"]

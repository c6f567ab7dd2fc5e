"""The ``assumptions:`` section: numbers the document does not give, chosen by the spec (解读)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Assumption
from .context import BuildContext


def build_assumptions(ctx: BuildContext, raw: Sequence[Mapping[str, Any]]) -> None:
    """Read ``assumptions:`` into the context, so that later sections can refer to them by id."""
    for i, a in enumerate(raw):
        if a["id"] in ctx.assumptions:
            ctx.say("spec.duplicate_assumption", ("assumptions", i, "id"), assumption=a["id"])
            continue
        value = a.get("value")
        ctx.assumptions[a["id"]] = Assumption(a["id"], a["clause"], a["text"], None if value is None else str(value))


__all__ = ["build_assumptions"]

"""The ``direct_deductions:`` section: deductions from the target value (直接扣分项), e.g. for notices of criticism."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..kinds import Trigger
from .context import BuildContext


def build_direct(ctx: BuildContext, raw: Mapping[str, Any] | None) -> list[Trigger]:
    """Read the ``deduct:`` list of ``direct_deductions:`` (none when the section is absent)."""
    if not raw:
        return []
    with ctx.within("label.direct"):
        return ctx.add_triggers(raw["deduct"], "deduct", ("direct_deductions", "deduct"))


__all__ = ["build_direct"]

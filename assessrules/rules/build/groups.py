"""The ``groups:`` section: groups scored from their members' results (a county from its departments and towns)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...errors import Path
from ...numbers import format_points, parse_fraction
from ..model import Group, UnitType
from .context import BuildContext


def build_groups(ctx: BuildContext, raw: Mapping[str, Mapping[str, Any]], unit_types: Mapping[str, UnitType]
                 ) -> list[Group]:
    """Read ``groups:``; members are unit types the spec declares, weights (if any) add up to 100%."""
    out: list[Group] = []
    for group_id, g in raw.items():
        path: Path = ("groups", group_id)
        members = tuple(g["members"])
        unknown = [m for m in members if m not in unit_types]
        for m in unknown:
            ctx.say("spec.group_member", path + ("members",), group=group_id, group_label=g["label"], member=m,
                    types=list(unit_types))
        weights: dict[str, Decimal] | None = None
        if "weights" in g:
            weights = {}
            for member, share in g["weights"].items():
                try:
                    weights[member] = parse_fraction(share)
                except ValueError:
                    ctx.say("spec.group_weight_percent", path + ("weights", member), group=group_id,
                            group_label=g["label"], member=str(member), value=str(share))
            if set(weights) != set(members):
                ctx.say("spec.group_weights_members", path + ("weights",), group=group_id, group_label=g["label"],
                        members=list(members))
            elif sum(weights.values(), Decimal(0)) != 1:
                ctx.say("spec.group_weights_sum", path + ("weights",), group=group_id, group_label=g["label"],
                        share=format_points(sum(weights.values(), Decimal(0)) * 100))
        if not unknown:
            out.append(Group(group_id, g["label"], members, weights, g.get("clause"), g.get("by") == "parent"))
    return out


__all__ = ["build_groups"]

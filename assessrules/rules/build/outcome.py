"""The sections between the table's total and the grade: ``bonus:``, ``conversion:`` and ``veto:``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ...errors import Path
from ...numbers import format_points, parse_fraction
from ..kinds import Trigger
from ..model import Bonus, Conversion, Grade, Rounding
from .context import BuildContext


def build_bonus(ctx: BuildContext, raw: Mapping[str, Any] | None, scale: Decimal, where: Path = ("bonus",)
                ) -> Bonus | None:
    """Read ``bonus:`` (加分项): its items, its cap and its gate on the base score (the spec's, or a part's
    at ``where``, gated on that part's score)."""
    if not raw:
        return None
    label = raw.get("label", "加分项")
    with ctx.within(*(("label.the_bonus",) if label == "加分项" else ("label.bonus", label))):
        written = raw.get("gate")
        strict = isinstance(written, Mapping) and "above" in written  # {above: 80}: 高于80分; 80 or {at_least: 80}
        if isinstance(written, Mapping):
            written = written.get("above", written.get("at_least"))
        gate = Decimal(written) if written is not None else None
        if gate is not None and not 0 < gate <= scale:
            ctx.say("spec.bonus_gate" if where == ("bonus",) else "spec.part_bonus_gate", where + ("gate",),
                    gate=format_points(gate), scale=format_points(scale))
        items = ctx.add_triggers(raw["items"], "bonus", where + ("items",))
    return Bonus(tuple(items), Decimal(raw["cap"]) if "cap" in raw else None, gate, label, raw.get("clause"), strict)


def build_conversion(raw: Mapping[str, Any] | None, scale: Decimal = Decimal(100)) -> Conversion | None:
    """Read ``conversion:`` (折算为考核分值): ``to:`` a new scale, or ``share:`` a share of the table's total and the
    bonus ((100 + 6) × 1%), which is the same as ``to:`` the scale × the share."""
    if raw is None:
        return None
    if "share" in raw:  # the schema has checked that it is a percentage
        share = parse_fraction(raw["share"])
        return Conversion(scale * share, raw.get("places"), raw.get("clause"), share)
    return Conversion(Decimal(raw["to"]), raw.get("places"), raw.get("clause"))


def build_rounding(raw: Mapping[str, Any] | None) -> Rounding | None:
    """Read ``rounding:`` (where and how the spec rounds; the schema has checked its keys)."""
    if raw is None:
        return None
    inner = raw.get("indicators")
    indicators = (Rounding(int(inner["places"]), inner.get("mode", "half_up"), "indicator", inner.get("clause"))
                  if isinstance(inner, Mapping) else None)
    return Rounding(int(raw["places"]), raw.get("mode", "half_up"), raw.get("at", "score"), raw.get("clause"),
                    indicators)


def build_vetoes(ctx: BuildContext, raw: Sequence[Mapping[str, Any]], grades: Sequence[Grade]) -> list[Trigger]:
    """Read ``veto:`` (一票否决); each names a grade the spec declares."""
    out = []
    ids = [g.id for g in grades]
    for i, entry in enumerate(raw):
        where: Path = ("veto", i)
        with ctx.within("label.veto", entry["label"]):
            if entry.get("grade") is not None and entry["grade"] not in ids:
                ctx.say("spec.veto_grade", where + ("grade",), grade_id=str(entry["grade"]), grades=ids)
                continue
            if "stop" in entry:  # it never did more than require `score:`
                ctx.say("spec.veto_stop", where + ("stop",))
            if (trigger := ctx.add_trigger(entry, "veto", where)) is not None:
                out.append(trigger)
    return out


__all__ = ["build_bonus", "build_conversion", "build_rounding", "build_vetoes"]

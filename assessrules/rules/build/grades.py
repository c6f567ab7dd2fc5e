"""The ``grades:`` section: grades from thresholds on the final score, with their consequences (结果运用).

Grades are listed from the highest down and must tile the whole score range:
no gap, no overlap, none out of reach.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ...errors import Path
from ...numbers import format_points, parse_fraction
from ..model import Grade
from .context import BuildContext


def build_grades(ctx: BuildContext, raw: Sequence[Mapping[str, Any]], scale: Decimal | None,
                 where: Path = ("grades",)) -> list[Grade]:
    """Read ``grades:`` (the spec's, or a part's at ``where``); ``scale`` is the highest score a unit can reach
    (bonus included; None: no highest)."""
    grades: list[Grade] = []
    seen: set[str] = set()
    for i, g in enumerate(raw):
        path: Path = (*where, i)
        if g["id"] in seen:
            ctx.problem(f"two grades have the id `{g['id']}`", path + ("id",), code="spec.duplicate_id")
        seen.add(g["id"])
        try:
            fraction = parse_fraction(g.get("deduct", 0))
        except ValueError as exc:
            ctx.problem(str(exc), path + ("deduct",))
            fraction = Decimal(0)
        if not 0 <= fraction <= 1:
            ctx.problem(f"a grade deducts between 0% and 100% of the target value, not {fraction * 100}%",
                        path + ("deduct",))
        low = Decimal(g["at_least"]) if "at_least" in g else None
        high = Decimal(g["below"]) if "below" in g else None
        if low is not None and high is not None and low >= high:
            ctx.problem(f"「{g['label']}」: `at_least` {format_points(low)} is not below `below` "
                        f"{format_points(high)}", path)
        grades.append(Grade(g["id"], g["label"], low, high, bool(g.get("commend", False)), fraction,
                            g.get("clause"), path, g.get("consequence")))
    _check_neighbours(ctx, grades)
    _check_ends(ctx, grades, scale)
    return grades


def _check_neighbours(ctx: BuildContext, grades: Sequence[Grade]) -> None:
    """Each grade begins where the one below it stops."""
    for upper, lower in itertools.pairwise(grades):
        if upper.at_least is None:
            ctx.problem(f"「{upper.label}」 has no `at_least`, so no grade can come below it",
                        upper.path, "list grades from the highest down; only the last may leave out `at_least`",
                        "spec.grade_gap")
            return
        if lower.below is None:
            ctx.problem(f"「{lower.label}」 has no `below`; it overlaps 「{upper.label}」", lower.path,
                        f"add `below: {format_points(upper.at_least)}`", "spec.grade_overlap")
            continue
        where = ctx.newest(lower.path + ("below",), [upper.path + ("at_least",)])
        fix = (f"set `below: {format_points(upper.at_least)}`" if where[-1] == "below"
               else f"set `at_least: {format_points(lower.below)}`")
        if lower.below < upper.at_least:
            ctx.problem(f"gap between grades: no grade covers scores from {format_points(lower.below)} "
                        f"up to {format_points(upper.at_least)} (between 「{lower.label}」 and 「{upper.label}」)",
                        where, fix, "spec.grade_gap")
        elif lower.below > upper.at_least:
            ctx.problem(f"grades overlap: scores from {format_points(upper.at_least)} to below "
                        f"{format_points(lower.below)} are both 「{upper.label}」 and 「{lower.label}」", where, fix,
                        "spec.grade_overlap")


def _check_ends(ctx: BuildContext, grades: Sequence[Grade], scale: Decimal | None) -> None:
    """Every grade can be reached; the highest reaches the top of the scale, the lowest reaches 0."""
    for grade in grades:
        if scale is not None and grade.at_least is not None and grade.at_least > scale:
            ctx.problem(f"「{grade.label}」 needs at least {format_points(grade.at_least)}, but scores go up to "
                        f"{format_points(scale)}: no unit can reach it", grade.path + ("at_least",),
                        "lower the threshold, or check `metadata.scale` and `conversion.to`", "spec.grade_unreachable")
    if not grades:
        return
    top, bottom = grades[0], grades[-1]
    if top.below is not None and (scale is None or top.below <= scale):
        ctx.problem(f"the highest grade 「{top.label}」 stops below {format_points(top.below)}, "
                    f"but scores go up to {format_points(scale) if scale is not None else 'any bonus without a cap'}",
                    top.path + ("below",),
                    "leave out `below` on the highest grade", "spec.grade_gap")
    if bottom.at_least is not None and bottom.at_least > 0:
        ctx.problem(f"no grade covers scores below {format_points(bottom.at_least)} "
                    f"(the lowest grade is 「{bottom.label}」)", bottom.path + ("at_least",),
                    "leave out `at_least` on the lowest grade", "spec.grade_gap")


__all__ = ["build_grades"]

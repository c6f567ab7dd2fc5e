"""The ``grades:`` section: grades from thresholds on the final score, with their consequences (结果运用).

Grades are listed from the highest down and must tile the whole score range:
no gap, no overlap, none out of reach. A lower threshold is inclusive (``at_least: 80``, 80分以上) or
strict (``above: 80``, 高于80分); an upper one strict (``below: 80``) or inclusive (``at_most: 80``).
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
        low, above = _threshold(ctx, g, path, "at_least", "above")
        high, at_most = _threshold(ctx, g, path, "below", "at_most")
        if low is not None and high is not None and (low > high or (low == high and (above or not at_most))):
            ctx.problem(f"「{g['label']}」: `{_low_key(above)}` {format_points(low)} is not below "
                        f"`{_high_key(at_most)}` {format_points(high)}", path)
        grades.append(Grade(g["id"], g["label"], low, high, bool(g.get("commend", False)), fraction,
                            g.get("clause"), path, g.get("consequence"), above, at_most))
    _check_neighbours(ctx, grades)
    _check_ends(ctx, grades, scale)
    return grades


def _threshold(ctx: BuildContext, g: Mapping[str, Any], path: Path, plain: str, other: str
               ) -> tuple[Decimal | None, bool]:
    """One end of a grade, written ``plain`` (at_least, below) or ``other`` (above: strict, at_most: inclusive);
    the flag is True when it was written ``other``."""
    if plain in g and other in g:
        ctx.problem(f"「{g['label']}」 has both `{plain}` and `{other}`: write one", path + (other,),
                    f"`{plain}` and `{other}` are the same threshold, {_meaning(plain)} or {_meaning(other)}")
    if other in g:
        return Decimal(g[other]), True
    return (Decimal(g[plain]), False) if plain in g else (None, False)


def _meaning(key: str) -> str:
    return {"at_least": "inclusive (以上, 达到)", "above": "strict (高于)", "below": "strict (低于, 不足)",
            "at_most": "inclusive (及以下)"}[key]


def _low_key(above: bool) -> str:
    return "above" if above else "at_least"


def _high_key(at_most: bool) -> str:
    return "at_most" if at_most else "below"


def _check_neighbours(ctx: BuildContext, grades: Sequence[Grade]) -> None:
    """Each grade begins where the one below it stops, and exactly one of them holds the threshold itself."""
    for upper, lower in itertools.pairwise(grades):
        if upper.at_least is None:
            ctx.problem(f"「{upper.label}」 has no `at_least`, so no grade can come below it",
                        upper.path, "list grades from the highest down; only the last may leave out `at_least`",
                        "spec.grade_gap")
            return
        if lower.below is None:
            ctx.problem(f"「{lower.label}」 has no `below`; it overlaps 「{upper.label}」", lower.path,
                        f"add `{'at_most' if upper.above else 'below'}: {format_points(upper.at_least)}`",
                        "spec.grade_overlap")
            continue
        low_key, high_key = _low_key(upper.above), _high_key(lower.at_most)
        where = ctx.newest(lower.path + (high_key,), [upper.path + (low_key,)])
        if lower.below == upper.at_least:
            if upper.above == lower.at_most:
                continue
            fix = (f"set `{_high_key(upper.above)}: {format_points(upper.at_least)}`" if where[-1] == high_key
                   else f"set `{_low_key(lower.at_most)}: {format_points(lower.below)}`")
            if upper.above:
                ctx.problem(f"gap between grades: no grade covers a score of exactly {format_points(lower.below)} "
                            f"(「{upper.label}」 is above it, 「{lower.label}」 below it)", where, fix, "spec.grade_gap")
            else:
                ctx.problem(f"grades overlap: a score of exactly {format_points(lower.below)} is both "
                            f"「{upper.label}」 and 「{lower.label}」", where, fix, "spec.grade_overlap")
            continue
        fix = (f"set `{high_key}: {format_points(upper.at_least)}`" if where[-1] == high_key
               else f"set `{low_key}: {format_points(lower.below)}`")
        if lower.below < upper.at_least:
            ctx.problem(f"gap between grades: no grade covers scores from {format_points(lower.below)} "
                        f"up to {format_points(upper.at_least)} (between 「{lower.label}」 and 「{upper.label}」)",
                        where, fix, "spec.grade_gap")
        else:
            ctx.problem(f"grades overlap: scores from {format_points(upper.at_least)} to "
                        f"{'' if lower.at_most else 'below '}{format_points(lower.below)} are both "
                        f"「{upper.label}」 and 「{lower.label}」", where, fix, "spec.grade_overlap")


def _check_ends(ctx: BuildContext, grades: Sequence[Grade], scale: Decimal | None) -> None:
    """Every grade can be reached; the highest reaches the top of the scale, the lowest reaches 0."""
    for grade in grades:
        low_key = _low_key(grade.above)
        if scale is not None and grade.at_least is not None and (
                grade.at_least > scale or (grade.above and grade.at_least == scale)):
            ctx.problem(f"「{grade.label}」 needs {'more than' if grade.above else 'at least'} "
                        f"{format_points(grade.at_least)}, but scores go up to "
                        f"{format_points(scale)}: no unit can reach it", grade.path + (low_key,),
                        "lower the threshold, or check `metadata.scale` and `conversion.to`", "spec.grade_unreachable")
    if not grades:
        return
    top, bottom = grades[0], grades[-1]
    if top.below is not None and (scale is None or top.below < scale or (top.below == scale and not top.at_most)):
        ctx.problem(f"the highest grade 「{top.label}」 stops {'at' if top.at_most else 'below'} "
                    f"{format_points(top.below)}, "
                    f"but scores go up to {format_points(scale) if scale is not None else 'any bonus without a cap'}",
                    top.path + (_high_key(top.at_most),),
                    f"leave out `{_high_key(top.at_most)}` on the highest grade", "spec.grade_gap")
    if bottom.at_least is not None and (bottom.at_least > 0 or (bottom.above and bottom.at_least == 0)):
        ctx.problem(f"no grade covers scores {'up to' if bottom.above else 'below'} {format_points(bottom.at_least)} "
                    f"(the lowest grade is 「{bottom.label}」)", bottom.path + (_low_key(bottom.above),),
                    f"leave out `{_low_key(bottom.above)}` on the lowest grade", "spec.grade_gap")

__all__ = ["build_grades"]

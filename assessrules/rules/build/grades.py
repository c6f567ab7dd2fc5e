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
            ctx.say("spec.duplicate_grade", path + ("id",), grade_id=g["id"])
        seen.add(g["id"])
        fraction = _deduct(ctx, g, path)
        low, above = _threshold(ctx, g, path, "at_least", "above")
        high, at_most = _threshold(ctx, g, path, "below", "at_most")
        if low is not None and high is not None and (low > high or (low == high and (above or not at_most))):
            ctx.say("spec.grade_thresholds", path, grade=g["label"], low_key=_low_key(above), low=format_points(low),
                    high_key=_high_key(at_most), high=format_points(high))
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
        ctx.say("spec.grade_both_keys", path + (other,), grade=g["label"], plain=plain, other=other)
    if other in g:
        return Decimal(g[other]), True
    return (Decimal(g[plain]), False) if plain in g else (None, False)


def _low_key(above: bool) -> str:
    return "above" if above else "at_least"


def _high_key(at_most: bool) -> str:
    return "at_most" if at_most else "below"


def _check_neighbours(ctx: BuildContext, grades: Sequence[Grade]) -> None:
    """Each grade begins where the one below it stops, and exactly one of them holds the threshold itself."""
    for upper, lower in itertools.pairwise(grades):
        if upper.at_least is None:
            ctx.say("spec.grade_not_last", upper.path, grade=upper.label)
            return
        if lower.below is None:
            ctx.say("spec.grade_no_below", lower.path, grade=lower.label, upper=upper.label,
                    key="at_most" if upper.above else "below", value=format_points(upper.at_least))
            continue
        low_key, high_key = _low_key(upper.above), _high_key(lower.at_most)
        where = ctx.newest(lower.path + (high_key,), [upper.path + (low_key,)])
        # the edit goes on the grade the author did not just change: after 优秀 moved to `at_least: 92` in an
        # extending file, 良好 follows with `below: 92` (not the undo); after 良好 moved, 优秀 follows; in one file,
        # the lower grade follows
        upper_end = upper.path + (low_key,)
        fix_lower = where == upper_end or ctx.doc.file_of(upper_end) == ctx.doc.file_of(lower.path + (high_key,))
        if lower.below == upper.at_least:
            if upper.above == lower.at_most:
                continue
            fix = ({"key": _high_key(upper.above), "value": format_points(upper.at_least), "grade": lower.label}
                   if fix_lower
                   else {"key": _low_key(lower.at_most), "value": format_points(lower.below), "grade": upper.label})
            ctx.say("spec.grade_gap_at" if upper.above else "spec.grade_overlap_at", where,
                    score=format_points(lower.below), upper=upper.label, lower=lower.label, **fix)
            continue
        fix = ({"key": high_key, "value": format_points(upper.at_least), "grade": lower.label}
               if fix_lower
               else {"key": low_key, "value": format_points(lower.below), "grade": upper.label})
        if lower.below < upper.at_least:
            ctx.say("spec.grade_gap", where, low=format_points(lower.below), high=format_points(upper.at_least),
                    lower=lower.label, upper=upper.label, **fix)
        else:
            ctx.say("spec.grade_overlap", where, low=format_points(upper.at_least), high=format_points(lower.below),
                    lower=lower.label, upper=upper.label, **fix)


def _check_ends(ctx: BuildContext, grades: Sequence[Grade], scale: Decimal | None) -> None:
    """Every grade can be reached; the highest reaches the top of the scale, the lowest reaches 0."""
    for grade in grades:
        low_key = _low_key(grade.above)
        if scale is not None and grade.at_least is not None and (
                grade.at_least > scale or (grade.above and grade.at_least == scale)):
            ctx.say("spec.grade_unreachable", grade.path + (low_key,), grade=grade.label, key=low_key,
                    threshold=format_points(grade.at_least), scale=format_points(scale))
    if not grades:
        return
    top, bottom = grades[0], grades[-1]
    if top.below is not None and (scale is None or top.below < scale or (top.below == scale and not top.at_most)):
        key = _high_key(top.at_most)
        if scale is None:
            ctx.say("spec.grade_top_uncapped", top.path + (key,), grade=top.label, key=key,
                    value=format_points(top.below))
        else:
            ctx.say("spec.grade_top", top.path + (key,), grade=top.label, key=key, value=format_points(top.below),
                    scale=format_points(scale))
    if bottom.at_least is not None and (bottom.at_least > 0 or (bottom.above and bottom.at_least == 0)):
        ctx.say("spec.grade_bottom_above" if bottom.above else "spec.grade_bottom",
                bottom.path + (_low_key(bottom.above),), grade=bottom.label, key=_low_key(bottom.above),
                value=format_points(bottom.at_least))

def build_verdict_grades(ctx: BuildContext, raw: Sequence[Mapping[str, Any]], fact_name: str,
                         facts: Mapping[str, Any]) -> list[Grade]:
    """Read ``grades:`` under ``grade_by:`` (考核等次由评议结果确定): each grade names the verdicts of the enum fact
    ``fact_name`` that give it (``verdict: [好, 较好]``), instead of thresholds; every verdict gives one grade."""
    fact = facts.get(fact_name)
    if fact is None or fact.type != "enum" or fact.period is not None:
        ctx.say("spec.grade_by", ("grade_by",), fact=fact_name,
                enums=[n for n, f in facts.items() if f.type == "enum" and f.period is None])
        return build_grades(ctx, [{k: v for k, v in g.items() if k != "verdict"} for g in raw], None)
    values: tuple[str, ...] = fact.values or ()
    grades: list[Grade] = []
    taken: dict[str, str] = {}
    for i, g in enumerate(raw):
        path: Path = ("grades", i)
        written = g.get("verdict")
        if written is None or any(k in g for k in ("at_least", "above", "below", "at_most")):
            ctx.say("spec.verdict_grade", path, grade=g["label"], fact=fact_name)
            continue
        verdicts = (written,) if isinstance(written, str) else tuple(str(v) for v in written)
        for verdict in verdicts:
            if verdict not in values:
                ctx.say("spec.verdict_value", path + ("verdict",), grade=g["label"], verdict=verdict, fact=fact_name,
                        values=list(values))
            elif verdict in taken:
                ctx.say("spec.verdict_twice", path + ("verdict",), grade=g["label"], verdict=verdict,
                        other=taken[verdict])
            else:
                taken[verdict] = g["label"]
        fraction = _deduct(ctx, g, path)
        grades.append(Grade(g["id"], g["label"], None, None, bool(g.get("commend", False)), fraction, g.get("clause"),
                            path, g.get("consequence"), verdicts=verdicts))
    missing = [v for v in values if v not in taken]
    if missing and len(grades) == len(raw):
        ctx.say("spec.verdict_missing", ("grade_by",), fact=fact_name, missing=missing)
    if len({g.id for g in grades}) != len(grades):
        ctx.say("spec.duplicate_grade", ("grades",), grade_id=next(g.id for g in grades
                                                                   if sum(h.id == g.id for h in grades) > 1))
    return grades



def _deduct(ctx: BuildContext, g: Mapping[str, Any], path: Path) -> Decimal:
    """A grade's share of the target value it deducts (``40%``, ``0.4``), checked to lie within 0 and 1."""
    try:
        fraction = parse_fraction(g.get("deduct", 0))
    except ValueError:
        ctx.say("spec.grade_deduct_percent", path + ("deduct",), grade=g["label"], value=str(g.get("deduct")))
        return Decimal(0)
    if not 0 <= fraction <= 1:
        ctx.say("spec.grade_deduct_range", path + ("deduct",), grade=g["label"], percent=format_points(fraction * 100))
    return fraction

__all__ = ["build_grades", "build_verdict_grades"]

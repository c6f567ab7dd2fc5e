"""Group results: a group (全县) scored from its members' results, after the members are scored.

A group's score is the mean of its members' scores, or with weights the weighted mix of the mean of
each member type (部门 60% + 乡镇 40%). It is computed exactly and rounded as the spec's
``rounding:`` declares (a spec with groups declares one: a mean need not terminate), then graded
with the spec's grades.

A group declared ``by: parent`` is one group per parent unit (a unit some unit names as its ``parent:``):
its members are that unit's sub-units, and the unit itself, of the member types. Its id is the group's
id and the parent's (``system.d1``), its label the parent's name and the group's label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from ..numbers import canonical, format_points, round_exact

if TYPE_CHECKING:
    from ..rules.model import Group
    from ..rules.ruleset import Rules
    from .results import Result


@attrs.frozen
class GroupResult:
    """One group's score, grade and the members it was made from."""

    id: str
    label: str
    score: Decimal
    grade: str | None  # None for a spec without grades
    members: tuple[tuple[str, str, Decimal], ...]  # (unit id, unit type, score)
    means: tuple[tuple[str, Decimal, Decimal | None], ...]  # (member type, mean score, weight)
    parent: str | None = None  # for a group by parent: the parent unit's id
    group: str | None = None  # for a group by parent: the id of the group declared (``system``)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        data = {"id": self.id, "label": self.label, "score": format_points(self.score), "grade": self.grade,
                "members": [{"id": u, "type": t, "score": format_points(s)} for u, t, s in self.members],
                "means": [{"type": t, "mean": format_points(m), "weight": None if w is None else format_points(w)}
                          for t, m, w in self.means]}
        if self.parent is not None:
            data.update(group=self.group, parent=self.parent)
        return data

    def method(self, type_label: Callable[[str], str] = str, sep: str = "；") -> str:
        """How the score was made (计算方式): each member type's mean, with its weight where the group weighs
        them, led by 全部成员平均 where it averages every member; ``type_label`` names a type (its id by default)."""
        parts = [f"{type_label(t)} 平均 {format_points(m)}" + (f" × {format_points(w * 100)}%" if w is not None else "")
                 for t, m, w in self.means]
        weighted = any(w is not None for _, _, w in self.means)
        return sep.join(parts if weighted else ["全部成员平均", *parts])

    def explain(self) -> str:
        """A short account: how the score was made, the grade."""
        grade = f" · 等次 {self.grade}" if self.grade else ""
        return (f"{self.label}（{self.id}）得分 {format_points(self.score)}{grade}\n"
                f"  {self.method()}（{len(self.members)} 个成员单位）\n")


def score_groups(spec: Rules, group: Group, results: Sequence[Result]) -> list[GroupResult]:
    """Score ``group`` from ``results``: one group, or with ``by: parent`` one per parent unit that has a sub-unit
    among ``results`` (in the order of ``results``)."""
    if not group.by_parent:
        return [score_group(spec, group, results)]
    parents = {r.record[6] for r in results if r.record[6] is not None}
    out = []
    for parent in results:
        pid = parent.record[0]
        if pid not in parents:
            continue
        members = [r for r in results if r.record[2] in group.members and (r.record[6] == pid or r is parent)]
        if any(r.record[6] == pid for r in members):
            scored = score_group(spec, group, members)
            out.append(attrs.evolve(scored, id=f"{group.id}.{pid}", label=f"{parent.record[1]}·{group.label}",
                                    parent=pid, group=group.id))
    return out


def score_group(spec: Rules, group: Group, results: Sequence[Result]) -> GroupResult:
    """Score ``group`` from the results of its members (the units of its member types among ``results``)."""
    members = [r for r in results if r.record[2] in group.members]
    by_type = {t: [r.score for r in members if r.record[2] == t] for t in group.members}
    means = {t: sum((Fraction(s) for s in scores), Fraction(0)) / len(scores) for t, scores in by_type.items() if scores}
    if group.weights is None:
        every = [Fraction(r.score) for r in members]
        exact = sum(every, Fraction(0)) / len(every) if every else Fraction(0)
    else:
        present = {t: Fraction(group.weights[t]) for t in means}  # a type with no member is left out
        total = sum(present.values(), Fraction(0))
        exact = sum((means[t] * w for t, w in present.items()), Fraction(0)) / total if total else Fraction(0)
    score = _published(spec, exact)
    # a group has no verdict of its own: under `grade_by:` it gets no grade, as without grades
    # (nor a share of a total that differs by member, under `grade_on: percentage`)
    grade = (next(g for g in spec.grades if g.contains(score)).label
             if spec.graded and spec.grade_by is None and spec.grade_on == "score" else None)
    return GroupResult(
        group.id, group.label, score, grade,
        tuple((r.record[0], r.record[2], r.score) for r in members),
        tuple((t, _published(spec, m), group.weights[t] if group.weights else None) for t, m in means.items()))


def _published(spec: Rules, value: Fraction) -> Decimal:
    if value.denominator == 1:
        return Decimal(value.numerator)
    if spec.rounding is None:  # the loader refuses groups without rounding; a terminating value is exact anyway
        return canonical(Decimal(value.numerator) / Decimal(value.denominator))
    return canonical(round_exact(value, spec.rounding.places, spec.rounding.mode))


__all__ = ["GroupResult", "score_group", "score_groups"]

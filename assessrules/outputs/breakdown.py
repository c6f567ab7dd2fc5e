"""A unit's score as columns that add up: the top-level indicators, then each step to the final score.

The columns are, in order: each top-level indicator (一级指标) as scored; where the table does not
simply add them (weights, indicators left out and rescaled), the difference as 合计折算; the rules on
the total (e.g. 月度考核, deducted from the year's score); the floor of the total (扣完为止); the bonus;
conversion and veto; and the final score (得分). For every unit the steps add up to the final score
exactly; a step that changes no unit's score is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from ..messages import text
from ..numbers import canonical

if TYPE_CHECKING:
    from ..engine.results import Result
    from ..engine.spec import Spec
    from ..rules.ruleset import Rules


@attrs.frozen
class Column:
    """One column of the breakdown: a machine id, a header (Chinese, or English), and its value for a result."""

    id: str
    label: str
    value: Callable[[Result], Decimal | None] = attrs.field(repr=False)
    summand: bool = True  # False for the final score, which the others add up to


def _top(index: int) -> Callable[[Result], Decimal | None]:
    def value(result: Result) -> Decimal | None:
        score = result.final_scores[index]
        return None if score is None else canonical(score)

    return value


def total_rules(spec: Rules) -> list[int]:
    """The indices of the rules on the total (the root indicator's own triggers, e.g. 月度考核)."""
    return [t.index for t in spec.root.triggers]


def on_total(result: Result) -> Decimal:
    """What the rules on the total moved the table's total by (negative for a deduction)."""
    rules = set(total_rules(result.spec))
    return canonical(sum((f.points or Decimal(0) for f in result.fired if f.index in rules), Decimal(0)))


def _tops_sum(spec: Spec, result: Result) -> Decimal:
    return sum((s for n in spec.root.children if (s := result.final_scores[n.index]) is not None), Decimal(0))


def _total_label(spec: Spec, lang: str) -> str:
    prefixes = {t.label.split("：", 1)[0] for t in spec.root.triggers if "：" in t.label}
    if len(prefixes) == 1 and all("：" in t.label for t in spec.root.triggers):
        return text("out.step_on_total", lang, prefix=prefixes.pop())
    return text("out.step_on_total_plain", lang)


def score_columns(spec: Spec, results: Sequence[Result], lang: str = "zh") -> list[Column]:
    """The columns of the breakdown for ``results``; every unit's summands add up to its 得分.

    The headers are Chinese, or English with ``lang="en"``; the indicators' headers are their names.
    """
    columns = [Column(n.id, n.name, _top(n.index)) for n in spec.root.children]
    moved = {id(r): on_total(r) for r in results} if spec.root.triggers else {}

    def total(result: Result) -> Decimal:
        if not spec.root.triggers:
            return Decimal(0)
        found = moved.get(id(result))
        return on_total(result) if found is None else found

    steps: list[Column] = [
        Column("rescaled", text("out.step_rescaled", lang), lambda r: canonical(r.table_score - _tops_sum(spec, r))),
        Column("on_total", _total_label(spec, lang), total),
        Column("floored", text("out.step_floored", lang), lambda r: canonical(r.base_score - r.table_score - total(r))),
    ]
    if spec.bonus is not None:
        steps.append(Column("bonus", spec.bonus.label, lambda r: r.bonus))
    steps.append(Column("converted", text("out.step_converted", lang), lambda r: canonical(r.score - r.base_score - r.bonus)))
    for step in steps:
        always = (step.id == "on_total" and bool(spec.root.triggers)) or step.id == "bonus"
        if always or any(step.value(r) for r in results):
            columns.append(step)
    columns.append(Column("score", text("out.col_score", lang), lambda r: r.score, summand=False))
    return columns


__all__ = ["Column", "on_total", "score_columns", "total_rules"]

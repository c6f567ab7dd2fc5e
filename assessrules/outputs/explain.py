"""Render a result as a readable account in the spec's own Chinese labels.

Rendering lives here only; the engine records, this module tells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..engine.results import register_view
from ..numbers import format_points
from ..periods import WORDS

if TYPE_CHECKING:
    from ..engine.results import Evidence, FiredTrigger, IndicatorResult, Result
    from ..rules.model import Bonus


def show_value(value: Any) -> str:
    """A fact value as a person reads it: 是/否, 2.5, 2021-10-08."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int):
        return format_points(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return "（空）"
    return str(value)


def _signed(points: Decimal) -> str:
    return f"+{format_points(points)}" if points >= 0 else f"−{format_points(-points)}"


def _facts_line(result: Result, facts: Mapping[str, Any]) -> str:
    parts = []
    for name, value in facts.items():
        fact = result.spec.facts.get(name)
        label = f"（{fact.label}）" if fact else ""
        parts.append(f"{name}{label} = {show_value(value)}")
    return "；".join(parts)


def _trigger_lines(result: Result, fired: FiredTrigger, pad: str, fallback_clause: str | None = None) -> list[str]:
    trigger = result.spec.triggers[fired.index]
    if fired.effect == "not_awarded":
        head = f"{pad}+0  {fired.label}（未得分，本项 {format_points(getattr(trigger, 'points', 0))} 分）"
    elif fired.effect == "no_evidence":
        head = f"{pad}+0  {fired.label}（未提供佐证材料 {getattr(trigger, 'evidence', '')}，不加分）"
    elif fired.effect == "veto":
        head = f"{pad}否决  {fired.label}"
    elif fired.effect == "zero":
        head = f"{pad}→ 0  {fired.label}"
    elif fired.effect == "multiplier":  # count: the factor; points: what it changed; the product is the raw score
        owner = result.spec.trigger_owner[fired.index]
        what = "总分" if owner == 0 else "本项得分"
        product, change = result.raw_scores[owner], fired.points or Decimal(0)
        base = f" {format_points(product - change)}" if product is not None else ""
        head = (f"{pad}{_signed(change)}  {fired.label}：{what}{base} × {show_value(fired.count)}"
                + (f" = {format_points(product)}" if product is not None else ""))
    elif fired.effect == "score":
        rated = dict(fired.facts) if fired.kind == "rating" else {}
        rating = f"：{'、'.join(show_value(v) for v in rated.values())}" if rated else ""
        head = f"{pad}= {show_value(fired.points)}  {fired.label}{rating}"
    elif fired.count is not None:
        each = getattr(trigger, "points", None)
        times = WORDS[trigger.each][2] if trigger.each in WORDS else "次"
        sizing = f"：{show_value(fired.count)} {times} × {format_points(each)} 分" if each is not None else ""
        capped = ""
        maximum = getattr(trigger, "maximum", None)
        if maximum is not None and fired.points is not None and -fired.points == maximum:
            capped = f"（本项最多扣 {format_points(maximum)} 分）"
        head = f"{pad}{_signed(fired.points or Decimal(0))}  {fired.label}{sizing}{capped}"
    else:
        head = f"{pad}{_signed(fired.points or Decimal(0))}  {fired.label}"
    lines = [head]
    inner = pad + "    "
    if fired.facts:
        lines.append(f"{inner}事实：{_facts_line(result, fired.facts)}")
    for hit in fired.periods:
        lines.append(f"{inner}{hit.period}：{_facts_line(result, hit.facts)}  {_signed(hit.points)}")
    if fired.records:
        fact = result.spec.facts[getattr(trigger, "records", "")]
        rows = result.record[4].get(fact.name, ())
        for number, severity, points in fired.records:
            title = rows[number - 1].get("title") if number <= len(rows) else None
            name = f"《{title}》" if title else ""
            lines.append(f"{inner}{fact.label} 第{number}条{name}：{severity}  {_signed(points)}")
    for evidence in fired.evidence:
        lines.extend(_evidence_lines(result, evidence, inner))
    source = []
    if fired.clause or fallback_clause:
        source.append(fired.clause or fallback_clause or "")
    if fired.assumption:
        assumption = result.spec.assumptions[fired.assumption]
        source.append(f"解读〔{assumption.id}〕{assumption.text}")
    if source:
        lines.append(f"{inner}依据：{'；'.join(source)}")
    return lines


def _evidence_lines(result: Result, evidence: Evidence, pad: str) -> list[str]:
    derived = next(d for d in result.spec.derived if d.name == evidence.name)
    lines = [f"{pad}{evidence.name}（{evidence.label}）= {show_value(evidence.value)}：{derived.expression.text}"]
    if derived.of is not None:
        fields = result.spec.facts[derived.of].fields or {}
        for number, record in evidence.records:
            parts = [f"{fields[k].label} {show_value(v)}" for k, v in record.items() if v is not None and k in fields]
            lines.append(f"{pad}    {result.spec.facts[derived.of].label} 第{number}条：{'，'.join(parts)}")
    else:
        lines.extend(f"{pad}    {period}：{show_value(value)}" for period, value in evidence.periods)
    return lines


def _assumption_line(result: Result, ref: str) -> str:
    assumption = result.spec.assumptions[ref]
    return f"解读〔{assumption.id}〕{assumption.text}"


_NOT_APPLICABLE = {
    "full_marks": "不适用于该单位，按满分计",
    "rescale": "不适用于该单位，不计入；上级指标按适用指标的分值折算",
    "spread": "不适用于该单位，不计入；其分值由同级适用指标平分",
    "weighted": "不适用于该单位，不计入；其余指标的权重按比例折算为100%",
}


def _indicator_lines(result: Result, node: IndicatorResult, children: Mapping[str, list[IndicatorResult]]) -> list[str]:
    pad = "  " * node.depth
    indicator = result.spec.nodes[result.spec.indicator(node.id).index]
    weight = (f"  权重 {format_points(indicator.weight * 100)}%" if indicator.weight is not None
              else f"  权重 = {indicator.weight_expr.text}" if indicator.weight_expr is not None else "")
    shown = "—" if node.score is None else format_points(node.score)
    graded = f"  等次 {node.grade}" if node.grade else ""
    lines = [f"{pad}{node.name}  {shown} / {format_points(node.points)}{weight}{graded}"]
    if not node.applicable:
        how = "weighted" if indicator.weighted else result.spec.not_applicable
        lines[0] += "  （" + _NOT_APPLICABLE[how] + "）"
        return lines
    kids = children.get(node.id, [])
    for child in kids:
        lines.extend(_indicator_lines(result, child, children))
    if kids and node.fired:
        subtotal = sum((k.score for k in kids if k.score is not None), Decimal(0))
        lines.append(f"{pad}    各项合计 {format_points(subtotal)}")
    for fired in node.fired:
        lines.extend(_trigger_lines(result, fired, pad + "    ", node.clause))
    for missed in node.missed:
        lines.extend(_trigger_lines(result, missed, pad + "    ", node.clause))
    if indicator.bonus is not None and not node.zeroed:
        lines.extend(_part_bonus_lines(indicator.bonus, node, pad + "    "))
    if indicator.assumption:
        lines.append(f"{pad}    {_assumption_line(result, indicator.assumption)}")
    if node.floored and node.raw is not None and node.score is not None:
        lines.append(f"{pad}    扣完为止：{format_points(node.raw)} 计为 {format_points(node.score)}"
                     + (f"（{_assumption_line(result, indicator.floor_assumption)}）" if indicator.floor_assumption
                        else ""))
    if node.capped and node.raw is not None and node.score is not None:
        lines.append(f"{pad}    不超过分值：{format_points(node.raw)} 计为 {format_points(node.score)}")
    return lines


def _part_bonus_lines(bonus: Bonus, node: IndicatorResult, pad: str) -> list[str]:
    """Why a part's own bonus (本项加分) did not count, or counted only up to its cap."""
    items = {t.index for t in bonus.items}
    fired = [f for f in node.fired if f.index in items]
    claimed = sum((f.points or Decimal(0) for f in fired), Decimal(0))
    if not fired and bonus.gate is not None and node.raw is not None:
        base = min(node.raw, node.points)
        if (base <= bonus.gate) if bonus.strict else (base < bonus.gate):
            return [f"{pad}本项得分 {format_points(base)} 未{'高于' if bonus.strict else '达到'} "
                    f"{format_points(bonus.gate)} 分，本项加分不计"]
    if bonus.cap is not None and claimed > bonus.cap:
        return [f"{pad}本项加分合计 {format_points(claimed)} 分，以上限 {format_points(bonus.cap)} 分计"]
    return []


_NUMBERS = "一二三四五六七八九十"


def _outcome_lines(result: Result) -> list[str]:
    """Bonus, conversion and veto: how the table's total became the graded score."""
    spec = result.spec
    lines: list[str] = []
    if spec.bonus is not None:
        bonus = spec.bonus
        lines.append(f"  {bonus.label}（" + (f"上限 {format_points(bonus.cap)} 分" if bonus.cap is not None else "不设上限")
                     + (f"，基础得分须{'高于' if bonus.strict else '达到'} {format_points(bonus.gate)} 分"
                        if bonus.gate is not None else "") + "）")
        for fired in result.bonus_items:
            lines.extend(_trigger_lines(result, fired, "    ", bonus.clause))
        if result.bonus_gated:
            lines.append(f"    基础得分 {format_points(result.base_score)} 未{'高于' if bonus.strict else '达到'} "
                         f"{format_points(bonus.gate or 0)} 分，"
                         f"加分不计（申报 {format_points(result.bonus_claimed)} 分）")
        elif result.bonus_claimed > result.bonus:
            lines.append(f"    加分合计 {format_points(result.bonus_claimed)} 分，以上限 {format_points(bonus.cap or 0)} 分计")
        lines.append(f"    计入加分 {format_points(result.bonus)} 分：{format_points(result.base_score)} + "
                     f"{format_points(result.bonus)} = {format_points(result.base_score + result.bonus)}")
    if spec.conversion is not None:
        c = spec.conversion
        total = result.base_score + result.bonus
        rounding = f"，四舍五入保留 {c.places} 位小数" if c.places is not None else ""
        lines.append(f"  折算为考核分值：{format_points(total)} × {format_points(c.to)} ÷ "
                     f"{format_points(spec.metadata.scale)}{rounding}")
        if c.clause:
            lines.append(f"      依据：{c.clause}")
    veto = result.veto
    if veto is not None:
        trigger = spec.triggers[veto.index]
        lines.append(f"  一票否决：{trigger.describe()}")
        if veto.facts:
            lines.append(f"      事实：{_facts_line(result, veto.facts)}")
        if veto.clause:
            lines.append(f"      依据：{veto.clause}")
    return lines


def render_text(result: Result) -> str:
    """Return the whole account of one result as text."""
    spec, unit = result.spec, result.unit
    meta = spec.metadata
    grade = spec.grades[result.grade_index]
    lines = [
        f"{unit.name}（{unit.id} · {spec.unit_types[unit.type].label}）",
        f"依据：{meta.title}" + (f"（{meta.document_number}）" if meta.document_number else "")
        + (f" · 考核日期 {unit.as_of.isoformat()}" if unit.as_of else ""),
        f"最终得分 {format_points(result.score)} 分" + (f" · 等次 {grade.label}" if spec.graded else "")
        + (" · 通报表扬" if grade.commend else "")
        + f" · 扣减目标分值 {format_points(result.deduction)} 分（目标分值 {format_points(unit.target)} 分）",
    ]
    sections = 0

    def section(title: str) -> None:
        nonlocal sections
        lines.extend(["", f"{_NUMBERS[sections]}、{title}"])
        sections += 1

    section("得分明细")
    indicators = result.indicators
    children: dict[str, list[IndicatorResult]] = {}
    for node in indicators[1:]:
        children.setdefault(node.parent or "", []).append(node)
    lines.extend(_indicator_lines(result, indicators[0], children))
    outcome = _outcome_lines(result)
    if outcome:
        section("加分、折算与否决")
        lines.extend(outcome)
        lines.append(f"  考核得分 {format_points(result.score)}")
    if spec.graded:
        _grade_lines(result, section, lines)
    _target_lines(result, section, lines)
    if result.consequences:
        section("其他结果运用（不计分）")
        lines.extend(f"  {text}" for text in result.consequences)
    lines.extend(["", _receipt_line(result)])
    return "\n".join(lines) + "\n"


def _grade_lines(result: Result, section: Callable[[str], None], lines: list[str]) -> None:
    grade = result.spec.grades[result.grade_index]
    section("考核等次")
    bounds = []
    if grade.at_least is not None:
        bounds.append(f"{format_points(grade.at_least)} {grade.low_sign} ")
    bounds.append(format_points(result.score))
    if grade.below is not None:
        bounds.append(f" {grade.high_sign} {format_points(grade.below)}")
    consequence = ("不扣分" if grade.deduct == 0
                   else f"扣除目标分值的 {format_points(grade.deduct * 100)}%：{format_points(result.grade_deduction)} 分")
    forced = "，一票否决定等" if result.veto is not None else ""
    lines.append(f"  {grade.label}（{''.join(bounds)}{forced}）：{consequence}" + ("；通报表扬" if grade.commend else ""))
    if grade.clause:
        lines.append(f"      依据：{grade.clause}")


def _target_lines(result: Result, section: Callable[[str], None], lines: list[str]) -> None:
    section("目标分值扣分")
    direct = result.direct_deductions
    if not direct:
        lines.append("  无直接扣分项")
    direct_clause = result.spec.direct_clause
    for fired in direct:
        lines.extend(_trigger_lines(result, fired, "  ", direct_clause))
    total = f"  合计扣减 {format_points(result.deduction)} 分"
    if result.deduction_capped:
        total += f"（扣完为止：不超过目标分值 {format_points(result.unit.target)} 分）"
    lines.append(total)


def _receipt_line(result: Result) -> str:
    receipt = result.receipt
    return (f"凭证：规则 {receipt.spec_id} sha256:{receipt.spec_sha256[:16]}… · "
            f"考核数据 sha256:{receipt.facts_sha256[:16]}… · assessrules {receipt.library_version}")


register_view("text", render_text)

__all__ = ["render_text", "show_value"]

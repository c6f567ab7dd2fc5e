"""Render a result as a readable account in the spec's own Chinese labels.

Rendering lives here only; the engine records, this module tells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .numbers import format_points

if TYPE_CHECKING:
    from .results import Evidence, FiredTrigger, IndicatorResult, Result


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
    elif fired.effect == "zero":
        head = f"{pad}→ 0  {fired.label}"
    elif fired.effect == "score":
        head = f"{pad}= {show_value(fired.points)}  {fired.label}"
    elif fired.count is not None:
        each = getattr(trigger, "points", None)
        times = {"month": "个月", "quarter": "个季度"}.get(trigger.each or "", "次")
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


def _indicator_lines(result: Result, node: IndicatorResult, children: Mapping[str, list[IndicatorResult]]) -> list[str]:
    pad = "  " * node.depth
    lines = [f"{pad}{node.name}  {format_points(node.score)} / {format_points(node.points)}"]
    if not node.applicable:
        lines[0] += "  （不适用于该类单位，按满分计）"
        return lines
    kids = children.get(node.id, [])
    for child in kids:
        lines.extend(_indicator_lines(result, child, children))
    if kids and node.fired:
        subtotal = sum((k.score for k in kids), Decimal(0))
        lines.append(f"{pad}    各项合计 {format_points(subtotal)}")
    for fired in node.fired:
        lines.extend(_trigger_lines(result, fired, pad + "    ", node.clause))
    for missed in node.missed:
        lines.extend(_trigger_lines(result, missed, pad + "    ", node.clause))
    if node.floored:
        lines.append(f"{pad}    扣完为止：{format_points(node.raw)} 计为 {format_points(node.score)}")
    if node.capped:
        lines.append(f"{pad}    不超过分值：{format_points(node.raw)} 计为 {format_points(node.score)}")
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
        f"最终得分 {format_points(result.score)} 分 · 等次 {grade.label}"
        + (" · 通报表扬" if grade.commend else "")
        + f" · 扣减目标分值 {format_points(result.deduction)} 分（目标分值 {format_points(unit.target)} 分）",
        "",
        "一、得分明细",
    ]
    indicators = result.indicators
    children: dict[str, list[IndicatorResult]] = {}
    for node in indicators[1:]:
        children.setdefault(node.parent or "", []).append(node)
    lines.extend(_indicator_lines(result, indicators[0], children))
    lines += ["", "二、考核等次"]
    bounds = []
    if grade.at_least is not None:
        bounds.append(f"{format_points(grade.at_least)} ≤ ")
    bounds.append(format_points(result.score))
    if grade.below is not None:
        bounds.append(f" < {format_points(grade.below)}")
    consequence = ("不扣分" if grade.deduct == 0
                   else f"扣除目标分值的 {format_points(grade.deduct * 100)}%：{format_points(result.grade_deduction)} 分")
    lines.append(f"  {grade.label}（{''.join(bounds)}）：{consequence}" + ("；通报表扬" if grade.commend else ""))
    if grade.clause:
        lines.append(f"      依据：{grade.clause}")
    lines += ["", "三、目标分值扣分"]
    direct = result.direct_deductions
    if not direct:
        lines.append("  无直接扣分项")
    direct_clause = result.spec.direct_clause
    for fired in direct:
        lines.extend(_trigger_lines(result, fired, "  ", direct_clause))
    total = f"  合计扣减 {format_points(result.deduction)} 分"
    if result.deduction_capped:
        total += f"（扣完为止：不超过目标分值 {format_points(unit.target)} 分）"
    lines.append(total)
    receipt = result.receipt
    lines += ["", f"凭证：规则 {receipt.spec_id} sha256:{receipt.spec_sha256[:16]}… · "
                  f"考核数据 sha256:{receipt.facts_sha256[:16]}… · assessrules {receipt.library_version}"]
    return "\n".join(lines) + "\n"


__all__ = ["render_text", "show_value"]

"""Render a result as a readable account in the spec's own Chinese labels.

Rendering lives here only; the engine records, this module tells. The account's own words (headings,
"事实", "依据", the steps of the sums) come from the catalogue (``out.*``) in Chinese, the default, or
English; the spec's labels, clauses and expressions are the spec's, as written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ..engine.results import register_view
from ..messages import text
from ..numbers import format_points
from ..periods import WORDS

if TYPE_CHECKING:
    from ..engine.results import Evidence, FiredTrigger, IndicatorResult, Result
    from ..rules.model import Bonus


def show_value(value: Any, lang: str = "zh") -> str:
    """A fact value as a person reads it: 是/否 (yes/no), 2.5, 2021-10-08."""
    if isinstance(value, bool):
        return text("out.yes" if value else "out.no", lang)
    if isinstance(value, Decimal | int):
        return format_points(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return text("out.empty", lang)
    return str(value)


def _signed(points: Decimal) -> str:
    return f"+{format_points(points)}" if points >= 0 else f"−{format_points(-points)}"


class _Say:
    """The catalogue's ``out.*`` lines in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, code: str, **fields: object) -> str:
        return text(f"out.{code}", self.lang, **fields)

    def value(self, value: Any) -> str:
        return show_value(value, self.lang)

    def joined(self, parts: list[str], separator: str = "semicolon") -> str:
        """Parts of one line, joined as the language joins clauses (；or ;) or a list (，or ,)."""
        return self(separator).join(parts)

    def compare(self, strict: bool) -> str:
        return self("above" if strict else "reach")


def _facts_line(result: Result, facts: Mapping[str, Any], say: _Say) -> str:
    parts = []
    for name, value in facts.items():
        fact = result.spec.facts.get(name)
        parts.append(say("fact_value_labelled" if fact else "fact_value", name=name, label=fact.label if fact else "",
                         value=say.value(value)))
    return say.joined(parts)


def _trigger_lines(result: Result, fired: FiredTrigger, pad: str, say: _Say,
                   fallback_clause: str | None = None) -> list[str]:
    trigger = result.spec.triggers[fired.index]
    if fired.effect == "not_awarded":
        head = f"{pad}+0  " + say("not_awarded", label=fired.label, points=format_points(getattr(trigger, "points", 0)))
    elif fired.effect == "no_evidence":
        head = f"{pad}+0  " + say("no_evidence", label=fired.label, evidence=getattr(trigger, "evidence", ""))
    elif fired.effect == "veto":
        head = f"{pad}{say('veto_mark')}  {fired.label}"
    elif fired.effect == "zero":
        head = f"{pad}→ 0  {fired.label}"
    elif fired.effect == "multiplier":  # count: the factor; points: what it changed; the product is the raw score
        owner = result.spec.trigger_owner[fired.index]
        what = say("total_score" if owner == 0 else "own_score")
        product, change = result.raw_scores[owner], fired.points or Decimal(0)
        base = f" {format_points(product - change)}" if product is not None else ""
        head = (f"{pad}{_signed(change)}  "
                + say("multiplied", label=fired.label, what=what, base=base, factor=say.value(fired.count))
                + (f" = {format_points(product)}" if product is not None else ""))
    elif fired.effect == "score":
        rated = dict(fired.facts) if fired.kind == "rating" else {}
        named = (say("rated", label=fired.label, values=[say.value(v) for v in rated.values()]) if rated
                 else fired.label)
        head = f"{pad}= {say.value(fired.points)}  {named}"
    elif fired.count is not None:
        head = f"{pad}{_signed(fired.points or Decimal(0))}  {_sized(result, fired, say)}"
    else:
        head = f"{pad}{_signed(fired.points or Decimal(0))}  {fired.label}"
    lines = [head]
    inner = pad + "    "
    if fired.facts:
        lines.append(inner + say("facts", facts=_facts_line(result, fired.facts, say)))
    for hit in fired.periods:
        lines.append(f"{inner}{say('period_facts', period=hit.period, facts=_facts_line(result, hit.facts, say))}"
                     f"  {_signed(hit.points)}")
    if fired.records:
        fact = result.spec.facts[getattr(trigger, "records", "")]
        rows = result.record[4].get(fact.name, ())
        for number, severity, points in fired.records:
            title = rows[number - 1].get("title") if number <= len(rows) else None
            name = f"《{title}》" if title else ""
            lines.append(f"{inner}{say('record', label=fact.label, number=number, title=name, severity=severity)}"
                         f"  {_signed(points)}")
    for evidence in fired.evidence:
        lines.extend(_evidence_lines(result, evidence, inner, say))
    source = []
    if fired.clause or fallback_clause:
        source.append(fired.clause or fallback_clause or "")
    if fired.assumption:
        source.append(_assumption_line(result, fired.assumption, say))
    if source:
        lines.append(inner + say("source", source=say.joined(source)))
    return lines


def _sized(result: Result, fired: FiredTrigger, say: _Say) -> str:
    """A counted rule in words: its label, how many times at how many points each, and its cap when reached."""
    trigger = result.spec.triggers[fired.index]
    each = getattr(trigger, "points", None)
    if fired.count is None or each is None:
        named = fired.label
    else:
        if trigger.each in WORDS:
            times = WORDS[trigger.each][2] if say.lang == "zh" else WORDS[trigger.each][0] + "s"
        else:
            times = say("times")
        named = say("sized", label=fired.label, count=say.value(fired.count), times=times, each=format_points(each))
    maximum = getattr(trigger, "maximum", None)
    if maximum is not None and fired.points is not None and -fired.points == maximum:
        named += say("capped_here", maximum=format_points(maximum))
    return named


def sized_label(result: Result, fired: FiredTrigger, lang: str = "zh") -> str:
    """What a rule that fired says in a document's words: ``未按时限公开政府信息：8 次 × 1 分``."""
    return _sized(result, fired, _Say(lang))


def trigger_lines(result: Result, fired: FiredTrigger, lang: str = "zh", clause: str | None = None) -> list[str]:
    """How one rule fired, for auditors: its facts (by id and label), derived values with their expressions
    and records, and its clause and reading — the lines ``explain`` shows under the rule."""
    return _trigger_lines(result, fired, "", _Say(lang), clause)


def receipt_line(result: Result, lang: str = "zh") -> str:
    """The line that names the rules' and the facts' SHA-256 and the library's version."""
    return _receipt_line(result, _Say(lang))


def _evidence_lines(result: Result, evidence: Evidence, pad: str, say: _Say) -> list[str]:
    derived = next(d for d in result.spec.derived if d.name == evidence.name)
    lines = [pad + say("evidence", name=evidence.name, label=evidence.label, value=say.value(evidence.value),
                       expression=derived.expression.text)]
    if derived.of is not None:
        fields = result.spec.facts[derived.of].fields or {}
        for number, record in evidence.records:
            parts = [f"{fields[k].label} {say.value(v)}" for k, v in record.items() if v is not None and k in fields]
            lines.append(f"{pad}    " + say("evidence_record", label=result.spec.facts[derived.of].label,
                                            number=number, fields=say.joined(parts, "comma")))
    else:
        lines.extend(f"{pad}    " + say("period_value", period=period, value=say.value(value))
                     for period, value in evidence.periods)
    return lines


def _assumption_line(result: Result, ref: str, say: _Say) -> str:
    assumption = result.spec.assumptions[ref]
    return say("assumption", id=assumption.id, text=assumption.text)


_NOT_APPLICABLE = {"full_marks": "na_full_marks", "rescale": "na_rescale", "spread": "na_spread",
                   "weighted": "na_weighted"}


def _indicator_lines(result: Result, node: IndicatorResult, children: Mapping[str, list[IndicatorResult]],
                     say: _Say) -> list[str]:
    pad = "  " * node.depth
    indicator = result.spec.nodes[result.spec.indicator(node.id).index]
    weight = ("  " + say("weight", weight=format_points(indicator.weight * 100)) if indicator.weight is not None
              else "  " + say("weight_expression", expression=indicator.weight_expr.text)
              if indicator.weight_expr is not None else "")
    shown = "—" if node.score is None else format_points(node.score)
    graded = "  " + say("node_grade", grade=node.grade) if node.grade else ""
    lines = [f"{pad}{node.name}  {shown} / {format_points(node.points)}{weight}{graded}"]
    if not node.applicable:
        how = "weighted" if indicator.weighted else result.spec.not_applicable
        lines[0] += "  " + say("aside", text=say(_NOT_APPLICABLE[how]))
        return lines
    kids = children.get(node.id, [])
    for child in kids:
        lines.extend(_indicator_lines(result, child, children, say))
    own_base = any(result.spec.triggers[f.index].phase == "base" for f in node.fired)  # its own `score:`
    if kids and node.fired and not own_base:
        subtotal = sum((k.score for k in kids if k.score is not None), Decimal(0))
        lines.append(f"{pad}    " + say("subtotal", points=format_points(subtotal)))
    for fired in node.fired:
        lines.extend(_trigger_lines(result, fired, pad + "    ", say, node.clause))
    for missed in node.missed:
        lines.extend(_trigger_lines(result, missed, pad + "    ", say, node.clause))
    if indicator.bonus is not None and not node.zeroed:
        lines.extend(_part_bonus_lines(indicator.bonus, node, pad + "    ", say))
    if indicator.assumption:
        lines.append(f"{pad}    {_assumption_line(result, indicator.assumption, say)}")
    if node.floored and node.raw is not None and node.score is not None:
        lines.append(f"{pad}    " + say("floored", raw=format_points(node.raw), score=format_points(node.score))
                     + (say("aside", text=_assumption_line(result, indicator.floor_assumption, say))
                        if indicator.floor_assumption else ""))
    if node.capped and node.raw is not None and node.score is not None:
        lines.append(f"{pad}    " + say("capped", raw=format_points(node.raw), score=format_points(node.score)))
    return lines


def _part_bonus_lines(bonus: Bonus, node: IndicatorResult, pad: str, say: _Say) -> list[str]:
    """Why a part's own bonus (本项加分) did not count, or counted only up to its cap."""
    items = {t.index for t in bonus.items}
    fired = [f for f in node.fired if f.index in items]
    claimed = sum((f.points or Decimal(0) for f in fired), Decimal(0))
    if not fired and bonus.gate is not None and node.raw is not None:
        base = min(node.raw, node.points)
        if (base <= bonus.gate) if bonus.strict else (base < bonus.gate):
            return [pad + say("part_bonus_gated", score=format_points(base), compare=say.compare(bonus.strict),
                              gate=format_points(bonus.gate))]
    if bonus.cap is not None and claimed > bonus.cap:
        return [pad + say("part_bonus_capped", claimed=format_points(claimed), cap=format_points(bonus.cap))]
    return []


_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """``n`` (from 1) as a heading counts it in Chinese: 一, 十, 十一, 二十三; beyond 99 in digits.

    >>> [chinese_number(n) for n in (1, 10, 11, 20, 23, 100)]
    ['一', '十', '十一', '二十', '二十三', '100']
    """
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")) + (_DIGITS[ones] if ones else "")


def _outcome_lines(result: Result, say: _Say) -> list[str]:
    """Bonus, conversion and veto: how the table's total became the graded score."""
    spec = result.spec
    lines: list[str] = []
    if spec.bonus is not None:
        bonus = spec.bonus
        terms = [say("cap", cap=format_points(bonus.cap)) if bonus.cap is not None else say("no_cap")]
        if bonus.gate is not None:
            terms.append(say("gate", compare=say.compare(bonus.strict), gate=format_points(bonus.gate)))
        lines.append(f"  {bonus.label}" + say("aside", text=say.joined(terms, "comma")))
        for fired in result.bonus_items:
            lines.extend(_trigger_lines(result, fired, "    ", say, bonus.clause))
        if result.bonus_gated:
            lines.append("    " + say("bonus_gated", base=format_points(result.base_score),
                                      compare=say.compare(bonus.strict), gate=format_points(bonus.gate or 0),
                                      claimed=format_points(result.bonus_claimed)))
        elif result.bonus_claimed > result.bonus:
            lines.append("    " + say("bonus_capped", claimed=format_points(result.bonus_claimed),
                                      cap=format_points(bonus.cap or 0)))
        lines.append("    " + say("bonus_counted", bonus=format_points(result.bonus),
                                  base=format_points(result.base_score),
                                  total=format_points(result.base_score + result.bonus)))
    if spec.conversion is not None:
        c = spec.conversion
        total = result.base_score + result.bonus
        rounding = say("rounding", places=c.places) if c.places is not None else ""
        if c.share is not None:  # a share of (table + bonus): (100 + 6) × 1%
            shown = (f"({format_points(result.base_score)} + {format_points(result.bonus)})" if spec.bonus is not None
                     else format_points(total))
            lines.append("  " + say("conversion_share", total=shown, share=f"{format_points(c.share * 100)}%",
                                    rounding=rounding))
        else:
            lines.append("  " + say("conversion", total=format_points(total), to=format_points(c.to),
                                    scale=format_points(spec.metadata.scale), rounding=rounding))
        if c.clause:
            lines.append("      " + say("source", source=c.clause))
    veto = result.veto
    if veto is not None:
        trigger = spec.triggers[veto.index]
        lines.append("  " + say("veto", rule=trigger.describe()))
        if veto.facts:
            lines.append("      " + say("facts", facts=_facts_line(result, veto.facts, say)))
        if veto.clause:
            lines.append("      " + say("source", source=veto.clause))
    return lines


def render_text(result: Result, lang: str = "zh") -> str:
    """Return the whole account of one result as text, its own words in ``lang`` (``zh`` or ``en``)."""
    say = _Say(lang)
    spec, unit = result.spec, result.unit
    meta = spec.metadata
    grade = spec.grades[result.grade_index]
    summary = [say("final_score", score=format_points(result.score))]
    if spec.graded:
        summary.append(say("final_grade", grade=grade.label))
    if grade.commend:
        summary.append(say("commended"))
    if spec.targeted:  # a spec that deducts nothing from the target value says nothing of it
        summary.append(say("final_deduction", deduction=format_points(result.deduction),
                           target=format_points(unit.target)))
    lines = [
        say("unit_head", name=unit.name, id=unit.id, type=spec.unit_types[unit.type].label) if unit.parent is None
        else say("unit_head_parent", name=unit.name, id=unit.id, type=spec.unit_types[unit.type].label,
                 parent=unit.parent),
        say("rules_of", title=meta.title)
        + (say("aside", text=meta.document_number) if meta.document_number else "")
        + (" · " + say("as_of", date=unit.as_of.isoformat()) if unit.as_of else ""),
        " · ".join(summary),
    ]
    sections = 0

    def section(title: str) -> None:
        nonlocal sections
        number = chinese_number(sections + 1) if lang == "zh" else str(sections + 1)
        lines.extend(["", say("section", number=number, title=say(title))])
        sections += 1

    section("details")
    indicators = result.indicators
    children: dict[str, list[IndicatorResult]] = {}
    for node in indicators[1:]:
        children.setdefault(node.parent or "", []).append(node)
    lines.extend(_indicator_lines(result, indicators[0], children, say))
    outcome = _outcome_lines(result, say)
    if outcome:
        section("outcome")
        lines.extend(outcome)
        lines.append("  " + say("graded_score", score=format_points(result.score)))
    if spec.graded:
        _grade_lines(result, section, lines, say)
    if spec.targeted:
        _target_lines(result, section, lines, say)
    if result.consequences:
        section("other_consequences")
        lines.extend(f"  {line}" for line in result.consequences)
    lines.extend(["", _receipt_line(result, say)])
    return "\n".join(lines) + "\n"


def _grade_lines(result: Result, section: Callable[[str], None], lines: list[str], say: _Say) -> None:
    grade = result.spec.grades[result.grade_index]
    section("grade")
    bounds = []
    by = result.spec.grade_by
    if by is not None:  # the grade is the assessor's verdict: say which, and the score beside it
        fact = result.spec.facts[by]
        bounds.append(say("grade_verdict", fact=fact.label, verdict=str(result.unit.facts.get(by)),
                          score=format_points(result.score)))
    else:
        unit = "%" if result.spec.grade_on == "percentage" else ""  # thresholds on the unit's own total (得分率)
        if grade.at_least is not None:
            bounds.append(f"{format_points(grade.at_least)}{unit} {grade.low_sign} ")
        if unit:
            total = next(i.points for i in result.indicators if i.depth == 0)
            if result.spec.conversion is not None:
                total = total * result.spec.conversion.to / result.spec.metadata.scale
            share = (result.score * 100 / total).quantize(Decimal("0.01"), ROUND_HALF_UP) if total else Decimal(0)
            bounds.append(say("grade_percentage", percent=format_points(share), score=format_points(result.score),
                              total=format_points(total)))
        else:
            bounds.append(format_points(result.score))
        if grade.below is not None:
            bounds.append(f" {grade.high_sign} {format_points(grade.below)}{unit}")
    consequence = (say("no_deduction") if grade.deduct == 0
                   else say("grade_deduction", percent=format_points(grade.deduct * 100),
                            points=format_points(result.grade_deduction)))
    forced = say("forced_by_veto") if result.veto is not None else ""
    lines.append("  " + say("grade_line", grade=grade.label, bounds="".join(bounds) + forced,
                            consequence=consequence) + (say("and_commended") if grade.commend else ""))
    if grade.clause:
        lines.append("      " + say("source", source=grade.clause))


def _target_lines(result: Result, section: Callable[[str], None], lines: list[str], say: _Say) -> None:
    section("target")
    direct = result.direct_deductions
    if not direct:
        lines.append("  " + say("no_direct"))
    direct_clause = result.spec.direct_clause
    for fired in direct:
        lines.extend(_trigger_lines(result, fired, "  ", say, direct_clause))
    total = "  " + say("total_deduction", deduction=format_points(result.deduction))
    if result.deduction_capped:
        total += say("deduction_capped", target=format_points(result.unit.target))
    lines.append(total)


def _receipt_line(result: Result, say: _Say) -> str:
    receipt = result.receipt
    return say("receipt", spec=receipt.spec_id, spec_hash=f"sha256:{receipt.spec_sha256[:16]}…",
               facts_hash=f"sha256:{receipt.facts_sha256[:16]}…", library=f"assessrules {receipt.library_version}")


register_view("text", render_text)

__all__ = ["chinese_number", "receipt_line", "render_text", "show_value", "sized_label", "trigger_lines"]

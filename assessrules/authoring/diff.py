"""What changed from one year's rules to the next, and how the change moves each unit.

:func:`diff` compares two loaded specs in the document's terms — indicators
added, removed, moved or renamed; caps, rule points, thresholds, consequences,
parameters, facts and assumptions changed, old → new — with the Chinese
labels. :func:`impact` scores the same units under both and lists every unit
whose score, grade or deduction changes, with the indicators that moved it.

A change's data (what ``diff --format json`` gives) is in Chinese, as it always was; :func:`render_diff`,
:func:`render_impact` and :meth:`Change.say` tell it in Chinese (the default) or English, the words of
the diff itself (sections, fields, "属于", "不设上限") from the catalogue (``authoring.*``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ..engine.results import plain
from ..messages import text
from ..numbers import canonical, format_points
from ._words import Said

if TYPE_CHECKING:
    from ..engine.results import Result
    from ..engine.spec import Spec
    from ..rules.kinds import Trigger
    from ..rules.model import Conversion, Indicator


@attrs.frozen
class Change:
    """One difference between two specs."""

    section: str  # metadata, indicators, rules, grades, parameters, facts, direct_deductions, assumptions
    kind: str  # added, removed, changed, moved
    id: str
    label: str
    field: str | None = None
    old: Any = None
    new: Any = None

    def __str__(self) -> str:
        return self.say("zh")

    def say(self, lang: str = "zh") -> str:
        """The change as one line, ``+ 指标（id）：…``, in ``lang`` (``zh``, the default, or ``en``)."""
        sign = {"added": "+", "removed": "-", "changed": "~", "moved": "→"}[self.kind]
        label = _show(self.label, lang)
        what = text("authoring.diff_what", lang, label=label, id=self.id) if label and label != self.id else self.id
        if self.kind == "changed":
            return text("authoring.diff_changed", lang, sign=sign, what=what, field=_field(self.field, lang),
                        old=_show(self.old, lang), new=_show(self.new, lang))
        if self.kind == "moved":
            return text("authoring.diff_moved", lang, sign=sign, what=what, old=_show(self.old, lang),
                        new=_show(self.new, lang))
        if (self.new or self.old) is None:
            return f"{sign} {what}"
        return text("authoring.diff_detail", lang, sign=sign, what=what,
                    detail=_show(self.new if self.kind == "added" else self.old, lang))

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        return {"section": self.section, "kind": self.kind, "id": self.id, "label": _data(self.label),
                "field": self.field, "old": _data(plain(self.old)), "new": _data(plain(self.new))}


SECTION_LABELS = {"metadata": "基本信息", "indicators": "指标", "rules": "扣分/得分规则", "bonus": "加分项",
                  "veto": "一票否决", "grades": "考核等次", "parameters": "参数", "facts": "考核数据（事实）",
                  "direct_deductions": "直接扣分项", "derived": "派生值", "assumptions": "解读（假设）"}


_FIELDS = {"编号": "id", "标题": "title", "发文机关": "issuer", "文号": "document_number", "年度": "year",
           "起始日期": "effective_from", "截止日期": "effective_to", "总分": "scale", "名称": "name", "分值": "points",
           "下限": "floor", "适用单位类型": "unit_types", "适用单位": "units", "权重": "weight", "依据": "clause",
           "下级分值合计等于本级": "children_add_up", "适用条件": "applies_if", "下限（含）": "at_least",
           "上限（不含）": "below", "下限不含本数（高于）": "above", "上限含本数（及以下）": "at_most",
           "通报表扬": "commend", "扣除目标分值": "deduct", "数值": "value", "解读": "assumption",
           "类型/范围": "fact_type", "计算": "expression", "内容": "text", "规则": "rule", "上限": "cap",
           "周期": "each", "条件/公式": "conditions", "门槛": "gate", "折算": "conversion", "处理": "handling",
           "评议结果": "verdicts"}
"""Each field a change names (``Change.field``, in Chinese in the data), and its catalogue line ``authoring.field_*``."""


def _field(field: str | None, lang: str) -> str:
    if field is None:
        return ""
    return text(f"authoring.field_{_FIELDS[field]}", lang) if field in _FIELDS else field


def _data(value: Any) -> Any:
    """A value of a change as plain data: a line of ours as the Chinese text it is."""
    return str(value) if isinstance(value, Said) else value


def _zh(code: str, **values: Any) -> Said:
    """A line of the diff, Chinese as text (the data), said in English on demand."""
    return Said(f"authoring.{code}", "zh", **values)


def _show(value: Any, lang: str = "zh") -> str:
    if isinstance(value, Said):
        return value.say(lang)
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, bool):
        return text("out.yes" if value else "out.no", lang)
    if value is None:
        return text("authoring.nothing_given", lang)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):  # a grade's verdicts: 较好、一般
        return text("out.rule_list", lang).join(map(str, value)) if value else text("authoring.nothing_given", lang)
    return str(value)


def _signed(points: Decimal) -> str:
    return f"+{format_points(points)}" if points > 0 else f"−{format_points(-points)}" if points < 0 else "0"


def _percent(fraction: Decimal) -> str:
    return f"{format_points(fraction * 100)}%"


def _fields(old: Any, new: Any, names: Sequence[tuple[str, str]]) -> list[tuple[str, Any, Any]]:
    out = []
    for attr, label in names:
        a, b = getattr(old, attr), getattr(new, attr)
        if a != b:
            out.append((label, a, b))
    return out


def _rules_of(triggers: Sequence[Trigger]) -> dict[str, Trigger]:
    out: dict[str, Trigger] = {}
    for t in triggers:
        key = t.label
        while key in out:
            key += "′"
        out[key] = t
    return out


def _rule_text(t: Trigger) -> str:
    return t.describe()


def _compare_rules(owner: str, old: Sequence[Trigger], new: Sequence[Trigger]) -> list[Change]:
    changes = []
    a, b = _rules_of(old), _rules_of(new)
    for label in a.keys() - b.keys():
        changes.append(Change("rules", "removed", owner, label, old=_rule_text(a[label])))
    for label in b.keys() - a.keys():
        changes.append(Change("rules", "added", owner, label, new=_rule_text(b[label])))
    for label in a.keys() & b.keys():
        x, y = a[label], b[label]
        if x.kind != y.kind:
            changes.append(Change("rules", "changed", owner, label, "规则", _rule_text(x), _rule_text(y)))
            continue
        for attr, word in (("points", "分值"), ("maximum", "上限"), ("each", "周期"), ("clause", "依据"),
                           ("assumption", "解读")):
            if getattr(x, attr, None) != getattr(y, attr, None):
                changes.append(Change("rules", "changed", owner, label, word, getattr(x, attr, None),
                                      getattr(y, attr, None)))
        old_texts = [e.text for e in x.expressions()]
        new_texts = [e.text for e in y.expressions()]
        if old_texts != new_texts:
            changes.append(Change("rules", "changed", owner, label, "条件/公式", "；".join(old_texts),
                                  "；".join(new_texts)))
    return sorted(changes, key=lambda c: (c.label, c.kind))


def _parent_name(spec: Spec, node: Indicator) -> str:
    return spec.indicator(node.parent).name if node.parent else _zh("top_level")


def diff(old: Spec, new: Spec) -> list[Change]:
    """Every difference between ``old`` and ``new``, in the document's terms; empty when they agree."""
    changes: list[Change] = []
    for label, a, b in _fields(old.metadata, new.metadata, [
            ("id", "编号"), ("title", "标题"), ("issuer", "发文机关"), ("document_number", "文号"), ("year", "年度"),
            ("effective_from", "起始日期"), ("effective_to", "截止日期"), ("scale", "总分")]):
        changes.append(Change("metadata", "changed", "metadata", _zh("section_metadata"), label, a, b))

    old_nodes = {n.id: n for n in old.nodes}
    new_nodes = {n.id: n for n in new.nodes}
    for node_id in old_nodes.keys() - new_nodes.keys():
        node = old_nodes[node_id]
        changes.append(Change("indicators", "removed", node_id, node.name,
                              old=_zh("node_text", points=format_points(node.points), parent=_parent_name(old, node))))
    for node_id in [n.id for n in new.nodes if n.id not in old_nodes]:
        node = new_nodes[node_id]
        changes.append(Change("indicators", "added", node_id, node.name,
                              new=_zh("node_text", points=format_points(node.points), parent=_parent_name(new, node))))
    for node in old.nodes:
        if node.id not in new_nodes:
            continue
        other = new_nodes[node.id]
        if node.parent != other.parent:
            changes.append(Change("indicators", "moved", node.id, other.name, old=_parent_name(old, node),
                                  new=_parent_name(new, other)))
        for label, a, b in _fields(node, other, [("name", "名称"), ("points", "分值"), ("floor", "下限"),
                                                 ("unit_types", "适用单位类型"), ("units", "适用单位"),
                                                 ("weight", "权重"), ("clause", "依据"),
                                                 ("children_add_up", "下级分值合计等于本级")]):
            changes.append(Change("indicators", "changed", node.id, other.name, label, a, b))
        a_if = node.applies_if.text if node.applies_if else None
        b_if = other.applies_if.text if other.applies_if else None
        if a_if != b_if:
            changes.append(Change("indicators", "changed", node.id, other.name, "适用条件", a_if, b_if))
        changes.extend(attrs.evolve(c, id=f"{node.id}", label=f"{other.name}「{c.label}」")
                       for c in _compare_rules(node.id, node.triggers, other.triggers))

    old_grades = {g.id: g for g in old.grades}
    new_grades = {g.id: g for g in new.grades}
    for grade_id in old_grades.keys() - new_grades.keys():
        changes.append(Change("grades", "removed", grade_id, old_grades[grade_id].label))
    for grade_id in [g.id for g in new.grades if g.id not in old_grades]:
        g = new_grades[grade_id]
        changes.append(Change("grades", "added", grade_id, g.label, new=_grade_text(g)))
    for g in old.grades:
        if g.id in new_grades:
            same = new_grades[g.id]
            for label, a, b in _fields(g, same, [("label", "名称"), ("at_least", "下限（含）"),
                                                  ("below", "上限（不含）"), ("above", "下限不含本数（高于）"),
                                                  ("at_most", "上限含本数（及以下）"), ("commend", "通报表扬"),
                                                  ("verdicts", "评议结果"), ("clause", "依据")]):
                changes.append(Change("grades", "changed", g.id, same.label, label, a, b))
            if g.deduct != same.deduct:
                changes.append(Change("grades", "changed", g.id, same.label, "扣除目标分值",
                                      _percent(g.deduct), _percent(same.deduct)))

    changes.extend(_named("parameters", old.parameters, new.parameters, lambda p: p.label, lambda p: p.value,
                          field="数值"))
    for name in old.parameters.keys() & new.parameters.keys():
        x, y = old.parameters[name], new.parameters[name]
        changes.extend(Change("parameters", "changed", name, y.label, label, a, b)
                       for label, a, b in _fields(x, y, [("label", "名称"), ("clause", "依据"), ("assumption", "解读")]))
    changes.extend(_named("facts", old.facts, new.facts, lambda f: f.label, _fact_text, field="类型/范围"))
    changes.extend(_named("derived", {d.name: d for d in old.derived}, {d.name: d for d in new.derived},
                          lambda d: d.label, lambda d: d.expression.text, field="计算"))
    changes.extend(_named("assumptions", old.assumptions, new.assumptions, lambda a: a.clause,
                          lambda a: a.text, field="内容"))
    changes.extend(attrs.evolve(c, section="direct_deductions")
                   for c in _compare_rules("direct_deductions", old.direct_deductions, new.direct_deductions))
    changes.extend(_outcome_changes(old, new))
    order = list(SECTION_LABELS)
    return sorted(changes, key=lambda c: order.index(c.section))


def _cap(cap: Decimal | None) -> str:
    return _zh("no_cap") if cap is None else _zh("cap", cap=format_points(cap))


def _outcome_changes(old: Spec, new: Spec) -> list[Change]:
    """Bonus (cap, gate, items), vetoes, the scale conversion and the not-applicable rule."""
    out: list[Change] = []
    a, b = old.bonus, new.bonus
    if (a is None) != (b is None):
        kind = "added" if b is not None else "removed"
        bonus = b or a
        assert bonus is not None
        out.append(Change("bonus", kind, "bonus", bonus.label,
                          old=None if b else _cap(bonus.cap), new=_cap(bonus.cap) if b else None))
    for label, x, y in ([("上限", a.cap, b.cap), ("门槛", a.gate, b.gate)] if a and b else []):
        if x != y:
            out.append(Change("bonus", "changed", "bonus", b.label if b else _zh("section_bonus"), label, x, y))
    out.extend(attrs.evolve(c, section="bonus")
               for c in _compare_rules("bonus", a.items if a else (), b.items if b else ()))
    out.extend(attrs.evolve(c, section="veto") for c in _compare_rules("veto", old.vetoes, new.vetoes))
    x_conv, y_conv = old.conversion, new.conversion
    if (x_conv.to if x_conv else None, x_conv.places if x_conv else None) != (
            y_conv.to if y_conv else None, y_conv.places if y_conv else None):
        def show(c: Conversion | None) -> str:
            return _zh("converted", to=format_points(c.to)) if c else _zh("not_converted")

        out.append(Change("metadata", "changed", "conversion", _zh("conversion"), "折算", show(x_conv), show(y_conv)))
    if old.not_applicable != new.not_applicable:
        out.append(Change("metadata", "changed", "not_applicable", _zh("not_applicable"), "处理",
                          old.not_applicable, new.not_applicable))
    return out


def _fact_text(f: Any) -> str:
    period = (_zh("monthly" if f.period == "month" else "quarterly") if f.period else "")
    scope: str
    if f.minimum is not None and f.maximum is not None:
        scope = _zh("fact_range", minimum=_show(f.minimum), maximum=_show(f.maximum))
    elif f.maximum is not None:
        scope = _zh("fact_at_most", maximum=_show(f.maximum))
    elif f.minimum is not None:
        scope = _zh("fact_at_least", minimum=_show(f.minimum))
    else:
        scope = ""
    need = _zh("required") if f.required else _zh("default", value=_show_default(f.default))
    return _zh("fact_text", type=f.type, period=period, scope=scope, need=need)


def _show_default(value: Any) -> Any:
    if isinstance(value, bool):
        return _zh("yes" if value else "no")
    return _zh("nothing_given") if value is None else _show(value)


def _grade_text(g: Any) -> str:
    low = f"{format_points(g.at_least)} {g.low_sign} " if g.at_least is not None else ""
    high = f" {g.high_sign} {format_points(g.below)}" if g.below is not None else ""
    return _zh("grade_text", low=low, high=high, percent=_percent(g.deduct))


def _named(section: str, old: Mapping[str, Any], new: Mapping[str, Any], label: Any, value: Any, *,
           field: str) -> list[Change]:
    out = []
    for name in old.keys() - new.keys():
        out.append(Change(section, "removed", name, label(old[name]), old=value(old[name])))
    for name in [n for n in new if n not in old]:
        out.append(Change(section, "added", name, label(new[name]), new=value(new[name])))
    for name in old.keys() & new.keys():
        if value(old[name]) != value(new[name]):
            out.append(Change(section, "changed", name, label(new[name]), field, value(old[name]), value(new[name])))
    return sorted(out, key=lambda c: (c.kind, c.id))


def render_diff(old: Spec, new: Spec, changes: Sequence[Change], lang: str = "zh") -> str:
    """The changes as text, grouped by section, in ``lang`` (``zh``, the default, or ``en``); an empty string
    when there are none."""
    if not changes:
        return ""
    lines = [text("authoring.diff_head", lang, old=old.metadata.title, old_source=old.source, new=new.metadata.title,
                  new_source=new.source)]
    for section in SECTION_LABELS:
        group = [c for c in changes if c.section == section]
        if group:
            lines += ["", text(f"authoring.section_{section}", lang), *(f"  {c.say(lang)}" for c in group)]
    lines += ["", text("authoring.diff_count", lang, count=len(changes))]
    return "\n".join(lines) + "\n"


# --- impact -----------------------------------------------------------------------------------------


@attrs.frozen
class UnitImpact:
    """How one unit's outcome moves from the old rules to the new."""

    unit_id: str
    name: str
    old: Result = attrs.field(repr=False)
    new: Result = attrs.field(repr=False)
    moved: tuple[tuple[str, str, Decimal | None, Decimal | None], ...]  # (id, name, old score, new score)
    rules: tuple[tuple[str, Decimal, Decimal], ...] = ()  # rules on the total and bonus items: (label, old, new)
    causes: tuple[Change, ...] = ()  # the changes of the rules that moved this unit: rules, thresholds, parameters…

    @property
    def grade_change(self) -> int:
        """+1 when the grade goes up, −1 when down, 0 when it stays."""
        a, b = self.old.grade_index, self.new.grade_index
        if self.old.grade == self.new.grade:
            return 0
        return 1 if b < a else -1

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        return {"id": self.unit_id, "name": self.name,
                "score": [plain(self.old.score), plain(self.new.score)],
                "grade": [self.old.grade, self.new.grade],
                "deduction": [plain(self.old.deduction), plain(self.new.deduction)],
                "indicators": [{"id": i, "name": n, "old": plain(a), "new": plain(b)} for i, n, a, b in self.moved],
                "rules": [{"label": label, "old": plain(a), "new": plain(b)} for label, a, b in self.rules],
                "causes": [c.to_dict() for c in self.causes]}


def _shift_year(unit: Mapping[str, Any], new_year: int) -> dict[str, Any]:
    from .. import periods

    out = dict(unit)
    raw = unit.get("periods")
    if isinstance(raw, Mapping):
        shifted = {}
        for label, values in raw.items():
            try:
                p = periods.parse(label)
            except ValueError:
                shifted[label] = values
                continue
            text = f"{new_year}-{p.start.month:02d}" if p.kind == "month" else f"{new_year}Q{(p.start.month + 2) // 3}"
            shifted[text] = values
        out["periods"] = shifted
    return out


def impact(old: Spec, new: Spec, units: Sequence[Mapping[str, Any]], as_of: dt.date | str | None = None
           ) -> list[UnitImpact]:
    """Score ``units`` under both specs; return every unit whose score, grade or deduction changes.

    When the new spec is for another year, the units' months and quarters are moved to that year
    (last year's facts, next year's rules); records keep their dates.
    """
    before = old.evaluate_many(units, as_of=as_of)
    shift = new.year is not None and old.year is not None and new.year != old.year
    moved_units = [_shift_year(u, new.year) for u in units] if shift and new.year is not None else list(units)
    after = new.evaluate_many(moved_units, as_of=None if shift else as_of)
    out = []
    changes = diff(old, new)
    for a, b in zip(before, after, strict=True):
        if (a.score, a.grade, a.deduction) == (b.score, b.grade, b.deduction):
            continue
        old_scores = {n.id: (n.name, a.final_scores[n.index]) for n in old.nodes}
        new_scores = {n.id: (n.name, b.final_scores[n.index]) for n in new.nodes}
        moved = []
        for node_id in dict.fromkeys([*old_scores, *new_scores]):
            x = old_scores.get(node_id)
            y = new_scores.get(node_id)
            if x is None or y is None or x[1] != y[1]:
                name = (y or x)[0]  # type: ignore[index]
                moved.append((node_id, name, canonical(x[1]) if x else None, canonical(y[1]) if y else None))
        out.append(UnitImpact(a.unit.id, a.unit.name, a, b, tuple(moved), _rules_moved(a, b),
                              _causes(a, b, {m[0] for m in moved}, changes)))
    return out


_RULE_SECTIONS = ("rules", "direct_deductions", "bonus", "veto")


def _rule_label(change: Change) -> str:
    """The rule's own label, from a change to a rule (shown as 指标「label」 for one on an indicator)."""
    return change.label.split("「", 1)[1].removesuffix("」") if "「" in change.label else change.label


def _causes(a: Result, b: Result, moved: set[str], changes: Sequence[Change]) -> tuple[Change, ...]:
    """The changes that moved this unit: the changed rules that fired under either spec, the changed
    parameters they read, the indicators whose points or floor changed among those that moved, the
    thresholds that grade the new score differently, and the consequence of the grade."""
    old, new = a.spec, b.spec
    fired = {f.label for f in a.fired} | {f.label for f in b.fired}
    reads = {n for f in a.fired for n in old.triggers[f.index].reads()} | \
        {n for f in b.fired for n in new.triggers[f.index].reads()}
    under_old = next((g.label for g in old.grades if g.contains(b.score)), None)
    def moved_it(c: Change) -> bool:
        if c.section in _RULE_SECTIONS:
            return _rule_label(c) in fired
        if c.section == "parameters":
            return c.id in reads or (c.field == "数值" and any(  # the points of a rule written as this parameter
                r.section in _RULE_SECTIONS and r.field == "分值" and (r.old, r.new) == (c.old, c.new)
                and _rule_label(r) in fired for r in changes))
        if c.section == "indicators":
            return c.id in moved and c.field in ("分值", "下限", "权重", None)
        if c.section == "grades" and c.field in ("下限（含）", "上限（不含）"):
            return under_old != b.grade
        return c.section == "grades" and c.field == "扣除目标分值" and c.id == b.grade_id and \
            a.grade_deduction != b.grade_deduction

    out = [c for c in changes if moved_it(c)]
    return tuple(out)


def _outside_the_tree(result: Result) -> dict[str, Decimal]:
    """Points by rule for the rules on the total and the bonus items (the tree's nodes tell the rest)."""
    spec = result.spec
    wanted = {t.index for t in spec.root.triggers} | ({t.index for t in spec.bonus.items} if spec.bonus else set())
    out: dict[str, Decimal] = {}
    for fired in result.fired:
        if fired.index in wanted and fired.points is not None:
            out[fired.label] = out.get(fired.label, Decimal(0)) + fired.points
    return out


def _rules_moved(old: Result, new: Result) -> tuple[tuple[str, Decimal, Decimal], ...]:
    a, b = _outside_the_tree(old), _outside_the_tree(new)
    zero = Decimal(0)
    return tuple((label, canonical(a.get(label, zero)), canonical(b.get(label, zero)))
                 for label in dict.fromkeys([*a, *b]) if a.get(label, zero) != b.get(label, zero))


def render_impact(old: Spec, new: Spec, impacts: Sequence[UnitImpact], total: int, lang: str = "zh") -> str:
    """Each changed unit with the indicators that moved it, then a summary, in ``lang`` (``zh``, the default,
    or ``en``)."""
    lines = [text("authoring.impact_head", lang, old=old.metadata.title, new=new.metadata.title, total=total,
                  changed=len(impacts))]
    for item in impacts:
        a, b = item.old, item.new
        grade = f"{a.grade} → {b.grade}" if a.grade != b.grade else a.grade
        lines.append("\n" + text("authoring.impact_unit", lang, name=item.name, id=item.unit_id,
                                 score_before=format_points(a.score), score_after=format_points(b.score), grade=grade,
                                 deduction_before=format_points(a.deduction),
                                 deduction_after=format_points(b.deduction)))
        for node_id, name, x, y in item.moved:
            if node_id == "total":
                continue
            lines.append("    " + text("authoring.impact_node", lang, name=name, id=node_id, before=_show(x, lang),
                                       after=_show(y, lang)))
        for label, x, y in item.rules:
            lines.append("    " + text("authoring.impact_rule", lang, label=label, before=_signed(x), after=_signed(y)))
        if item.causes:
            lines.append("    " + text("authoring.impact_causes", lang))
            lines += [f"      {c.say(lang)}" for c in item.causes]
    up = sum(1 for i in impacts if i.grade_change > 0)
    down = sum(1 for i in impacts if i.grade_change < 0)
    lines += ["", text("authoring.impact_summary", lang, graded=up + down, up=up, down=down,
                       lower=sum(1 for i in impacts if i.new.score < i.old.score),
                       higher=sum(1 for i in impacts if i.new.score > i.old.score))]
    return "\n".join(lines) + "\n"


__all__ = ["Change", "UnitImpact", "diff", "impact", "render_diff", "render_impact"]

"""The rules as a document (考评细则), for any spec: what an author compares line by line with the published
document, and what an office can publish.

:func:`rules_document` makes a :class:`~.model.Document` of a spec alone — no results: the 考评细则 table (一级指标
/ 二级指标 / 分值 / 考评标准 / 依据), one row per leaf indicator under its parents, each rule's label with its
standard in the document's words (:meth:`~assessrules.rules.kinds.Trigger.standard`: 发现1次扣1分，扣完为止, never a
fact id or an expression); the rules on a part's total and on the whole total as rows of their own; the total; then
the grades with their consequences on the target value, the bonus items, the vetoes, the other consequences, the
direct deductions, and the readings (解读) the spec makes where the document is silent, each marked as such.

With ``base`` (the spec it extends, or any other) each row and item that differs is marked (新增 / 修改, in a
column of its own) and what was removed is listed at the end. The comparison is made here, on the specs' own
words: a row differs when what it says differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..._version import __version__
from ...messages import text
from ...numbers import format_points
from .build import numbered, subject_of
from .model import MERGED, Block, Document, Heading, Items, Letterhead, Paragraph, Table

if TYPE_CHECKING:
    from ...engine.spec import Spec
    from ...rules.kinds import Trigger
    from ...rules.model import Grade, Indicator

_NOT_APPLICABLE = {"full_marks": "na_full", "rescale": "na_rescale", "spread": "na_spread"}

Row = tuple[str, ...]
Keyed = tuple[str, Row]
"""A row (or an item) with the key that finds it again in another spec (an indicator's id, a rule's label)."""


class _Words:
    """The catalogue's ``out.rule_*`` lines in one language, with what a spec's rows need to say."""

    def __init__(self, spec: Spec, lang: str) -> None:
        self.spec = spec
        self.lang = lang
        self.grades = {g.id: g.label for g in spec.grades}
        self.readings = {a: n for n, a in enumerate(spec.assumptions, 1)}

    def __call__(self, code: str, **fields: object) -> str:
        return text(f"out.rule_{code}", self.lang, **fields)

    def joined(self, items: Iterable[str]) -> str:
        return self("list").join(items)

    def mark(self, assumption: str | None) -> str:
        """【解读1】 after a rule or an indicator whose points rest on a reading."""
        number = self.readings.get(assumption or "")
        return self("assumption_mark", number=number) if number else ""

    def rule(self, trigger: Trigger, floored: bool = True) -> str:
        return trigger.wording(self.lang, floored=floored, grades=self.grades) + self.mark(trigger.assumption)


def _floored(node: Indicator) -> bool:
    return node.floor is not None and node.floor == 0


def _node_words(node: Indicator, say: _Words) -> list[str]:
    """What the indicator itself says besides its rules: whom it applies to, its weight, its floor, its part
    grades and bonus, how it is checked."""
    spec = say.spec
    lines: list[str] = []
    if node.unit_types is not None:
        labels = [spec.unit_types[t].label for t in spec.unit_types if t in node.unit_types]
        lines.append(say("only_types", types=say.joined(labels)))
    if node.units is not None:
        lines.append(say("only_units", count=len(node.units)))
    if node.applies_if is not None:
        lines.append(say("applies_if"))
    if node.unit_points is not None:
        lines.append(say("unit_points", points=format_points(node.points)))
    if node.weight is not None:
        lines.append(say("weight", percent=format_points(node.weight * 100)))
    elif node.weight_expr is not None:
        lines.append(say("weight_by_unit"))
    if node.floor is None and any(t.phase in ("adjust", "zero") for t in node.triggers):
        lines.append(say("no_floor"))
    elif node.floor is not None and node.floor != 0:
        lines.append(say("floor", points=format_points(node.floor)) + say.mark(node.floor_assumption))
    for grade in node.grades:
        lines.append(say("part_grade", grade=grade.label, range=_range(grade, say)))
    if node.bonus is not None:
        lines.append(say("part_bonus", cap=format_points(node.bonus.cap or node.points), gate=_gate(node, say)))
        lines.extend(say.rule(t) for t in node.bonus.items)
    if node.method:
        lines.append(say("method", method=say.joined(node.method)))
    return lines


def _gate(node: Indicator, say: _Words) -> str:
    bonus = node.bonus
    if bonus is None or bonus.gate is None:
        return ""
    return say("gate_part_strict" if bonus.strict else "gate_part", gate=format_points(bonus.gate))


def _standard(node: Indicator, say: _Words) -> str:
    floored = _floored(node)
    lines = [say.rule(t, floored) for t in node.triggers]
    if node.assumption:  # its points or its scope rest on a reading
        lines = [*lines[:-1], lines[-1] + say.mark(node.assumption)] if lines else [say.mark(node.assumption)]
    return "\n".join([*lines, *_node_words(node, say)]).strip()


def _leaves(node: Indicator, trail: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], Indicator]]:
    """The indicators under ``node`` that get a row: the leaves, and every inner node with rules of its own
    (after its children, as 本项整体), each with the names of the nodes between."""
    for child in node.children:
        names = (*trail, child.name)
        if child.is_leaf:
            yield names, child
        else:
            yield from _leaves(child, names)
            if child.triggers or child.bonus is not None or child.grades:
                yield (*names, ""), child


def _table_rows(spec: Spec, say: _Words) -> list[Keyed]:
    rows: list[Keyed] = []
    for top in spec.root.children:
        if top.is_leaf:
            rows.append((top.id, (top.name, "", format_points(top.points), _standard(top, say), top.clause or "")))
            continue
        first = True
        for names, node in _leaves(top, ()):
            own = names[-1] == ""
            second = " · ".join(n for n in names if n) + ("" if not own else "（" + say("on_part") + "）")
            points = "" if own else format_points(node.points)
            key = f"{node.id}:own" if own else node.id
            rows.append((key, (top.name if first else MERGED, second, points, _standard(node, say), node.clause or "")))
            first = False
        if top.triggers or top.bonus is not None or top.grades or top.floor != 0 or top.weight is not None:
            words = _standard(top, say)
            if words:
                rows.append((f"{top.id}:own", (MERGED, say("on_part"), "", words, top.clause or "")))
    root = spec.root
    total_words = [say.rule(t, _floored(root)) for t in root.triggers]
    if total_words:
        clauses = list(dict.fromkeys(t.clause or root.clause or "" for t in root.triggers))
        rows.append(("total:rules", (say("on_total"), "", "", "\n".join(total_words), "\n".join(c for c in clauses if c))))
    rows.append(("total", (say("total"), "", format_points(root.points), say("total_note", points=format_points(
        sum((c.points for c in root.children), Decimal(0)))) if root.children_add_up else "", root.clause or "")))
    return rows


def _range(grade: Grade, say: _Words) -> str:
    by = say.spec.grade_by
    if by is not None:  # 评议结果为好
        return say("verdict", fact=say.spec.facts[by].label, verdicts=say("list").join(grade.verdicts))
    parts = []
    pct = "pct_" if say.spec.grade_on == "percentage" else ""  # 得分率75%及以上
    if grade.at_least is not None:
        parts.append(say(pct + ("above" if grade.above else "at_least"), points=format_points(grade.at_least)))
    if grade.below is not None:
        parts.append(say(pct + ("at_most" if grade.at_most else "below"), points=format_points(grade.below)))
    return say("range_join").join(parts) if parts else say("any_score")


def _grade_rows(spec: Spec, say: _Words) -> list[Keyed]:
    rows: list[Keyed] = []
    for grade in spec.grades:
        uses = [say("commend")] if grade.commend else []
        uses.append(say("target_off", percent=format_points(grade.deduct * 100)) if grade.deduct
                    else say("target_kept"))
        if grade.consequence:
            uses.append(grade.consequence)
        rows.append((grade.id, (grade.label, _range(grade, say), say("semicolon").join(uses), grade.clause or "")))
    return rows


def _rule_rows(triggers: Sequence[Trigger], say: _Words, clause: str | None = None) -> list[Keyed]:
    return [(t.label, (t.label, t.standard(say.lang, grades=say.grades) + say.mark(t.assumption),
                       t.clause or clause or "")) for t in triggers]


def _assumption_rows(spec: Spec, say: _Words) -> list[Keyed]:
    rows: list[Keyed] = []
    for n, (key, a) in enumerate(spec.assumptions.items(), 1):
        words = say("assumption_value", text=a.text, value=a.value) if a.value is not None else a.text
        rows.append((key, (say("reading", number=n), a.id, a.clause, words)))
    return rows


def _sections(spec: Spec, say: _Words) -> list[tuple[str, str, tuple[str, ...], list[Keyed], list[str], tuple[int, ...]]]:
    """Each section after the table: (key, heading, header, rows, paragraphs before the table, widths)."""
    rule_header = (say("col_item"), say("col_standard"), say("col_basis"))
    out: list[tuple[str, str, tuple[str, ...], list[Keyed], list[str], tuple[int, ...]]] = []
    notes: list[str] = []
    if spec.conversion is not None:
        places = say("places", places=spec.conversion.places) if spec.conversion.places is not None else ""
        if spec.conversion.share is not None:  # (table + bonus) × 1%
            notes.append(say("conversion_share", share=f"{format_points(spec.conversion.share * 100)}%", places=places))
        else:
            notes.append(say("conversion", to=format_points(spec.conversion.to), places=places))
    if spec.rounding is not None:
        mode = say("half_up") if spec.rounding.mode == "half_up" else ""
        notes.append(say("rounding", places=spec.rounding.places, mode=mode))
    if any(n.limited for n in spec.nodes):
        notes.append(say(_NOT_APPLICABLE.get(spec.not_applicable, "na_full")))
    if spec.graded:
        out.append(("grades", say("grades_heading"), (say("col_grade"), say("col_range"), say("col_use"),
                                                      say("col_basis")), _grade_rows(spec, say), notes, (3, 5, 7, 8)))
    else:
        out.append(("grades", say("grades_heading"), (), [], [say("not_graded"), *notes], ()))
    if spec.bonus is not None:
        bonus = spec.bonus
        lead = [say("bonus_cap", cap=format_points(bonus.cap)) if bonus.cap is not None else say("bonus_no_cap")]
        if bonus.gate is not None:
            lead.append(say("bonus_gate_strict" if bonus.strict else "bonus_gate", gate=format_points(bonus.gate)))
        out.append(("bonus", say("bonus_heading"), rule_header, _rule_rows(bonus.items, say, bonus.clause),
                    ["".join(lead)], (6, 8, 7)))
    if spec.vetoes:
        out.append(("veto", say("veto_heading"), rule_header, _rule_rows(spec.vetoes, say), [], (6, 8, 7)))
    if spec.consequences:
        out.append(("consequences", say("consequences_heading"), rule_header, _rule_rows(spec.consequences, say), [],
                    (6, 8, 7)))
    if spec.direct_deductions:
        out.append(("direct", say("direct_heading"), rule_header,
                    _rule_rows(spec.direct_deductions, say, spec.direct_clause), [say("direct_note")], (6, 8, 7)))
    if spec.groups:
        lines = []
        for g in spec.groups:
            if g.weights:
                weights = say.joined(say("group_weight", type=spec.unit_types[t].label, percent=format_points(w * 100))
                                     for t, w in g.weights.items())
                lines.append(say("group_weighted", label=g.label, weights=weights))
            else:
                lines.append(say("group_mean", label=g.label,
                                 members=say.joined(spec.unit_types[t].label for t in g.members)))
        out.append(("groups", say("groups_heading"), (), [], lines, ()))
    if spec.assumptions:
        out.append(("assumptions", say("assumptions_heading"),
                    (say("col_number"), say("col_id"), say("col_where"), say("col_reading")),
                    _assumption_rows(spec, say), [say("assumptions_note")], (2, 4, 7, 12)))
    return out


def _marks(rows: Sequence[Keyed], before: Sequence[Keyed] | None, say: _Words) -> list[str]:
    """新增 / 修改 / nothing for each row, against the same section of the base (nothing at all without one)."""
    if before is None:
        return []
    old = dict(before)
    return [say("new") if key not in old else say("changed") if _plain(old[key]) != _plain(row) else ""
            for key, row in rows]


def _plain(row: Row) -> Row:
    return tuple("" if cell == MERGED else cell for cell in row)


def _marked(header: tuple[str, ...], widths: tuple[int, ...], rows: Sequence[Keyed], before: Sequence[Keyed] | None,
            say: _Words) -> tuple[tuple[str, ...], tuple[int, ...], tuple[Row, ...], bool]:
    """The table's header, widths and rows, with a 变化 column when compared; and whether any row is marked."""
    cells = tuple(row for _, row in rows)
    if before is None:
        return header, widths, cells, False
    marks = _marks(rows, before, say)
    return ((*header, say("col_change")), (*widths, 2), tuple((*row, m) for row, m in zip(cells, marks, strict=True)),
            any(marks))


def _removed(spec: Spec, base: Spec, say: _Words) -> list[str]:
    """What ``base`` has that ``spec`` no longer has: its indicators, grades and items, in words."""
    keys = {key for key, _ in _table_rows(spec, say)}
    nodes = {n.id: n for n in base.nodes}
    out = [say("removed_indicator", name=nodes[key].name, points=format_points(nodes[key].points))
           for key, _ in _table_rows(base, say) if key not in keys and key in nodes]
    mine = {s[0]: s for s in _sections(spec, say)}
    for key, heading, _, items, _, _ in _sections(base, say):
        now = {k for k, _ in mine[key][3]} if key in mine else set()
        out += [say("removed_item", section=heading, label=row[1] if key == "assumptions" else row[0])
                for k, row in items if k not in now]
    return out


def rules_document(spec: Spec, *, base: Spec | None = None, lang: str = "zh") -> Document:
    """The spec as its 考评细则: the table, the grades, bonus, vetoes, consequences, direct deductions and readings;
    with ``base``, what differs from it marked (新增 / 修改) and what it no longer has listed at the end."""
    say = _Words(spec, lang)
    old = _Words(base, lang) if base is not None else None
    meta = spec.metadata
    number = say("number", number=meta.document_number) if meta.document_number else ""
    blocks: list[Block] = [Paragraph(say("opening", title=meta.title, number=number,
                                         scale=format_points(spec.root.points)))]
    if len(spec.sources) > 1 and base is None:
        blocks.append(Paragraph(say("extends", base=spec.sources[-2].replace("\\", "/").rsplit("/", 1)[-1])))
    head = numbered(1, lang)
    rows = _table_rows(spec, say)
    old_rows = _table_rows(base, old) if base is not None and old is not None else None
    header, widths, body, changed = _marked(
        (say("col_top"), say("col_second"), say("col_points"), say("col_standard"), say("col_basis")),
        (4, 5, 2, 14, 8), rows, old_rows, say)
    body_blocks: list[Block] = [Heading(head(0) + say("table_heading"), 1),
                                Table(header, body, numeric=frozenset({2}), widths=widths, total=True, size="small")]
    sections = _sections(spec, say)
    old_sections = {s[0]: s[3] for s in _sections(base, old)} if base is not None and old is not None else None
    for n, (key, heading, sub_header, items, lead, sub_widths) in enumerate(sections, 1):
        body_blocks.append(Heading(head(n) + heading, 1))
        body_blocks.extend(Paragraph(line) for line in lead)
        if sub_header:
            before = None if old_sections is None else old_sections.get(key, [])
            cells_header, cells_widths, cells, marked = _marked(sub_header, sub_widths, items, before, say)
            changed = changed or marked
            body_blocks.append(Table(cells_header, cells, widths=cells_widths, size="small"))
    removed = _removed(spec, base, say) if base is not None else []
    if removed:
        body_blocks.append(Heading(head(len(sections) + 1) + say("removed_heading"), 1))
        body_blocks.append(Items(tuple(removed)))
    if base is not None:
        blocks.append(Paragraph(say("compared" if changed or removed else "unchanged", base=base.metadata.title)))
    letterhead = Letterhead(meta.issuer, meta.document_number, None)
    footer = text("out.doc_footer", lang, spec=meta.id, sha=f"sha256:{spec.sha256[:16]}…",
                  library=f"assessrules {__version__}")
    return Document("rules", say("title", subject=subject_of(meta.title)), None, letterhead,
                    (*blocks, *body_blocks), official=False, footer=footer, language=lang)


__all__ = ["rules_document"]

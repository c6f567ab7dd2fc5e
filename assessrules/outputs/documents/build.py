"""The documents an office issues, made from results: the 公示, the quarterly 通报, the 扣分明细 and the report.

Each builder returns a :class:`~.model.Document` in the document's words: unit names, indicator names, the
rules' labels with their counts (``未按时限公开政府信息：8 次 × 1 分，扣8分``) and the clauses they come from.
Fact ids, formulas and evidence records go to the appendix (计算依据), for auditors. Units are ordered by
unit type (the spec's order), then rank — never by id. Nothing is recomputed: every figure is the result's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..._version import __version__
from ...engine.ranking import competition_ranks, ranked
from ...messages import text
from ...numbers import format_points
from ..explain import chinese_number, receipt_line, sized_label, trigger_lines
from ..report import minus
from .model import (
    MERGED,
    Appendix,
    Bar,
    Block,
    Chart,
    Document,
    Heading,
    Items,
    Keep,
    Letterhead,
    Listing,
    Paragraph,
    Signature,
    Table,
)

if TYPE_CHECKING:
    from ...engine.bulletin import Bulletin
    from ...engine.groups import GroupResult
    from ...engine.results import FiredTrigger, IndicatorResult, Result
    from ...engine.spec import Spec

_ENDINGS = re.compile(r"(考核|考评|评估|考核评价)?(实施办法|暂行办法|办法|实施细则|细则|实施方案|方案|规则)$")
_REASONS = frozenset({"deduction", "not_awarded", "no_evidence", "zero", "veto", "multiplier"})


class _Say:
    """The catalogue's ``out.doc_*`` lines in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, code: str, **fields: object) -> str:
        return text(f"out.doc_{code}", self.lang, **fields)

    def date(self, day: dt.date | None) -> str:
        if day is None:
            return ""
        if self.lang == "zh":
            return self("date", year=day.year, month=day.month, day=day.day)
        return day.isoformat()

    def quarter(self, label: str, within: str = "") -> str:
        """``2021Q3`` as 2021年第三季度, or 第三季度 when ``within`` (a title) names the year already."""
        year, number = label.split("Q")
        named = chinese_number(int(number)) if self.lang == "zh" else number
        return self("quarter_only" if self.lang == "zh" and year in within else "quarter", year=year, number=named)

    def month(self, label: str) -> str:
        """``2021-07`` as 7月; any other period label as it is."""
        match = re.fullmatch(r"\d{4}-(\d{2})", label)
        return self("month", month=int(match.group(1))) if match else label

    def joined(self, items: Iterable[str]) -> str:
        return ("、" if self.lang == "zh" else ", ").join(items)


def subject_of(title: str) -> str:
    """The rules' title without its last words: 镇坪县2021年政务公开工作考核办法 → 镇坪县2021年政务公开工作."""
    return _ENDINGS.sub("", title) or title


def letterhead_of(spec: Spec, results: Sequence[Result], issuer: str | None = None, number: str | None = None,
                  date: dt.date | None = None) -> Letterhead:
    """The letterhead: ``issuer`` or the spec's issuer, the 文号 if given, ``date`` or the latest assessment date."""
    days = [r.unit.as_of for r in results if r.unit.as_of is not None]
    return Letterhead(issuer or spec.metadata.issuer, number, date or (max(days) if days else None))


def _number(spec: Spec, say: _Say) -> str:
    number = spec.metadata.document_number
    return say("number_aside", number=number) if number else ""


def _footer(spec: Spec, say: _Say) -> str:
    return say("footer", spec=spec.metadata.id, sha=f"sha256:{spec.sha256[:16]}…", library=f"assessrules {__version__}")


def _by_type(spec: Spec, results: Sequence[Result]) -> dict[str, list[tuple[int, Result]]]:
    """Per unit type (spec order): the ranked results with their shared ranks."""
    groups: dict[str, list[Result]] = {}
    for r in ranked(spec, results):
        groups.setdefault(r.unit.type, []).append(r)
    return {t: competition_ranks(g) for t, g in groups.items()}



def _grade_counts(spec: Spec, results: Sequence[Result], say: _Say) -> str:
    counts = [(g.label, sum(1 for r in results if r.grade_index == i)) for i, g in enumerate(spec.grades)]
    return say.joined(say("grade_units", grade=label, count=count) for label, count in counts)


def _note(r: Result, say: _Say) -> str:
    notes = [say("commended")] if r.commended else []
    if r.deduction:
        notes.append(say("target_deducted", points=format_points(r.deduction)))
    return ("；" if say.lang == "zh" else "; ").join(notes)


def _parent_names(results: Sequence[Result]) -> dict[str, str]:
    """The name of each unit named as a parent (上级单位) by a unit of ``results``, by id (its id if not among them)."""
    named = {r.record[0]: r.record[1] for r in results}
    return {p: named.get(p, p) for r in results if (p := r.record[6]) is not None}


def _ranking_table(spec: Spec, rows: Sequence[tuple[int, Result]], say: _Say, caption: str | None = None,
                   parents: Mapping[str, str] | None = None) -> Table:
    """The ranking of one unit type; with ``parents`` (the names of the parent units), where a unit of these rows
    names one, a 上级单位 column before the notes."""
    shown = parents if parents and any(r.record[6] is not None for _, r in rows) else None
    header = (say("col_rank"), say("col_unit"), say("col_score"), *((say("col_grade"),) if spec.graded else ()),
              *((say("col_parent"),) if shown is not None else ()), say("col_note"))
    body = tuple((str(rank), r.unit.name, format_points(r.score), *((r.grade,) if spec.graded else ()),
                  *((shown.get(r.record[6], "") if r.record[6] is not None else "",) if shown is not None else ()),
                  _note(r, say))
                 for rank, r in rows)
    return Table(header, body, caption=caption, numeric=frozenset({0, 2}),
                 widths=(2, 8, 3, *((3,) if spec.graded else ()), *((6,) if shown is not None else ()), 6),
                 links=tuple(f"unit-{r.unit.id}" for _, r in rows))


def _groups_blocks(spec: Spec, groups: Sequence[GroupResult], say: _Say, level: int) -> list[Block]:
    if not groups:
        return []

    def type_label(type_id: str) -> str:
        return spec.unit_types[type_id].label

    blocks: list[Block] = [Heading(say("groups_heading"), level, anchor="groups")]
    blocks.append(Table((say("col_group"), say("col_score"), say("col_grade"), say("col_members"), say("col_method")),
                        tuple((g.label, format_points(g.score), g.grade or "", str(len(g.members)),
                               g.method(type_label)) for g in groups),
                        numeric=frozenset({1, 3}), widths=(4, 2, 2, 2, 8)))
    for g in groups:
        blocks.append(Table((say("col_id"), say("col_type"), say("col_score")),
                            tuple((u, type_label(t), format_points(s)) for u, t, s in g.members),
                            caption=say("members_caption", label=g.label, count=len(g.members)),
                            numeric=frozenset({2}), widths=(4, 6, 2), size="small"))
    return blocks


def publicity(spec: Spec, results: Sequence[Result], letterhead: Letterhead, groups: Sequence[GroupResult] = (),
              lang: str = "zh") -> Document:
    """The 公示: an opening paragraph, the ranking per unit type, the groups if any, whom to tell of an objection."""
    say = _Say(lang)
    meta = spec.metadata
    year = say("year", year=spec.year) if spec.year is not None else ""
    blocks: list[Block] = [Paragraph(say("publicity_opening", title=meta.title, number=_number(spec, say),
                                         count=len(results), year=year, date=say.date(letterhead.date)))]
    if spec.graded:
        blocks.append(Paragraph(say("grades_sentence", grades=_grade_counts(spec, results, say))))
    for n, (type_id, rows) in enumerate(_by_type(spec, results).items()):
        label = spec.unit_types[type_id].label
        heading = Heading(f"{chinese_number(n + 1)}、" + say("type_heading", label=label, count=len(rows))
                          if lang == "zh" else say("type_heading", label=label, count=len(rows)), 1)
        blocks.append(Keep((heading, _ranking_table(spec, rows, say, parents=_parent_names(results)))))
    blocks.extend(_groups_blocks(spec, groups, say, 1))
    blocks.append(Paragraph(say("publicity_closing", issuer=letterhead.issuer) if letterhead.issuer
                            else say("publicity_closing_plain")))
    blocks.append(Signature(letterhead.issuer, say.date(letterhead.date)))
    return Document("publicity", say("publicity_title", subject=subject_of(meta.title)), None, letterhead,
                    tuple(blocks), official=True, footer=None, language=lang)


def _bulletin_tables(spec: Spec, b: Bulletin, say: _Say, level: int) -> list[Block]:
    months = [m.period for m in b.entries[0].months] if b.entries else []
    blocks: list[Block] = []
    for n, (type_id, group) in enumerate(b.by_type().items()):
        label = spec.unit_types[type_id].label
        header = (say("col_rank"), say("col_unit"), *[say.month(m) for m in months], say("col_quarter_deduction"),
                  say("col_running_score"), *((say("col_grade"),) if spec.graded else ()))
        rows = tuple((str(e.rank), e.name, *[minus(m.deduction) for m in e.months], minus(e.quarter_deduction),
                      format_points(e.score), *((e.grade,) if spec.graded else ())) for e in group)
        heading = numbered(level, say.lang)(n) + say("type_heading", label=label, count=len(group))
        table = Table(header, rows, numeric=frozenset({0, *range(2, 4 + len(months))}),
                      widths=(2, 8, *[2] * len(months), 3, 3, *((2,) if spec.graded else ())),
                      links=tuple(f"unit-{e.unit_id}" for e in group))
        blocks.append(Keep((Heading(heading, level), table)))
    return blocks


def _missed_items(spec: Spec, b: Bulletin, say: _Say) -> list[str]:
    items = []
    for group in b.by_type().values():
        for e in group:
            for m in e.months:
                if m.missed:
                    items.append(say("missed_item", name=e.name, period=say.month(m.period),
                                     missed=say.joined(m.missed), points=format_points(m.deduction)))
    return items


def _quarter_months(b: Bulletin, say: _Say) -> str:
    months = [m.period for m in b.entries[0].months] if b.entries else []
    if not months:
        return ""
    return say("months_span", first=say.month(months[0]), last=say.month(months[-1]))


def bulletin_notice(spec: Spec, b: Bulletin, letterhead: Letterhead, lang: str = "zh") -> Document:
    """The quarterly 通报: the period, how many units and the grade counts; the table per unit type; what was not done."""
    say = _Say(lang)
    meta = spec.metadata
    quarter = say.quarter(b.quarter)
    results = [e.result for e in b.entries]
    blocks: list[Block] = [Paragraph(say("bulletin_opening", title=meta.title, number=_number(spec, say),
                                         quarter=quarter, months=_quarter_months(b, say)))]
    if spec.graded:
        blocks.append(Paragraph(say("bulletin_counts", count=len(b.entries), date=say.date(b.as_of),
                                    grades=_grade_counts(spec, results, say))))
    first, second, third = (("一、", "二、", "三、") if lang == "zh" else ("", "", ""))
    blocks.append(Heading(first + say("bulletin_results"), 1))
    blocks.extend(_bulletin_tables(spec, b, say, 2))
    blocks.append(Heading(second + say("bulletin_missed"), 1))
    missed = _missed_items(spec, b, say)
    blocks.append(Items(tuple(missed)) if missed else Paragraph(say("bulletin_none_missed")))
    blocks.append(Heading(third + say("bulletin_request"), 1))
    blocks.append(Paragraph(say("bulletin_closing")))
    blocks.append(Signature(letterhead.issuer, say.date(letterhead.date)))
    title = say("bulletin_title", subject=subject_of(meta.title), quarter=say.quarter(b.quarter, meta.title))
    return Document("bulletin", title, None, letterhead, tuple(blocks), official=True, language=lang)


# the account of one unit, in the document's words


def _reason(result: Result, fired: FiredTrigger, say: _Say) -> str | None:
    """Why a rule moved points, in words (未按时限公开政府信息：8 次 × 1 分，扣8分), or None when it took none."""
    effect, points = fired.effect, fired.points or Decimal(0)
    trigger = result.spec.triggers[fired.index]
    if effect == "not_awarded":
        return say("not_awarded", label=fired.label, points=format_points(getattr(trigger, "points", 0) or 0))
    if effect == "no_evidence":
        return say("no_evidence", label=fired.label)
    if effect == "zero":
        return say("zeroed", label=fired.label)
    if effect == "veto":
        return say("vetoed", label=fired.label)
    if effect == "multiplier":
        if points >= 0:
            return None
        return say("multiplied", label=fired.label, factor=format_points(fired.count or Decimal(0)),
                   points=format_points(-points))
    if effect == "score":
        owner = result.spec.trigger_owner.get(fired.index)
        if fired.points is None or owner is None or fired.points >= result.spec.nodes[owner].points:
            return None
        return say("scored", label=fired.label, points=format_points(fired.points))
    if effect == "bonus" and points > 0:
        return say("added", reason=sized_label(result, fired, say.lang), points=format_points(points))
    if effect not in _REASONS or points >= 0:
        return None
    reason = say("deducted", reason=sized_label(result, fired, say.lang), points=format_points(-points))
    if fired.periods:
        reason = say("in_periods", reason=reason, periods=say.joined(say.month(h.period) for h in fired.periods))
    return reason


def _reasons(result: Result, fired: Iterable[FiredTrigger], clause: str | None, say: _Say,
             within: str | None = None) -> tuple[list[str], list[str], list[FiredTrigger]]:
    """The words and the clauses of the rules that moved points, and those rules (for the appendix)."""
    words: list[str] = []
    clauses: list[str] = []
    moved: list[FiredTrigger] = []
    for f in fired:
        reason = _reason(result, f, say)
        if reason is None:
            continue
        words.append(f"{within}：{reason}" if within else reason)
        basis = f.clause or clause
        if basis and basis not in clauses:
            clauses.append(basis)
        moved.append(f)
    return words, clauses, moved


def _shown(node: IndicatorResult, say: _Say) -> str:
    return say("not_applicable") if node.score is None else format_points(node.score)


def _limits(node: IndicatorResult, say: _Say) -> list[str]:
    if node.floored and node.score is not None:
        return [say("floored", score=format_points(node.score))]
    if node.capped and node.score is not None:
        return [say("capped", score=format_points(node.score))]
    return []


def account_rows(result: Result, lang: str = "zh") -> tuple[Table, list[FiredTrigger]]:
    """One unit's 扣分明细 table (一级指标 / 二级指标 / 分值 / 得分 / 扣分事由 / 依据) and the rules that moved its points.

    A row per second-level indicator (or per top-level one that has none); what lower indicators lost is said in
    their second-level row, named; the rules on a part's or on the whole total get rows of their own; the last
    row is the total.
    """
    say = _Say(lang)
    spec = result.spec
    nodes = result.indicators
    children: dict[str, list[IndicatorResult]] = {}
    for node in nodes[1:]:
        children.setdefault(node.parent or "", []).append(node)
    root = nodes[0]
    rows: list[tuple[str, ...]] = []
    moved: list[FiredTrigger] = []

    def below(node: IndicatorResult) -> tuple[list[str], list[str]]:
        """What ``node`` lost, then what every indicator under it lost, those named."""
        words, clauses, fired = _reasons(result, (*node.fired, *node.missed), node.clause, say)
        words += _limits(node, say)
        moved.extend(fired)
        deeper, deeper_clauses = below_children(node)
        return words + deeper, clauses + [c for c in deeper_clauses if c not in clauses]

    def below_children(node: IndicatorResult) -> tuple[list[str], list[str]]:
        words: list[str] = []
        clauses: list[str] = []
        for child in children.get(node.id, []):
            more, more_clauses, more_fired = _reasons(result, (*child.fired, *child.missed), child.clause, say,
                                                      within=child.name)
            moved.extend(more_fired)
            words += more
            clauses += [c for c in more_clauses if c not in clauses]
            deeper, deeper_clauses = below_children(child)
            words += deeper
            clauses += [c for c in deeper_clauses if c not in clauses]
        return words, clauses

    for top in children.get(root.id, []):
        subs = children.get(top.id, [])
        if not subs:
            words, clauses = below(top)
            rows.append((top.name, "", format_points(top.points), _shown(top, say), "\n".join(words), "\n".join(clauses)))
            continue
        for i, sub in enumerate(subs):
            words, clauses = below(sub)
            rows.append((top.name if i == 0 else MERGED, sub.name, format_points(sub.points), _shown(sub, say),
                         "\n".join(words), "\n".join(clauses)))
        own, own_clauses, fired = _reasons(result, (*top.fired, *top.missed), top.clause, say)
        own += _limits(top, say)
        moved.extend(fired)
        if own:
            rows.append((MERGED, say("on_part"), "", _shown(top, say), "\n".join(own), "\n".join(own_clauses)))
    words, clauses, fired = _reasons(result, (*root.fired, *root.missed), root.clause, say)
    words += _limits(root, say)
    moved.extend(fired)
    if words:
        lost = sum((f.points or Decimal(0) for f in fired), Decimal(0))
        rows.append((say("on_total"), "", "", minus(-lost) if lost else "", "\n".join(words), "\n".join(clauses)))
    if spec.bonus is not None and result.bonus:
        words, clauses, fired = _reasons(result, result.bonus_items, spec.bonus.clause, say)
        moved.extend(fired)
        rows.append((say("bonus"), "", "", f"+{format_points(result.bonus)}", "\n".join(words), "\n".join(clauses)))
    veto = result.veto
    if veto is not None:
        rows.append((say("veto"), "", "", format_points(result.score), say("vetoed", label=veto.label),
                     veto.clause or ""))
        moved.append(veto)
    rows.append((say("total"), "", format_points(root.points), format_points(result.score), "", ""))
    header = (say("col_top"), say("col_second"), say("col_points"), say("col_score"), say("col_reason"),
              say("col_basis"))
    return Table(header, tuple(rows), numeric=frozenset({2, 3}), widths=(4, 5, 2, 2, 9, 7), total=True,
                 size="small"), moved


def _summary(result: Result, say: _Say) -> str:
    unit = result.unit
    if result.spec.graded:
        return say("unit_summary", score=format_points(result.score), grade=result.grade,
                   commended=say("unit_commended") if result.commended else "",
                   deduction=format_points(result.deduction), target=format_points(unit.target))
    return say("unit_summary_ungraded", score=format_points(result.score), deduction=format_points(result.deduction),
               target=format_points(unit.target))


def _target_words(result: Result, say: _Say) -> list[str]:
    """What came off the target value besides the points: the grade's share and each direct deduction."""
    words = []
    grade = result.spec.grades[result.grade_index]
    if result.grade_deduction:
        words.append(say("grade_deduction", grade=grade.label, percent=format_points(grade.deduct * 100)))
    for fired in result.direct_deductions:
        reason = _reason(result, fired, say)
        if reason:
            words.append(reason)
    return words


def _account_blocks(spec: Spec, results: Sequence[Result], say: _Say, level: int,
                    number: Callable[[int], str]) -> tuple[list[Block], list[Block]]:
    """Per unit type, per unit: its heading, its summary and its table; and the appendix's blocks."""
    blocks: list[Block] = []
    appendix: list[Block] = []
    for n, (type_id, rows) in enumerate(_by_type(spec, results).items()):
        label = spec.unit_types[type_id].label
        blocks.append(Heading(number(n) + say("type_heading", label=label, count=len(rows)), level))
        for _, r in rows:
            unit = r.unit
            table, moved = account_rows(r, say.lang)
            parts: list[Block] = [Heading(say("unit_heading", name=unit.name), level + 1, anchor=f"unit-{unit.id}"),
                                  Paragraph(_summary(r, say))]
            target = _target_words(r, say)
            parts.append(table)
            if target:
                parts.append(Paragraph(say("target") + ("：" if say.lang == "zh" else ": ")
                                       + ("；" if say.lang == "zh" else "; ").join(target),
                                       kind="note"))
            blocks.append(Keep(tuple(parts)))
            lines: list[str] = []
            for f in (*moved, *r.direct_deductions):
                owner = spec.trigger_owner.get(f.index)
                clause = spec.nodes[owner].clause if owner is not None else spec.direct_clause
                lines.extend(trigger_lines(r, f, say.lang, clause))
            lines.append(receipt_line(r, say.lang))
            appendix.append(Keep((Heading(say("unit_heading", name=unit.name), 2), Listing(tuple(lines)))))
    return blocks, appendix


def numbered(level: int, lang: str) -> Callable[[int], str]:
    if lang != "zh":
        return lambda n: ""
    return (lambda n: f"{chinese_number(n + 1)}、") if level == 1 else (lambda n: f"（{chinese_number(n + 1)}）")


def deductions(spec: Spec, results: Sequence[Result], letterhead: Letterhead, lang: str = "zh") -> Document:
    """The 扣分明细: per unit type and unit, the table in the document's words; the appendix 计算依据."""
    say = _Say(lang)
    meta = spec.metadata
    blocks: list[Block] = [Paragraph(say("deductions_opening", title=meta.title, number=_number(spec, say),
                                         date=say.date(letterhead.date)))]
    accounts, basis = _account_blocks(spec, results, say, 1, numbered(1, lang))
    blocks.extend(accounts)
    blocks.append(Signature(letterhead.issuer, say.date(letterhead.date)))
    blocks.append(Appendix(say("basis_title"), (Paragraph(say("basis_note"), kind="note"), *basis)))
    return Document("deductions", say("deductions_title", subject=subject_of(meta.title)), None, letterhead,
                    tuple(blocks), official=False, footer=_footer(spec, say), language=lang)


def _bins(spec: Spec, group: Sequence[Result], say: _Say) -> list[tuple[str, int]]:
    """Ten equal bins over the graded scale, each labelled by its lower bound (the last one closed: 90–100)."""
    scale = spec.graded_scale
    step = scale / 10
    bins = []
    for i in range(10):
        low, high = step * i, step * (i + 1)
        last = i == 9
        count = sum(1 for r in group if low <= r.score and (r.score < high or (last and r.score <= high)))
        bins.append((format_points(low), count))
    other = sum(1 for r in group if r.score > scale or r.score < 0)
    if other:
        bins.append((say("chart_other"), other))
    return bins


def bars(counts: Sequence[tuple[str, int]]) -> tuple[Bar, ...]:
    """Bars of ``counts``, each as tall as its share of the tallest."""
    top = max((c for _, c in counts), default=0) or 1
    return tuple(Bar(label, count, count / top) for label, count in counts)


def report(spec: Spec, results: Sequence[Result], letterhead: Letterhead, *, bulletins: Sequence[Bulletin] = (),
           groups: Sequence[GroupResult] = (), lang: str = "zh") -> Document:
    """Everything: the ranking with its charts, the groups, each quarter's bulletin, each unit's 扣分明细, and the
    appendix 计算依据."""
    say = _Say(lang)
    meta = spec.metadata
    head = numbered(1, lang)
    sub = numbered(2, lang)
    blocks: list[Block] = [Heading(head(0) + say("report_ranking"), 1)]
    for n, (type_id, rows) in enumerate(_by_type(spec, results).items()):
        label = spec.unit_types[type_id].label
        group = [r for _, r in rows]
        grades = [(g.label, sum(1 for r in group if r.grade_index == i)) for i, g in enumerate(spec.grades)]
        parts: list[Block] = [Heading(sub(n) + say("type_heading", label=label, count=len(rows)), 2),
                              _ranking_table(spec, rows, say, parents=_parent_names(results))]
        if spec.graded:
            parts.append(Chart(say("chart_grades", label=label), say("chart_grades_caption", label=label),
                               bars(grades), say("chart_units"), say("col_grade")))
        parts.append(Chart(say("chart_scores", label=label), say("chart_scores_caption", label=label),
                           bars(_bins(spec, group, say)), say("chart_units"), say("col_score")))
        blocks.append(Keep(tuple(parts)))
    blocks.extend(_groups_blocks(spec, groups, say, 2))
    section = 1
    if bulletins:
        blocks.append(Heading(head(section) + say("report_bulletins"), 1))
        for n, b in enumerate(bulletins):
            blocks.append(Heading(sub(n) + say("quarter_heading", quarter=say.quarter(b.quarter),
                                               date=say.date(b.as_of)), 2))
            blocks.extend(_demote(_bulletin_tables(spec, b, say, 3)))
            missed = _missed_items(spec, b, say)
            if missed:
                blocks.append(Keep((Paragraph(say("bulletin_missed") + ("：" if lang == "zh" else ":"), kind="lead"),
                                    Items(tuple(missed)))))
        section += 1
    blocks.append(Heading(head(section) + say("report_accounts"), 1))
    accounts, basis = _account_blocks(spec, results, say, 2, sub)
    blocks.extend(accounts)
    blocks.append(Appendix(say("basis_title"), (Paragraph(say("basis_note"), kind="note"), *basis)))
    subtitle = say("report_subtitle", count=len(results), grades=_grade_counts(spec, results, say))
    return Document("report", say("report_title", subject=subject_of(meta.title)), subtitle, letterhead,
                    tuple(blocks), official=False, footer=_footer(spec, say), language=lang)


def _demote(blocks: Sequence[Block]) -> list[Block]:
    """The bulletin's per-type headings one level down, numbered 1. 2. … (under a quarter's heading)."""
    out: list[Block] = []
    for n, block in enumerate(blocks):
        if isinstance(block, Keep) and block.blocks and isinstance(block.blocks[0], Heading):
            heading = block.blocks[0]
            words = re.sub(r"^（[一二三四五六七八九十]+）", "", heading.text)
            out.append(Keep((Heading(f"{n + 1}. {words}", 3), *block.blocks[1:])))
        else:
            out.append(block)
    return out


__all__ = [
    "account_rows",
    "bars",
    "bulletin_notice",
    "deductions",
    "letterhead_of",
    "numbered",
    "publicity",
    "report",
    "subject_of",
]

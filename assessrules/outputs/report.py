"""Reporters: render a batch of results as a table, JSON or CSV.

Each reporter is a small function from results to text; the command line
picks one by name from :data:`REPORTERS`. Output is a pure function of the
results: units are ordered by type (in the spec's order), score (highest
first) and id, so the same facts give the same bytes whatever their order
in the file.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..engine.ranking import competition_ranks, ranked
from ..engine.spec import quiet_collector
from ..jsontext import compact, indented
from ..messages import text
from ..numbers import format_points

if TYPE_CHECKING:
    from decimal import Decimal

    from ..engine.bulletin import Bulletin
    from ..engine.groups import GroupResult
    from ..engine.results import Result
    from ..engine.spec import Spec


def width(text: str) -> int:
    """Display width in a terminal: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, size: int, right: bool = False) -> str:
    fill = " " * (size - width(text))
    return fill + text if right else text + fill


def _headers(lang: str, *names: str) -> tuple[str, ...]:
    return tuple(text(f"out.col_{name}", lang) for name in names)


def _title(spec: Spec, lang: str) -> str:
    number = spec.metadata.document_number
    return spec.metadata.title + (text("out.aside", lang, text=number) if number else "")


def render_table(spec: Spec, results: Sequence[Result], groups: Sequence[GroupResult] = (), lang: str = "zh") -> str:
    """One block per unit type: rank, unit, score, grade and deduction; then the groups (全县), if any.

    Its headings and words are Chinese, or English with ``lang="en"``; labels and names are the spec's.
    """
    parents = parent_names(results)
    header = _headers(lang, "rank", "unit", "id", "score", "grade", "commended", "deduction_of_target",
                      *(("parent",) if parents else ()))
    out = [_title(spec, lang)]
    by_type: dict[str, list[Result]] = {}
    for r in ranked(spec, results):
        by_type.setdefault(r.unit.type, []).append(r)
    for type_id, group in by_type.items():
        rows = [header]
        for rank, r in competition_ranks(group):
            rows.append((str(rank), r.unit.name, r.unit.id, format_points(r.score), r.grade or "",
                         text("out.yes", lang) if r.commended else "",
                         f"{format_points(r.deduction)}/{format_points(r.unit.target)}",
                         *((parents.get(r.parent, "") if r.parent else "",) if parents else ())))
        sizes = [max(width(row[i]) for row in rows) for i in range(len(header))]
        numeric = {0, 3, 6}
        out.append("")
        out.append(text("out.type_head", lang, label=spec.unit_types[type_id].label, count=len(group)))
        for row in rows:
            out.append("  ".join(_pad(cell, sizes[i], i in numeric) for i, cell in enumerate(row)).rstrip())
    grades = {g.label: 0 for g in spec.grades}
    for r in results:
        if r.grade is not None:
            grades[r.grade] += 1
    out.append("")
    if spec.graded:
        counted = text("out.comma", lang).join(text("out.grade_count", lang, grade=k, count=v)
                                               for k, v in grades.items())
        out.append(text("out.units_total", lang, count=len(results), grades=counted))
    else:  # no grades: none to count
        out.append(text("out.units_total_ungraded", lang, count=len(results)))
    if groups:
        table: list[tuple[str, ...]] = [_headers(lang, "group", "id", "score", "grade", "members")]
        table.extend((g.label, g.id, format_points(g.score), g.grade or "", str(len(g.members))) for g in groups)
        out.extend(["", text("out.groups_head", lang, count=len(groups)), *_grid(table, {2, 4})])
    return "\n".join(out) + "\n"


def parent_names(results: Sequence[Result]) -> dict[str, str]:
    """The name of each unit some unit of ``results`` names as its parent (下属单位's 上级单位), by id; {} when none
    does. A parent not among the results is named by its id."""
    named = {r.record[0]: r.record[1] for r in results}
    return {p: named.get(p, p) for r in results if (p := r.record[6]) is not None}


def render_json(spec: Spec, results: Sequence[Result], groups: Sequence[GroupResult] = ()) -> str:
    """The spec's identity and every result in full, ordered by unit id; then the groups, if any."""
    return indented(results_document(spec, results, groups)) + "\n"


def results_document(spec: Spec, results: Sequence[Result], groups: Sequence[GroupResult] = ()) -> dict[str, Any]:
    """The spec's identity and every result in full, ordered by unit id, as plain data (``assessrules.result/1``);
    with ``groups`` (a spec's ``groups:`` scored from these results), a ``groups`` list after them."""
    from ..engine.results import RESULT_FORMAT

    with quiet_collector():  # many small acyclic dicts: the cyclic collector would rescan them for nothing
        document = {
            "format": RESULT_FORMAT,
            "spec": {"id": spec.metadata.id, "title": spec.metadata.title,
                     "document_number": spec.metadata.document_number, "sha256": spec.sha256},
            "results": [r.to_dict() for r in sorted(results, key=lambda r: r.unit.id)],
        }
    if groups:
        document["groups"] = [g.to_dict() for g in groups]
    return document


def _write_compact(spec: Spec, results: Sequence[Result], groups: Sequence[GroupResult], out: io.BytesIO) -> None:
    """Write :func:`render_json_compact` to ``out`` as UTF-8, a line at a time."""
    from ..engine.results import RESULT_FORMAT

    spec_line = json.dumps({"id": spec.metadata.id, "title": spec.metadata.title,
                            "document_number": spec.metadata.document_number, "sha256": spec.sha256},
                           ensure_ascii=False)
    out.write(f'{{"format": "{RESULT_FORMAT}", "spec": {spec_line},\n"results": [\n'.encode())
    with quiet_collector():  # many small acyclic dicts: the cyclic collector would rescan them for nothing
        for n, result in enumerate(sorted(results, key=lambda r: r.record[0])):
            if n:
                out.write(b",\n")
            out.write(compact(result.to_dict(inputs=False)))
    if groups:
        out.write(b"\n],\n\"groups\": [\n" + b",\n".join(compact(g.to_dict()) for g in groups))
    out.write(b"\n]}\n")


def render_json_compact(spec: Spec, results: Sequence[Result], groups: Sequence[GroupResult] = ()) -> str:
    """The spec's identity and every result without the unit's inputs, one result per line, ordered by unit id.

    Each result is ``result.to_dict(inputs=False)``: everything :func:`render_json` gives except the
    unit's own ``facts`` and ``periods``, which are in the facts file already (the receipt's
    ``facts_sha256`` names them). It is what ``score --format json`` writes; ``--full`` gives
    :func:`render_json`.
    """
    return render_json_compact_bytes(spec, results, groups).decode("utf-8")


def render_json_compact_bytes(spec: Spec, results: Sequence[Result], groups: Sequence[GroupResult] = ()) -> bytes:
    """:func:`render_json_compact` as UTF-8, what ``score --format json -o FILE`` writes.

    Each line is written as UTF-8 by orjson (:mod:`assessrules.jsontext`) into one buffer as it is
    made, and let go: no list of lines joined at the end, and no ``str`` of the whole (a province's
    45 MB, held twice over as Chinese text takes two bytes a character in a ``str``).
    """
    out = io.BytesIO()
    _write_compact(spec, results, groups, out)
    return out.getvalue()


def render_csv(spec: Spec, results: Sequence[Result], ids: bool = False, groups: Sequence[GroupResult] = (),
               lang: str = "zh") -> str:
    """One row per unit: type, rank, unit; the top-level indicators and each step to the score, which add up
    to it (see :mod:`assessrules.outputs.breakdown`); grade, commendation, target value and its deduction; then
    the score of each lower indicator. Headers are Chinese (English with ``lang="en"``), or machine ids with
    ``ids=True`` (whatever the language). A text
    a spreadsheet would take for a formula is neutralised. The ``groups`` (全县) come last, one row each
    with its type ``group`` (考核组), id, label, score and grade.
    """
    from .breakdown import score_columns
    from .cells import neutralise

    columns = score_columns(spec, results, lang)
    parents = parent_names(results)
    lower = [n for n in spec.nodes if n.depth > 1]
    names = [n.name for n in lower]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if ids:
        writer.writerow(["type", "rank", "id", "name", *[c.id for c in columns], "grade", "commended", "target",
                         "deduction", *[n.id for n in lower], *(("parent",) if parents else ())])
    else:
        writer.writerow([*_headers(lang, "type", "rank", "id", "unit"), *[c.label for c in columns],
                         *_headers(lang, "grade", "commended", "target", "deduction"),
                         *[n.name if names.count(n.name) == 1 else f"{n.name}{text('out.aside', lang, text=n.id)}"
                           for n in lower], *(_headers(lang, "parent") if parents else ())])
    by_type: dict[str, list[Result]] = {}
    for r in ranked(spec, results):
        by_type.setdefault(r.unit.type, []).append(r)
    for group in by_type.values():
        for rank, r in competition_ranks(group):
            scores = ["" if r.final_scores[n.index] is None else format_points(r.final_scores[n.index]) for n in lower]
            steps = ["" if (v := c.value(r)) is None else format_points(v) for c in columns]
            kind = r.unit.type if ids else spec.unit_types[r.unit.type].label
            writer.writerow([neutralise(kind), rank, neutralise(r.unit.id), neutralise(r.unit.name), *steps,
                             (r.grade_id or "") if ids else neutralise(r.grade or ""),
                             ("yes" if r.commended else "no") if ids else text("out.yes" if r.commended else "out.no",
                                                                              lang),
                             format_points(r.unit.target), format_points(r.deduction), *scores,
                             *((neutralise((r.parent if ids else parents.get(r.parent, "")) if r.parent else ""),)
                               if parents else ())])
    for g in groups:  # after the members; only the score and the grade apply to a group
        cells = ["" if c.id != "score" else format_points(g.score) for c in columns]
        grade = next((x.id for x in spec.grades if x.label == g.grade), "") if ids else g.grade or ""
        writer.writerow(["group" if ids else text("out.group_type", lang), "", neutralise(g.id), neutralise(g.label), *cells,
                         neutralise(grade), "", "", "", *["" for _ in lower],
                         *((neutralise(g.parent if ids else parents.get(g.parent, g.parent)) if g.parent else "",)
                           if parents else ())])
    return buffer.getvalue()


REPORTERS: dict[str, Callable[[Spec, Sequence[Result]], str]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
}


def _grid(rows: Sequence[Sequence[str]], numeric: set[int]) -> list[str]:
    sizes = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(_pad(cell, sizes[i], i in numeric) for i, cell in enumerate(row)).rstrip() for row in rows]


def minus(value: Decimal) -> str:
    """A deduction as the bulletins show it: ``−0.5``, or ``—`` for none."""
    return f"−{format_points(value)}" if value else "—"


def render_bulletin_table(b: Bulletin, lang: str = "zh") -> str:
    """Per unit type: rank, each month's deduction, the quarter's, the running score; then the missed items.

    Its headings are Chinese, or English with ``lang="en"``.
    """
    months = [m.period for m in b.entries[0].months] if b.entries else []
    meta = b.spec.metadata
    out = [text("out.bulletin_title", lang, title=meta.title, quarter=b.quarter, date=b.as_of.isoformat())]
    named = {e.unit_id: e.name for e in b.entries}
    parents = any(e.parent is not None for e in b.entries)  # sub-units: each one's 上级单位 last
    for type_id, group in b.by_type().items():
        rows = [(*_headers(lang, "rank", "unit", "id"), *months,
                 *_headers(lang, "quarter_deduction", "running_score", "grade", *(("parent",) if parents else ())))]
        for e in group:
            rows.append((str(e.rank), e.name, e.unit_id, *[minus(m.deduction) for m in e.months],
                         minus(e.quarter_deduction), format_points(e.score), e.grade or "",
                         *((named.get(e.parent, e.parent) if e.parent else "",) if parents else ())))
        out += ["", text("out.type_head", lang, label=b.spec.unit_types[type_id].label, count=len(group))]
        out += _grid(rows, {0, *range(3, 3 + len(months) + 2)})
        notes = ["  " + text("out.missed_line", lang, name=e.name, period=m.period,
                             missed=text("out.semicolon", lang).join(m.missed), deduction=minus(m.deduction))
                 for e in group for m in e.months if m.missed]
        if notes:
            out += [text("out.missed_head", lang), *notes]
    return "\n".join(out) + "\n"


def render_bulletin_json(b: Bulletin) -> str:
    """The bulletin as JSON."""
    return indented(b.to_dict()) + "\n"


def render_bulletin_csv(b: Bulletin, ids: bool = False, lang: str = "zh") -> str:
    """One row per unit and month of the quarter; Chinese headers (English with ``lang="en"``), or machine ids
    with ``ids=True``."""
    from .cells import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if ids:
        writer.writerow(["type", "rank", "id", "name", "period", "missed", "deduction", "running_score", "grade"])
    else:
        writer.writerow(_headers(lang, "type", "rank", "id", "unit", "month", "missed", "month_deduction",
                                 "running_score", "grade"))
    for e in b.entries:
        kind = e.type if ids else b.spec.unit_types[e.type].label
        for m in e.months:
            writer.writerow([neutralise(kind), e.rank, neutralise(e.unit_id), neutralise(e.name), m.period,
                             neutralise("；".join(m.missed)), format_points(m.deduction), format_points(e.score),
                             neutralise(e.grade or "")])
    return buffer.getvalue()


BULLETIN_REPORTERS: dict[str, Callable[[Bulletin], str]] = {
    "table": render_bulletin_table,
    "json": render_bulletin_json,
    "csv": render_bulletin_csv,
}


__all__ = [
    "BULLETIN_REPORTERS",
    "REPORTERS",
    "render_bulletin_csv",
    "render_bulletin_json",
    "render_bulletin_table",
    "render_csv",
    "render_json",
    "render_json_compact",
    "render_json_compact_bytes",
    "render_table",
    "results_document",
    "width",
]

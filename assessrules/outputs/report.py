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
from typing import TYPE_CHECKING

from ..engine.ranking import competition_ranks, ranked
from ..engine.spec import quiet_collector
from ..numbers import format_points

if TYPE_CHECKING:
    from decimal import Decimal

    from ..engine.bulletin import Bulletin
    from ..engine.results import Result
    from ..engine.spec import Spec


def width(text: str) -> int:
    """Display width in a terminal: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, size: int, right: bool = False) -> str:
    fill = " " * (size - width(text))
    return fill + text if right else text + fill


def render_table(spec: Spec, results: Sequence[Result]) -> str:
    """One block per unit type: rank, unit, score, grade and deduction."""
    header = ("名次", "单位", "编号", "得分", "等次", "表扬", "扣减/目标")
    out = [f"{spec.metadata.title}" + (f"（{spec.metadata.document_number}）" if spec.metadata.document_number else "")]
    by_type: dict[str, list[Result]] = {}
    for r in ranked(spec, results):
        by_type.setdefault(r.unit.type, []).append(r)
    for type_id, group in by_type.items():
        rows = [header]
        for rank, r in competition_ranks(group):
            rows.append((str(rank), r.unit.name, r.unit.id, format_points(r.score), r.grade,
                         "是" if r.commended else "", f"{format_points(r.deduction)}/{format_points(r.unit.target)}"))
        sizes = [max(width(row[i]) for row in rows) for i in range(len(header))]
        numeric = {0, 3, 6}
        out.append("")
        out.append(f"{spec.unit_types[type_id].label}（{len(group)}）")
        for row in rows:
            out.append("  ".join(_pad(cell, sizes[i], i in numeric) for i, cell in enumerate(row)).rstrip())
    grades = {g.label: 0 for g in spec.grades}
    for r in results:
        grades[r.grade] += 1
    out.append("")
    out.append(f"共 {len(results)} 个单位：" + "，".join(f"{k} {v}" for k, v in grades.items()))
    return "\n".join(out) + "\n"


def render_json(spec: Spec, results: Sequence[Result]) -> str:
    """The spec's identity and every result in full, ordered by unit id."""
    with quiet_collector():  # many small acyclic dicts: the cyclic collector would rescan them for nothing
        data = {
            "spec": {"id": spec.metadata.id, "title": spec.metadata.title,
                     "document_number": spec.metadata.document_number, "sha256": spec.sha256},
            "results": [r.to_dict() for r in sorted(results, key=lambda r: r.unit.id)],
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def render_json_compact(spec: Spec, results: Sequence[Result]) -> str:
    """The spec's identity and every result without the unit's inputs, one result per line, ordered by unit id.

    Each result is ``result.to_dict(inputs=False)``: everything :func:`render_json` gives except the
    unit's own ``facts`` and ``periods``, which are in the facts file already (the receipt's
    ``facts_sha256`` names them). It is what ``score --format json`` writes; ``--full`` gives
    :func:`render_json`.
    """
    spec_line = json.dumps({"id": spec.metadata.id, "title": spec.metadata.title,
                            "document_number": spec.metadata.document_number, "sha256": spec.sha256},
                           ensure_ascii=False)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
    with quiet_collector():  # many small acyclic dicts: the cyclic collector would rescan them for nothing
        lines = [dumps(r.to_dict(inputs=False)) for r in sorted(results, key=lambda r: r.unit.id)]
    return '{"spec": ' + spec_line + ',\n"results": [\n' + ",\n".join(lines) + "\n]}\n"


def render_csv(spec: Spec, results: Sequence[Result]) -> str:
    """One row per unit: headline figures, then each indicator's score by id."""
    nodes = [n for n in spec.nodes if n.depth > 0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["type", "rank", "id", "name", "score", "grade", "commended", "target", "deduction",
                     *[n.id for n in nodes]])
    by_type: dict[str, list[Result]] = {}
    for r in ranked(spec, results):
        by_type.setdefault(r.unit.type, []).append(r)
    for group in by_type.values():
        for rank, r in competition_ranks(group):
            scores = ["" if r.final_scores[n.index] is None else format_points(r.final_scores[n.index]) for n in nodes]
            writer.writerow([r.unit.type, rank, r.unit.id, r.unit.name, format_points(r.score), r.grade,
                             "yes" if r.commended else "no", format_points(r.unit.target),
                             format_points(r.deduction), *scores])
    return buffer.getvalue()


REPORTERS: dict[str, Callable[[Spec, Sequence[Result]], str]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
}


def _grid(rows: Sequence[Sequence[str]], numeric: set[int]) -> list[str]:
    sizes = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(_pad(cell, sizes[i], i in numeric) for i, cell in enumerate(row)).rstrip() for row in rows]


def _minus(value: Decimal) -> str:
    return f"−{format_points(value)}" if value else "—"


def render_bulletin_table(b: Bulletin) -> str:
    """Per unit type: rank, each month's deduction, the quarter's, the running score; then the missed items."""
    months = [m.period for m in b.entries[0].months] if b.entries else []
    meta = b.spec.metadata
    out = [f"{meta.title} · {b.quarter} 季度通报（截至 {b.as_of.isoformat()}）"]
    for type_id, group in b.by_type().items():
        rows = [("名次", "单位", "编号", *months, "本季扣分", "累计得分", "等次")]
        for e in group:
            rows.append((str(e.rank), e.name, e.unit_id, *[_minus(m.deduction) for m in e.months],
                         _minus(e.quarter_deduction), format_points(e.score), e.grade))
        out += ["", f"{b.spec.unit_types[type_id].label}（{len(group)}）"]
        out += _grid(rows, {0, *range(3, 3 + len(months) + 2)})
        notes = [f"  {e.name} {m.period}：{'；'.join(m.missed)}（{_minus(m.deduction)}）"
                 for e in group for m in e.months if m.missed]
        if notes:
            out += ["未完成事项：", *notes]
    return "\n".join(out) + "\n"


def render_bulletin_json(b: Bulletin) -> str:
    """The bulletin as JSON."""
    return json.dumps(b.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render_bulletin_csv(b: Bulletin) -> str:
    """One row per unit and month of the quarter."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["type", "rank", "id", "name", "period", "missed", "deduction", "running_score", "grade"])
    for e in b.entries:
        for m in e.months:
            writer.writerow([e.type, e.rank, e.unit_id, e.name, m.period, "；".join(m.missed),
                             format_points(m.deduction), format_points(e.score), e.grade])
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
    "render_table",
    "width",
]

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

from .numbers import format_points

if TYPE_CHECKING:
    from .results import Result
    from .spec import Spec


def ranked(spec: Spec, results: Sequence[Result]) -> list[Result]:
    """Order results by unit type (spec order), score (highest first), then unit id."""
    order = {t: i for i, t in enumerate(spec.unit_types)}
    return sorted(results, key=lambda r: (order[r.unit.type], -r.score, r.unit.id))


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
        for rank, r in _ranks(group):
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


def _ranks(group: Sequence[Result]) -> list[tuple[int, Result]]:
    """Competition ranking: equal scores share a rank (1, 2, 2, 4)."""
    out: list[tuple[int, Result]] = []
    for i, r in enumerate(group):
        rank = out[-1][0] if out and out[-1][1].score == r.score else i + 1
        out.append((rank, r))
    return out


def render_json(spec: Spec, results: Sequence[Result]) -> str:
    """The spec's identity and every result in full, ordered by unit id."""
    data = {
        "spec": {"id": spec.metadata.id, "title": spec.metadata.title,
                 "document_number": spec.metadata.document_number, "sha256": spec.sha256},
        "results": [r.to_dict() for r in sorted(results, key=lambda r: r.unit.id)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


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
        for rank, r in _ranks(group):
            scores = [format_points(r.final_scores[n.index]) for n in nodes]
            writer.writerow([r.unit.type, rank, r.unit.id, r.unit.name, format_points(r.score), r.grade,
                             "yes" if r.commended else "no", format_points(r.unit.target),
                             format_points(r.deduction), *scores])
    return buffer.getvalue()


REPORTERS: dict[str, Callable[[Spec, Sequence[Result]], str]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
}


__all__ = ["REPORTERS", "ranked", "render_csv", "render_json", "render_table", "width"]

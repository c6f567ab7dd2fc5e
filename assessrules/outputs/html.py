"""The printable report (考核结果.html) and every unit's account in one HTML file.

Both are rendered from jinja2 templates shipped in this package (``templates/``), with autoescaping
on. A spec's groups (考核组), when given, follow the rankings. The file is self-contained: the
stylesheet is inline, the charts are inline SVG, and nothing is loaded from elsewhere (no CDN,
web font or script). A print stylesheet lays it out on A4, so it can be printed as the attachment of a 通报.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
import jinja2

from .._version import __version__
from ..engine.ranking import competition_ranks, ranked
from ..numbers import format_points

if TYPE_CHECKING:
    from ..engine.bulletin import Bulletin
    from ..engine.groups import GroupResult
    from ..engine.results import Result
    from ..engine.spec import Spec


@attrs.frozen
class Bar:
    """One bar of a chart: its label, the number of units, and its height as a share of the tallest."""

    label: str
    count: int
    share: float


@attrs.frozen
class TypeSection:
    """One unit type's part of the report: its ranked rows and its two charts."""

    label: str
    rows: tuple[tuple[int, Result], ...]
    grades: tuple[Bar, ...]
    scores: tuple[Bar, ...]


def _bars(counts: Sequence[tuple[str, int]]) -> tuple[Bar, ...]:
    top = max((c for _, c in counts), default=0) or 1
    return tuple(Bar(label, count, count / top) for label, count in counts)


def _score_bins(spec: Spec, group: Sequence[Result]) -> list[tuple[str, int]]:
    """Ten equal bins over the graded scale, each labelled by its lower bound (the last one closed: 90–100)."""
    scale = spec.graded_scale
    step = scale / 10
    bins = []
    for i in range(10):
        low, high = step * i, step * (i + 1)
        last = i == 9
        count = sum(1 for r in group if low <= r.score and (r.score < high or (last and r.score <= high)))
        bins.append((format_points(low), count))
    above = sum(1 for r in group if r.score > scale or r.score < 0)
    if above:
        bins.append(("其他", above))
    return bins


def type_sections(spec: Spec, results: Sequence[Result]) -> list[TypeSection]:
    """Per unit type (spec order): the ranking, the grade distribution and the score distribution."""
    by_type: dict[str, list[Result]] = {}
    for r in ranked(spec, results):
        by_type.setdefault(r.unit.type, []).append(r)
    out = []
    for type_id, group in by_type.items():
        grades = [(g.label, sum(1 for r in group if r.grade_index == i)) for i, g in enumerate(spec.grades)]
        out.append(TypeSection(spec.unit_types[type_id].label, tuple(competition_ranks(group)),
                               _bars(grades), _bars(_score_bins(spec, group))))
    return out


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("assessrules.outputs", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["points"] = lambda v: "" if v is None else format_points(v)
    env.filters["minus"] = lambda v: f"−{format_points(v)}" if v else "—"
    return env


def _heading(spec: Spec, results: Sequence[Result]) -> dict[str, Any]:
    meta = spec.metadata
    dates = sorted({r.unit.as_of for r in results if r.unit.as_of is not None})
    return {"title": meta.title, "document_number": meta.document_number, "spec": spec,
            "as_of": ", ".join(d.isoformat() for d in dates), "version": __version__,
            "units": sorted(results, key=lambda r: r.unit.id)}


def render_report(spec: Spec, results: Sequence[Result], bulletins: Sequence[Bulletin] = (),
                  generated: dt.date | None = None, groups: Sequence[GroupResult] = ()) -> str:
    """The printable report: ranking, charts, the groups (考核组) if any, quarterly bulletin tables,
    and each unit's account."""

    def type_label(type_id: str) -> str:
        return spec.unit_types[type_id].label

    grades: Mapping[str, int] = {g.label: sum(1 for r in results if r.grade_index == i) for i, g in enumerate(spec.grades)}
    return _environment().get_template("report.html.j2").render(
        **_heading(spec, results), sections=type_sections(spec, results), grades=grades,
        bulletins=bulletins, total=len(results), zero=Decimal(0), generated=generated,
        groups=groups, type_label=type_label)


def render_accounts(spec: Spec, results: Sequence[Result]) -> str:
    """Every unit's account (the content of ``explain``), in one printable HTML file."""
    return _environment().get_template("accounts.html.j2").render(**_heading(spec, results))


__all__ = ["Bar", "TypeSection", "render_accounts", "render_report", "type_sections"]

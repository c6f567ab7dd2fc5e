"""The printable report (考核结果.html) and every unit's account (扣分明细) in one HTML file.

Both are documents (:mod:`.documents`): :func:`~.documents.build.report` and :func:`~.documents.build.deductions`
built from the results, laid out by :func:`~.documents.printed.render_html` — one self-contained file
(inline stylesheet, inline SVG charts, nothing loaded from elsewhere) whose print stylesheet lays it out on
A4 after GB/T 9704, so that a browser prints it as WeasyPrint does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .documents import build
from .documents.printed import render_html

if TYPE_CHECKING:
    from ..engine.bulletin import Bulletin
    from ..engine.groups import GroupResult
    from ..engine.results import Result
    from ..engine.spec import Spec


def render_report(spec: Spec, results: Sequence[Result], bulletins: Sequence[Bulletin] = (),
                  generated: dt.date | None = None, groups: Sequence[GroupResult] = (), *, lang: str = "zh") -> str:
    """The printable report: the ranking with its charts, the groups (考核组) if any, each quarter's bulletin,
    each unit's 扣分明细 and the appendix 计算依据. ``generated`` dates it (else the latest assessment date)."""
    letterhead = build.letterhead_of(spec, results, date=generated)
    return render_html(build.report(spec, results, letterhead, bulletins=bulletins, groups=groups, lang=lang))


def render_accounts(spec: Spec, results: Sequence[Result], *, lang: str = "zh") -> str:
    """Every unit's account (扣分明细), by unit type and rank, in one printable HTML file."""
    return render_html(build.deductions(spec, results, build.letterhead_of(spec, results), lang=lang))


__all__ = ["render_accounts", "render_report"]

"""Facts files: the units of one assessment and what the assessors recorded for each.

A facts file is YAML or JSON::

    units:
      - id: zengjia            # unique in the file
        name: 曾家镇
        type: town             # a unit type the spec declares
        target: 3              # 目标分值
        facts:                 # declared facts only; defaults fill the rest
          late_disclosures: 7

Every problem is reported with the file, line and column of the value.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import FactsError, Problem
from ..rules.document import Document, DocumentError, read_document

if TYPE_CHECKING:
    from ..engine.results import Result
    from ..engine.spec import Spec


MIN_UNITS_PER_JOB = 200
"""Below this many units per process, starting workers costs more than it saves."""


def read_facts(path: str | os.PathLike[str]) -> Document:
    """Read a facts file; raise :class:`FactsError` if it is not a mapping with a `units` list."""
    try:
        document = read_document(path)
    except DocumentError as exc:
        raise FactsError(exc.problems) from None
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise FactsError([document.problem("a facts file is a mapping with a `units:` list", (),
                                           "see examples/zhenping-2021-units.yaml")])
    extra = [k for k in data if k not in ("units", "spec", "description", "as_of")]
    if extra:
        raise FactsError([document.problem(f"unknown key `{extra[0]}`", (extra[0],),
                                           "a facts file has `units:` (and optionally `spec:`, `as_of:`, `description:`)")])
    return document


def locate(problems: Sequence[Problem], document: Document) -> list[Problem]:
    """Give each problem the file, line and column of its path in ``document``."""
    out = []
    for p in problems:
        line, column = document.locate(p.path)
        out.append(attrs.evolve(p, file=document.file, line=line, column=column))
    return out


def units_of(document: Document) -> list[Any]:
    """The raw unit entries of a facts file."""
    units: list[Any] = document.data["units"]
    return units


def as_of_of(document: Document) -> dt.date | None:
    """The assessment date a facts file states (``as_of:``), if any."""
    value = document.data.get("as_of")
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FactsError([document.problem(f"`as_of` must be a date like 2022-01-10, not {value!r}",
                                           ("as_of",))]) from None


def score_document(spec: Spec, document: Document, as_of: dt.date | None = None, *, jobs: int = 1,
                   progress: Callable[[int], None] | None = None) -> list[Result]:
    """Score every unit of a facts file; problems come back located in the file.

    With ``jobs`` other than 1 a large file is scored in that many worker processes (0: one per
    core), with the same results; ``progress`` is called with the number of units done.
    """
    units = units_of(document)
    as_of = as_of or as_of_of(document)
    try:
        if jobs != 1 and len(units) >= MIN_UNITS_PER_JOB * 2:
            from ..engine.batch import default_jobs, evaluate_in_workers

            jobs = jobs or default_jobs()
            jobs = min(jobs, len(units) // MIN_UNITS_PER_JOB)
            if jobs > 1:
                return evaluate_in_workers(spec, units, jobs=jobs, as_of=as_of, progress=progress)
        return spec.evaluate_many(units, as_of=as_of, progress=progress)
    except FactsError as exc:
        raise FactsError(locate(exc.problems, document)) from None


__all__ = ["MIN_UNITS_PER_JOB", "as_of_of", "locate", "read_facts", "score_document", "units_of"]

"""Score a large batch of units in worker processes, with the same results as one process.

The units are cut into chunks; each worker checks its chunk, and scores it when every unit in
it is in order. The parent puts the chunks back in file order, so that problems come out in the
order, and with the words, that :meth:`~assessrules.engine.spec.Spec.evaluate_many` gives them
(the duplicate ids across chunks are found here), and builds each
:class:`~assessrules.engine.results.Result` from the record and outcome a worker sent back.
The spec travels to each worker once, as its checked rules (see ``Spec.__reduce__``).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ..errors import AssessRulesError, FactsError, Problem
from .results import Result
from .spec import Spec, duplicate_id, quiet_collector
from .types import Record

_Checked = list[tuple[Record | None, list[Problem]]]
_Scored = list[tuple[Record, tuple[Any, ...]]]
_Failure = tuple[type[AssessRulesError], tuple[Problem, ...]]

_WORKER_SPEC: list[Spec] = []


def _start_worker(spec: Spec) -> None:
    _WORKER_SPEC[:] = [spec]


def _work(job: tuple[int, Sequence[Mapping[str, Any]], dt.date | None, bool]) -> tuple[_Checked, _Scored | _Failure | None]:
    start, units, as_of, explain = job
    spec = _WORKER_SPEC[0]
    with quiet_collector():
        checked = spec.check_records(units, as_of, start)
        if any(problems for _, problems in checked):
            return checked, None
        try:
            scored = [spec.outcome_of(record, explain) for record, _ in checked if record is not None]
        except AssessRulesError as exc:  # sent back as data: an exception pickles only its message
            return checked, (type(exc), exc.problems)
    return checked, scored


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def evaluate_in_workers(spec: Spec, units: Sequence[Mapping[str, Any]], *, jobs: int, as_of: dt.date | None = None,
                        explain: bool = True, progress: Callable[[int], None] | None = None,
                        chunk: int | None = None) -> list[Result]:
    """Like ``spec.evaluate_many(units)``, in ``jobs`` worker processes; the same results, problems and errors.

    ``progress``, if given, is called with the number of units done as each chunk comes back.
    """
    if any(isinstance(u, Mapping) and u.get("parent") is not None for u in units):
        # sub-units name their parents: the batch is checked, and scored sub-units first, as one
        return spec.evaluate_many(units, as_of=as_of, explain=explain, progress=progress)
    as_of = spec._as_of(as_of)
    size = chunk or max(64, min(2000, len(units) // (jobs * 4) or 1))
    jobs_list = [(start, list(units[start:start + size]), as_of, explain) for start in range(0, len(units), size)]
    context = multiprocessing.get_context()
    with context.Pool(jobs, initializer=_start_worker, initargs=(spec,)) as pool:
        parts = []
        for part in pool.imap(_work, jobs_list):
            parts.append(part)
            if progress is not None:
                progress(len(part[0]))
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    index = 0
    for checked, _ in parts:
        for record, unit_problems in checked:
            problems.extend(unit_problems)
            if record is not None:
                uid = record[0]
                if uid in seen:
                    problems.append(duplicate_id(uid, seen[uid], index))
                seen[uid] = index
            index += 1
    if problems:
        raise FactsError(problems)
    results: list[Result] = []
    for _, scored in parts:
        if scored is None:  # pragma: no cover - a chunk with problems raised above
            continue
        if isinstance(scored, tuple):
            kind, failure = scored
            if kind is FactsError:  # a record found wrong only when scored: located in the file, as evaluate_many does
                failure = tuple(attrs.evolve(p, path=("units", seen[p.unit], *p.path)) if p.unit in seen else p
                                for p in failure)
            raise kind(failure)
        results.extend(spec.result_of(record, outcome) for record, outcome in scored)
    return results


__all__ = ["default_jobs", "evaluate_in_workers"]

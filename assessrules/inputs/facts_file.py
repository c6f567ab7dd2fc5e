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
import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from ..errors import FactsError, Problem, SpecError, with_code
from ..messages import problem
from ..rules.document import Document, DocumentError, load_document, read_document
from ..rules.limits import echo

if TYPE_CHECKING:
    from ..engine.results import Result
    from ..engine.spec import Spec


MIN_UNITS_PER_JOB = 200
"""Below this many units per process, starting workers costs more than it saves."""


def read_facts(path: str | os.PathLike[str], spec: Spec | Callable[[str | None], Spec] | None = None,
               stdin: TextIO | None = None) -> Document:
    """Read a facts file (``-``: standard input); raise :class:`FactsError` if it is not a mapping with a `units` list.

    A workbook (.xlsx, .xlsm, .xls or .ods) is read against ``spec``: the spec itself, or a function that gives it
    from the spec the workbook names (see :func:`assessrules.inputs.workbook.read_workbook`).
    """
    if os.fspath(path).lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        from .workbook import read_workbook

        return read_workbook(path, spec if spec is not None else functools.partial(_named_spec, os.fspath(path)))
    try:
        is_stdin = os.fspath(path) == "-"
        document = load_document((stdin or sys.stdin).read(), "<stdin>") if is_stdin else read_document(path)
    except DocumentError as exc:
        raise FactsError(with_code(exc.problems, "facts.file")) from None
    data = document.data
    if data is None:
        raise FactsError([document.say("facts.file_empty", ())])
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise FactsError([document.say("facts.file", ())])
    if not data["units"]:
        raise FactsError([document.say("facts.no_units", ("units",))])
    extra = [k for k in data if k not in ("units", "spec", "description", "as_of")]
    if extra:
        raise FactsError([document.say("facts.file_key", (extra[0],), key=echo(str(extra[0])))])
    return document


def _named_spec(book: str, ref: str | None) -> Spec:
    """The spec a workbook names (填表说明 › 规则), found as a facts file's ``spec:`` is, under the same policy."""
    from ..engine.spec import load_spec

    if ref is None:
        raise FactsError([problem("facts.no_spec", file=book)])
    return load_spec(spec_of(Document({"spec": ref}, book, {}, "")) or ref)
def spec_of(document: Document, allow: Iterable[str | os.PathLike[str]] | None = None) -> str | None:
    """The spec a facts file names with ``spec:``: a bundled id, or a path relative to the file.

    The path must lead inside the facts file's folder tree or a folder in ``allow``
    (see docs/security.md); anything else is refused without being read.
    """
    from .. import _resources
    from ..rules import access

    data = document.data
    name = data.get("spec") if isinstance(data, dict) else None
    if name is None:
        return None
    if not isinstance(name, str | int) or isinstance(name, bool) or not str(name).strip():
        raise SpecError([document.say("facts.spec_ref", ("spec",))])
    text = str(name)
    home = access.home_of(document.file)
    roots = (*((home,) if home else ()), *access.allowed_roots(allow))
    try:
        real = access.resolve(text, home, roots)
    except access.RefusedError:
        raise SpecError([document.say("facts.spec_refused", ("spec",), name=echo(text))]) from None
    if real is not None:
        return str(real)
    if text in _resources.bundled_specs():
        return text
    raise SpecError([document.say("facts.spec_unknown", ("spec",), name=echo(text),
                                  bundled=list(_resources.bundled_specs()))])


def locate(problems: Sequence[Problem], document: Document) -> list[Problem]:
    """Give each problem the file, line and column of its path in ``document`` (for a workbook, its cell)."""
    out = []
    for p in problems:
        line, column = document.locate(p.path)
        file = document.file_of(p.path)
        cell = file[len(document.file) + 1:] if file.startswith(document.file + "!") else p.cell  # a workbook's cell
        out.append(attrs.evolve(p, file=file, line=line, column=column, cell=cell))
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
        raise FactsError([document.say("facts.as_of", ("as_of",), value=echo(repr(value)))]) from None


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


__all__ = ["MIN_UNITS_PER_JOB", "as_of_of", "locate", "read_facts", "score_document", "spec_of", "units_of"]

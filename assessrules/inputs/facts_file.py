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
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from ..errors import FactsError, Problem, with_code
from ..rules.document import Document, DocumentError, load_document, read_document

if TYPE_CHECKING:
    from ..engine.results import Result
    from ..engine.spec import Spec


def read_facts(path: str | os.PathLike[str], spec: Spec | Callable[[str | None], Spec] | None = None,
               stdin: TextIO | None = None) -> Document:
    """Read a facts file (``-``: standard input); raise :class:`FactsError` if it is not a mapping with a `units` list.

    A workbook (.xlsx) is read against ``spec``: the spec itself, or a function that gives it
    from the spec the workbook names (see :func:`assessrules.inputs.workbook.read_workbook`).
    """
    if os.fspath(path).lower().endswith((".xlsx", ".xlsm", ".xls")):
        from .workbook import read_workbook

        return read_workbook(path, spec if spec is not None else _named_spec)
    try:
        is_stdin = os.fspath(path) == "-"
        document = load_document((stdin or sys.stdin).read(), "<stdin>") if is_stdin else read_document(path)
    except DocumentError as exc:
        raise FactsError(with_code(exc.problems, "facts.file")) from None
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise FactsError(with_code([document.problem("a facts file is a mapping with a `units:` list", (),
                                                     "see examples/zhenping-2021-units.yaml")], "facts.file"))
    extra = [k for k in data if k not in ("units", "spec", "description", "as_of")]
    if extra:
        raise FactsError(with_code([document.problem(f"unknown key `{extra[0]}`", (extra[0],),
                                                     "a facts file has `units:` (and optionally `spec:`, `as_of:`, "
                                                     "`description:`)")], "facts.file"))
    return document


def _named_spec(ref: str | None) -> Spec:
    from ..engine.spec import load_spec

    if ref is None:
        raise FactsError("the workbook names no spec (填表说明 › 规则): give one")
    return load_spec(ref)


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
        raise FactsError(with_code([document.problem(f"`as_of` must be a date like 2022-01-10, not {value!r}",
                                                     ("as_of",))], "facts.as_of")) from None


def score_document(spec: Spec, document: Document, as_of: dt.date | None = None) -> list[Result]:
    """Score every unit of a facts file; problems come back located in the file."""
    try:
        return spec.evaluate_many(units_of(document), as_of=as_of or as_of_of(document))
    except FactsError as exc:
        raise FactsError(locate(exc.problems, document)) from None


__all__ = ["as_of_of", "locate", "read_facts", "score_document", "units_of"]

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

from .errors import FactsError, Problem
from .facts import facts_json_schema
from .yamlio import Document, DocumentError, read_document

if TYPE_CHECKING:
    from .results import Result
    from .spec import Spec


def read_facts(path: str | os.PathLike[str], spec: Spec | Callable[[str | None], Spec] | None = None) -> Document:
    """Read a facts file; raise :class:`FactsError` if it is not a mapping with a `units` list.

    A workbook (.xlsx) is read against ``spec``: the spec itself, or a function that gives it
    from the spec the workbook names (see :func:`assessrules.inputs.workbook.read_workbook`).
    """
    if os.fspath(path).lower().endswith((".xlsx", ".xlsm", ".xls")):
        from .inputs.workbook import read_workbook

        return read_workbook(path, spec if spec is not None else _named_spec)
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


def _named_spec(ref: str | None) -> Spec:
    from .loader import load_spec

    if ref is None:
        raise FactsError("the workbook names no spec (填表说明 › 规则): give one")
    return load_spec(ref)


def locate(problems: Sequence[Problem], document: Document) -> list[Problem]:
    """Give each problem the file, line and column of its path in ``document``."""
    out = []
    for p in problems:
        line, column = document.locate(p.path)
        out.append(attrs.evolve(p, file=document.file_of(p.path), line=line, column=column))
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


def score_document(spec: Spec, document: Document, as_of: dt.date | None = None) -> list[Result]:
    """Score every unit of a facts file; problems come back located in the file."""
    try:
        return spec.evaluate_many(units_of(document), as_of=as_of or as_of_of(document))
    except FactsError as exc:
        raise FactsError(locate(exc.problems, document)) from None


_PERIOD_PATTERNS = {"month": r"^\d{4}-(0[1-9]|1[0-2])$", "quarter": r"^\d{4}Q[1-4]$"}


def _periods_schema(spec: Spec) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "facts recorded per period, by month (2021-03) or quarter (2021Q1)",
        "patternProperties": {
            _PERIOD_PATTERNS[kind]: facts_json_schema({n: f for n, f in spec.facts.items() if f.period == kind})
            for kind in spec.period_kinds},
        "additionalProperties": False,
    }


def facts_file_schema(spec: Spec) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a facts file for ``spec``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:assessrules:facts:{spec.metadata.id}",
        "title": f"Facts file for {spec.metadata.title}",
        "type": "object",
        "properties": {
            "spec": {"type": "string", "description": "the spec to use when --spec is not given"},
            "as_of": {"type": "string", "format": "date",
                      "description": "the assessment date (考核日期); --as-of overrides it"},
            "description": {"type": "string"},
            "units": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": ["string", "integer"], "description": "unique in the file"},
                        "name": {"type": "string"},
                        "type": {"enum": list(spec.unit_types),
                                 "description": "; ".join(f"{k}: {v.label}" for k, v in spec.unit_types.items())},
                        "target": {"type": "number", "minimum": 0, "description": "目标分值"},
                        "facts": facts_json_schema({n: f for n, f in spec.facts.items() if f.period is None}),
                        **({"periods": _periods_schema(spec)} if spec.period_kinds else {}),
                    },
                    "required": ["id", "type", "target", "facts"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["units"],
        "additionalProperties": False,
    }


__all__ = ["as_of_of", "facts_file_schema", "locate", "read_facts", "score_document", "units_of"]

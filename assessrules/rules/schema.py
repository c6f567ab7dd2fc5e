"""The JSON Schema of a spec (format 1), and its errors told in a person's words, each located."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from .. import _resources
from ..errors import Path, Problem
from .document import Document

if TYPE_CHECKING:
    import jsonschema


@cache
def spec_schema() -> dict[str, Any]:
    """The JSON Schema of a spec (format 1), as data."""
    with open(_resources.spec_schema_path(), encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def _validator() -> jsonschema.protocols.Validator:
    import jsonschema

    base = jsonschema.validators.validator_for(spec_schema())
    # YAML reads 2021-01-01 as a date: to the schema it is the string it was written as.
    checker = base.TYPE_CHECKER.redefine(
        "string", lambda _checker, value: isinstance(value, str | dt.date))
    cls = jsonschema.validators.extend(base, type_checker=checker)  # type: ignore[no-untyped-call]
    return cls(spec_schema())  # type: ignore[no-any-return]


# --- schema problems, in a person's words -------------------------------------------


def schema_problems(document: Document) -> list[Problem]:
    """Check ``document.data`` against the spec schema; return located problems."""
    if not isinstance(document.data, dict):
        return [document.problem("a spec must be a mapping of keys (spec_format, metadata, facts, …)", (),
                                 "start from specs/2021.yaml")]
    problems = []
    for error in _validator().iter_errors(document.data):
        problems.extend(_explain_schema_error(error, document))
    return problems


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, int | Decimal | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {"object": "a mapping of keys", "array": "a list", "string": "text", "number": "a number",
               "integer": "a whole number", "boolean": "true or false", "null": "nothing"}


def _explain_schema_error(error: jsonschema.ValidationError, document: Document) -> list[Problem]:
    path: Path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    hint = schema.get("description")
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(schema.get("properties", {}))
        out = []
        for key in error.instance:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            out.append(document.problem(
                f"unknown key `{key}`", path + (key,),
                f"did you mean `{close[0]}`?" if close else f"allowed here: {', '.join(allowed)}", at_key=True))
        return out
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        sub = schema.get("properties", {}).get(missing, {})
        return [document.problem(f"missing `{missing}`", path, sub.get("description") or hint)]
    if kind == "type" or (kind == "anyOf" and error.context and all(e.validator == "type" for e in error.context)):
        wanted: list[Any] = []
        for e in error.context if kind == "anyOf" else [error]:
            value: Any = e.validator_value
            wanted.extend([value] if isinstance(value, str) else value)
        wanted_text = " or ".join(_TYPE_WORDS.get(w, w) for w in dict.fromkeys(wanted))
        if isinstance(error.instance, bool) and "string" in wanted:
            hint = "YAML reads yes/no/on/off/true/false as true/false: put the word in quotes, e.g. 'no'"
        return [document.problem(f"expected {wanted_text}, got {_describe(error.instance)}", path, hint)]
    if kind in ("enum", "const"):
        options: Any = error.validator_value
        choices = list(options) if kind == "enum" else [options]
        return [document.problem(f"{_describe(error.instance)} is not allowed here; expected one of: "
                                 f"{', '.join(map(str, choices))}", path, hint)]
    if kind == "pattern":
        return [document.problem(f"{_describe(error.instance)} does not have the expected form", path, hint)]
    if kind == "anyOf":
        return [document.problem(f"{_describe(error.instance)} is not valid here", path, hint)]
    if kind in ("minItems", "minProperties"):
        return [document.problem("this must not be empty", path, hint)]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return [document.problem(f"{_describe(error.instance)} is out of range ({kind} {error.validator_value})",
                                 path, hint)]
    if kind == "propertyNames":
        return [document.problem(f"`{error.instance}` is not a valid name", path, hint
                                 or "use lower-case letters, digits and _")]
    return [document.problem(error.message, path, hint)]


__all__ = ["schema_problems", "spec_schema"]

"""The JSON Schema of a spec (format 1), and its errors told in a person's words, each located."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from .. import _resources
from ..errors import Path, Problem
from .document import Document
from .limits import echo

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
    # … written as a date, whose length and pattern the string's keywords do not measure (a date parameter)
    def text_only(keyword: str) -> Any:
        check = base.VALIDATORS[keyword]

        def checked(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
            return iter(()) if isinstance(instance, dt.date) else check(validator, value, instance, schema)

        return checked

    keywords = {k: text_only(k) for k in ("minLength", "maxLength", "pattern")}
    cls = jsonschema.validators.extend(base, keywords, type_checker=checker)  # type: ignore[no-untyped-call]
    return cls(spec_schema())  # type: ignore[no-any-return]


# --- schema problems, in a person's words -------------------------------------------


def schema_problems(document: Document) -> list[Problem]:
    """Check ``document.data`` against the spec schema; return located problems."""
    if not isinstance(document.data, dict):
        return [document.say("spec.file", ())]
    problems = []
    for error in _validator().iter_errors(document.data):
        problems.extend(_explain_schema_error(error, document))
    return problems


def given(value: Any, limit: int = 40) -> str:
    """``value`` as it would be written in YAML, short: what a message says was found.

    >>> given(True), given(None), given([1, "a", {"b": 2}]), given("很长" * 30, 6)
    ('true', 'null', '[1, a, {b: 2}]', '很长很长很长…')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        text = "[" + ", ".join(given(v, limit) for v in value[:4]) + (", …" if len(value) > 4 else "") + "]"
    elif isinstance(value, dict):
        items = list(value.items())
        text = "{" + ", ".join(f"{k}: {given(v, limit)}" for k, v in items[:4]) + (", …" if len(items) > 4 else "") + "}"
    else:
        text = str(value)
    return echo(text, limit)


def _key(path: Path) -> str:
    """The place in the document's words: the last key of ``path``, with the items after it (``deduct[0]``)."""
    for i in range(len(path) - 1, -1, -1):
        if isinstance(path[i], str):
            return str(path[i]) + "".join(f"[{n}]" for n in path[i + 1:])
    return "$" + "".join(f"[{n}]" for n in path)


_TYPE_CODES = {
    frozenset({"string"}): "schema.not_text",
    frozenset({"number"}): "schema.not_number",
    frozenset({"integer"}): "schema.not_integer",
    frozenset({"object"}): "schema.not_mapping",
    frozenset({"array"}): "schema.not_list",
    frozenset({"boolean"}): "schema.not_boolean",
    frozenset({"number", "string"}): "schema.not_number_or_text",
    frozenset({"string", "array"}): "schema.not_text_or_list",
}
_BOUNDS = {"minimum": "schema.minimum", "maximum": "schema.maximum", "exclusiveMinimum": "schema.exclusive_minimum",
           "exclusiveMaximum": "schema.exclusive_maximum"}


_NAME = "^[a-z][a-z0-9_]*$"
"""The form of a name an expression reads (a fact, a parameter): said as :data:`schema.name`."""
_FORMS = {"^[a-z][a-z0-9_-]*$": "schema.id", r"^\s*[0-9]+(\.[0-9]+)?\s*%\s*$": "schema.percent"}
"""The schema's other patterns that people meet, each with the code that says what form is wanted."""


def _close(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _explain_schema_error(error: jsonschema.ValidationError, document: Document) -> list[Problem]:
    path: Path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    kind = error.validator
    key, value = _key(path), given(error.instance)
    if kind == "propertyNames" or "propertyNames" in error.schema_path:  # a name (a key) of the wrong form
        return [document.say("schema.name", path, name=echo(str(error.instance), 40))]
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(schema.get("properties", {}))
        out = []
        for name in error.instance:
            if name in allowed:
                continue
            near = _close(str(name), allowed)
            out.append(document.say("schema.unknown_key_typo", path + (name,), at_key=True, key=echo(str(name), 40),
                                    allowed=allowed, suggestion=near) if near else
                       document.say("schema.unknown_key", path + (name,), at_key=True, key=echo(str(name), 40),
                                    allowed=allowed))
        return out
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return [document.say("schema.required", path, key=missing)]
    if kind == "type" or (kind in ("anyOf", "oneOf") and error.context
                          and all(e.validator == "type" for e in error.context)):
        wanted: list[str] = []
        for e in error.context if kind != "type" else [error]:
            types: Any = e.validator_value
            wanted.extend([types] if isinstance(types, str) else types)
        kinds = frozenset(wanted) - {"null"} or frozenset(wanted)  # `null` removes a thing: not what is asked for
        if isinstance(error.instance, bool) and "string" in kinds:
            return [document.say("schema.yes_no", path, key=key, given=value)]
        code = _TYPE_CODES.get(kinds)
        if code is None:
            return [document.say("schema.type", path, key=key, given=value,
                                 expected=[f"`{w}`" for w in dict.fromkeys(wanted)])]
        return [document.say(code, path, key=key, given=value)]
    if kind == "enum":
        options: Any = error.validator_value
        choices = [given(c) for c in options]
        near = _close(str(error.instance), choices) if isinstance(error.instance, str) else None
        if near:
            return [document.say("schema.enum_typo", path, key=key, given=value, choices=choices, suggestion=near)]
        return [document.say("schema.enum", path, key=key, given=value, choices=choices)]
    if kind == "const":
        return [document.say("schema.const", path, key=key, given=value, expected=given(error.validator_value))]
    if kind == "pattern":
        pattern = str(error.validator_value)
        if pattern == _NAME:
            return [document.say("schema.name", path, name=value)]
        if pattern in _FORMS:
            return [document.say(_FORMS[pattern], path, key=key, given=value)]
        return [document.say("schema.pattern", path, key=key, given=value, pattern=pattern)]
    if kind in ("anyOf", "oneOf"):
        # the forms whose kind of value fits what was written say best what is wrong with it
        fitting = [e for e in error.context or () if e.validator != "type"]
        if fitting and all(e.validator == "required" for e in fitting):
            keys = [str(e.message).split("'")[1] for e in fitting if "'" in e.message]
            return [document.say("schema.required_one_of", path, keys=[f"`{k}:`" for k in keys])]
        if fitting:
            import jsonschema

            best = jsonschema.exceptions.best_match(fitting)
            if best is not None:
                return _explain_schema_error(best, document)
        return [document.say("schema.any_of", path, key=key, given=value)]
    if kind in ("minItems", "minProperties", "minLength"):
        return [document.say("schema.empty", path, key=key)]
    if kind in _BOUNDS:
        return [document.say(_BOUNDS[kind], path, key=key, given=value, limit=given(error.validator_value))]
    return [document.say("spec.schema", path, detail=echo(error.message, 200))]


__all__ = ["given", "schema_problems", "spec_schema"]

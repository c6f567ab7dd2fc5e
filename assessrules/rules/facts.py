"""Fact types: what an assessor may record, and how a value is checked.

Each type is one small :class:`FactType` in :data:`FACT_TYPES`: how it
normalises a value (or says what is wrong with it), what kind of value it is
to an expression, and its JSON Schema for facts files. The spec declares
every fact with one of these types; nothing else may be given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from .expressions import Type
from .limits import CONTROL, MAX_COUNT, MAX_MAGNITUDE, bad_character

UNIT_KEYS = ("id", "name", "type", "target", "facts", "periods")
"""What a unit entry of a facts file holds."""


class FactValueError(ValueError):
    """A fact value does not fit its declaration; the message says how, ``path`` where inside it.

    ``reason`` is the catalogue code of the sentence that says how in either language (``value.not_number``,
    ``value.above_max``, …) and ``values`` the values it names; the message is its English sentence.
    ``code`` is the problem's stable code (``facts.type``, ``facts.range``, …; docs/errors.md).
    """

    def __init__(self, message: str, path: tuple[str | int, ...] = (), code: str = "facts.type",
                 hint: str | None = None, *, reason: str = "", values: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.code = code  # the stable problem code (docs/errors.md)
        self.hint = hint
        self.reason = reason
        self.values: dict[str, Any] = dict(values or {})


def _refuse(reason: str, path: tuple[str | int, ...] = (), code: str = "facts.type", **values: Any) -> FactValueError:
    """The error of catalogue ``reason``, its English sentence and hint filled from ``values``."""
    from ..messages import CATALOGUE, fill

    entry = CATALOGUE[reason]
    message = fill(entry.text_en or reason, "en", values)
    hint = fill(entry.hint_en, "en", values) if entry.hint_en else None
    return FactValueError(message, path, code, hint, reason=reason, values=values)


def _shown(value: Any) -> str:
    """A value as a message quotes it in backticks: its YAML-like text, at most 40 characters."""
    if value is None or isinstance(value, bool):
        text = {None: "null", True: "true", False: "false"}[value]
    elif isinstance(value, str | int | float | Decimal | dt.date):
        text = str(value)
    elif isinstance(value, Mapping):
        text = "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(_shown(v) for v in value) + "]"
    else:
        text = type(value).__name__
    return _cut(text)


def _cut(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters, with ``…`` where it was cut."""
    return text if len(text) <= limit else f"{text[:limit]}…"


@attrs.frozen
class Fact:
    """A declared fact: one thing the assessors record for each unit."""

    name: str
    type: str
    label: str
    method: tuple[str, ...] = ()
    required: bool = False
    default: Any = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    values: tuple[str, ...] | None = None
    direction: str | None = None  # "worse" (a violation) or "better" (an achievement)
    unit: str | None = None
    description: str | None = None
    period: str | None = None  # "month" or "quarter": recorded per period
    fields: Mapping[str, Fact] | None = None  # for records: the fields of one record
    nullable: bool = False  # a record field that may be left empty (default: null)
    dated_by: str | None = None  # for records: the date field that says when a record came to be

    @property
    def kind(self) -> FactType:
        """The type's behaviour, from the registry."""
        return FACT_TYPES[self.type]

    def normalize(self, value: Any) -> Any:
        """Return the value as scoring uses it, or raise :class:`FactValueError`."""
        if value is None and self.nullable:
            return None
        return self.kind.normalize(value, self)


def _number(value: Any, text: bool = False) -> Decimal:
    """The number ``value`` holds; text such as ``"4"`` only where ``text`` allows it (a percentage)."""
    if isinstance(value, bool):
        raise _refuse("value.bool_not_number", value=_shown(value))
    if isinstance(value, str) and not text:
        raise _refuse("value.text_not_number", value=_shown(value))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # the shortest text that reads back as this float
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise _refuse("value.not_number", value=_shown(value)) from None
    elif value is None:
        raise _refuse("value.null_number")
    else:
        raise _refuse("value.not_number", value=_shown(value))
    if not number.is_finite():
        raise _refuse("value.not_finite", value=_shown(str(value)))
    if abs(number) > MAX_MAGNITUDE:
        raise _refuse("value.too_large", limit=f"{MAX_MAGNITUDE:,.0f}")
    return number


def _bounded(number: Decimal, fact: Fact, low: Decimal | None = None, high: Decimal | None = None) -> None:
    lo = fact.minimum if fact.minimum is not None else low
    hi = fact.maximum if fact.maximum is not None else high
    if lo is not None and number < lo:
        raise _refuse("value.below_min", code="facts.range", value=str(number), minimum=str(lo))
    if hi is not None and number > hi:
        raise _refuse("value.above_max", code="facts.range", value=str(number), maximum=str(hi))


def _normalize_bool(value: Any, fact: Fact) -> bool:
    if isinstance(value, bool):
        return value
    raise _refuse("value.not_bool", value=_shown(value))


def _normalize_count(value: Any, fact: Fact) -> int:
    number = _number(value)
    if number != number.to_integral_value():
        raise _refuse("value.not_whole", value=_shown(value))
    if number > MAX_COUNT:
        raise _refuse("value.count_too_large", limit=f"{MAX_COUNT:,}")
    _bounded(number, fact, low=Decimal(0))
    return int(number)


def _normalize_number(value: Any, fact: Fact) -> Decimal:
    number = _number(value)
    _bounded(number, fact)
    return number


def _normalize_ratio(value: Any, fact: Fact) -> Decimal:
    percent = isinstance(value, str) and value.strip().endswith("%")
    number = _number(value.strip()[:-1], text=True) / 100 if percent else _number(value)
    _bounded(number, fact, Decimal(0), Decimal(1))
    return number


def _normalize_enum(value: Any, fact: Fact) -> str:
    if not isinstance(value, str):
        raise _refuse("value.not_choice", value=_shown(value), choices=list(fact.values or ()))
    if value not in (fact.values or ()):
        raise _refuse("value.not_choice", code="facts.enum", value=_shown(value), choices=list(fact.values or ()))
    return value


def _normalize_date(value: Any, fact: Fact) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _refuse("value.date_with_time", value=_shown(value.isoformat(sep=" ")))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _refuse("value.not_date", value=_shown(value)) from None
    raise _refuse("value.not_date", value=_shown(value))


def _normalize_text(value: Any, fact: Fact) -> str:
    if isinstance(value, str):
        if (bad := bad_character(value)) is not None:
            raise _refuse("value.control_character", character=bad.split(" ")[0])
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    raise _refuse("value.not_text", value=_shown(value))


def _record_title(record: Mapping[str, Any]) -> str:
    """The record's title as a message names it after its number (` 《…》`), or nothing."""
    for key in ("title", "name", "id"):
        if isinstance(record.get(key), str):
            return f" 《{_cut(record[key])}》"
    return ""


def _normalize_records(value: Any, fact: Fact) -> tuple[dict[str, Any], ...]:
    if not isinstance(value, list | tuple):
        raise _refuse("value.not_records", value=_shown(value))
    fields = fact.fields or {}
    out = []
    for i, record in enumerate(value):
        if not isinstance(record, Mapping):
            raise _refuse("value.record_not_mapping", (i,), record=i + 1, value=_shown(record))
        for key in record:
            if key not in fields:
                raise _refuse("value.unknown_field", (i, key), "facts.record_field_unknown", record=i + 1,
                              title=_record_title(record), field=str(key), fields=list(fields))
        checked: dict[str, Any] = {}
        for name, field in fields.items():
            if name not in record:
                if field.required:
                    raise _refuse("value.missing_field", (i,), "facts.record_field_missing", record=i + 1,
                                  title=_record_title(record), field=name, field_label=field.label)
                checked[name] = field.default
                continue
            try:
                checked[name] = field.normalize(record[name])
            except FactValueError as exc:
                where = {"record": i + 1, "title": _record_title(record), "field": name, "field_label": field.label}
                raise FactValueError(f"record {i + 1}{where['title']}: field `{name}` ({field.label}): {exc}",
                                     (i, name), exc.code, exc.hint, reason=exc.reason,
                                     values={**exc.values, **where}) from None
        _check_order(fact, checked, record, i)
        out.append(checked)
    return tuple(out)


def _check_order(fact: Fact, checked: Mapping[str, Any], record: Mapping[str, Any], index: int) -> None:
    """No date of a record may come before the date it came to be (``dated_by``): it was not yet there."""
    first = checked.get(fact.dated_by) if fact.dated_by else None
    if not isinstance(first, dt.date):
        return
    for name, field in (fact.fields or {}).items():
        day = checked.get(name)
        if field.type == "date" and name != fact.dated_by and isinstance(day, dt.date) and day < first:
            raise _refuse("value.date_order", (index, name), record=index + 1, title=_record_title(record),
                          field=name, field_label=field.label, day=day.isoformat(), dated_by=str(fact.dated_by),
                          first=first.isoformat())


def _records_schema(fact: Fact) -> dict[str, Any]:
    fields = fact.fields or {}
    properties = {}
    for name, field in fields.items():
        schema = dict(field.kind.json_schema(field))
        if field.nullable:
            schema = {"anyOf": [schema, {"type": "null"}]}
        schema["title"] = field.label
        properties[name] = schema
    return {"type": "array", "items": {
        "type": "object", "properties": properties, "additionalProperties": False,
        "required": [n for n, f in fields.items() if f.required]}}


def _number_schema(fact: Fact, integer: bool = False, low: Decimal | None = None,
                   high: Decimal | None = None) -> dict[str, Any]:
    # JSON Schema numbers are JSON numbers; the bounds here are for editors, the checks are exact.
    schema: dict[str, Any] = {"type": "integer" if integer else "number"}
    lo = fact.minimum if fact.minimum is not None else low
    hi = fact.maximum if fact.maximum is not None else high
    if lo is not None:
        schema["minimum"] = int(lo) if integer else float(lo)
    if hi is not None:
        schema["maximum"] = int(hi) if integer else float(hi)
    return schema


@attrs.frozen
class FactType:
    """One kind of fact: its checks, its expression type and its JSON Schema."""

    name: str
    expr_type: Type
    normalize: Callable[[Any, Fact], Any]
    json_schema: Callable[[Fact], dict[str, Any]]
    description: str
    fast: Callable[[Fact, Callable[[Any], str]], str] = attrs.field(default=lambda f, const: "False")
    """Python that is true of ``v`` exactly when it is already valid and normalised (used as is);
    ``const`` binds a value as a constant. Anything else goes through :attr:`normalize`."""


def _fast_bounds(low: Decimal | int | None, high: Decimal | int | None, const: Callable[[Any], str]) -> str:
    parts = []
    if low is not None:
        parts.append(f" and v >= {const(low)}")
    if high is not None:
        parts.append(f" and v <= {const(high)}")
    return "".join(parts)


def _fast_count(f: Fact, const: Callable[[Any], str]) -> str:
    low = f.minimum if f.minimum is not None else Decimal(0)
    high = min(f.maximum, Decimal(MAX_COUNT)) if f.maximum is not None else Decimal(MAX_COUNT)
    return "type(v) is int" + _fast_bounds(_whole(low), _whole(high), const)


def _whole(bound: Decimal | None) -> Decimal | int | None:
    # an int compares with an int several times faster than with a Decimal, to the same answer
    return int(bound) if bound is not None and bound == bound.to_integral_value() else bound


def _fast_number(f: Fact, const: Callable[[Any], str]) -> str:
    low = f.minimum if f.minimum is not None else -MAX_MAGNITUDE
    high = f.maximum if f.maximum is not None else MAX_MAGNITUDE
    return "type(v) is Decimal and v.is_finite()" + _fast_bounds(low, high, const)


def _fast_ratio(f: Fact, const: Callable[[Any], str]) -> str:
    low = f.minimum if f.minimum is not None else Decimal(0)
    high = f.maximum if f.maximum is not None else Decimal(1)
    return "type(v) is Decimal and v.is_finite()" + _fast_bounds(low, high, const)


FACT_TYPES: dict[str, FactType] = {
    t.name: t
    for t in (
        FactType("bool", "bool", _normalize_bool, lambda f: {"type": "boolean"}, "true or false (是/否)",
                 lambda f, const: "v is True or v is False"),
        FactType("count", "number", _normalize_count, lambda f: _number_schema(f, True, Decimal(0)),
                 "a whole number of occurrences, 0 or more (次数、件数)", _fast_count),
        FactType("number", "number", _normalize_number, _number_schema, "any finite number", _fast_number),
        FactType("ratio", "number", _normalize_ratio,
                 lambda f: {"anyOf": [_number_schema(f, False, Decimal(0), Decimal(1)),
                                      {"type": "string", "pattern": r"^\s*[0-9.]+\s*%\s*$"}]},
                 "a share from 0 to 1, or a percentage written as text (\"95%\")", _fast_ratio),
        FactType("enum", "text", _normalize_enum, lambda f: {"enum": list(f.values or ())},
                 "one of the listed values (e.g. 优/良/一般/差)",
                 lambda f, const: f"type(v) is str and v in {const(frozenset(f.values or ()))}"),
        FactType("date", "date", _normalize_date, lambda f: {"type": "string", "format": "date"},
                 "a calendar date, 2021-10-08", lambda f, const: "type(v) is date"),
        FactType("text", "text", _normalize_text, lambda f: {"type": "string"},
                 "free text, e.g. a document's title",
                 lambda f, const: f"type(v) is str and {const(CONTROL.search)}(v) is None"),
        FactType("records", "any", _normalize_records, _records_schema,
                 "a list of records (evidence), each with the declared fields"),
    )
}
"""The fact types a spec may declare, by name."""


def facts_json_schema(facts: Mapping[str, Fact]) -> dict[str, Any]:
    """Return the JSON Schema of a mapping of facts (a unit's, or one period's)."""
    properties = {}
    for name, fact in facts.items():
        schema = dict(fact.kind.json_schema(fact))
        schema["title"] = fact.label
        if fact.description:
            schema["description"] = fact.description
        properties[name] = schema
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name, fact in facts.items() if fact.required],
        "additionalProperties": False,
    }


__all__ = ["FACT_TYPES", "UNIT_KEYS", "Fact", "FactType", "FactValueError", "facts_json_schema"]

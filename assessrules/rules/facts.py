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
from .limits import CONTROL, MAX_COUNT, MAX_MAGNITUDE, bad_character, echo

UNIT_KEYS = ("id", "name", "type", "target", "facts", "periods", "parent")
"""What a unit entry of a facts file holds."""


class FactValueError(ValueError):
    """A fact value does not fit its declaration; the message says how, ``path`` where inside it."""

    def __init__(self, message: str, path: tuple[str | int, ...] = (), code: str = "facts.not_number",
                 hint: str | None = None, **values: Any) -> None:
        super().__init__(message)
        self.path = path
        self.code = code  # the stable problem code (docs/errors.md), whose sentence names ``values``
        self.hint = hint
        self.values = values  # what the catalogue's sentence for ``code`` names: {"value": "'abc'", …}


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
    nullable: bool = False  # a record field, or an annual date, that may be left empty (default: null)
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
        raise FactValueError("expected a number, got true/false", value=_shown(value))
    if isinstance(value, str) and not text:
        raise FactValueError(f"expected a number, got the text {echo(repr(value))}",
                             hint="write the number without quotes", value=_shown(value))
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
            raise FactValueError(f"expected a number, got the text {echo(repr(value))}", value=_shown(value)) from None
    else:
        raise FactValueError(f"expected a number, got {_what(value)}", value=_shown(value))
    if not number.is_finite():
        raise FactValueError(f"expected a finite number, got {echo(str(value))}", code="facts.not_finite",
                             value=_shown(value))
    if abs(number) > MAX_MAGNITUDE:
        raise FactValueError(f"this number is too large: at most {MAX_MAGNITUDE:,.0f}", code="facts.too_large",
                             value=_shown(value), limit=f"{MAX_MAGNITUDE:,.0f}")
    return number


def _shown(value: Any) -> str:
    """The value as a person sees it in a message, in either language: ``'abc'``, ``null``, ``[…]``, ``7``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[…]"
    if isinstance(value, Mapping):
        return "{…}"
    if isinstance(value, str):
        return echo(repr(value))
    return echo(str(value))


def _what(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} {value!r}"


def _bounded(number: Decimal, fact: Fact, low: Decimal | None = None, high: Decimal | None = None) -> None:
    lo = fact.minimum if fact.minimum is not None else low
    hi = fact.maximum if fact.maximum is not None else high
    if lo is not None and number < lo:
        raise FactValueError(f"{number} is below the least allowed value {lo}", code="facts.range",
                             value=str(number), limit=str(lo))
    if hi is not None and number > hi:
        raise FactValueError(f"{number} is above the greatest allowed value {hi}", code="facts.range_high",
                             value=str(number), limit=str(hi))


def _normalize_bool(value: Any, fact: Fact) -> bool:
    if isinstance(value, bool):
        return value
    raise FactValueError(f"expected true or false, got {_what(value)}", code="facts.not_bool", value=_shown(value))


def _normalize_count(value: Any, fact: Fact) -> int:
    number = _number(value)
    if number != number.to_integral_value():
        raise FactValueError(f"expected a whole number, got {value}", code="facts.not_whole", value=_shown(value))
    if number > MAX_COUNT:
        raise FactValueError(f"this count is too large: at most {MAX_COUNT:,}", code="facts.too_large",
                             value=_shown(value), limit=f"{MAX_COUNT:,}")
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
        raise FactValueError(f"expected one of {'、'.join(fact.values or ())}, got {_what(value)}", code="facts.enum",
                             value=_shown(value), values=list(fact.values or ()))
    if value not in (fact.values or ()):
        raise FactValueError(f"{value!r} is not one of {'、'.join(fact.values or ())}", code="facts.enum",
                             value=_shown(value), values=list(fact.values or ()))
    return value


def _normalize_date(value: Any, fact: Fact) -> dt.date:
    if isinstance(value, dt.datetime):
        raise FactValueError("expected a date without a time, e.g. 2021-10-08", code="facts.not_date",
                             value=_shown(value))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise FactValueError(f"expected a date like 2021-10-08, got {value!r}", code="facts.not_date",
                                 value=_shown(value)) from None
    raise FactValueError(f"expected a date like 2021-10-08, got {_what(value)}", code="facts.not_date",
                         value=_shown(value))


def _normalize_text(value: Any, fact: Fact) -> str:
    if isinstance(value, str):
        if (bad := bad_character(value)) is not None:
            raise FactValueError(f"the text holds the control character {bad}, which is not allowed",
                                 code="facts.control_char", char=bad)
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    raise FactValueError(f"expected text, got {_what(value)}", code="facts.not_text", value=_shown(value))


def _record_title(record: Mapping[str, Any], index: int) -> str:
    for key in ("title", "name", "id"):
        if isinstance(record.get(key), str):
            return f"record {index + 1} 《{record[key]}》"
    return f"record {index + 1}"


def _normalize_records(value: Any, fact: Fact) -> tuple[dict[str, Any], ...]:
    if not isinstance(value, list | tuple):
        raise FactValueError(f"expected a list of records, got {_what(value)}", code="facts.not_records",
                             value=_shown(value))
    fields = fact.fields or {}
    out = []
    for i, record in enumerate(value):
        if not isinstance(record, Mapping):
            raise FactValueError(f"record {i + 1}: expected a mapping of fields, got {_what(record)}", (i,),
                                 "facts.record_not_mapping", record=i + 1, value=_shown(record))
        for key in record:
            if key not in fields:
                raise FactValueError(f"{_record_title(record, i)}: unknown field `{key}` "
                                     f"(fields: {', '.join(fields)})", (i, key), "facts.record_field_unknown",
                                     record=i + 1, field=str(key), fields=list(fields))
        checked: dict[str, Any] = {}
        for name, field in fields.items():
            if name not in record:
                if field.required:
                    raise FactValueError(f"{_record_title(record, i)}: missing field `{name}` ({field.label})", (i,),
                                         "facts.record_field_missing", record=i + 1, field=name,
                                         field_label=field.label)
                checked[name] = field.default
                continue
            try:
                checked[name] = field.normalize(record[name])
            except FactValueError as exc:
                raise FactValueError(f"{_record_title(record, i)}: field `{name}` ({field.label}): {exc}",
                                     (i, name), exc.code.replace("facts.", "facts.field_", 1), exc.hint,
                                     **{**exc.values, "record": i + 1, "field": name, "field_label": field.label}) \
                    from None
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
            raise FactValueError(f"{_record_title(record, index)}: `{name}` ({field.label}) {day.isoformat()} is "
                                 f"before `{fact.dated_by}` {first.isoformat()}", (index, name),
                                 code="facts.record_date_order",
                                 hint="a record cannot be dated before it came to be: check both dates", record=index + 1,
                                 field=name, field_label=field.label, day=day.isoformat(), first=fact.dated_by,
                                 first_label=(fact.fields or {})[fact.dated_by or ""].label,
                                 first_day=first.isoformat())


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
        if fact.nullable:  # a date not yet reached (年报尚未发布): null
            schema = {"anyOf": [schema, {"type": "null"}]}
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

"""The ``facts:`` section: what the assessors record for each unit, and the fields of each record."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ...errors import Path
from ..expressions import FUNCTIONS, Name
from ..facts import FACT_TYPES, Fact, FactValueError
from ..limits import echo
from .context import RUN_NAMES, BuildContext


def build_facts(ctx: BuildContext, raw: Mapping[str, Mapping[str, Any]]) -> dict[str, Fact]:
    """Read ``facts:``; make each fact a name expressions may read (in the scope it is recorded in)."""
    facts: dict[str, Fact] = {}
    for name, f in raw.items():
        path: Path = ("facts", name)
        if name in ctx.parameters:
            ctx.say("spec.duplicate_name", path, name=name)
            continue
        if name in FUNCTIONS or name in RUN_NAMES:
            ctx.say("spec.reserved_name", path, name=name)
            continue
        fact = build_fact(ctx, name, f, path)
        if fact is None:
            continue
        facts[name] = fact
        ctx.names[name] = _name_of(name, fact)
    ctx.period_kinds = {f.period for f in facts.values() if f.period}
    return facts


def _name_of(name: str, fact: Fact) -> Name:
    """How an expression sees the fact: usable as is, or only per period, or only counted as records."""
    if fact.type == "records":
        return Name("any", "fact", fact.label, usable=False)
    if fact.period is not None:
        return Name(FACT_TYPES[fact.type].expr_type, "fact", fact.label, fact.values, period=fact.period, usable=False)
    return Name(FACT_TYPES[fact.type].expr_type, "fact", fact.label, fact.values)


def build_fact(ctx: BuildContext, name: str, f: Mapping[str, Any], path: Path, field: bool = False) -> Fact | None:
    """Build one fact declaration (or, with ``field``, one field of a record)."""
    kind = f["type"]
    values = tuple(f["values"]) if "values" in f else None
    if (kind == "enum") != (values is not None):
        if values is None:
            ctx.say("spec.enum_values", path, fact=name, fact_label=f["label"])
        else:
            ctx.say("spec.values_not_enum", path + ("values",), fact=name, fact_label=f["label"], type=kind)
        return None
    minimum = Decimal(f["min"]) if "min" in f else None
    maximum = Decimal(f["max"]) if "max" in f else None
    if minimum is not None and maximum is not None and minimum > maximum:
        ctx.say("spec.min_above_max", path + ("min",), fact=name, fact_label=f["label"], minimum=minimum,
                maximum=maximum)
    if (minimum is not None or maximum is not None) and kind in ("bool", "enum", "date", "text", "records"):
        ctx.say("spec.min_max_type", path, fact=name, fact_label=f["label"], type=kind)
    fields = None
    if kind == "records":
        if field or "period" in f:
            ctx.say("spec.records_nested", path + ("type",), fact=name, fact_label=f["label"])
            return None
        fields = build_fields(ctx, f.get("fields"), path + ("fields",))
        if fields is None:
            return None
        dated_by = f.get("dated_by")
        if dated_by is not None and (dated_by not in fields or fields[dated_by].type != "date"):
            ctx.say("spec.dated_by", path + ("dated_by",), fact=name, fact_label=f["label"], field=str(dated_by))
    elif "fields" in f:
        ctx.say("spec.fields_not_records", path + ("fields",), fact=name, fact_label=f["label"], type=kind)
    method = f.get("method", ())
    fact = Fact(name=name, type=kind, label=f["label"], method=(method,) if isinstance(method, str) else tuple(method),
                required=bool(f.get("required", False)), minimum=minimum, maximum=maximum, values=values,
                direction=f.get("direction"), unit=f.get("unit"), description=f.get("description"),
                period=f.get("period"), fields=fields, dated_by=f.get("dated_by"))
    return _with_default(ctx, fact, f, path, field)


def _with_default(ctx: BuildContext, fact: Fact, f: Mapping[str, Any], path: Path, field: bool) -> Fact | None:
    """The fact with its default checked and normalised; a fact needs a default unless it is required."""
    if "default" in f:
        if fact.required:
            ctx.say("spec.required_default", path + ("default",), fact=fact.name, fact_label=fact.label)
            return None
        if f["default"] is None and (field or (fact.type == "date" and fact.period is None)):  # a date not yet come
            return attrs.evolve(fact, nullable=True)
        try:
            return attrs.evolve(fact, default=fact.normalize(f["default"]))
        except FactValueError:
            ctx.say("spec.bad_default", path + ("default",), fact=fact.name, fact_label=fact.label, type=fact.type,
                    default=echo(str(f["default"]), 40))
            return None
    if field:
        return attrs.evolve(fact, required=True)
    if not fact.required:
        ctx.say("spec.required_or_default", path, fact=fact.name, fact_label=fact.label)
        return None
    return fact


def build_fields(ctx: BuildContext, raw: Any, path: Path) -> dict[str, Fact] | None:
    """Read the ``fields:`` of a records fact."""
    if not raw:
        ctx.say("spec.records_fields", path, fact=path[-2] if len(path) > 1 else "")
        return None
    fields = {}
    for name, f in raw.items():
        if name in FUNCTIONS or name in RUN_NAMES or name in ctx.parameters:
            ctx.say("spec.field_reserved", path + (name,), field=name)
            continue
        if "period" in f:
            ctx.say("spec.field_period", path + (name, "period"), field=name)
            continue
        built = build_fact(ctx, name, f, path + (name,), field=True)
        if built is not None:
            fields[name] = built
    return fields


__all__ = ["build_fact", "build_facts", "build_fields"]

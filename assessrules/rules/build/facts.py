"""The ``facts:`` section: what the assessors record for each unit, and the fields of each record."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ...errors import Path
from ...periods import WORDS
from ..expressions import FUNCTIONS, Name
from ..facts import FACT_TYPES, Fact, FactValueError
from .context import RUN_NAMES, BuildContext


def build_facts(ctx: BuildContext, raw: Mapping[str, Mapping[str, Any]]) -> dict[str, Fact]:
    """Read ``facts:``; make each fact a name expressions may read (in the scope it is recorded in)."""
    facts: dict[str, Fact] = {}
    for name, f in raw.items():
        path: Path = ("facts", name)
        if name in ctx.parameters:
            ctx.problem(f"`{name}` is declared both as a fact and as a parameter", path, "rename one of them",
                        "spec.duplicate_name")
            continue
        if name in FUNCTIONS or name in RUN_NAMES:
            ctx.problem(f"`{name}` is a reserved name", path, "choose another name", "spec.reserved_name")
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
        return Name("any", "fact", fact.label, usable=False,
                    hint=f"`{name}` is a list of records: count them under `derived:` "
                         f"with `count: <condition>` and `of: {name}`")
    if fact.period is not None:
        word = WORDS[fact.period][0]
        return Name(FACT_TYPES[fact.type].expr_type, "fact", fact.label, fact.values, period=fact.period, usable=False,
                    hint=f"`{name}` is recorded per {word}: use it in a rule with `each: {fact.period}`, "
                         f"or roll it up under `derived:` (sum, mean, min, max, last, count)")
    return Name(FACT_TYPES[fact.type].expr_type, "fact", fact.label, fact.values)


def build_fact(ctx: BuildContext, name: str, f: Mapping[str, Any], path: Path, field: bool = False) -> Fact | None:
    """Build one fact declaration (or, with ``field``, one field of a record)."""
    kind = f["type"]
    values = tuple(f["values"]) if "values" in f else None
    if (kind == "enum") != (values is not None):
        ctx.problem("`values:` is given exactly for enum facts" if values is None or kind == "enum"
                    else f"`values:` does not apply to a {kind} fact", path + ("values",) if values else path,
                    "an enum fact lists its values, e.g. values: [优, 良, 一般, 差]")
        return None
    minimum = Decimal(f["min"]) if "min" in f else None
    maximum = Decimal(f["max"]) if "max" in f else None
    if minimum is not None and maximum is not None and minimum > maximum:
        ctx.problem(f"`min` ({minimum}) is greater than `max` ({maximum})", path + ("min",))
    if (minimum is not None or maximum is not None) and kind in ("bool", "enum", "date", "text", "records"):
        ctx.problem(f"a {kind} fact has no `min`/`max`", path)
    fields = None
    if kind == "records":
        if field or "period" in f:
            ctx.problem("records cannot be nested in a record or recorded per period", path + ("type",))
            return None
        fields = build_fields(ctx, f.get("fields"), path + ("fields",))
        if fields is None:
            return None
        dated_by = f.get("dated_by")
        if dated_by is not None and (dated_by not in fields or fields[dated_by].type != "date"):
            ctx.problem(f"`dated_by: {dated_by}` must name a date field of the record", path + ("dated_by",))
    elif "fields" in f:
        ctx.problem(f"`fields:` is for records, not for a {kind} fact", path + ("fields",))
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
            ctx.problem("a required fact has no default", path + ("default",), "remove `default:` or `required: true`")
            return None
        if f["default"] is None and field:
            return attrs.evolve(fact, nullable=True)
        try:
            return attrs.evolve(fact, default=fact.normalize(f["default"]))
        except FactValueError as exc:
            ctx.problem(f"the default does not fit the fact: {exc}", path + ("default",))
            return None
    if field:
        return attrs.evolve(fact, required=True)
    if not fact.required:
        ctx.problem("a fact must be `required: true` or have a `default:`", path,
                    "counts of problems usually default to 0; things an assessor must check are required")
        return None
    return fact


def build_fields(ctx: BuildContext, raw: Any, path: Path) -> dict[str, Fact] | None:
    """Read the ``fields:`` of a records fact."""
    if not raw:
        ctx.problem("a records fact lists its `fields:`", path, "e.g. fields: {title: {type: text, label: 标题}}")
        return None
    fields = {}
    for name, f in raw.items():
        if name in FUNCTIONS or name in RUN_NAMES or name in ctx.parameters:
            ctx.problem(f"`{name}` is a reserved name or a parameter", path + (name,), "choose another name")
            continue
        if "period" in f:
            ctx.problem("a field of a record is not recorded per period", path + (name, "period"))
            continue
        built = build_fact(ctx, name, f, path + (name,), field=True)
        if built is not None:
            fields[name] = built
    return fields


__all__ = ["build_fact", "build_facts", "build_fields"]

"""The ``metadata:`` and ``unit_types:`` sections: who issued the rules, when, on what scale, for whom."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..model import Metadata, UnitType
from .context import BuildContext


def build_metadata(ctx: BuildContext, m: Mapping[str, Any]) -> Metadata:
    """Read ``metadata:``; its dates must be dates, the first not after the last."""
    dates: dict[str, dt.date | None] = {}
    for key in ("effective_from", "effective_to"):
        raw = m.get(key)
        if raw is None or isinstance(raw, dt.date):
            dates[key] = raw
            continue
        try:
            dates[key] = dt.date.fromisoformat(str(raw))
        except ValueError:
            ctx.say("spec.metadata_date", ("metadata", key), key=key, value=str(raw)[:40])
            dates[key] = None
    if dates["effective_from"] and dates["effective_to"] and dates["effective_from"] > dates["effective_to"]:
        ctx.say("spec.metadata_dates", ("metadata", "effective_to"), start=dates["effective_from"].isoformat(),
                end=dates["effective_to"].isoformat())
    return Metadata(id=str(m["id"]), title=m["title"], issuer=m.get("issuer"),
                    document_number=m.get("document_number"), year=m.get("year"),
                    effective_from=dates["effective_from"], effective_to=dates["effective_to"],
                    scale=Decimal(m["scale"]))


def build_unit_types(raw: Mapping[str, Mapping[str, Any]], ctx: BuildContext | None = None) -> dict[str, UnitType]:
    """Read ``unit_types:`` (the schema has checked them already); a ``parent:`` names declared unit types."""
    out: dict[str, UnitType] = {}
    for k, v in raw.items():
        given = v.get("parent")
        parents = tuple(given) if isinstance(given, list) else (given,) if given else ()
        if ctx is not None:
            for other in parents:
                if other not in raw:
                    ctx.say("spec.unit_type_parent", ("unit_types", k, "parent"), type=k, type_label=v["label"],
                            parent=str(other), types=list(raw))
        out[k] = UnitType(k, v["label"], v.get("description"), tuple(p for p in parents if p in raw))
    return out


__all__ = ["build_metadata", "build_unit_types"]

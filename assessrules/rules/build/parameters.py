"""The ``parameters:`` section: named numbers (and dates) the year sets, readable by every expression."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ..expressions import FUNCTIONS, Name
from ..model import Parameter
from .context import BuildContext


def build_parameters(ctx: BuildContext, raw: Mapping[str, Mapping[str, Any]]) -> None:
    """Read ``parameters:`` into the context and make each a name expressions may read."""
    for name, p in raw.items():
        path = ("parameters", name)
        if name in FUNCTIONS:
            ctx.say("spec.function_name", path, name=name)
        ctx.assumption_ref(p.get("assumption"), path + ("assumption",))
        day = _date(p["value"])
        if day is not None:  # a date the year sets (报送截止日期): expressions compare and count days with it
            ctx.parameters[name] = Parameter(name, day, p["label"], p.get("clause"), p.get("assumption"))
            ctx.names[name] = Name("date", "parameter", p["label"])
            continue
        value = ctx.points(p["value"], path + ("value",), positive=False)  # an expression over earlier parameters
        if value is None:
            continue
        ctx.parameters[name] = Parameter(name, value, p["label"], p.get("clause"), p.get("assumption"))
        ctx.names[name] = Name("number", "parameter", p["label"])


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(raw: object) -> dt.date | None:
    """A parameter written as a date (``value: 2021-06-30``, quoted or not); None for a number or an expression."""
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str) and _ISO_DATE.fullmatch(raw.strip()):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None
    return None


__all__ = ["build_parameters"]

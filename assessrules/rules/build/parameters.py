"""The ``parameters:`` section: named numbers the year sets, readable by every expression."""

from __future__ import annotations

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
        value = ctx.points(p["value"], path + ("value",), positive=False)  # an expression over earlier parameters
        if value is None:
            continue
        ctx.parameters[name] = Parameter(name, value, p["label"], p.get("clause"), p.get("assumption"))
        ctx.names[name] = Name("number", "parameter", p["label"])


__all__ = ["build_parameters"]

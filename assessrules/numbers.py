"""Points are Decimal from the YAML text to the report; these helpers keep them so."""

from __future__ import annotations

import decimal
from decimal import Decimal, InvalidOperation
from typing import Any

DECIMAL_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN,
                                  traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])
"""The one context every computation on points uses, whatever context the caller has set."""


def format_points(value: Decimal | int) -> str:
    """Write a number of points without exponent or trailing zeros: ``Decimal("1.00")`` → ``"1"``."""
    d = Decimal(value)
    if d == 0:
        return "0"
    return format(d.normalize(DECIMAL_CONTEXT), "f")


def canonical(value: Decimal) -> Decimal:
    """The same number with no trailing zeros and no exponent: ``100.0`` → ``100``, ``2.50`` → ``2.5``."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=DECIMAL_CONTEXT)
    return value.normalize(DECIMAL_CONTEXT)


def parse_fraction(raw: Any) -> Decimal:
    """Read ``"40%"``, ``0.4`` or ``40 %`` as ``Decimal("0.40")``; raise ValueError otherwise."""
    if isinstance(raw, bool):
        raise ValueError("expected a percentage such as 40% or a fraction such as 0.4")
    if isinstance(raw, str):
        text = raw.strip()
        if not text.endswith("%"):
            raise ValueError(f"expected a percentage such as 40%, got {raw!r}")
        try:
            value = Decimal(text[:-1].strip()) / 100
        except InvalidOperation:
            raise ValueError(f"expected a percentage such as 40%, got {raw!r}") from None
    elif isinstance(raw, int | Decimal):
        value = Decimal(raw)
    else:
        raise ValueError("expected a percentage such as 40% or a fraction such as 0.4")
    if not value.is_finite():
        raise ValueError("a percentage must be a finite number")
    return value


__all__ = ["DECIMAL_CONTEXT", "canonical", "format_points", "parse_fraction"]

"""Points are Decimal from the YAML text to the report; these helpers keep them so."""

from __future__ import annotations

import decimal
import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal

Exact = Decimal | Fraction
"""A number of points in the model: a Decimal, or a Fraction when the spec's own arithmetic does not terminate
(``points: 20 / 12``). A Fraction never reaches a result: results round it as the spec declares."""

RoundingMode = Literal["half_up", "half_even", "down", "up"]
ROUNDING_MODES: tuple[RoundingMode, ...] = ("half_up", "half_even", "down", "up")

DECIMAL_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN,
                                  traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])
"""The one context every computation on points uses, whatever context the caller has set."""


def terminates(value: Fraction) -> bool:
    """True when ``value`` has a finite decimal expansion (its denominator has no prime but 2 and 5)."""
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def exact_points(value: Fraction) -> Exact:
    """``value`` as an exact Decimal when it terminates, else the Fraction itself."""
    if not terminates(value):
        return value
    return canonical(_terminating_decimal(value))


def _terminating_decimal(value: Fraction) -> Decimal:
    n, d, shift = value.numerator, value.denominator, 0
    while d != 1:  # multiply by 10 until the denominator divides out (it has only 2s and 5s)
        n, shift = n * 10, shift + 1
        g = math.gcd(n, d)
        n, d = n // g, d // g
    return Decimal(n).scaleb(-shift)


def round_exact(value: Fraction | Decimal | int, places: int, mode: RoundingMode = "half_up") -> Decimal:
    """Round an exact number to ``places`` decimals with integer arithmetic: no intermediate is ever inexact.

    >>> round_exact(Fraction(20, 12), 2), round_exact(Fraction(-5, 2), 0), round_exact(Fraction(5, 2), 0, "half_even")
    (Decimal('1.67'), Decimal('-3'), Decimal('2'))
    """
    q = Fraction(value) * 10 ** places
    sign = -1 if q < 0 else 1
    whole, rest = divmod(abs(q.numerator), q.denominator)
    twice = 2 * rest
    if mode == "down" or rest == 0:
        up = False
    elif mode == "up":
        up = True
    elif twice != q.denominator:
        up = twice > q.denominator
    else:  # exactly half
        up = mode == "half_up" or whole % 2 == 1
    return Decimal(sign * (whole + up)).scaleb(-places)


def format_points(value: Decimal | Fraction | int) -> str:
    """Write a number of points without exponent or trailing zeros: ``Decimal("1.00")`` → ``"1"``; a Fraction
    that does not terminate as ``"5/3"``."""
    if isinstance(value, Fraction):
        if not terminates(value):
            return f"{value.numerator}/{value.denominator}"
        value = _terminating_decimal(value)
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


__all__ = [
    "DECIMAL_CONTEXT",
    "ROUNDING_MODES",
    "Exact",
    "RoundingMode",
    "canonical",
    "exact_points",
    "format_points",
    "parse_fraction",
    "round_exact",
    "terminates",
]

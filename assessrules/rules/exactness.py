"""Where a spec's own arithmetic can produce a number with no finite decimal expansion.

The engine keeps every quotient exact; a result can only publish a Decimal. So
a spec that can produce, say, 5/3 of a point must say how it rounds
(``rounding:``), and the loader refuses it otherwise, naming each place. The
places are found before any unit is seen:

* a number the spec computes at load (``points: 20 / 12``, ``value: 25 / 12``);
* the share a weighted parent takes of a child (weight × parent's points ÷ child's points), and the
  renormalisation over the weights of the children that apply;
* ``not_applicable: rescale`` and ``spread`` over each set of children that can apply;
* a division in a count or score expression by anything but a constant that divides exactly
  (a quotient that only feeds a comparison or a rounding function is harmless);
* ``conversion:`` without ``places:``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction

from ..errors import Path
from ..numbers import format_points, terminates
from .derive import Derived
from .kinds import Trigger
from .model import Conversion, Indicator, Parameter

MAX_SUBSETS = 12
"""Beyond this many children that may not apply, the combinations are not enumerated: assume the worst."""

Place = tuple[str, Path]
"""What can produce a non-terminating value, and where it is written."""


def divides_exactly(divisor: Fraction) -> bool:
    """True when every terminating decimal divided by ``divisor`` terminates (its numerator is 2ᵃ·5ᵇ)."""
    return divisor != 0 and terminates(Fraction(divisor.denominator, abs(divisor.numerator)))


EXACT_FIELDS = ("points", "maximum", "then", "beyond", "score", "at_most")
"""The fields of a trigger that hold points, any of which may be an exact quotient."""


def nonterminating_places(root: Indicator, triggers: Sequence[Trigger], parameters: Mapping[str, Parameter],
                          not_applicable: str, conversion: Conversion | None) -> list[Place]:
    """Every place in the spec whose arithmetic can produce a non-terminating value."""
    places: list[Place] = []
    for name, parameter in parameters.items():
        if isinstance(parameter.value, Fraction):
            places.append((f"the parameter `{name}` is {format_points(parameter.value)}", ("parameters", name, "value")))
    values = {n: p.value for n, p in parameters.items()}
    for trigger in triggers:
        for field in EXACT_FIELDS:
            value = getattr(trigger, field, None)
            if isinstance(value, Fraction):
                places.append((f"「{trigger.label}」 `{field}` is {format_points(value)}", trigger.path))
        for table in ("by_severity", "scale"):
            for label, value in (getattr(trigger, table, None) or {}).items():
                if isinstance(value, Fraction):
                    places.append((f"「{trigger.label}」 gives {label} {format_points(value)}", trigger.path))
        for expression in trigger.expressions():
            if expression.type != "number":
                continue
            for division in expression.divisions():
                divisor = expression.divisor_constant(division, values)
                if divisor is None or not divides_exactly(divisor):
                    places.append((f"「{trigger.label}」 divides in `{expression.text}`", trigger.path))
                    break
    for node in root.walk():
        places.extend(_parent_places(node, not_applicable))
    if conversion is not None and conversion.places is None and not divides_exactly(Fraction(root.points) /
                                                                                      Fraction(conversion.to)):
        places.append((f"the conversion × {format_points(conversion.to)} ÷ {format_points(root.points)}",
                       ("conversion",)))
    return places


def derived_places(derived: Sequence[Derived], parameters: Mapping[str, Parameter]) -> list[Place]:
    """The derived values that can be a quotient with no exact decimal value: a mean, or an open division."""
    values = {n: p.value for n, p in parameters.items()}
    places: list[Place] = []
    for d in derived:
        if d.kind == "mean":
            places.append((f"the derived value 「{d.label}」 is a mean", d.path))
            continue
        for division in d.expression.divisions() if d.expression.type == "number" else ():
            divisor = d.expression.divisor_constant(division, values)
            if divisor is None or not divides_exactly(divisor):
                places.append((f"the derived value 「{d.label}」 divides in `{d.expression.text}`", d.path))
                break
    return places


def _subsets(node: Indicator) -> Iterator[tuple[Indicator, ...]] | None:
    """Each set of children that can apply together (children without a limit always apply)."""
    limited = [c for c in node.children if c.limited]
    if len(limited) > MAX_SUBSETS:
        return None
    always = tuple(c for c in node.children if not c.limited)
    return (always + chosen for k in range(len(limited) + 1) for chosen in itertools.combinations(limited, k))


def _parent_places(node: Indicator, not_applicable: str) -> list[Place]:
    kids = node.children
    if not kids:
        return []
    where: Path = node.path + ("children",)
    weighted = any(c.weighted for c in kids)
    per_unit = [c for c in (node, *kids) if c.unit_points is not None]
    if per_unit and (weighted or (any(c.limited for c in kids) and not_applicable != "full_marks")):
        return [(f"「{node.name}」 divides by points given per unit ({'、'.join(c.name for c in per_unit)})", where)]
    if weighted:
        for c in kids:
            share = Fraction(c.weight if c.weight is not None else 1) * Fraction(node.points) / Fraction(c.points)
            if not terminates(share):
                return [(f"「{node.name}」 takes {format_points(share)} of 「{c.name}」's score "
                         f"(weight × {format_points(node.points)} ÷ {format_points(c.points)})", c.path)]
    if not any(c.limited for c in kids) or (not weighted and not_applicable == "full_marks"):
        return []
    if any(c.weight_expr is not None for c in kids):
        return [(f"「{node.name}」 renormalises over shares given per unit", where)]
    subsets = _subsets(node)
    if subsets is None:
        return [(f"「{node.name}」 has more than {MAX_SUBSETS} children that may not apply", where)]
    whole = Fraction(1) if weighted else sum((Fraction(c.points) for c in kids), Fraction(0))
    for applying in subsets:
        if not applying:
            continue
        ap = sum((Fraction(c.weight or 0) if weighted else Fraction(c.points) for c in applying), Fraction(0))
        if weighted or not_applicable == "rescale":
            if ap and not divides_exactly(ap / whole):
                how = "weights" if weighted else "points"
                return [(f"「{node.name}」 renormalises over the {how} of the children that apply "
                         f"({'、'.join(c.name for c in applying)}: ÷ {format_points(ap)})",
                         where if weighted else ("not_applicable",))]
            continue
        miss = whole - ap
        for c in applying:
            factor = (Fraction(c.points) + miss / len(applying)) / Fraction(c.points)
            if not terminates(factor):
                return [(f"「{node.name}」 spreads {format_points(miss)} points over {len(applying)} children that "
                         f"apply (「{c.name}」 × {format_points(factor)})", ("not_applicable",))]
    return []


__all__ = ["EXACT_FIELDS", "MAX_SUBSETS", "Place", "derived_places", "divides_exactly", "nonterminating_places"]

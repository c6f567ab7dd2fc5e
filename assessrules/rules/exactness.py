"""Where a spec's own arithmetic can produce a number with no finite decimal expansion.

The engine keeps every quotient exact; a result can only publish a Decimal. So
a spec that can produce, say, 5/3 of a point must say how it rounds
(``rounding:``), and the loader refuses it otherwise, naming each place. The
places are found before any unit is seen:

* a number the spec computes at load (``points: 20 / 12``, ``value: 25 / 12``);
* the share a weighted parent takes of a child (weight × parent's points ÷ child's points), and that share
  renormalised over the weights of each set of children that can apply together (web 30% applying alone
  takes 0.3 ÷ 0.3 = 100%: exact);
* ``not_applicable: rescale`` and ``spread`` over each set of children that can apply;
* a division in a count or score expression by anything but a constant that divides exactly
  (a quotient that only feeds a comparison or a rounding function is harmless);
* ``conversion:`` without ``places:``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

from ..errors import Path
from ..numbers import format_points, terminates
from .derive import Derived
from .kinds import Trigger
from .limits import echo
from .model import Conversion, Indicator, Parameter

MAX_SUBSETS = 12
"""Beyond this many children that may not apply, the combinations are not enumerated: assume the worst."""

Place = tuple[str, Path, dict[str, Any]]
"""What can produce a non-terminating value, and where it is written: the catalogue code that says it
(``spec.inexact_division``, …; each sentence ends by saying that the spec declares no rounding), the path,
and the values the sentence names."""


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
            places.append(("spec.inexact_parameter", ("parameters", name, "value"),
                           {"name": name, "value": format_points(parameter.value)}))
    values = {n: p.value for n, p in parameters.items()}
    for trigger in triggers:
        for field in EXACT_FIELDS:
            value = getattr(trigger, field, None)
            if isinstance(value, Fraction):
                places.append(("spec.inexact_points", trigger.path,
                               {"rule": trigger.label, "field": field, "value": format_points(value)}))
        for table in ("by_severity", "scale"):
            for label, value in (getattr(trigger, table, None) or {}).items():
                if isinstance(value, Fraction):
                    places.append(("spec.inexact_table", trigger.path,
                                   {"rule": trigger.label, "label": label, "value": format_points(value)}))
        for expression in trigger.expressions():
            if expression.type != "number":
                continue
            for division in expression.divisions():
                divisor = expression.divisor_constant(division, values)
                if divisor is None or not divides_exactly(divisor):
                    places.append(("spec.inexact_division", trigger.path,
                                   {"rule": trigger.label, "expression": echo(expression.text)}))
                    break
    for node in root.walk():
        places.extend(_parent_places(node, not_applicable))
    if conversion is not None and conversion.places is None and not divides_exactly(Fraction(root.points) /
                                                                                      Fraction(conversion.to)):
        places.append(("spec.inexact_conversion", ("conversion",),
                       {"to": format_points(conversion.to), "points": format_points(root.points)}))
    return places


def derived_places(derived: Sequence[Derived], parameters: Mapping[str, Parameter]) -> list[Place]:
    """The derived values that can be a quotient with no exact decimal value: a mean, or an open division."""
    values = {n: p.value for n, p in parameters.items()}
    places: list[Place] = []
    for d in derived:
        if d.kind == "mean" or getattr(d, "how", None) in ("mean", "share"):  # a mean of sub-units, a share
            places.append(("spec.inexact_mean", d.path, {"label": d.label, "name": d.name}))
            continue
        for division in d.expression.divisions() if d.expression.type == "number" else ():
            divisor = d.expression.divisor_constant(division, values)
            if divisor is None or not divides_exactly(divisor):
                places.append(("spec.inexact_derived_division", d.path,
                               {"label": d.label, "name": d.name, "expression": echo(d.expression.text)}))
                break
    return places


def _subsets(node: Indicator) -> Iterator[tuple[Indicator, ...]] | None:
    """Each set of children that can apply together (children without a limit always apply)."""
    limited = [c for c in node.children if c.limited]
    if len(limited) > MAX_SUBSETS:
        return None
    always = tuple(c for c in node.children if not c.limited)
    return (always + chosen for k in range(len(limited) + 1) for chosen in itertools.combinations(limited, k))


def children_path(node: Indicator) -> Path:
    """Where ``node``'s children are written: the top level's under ``indicators:``, another's under its ``children:``."""
    return ("indicators",) if node.parent is None else node.path + ("children",)


def _rescaled(node: Indicator, child: Indicator) -> Fraction:
    """What a weighted child's score is multiplied by besides its weight: the parent's points ÷ its own, or 1 when the
    parent weighs raw scores (`weighting: raw`)."""
    return Fraction(1) if node.raw_weights else Fraction(node.points) / Fraction(child.points)


def _parent_places(node: Indicator, not_applicable: str) -> list[Place]:
    kids = node.children
    if not kids:
        return []
    where = children_path(node)
    weighted = any(c.weighted for c in kids)
    per_unit = [c for c in (node, *kids) if c.unit_points is not None]
    if per_unit and (weighted or (any(c.limited for c in kids) and not_applicable != "full_marks")):
        return [("spec.inexact_per_unit", where, {"name": node.name, "parts": [c.name for c in per_unit]})]
    if weighted:
        for c in kids:
            share = Fraction(c.weight if c.weight is not None else 1) * _rescaled(node, c)
            if not terminates(share):
                return [("spec.inexact_share", c.path, {"name": node.name, "share": format_points(share), "child": c.name,
                                                         "points": format_points(node.points),
                                                         "child_points": format_points(c.points)})]
    if not any(c.limited for c in kids) or (not weighted and not_applicable == "full_marks"):
        return []
    if any(c.weight_expr is not None for c in kids):
        return [("spec.inexact_shares_per_unit", where, {"name": node.name})]
    subsets = _subsets(node)
    if subsets is None:
        return [("spec.inexact_many", where, {"name": node.name, "limit": MAX_SUBSETS})]
    whole = Fraction(1) if weighted else sum((Fraction(c.points) for c in kids), Fraction(0))
    for applying in subsets:
        if not applying:
            continue
        ap = sum((Fraction(c.weight or 0) if weighted else Fraction(c.points) for c in applying), Fraction(0))
        if weighted:
            # the children that apply share 100% in proportion to their weights: each child's score is taken
            # weight ÷ (the weights that apply) × the parent's points ÷ its own points times, which decides,
            # not ap alone (web 30% alone takes 0.3 ÷ 0.3 = 100%, exactly)
            for c in applying if ap else ():
                if not terminates(Fraction(c.weight or 0) / ap * _rescaled(node, c)):
                    return [("spec.inexact_weights", c.path + ("weight",),
                             {"name": node.name, "parts": [k.name for k in applying], "total": format_points(ap)})]
            continue
        if not_applicable == "rescale":
            if ap and not divides_exactly(ap / whole):
                return [("spec.inexact_rescale", ("not_applicable",),
                         {"name": node.name, "parts": [c.name for c in applying], "total": format_points(ap)})]
            continue
        miss = whole - ap
        for c in applying:
            factor = (Fraction(c.points) + miss / len(applying)) / Fraction(c.points)
            if not terminates(factor):
                return [("spec.inexact_spread", ("not_applicable",),
                         {"name": node.name, "missing": format_points(miss), "count": len(applying), "child": c.name,
                          "factor": format_points(factor)})]
    return []


__all__ = ["EXACT_FIELDS", "MAX_SUBSETS", "Place", "children_path", "derived_places", "divides_exactly",
           "nonterminating_places"]

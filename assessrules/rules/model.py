"""The frozen data model of a loaded spec (考核办法)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal

import attrs

from ..errors import Path
from ..numbers import Exact, RoundingMode
from .expressions import Expression
from .kinds import Trigger


@attrs.frozen
class Metadata:
    """Who issued the rules, when, and on what scale."""

    id: str
    title: str
    issuer: str | None = None
    document_number: str | None = None
    year: int | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    scale: Decimal = Decimal(100)


@attrs.frozen
class UnitType:
    """A kind of assessed unit (考核对象), e.g. 各镇人民政府."""

    id: str
    label: str
    description: str | None = None
    parents: tuple[str, ...] = ()  # the unit types a unit of this type may name as its `parent:` (下属单位 of a 部门)


@attrs.frozen
class Parameter:
    """A named number (or date) the year sets, usable in expressions."""

    name: str
    value: Exact | dt.date  # a Fraction when written as a quotient that does not terminate (25 / 12)
    label: str
    clause: str | None = None
    assumption: str | None = None


@attrs.frozen
class Assumption:
    """A number the document does not give, chosen by the spec (解读)."""

    id: str
    clause: str
    text: str
    value: str | None = None


@attrs.frozen(eq=False)
class Indicator:
    """A node of the indicator tree (指标); ``points`` is its cap (分值)."""

    id: str
    name: str
    points: Decimal
    index: int
    depth: int
    path: Path
    floor: Decimal | None = Decimal(0)
    method: tuple[str, ...] = ()
    text: str | None = None
    clause: str | None = None
    unit_types: frozenset[str] | None = None
    children: tuple[Indicator, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    parent: str | None = None
    weight: Decimal | None = None  # its share of a weighted parent (工作考核 70%)
    weight_expr: Expression | None = None  # or its share per unit, from the unit's facts (所占比例)
    units: frozenset[str] | None = None  # the named units it applies to
    applies_if: Expression | None = None  # the condition under which it applies
    assumption: str | None = None  # the assumption (解读) its points or its scope implement
    grades: tuple[Grade, ...] = ()  # the part's own grades (分项等次), from its own score
    unit_points: Expression | None = None  # what it is worth to each unit, from its facts (at most `points`)
    children_add_up: bool = True  # its children's points add up to its own (checked per unit with unit_points)
    floor_assumption: str | None = None  # the assumption its floor implements
    bonus: Bonus | None = None  # the part's own bonus (本项加分): gated on its score, within its points
    raw_weights: bool = False  # `weighting: raw`: its weighted children add weight × their score, not × their share

    @property
    def weighted(self) -> bool:
        """True for a child of a weighted parent (a fixed weight, or one per unit)."""
        return self.weight is not None or self.weight_expr is not None

    @property
    def limited(self) -> bool:
        """True when the indicator does not apply to every unit."""
        return self.unit_types is not None or self.units is not None or self.applies_if is not None

    @property
    def is_leaf(self) -> bool:
        """True for a node without children."""
        return not self.children

    def walk(self) -> Iterator[Indicator]:
        """Yield this node and every node below it, parents first."""
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen
class Bonus:
    """Bonus items (加分项) on top of the base score, with their own cap and an optional gate."""

    items: tuple[Trigger, ...]
    cap: Decimal | None  # None: every item counts in full
    gate: Decimal | None = None  # only when the base score reaches this (or passes it, when strict)
    label: str = "加分项"
    clause: str | None = None
    strict: bool = False  # the gate is 高于 (above), not 达到 (at least)


@attrs.frozen
class Conversion:
    """How the table's total is converted to the score that is graded (折算为考核分值)."""

    to: Decimal
    places: int | None = None  # rounded half up to this many decimals, when given
    clause: str | None = None
    share: Decimal | None = None  # written as a share of (table + bonus), 得分 = (100 + 6) × 1%: then to = scale × share


@attrs.frozen
class Rounding:
    """Where and how the spec rounds (``rounding: {places: 2, mode: half_up, at: score}``).

    Inside the engine every quotient is exact; a value is rounded only here. ``at`` says where the
    rounding changes what follows: ``indicator`` (each indicator's score, so parents add rounded
    parts, and the graded score), ``score`` (the graded score, before the grade is read) or
    ``published`` (nothing is computed on rounded values). Whatever ``at`` says, every figure a
    result publishes is rounded the same way, so a result never shows a non-terminating value.
    """

    places: int
    mode: RoundingMode = "half_up"
    at: str = "score"
    clause: str | None = None
    indicators: Rounding | None = None  # a second place: each indicator rounded so (e.g. 2 places, the score 1)

    @property
    def for_indicators(self) -> Rounding | None:
        """How each indicator's score is rounded as it is computed, if it is."""
        return self.indicators if self.indicators is not None else (self if self.at == "indicator" else None)

    @property
    def published_places(self) -> int:
        """The decimals every published figure keeps: the finest declared."""
        return max(self.places, self.indicators.places) if self.indicators is not None else self.places


@attrs.frozen
class Group:
    """A group scored from its members' results (全县 from its departments and towns): the mean of their
    scores, or with ``weights``, the weighted mix of the mean of each member type."""

    id: str
    label: str
    members: tuple[str, ...]  # the unit types whose units are members
    weights: Mapping[str, Decimal] | None = None  # by member type, adding up to 100%
    clause: str | None = None
    by_parent: bool = False  # one group per parent unit, of its sub-units (of the member types)


@attrs.frozen
class Grade:
    """A grade (考核等次) from thresholds, with its consequence (结果运用)."""

    id: str
    label: str
    at_least: Decimal | None  # the lower threshold, written `at_least:` or (strict) `above:`
    below: Decimal | None  # the upper threshold, written `below:` or (inclusive) `at_most:`
    commend: bool = False
    deduct: Decimal = Decimal(0)  # fraction of the target value
    clause: str | None = None
    path: Path = ()
    consequence: str | None = None  # what else the grade brings, in words (约谈, 追责): recorded, not scored
    above: bool = False  # the lower threshold is strict (高于80, written `above: 80`): 80 itself is not in
    at_most: bool = False  # the upper threshold is inclusive (80分及以下, written `at_most: 80`): 80 itself is in
    verdicts: tuple[str, ...] = ()  # under `grade_by:`, the assessor's verdicts that give this grade (好, 较好)

    def contains(self, score: Decimal) -> bool:
        """True when ``score`` falls between the thresholds, each inclusive or strict as written."""
        low = self.at_least is None or (score > self.at_least if self.above else score >= self.at_least)
        return low and (self.below is None or (score <= self.below if self.at_most else score < self.below))

    @property
    def low_sign(self) -> str:
        """How the lower threshold reads before the score: ``≤`` (at least) or ``<`` (above)."""
        return "<" if self.above else "≤"

    @property
    def high_sign(self) -> str:
        """How the upper threshold reads after the score: ``<`` (below) or ``≤`` (at most)."""
        return "≤" if self.at_most else "<"


__all__ = ["Assumption", "Bonus", "Conversion", "Grade", "Group", "Indicator", "Metadata", "Parameter", "Rounding",
           "UnitType"]

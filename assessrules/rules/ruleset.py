"""The checked model of a whole spec (考核办法): :class:`Rules`, everything a year's rules declare.

The loader builds it from a located document; the engine compiles it into a
:class:`~assessrules.engine.spec.Spec`. It is plain frozen data with the
look-ups every layer needs (nodes by index, the owner of each trigger, the
facts of each kind of period, the assessment date by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from ..errors import Path, Problem
from ..periods import PERIOD_KINDS
from .derive import Derived
from .facts import Fact, facts_json_schema
from .kinds import Trigger
from .model import Assumption, Bonus, Conversion, Grade, Group, Indicator, Metadata, Parameter, Rounding, UnitType

_PERIOD_PATTERNS = {"month": r"^\d{4}-(0[1-9]|1[0-2])$", "quarter": r"^\d{4}Q[1-4]$",
                    "half_month": r"^\d{4}-(0[1-9]|1[0-2])[ab]$", "half_year": r"^\d{4}H[12]$"}


def _holds(grade: Grade, value: Fraction) -> bool:
    """``grade.contains`` for an exact value (a percentage that may not terminate)."""
    low = grade.at_least is None or (value > grade.at_least if grade.above else value >= grade.at_least)
    return low and (grade.below is None or (value <= grade.below if grade.at_most else value < grade.below))


@attrs.frozen(eq=False)
class Rules:
    """One year's rules as checked data: the tree, its triggers, grades, consequences and declarations."""

    metadata: Metadata
    unit_types: Mapping[str, UnitType]
    parameters: Mapping[str, Parameter]
    facts: Mapping[str, Fact]
    root: Indicator
    grades: tuple[Grade, ...]
    direct_deductions: tuple[Trigger, ...]
    assumptions: Mapping[str, Assumption]
    triggers: tuple[Trigger, ...]
    source: str
    sha256: str
    direct_clause: str | None = None
    derived: tuple[Derived, ...] = ()
    limit_to_target: bool = True
    bonus: Bonus | None = None
    vetoes: tuple[Trigger, ...] = ()
    conversion: Conversion | None = None
    not_applicable: str = "full_marks"  # or "rescale", "spread": what the points of an indicator that does not apply do
    rounding: Rounding | None = None  # where the spec rounds; with it the scorer keeps every quotient exact
    graded: bool = True  # False: the spec declares no grades and gives scores only (one implicit grade)
    consequences: tuple[Trigger, ...] = ()  # consequences that are not points (不予公开, 追责), in order
    groups: tuple[Group, ...] = ()  # groups scored from their members' results
    positions: Mapping[Path, tuple[int, int]] = attrs.field(factory=dict, repr=False)
    sources: tuple[str, ...] = ()  # every file the spec was read from, the base first
    warnings: tuple[Problem, ...] = attrs.field(default=(), repr=False)  # what an extending spec left behind
    grade_by: str | None = None  # the enum fact (an assessor's verdict) the grade is taken from, not the score
    grade_on: str = "score"  # or "percentage": the thresholds read the score × 100 ÷ the unit's own total (得分率)
    nodes: tuple[Indicator, ...] = attrs.field(init=False, repr=False)
    trigger_owner: Mapping[int, int] = attrs.field(init=False, repr=False)
    fact_groups: Mapping[str | None, Mapping[str, Fact]] = attrs.field(init=False, repr=False)
    _dated_records: tuple[Fact, ...] = attrs.field(init=False, repr=False)
    _period_kinds: tuple[str, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        nodes = tuple(sorted(self.root.walk(), key=lambda n: n.index))
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "trigger_owner", {t.index: n.index for n in nodes for t in n.triggers})
        groups: dict[str | None, Mapping[str, Fact]] = {None: {n: f for n, f in self.facts.items() if f.period is None}}
        groups.update({k: {n: f for n, f in self.facts.items() if f.period == k} for k in PERIOD_KINDS})
        object.__setattr__(self, "fact_groups", groups)
        object.__setattr__(self, "_dated_records",
                           tuple(f for f in self.facts.values() if f.type == "records" and f.dated_by))
        object.__setattr__(self, "_period_kinds",
                           tuple(k for k in PERIOD_KINDS if any(f.period == k for f in self.facts.values())))

    @property
    def targeted(self) -> bool:
        """True when something can deduct from a unit's target value (目标分值): a grade's consequence or a
        direct deduction; a spec with neither has no target to speak of."""
        return bool(self.direct_deductions) or any(g.deduct for g in self.grades)

    @property
    def year(self) -> int | None:
        """The year the spec assesses, from its metadata."""
        if self.metadata.year is not None:
            return self.metadata.year
        return self.metadata.effective_from.year if self.metadata.effective_from else None

    @property
    def dated_records(self) -> tuple[Fact, ...]:
        """The records facts whose records carry the date they came to be (``dated_by``)."""
        return self._dated_records

    @property
    def period_kinds(self) -> tuple[str, ...]:
        """The kinds of period (month, quarter) the spec records facts for."""
        return self._period_kinds

    @property
    def default_as_of(self) -> dt.date | None:
        """The assessment date when none is given: the end of the spec's period of effect, or of its year."""
        if self.metadata.effective_to is not None:
            return self.metadata.effective_to
        return dt.date(self.year, 12, 31) if self.year is not None else None

    def grade_index(self, grade_id: str | None) -> int:
        """The index of the grade ``grade_id`` (the lowest grade for None)."""
        if grade_id is None:
            return len(self.grades) - 1
        return next(i for i, g in enumerate(self.grades) if g.id == grade_id)

    def grades_for(self, score: Decimal, total: Decimal, facts: Mapping[str, Any]) -> list[Grade]:
        """The grades the spec's own way of grading puts a unit in (before any veto): the one its verdict names under
        ``grade_by:``, else those whose thresholds hold the score — or, under ``grade_on: percentage``, the score × 100
        ÷ the unit's ``total`` (its table's points, converted as the score is), compared exactly."""
        if self.grade_by is not None:
            return [g for g in self.grades if facts.get(self.grade_by) in g.verdicts]
        if self.grade_on == "percentage" and total:
            read = Fraction(score) * 100 / Fraction(total)
            if self.conversion is not None:
                read = read * Fraction(self.metadata.scale) / Fraction(self.conversion.to)
            return [g for g in self.grades if _holds(g, read)]
        return [g for g in self.grades if g.contains(score)]

    @property
    def graded_scale(self) -> Decimal:
        """The scale grades are read on: the converted one if the spec converts, else the table's."""
        return self.conversion.to if self.conversion is not None else self.metadata.scale

    def locate(self, path: Path) -> str:
        """``file:line:col`` of the value at ``path`` in the spec (or of its nearest parent)."""
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        line, column = self.positions.get(path, (None, None))
        return f"{self.source}:{line}:{column}" if line is not None else self.source

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the indicator with this id."""
        for node in self.nodes:
            if node.id == indicator_id:
                return node
        raise KeyError(indicator_id)

    def descendants_of(self, indices: Iterable[int]) -> frozenset[int]:
        """The given node indices and every index below them."""
        out: set[int] = set()
        for i in indices:
            out.update(n.index for n in self.nodes[i].walk())
        return frozenset(out)

    def facts_schema(self) -> dict[str, Any]:
        """Return the JSON Schema (draft 2020-12) of a facts file for these rules."""
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"urn:assessrules:facts:{self.metadata.id}",
            "title": f"Facts file for {self.metadata.title}",
            "type": "object",
            "properties": {
                "spec": {"type": "string", "description": "the spec to use when --spec is not given"},
                "as_of": {"type": "string", "format": "date",
                          "description": "the assessment date (考核日期); --as-of overrides it"},
                "description": {"type": "string"},
                "units": {"type": "array", "items": self._unit_schema()},
            },
            "required": ["units"],
            "additionalProperties": False,
        }

    def _unit_schema(self) -> dict[str, Any]:
        properties: dict[str, Any] = {
            "id": {"type": ["string", "integer"], "description": "unique in the file"},
            "name": {"type": "string"},
            "type": {"enum": list(self.unit_types),
                     "description": "; ".join(f"{k}: {v.label}" for k, v in self.unit_types.items())},
            "target": {"type": "number", "minimum": 0,
                       "description": "目标分值; leave it out for a unit whose grade has no consequence"},
            "facts": facts_json_schema(self.fact_groups[None]),
        }
        if any(t.parents for t in self.unit_types.values()):
            properties["parent"] = {"type": "string", "description": "the id of the unit this one is a sub-unit of "
                                    "(下属单位), of a type its own type declares as `parent:`"}
        if self.period_kinds:
            properties["periods"] = {
                "type": "object",
                "description": "facts recorded per period: month (2021-03), quarter (2021Q1), half-month (2021-03a, "
                               "2021-03b) or half-year (2021H1)",
                "patternProperties": {_PERIOD_PATTERNS[k]: facts_json_schema(self.fact_groups[k])
                                      for k in self.period_kinds},
                "additionalProperties": False,
            }
        return {"type": "object", "properties": properties, "required": ["id", "type", "facts"],
                "additionalProperties": False}


__all__ = ["Rules"]

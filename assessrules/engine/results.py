"""Results of scoring: plain, frozen data built from the compiled scorer's raw output.

The scorer returns numbers and a trace; the views here (indicators, fired
triggers, receipt, :meth:`Result.to_dict`) are built from them when asked,
so scoring many units stays fast and explaining one stays complete. What does
not depend on the unit (each rule's reads, label, clause, effect and owner) is
worked out once per spec in :class:`RuleTables`; what a result builds
(its unit, fired triggers, receipt) it builds once and keeps.

The engine never renders: :meth:`Result.explain` hands the result to the text
view that the outputs layer registers (:func:`register_view`), so that this
module never imports a layer above it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import weakref
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .._version import __version__
from ..numbers import DECIMAL_CONTEXT, canonical, format_points
from ..rules.expressions import UNIT_NAMES
from .receipt import POINT_TEXTS, canonical_json, writer_of
from .receipt import points_text as _points_text
from .serialize import Serializer, build_serializer

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..rules.model import Grade, Indicator
    from ..rules.ruleset import Rules
    from .types import Record

Trace = list[tuple[int, Any, Any, Any]]
"""``(trigger index, count, signed points, periods)`` for every trigger that fired, in order."""

_VIEWS: dict[str, Callable[[Result, str], str]] = {}


def register_view(name: str, render: Callable[[Result, str], str]) -> None:
    """Let an output module render results as ``name`` in a language (``zh`` or ``en``); :meth:`Result.explain`
    uses the ``"text"`` view."""
    _VIEWS[name] = render

RESULT_FORMAT = "assessrules.result/1"
"""The version of the JSON form of results (``schemas/result-1.schema.json``)."""


@attrs.frozen
class Unit:
    """One assessed unit with its checked facts (defaults filled in), per-period facts and assessment date."""

    id: str
    name: str
    type: str
    target: Decimal
    facts: Mapping[str, Any]
    periods: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    as_of: dt.date | None = None
    parent: str | None = None  # the id of the unit it is a sub-unit of (下属单位)

    @classmethod
    def from_record(cls, record: Record, derived: Iterable[str] = ()) -> Unit:
        """The unit of a checked record, without the derived values."""
        ns = record[4]
        skip = set(derived) | {"as_of"}
        facts = {k: v for k, v in ns.items() if not k.startswith("@") and k not in skip}
        periods = {label: values for k, v in ns.items() if k.startswith("@") for label, values in v}
        return cls(record[0], record[1], record[2], record[3], facts, periods, ns.get("as_of"), record[6])

    def canonical(self) -> dict[str, Any]:
        """The unit as plain JSON data, Decimals as canonical strings, keys sorted by the dumper."""
        data = {"id": self.id, "name": self.name, "type": self.type, "target": format_points(self.target),
                "facts": {k: plain(v) for k, v in self.facts.items()}}
        if self.parent is not None:
            data["parent"] = self.parent
        if self.periods:
            data["periods"] = _plain_dict(self.periods)
        if self.as_of is not None:
            data["as_of"] = self.as_of.isoformat()
        return data


_SCALARS = (str, int, bool, float, type(None))


_CANONICAL: dict[Decimal, Decimal] = {}


def _canonical(value: Decimal) -> Decimal:
    # canonical(value), the same few scores unit after unit worked out once. Equal non-zero Decimals have
    # one canonical form; zeros do not (-0 stays -0), so they are not kept.
    if value.__class__ is not Decimal or not value:
        return canonical(value)
    known = _CANONICAL.get(value)
    if known is None:
        if len(_CANONICAL) > 50_000:
            _CANONICAL.clear()
        known = _CANONICAL[value] = canonical(value)
    return known


def plain(value: Any) -> Any:
    """Turn a fact or point value into JSON-ready data (Decimal → canonical string)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is Decimal:
        return _points_text(value)
    if kind is dict:
        return _plain_dict(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def _plain_dict(value: Mapping[Any, Any]) -> dict[str, Any]:
    # the common case inline: a flat mapping of scalars and Decimals (facts, a month's facts, a record)
    out: dict[str, Any] = {}
    for k, v in value.items():
        kind = type(v)
        if kind is str or kind is bool or kind is int or v is None:
            out[k if type(k) is str else str(k)] = v
        elif kind is Decimal:
            out[k if type(k) is str else str(k)] = _points_text(v)
        else:
            out[k if type(k) is str else str(k)] = plain(v)
    return out


@attrs.frozen
class PeriodHit:
    """One period in which a rule written with ``each:`` fired, with that period's facts."""

    period: str
    count: Decimal | None
    points: Decimal
    facts: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        return {"period": self.period, "count": plain(self.count), "points": plain(self.points),
                "facts": _plain_dict(self.facts)}


@attrs.frozen
class Evidence:
    """What a derived value was made from: the periods it rolled up, or the records it counted."""

    name: str
    label: str
    kind: str
    value: Any
    periods: tuple[tuple[str, Any], ...] = ()
    records: tuple[tuple[int, Mapping[str, Any]], ...] = ()  # (number from 1, record)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        return {"name": self.name, "label": self.label, "kind": self.kind, "value": plain(self.value),
                "periods": [{"period": p, "value": plain(v)} for p, v in self.periods],
                "records": [{"number": n, **_plain_dict(r)} for n, r in self.records]}


@attrs.frozen
class FiredTrigger:
    """A trigger that moved points: which rule, which facts, how many points (signed), and the evidence."""

    index: int
    kind: str
    label: str
    clause: str | None
    assumption: str | None
    count: Decimal | None
    points: Decimal | None
    facts: Mapping[str, Any]
    effect: str
    periods: tuple[PeriodHit, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    records: tuple[tuple[int, Any, Decimal], ...] = ()  # for a deduction by records: (number, severity, points)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        data = {"kind": self.kind, "label": self.label, "clause": self.clause, "assumption": self.assumption,
                "count": plain(self.count), "points": plain(self.points), "effect": self.effect,
                "facts": _plain_dict(self.facts)}
        if self.periods:
            data["periods"] = [p.to_dict() for p in self.periods]
        if self.evidence:
            data["evidence"] = [e.to_dict() for e in self.evidence]
        if self.records:
            data["records"] = [{"number": n, "severity": sev, "points": plain(p)} for n, sev, p in self.records]
        return data


@attrs.frozen
class IndicatorResult:
    """The score of one indicator, how it came about, and whether a floor or cap was applied."""

    id: str
    name: str
    depth: int
    parent: str | None
    points: Decimal
    score: Decimal | None  # None for an indicator that does not apply and is left out (rescale, spread)
    raw: Decimal | None
    applicable: bool
    floored: bool
    capped: bool
    zeroed: bool
    fired: tuple[FiredTrigger, ...]
    missed: tuple[FiredTrigger, ...]
    clause: str | None
    grade: str | None = None  # the part's own grade, when it declares grades

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        return {"id": self.id, "name": self.name, "depth": self.depth, "parent": self.parent, "grade": self.grade,
                "points": plain(self.points), "score": plain(self.score), "raw": plain(self.raw),
                "applicable": self.applicable, "floored": self.floored, "capped": self.capped,
                "zeroed": self.zeroed, "clause": self.clause, "fired": [f.to_dict() for f in self.fired],
                "not_awarded": [f.to_dict() for f in self.missed]}


@attrs.frozen
class Receipt:
    """Enough to reproduce a result and to appeal it (结果凭证)."""

    spec_id: str
    spec_sha256: str
    facts_sha256: str
    library_version: str

    def to_dict(self) -> dict[str, str]:
        """Return plain JSON-ready data."""
        return {"spec_id": self.spec_id, "spec_sha256": self.spec_sha256, "facts_sha256": self.facts_sha256,
                "library_version": self.library_version}


def _part_grade_of(node: Indicator, score: Any) -> Grade | None:
    if not node.grades or score is None:
        return None
    return next((g for g in node.grades if g.contains(score)), None)


def _part_grade(node: Indicator, score: Any) -> str | None:
    grade = _part_grade_of(node, score)
    return grade.label if grade is not None else None


_EFFECTS = {"zero_if": "zero", "score": "score", "rating": "score", "award_if": "award", "award_each": "award",
            "award_discretionary": "award", "consequence": "consequence", "bonus_if": "bonus",
            "bonus_each": "bonus", "veto": "veto", "multiplier": "multiplier"}


@attrs.frozen
class RuleTable:
    """What a result needs to know of one trigger, worked out once per spec."""

    index: int
    kind: str
    label: str
    clause: str | None
    assumption: str | None
    effect: str
    each: str | None
    reads: tuple[str, ...]  # the facts it reads, in order of first use (``as_of`` left out)
    derived: tuple[str, ...]  # those of ``reads`` that are derived values: their evidence is shown
    owner: int | None  # the index of the indicator it belongs to, if it belongs to one
    period_reads: tuple[str, ...] = ()  # for a rule written with ``each:``, those of ``reads`` recorded per period
    shown: tuple[str, ...] = attrs.field(init=False)  # those of ``reads`` a fired entry lists as its facts
    shown_by_period: tuple[str, ...] = attrs.field(init=False)  # the same, when its periods are listed apart

    def __attrs_post_init__(self) -> None:
        shown = tuple(n for n in self.reads if n not in self.derived)
        object.__setattr__(self, "shown", shown)
        object.__setattr__(self, "shown_by_period", tuple(n for n in shown if n not in self.period_reads))


@attrs.frozen
class RuleTables:
    """Per-spec tables behind every result: one :class:`RuleTable` per trigger, the awards of each
    indicator, the bonus items and direct deductions, and the derived values by name."""

    rules: tuple[RuleTable, ...]
    awards: tuple[tuple[int, ...], ...]  # by node index: its award_if triggers, in order
    bonus_items: frozenset[int]
    direct: frozenset[int]
    derived: Mapping[str, Any]  # name -> Derived
    derived_names: tuple[str, ...]
    node_ids: tuple[str, ...]  # by node index
    owners: tuple[int | None, ...] = ()  # by trigger index: the index of the indicator it belongs to, if any
    zero_rules: frozenset[int] = frozenset()  # the triggers that zero their indicator (zero_if)
    veto_rules: frozenset[int] = frozenset()  # the vetoes of a part (veto: on an indicator)
    consequence_rules: frozenset[int] = frozenset()  # the triggers of ``consequences:``
    graded_nodes: tuple[Indicator, ...] = ()  # the indicators with their own grades, in order
    has_awards: bool = False  # whether any indicator has awards (award_if) that may be not awarded
    # the triggers whose entries count beyond their indicator (zero, veto, direct, bonus, consequence)
    marked: frozenset[int] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "marked", self.zero_rules | self.veto_rules | self.direct | self.bonus_items
                           | self.consequence_rules)

    @classmethod
    def of(cls, spec: Rules) -> RuleTables:
        """The tables of ``spec``, built on first use and kept as long as the spec lives."""
        tables = _TABLES.get(spec)
        if tables is None:
            tables = _TABLES[spec] = cls.build(spec)
        return tables

    @classmethod
    def build(cls, spec: Rules) -> RuleTables:
        """Work the tables out from ``spec``."""
        derived = {d.name: d for d in spec.derived}
        rules = []
        for trigger in spec.triggers:
            reads = tuple(n for n in trigger.reads() if n != "as_of"  # nor the unit's own type and id: not facts
                          and (n not in UNIT_NAMES or n in spec.facts or n in derived))
            each = trigger.each
            rules.append(RuleTable(trigger.index, trigger.kind, trigger.label, trigger.clause, trigger.assumption,
                                   _EFFECTS.get(trigger.kind, "deduction"), each, reads,
                                   tuple(n for n in reads if n in derived), spec.trigger_owner.get(trigger.index),
                                   tuple(n for n in reads if each and n in spec.facts and spec.facts[n].period == each)))
        awards = tuple(tuple(t.index for t in node.triggers if t.kind == "award_if") for node in spec.nodes)
        items = frozenset(t.index for t in spec.bonus.items) if spec.bonus else frozenset()
        owned = [r for r in rules if r.owner is not None]
        return cls(tuple(rules), awards, items, frozenset(t.index for t in spec.direct_deductions), derived,
                   tuple(derived), tuple(node.id for node in spec.nodes), tuple(r.owner for r in rules),
                   frozenset(r.index for r in owned if r.effect == "zero"),
                   frozenset(r.index for r in owned if r.effect == "veto"),
                   frozenset(r.index for r in rules if r.effect == "consequence"),
                   tuple(node for node in spec.nodes if node.grades), any(awards))


_TABLES: weakref.WeakKeyDictionary[Any, RuleTables] = weakref.WeakKeyDictionary()
_SERIALIZERS: weakref.WeakKeyDictionary[Any, Serializer] = weakref.WeakKeyDictionary()
_NONE: frozenset[int] = frozenset()
_ZERO = Decimal(0)


def _serializer_of(spec: Rules, tables: RuleTables) -> Serializer:
    """The builders of ``spec``'s to_dict() (engine/serialize.py), generated on first use and kept with the spec."""
    serializer = _SERIALIZERS.get(spec)
    if serializer is None:
        serializer = _SERIALIZERS[spec] = build_serializer(
            spec, tables.rules, tables.awards,
            {"plain": plain, "texts": POINT_TEXTS, "points_text": _points_text, "part_grade": _part_grade})
    return serializer


def _text_of(value: Any) -> Any:
    # plain(canonical(value)): format_points(canonical(x)) is format_points(x), so a Decimal's text straight away
    return _points_text(value) if type(value) is Decimal else plain(canonical(value))


@attrs.frozen(eq=False)
class Result:
    """The outcome for one unit: score, grade, consequence, and the trace behind them.

    It keeps the checked unit and the scorer's raw outcome as they came; every
    figure and view is derived from those two when asked, so that scoring many
    units stays fast and explaining one stays complete.
    """

    spec: Rules = attrs.field(repr=False)
    record: Record = attrs.field(repr=False)
    outcome: tuple[Any, ...] = attrs.field(repr=False)
    retrace: Callable[[Record], Trace] = attrs.field(repr=False)  # scores again with the trace, when it was not kept
    _kept: dict[str, Any] = attrs.field(init=False, factory=dict, repr=False)  # views built once: unit, fired, receipt

    def __getstate__(self) -> dict[str, Any]:
        # the views kept are rebuilt after unpickling; the spec pickles as its source (see Spec)
        return {"spec": self.spec, "record": self.record, "outcome": self.outcome}

    def __setstate__(self, state: dict[str, Any]) -> None:
        spec = state["spec"]
        object.__setattr__(self, "spec", spec)
        object.__setattr__(self, "record", state["record"])
        object.__setattr__(self, "outcome", state["outcome"])
        object.__setattr__(self, "retrace", spec.trace_of)
        object.__setattr__(self, "_kept", {})

    @property
    def _tables(self) -> RuleTables:
        tables = self._kept.get("tables")
        if tables is None:
            tables = self._kept["tables"] = RuleTables.of(self.spec)
        return tables

    def __repr__(self) -> str:
        return (f"Result(unit={self.record[0]!r}, score={format_points(self.score)}, grade={self.grade!r}, "
                f"deduction={format_points(self.deduction)})")

    @property
    def unit(self) -> Unit:
        """The unit, with its checked facts (defaults filled in)."""
        unit = self._kept.get("unit")
        if unit is None:
            unit = self._kept["unit"] = Unit.from_record(self.record, self._tables.derived_names)
        return unit

    @property
    def derived(self) -> dict[str, Any]:
        """The derived values of this unit, by name."""
        return {name: self.record[4][name] for name in self._tables.derived_names}

    def evidence_of(self, name: str) -> Evidence:
        """The evidence behind the derived value ``name``."""
        key = "evidence:" + name
        evidence = self._kept.get(key)
        if evidence is None:
            evidence = self._kept[key] = self._evidence_of(name)
        return evidence

    def _evidence_of(self, name: str) -> Evidence:
        derived = self._tables.derived[name]
        ns, items = self.record[4], (self.record[5] or {}).get(name, ())
        if derived.of is not None:
            records = ns[derived.of]
            return Evidence(name, derived.label, derived.kind, ns[name],
                            records=tuple((i + 1, records[i]) for i, _ in items))
        return Evidence(name, derived.label, derived.kind, ns[name], periods=tuple(items))

    @property
    def score(self) -> Decimal:
        """The graded score: the table's total, plus the bonus, converted, or as a veto fixes it."""
        return canonical(self.outcome[8])

    @property
    def parent(self) -> str | None:
        """The id of the unit this one is a sub-unit of (its ``parent:``), or None."""
        return self.record[6]

    @property
    def base_score(self) -> Decimal:
        """The table's total (the root indicator's score), before bonus, conversion and veto."""
        return canonical(self.outcome[1][0])

    @property
    def bonus(self) -> Decimal:
        """The bonus added, after its cap and gate."""
        return canonical(self.outcome[9][1])

    @property
    def bonus_claimed(self) -> Decimal:
        """The bonus the items gave before the cap and the gate."""
        return canonical(self.outcome[9][0])

    @property
    def bonus_gated(self) -> bool:
        """True when the base score did not reach the bonus gate, so no bonus counted."""
        return bool(self.outcome[9][2])

    @property
    def veto(self) -> FiredTrigger | None:
        """The veto (一票否决) that fixed the outcome, if one did."""
        index = self.outcome[10]
        if index < 0:
            return None
        return self._fired(self.spec.vetoes[index].index, None, None)

    @property
    def grade_index(self) -> int:
        """The position of the grade in ``spec.grades``."""
        index: int = self.outcome[3]
        return index

    @property
    def grade_deduction(self) -> Decimal:
        """What the grade's consequence deducts from the target value."""
        return canonical(self.outcome[4])

    @property
    def deduction(self) -> Decimal:
        """The total deducted from the target value, never above it (扣完为止)."""
        return canonical(DECIMAL_CONTEXT.subtract(self.record[3], self.outcome[6]))

    @property
    def raw_scores(self) -> tuple[Decimal, ...]:
        """Each indicator's score before its floor and cap, by index."""
        raw: tuple[Decimal, ...] = self.outcome[0]
        return raw

    @property
    def final_scores(self) -> tuple[Decimal, ...]:
        """Each indicator's score, by index."""
        final: tuple[Decimal, ...] = self.outcome[1]
        return final

    @property
    def scores(self) -> dict[str, Decimal | None]:
        """Each indicator's score by id (None for one left out), read off the scorer's outcome.

        The same figures as ``{i.id: i.score for i in result.indicators}``, without building the
        explanation: what a caller wanting only the per-indicator scores should read.
        """
        return dict(zip(RuleTables.of(self.spec).node_ids,
                        [None if s is None else _canonical(s) for s in self.outcome[1]], strict=True))

    @property
    def not_applicable(self) -> tuple[int, ...]:
        """Indices of the indicators that do not apply to this unit's type."""
        return tuple(self.outcome[2])

    @property
    def trace(self) -> tuple[tuple[int, Any, Any, Any], ...]:
        """``(trigger index, count, signed points, periods)`` for every trigger that fired, in order."""
        trace = self.outcome[7]
        return tuple(self.retrace(self.record) if trace is None else trace)

    @property
    def remaining_raw(self) -> Decimal:
        """The target value left after all deductions, before the floor at 0."""
        value: Decimal = self.outcome[5]
        return value

    @property
    def grade(self) -> str | None:
        """The grade's label, e.g. 良好; None for a spec that declares no grades (as in the JSON form)."""
        return self.spec.grades[self.grade_index].label if self.spec.graded else None

    @property
    def grade_id(self) -> str | None:
        """The grade's id, e.g. ``good``; None for a spec that declares no grades."""
        return self.spec.grades[self.grade_index].id if self.spec.graded else None

    @property
    def commended(self) -> bool:
        """True when the grade is commended (通报表扬)."""
        return self.spec.grades[self.grade_index].commend

    @property
    def table_score(self) -> Decimal:
        """The table's total before the triggers on the total (the top-level indicators combined)."""
        total = self.outcome[11]
        return canonical(total) if total is not None else self.base_score

    @property
    def direct_deduction(self) -> Decimal:
        """Direct deductions as applied, after the cap at the target value."""
        if self.deduction > self.grade_deduction:
            return DECIMAL_CONTEXT.subtract(self.deduction, self.grade_deduction)
        return Decimal(0)

    @property
    def deduction_capped(self) -> bool:
        """True when the deductions together were cut to the target value (扣完为止)."""
        return self.spec.limit_to_target and self.remaining_raw < 0

    def _fired(self, index: int, count: Any, points: Any, detail: Any = None) -> FiredTrigger:
        rule = self._tables.rules[index]
        ns = self.record[4]
        reads = rule.reads
        facts = {n: ns[n] for n in reads if n in ns}
        effect = rule.effect
        hits: tuple[PeriodHit, ...] = ()
        records: tuple[tuple[int, Any, Decimal], ...] = ()
        if detail == "no_evidence":
            effect, detail = "no_evidence", None
        elif detail and rule.kind == "deduct_records":
            records, detail = tuple(detail), None
        if detail:
            values = self._period_values(rule.each)
            read = rule.period_reads  # every checked period holds every fact of its kind
            hits = tuple(PeriodHit(label, None if c is None else Decimal(c), p, {n: values[label][n] for n in read})
                         for label, c, p in detail)
            if read:
                facts = {n: v for n, v in facts.items() if n not in read}
        evidence: tuple[Evidence, ...] = ()
        if rule.derived:
            evidence = tuple(self.evidence_of(n) for n in rule.derived)
            facts = {n: v for n, v in facts.items() if n not in rule.derived}
        return FiredTrigger(index, rule.kind, rule.label, rule.clause, rule.assumption,
                            None if count is None else Decimal(count), points, facts, effect, hits, evidence, records)

    def _period_values(self, kind: str | None) -> dict[str, Any]:
        key = f"@{kind}"
        values = self._kept.get(key)
        if values is None:
            values = self._kept[key] = dict(self.record[4].get(key, ()))
        return values

    @property
    def fired(self) -> tuple[FiredTrigger, ...]:
        """Every trigger that fired, in the order the scorer applied them."""
        fired = self._kept.get("fired")
        if fired is None:
            fired = self._kept["fired"] = tuple(self._fired(*entry) for entry in self.trace)
        return fired

    @property
    def bonus_items(self) -> tuple[FiredTrigger, ...]:
        """The bonus items (加分项) that fired, or were claimed without evidence."""
        items = self._tables.bonus_items
        return tuple(f for f in self.fired if f.index in items)

    @property
    def consequences(self) -> tuple[str, ...]:
        """What the outcome brings besides points, in words: the grade's consequence, the parts' grades', then
        each of ``consequences:`` that held."""
        grade = self.spec.grades[self.grade_index].consequence
        parts = tuple(f"{node.name}{g.label}：{g.consequence}" for node in self.spec.nodes
                      if node.grades and (g := _part_grade_of(node, self.final_scores[node.index])) is not None
                      and g.consequence)
        held = (f"{f.label}：{self.spec.triggers[f.index].text}"  # type: ignore[attr-defined]
                for f in self.fired if f.effect == "consequence")
        return ((grade,) if grade else ()) + parts + tuple(held)

    @property
    def direct_deductions(self) -> tuple[FiredTrigger, ...]:
        """The direct deductions (直接扣分项) that fired."""
        direct = self._tables.direct
        return tuple(f for f in self.fired if f.index in direct)

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        """Every indicator, parents first, with score, floor/cap and the triggers that fired on it."""
        indicators = self._kept.get("indicators")
        if indicators is None:
            indicators = self._kept["indicators"] = self._indicators()
        return indicators

    def _indicators(self) -> tuple[IndicatorResult, ...]:
        tables = self._tables
        rules = tables.rules
        by_node: dict[int, list[FiredTrigger]] = {}
        for entry in self.fired:
            node_index = rules[entry.index].owner
            if node_index is not None:
                by_node.setdefault(node_index, []).append(entry)
        out = []
        outcome = self.outcome
        raws, finals = outcome[0], outcome[1]
        na = self.spec.descendants_of(outcome[2]) if outcome[2] else frozenset()
        for node in self.spec.nodes:
            i = node.index
            raw, final = raws[i], finals[i]
            fired: tuple[FiredTrigger, ...] = tuple(by_node.get(i, ()))
            zeroed = bool(fired) and any(f.effect == "zero" for f in fired)
            vetoed = bool(fired) and any(f.effect == "veto" for f in fired)  # its own veto set its score
            missed: tuple[FiredTrigger, ...] = ()
            awards = tables.awards[i]
            if awards and not zeroed and i not in na:
                done = {f.index for f in fired}
                missed = tuple(self._not_awarded(t) for t in awards if t not in done)
            left_out = final is None
            out.append(IndicatorResult(
                id=node.id, name=node.name, depth=node.depth, parent=node.parent,
                points=self.outcome[12][i] if node.unit_points is not None else node.points,
                score=None if left_out else canonical(final), raw=None if left_out else canonical(raw),
                applicable=i not in na, floored=not left_out and not vetoed and raw < final,
                capped=not left_out and not vetoed and raw > final,
                zeroed=zeroed, fired=fired, missed=missed, clause=node.clause,
                grade=_part_grade(node, None if left_out else canonical(final))))
        return tuple(out)

    def _not_awarded(self, index: int) -> FiredTrigger:
        return attrs.evolve(self._fired(index, None, Decimal(0), None), effect="not_awarded")

    @property
    def receipt(self) -> Receipt:
        """The spec's and the facts' SHA-256 and the library version (the facts' canonical form is hashed once)."""
        receipt = self._kept.get("receipt")
        if receipt is None:
            # the SHA-256 of canonical_json(self.unit.canonical()), written from the checked record by the
            # spec's receipt writer (engine/receipt.py), without building the unit or its plain form
            digest = writer_of(self.spec).sha256(self.record)
            receipt = self._kept["receipt"] = Receipt(self.spec.metadata.id, self.spec.sha256, digest, __version__)
        return receipt

    def _period_dicts(self, key: str, periods: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
        # the plain form of one kind's periods (``@month``), label -> facts (new dicts), by the builder
        # generated for the spec where the facts are in their declared order
        build = _serializer_of(self.spec, self._tables).periods.get(key)
        if build is None:
            return {label: _plain_dict(values) for label, values in periods}
        return {label: build(values) or _plain_dict(values) for label, values in periods}

    def _plain_periods(self, key: str) -> dict[str, dict[str, Any]]:
        # the plain form of one kind's periods, built once and kept (the general way of a fired entry reads it)
        kept = "plain" + key
        values = self._kept.get(kept)
        if values is None:
            values = self._kept[kept] = self._period_dicts(key, self.record[4].get(key, ()))
        return values

    def _plain_inputs(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The unit's facts and periods in plain form, as ``Unit.canonical`` writes them (new dicts each call)."""
        ns = self.record[4]
        skip = self._tables.derived_names
        facts: dict[str, Any] = {}
        periods: dict[str, Any] = {}
        for k, v in ns.items():
            if k.startswith("@"):
                kept = self._kept.get("plain" + k)  # copied when kept: each to_dict() gives new dicts
                periods.update(self._period_dicts(k, v) if kept is None else
                               {label: dict(values) for label, values in kept.items()})
            elif k != "as_of" and k not in skip:
                kind = type(v)  # what _plain_dict does, inline
                if kind is str or kind is bool or kind is int or v is None:
                    facts[k] = v
                else:
                    facts[k] = _points_text(v) if kind is Decimal else plain(v)
        return facts, periods

    def explain(self, lang: str = "zh") -> str:
        """A readable account, in the spec's Chinese labels, of every point gained or lost; its own words in
        ``lang`` (``zh``, the default, or ``en``)."""
        with decimal.localcontext(DECIMAL_CONTEXT):
            return _VIEWS["text"](self, lang)

    def to_dict(self, *, inputs: bool = True) -> dict[str, Any]:
        """Return the whole result as JSON-ready data (Decimals as strings), in format ``assessrules.result/1``.

        With ``inputs=False`` the unit's own facts and periods (what was read in, and is in the
        facts file already) are left out: the compact form for batch output. Everything the
        scorer worked out, with the facts each rule read, stays.
        """
        with decimal.localcontext(DECIMAL_CONTEXT):
            return self._to_dict(inputs)

    def _to_dict(self, inputs: bool) -> dict[str, Any]:
        # Built straight from the raw outcome, the trace and the builders generated for the spec
        # (engine/serialize.py), without the FiredTrigger and IndicatorResult objects: the same data as
        # their to_dict(), key for key (tests/test_to_dict_compiled.py).
        spec = self.spec
        record = self.record
        outcome = self.outcome
        grade = spec.grades[outcome[3]]
        tables = self._tables
        serializer = _serializer_of(spec, tables)
        written: dict[str, dict[str, Any]] = {}  # the evidence of each derived value, written once for this dict
        ns = record[4]
        owners = tables.owners
        by: list[list[dict[str, Any]]] = [[] for _ in tables.node_ids]
        marked = tables.marked  # the entries that count beyond their indicator: kept apart, in order
        entries: list[tuple[int, dict[str, Any]]] = []
        done: Collection[int] = _NONE  # the triggers that fired, when an indicator may list awards not earned
        fired = self._kept.get("fired")
        if fired is not None:  # the objects exist already: render them (the same data)
            done = {f.index for f in fired}
            for f in fired:
                data = f.to_dict()
                if f.index in marked:
                    entries.append((f.index, data))
                if (owner := owners[f.index]) is not None:
                    by[owner].append(data)
        builders = serializer.fired
        months = {k: dict(ns[k]) for k in serializer.period_keys if k in ns} if serializer.period_keys else {}

        def evidence(name: str) -> dict[str, Any]:
            return self._evidence_dict(name, written)

        if fired is None:
            trace = outcome[7]
            if trace is None:
                trace = self.retrace(record)
            done = {entry[0] for entry in trace} if tables.has_awards else _NONE
            fired_dict = self._fired_dict
            for i, c, p, d in trace:
                build = builders[i]
                data = build(c, p, d, ns, months, evidence) if build is not None else None
                if data is None:
                    data = fired_dict(i, c, p, d, written=written)
                if i in marked:
                    entries.append((i, data))
                if (owner := owners[i]) is not None:
                    by[owner].append(data)
        zero: Collection[int | None] = _NONE
        veto_nodes: Collection[int | None] = _NONE
        if entries and (tables.zero_rules or tables.veto_rules):
            zero = {owners[i] for i, d in entries if i in tables.zero_rules and d["effect"] == "zero"}
            veto_nodes = {owners[i] for i, d in entries if i in tables.veto_rules and d["effect"] == "veto"}
        na = spec.descendants_of(outcome[2]) if outcome[2] else _NONE

        def missed(node: int) -> list[dict[str, Any]]:
            out = []
            for t in tables.awards[node]:
                if t not in done:
                    build = builders[t]
                    data = build(None, _ZERO, None, ns, months, evidence, "not_awarded") if build else None
                    out.append(data or self._fired_dict(t, None, _ZERO, None, "not_awarded", written=written))
            return out

        indicators = serializer.indicators(outcome[0], outcome[1], outcome[12], na, by, zero, veto_nodes, missed)
        bonus = None
        if spec.bonus:
            items = tables.bonus_items
            bonus = {"claimed": plain(self.bonus_claimed), "counted": plain(self.bonus), "gated": self.bonus_gated,
                     "items": [d for i, d in entries if i in items]}
        veto = self.veto if outcome[10] >= 0 else None
        direct = tables.direct
        consequence = grade.consequence
        consequences = [consequence] if consequence else []
        if tables.graded_nodes:
            finals = outcome[1]
            consequences += [f"{node.name}{g.label}：{g.consequence}" for node in tables.graded_nodes
                             if (g := _part_grade_of(node, finals[node.index])) is not None and g.consequence]
        if tables.consequence_rules:
            triggers = spec.triggers
            consequences += [f"{d['label']}：{triggers[i].text}"  # type: ignore[attr-defined]
                             for i, d in entries if d["effect"] == "consequence"]
        receipt = self.receipt
        if inputs:
            facts, periods = self._plain_inputs()
        data = {
            "format": RESULT_FORMAT,
            "unit": {"id": record[0], "name": record[1], "type": record[2],
                     "type_label": spec.unit_types[record[2]].label,
                     "target": plain(record[3]), **({"parent": record[6]} if record[6] is not None else {})},
            "score": _text_of(outcome[8]),
            "base_score": _text_of(outcome[1][0]),
            "table_score": _text_of(outcome[11] if outcome[11] is not None else outcome[1][0]),
            "bonus": bonus,
            "veto": veto.to_dict() if veto else None,
            "grade": {"id": grade.id, "label": grade.label} if spec.graded else None,
            "commended": grade.commend,
            "deduction": _text_of(record[3] - outcome[6]),  # self.deduction: exact in DECIMAL_CONTEXT
            "grade_deduction": _text_of(outcome[4]),
            "deduction_capped": spec.limit_to_target and outcome[5] < 0,
            "consequences": consequences,
            "direct_deductions": [d for i, d in entries if i in direct] if direct else [],
            "indicators": indicators,
            "facts": None,
            "periods": None,
            "derived": {name: self._evidence_dict(name, written) for name in tables.derived_names},
            "as_of": plain(ns.get("as_of")),
            "receipt": receipt.to_dict(),
        }
        if inputs:
            data["facts"] = facts
            data["periods"] = periods
        else:
            del data["facts"], data["periods"]
        return data

    def _evidence_dict(self, name: str, written: dict[str, dict[str, Any]]) -> dict[str, Any]:
        # one dict per derived value in one to_dict(): under "derived" and in each entry that read it
        data = written.get(name)
        if data is None:
            data = written[name] = self._evidence_plain(name)
        return data

    def _evidence_plain(self, name: str) -> dict[str, Any]:
        # what self.evidence_of(name).to_dict() gives, without the Evidence object unless it exists already
        evidence: Evidence | None = self._kept.get("evidence:" + name)
        if evidence is not None:
            return evidence.to_dict()
        derived = self._tables.derived[name]
        ns, items = self.record[4], (self.record[5] or {}).get(name, ())
        data = {"name": name, "label": derived.label, "kind": derived.kind, "value": plain(ns[name]),
                "periods": [], "records": []}
        if derived.of is not None:
            records = ns[derived.of]
            data["records"] = [{"number": i + 1, **_plain_dict(records[i])} for i, _ in items]
        else:
            data["periods"] = [{"period": p, "value": plain(v)} for p, v in items]
        return data

    def _fired_dict(self, index: int, count: Any, points: Any, detail: Any = None, effect: str | None = None, *,
                    written: dict[str, dict[str, Any]]) -> dict[str, Any]:
        # what self._fired(...).to_dict() gives, without the objects
        rule = self._tables.rules[index]
        ns = self.record[4]
        if effect is None:
            effect = rule.effect
        records: Any = ()
        if detail == "no_evidence":
            effect, detail = "no_evidence", None
        elif detail and rule.kind == "deduct_records":
            records, detail = detail, None
        shown = rule.shown
        hits = None
        if detail:
            read = rule.period_reads
            values = self._plain_periods(f"@{rule.each}")
            hits = [{"period": label, "count": None if c is None else _points_text(Decimal(c)),
                     "points": _points_text(p) if type(p) is Decimal else plain(p),
                     "facts": {n: values[label][n] for n in read}} for label, c, p in detail]
            shown = rule.shown_by_period
        facts = _plain_dict({n: ns[n] for n in shown if n in ns})
        data = {"kind": rule.kind, "label": rule.label, "clause": rule.clause, "assumption": rule.assumption,
                "count": None if count is None else _points_text(Decimal(count)),
                "points": _points_text(points) if type(points) is Decimal else plain(points),
                "effect": effect, "facts": facts}
        if hits:
            data["periods"] = hits
        if rule.derived:
            data["evidence"] = [self._evidence_dict(n, written) for n in rule.derived]
        if records:
            data["records"] = [{"number": n, "severity": sev, "points": plain(p)} for n, sev, p in records]
        return data

    def summary(self) -> dict[str, Any]:
        """The headline figures only, as JSON-ready data."""
        return {"id": self.unit.id, "name": self.unit.name, "type": self.unit.type,
                "score": plain(self.score), "grade": self.grade if self.spec.graded else None,
                "commended": self.commended,
                "deduction": plain(self.deduction), "target": plain(self.unit.target),
                **({"parent": self.record[6]} if self.record[6] is not None else {})}


__all__ = [
    "RESULT_FORMAT",
    "Evidence",
    "FiredTrigger",
    "IndicatorResult",
    "PeriodHit",
    "Receipt",
    "Result",
    "RuleTable",
    "RuleTables",
    "Trace",
    "Unit",
    "canonical_json",
    "plain",
    "register_view",
]

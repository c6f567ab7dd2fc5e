"""Results of scoring: plain, frozen data built from the compiled scorer's raw output.

The scorer returns numbers and a trace; the views here (indicators, fired
triggers, receipt, :meth:`Result.to_dict`) are built from them when asked,
so scoring many units stays fast and explaining one stays complete.

The engine never renders: :meth:`Result.explain` hands the result to the text
view that the outputs layer registers (:func:`register_view`), so that this
module never imports a layer above it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .._version import __version__
from ..numbers import canonical, format_points

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..rules.model import Grade, Indicator
    from ..rules.ruleset import Rules
    from .types import Record

Trace = list[tuple[int, Any, Any, Any]]
"""``(trigger index, count, signed points, periods)`` for every trigger that fired, in order."""

_VIEWS: dict[str, Callable[[Result], str]] = {}


def register_view(name: str, render: Callable[[Result], str]) -> None:
    """Let an output module render results as ``name``; :meth:`Result.explain` uses the ``"text"`` view."""
    _VIEWS[name] = render


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

    @classmethod
    def from_record(cls, record: Record, derived: Iterable[str] = ()) -> Unit:
        """The unit of a checked record, without the derived values."""
        ns = record[4]
        skip = set(derived) | {"as_of"}
        facts = {k: v for k, v in ns.items() if not k.startswith("@") and k not in skip}
        periods = {label: values for k, v in ns.items() if k.startswith("@") for label, values in v}
        return cls(record[0], record[1], record[2], record[3], facts, periods, ns.get("as_of"))

    def canonical(self) -> dict[str, Any]:
        """The unit as plain JSON data, Decimals as canonical strings, keys sorted by the dumper."""
        data = {"id": self.id, "name": self.name, "type": self.type, "target": format_points(self.target),
                "facts": {k: plain(v) for k, v in self.facts.items()}}
        if self.periods:
            data["periods"] = plain(dict(self.periods))
        if self.as_of is not None:
            data["as_of"] = self.as_of.isoformat()
        return data


_SCALARS = (str, int, bool, float, type(None))


def plain(value: Any) -> Any:
    """Turn a fact or point value into JSON-ready data (Decimal → canonical string)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is Decimal:
        return format_points(value)
    if kind is dict:
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no spaces: the same data always gives the same text."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


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
                "facts": plain(dict(self.facts))}


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
                "records": [{"number": n, **plain(dict(r))} for n, r in self.records]}


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
                "facts": plain(dict(self.facts))}
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
        return attrs.asdict(self)


def _part_grade_of(node: Indicator, score: Any) -> Grade | None:
    if not node.grades or score is None:
        return None
    return next((g for g in node.grades if g.contains(score)), None)


def _part_grade(node: Indicator, score: Any) -> str | None:
    grade = _part_grade_of(node, score)
    return grade.label if grade is not None else None


_EFFECTS = {"zero_if": "zero", "score": "score", "rating": "score", "award_if": "award", "award_each": "award",
            "award_discretionary": "award", "consequence": "consequence", "bonus_if": "bonus",
            "bonus_each": "bonus", "veto": "veto"}


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

    def __repr__(self) -> str:
        return (f"Result(unit={self.record[0]!r}, score={format_points(self.score)}, grade={self.grade!r}, "
                f"deduction={format_points(self.deduction)})")

    @property
    def unit(self) -> Unit:
        """The unit, with its checked facts (defaults filled in)."""
        return Unit.from_record(self.record, (d.name for d in self.spec.derived))

    @property
    def derived(self) -> dict[str, Any]:
        """The derived values of this unit, by name."""
        return {d.name: self.record[4][d.name] for d in self.spec.derived}

    def evidence_of(self, name: str) -> Evidence:
        """The evidence behind the derived value ``name``."""
        derived = next(d for d in self.spec.derived if d.name == name)
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
        return canonical(self.record[3] - self.outcome[6])

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
    def grade(self) -> str:
        """The grade's label, e.g. 良好."""
        return self.spec.grades[self.grade_index].label

    @property
    def grade_id(self) -> str:
        """The grade's id, e.g. ``good``."""
        return self.spec.grades[self.grade_index].id

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
        return self.deduction - self.grade_deduction if self.deduction > self.grade_deduction else Decimal(0)

    @property
    def deduction_capped(self) -> bool:
        """True when the deductions together were cut to the target value (扣完为止)."""
        return self.spec.limit_to_target and self.remaining_raw < 0

    def _fired(self, index: int, count: Any, points: Any, detail: Any = None) -> FiredTrigger:
        trigger = self.spec.triggers[index]
        ns = self.record[4]
        reads = trigger.reads()
        facts = {n: ns[n] for n in reads if n in ns and n != "as_of"}
        effect = _EFFECTS.get(trigger.kind, "deduction")
        hits: tuple[PeriodHit, ...] = ()
        records: tuple[tuple[int, Any, Decimal], ...] = ()
        if detail == "no_evidence":
            effect, detail = "no_evidence", None
        elif detail and trigger.kind == "deduct_records":
            records, detail = tuple(detail), None
        if detail:
            values = dict(ns.get(f"@{trigger.each}", ()))
            hits = tuple(PeriodHit(label, None if c is None else Decimal(c), p,
                                   {n: values[label][n] for n in reads if n in values[label]})
                         for label, c, p in detail)
            facts = {n: v for n, v in facts.items() if not any(n in h.facts for h in hits)}
        derived = {d.name for d in self.spec.derived}
        evidence = tuple(self.evidence_of(n) for n in reads if n in derived)
        facts = {n: v for n, v in facts.items() if n not in derived}
        return FiredTrigger(index, trigger.kind, trigger.label, trigger.clause, trigger.assumption,
                            None if count is None else Decimal(count), points, facts, effect, hits, evidence, records)

    @property
    def fired(self) -> tuple[FiredTrigger, ...]:
        """Every trigger that fired, in the order the scorer applied them."""
        return tuple(self._fired(*entry) for entry in self.trace)

    @property
    def bonus_items(self) -> tuple[FiredTrigger, ...]:
        """The bonus items (加分项) that fired, or were claimed without evidence."""
        return self._bonus_items(self.fired)

    def _bonus_items(self, fired: tuple[FiredTrigger, ...]) -> tuple[FiredTrigger, ...]:
        items = {t.index for t in self.spec.bonus.items} if self.spec.bonus else set()
        return tuple(f for f in fired if f.index in items)

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
        return self._direct_deductions(self.fired)

    def _direct_deductions(self, fired: tuple[FiredTrigger, ...]) -> tuple[FiredTrigger, ...]:
        direct = {t.index for t in self.spec.direct_deductions}
        return tuple(f for f in fired if f.index in direct)

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        """Every indicator, parents first, with score, floor/cap and the triggers that fired on it."""
        return self._indicators(self.fired)

    def _indicators(self, all_fired: tuple[FiredTrigger, ...]) -> tuple[IndicatorResult, ...]:
        by_node: dict[int, list[FiredTrigger]] = {}
        owner = self.spec.trigger_owner
        for entry in all_fired:
            node_index = owner.get(entry.index)
            if node_index is not None:
                by_node.setdefault(node_index, []).append(entry)
        out = []
        na = self.spec.descendants_of(self.not_applicable)
        for node in self.spec.nodes:
            i = node.index
            raw, final = self.raw_scores[i], self.final_scores[i]
            fired: tuple[FiredTrigger, ...] = tuple(by_node.get(i, ()))
            zeroed = any(f.effect == "zero" for f in fired)
            done = {f.index for f in fired}
            missed = () if zeroed or i in na else tuple(
                attrs.evolve(self._fired(t.index, None, Decimal(0), None), effect="not_awarded")
                for t in node.triggers if t.kind == "award_if" and t.index not in done)
            left_out = final is None
            out.append(IndicatorResult(
                id=node.id, name=node.name, depth=node.depth, parent=node.parent,
                points=self.outcome[12][i] if node.unit_points is not None else node.points,
                score=None if left_out else canonical(final), raw=None if left_out else canonical(raw),
                applicable=i not in na, floored=not left_out and raw < final, capped=not left_out and raw > final,
                zeroed=zeroed, fired=fired, missed=missed, clause=node.clause,
                grade=_part_grade(node, None if left_out else canonical(final))))
        return tuple(out)

    @property
    def receipt(self) -> Receipt:
        """The spec's and the facts' SHA-256 and the library version."""
        facts = hashlib.sha256(canonical_json(self.unit.canonical()).encode("utf-8")).hexdigest()
        return Receipt(self.spec.metadata.id, self.spec.sha256, facts, __version__)

    def explain(self) -> str:
        """A readable account, in the spec's Chinese labels, of every point gained or lost."""
        return _VIEWS["text"](self)

    def to_dict(self) -> dict[str, Any]:
        """Return the whole result as JSON-ready data (Decimals as strings)."""
        grade = self.spec.grades[self.grade_index]
        fired = self.fired
        return {
            "unit": {"id": self.unit.id, "name": self.unit.name, "type": self.unit.type,
                     "type_label": self.spec.unit_types[self.unit.type].label,
                     "target": plain(self.unit.target)},
            "score": plain(self.score),
            "base_score": plain(self.base_score),
            "table_score": plain(self.table_score),
            "bonus": {"claimed": plain(self.bonus_claimed), "counted": plain(self.bonus), "gated": self.bonus_gated,
                      "items": [f.to_dict() for f in self._bonus_items(fired)]} if self.spec.bonus else None,
            "veto": self.veto.to_dict() if self.veto else None,
            "grade": {"id": grade.id, "label": grade.label} if self.spec.graded else None,
            "commended": grade.commend,
            "deduction": plain(self.deduction),
            "grade_deduction": plain(self.grade_deduction),
            "deduction_capped": self.deduction_capped,
            "consequences": list(self.consequences),
            "direct_deductions": [f.to_dict() for f in self._direct_deductions(fired)],
            "indicators": [i.to_dict() for i in self._indicators(fired)],
            "facts": plain(dict(self.unit.facts)),
            "periods": plain(dict(self.unit.periods)),
            "derived": {d.name: self.evidence_of(d.name).to_dict() for d in self.spec.derived},
            "as_of": plain(self.record[4].get("as_of")),
            "receipt": self.receipt.to_dict(),
        }

    def summary(self) -> dict[str, Any]:
        """The headline figures only, as JSON-ready data."""
        return {"id": self.unit.id, "name": self.unit.name, "type": self.unit.type,
                "score": plain(self.score), "grade": self.grade if self.spec.graded else None,
                "commended": self.commended,
                "deduction": plain(self.deduction), "target": plain(self.unit.target)}


__all__ = [
    "Evidence",
    "FiredTrigger",
    "IndicatorResult",
    "PeriodHit",
    "Receipt",
    "Result",
    "Trace",
    "Unit",
    "canonical_json",
    "plain",
    "register_view",
]

"""Sub-units feeding a unit (下属单位): the parent/sub-unit relation of a batch, and the order it is scored in.

A unit may name a ``parent:`` (a unit of the batch, of a type its own type declares as a parent type).
The scorer is compiled per spec and scores one unit at a time, so a batch in which a parent reads its
sub-units' results (a derived value with ``subunits:``) is scored sub-units first: each parent is scored
after every unit naming it, and its derived values read what they gave (:class:`SubUnit`, one per
sub-unit, in the batch's order). Everything else is scored as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..errors import Problem
from ..messages import problem
from ..rules.derive import FromSubUnits, SubUnit

if TYPE_CHECKING:
    from ..rules.ruleset import Rules
    from .results import Result
    from .types import Record


def reads_subunits(spec: Rules) -> bool:
    """True when a derived value of ``spec`` reads the unit's sub-units' results."""
    return any(isinstance(d, FromSubUnits) for d in spec.derived)


def family_problems(spec: Rules, records: Sequence[Record], where: Mapping[str, int]) -> list[Problem]:
    """Every ``parent:`` of the batch that names no unit of it, a unit of a type its own type does not allow,
    or closes a cycle (a → b → a); ``where`` gives each unit's place in the file (from 0)."""
    out: list[Problem] = []
    by_id = {r[0]: r for r in records}
    for record in records:
        uid, parent = record[0], record[6]
        if parent is None:
            continue
        path = ("units", where[uid], "parent")
        allowed = spec.unit_types[record[2]].parents
        other = by_id.get(parent)
        if other is None:
            out.append(problem("facts.parent_unknown", path, unit=uid, unit_name=record[1], parent=parent))
        elif not allowed:
            out.append(problem("facts.parent_not_allowed", path, unit=uid, unit_name=record[1], parent=parent,
                               type=spec.unit_types[record[2]].label))
        elif other[2] not in allowed:
            types = spec.unit_types
            out.append(problem("facts.parent_type", path, unit=uid, unit_name=record[1], parent=parent,
                               parent_type=types[other[2]].label, type=types[record[2]].label,
                               allowed=[types[t].label for t in allowed]))
    reported: set[str] = set()
    for record in records:  # each unit has one parent: a cycle is found by walking up from any unit on it
        chain = [record[0]]
        on_chain = {record[0]}
        parent = record[6]
        while parent is not None and parent in by_id and parent not in on_chain:
            chain.append(parent)
            on_chain.add(parent)
            parent = by_id[parent][6]
        if parent is None or parent not in on_chain or parent != record[0] or on_chain & reported:
            continue
        reported.update(on_chain)
        out.append(problem("facts.parent_cycle", ("units", where[record[0]], "parent"), unit=record[0],
                           unit_name=record[1], chain=" → ".join([*chain, record[0]])))
    return out


def scoring_order(records: Sequence[Record]) -> tuple[list[int], dict[int, list[int]]]:
    """The order to score ``records`` in (every sub-unit before its parent, else the batch's order) and each
    parent's sub-units, by position in ``records``. The relation has no cycle (see :func:`family_problems`)."""
    index = {r[0]: i for i, r in enumerate(records)}
    children: dict[int, list[int]] = {}
    for i, r in enumerate(records):
        if r[6] is not None and r[6] in index:
            children.setdefault(index[r[6]], []).append(i)
    order: list[int] = []
    done: set[int] = set()
    for start in range(len(records)):
        stack = [(start, False)]
        while stack:  # depth first, without recursion: a chain of parents may be long
            i, expanded = stack.pop()
            if i in done:
                continue
            if expanded:
                done.add(i)
                order.append(i)
                continue
            stack.append((i, True))
            stack.extend((c, False) for c in reversed(children.get(i, ())) if c not in done)
    return order, children


def subunit_of(result: Result, indicators: bool) -> SubUnit:
    """What a parent reads of one scored sub-unit (its indicators' scores only when a parent reads one)."""
    record = result.record
    scores = {i.id: i.score for i in result.indicators} if indicators else {}
    return SubUnit(record[0], record[1], record[2], result.score, result.table_score,
                   result.grade if result.spec.graded else None, scores)


def reads_indicators(spec: Rules) -> bool:
    """True when a derived value reads an indicator's score of the sub-units (not only their score)."""
    return any(isinstance(d, FromSubUnits) and d.reads not in ("score", "table_score") for d in spec.derived)


__all__ = ["family_problems", "reads_indicators", "reads_subunits", "scoring_order", "subunit_of"]

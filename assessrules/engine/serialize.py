"""Compile a spec's JSON form of results: one Python function per rule and one for the indicators.

:meth:`~assessrules.engine.results.Result.to_dict` writes, for every unit, about a hundred dicts
whose keys, labels, clauses, assumptions and effects depend only on the spec. This module
writes, once per spec, the Python that builds them with all of that baked in as constants:

- per trigger, a function building its fired entry (and each period it fired in) from the
  trace's count, points and periods and the unit's facts, each fact converted to plain JSON by
  its declared type, and the text of each number read from a cache shared with
  :func:`~assessrules.engine.results.plain` (the same few values come back unit after unit);
- one function building every indicator's dict, straight-line, node after node.

Each dict starts as a copy of a template holding what does not depend on the unit, then gets
the unit's values: cheaper than a dict display of every key.

A generated function handles the common shape only and returns ``None`` for anything else
(a claim without evidence, a deduction by records, a fact left out of the unit); the caller
then builds that entry the general way. The reference for both is the result's objects
(``FiredTrigger.to_dict``, ``IndicatorResult.to_dict``); tests/test_to_dict_compiled.py checks
that they agree on every shape.

As in :mod:`assessrules.engine.compiler`, the source holds only fixed text from this module,
trigger and node numbers, quoted fact names checked to be identifiers, and names of helpers
passed in; every string of the spec (label, clause, id) is in a per-spec template dict bound in
the namespace (each entry and indicator starts as a copy of its template), and
``__builtins__`` is empty. This module imports nothing of the results module: the caller
hands in the helpers (``plain``, the text cache) it uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ..numbers import canonical

if TYPE_CHECKING:
    from ..rules.ruleset import Rules

FiredBuilder = Callable[..., "dict[str, Any] | None"]
"""``builder(count, points, detail, facts, periods, evidence, effect=...)``: a fired entry's dict, or None."""

# How a fact's checked value becomes plain JSON, by declared type: the value as is when it has the type
# the check gives, else the general ``_pl`` (plain); numbers (number, ratio) as their cached text.
_AS_IS = {"count": "int", "bool": "bool", "enum": "str", "text": "str"}


@attrs.frozen
class Serializer:
    """The generated builders of one spec's results, and what the caller needs to drive them."""

    fired: tuple[FiredBuilder | None, ...]  # by trigger index; None: always the general way
    indicators: Callable[..., list[dict[str, Any]]]
    period_keys: tuple[str, ...]  # the ``@kind`` keys of the facts whose periods the builders read
    # by ``@kind``: one period's checked facts in plain form, or None when they are not in the declared order
    periods: Mapping[str, Callable[[Mapping[str, Any]], dict[str, Any] | None]]
    source: str = attrs.field(repr=False)


class _Source:
    """Source lines, and the namespace the generated functions run in (their templates and helpers)."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.lines: list[str] = []
        self.namespace = namespace

    def add(self, text: str) -> None:
        self.lines.append(text)


def _name(name: str) -> str:
    if not name.isidentifier():  # pragma: no cover - fact names are checked identifiers
        raise ValueError(name)
    return repr(name)


def _value(kind: str | None, read: str) -> str:
    """Python for the plain JSON form of the checked value read by ``read`` (a fact of type ``kind``)."""
    as_is = _AS_IS.get(kind or "")
    if as_is is not None:
        return f"(v if (v := {read}).__class__ is {as_is} else _pl(v))"
    return _number("(v := " + read + ")", "v")


def _number(first: str, again: str, other: str | None = None) -> str:
    """Python for the text of a Decimal, else ``plain`` of ``other`` (default: the value); ``first`` evaluates
    the value, ``again`` reads it."""
    return f"((_T.get({again}) or _pt({again})) if {first}.__class__ is _D else _pl({other or again}))"


_COUNT = "(None if {0} is None else (_T.get({0}) or _ct({0})))"
"""Python for the text of a count (None stays None)."""


def _fired_source(src: _Source, spec: Rules, rule: Any) -> bool:
    """Add the builder of one trigger's fired entry; False when it has none (always built the general way)."""
    facts = spec.facts
    shown = rule.shown_by_period if rule.each else rule.shown
    # a parameter read is not a fact of the unit: not shown (unless a unit's facts hold that name)
    constants = tuple(n for n in shown if n not in facts and n in spec.parameters)
    shown = tuple(n for n in shown if n not in constants)
    if any(n not in facts for n in (*shown, *rule.period_reads)) or any(facts[n].period for n in shown):
        return False  # a name that is not an annual fact of the unit: the general way knows what to show
    i = rule.index
    # the entry starts as a copy of what does not depend on the unit (faster than a display of every key)
    src.namespace[f"_e{i}"] = {"kind": rule.kind, "label": rule.label, "clause": rule.clause,
                               "assumption": rule.assumption, "count": None, "points": None, "effect": rule.effect,
                               "facts": None}
    src.add(f"def _f{i}(c, p, d, ns, M, E, effect=None):")
    for n in constants:
        src.add(f"    if {_name(n)} in ns:")
        src.add("        return None")
    periods = bool(rule.each) and rule.kind != "deduct_records"
    if periods:
        src.add("    if not d or d.__class__ is str:")  # no periods listed, or claimed without evidence
        src.add("        return None")
    else:
        src.add("    if d:")  # records, or claimed without evidence
        src.add("        return None")
    src.add("    try:")
    src.add(f"        e = _e{i}.copy()")
    src.add("        if c is not None:")
    src.add("            e['count'] = _T.get(c) or _ct(c)")
    src.add(f"        e['points'] = {_number('p', 'p')}")
    src.add("        if effect is not None:")
    src.add("            e['effect'] = effect")
    src.add("        e['facts'] = {" + ", ".join(f"{_name(n)}: {_value(facts[n].type, f'ns[{_name(n)}]')}"
                                          for n in shown) + "}")
    if periods:
        src.add(f"        mo = M[{'@' + _name(rule.each)[1:-1]!r}]")
        # a rule's points per period are mostly one constant of the scorer: its text is worked out once
        src.add(f"        pk = d[0][2]; pt = {_number('pk', 'pk')}")
        reads = rule.period_reads
        if len(reads) == 1:
            hit_facts = f"{_name(reads[0])}: {_value(facts[reads[0]].type, f'mo[lab][{_name(reads[0])}]')}"
            loop = "for lab, hc, hp in d"
        else:
            hit_facts = ", ".join(f"{_name(n)}: {_value(facts[n].type, f'm[{_name(n)}]')}" for n in reads)
            loop = "for lab, hc, hp in d for m in (mo[lab],)"
        src.add(f'        e["periods"] = [{{"period": lab, "count": {_COUNT.format("hc")}, '
                f'"points": pt if hp is pk else {_number("hp", "hp")}, "facts": {{{hit_facts}}}}} {loop}]')
    if rule.derived:
        src.add(f'        e["evidence"] = [{", ".join(f"E({_name(n)})" for n in rule.derived)}]')
    src.add("        return e")
    src.add("    except KeyError:")  # a fact left out of the unit (no default): the general way leaves it out
    src.add("        return None")
    return True


def _indicators_source(src: _Source, spec: Rules, awards: tuple[tuple[int, ...], ...],
                       zero_nodes: frozenset[int], veto_nodes: frozenset[int], *, plain: Callable[[Any], Any]) -> None:
    """Add ``_nodes``: every indicator's dict, node after node, as IndicatorResult.to_dict() gives them."""
    src.add("def _nodes(raws, finals, up, na, by, zero, veto, missed):")
    src.add("    out = []")
    for node in spec.nodes:
        i = node.index
        # each starts as a copy of what does not depend on the unit: applicable, not floored, capped nor zeroed
        src.namespace[f"_n{i}"] = {
            "id": node.id, "name": node.name, "depth": node.depth, "parent": node.parent, "grade": None,
            "points": None if node.unit_points is not None else plain(node.points), "score": None, "raw": None,
            "applicable": True, "floored": False, "capped": False, "zeroed": False, "clause": node.clause,
            "fired": None, "not_awarded": None}
        src.add(f"    n = _n{i}.copy(); out.append(n)")
        src.add(f"    f = finals[{i}]")
        if node.grades:
            src.add(f"    n['grade'] = _pg(_N[{i}], None if f is None else _can(f))")
        if node.unit_points is not None:
            src.add(f"    n['points'] = _pl(up[{i}])")
        src.add("    if f is not None:")
        src.add(f"        r = raws[{i}]")
        # format_points(canonical(x)) is format_points(x): a Decimal's text straight away
        src.add(f"        n['score'] = {_number('f', 'f', '_can(f)')}; n['raw'] = {_number('r', 'r', '_can(r)')}")
        indent = "        "
        if i in veto_nodes:  # its own veto set its score: neither floored nor capped
            src.add(f"        if {i} not in veto:")
            indent += "    "
        src.add(f"{indent}if r < f: n['floored'] = True")
        src.add(f"{indent}elif r > f: n['capped'] = True")
        src.add(f"    if {i} in na: n['applicable'] = False")
        if i in zero_nodes:
            src.add(f"    z = {i} in zero")
            src.add("    if z: n['zeroed'] = True")
        src.add(f"    n['fired'] = by[{i}]")
        if awards[i]:
            zeroed = "z or " if i in zero_nodes else ""
            src.add(f"    n['not_awarded'] = [] if {zeroed}{i} in na else missed({i})")
        else:
            src.add("    n['not_awarded'] = []")
    src.add("    return out")


def build_serializer(spec: Rules, rules: tuple[Any, ...], awards: tuple[tuple[int, ...], ...],
                     helpers: Mapping[str, Any]) -> Serializer:
    """Generate the builders of ``spec``'s results from its rule tables (``rules``: one ``RuleTable`` per trigger).

    ``helpers`` gives ``plain`` (any value to plain JSON), ``texts`` (the cache of number texts,
    number → text, that ``points_text`` fills) and ``points_text`` (a Decimal's text, cached), and
    ``part_grade`` (a part's grade label for its score).
    """
    points_text = helpers["points_text"]
    namespace: dict[str, Any] = {
        "__builtins__": {}, "KeyError": KeyError, "int": int, "bool": bool, "str": str, "tuple": tuple,
        "_D": Decimal, "_T": helpers["texts"], "_pt": points_text, "_pl": helpers["plain"],
        "_ct": lambda c: points_text(Decimal(c)), "_can": canonical, "_pg": helpers["part_grade"],
        "_N": spec.nodes,
    }
    src = _Source(namespace)
    compiled = []
    for rule in rules:
        compiled.append(_fired_source(src, spec, rule))
    zero_nodes = frozenset(r.owner for r in rules if r.effect == "zero" and r.owner is not None)
    veto_nodes = frozenset(r.owner for r in rules if r.effect == "veto" and r.owner is not None)
    _indicators_source(src, spec, awards, zero_nodes, veto_nodes, plain=helpers["plain"])
    periods: dict[str, str] = {}  # "@kind" -> the name of its builder
    for kind in spec.period_kinds:
        names = tuple(spec.fact_groups[kind])
        if not all(n.isidentifier() for n in names):  # pragma: no cover - fact names are checked identifiers
            continue
        src.namespace[f"_k{len(periods)}"] = names
        src.add(f"def _p{len(periods)}(pv):")  # a period as checked holds its facts in the declared order
        src.add(f"    if tuple(pv) != _k{len(periods)}:")
        src.add("        return None")
        src.add("    return {" + ", ".join(f"{_name(n)}: {_value(spec.facts[n].type, f'pv[{_name(n)}]')}"
                                          for n in names) + "}")
        periods["@" + kind] = f"_p{len(periods)}"
    source = "\n".join(src.lines) + "\n"
    exec(compile(source, f"<assessrules to_dict of {spec.metadata.id}>", "exec"), namespace)
    fired = tuple(namespace[f"_f{rule.index}"] if done else None for rule, done in zip(rules, compiled, strict=True))
    keys = tuple(sorted({"@" + r.each for r in rules if r.each}))
    return Serializer(fired, namespace["_nodes"], keys, {k: namespace[f] for k, f in periods.items()}, source)


__all__ = ["FiredBuilder", "Serializer", "build_serializer"]

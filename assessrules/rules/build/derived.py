"""The ``derived:`` section: values rolled up from periods or counted from records, in order declared."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ...errors import Path
from ..derive import DERIVED_KINDS, Derived, FromSubUnits
from ..expressions import FUNCTIONS, Name, check_expression
from ..facts import Fact
from ..model import Grade, Indicator, Rounding
from .context import RUN_NAMES, BuildContext


def build_derived(ctx: BuildContext, raw: Mapping[str, Mapping[str, Any]], facts: Mapping[str, Fact],
                  rounding: Rounding | None = None) -> list[Derived]:
    """Read ``derived:``; each value becomes a name the later values and the rules may read."""
    out: list[Derived] = []
    circular = _cycles(ctx, raw)
    for name, d in raw.items():
        path: Path = ("derived", name)
        if name in circular:
            continue
        if name in ctx.names or name in FUNCTIONS or name in RUN_NAMES:
            ctx.say("spec.derived_declared", path, name=name, label=d["label"])
            continue
        derived = _build_one(ctx, name, d, path, facts)
        if derived is not None:
            derived = attrs.evolve(derived, rounding=rounding)
            out.append(derived)
            value_type = derived.expression.type if derived.kind in ("last", "expr") else "number"
            ctx.names[name] = Name(value_type, "derived", d["label"])
    return out


def _reads(d: Any) -> set[str]:
    """The names the expressions of one derived value read (none if they do not parse)."""
    names: set[str] = set()
    if not isinstance(d, Mapping):
        return names
    for kind in DERIVED_KINDS:
        text = d.get(kind)
        if isinstance(text, str) and len(text) <= 2000:
            try:
                names.update(n.id for n in ast.walk(ast.parse(text.strip(), mode="eval")) if isinstance(n, ast.Name))
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
    return names


def _cycles(ctx: BuildContext, raw: Mapping[str, Any]) -> set[str]:
    """Report each cycle among derived values with its chain (a → b → a); return the names on one."""
    reads = {name: _reads(d) & set(raw) for name, d in raw.items()}
    on_cycle: set[str] = set()
    state: dict[str, int] = {}  # 1: being visited, 2: done

    for start in raw:
        if start in state:
            continue
        chain: list[str] = [start]
        todo = [iter(sorted(reads[start]))]
        state[start] = 1
        while todo:  # depth first, without recursion: a chain of derived values may be long
            other = next(todo[-1], None)
            if other is None:
                state[chain.pop()] = 2
                todo.pop()
            elif state.get(other) == 1:
                loop = chain[chain.index(other):] + [other]
                on_cycle.update(loop)
                ctx.say("spec.derived_cycle", ("derived", other), chain=" → ".join(loop))
            elif other not in state:
                state[other] = 1
                chain.append(other)
                todo.append(iter(sorted(reads[other])))
    return on_cycle


def _build_one(ctx: BuildContext, name: str, d: Mapping[str, Any], path: Path,
               facts: Mapping[str, Fact]) -> Derived | None:
    chosen = [k for k in DERIVED_KINDS if k in d]
    if len(chosen) != 1:
        ctx.say("spec.derived_kind", path, name=name, label=d["label"], kinds=[f"`{k}`" for k in DERIVED_KINDS])
        return None
    kind = DERIVED_KINDS[chosen[0]]
    if kind is FromSubUnits:
        return _from_subunits(ctx, name, d, path)
    each, of = d.get("each"), d.get("of")
    record = facts.get(of) if of is not None else None
    if of is not None and (record is None or record.type != "records"):
        ctx.say("spec.derived_of", path + ("of",), name=name, label=d["label"], of=str(of))
        return None
    if kind.kind == "expr" and (each or of):
        ctx.say("spec.derived_expr_scope", path, name=name, label=d["label"])
        return None
    if kind.kind in ("gap", "gaps") and (each or not of):
        ctx.say("spec.derived_gap_scope", path, name=name, label=d["label"])
        return None
    if kind.kind == "count" and bool(each) == bool(of):
        ctx.say("spec.derived_count_scope", path, name=name, label=d["label"])
        return None
    if kind.kind not in ("count", "expr", "gap", "gaps") and bool(each) == bool(of if kind.kind != "last" else None):
        ctx.say("spec.derived_last_scope" if kind.kind == "last" else "spec.derived_rollup_scope", path, name=name,
                label=d["label"], kind=kind.kind)
        return None
    with ctx.within("label.derived", d["label"]):
        expression = ctx.expression(d[kind.kind], path + (kind.kind,), kind.expects, each, record)
    if expression is None:
        return None
    extra: dict[str, Any] = {"unit": d.get("in", "days")} if kind.kind in ("gap", "gaps") else {}
    if kind.kind == "gaps":
        longer_than = _longer_than(ctx, d, path, name)
        if longer_than is None:
            return None
        extra.update(longer_than=longer_than, repeat=bool(d.get("repeat", False)))
    return kind(name=name, label=d["label"], expression=expression, clause=d.get("clause"), each=each, of=of,
                path=path, **extra)


def _longer_than(ctx: BuildContext, d: Mapping[str, Any], path: Path, name: str) -> int | None:
    """The ``longer_than:`` of a ``gaps:`` value (超过14天: 14), a whole number of days or months, or a parameter."""
    if "longer_than" not in d:
        ctx.say("spec.derived_gaps_longer_than", path, name=name, label=d["label"], value="")
        return None
    value = ctx.points(d["longer_than"], path + ("longer_than",))
    if value is None:
        return None
    if value != int(value):
        ctx.say("spec.derived_gaps_longer_than", path + ("longer_than",), name=name, label=d["label"],
                value=str(d["longer_than"]))
        return None
    return int(value)



def _from_subunits(ctx: BuildContext, name: str, d: Mapping[str, Any], path: Path) -> Derived | None:
    """``subunits: score, how: mean`` (``graded:`` for count and share): read from the sub-units' results.

    What it reads (an indicator's id) and the grade it counts are checked when the tree and the grades are
    built (:func:`check_subunit_reads`)."""
    if d.get("each") or d.get("of"):
        ctx.say("spec.derived_subunits_scope", path, name=name, label=d["label"])
        return None
    how = str(d.get("how", "mean"))
    graded = d.get("graded")
    if how == "share" and graded is None:
        ctx.say("spec.derived_subunits_share", path, name=name, label=d["label"])
        return None
    reads = str(d["subunits"])
    shown = f"{how}({reads})" if graded is None else f"{how}(grade == {graded})"
    expression = attrs.evolve(check_expression("0", {}, "number"), text=shown)
    return FromSubUnits(name=name, label=d["label"], expression=expression, clause=d.get("clause"), path=path,
                        reads=reads, how=how, graded=None if graded is None else str(graded))


def check_subunit_reads(ctx: BuildContext, derived: Sequence[Derived], root: Indicator | None,
                        grades: Sequence[Grade], graded: bool) -> None:
    """Each value read from sub-units names a figure a result has (``score``, ``table_score``, an indicator's
    id) and, with ``graded:``, one of the spec's grades."""
    ids = {n.id for n in root.walk()} if root is not None else set()
    labels = [g.label for g in grades] if graded else []
    for d in derived:
        if not isinstance(d, FromSubUnits):
            continue
        if d.reads not in ("score", "table_score") and root is not None and d.reads not in ids:
            ctx.say("spec.derived_subunits_reads", d.path + ("subunits",), name=d.name, label=d.label, reads=d.reads,
                    choices=["score", "table_score", *sorted(ids)])
        if d.graded is not None and d.graded not in labels:
            ctx.say("spec.derived_subunits_grade", d.path + ("graded",), name=d.name, label=d.label, grade=d.graded,
                    grades=labels)


__all__ = ["build_derived", "check_subunit_reads"]

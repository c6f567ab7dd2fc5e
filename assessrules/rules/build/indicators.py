"""The ``indicators:`` section (and ``total:``): the indicator tree, with each node's triggers.

The tree's root is the whole table (id ``total``), worth ``metadata.scale``;
its children are the spec's top-level indicators. Each node is checked for its
points, floor, weight and applicability, and a parent's children must add up
to it (or carry weights that add up to 100%).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ...errors import Path
from ...numbers import format_points, parse_fraction
from ..expressions import SCORE_PREFIX, Name
from ..kinds import KINDS, TRIGGER_KEYS, Multiplier, Trigger
from ..limits import MAX_CHILDREN, MAX_TREE_DEPTH, echo
from ..model import Grade, Indicator, Metadata, UnitType
from .context import BuildContext
from .grades import build_grades
from .outcome import build_bonus

ROOT_ID = "total"
"""The id of the tree's root: the whole table."""


def build_tree(ctx: BuildContext, data: Mapping[str, Any], metadata: Metadata,
               unit_types: Mapping[str, UnitType]) -> Indicator | None:
    """Build the tree under its root; None when a node's points could not be read."""
    total = dict(data.get("total", {}))
    raw = {"id": ROOT_ID, "name": total.pop("name", metadata.title), "points": metadata.scale,
           "children": data["indicators"], **total}
    tree = _Tree(ctx, unit_types, data.get("floors", "each"))
    return tree.node(raw, ("total",), depth=0, parent=None, children_path=("indicators",))


def declare_scores(ctx: BuildContext, data: Mapping[str, Any]) -> None:
    """Make every indicator's score a name rules may read with ``score("id")``."""
    def walk(raws: Any) -> None:
        for raw in raws if isinstance(raws, list) else ():
            if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
                ctx.names[SCORE_PREFIX + raw["id"]] = Name("number", "score", str(raw.get("name", raw["id"])))
                walk(raw.get("children"))
    ctx.names[SCORE_PREFIX + ROOT_ID] = Name("number", "score", "总分")
    walk(data.get("indicators"))


def check_score_order(ctx: BuildContext, root: Indicator) -> None:
    """A rule reads ``score("x")`` only once x is scored: its own children, or indicators before it in the table.

    The tree is scored children first, in the order written; so reading a later indicator, one's own
    indicator or a parent would be a cycle, and is refused where it is written.
    """
    nodes = list(root.walk())
    ends: dict[int, int] = {}
    for node in reversed(nodes):  # the last index in each subtree
        ends[node.index] = max([node.index, *(ends[c.index] for c in node.children)])
    by_id = {n.id: n for n in nodes}

    def ready(read: Indicator, at: Indicator, own_children: bool) -> bool:
        inside = at.index < read.index <= ends[at.index]
        return ends[read.index] < at.index or (own_children and inside)

    for node in nodes:
        for trigger in node.triggers:
            for name in trigger.reads():
                read = by_id.get(name[len(SCORE_PREFIX):]) if name.startswith(SCORE_PREFIX) else None
                if read is not None and not ready(read, node, True):
                    cycle = read.index <= node.index <= ends[read.index]
                    ctx.say("spec.score_cycle" if cycle else "spec.score_later", trigger.path, rule=trigger.label,
                            indicator=read.id, indicator_name=read.name)
        if node.applies_if is not None:
            for name in node.applies_if.names:
                read = by_id.get(name[len(SCORE_PREFIX):]) if name.startswith(SCORE_PREFIX) else None
                if read is not None and not ready(read, node, False):
                    ctx.say("spec.applies_if_order", node.path + ("applies_if",), indicator=read.id,
                            indicator_name=read.name, name=node.name)


def build_triggers(ctx: BuildContext, raw: Mapping[str, Any], path: Path) -> list[Trigger]:
    """The triggers written on one node, in the order of the kinds' keys."""
    out: list[Trigger] = []
    for key in TRIGGER_KEYS:
        if key not in raw or key == "bonus":  # a part's bonus is a section of its own (Indicator.bonus)
            continue
        if key == "veto":  # a part's own vetoes (分项一票否决): they fix that part's score
            out.extend(ctx.mark_part_veto(t) for t in ctx.add_triggers(raw[key], key, path + (key,)))
        elif next(k.many for k in KINDS if k.key == key):
            out.extend(ctx.add_triggers(raw[key], key, path + (key,)))
        elif (trigger := ctx.add_trigger(raw[key], key, path + (key,))) is not None:
            out.append(trigger)
    return out


class _Tree:
    """Numbers the nodes in the order written and remembers the ids seen."""

    def __init__(self, ctx: BuildContext, unit_types: Mapping[str, UnitType], floors: str) -> None:
        self.ctx = ctx
        self.unit_types = unit_types
        self.floors = floors
        self.count = 0
        self.seen: dict[str, Path] = {}

    def node(self, raw: Mapping[str, Any], path: Path, depth: int, parent: str | None,
             children_path: Path | None = None) -> Indicator | None:
        ctx = self.ctx
        index = self.count
        self.count += 1
        node_id, name = raw["id"], raw["name"]
        if node_id == ROOT_ID and depth > 0:
            ctx.say("spec.reserved_root", path + ("id",), name=name, indicator=ROOT_ID)
        elif node_id in self.seen:
            ctx.say("spec.duplicate_id", path + ("id",), name=name, indicator=node_id)
        self.seen[node_id] = path
        with ctx.within("label.indicator", name):
            points = ctx.points(raw["points"], path + ("points",))
            if isinstance(points, Fraction):
                ctx.say("spec.points_inexact", path + ("points",), points=format_points(points))
                points = None
            self.check_unit_types(raw.get("unit_types"), path)
            floor = self.floor(raw, depth)
            ctx.assumption_ref(raw.get("assumption"), path + ("assumption",))
            written_floor = raw.get("floor")
            floor_assumption = written_floor.get("assumption") if isinstance(written_floor, Mapping) else None
            ctx.assumption_ref(floor_assumption, path + ("floor", "assumption"))
            if floor is not None and points is not None and floor > points:
                ctx.say("spec.floor", path + ("floor",), floor=format_points(floor), points=format_points(points))
            weight_expr = None
            written = raw.get("weight")
            if isinstance(written, str) and not written.strip().endswith("%"):  # a share per unit, from its facts
                weight_expr = ctx.expression(written, path + ("weight",), "number")
                weight = None
            else:
                weight = self.weight(raw, path)
            applies_if = (ctx.expression(raw["applies_if"], path + ("applies_if",), "bool")
                          if "applies_if" in raw else None)
            triggers = build_triggers(ctx, raw, path)
            part_bonus = (build_bonus(ctx, raw["bonus"], points, path + ("bonus",))
                          if "bonus" in raw and points is not None else None)
            if part_bonus is not None:  # its items belong to the part: they show on its line
                triggers.extend(part_bonus.items)
            part_grades = self.part_grades(raw, path, points)
            unit_points = (ctx.expression(raw["unit_points"], path + ("unit_points",), "number")
                           if "unit_points" in raw else None)
            self.check_awards(triggers, points)
            self.check_part_vetoes(triggers, points)
            self.check_multipliers(triggers)
        kids_path = children_path or path + ("children",)
        kids = raw.get("children", ())
        if not self.within_limits(kids, kids_path, depth):
            return None
        built = (self.node(child, kids_path + (i,), depth + 1, node_id) for i, child in enumerate(kids))
        children = [c for c in built if c is not None]
        with ctx.within("label.indicator", name):
            # a parent's own `score:` is its base instead of the sum of its children (which it may read, score("a"))
            self.check_children(raw, path, depth, points, children, kids_path=kids_path)
        if points is None:
            return None
        method = raw.get("method", ())
        unit_types = raw.get("unit_types")
        return Indicator(
            id=node_id, name=name, points=points, index=index, depth=depth, path=path, floor=floor,
            method=(method,) if isinstance(method, str) else tuple(method), text=raw.get("text"),
            clause=raw.get("clause"), unit_types=frozenset(unit_types) if unit_types else None,
            children=tuple(children), triggers=tuple(triggers), parent=parent, weight=weight,
            units=frozenset(map(str, raw["units"])) if raw.get("units") else None, applies_if=applies_if,
            assumption=raw.get("assumption"), floor_assumption=floor_assumption, weight_expr=weight_expr,
            grades=tuple(part_grades), unit_points=unit_points,
            children_add_up=bool(raw.get("children_add_up", True)), bonus=part_bonus,
            raw_weights=raw.get("weighting") == "raw")


    def check_raw_weights(self, path: Path, depth: int, points: Decimal | None, children: Sequence[Indicator],
                          kids_path: Path) -> None:
        """Under `weighting: raw` the children are weighted, and the parent's points are what their weights make of
        their points (70% × 100 + 30% × 120 = 106): the highest score, not a made-up maximum."""
        where = ("metadata", "scale") if depth == 0 else path + ("points",)
        if not children or not all(c.weighted for c in children):
            self.ctx.say("spec.raw_weights_unweighted", path + ("weighting",) if depth else ("total", "weighting"))
            return
        if points is None or any(c.weight is None for c in children):
            return  # shares per unit: what the children make is checked by the cap, unit by unit
        made = sum((c.weight * c.points for c in children if c.weight is not None), Decimal(0))
        if made != points:
            parts = " + ".join(f"{format_points(c.weight * 100)}% × {format_points(c.points)}"
                               for c in children if c.weight is not None)
            self.ctx.say("spec.raw_weights_points", self.ctx.newest(where, [c.path + ("points",) for c in children]),
                         parts=parts, made=format_points(made), points=format_points(points))

    def check_part_vetoes(self, triggers: Sequence[Trigger], points: Any) -> None:
        """A part's veto sets or caps a score within the part's points (0 to its points)."""
        if points is None:
            return
        for trigger in triggers:
            if trigger.kind != "veto":
                continue
            for key in ("score", "at_most"):
                value = getattr(trigger, key)
                if value is not None and not 0 <= value <= points:
                    self.ctx.say("spec.part_veto_cap" if key == "at_most" else "spec.part_veto_score",
                                 trigger.path + (key,), rule=trigger.label, value=format_points(value),
                                 points=format_points(points))

    def check_multipliers(self, triggers: Sequence[Trigger]) -> None:
        """A factor the spec fixes (over numbers and parameters only) is checked now: never negative."""
        for trigger in triggers:
            if not isinstance(trigger, Multiplier):
                continue
            factor = trigger.factor
            if any(n not in self.ctx.parameters for n in factor.names):
                continue  # read from the unit's facts: checked for each unit when it is scored
            try:
                value = factor.exact_value({n: self.ctx.parameters[n].value for n in factor.names})
            except (ArithmeticError, KeyError, ValueError, TypeError):
                self.ctx.say("spec.factor_not_computable", trigger.path + ("factor",), rule=trigger.label,
                             expression=echo(factor.text))
                continue
            if value < 0:
                self.ctx.say("spec.factor_negative", trigger.path + ("factor",), rule=trigger.label,
                             factor=format_points(value))

    def within_limits(self, children: Sequence[Any], path: Path, depth: int) -> bool:
        """False (with a problem) when the tree grows deeper or wider than the limits."""
        if children and depth + 1 > MAX_TREE_DEPTH:
            self.ctx.say("spec.tree_depth", path, limit=MAX_TREE_DEPTH)
            return False
        if len(children) > MAX_CHILDREN:
            self.ctx.say("spec.too_many_children", path, count=f"{len(children):,}", limit=MAX_CHILDREN)
            return False
        return True

    def check_awards(self, triggers: Sequence[Trigger], points: Decimal | None) -> None:
        """An award worth more than its indicator's points can never be given in full: a typo."""
        for trigger in triggers:
            award = getattr(trigger, "points", None)
            if trigger.kind == "award_if" and isinstance(award, Decimal) and points is not None and award > points:
                self.ctx.say("spec.award_over_points", trigger.path + ("points",), rule=trigger.label,
                             award=format_points(award), points=format_points(points))

    def part_grades(self, raw: Mapping[str, Any], path: Path, points: Any) -> list[Grade]:
        """A part's own grades (分项等次): on its own score, without a consequence on the target value."""
        if "grades" not in raw or points is None:
            return []
        for i, g in enumerate(raw["grades"]):
            for key in ("deduct", "commend"):
                if key in g:
                    self.ctx.say("spec.part_grade_consequence", path + ("grades", i, key), key=key)
        return build_grades(self.ctx, raw["grades"], Decimal(points), path + ("grades",))

    def check_unit_types(self, unit_types: Sequence[str] | None, path: Path) -> None:
        for i, ut in enumerate(unit_types or ()):
            if ut not in self.unit_types:
                close = difflib.get_close_matches(ut, list(self.unit_types), n=1)
                if close:
                    self.ctx.say("spec.unit_type_typo", path + ("unit_types", i), type=ut, suggestion=close[0])
                else:
                    self.ctx.say("spec.unknown_unit_type", path + ("unit_types", i), type=ut,
                                 types=list(self.unit_types))

    def floor(self, raw: Mapping[str, Any], depth: int) -> Decimal | None:
        """The node's floor: as written, else 0 where ``floors:`` puts one by default (扣完为止)."""
        default = Decimal(0) if (self.floors == "each" or depth == 0
                                 or (self.floors == "top_level" and depth == 1)) else None
        floor = raw.get("floor", default)
        if isinstance(floor, Mapping):  # {value: -5, assumption: …}
            floor = floor.get("value")
        return None if floor is None else Decimal(floor)

    def weight(self, raw: Mapping[str, Any], path: Path) -> Decimal | None:
        if "weight" not in raw:
            return None
        try:
            return parse_fraction(raw["weight"])
        except ValueError:
            self.ctx.say("spec.weight_percent", path + ("weight",), value=echo(str(raw["weight"]), 40))
            return None

    def check_children(self, raw: Mapping[str, Any], path: Path, depth: int, points: Decimal | None,
                       children: Sequence[Indicator], *, kids_path: Path) -> None:
        """Weighted children carry weights adding up to 100%; others add up to the parent's points.

        ``kids_path`` is where the children are written (``indicators`` for the top level)."""
        ctx = self.ctx
        weights = [c.weight for c in children if c.weight is not None]
        if raw.get("weighting") == "raw":
            self.check_raw_weights(path, depth, points, children, kids_path)
        if any(c.weighted for c in children):
            if not all(c.weighted for c in children):
                ctx.say("spec.weights_partial", kids_path,
                        missing=[c.name for c in children if not c.weighted])
            elif len(weights) == len(children) and sum(weights, Decimal(0)) != 1:  # per-unit shares: checked per unit
                parts = [f"{c.name} {format_points(w * 100)}%" for c, w in zip(children, weights, strict=True)]
                share = format_points(sum(weights, Decimal(0)) * 100)
                where = ctx.newest(children[0].path + ("weight",), [c.path + ("weight",) for c in children[1:]])
                ctx.say("spec.weights", where, share=share, parts=parts)
            return
        if points is None or not children or not raw.get("children_add_up", True) \
                or len(children) != len(raw.get("children", ())) or any(c.unit_points is not None for c in children):
            return  # with points per unit, the sum is checked for each unit when it is scored
        total = sum((c.points for c in children), Decimal(0))
        if total != points:
            terms = " + ".join(f"{c.name} {format_points(c.points)}" for c in children)
            where = ctx.newest(("metadata", "scale") if depth == 0 else path + ("points",),
                               [*(c.path + ("points",) for c in children), kids_path])
            ctx.say("spec.points_sum", where, total=format_points(total), parts=terms, points=format_points(points))


__all__ = ["ROOT_ID", "build_tree", "build_triggers"]

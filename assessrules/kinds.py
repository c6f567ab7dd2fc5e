"""Trigger kinds: the ways a rule moves points, one small class each.

A trigger is written under a key of an indicator (``deduct:``, ``award:``,
``zero:``, ``score:``); :data:`KINDS` says which class reads which entry.
Each class knows three things only: how it is built from its YAML entry,
what Python it contributes to the compiled scorer (:meth:`Trigger.emit`),
and how it describes itself. The compiler is a small driver that walks the
indicator tree and asks each trigger to emit; adding a kind means adding a
class and a :class:`Kind` entry here, never touching the driver.

Every trigger that fires records ``(index, count, points, periods)`` in the
trace (:meth:`~assessrules.compiler.Emitter.record`): ``count`` is the
occurrence count (or ``None``), ``points`` the signed change (negative for a
deduction, ``None`` for a zero-out), ``periods`` for a rule written with
``each:`` the ``(period, count, points)`` of every period it fired in.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

import attrs

from .errors import Path
from .expressions import Expression

if TYPE_CHECKING:
    from .compiler import Emitter

Phase = Literal["zero", "base", "adjust"]


class BuildContext(Protocol):
    """What the loader lends a kind while it builds a trigger from YAML."""

    def expression(self, raw: Any, path: Path, expect: str, each: str | None = None) -> Expression | None:
        """Check an expression (``each``: in the scope of one period); record problems, None if bad."""

    def points(self, raw: Any, path: Path, positive: bool = True) -> Decimal | None:
        """Read a number of points (a number, or an expression over parameters)."""

    def problem(self, message: str, path: Path, hint: str | None = None) -> None:
        """Record a located problem."""


@attrs.frozen(kw_only=True)
class Trigger:
    """What every trigger has: its label, the clause it comes from, where it is written."""

    kind: ClassVar[str]
    phase: ClassVar[Phase] = "adjust"
    periodic: ClassVar[bool] = False  # may be written with `each: month` to act per period
    label: str
    clause: str | None = None
    assumption: str | None = None
    path: Path = ()
    index: int = -1
    each: str | None = None  # "month" or "quarter": applied to each period, its points summed

    def expressions(self) -> tuple[Expression, ...]:
        """The expressions this trigger evaluates."""
        return ()

    def reads(self) -> tuple[str, ...]:
        """The fact and parameter names this trigger reads, in order of first use."""
        seen: dict[str, None] = {}
        for expression in self.expressions():
            seen.update(dict.fromkeys(expression.names))
        return tuple(seen)

    def emit(self, em: Emitter, score: str) -> None:
        """Write the Python that applies this trigger to the variable ``score``."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line, in the spec's own terms, of what this trigger does."""
        raise NotImplementedError


def _every(each: str | None) -> str:
    return {"month": "每月", "quarter": "每季度"}.get(each or "", "")


def _fmt(value: Decimal) -> str:
    from .numbers import format_points

    return format_points(value)


@attrs.frozen(kw_only=True)
class DeductEach(Trigger):
    """Per-occurrence deduction: ``count × points``, at most ``max`` (发现1次扣除1分)."""

    kind = "deduct_each"
    periodic = True
    per: Expression
    points: Decimal
    maximum: Decimal | None = None

    def expressions(self) -> tuple[Expression, ...]:
        return (self.per,)

    def emit(self, em: Emitter, score: str) -> None:
        if self.each:
            with em.each_period(self.each):
                em.line(f"c = {em.expr(self.per)}")
                em.line("if c:")
                with em.indent():
                    em.line(f"if c < 0: _negative_count({self.index}, c)")
                    em.line(f"p = c * {em.const(self.points)}")
                    em.line("pc += c")
                    em.line("pp += p")
                    em.line("pd.append((lab, c, -p))")
            em.line("if pd:")
            with em.indent():
                if self.maximum is not None:
                    em.line(f"if pp > {em.const(self.maximum)}: pp = {em.const(self.maximum)}")
                em.line(f"{score} -= pp")
                em.record(self.index, "pc", "-pp", "tuple(pd)")
            return
        em.line(f"c = {em.expr(self.per)}")
        em.line("if c:")
        with em.indent():
            em.line(f"if c < 0: _negative_count({self.index}, c)")
            em.line(f"p = c * {em.const(self.points)}")
            if self.maximum is not None:
                em.line(f"if p > {em.const(self.maximum)}: p = {em.const(self.maximum)}")
            em.line(f"{score} -= p")
            em.record(self.index, "c", "-p")

    def describe(self) -> str:
        limit = f"，本项最多扣{_fmt(self.maximum)}分" if self.maximum is not None else ""
        every = _every(self.each)
        return f"{self.label}：{every}每次扣{_fmt(self.points)}分（次数 = {self.per.text}）{limit}"


@attrs.frozen(kw_only=True)
class DeductIf(Trigger):
    """Flat deduction when a condition holds (未提供互动交流功能扣5分)."""

    kind = "deduct_if"
    periodic = True
    condition: Expression
    points: Decimal

    def expressions(self) -> tuple[Expression, ...]:
        return (self.condition,)

    def emit(self, em: Emitter, score: str) -> None:
        if self.each:
            with em.each_period(self.each):
                em.line(f"if {em.expr(self.condition)}:")
                with em.indent():
                    em.line(f"pp += {em.const(self.points)}")
                    em.line(f"pd.append((lab, None, {em.const(-self.points)}))")
            em.line("if pd:")
            with em.indent():
                em.line(f"{score} -= pp")
                em.record(self.index, "len(pd)", "-pp", "tuple(pd)")
            return
        em.line(f"if {em.expr(self.condition)}:")
        with em.indent():
            em.line(f"{score} -= {em.const(self.points)}")
            em.record(self.index, "None", em.const(-self.points))

    def describe(self) -> str:
        return f"{self.label}：{_every(self.each)}扣{_fmt(self.points)}分（条件 {self.condition.text}）"


@attrs.frozen(kw_only=True)
class AwardIf(Trigger):
    """Points for having something (建立完善工作机制 5分); the indicator starts from 0."""

    kind = "award_if"
    condition: Expression
    points: Decimal

    def expressions(self) -> tuple[Expression, ...]:
        return (self.condition,)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"if {em.expr(self.condition)}:")
        with em.indent():
            em.line(f"{score} += {em.const(self.points)}")
            em.record(self.index, "None", em.const(self.points))

    def describe(self) -> str:
        return f"{self.label}：得{_fmt(self.points)}分（条件 {self.condition.text}）"


@attrs.frozen(kw_only=True)
class ZeroIf(Trigger):
    """Zero-out: when the condition holds the indicator scores 0 and nothing else applies (无…不得分)."""

    kind = "zero_if"
    phase = "zero"
    condition: Expression

    def expressions(self) -> tuple[Expression, ...]:
        return (self.condition,)

    def guard(self, em: Emitter) -> str:
        """The condition under which the indicator is zeroed, as Python."""
        return em.expr(self.condition)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"{score} = {em.const(Decimal(0))}")
        em.record(self.index, "None", "None")

    def describe(self) -> str:
        return f"{self.label}：不得分（条件 {self.condition.text}）"


@attrs.frozen(kw_only=True)
class ScoreExpression(Trigger):
    """The indicator's score from an expression, for shapes the other kinds do not cover."""

    kind = "score"
    phase = "base"
    expr: Expression

    def expressions(self) -> tuple[Expression, ...]:
        return (self.expr,)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"{score} = _to_decimal({em.expr(self.expr)})")
        em.record(self.index, "None", score)

    def describe(self) -> str:
        return f"{self.label}：得分 = {self.expr.text}"


@attrs.frozen
class Kind:
    """How one trigger kind is written in YAML: under which key, picked by which field."""

    name: str
    key: str
    selector: str | None
    cls: type[Trigger]
    fields: Mapping[str, tuple[str, str]]  # yaml field -> (class field, "expr:<type>" | "points" | "points?")
    many: bool = True


KINDS: tuple[Kind, ...] = (
    Kind("deduct_each", "deduct", "per", DeductEach,
         {"per": ("per", "expr:number"), "points": ("points", "points"), "max": ("maximum", "points?")}),
    Kind("deduct_if", "deduct", "if", DeductIf,
         {"if": ("condition", "expr:bool"), "points": ("points", "points")}),
    Kind("award_if", "award", "if", AwardIf,
         {"if": ("condition", "expr:bool"), "points": ("points", "points")}),
    Kind("zero_if", "zero", "if", ZeroIf, {"if": ("condition", "expr:bool")}),
    Kind("score", "score", "expr", ScoreExpression, {"expr": ("expr", "expr:number")}, many=False),
)
"""The registry of trigger kinds, in the order their keys are read on a node."""

TRIGGER_KEYS: tuple[str, ...] = tuple(dict.fromkeys(k.key for k in KINDS))


def build_trigger(entry: Mapping[str, Any], key: str, path: Path, ctx: BuildContext) -> Trigger | None:
    """Build the trigger written as ``entry`` under ``key``; record problems in ``ctx``."""
    candidates = [k for k in KINDS if k.key == key]
    chosen = [k for k in candidates if k.selector is None or k.selector in entry]
    if len(chosen) != 1:
        selectors = " or ".join(f"`{k.selector}`" for k in candidates)
        what = "both" if chosen else "neither"
        ctx.problem(f"a `{key}` entry needs exactly one of {selectors}, and has {what}", path,
                    "`per:` counts occurrences (扣分 × 次数); `if:` is a condition (满足即扣/得分)"
                    if key == "deduct" else None)
        return None
    kind = chosen[0]
    values: dict[str, Any] = {}
    ok = True
    each = entry.get("each")
    if each is not None and not kind.cls.periodic:
        ctx.problem(f"`each:` does not apply to `{key}`", path + ("each",), "only deductions act per period")
        return None
    if each is not None:
        values["each"] = each
    for field, (attr, how) in kind.fields.items():
        raw = entry.get(field)
        if how == "points?" and raw is None:
            continue
        if how.startswith("expr:"):
            value: Any = ctx.expression(raw, path + (field,), how[5:], each)
        else:
            value = ctx.points(raw, path + (field,))
        ok = ok and value is not None
        values[attr] = value
    if not ok:
        return None
    return kind.cls(
        label=entry.get("label") or kind.name, clause=entry.get("clause"), assumption=entry.get("assumption"),
        path=path, **values)


__all__ = [
    "KINDS",
    "TRIGGER_KEYS",
    "AwardIf",
    "BuildContext",
    "DeductEach",
    "DeductIf",
    "Kind",
    "ScoreExpression",
    "Trigger",
    "ZeroIf",
    "build_trigger",
]

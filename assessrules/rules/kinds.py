"""Trigger kinds: the ways a rule moves points, one small class each.

A trigger is written under a key of an indicator (``deduct:``, ``award:``,
``zero:``, ``score:``); :data:`KINDS` says which class reads which entry.
Each class knows three things only: how it is built from its YAML entry,
what Python it contributes to the compiled scorer (:meth:`Trigger.emit`),
and how it describes itself. The compiler is a small driver that walks the
indicator tree and asks each trigger to emit; adding a kind means adding a
class and a :class:`Kind` entry here, never touching the driver.

Every trigger that fires records ``(index, count, points, periods)`` in the
trace (:meth:`~assessrules.engine.compiler.Emitter.record`): ``count`` is the
occurrence count (or ``None``), ``points`` the signed change (negative for a
deduction, ``None`` for a zero-out), ``periods`` for a rule written with
``each:`` the ``(period, count, points)`` of every period it fired in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

import attrs

from ..errors import Path
from ..numbers import Exact
from .expressions import Expression

if TYPE_CHECKING:
    from .facts import Fact


class Say(Protocol):
    """Record a problem of a catalogue ``code`` at ``path``, with the values its sentence names."""

    def __call__(self, code: str, path: Path, **values: Any) -> None: ...


Phase = Literal["zero", "base", "adjust", "veto", "multiplier"]


class Emitter(Protocol):
    """What the compiler lends a kind while it writes the kind's Python (see :mod:`assessrules.engine.compiler`)."""

    def line(self, text: str) -> None:
        """Add one line at the current indentation."""

    def indent(self) -> contextlib.AbstractContextManager[None]:
        """Indent the lines added inside the block."""

    def const(self, value: Any) -> str:
        """Bind ``value`` as a constant of the scorer and return its name."""

    def expr(self, expression: Expression) -> str:
        """Python for a checked expression."""

    def record(self, index: int, count: str, points: str, periods: str = "None") -> None:
        """Record in the trace that trigger ``index`` fired (count, points and periods, as Python)."""

    def collect(self, loop: str) -> contextlib.AbstractContextManager[None]:
        """Open ``loop`` with fresh accumulators: ``pc`` (count), ``pp`` (points), ``pd`` (detail)."""

    def each_period(self, kind: str) -> contextlib.AbstractContextManager[None]:
        """Loop over the unit's periods of ``kind``: inside, per-period facts read that period's values."""

    def period_entry(self, count: str, points: str) -> str:
        """Python for a period's detail ``(lab, count, points)`` (shared tuples when count and points are fixed)."""

    def deduct_collected(self, index: int, score: str, maximum: Exact | None, count: str = "pc") -> None:
        """After a :meth:`collect` loop: take the points collected (at most ``maximum``) and record them."""


class BuildContext(Protocol):
    """What the loader lends a kind while it builds a trigger from YAML."""

    def expression(self, raw: Any, path: Path, expect: str, each: str | None = None) -> Expression | None:
        """Check an expression (``each``: in the scope of one period); record problems, None if bad."""

    def points(self, raw: Any, path: Path, positive: bool = True) -> Exact | None:
        """Read a number of points (a number, or an expression over parameters)."""

    def say(self, code: str, path: Path, **values: Any) -> None:
        """Record a located problem of catalogue ``code``."""


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

    expression_fields: ClassVar[tuple[str, ...]] = ()

    def expressions(self) -> tuple[Expression, ...]:
        """The expressions this trigger evaluates."""
        return tuple(getattr(self, name) for name in self.expression_fields)

    def reads(self) -> tuple[str, ...]:
        """The fact and parameter names this trigger reads, in order of first use."""
        seen: dict[str, None] = {}
        for expression in self.expressions():
            seen.update(dict.fromkeys(expression.names))
        return tuple(seen)

    def emit(self, em: Emitter, score: str) -> None:
        """Write the Python that applies this trigger to the variable ``score``."""
        raise NotImplementedError

    def check(self, facts: Mapping[str, Fact], say: Say) -> None:
        """Check what the trigger names against the declared facts (expressions are checked already)."""

    def describe(self) -> str:
        """One line, in the spec's own terms, of what this trigger does."""
        raise NotImplementedError

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        """The rule's standard in the published document's words (发现1次扣1分，扣完为止; 符合条件得5分), in ``lang``.

        Points, amounts per occurrence or per period, caps and floors — never a fact id or an expression
        (:meth:`describe` says those, for authors). ``floored``: the indicator stops at its floor (扣完为止);
        ``grades``: the grades' labels by id, for a veto that sets a grade.
        """
        raise NotImplementedError

    def wording(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        """The rule's label with its :meth:`standard` (未提供互动交流功能：扣5分)."""
        joined = "joined_comma" if "：" in self.label or ": " in self.label else "joined"
        return _w(joined, lang, label=self.label, standard=self.standard(lang, floored=floored, grades=grades))


def _every(each: str | None) -> str:
    from ..periods import WORDS

    return WORDS[each][1] if each in WORDS else ""


def _w(code: str, lang: str, **values: Any) -> str:
    """A line of the catalogue's ``out.rule_*`` words in ``lang``."""
    from ..messages import text

    return text(f"out.rule_{code}", lang, **values)


def _per(each: str | None, lang: str) -> str:
    """每月, 每季度 … (or nothing) for a rule applied per period."""
    return _w(f"every_{each}", lang) if each else ""


def _cap(maximum: Exact | None, lang: str, floored: bool, code: str = "at_most_off") -> str:
    """，本项最多扣5分 or ，扣完为止 (when the indicator stops at its floor)."""
    if maximum is not None:
        return _w(code, lang, points=_fmt(maximum))
    return _w("until_none", lang) if floored and code == "at_most_off" else ""


def _fmt(value: Exact) -> str:
    from ..numbers import format_points

    return format_points(value)


@attrs.frozen(kw_only=True)
class DeductEach(Trigger):
    """Per-occurrence deduction: ``count × points``, at most ``max`` (发现1次扣除1分)."""

    kind = "deduct_each"
    periodic = True
    per: Expression
    points: Exact
    maximum: Exact | None = None
    beyond: Exact | None = None  # 再扣: once the count passes this …
    then: Exact | None = None  # … deduct this much more, once

    expression_fields = ("per",)

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
            if self.beyond is not None and self.then is not None:  # 再扣 on the year's count
                em.line(f"if pc > {em.const(self.beyond)}: pp += {em.const(self.then)}")
            em.deduct_collected(self.index, score, self.maximum)
            return
        em.line(f"c = {em.expr(self.per)}")
        em.line("if c:")
        with em.indent():
            em.line(f"if c < 0: _negative_count({self.index}, c)")
            em.line(f"p = c * {em.const(self.points)}")
            if self.beyond is not None and self.then is not None:
                em.line(f"if c > {em.const(self.beyond)}: p += {em.const(self.then)}")
            if self.maximum is not None:
                em.line(f"if p > {em.const(self.maximum)}: p = {em.const(self.maximum)}")
            em.line(f"{score} -= p")
            em.record(self.index, "c", "-p")

    def describe(self) -> str:
        limit = f"，本项最多扣{_fmt(self.maximum)}分" if self.maximum is not None else ""
        more = (f"，超过{_fmt(self.beyond)}次再扣{_fmt(self.then)}分"
                if self.beyond is not None and self.then is not None else "")
        every = _every(self.each)
        return f"{self.label}：{every}每次扣{_fmt(self.points)}分（次数 = {self.per.text}）{more}{limit}"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        words = _w("deduct_each", lang, every=_per(self.each, lang), points=_fmt(self.points))
        if self.beyond is not None and self.then is not None:
            words += _w("beyond", lang, beyond=_fmt(self.beyond), then=_fmt(self.then))
        return words + _cap(self.maximum, lang, floored)


@attrs.frozen(kw_only=True)
class DeductIf(Trigger):
    """Flat deduction when a condition holds (未提供互动交流功能扣5分)."""

    kind = "deduct_if"
    periodic = True
    condition: Expression
    points: Exact

    expression_fields = ("condition",)

    def emit(self, em: Emitter, score: str) -> None:
        if self.each:
            with em.each_period(self.each):
                em.line(f"if {em.expr(self.condition)}:")
                with em.indent():
                    em.line(f"pp += {em.const(self.points)}")
                    em.line(f"pd.append({em.period_entry('None', em.const(-self.points))})")
            em.deduct_collected(self.index, score, None, count="len(pd)")
            return
        em.line(f"if {em.expr(self.condition)}:")
        with em.indent():
            em.line(f"{score} -= {em.const(self.points)}")
            em.record(self.index, "None", em.const(-self.points))

    def describe(self) -> str:
        return f"{self.label}：{_every(self.each)}扣{_fmt(self.points)}分（条件 {self.condition.text}）"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        if self.each:
            return _w("deduct_if_each", lang, every=_per(self.each, lang), points=_fmt(self.points))
        return _w("deduct_if", lang, points=_fmt(self.points))


@attrs.frozen(kw_only=True)
class DeductRecords(Trigger):
    """Per-record deduction by severity: each record of a list deducts the points of its severity."""

    kind = "deduct_records"
    records: str  # a records fact
    severity: str  # its enum field that says how serious each record is
    by_severity: Mapping[str, Exact]
    maximum: Exact | None = None

    def reads(self) -> tuple[str, ...]:
        return (self.records,)

    def emit(self, em: Emitter, score: str) -> None:
        with em.collect(f"for n, rec in enumerate(ns[{self.records!r}], 1):"):
            em.line(f"p = {em.const(dict(self.by_severity))}[rec[{self.severity!r}]]")
            em.line("pc += 1")
            em.line("pp += p")
            em.line(f"pd.append((n, rec[{self.severity!r}], -p))")
        em.deduct_collected(self.index, score, self.maximum)

    def describe(self) -> str:
        each = "、".join(f"{k}每条扣{_fmt(v)}分" for k, v in self.by_severity.items())
        return f"{self.label}：{each}"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        each = _w("list", lang).join(_w("records_each", lang, severity=k, points=_fmt(v))
                                     for k, v in self.by_severity.items())
        return each + _cap(self.maximum, lang, floored)

    def check(self, facts: Mapping[str, Fact], say: Say) -> None:
        fact = facts.get(self.records)
        if fact is None or fact.type != "records":
            say("spec.records_fact", self.path + ("records",), rule=self.label, records=self.records)
            return
        field = (fact.fields or {}).get(self.severity)
        if field is None or field.type != "enum":
            say("spec.severity_field", self.path + ("severity",), rule=self.label, severity=self.severity,
                records=self.records, fact_label=fact.label, fields=list(fact.fields or {}))
            return
        _same_labels(field, self.by_severity, self.path + ("points",), say)


@attrs.frozen(kw_only=True)
class _Discretionary(Trigger):
    """Points the assessor sets within a stated range, recorded as a fact: taken away, or (``sign``) given."""

    sign: ClassVar[str] = "-"
    amount: str  # a number fact, declared with min 0 and max ≤ the range
    maximum: Exact

    def reads(self) -> tuple[str, ...]:
        return (self.amount,)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"p = ns[{self.amount!r}]")
        em.line("if p:")
        with em.indent():
            em.line(f"{score} {self.sign}= p")
            em.record(self.index, "None", f"{'-' if self.sign == '-' else ''}_to_decimal(p)")

    def check(self, facts: Mapping[str, Fact], say: Say) -> None:
        _check_discretion(self.amount, self.maximum, facts, self.path, say)


@attrs.frozen(kw_only=True)
class DeductDiscretionary(_Discretionary):
    """A deduction the assessor sets within a stated range (视情况扣0–2分), recorded as a fact."""

    kind = "deduct_discretionary"

    def describe(self) -> str:
        return f"{self.label}：视情况扣0–{_fmt(self.maximum)}分（{self.amount}）"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        return _w("deduct_discretionary", lang, points=_fmt(self.maximum))


def _check_discretion(amount: str, maximum: Exact, facts: Mapping[str, Fact], path: Path, say: Say) -> None:
    fact = facts.get(amount)
    if fact is None or fact.type != "number" or fact.period is not None:
        say("spec.discretion_fact", path + ("discretion",), amount=amount, maximum=_fmt(maximum))
    elif fact.minimum is None or fact.minimum < 0 or fact.maximum is None or fact.maximum > maximum:
        say("spec.discretion_range", path + ("discretion",), fact=amount, fact_label=fact.label,
            maximum=_fmt(maximum))


@attrs.frozen(kw_only=True)
class Rating(Trigger):
    """An assessor's rating (优/良/一般/差, A/B/C/D) mapped to points: the indicator's score."""

    kind = "rating"
    phase = "base"
    rating: str  # an enum fact
    scale: Mapping[str, Exact]

    def reads(self) -> tuple[str, ...]:
        return (self.rating,)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"{score} = {em.const(dict(self.scale))}[ns[{self.rating!r}]]")
        em.record(self.index, "None", score)

    def describe(self) -> str:
        return f"{self.label}：" + "、".join(f"{k} {_fmt(v)}分" for k, v in self.scale.items())

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        scale = _w("list", lang).join(_w("rating_item", lang, rating=k, points=_fmt(v)) for k, v in self.scale.items())
        return _w("rating", lang, scale=scale)

    def check(self, facts: Mapping[str, Fact], say: Say) -> None:
        fact = facts.get(self.rating)
        if fact is None or fact.type != "enum" or fact.period is not None:
            say("spec.rating_fact", self.path + ("of",), rule=self.label, rating=self.rating)
            return
        _same_labels(fact, self.scale, self.path + ("points",), say)


@attrs.frozen(kw_only=True)
class AwardIf(Trigger):
    """Points for having something (建立完善工作机制 5分); the indicator starts from 0."""

    kind = "award_if"
    condition: Expression
    points: Exact

    expression_fields = ("condition",)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"if {em.expr(self.condition)}:")
        with em.indent():
            em.line(f"{score} += {em.const(self.points)}")
            em.record(self.index, "None", em.const(self.points))

    def describe(self) -> str:
        return f"{self.label}：得{_fmt(self.points)}分（条件 {self.condition.text}）"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        return _w("award_if", lang, points=_fmt(self.points))


@attrs.frozen(kw_only=True)
class AwardEach(Trigger):
    """Points per occurrence (每发布1条得0.5分), at most ``max``; the indicator starts from 0."""

    kind = "award_each"
    per: Expression
    points: Exact
    maximum: Exact | None = None

    expression_fields = ("per",)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"c = {em.expr(self.per)}")
        em.line("if c:")
        with em.indent():
            em.line(f"if c < 0: _negative_count({self.index}, c)")
            em.line(f"p = c * {em.const(self.points)}")
            if self.maximum is not None:
                em.line(f"if p > {em.const(self.maximum)}: p = {em.const(self.maximum)}")
            em.line(f"{score} += p")
            em.record(self.index, "c", "p")

    def describe(self) -> str:
        limit = f"，本项最多得{_fmt(self.maximum)}分" if self.maximum is not None else ""
        return f"{self.label}：每次得{_fmt(self.points)}分（次数 = {self.per.text}）{limit}"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        return _w("award_each", lang, points=_fmt(self.points)) + _cap(self.maximum, lang, floored, "at_most_on")


@attrs.frozen(kw_only=True)
class AwardDiscretionary(_Discretionary):
    """Points the assessor gives within a stated range (在2分内酌情给分), recorded as a fact."""

    kind = "award_discretionary"
    sign = "+"

    def describe(self) -> str:
        return f"{self.label}：在{_fmt(self.maximum)}分内酌情给分（{self.amount}）"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        return _w("award_discretionary", lang, points=_fmt(self.maximum))


@attrs.frozen(kw_only=True)
class ZeroIf(Trigger):
    """Zero-out: when the condition holds the indicator scores 0 and nothing else applies (无…不得分)."""

    kind = "zero_if"
    phase = "zero"
    condition: Expression

    expression_fields = ("condition",)

    def guard(self, em: Emitter) -> str:
        """The condition under which the indicator is zeroed, as Python."""
        return em.expr(self.condition)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"{score} = {em.const(Decimal(0))}")
        em.record(self.index, "None", "None")

    def describe(self) -> str:
        return f"{self.label}：不得分（条件 {self.condition.text}）"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        return _w("zero_if", lang)


@attrs.frozen(kw_only=True)
class ScoreExpression(Trigger):
    """The indicator's score from an expression, for shapes the other kinds do not cover."""

    kind = "score"
    phase = "base"
    expr: Expression

    expression_fields = ("expr",)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"{score} = _to_decimal({em.expr(self.expr)})")
        em.record(self.index, "None", score)

    def describe(self) -> str:
        return f"{self.label}：得分 = {self.expr.text}"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        return _w("score", lang)


@attrs.frozen(kw_only=True)
class BonusIf(Trigger):
    """A bonus item (加分项) for having something; without its evidence it scores nothing."""

    kind = "bonus_if"
    condition: Expression
    points: Exact
    evidence: str | None = None  # a fact that must be given (true, non-empty) for the bonus to count

    expression_fields = ("condition",)

    def reads(self) -> tuple[str, ...]:
        return super().reads() + ((self.evidence,) if self.evidence else ())

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"if {em.expr(self.condition)}:")
        with em.indent():
            _emit_evidenced(em, self, score, em.const(self.points), "None")

    def describe(self) -> str:
        need = f"（须有佐证：{self.evidence}）" if self.evidence else ""
        return f"{self.label}：加{_fmt(self.points)}分{need}"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        return _w("bonus_if", lang, points=_fmt(self.points)) + (_w("evidence", lang) if self.evidence else "")

    def check(self, facts: Mapping[str, Fact], say: Say) -> None:
        _check_evidence(self.evidence, facts, self.path, say)


@attrs.frozen(kw_only=True)
class BonusEach(Trigger):
    """A bonus item per occurrence; without its evidence it scores nothing."""

    kind = "bonus_each"
    per: Expression
    points: Exact
    evidence: str | None = None

    expression_fields = ("per",)

    def reads(self) -> tuple[str, ...]:
        return super().reads() + ((self.evidence,) if self.evidence else ())

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"c = {em.expr(self.per)}")
        em.line("if c:")
        with em.indent():
            em.line(f"if c < 0: _negative_count({self.index}, c)")
            _emit_evidenced(em, self, score, f"c * {em.const(self.points)}", "c")

    def describe(self) -> str:
        need = f"（须有佐证：{self.evidence}）" if self.evidence else ""
        return f"{self.label}：每次加{_fmt(self.points)}分（次数 = {self.per.text}）{need}"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        return _w("bonus_each", lang, points=_fmt(self.points)) + (_w("evidence", lang) if self.evidence else "")

    def check(self, facts: Mapping[str, Fact], say: Say) -> None:
        _check_evidence(self.evidence, facts, self.path, say)


def _check_evidence(name: str | None, facts: Mapping[str, Fact], path: Path, say: Say) -> None:
    if name is not None and (name not in facts or facts[name].period is not None):
        say("spec.evidence_fact", path + ("evidence",), evidence=name)


def _same_labels(fact: Fact, table: Mapping[str, Exact], path: Path, say: Say) -> None:
    declared = list(fact.values or ())
    for label in table:
        if label not in declared:
            say("spec.table_value", path + (label,), value=label, name=fact.name, fact_label=fact.label,
                values=declared)
    missing = [v for v in declared if v not in table]
    if missing:
        say("spec.table_missing", path, missing=missing, name=fact.name, fact_label=fact.label)


def _emit_evidenced(em: Emitter, trigger: BonusIf | BonusEach, score: str, points: str, count: str) -> None:
    if trigger.evidence:
        em.line(f"if not ns[{trigger.evidence!r}]:")
        with em.indent():
            em.record(trigger.index, count, em.const(Decimal(0)), "'no_evidence'")
        em.line("else:")
        with em.indent():
            em.line(f"{score} += {points}")
            em.record(trigger.index, count, points)
    else:
        em.line(f"{score} += {points}")
        em.record(trigger.index, count, points)


@attrs.frozen(kw_only=True)
class Veto(Trigger):
    """一票否决: when the condition holds the outcome is fixed — a grade, a score, or both."""

    kind = "veto"
    phase = "veto"
    condition: Expression
    grade: str | None = None  # the grade id it forces (default: the lowest)
    score: Exact | None = None  # the score it fixes, if any
    at_most: Exact | None = None  # or the score it caps
    part: bool = False  # on an indicator (分项一票否决): it fixes that part's score, not the outcome

    expression_fields = ("condition",)

    def emit(self, em: Emitter, score: str) -> None:  # the driver applies the outcome
        em.record(self.index, "None", "None")

    def describe(self) -> str:
        outcome = []
        if self.score is not None or (self.part and self.at_most is None):
            outcome.append(f"{'本项' if self.part else ''}得分计为{_fmt(self.score if self.score is not None else Decimal(0))}")
        if self.at_most is not None:
            outcome.append(f"{'本项' if self.part else ''}得分最高计{_fmt(self.at_most)}")
        if not self.part:
            outcome.append(f"等次定为{self.grade}" if self.grade else "定为最低等次")
        return f"{self.label}：一票否决，{'，'.join(outcome)}（条件 {self.condition.text}）"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        part = _w("this_part", lang) if self.part else ""
        outcome = []
        if self.score is not None or (self.part and self.at_most is None):
            outcome.append(_w("veto_score", lang, part=part,
                              points=_fmt(self.score if self.score is not None else Decimal(0))))
        if self.at_most is not None:
            outcome.append(_w("veto_at_most", lang, part=part, points=_fmt(self.at_most)))
        if not self.part:
            outcome.append(_w("veto_grade", lang, grade=(grades or {}).get(self.grade, self.grade))
                           if self.grade else _w("veto_lowest", lang))
        return _w("veto", lang, outcome=_w("range_join", lang).join(outcome))


@attrs.frozen(kw_only=True)
class Consequence(Trigger):
    """A consequence that is not points (不予公开, 追责): recorded in the result when its condition holds."""

    kind = "consequence"
    phase = "veto"
    condition: Expression
    text: str

    expression_fields = ("condition",)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"if {em.expr(self.condition)}:")
        with em.indent():
            em.record(self.index, "None", "None")

    def describe(self) -> str:
        return f"{self.label}：{self.text}（条件 {self.condition.text}）"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        return _w("consequence", lang, text=self.text)


@attrs.frozen(kw_only=True)
class Multiplier(Trigger):
    """A factor the part's score is multiplied by (考核系数, 折算), from the unit's facts and parameters.

    The driver applies it last, to the part's score as bounded by its floor and points, and bounds
    the product again (so a factor above 1 never takes a part past its points); the trace records
    the factor as the count and the change it made as the points.
    """

    kind = "multiplier"
    phase = "multiplier"
    factor: Expression

    expression_fields = ("factor",)

    def emit(self, em: Emitter, score: str) -> None:
        em.line(f"m = _to_decimal({em.expr(self.factor)})")
        em.line(f"if m < 0: _bad_factor({self.index}, m)")
        em.line(f"p = {score} * m - {score}")
        em.line(f"{score} += p")
        em.record(self.index, "m", "p")

    def describe(self) -> str:
        return f"{self.label}：本项得分 × {self.factor.text}"

    def standard(self, lang: str = "zh", *, floored: bool = True, grades: Mapping[str, str] | None = None) -> str:
        return _w("multiplier", lang)


@attrs.frozen
class Kind:
    """How one trigger kind is written in YAML: under which key, picked by which field."""

    name: str
    key: str
    selector: str | None
    cls: type[Trigger]
    fields: Mapping[str, tuple[str, str]]  # yaml field -> (class field, how it is read: see _read)
    many: bool = True


KINDS: tuple[Kind, ...] = (
    Kind("deduct_each", "deduct", "per", DeductEach,
         {"per": ("per", "expr:number"), "points": ("points", "points"), "max": ("maximum", "points?"),
          "beyond": ("beyond", "points?"), "then": ("then", "points?")}),
    Kind("deduct_records", "deduct", "records", DeductRecords,
         {"records": ("records", "name"), "severity": ("severity", "name"), "points": ("by_severity", "table"),
          "max": ("maximum", "points?")}),
    Kind("deduct_discretionary", "deduct", "discretion", DeductDiscretionary,
         {"discretion": ("amount", "name"), "max": ("maximum", "points")}),
    Kind("deduct_if", "deduct", "if", DeductIf,
         {"if": ("condition", "expr:bool"), "points": ("points", "points")}),
    Kind("award_if", "award", "if", AwardIf,
         {"if": ("condition", "expr:bool"), "points": ("points", "points")}),
    Kind("award_each", "award", "per", AwardEach,
         {"per": ("per", "expr:number"), "points": ("points", "points"), "max": ("maximum", "points?")}),
    Kind("award_discretionary", "award", "discretion", AwardDiscretionary,
         {"discretion": ("amount", "name"), "max": ("maximum", "points")}),
    Kind("zero_if", "zero", "if", ZeroIf, {"if": ("condition", "expr:bool")}),
    Kind("score", "score", "expr", ScoreExpression, {"expr": ("expr", "expr:number")}, many=False),
    Kind("rating", "rating", "of", Rating, {"of": ("rating", "name"), "points": ("scale", "table")}, many=False),
    Kind("bonus_if", "bonus", "if", BonusIf,
         {"if": ("condition", "expr:bool"), "points": ("points", "points"), "evidence": ("evidence", "name?")}),
    Kind("bonus_each", "bonus", "per", BonusEach,
         {"per": ("per", "expr:number"), "points": ("points", "points"), "evidence": ("evidence", "name?")}),
    Kind("consequence", "consequence", "if", Consequence,
         {"if": ("condition", "expr:bool"), "text": ("text", "name")}),
    Kind("veto", "veto", "if", Veto,
         {"if": ("condition", "expr:bool"), "grade": ("grade", "name?"), "score": ("score", "points?"),
          "at_most": ("at_most", "points?")}),
    Kind("multiplier", "multiplier", "factor", Multiplier, {"factor": ("factor", "expr:number")}, many=False),
)
"""The registry of trigger kinds, in the order their keys are read on a node."""

TRIGGER_KEYS: tuple[str, ...] = tuple(dict.fromkeys(k.key for k in KINDS))


def _read(ctx: BuildContext, how: str, raw: Any, path: Path, each: str | None) -> Any:
    """Read one field of a trigger: an expression, points, a name, a table of points, or a flag."""
    if how.startswith("expr:"):
        return ctx.expression(raw, path, how[5:], each)
    if how == "points":
        return ctx.points(raw, path)
    if how == "name":
        if not isinstance(raw, str) or not raw:
            ctx.say("spec.name_expected", path, key=str(path[-1]))
            return None
        return raw
    if how == "table":
        if not isinstance(raw, Mapping) or not raw:
            ctx.say("spec.table_expected", path, key=str(path[-1]))
            return None
        table = {str(k): ctx.points(v, path + (k,)) for k, v in raw.items()}
        return None if any(v is None for v in table.values()) else table
    if how == "flag":
        return bool(raw)
    raise ValueError(how)  # pragma: no cover - the registry names only the kinds above


def build_trigger(entry: Mapping[str, Any], key: str, path: Path, ctx: BuildContext) -> Trigger | None:
    """Build the trigger written as ``entry`` under ``key``; record problems in ``ctx``."""
    candidates = [k for k in KINDS if k.key == key]
    chosen = [k for k in candidates if k.selector is None or k.selector in entry]
    if len(chosen) > 1 and key == "deduct" and "per" in entry and "if" not in entry:
        chosen = [k for k in chosen if k.selector == "per"]
    if len(chosen) != 1:
        ctx.say("spec.trigger_ambiguous" if chosen else "spec.trigger_kind_missing", path, key=key,
                selectors=[f"`{k.selector}`" for k in candidates])
        return None
    kind = chosen[0]
    values: dict[str, Any] = {}
    ok = True
    each = entry.get("each")
    if each is not None and not kind.cls.periodic:
        ctx.say("spec.each_not_periodic", path + ("each",), key=key)
        return None
    if each is not None:
        values["each"] = each
    for field, (attr, how) in kind.fields.items():
        raw = entry.get(field)
        if how.endswith("?") and raw is None:
            continue
        value = _read(ctx, how.rstrip("?"), raw, path + (field,), each)
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
    "AwardDiscretionary",
    "AwardEach",
    "AwardIf",
    "BonusEach",
    "BonusIf",
    "BuildContext",
    "Consequence",
    "DeductDiscretionary",
    "DeductEach",
    "DeductIf",
    "DeductRecords",
    "Kind",
    "Multiplier",
    "Rating",
    "Say",
    "ScoreExpression",
    "Trigger",
    "Veto",
    "ZeroIf",
    "build_trigger",
]

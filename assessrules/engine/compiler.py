"""Compile a loaded spec into one Python function that scores a unit.

The driver here is small and generic: it walks the indicator tree,
children before parents, and for each node asks the node's triggers to
emit their own lines (:meth:`~assessrules.rules.kinds.Trigger.emit`). The
source it builds contains only fixed text from this module and from the
trigger kinds, slot numbers, ``ns['<declared fact>']`` lookups and names
of allow-listed helpers; every literal of the spec is bound as a constant
in the function's globals, and ``__builtins__`` is empty.

The function returns raw data only (scores by node index and the trace of
fired triggers); :mod:`assessrules.engine.results` turns it into results and
:mod:`assessrules.outputs.explain` renders them. The engine never renders.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .. import periods as periods_
from ..errors import EvaluationError
from ..messages import problem
from ..numbers import Exact, RoundingMode, canonical, format_points, round_exact
from ..rules.derive import Count, Sum, _total
from ..rules.expressions import SCORE_PREFIX, UNIT_NAMES, Expression, _to_decimal, helpers
from ..rules.facts import UNIT_KEYS, Fact, FactValueError
from ..rules.kinds import Multiplier, Trigger
from ..rules.model import Bonus, Indicator
from ..workdays import working_days
from .types import Program

_MISSING = object()

if TYPE_CHECKING:
    from ..rules.ruleset import Rules

class Emitter:
    """Collects source lines and the constants they refer to."""

    def __init__(self, spec: Rules, trace: bool = True, exact: bool | None = None) -> None:
        self.spec = spec
        self.trace = trace
        self.lines: list[str] = []
        self.level = 1
        self.constants: dict[str, Any] = {}
        self._slots: dict[tuple[str, str], str] = {}
        self.period: str | None = None  # inside each_period: the kind of period
        # A spec that declares `rounding:` is scored over Fractions, every quotient exact; the others
        # cannot produce a non-terminating value (the loader checked), so Decimal is exact for them.
        # The fact checks are never exact: what they give is the unit's record, its numbers the Decimals
        # of the text (a default too), which exact code reads through exact_facts().
        self.exact = spec.rounding is not None if exact is None else exact

    def line(self, text: str) -> None:
        """Add one line at the current indentation."""
        self.lines.append("    " * self.level + text)

    def record(self, index: int, count: str, points: str, periods: str = "None") -> None:
        """Record in the trace that trigger ``index`` fired (count, points and periods, as Python)."""
        if self.trace and count == periods == "None" and (points == "None" or points in self.constants):
            # a fixed entry (a flat award or deduction): one shared tuple, not a new one per unit
            self.line(f"t.append({self.const((index, None, self.constants.get(points), None))})")
        elif self.trace:
            self.line(f"t.append(({index}, {count}, {points}, {periods}))")
        else:
            self.line("pass")  # keeps a block that holds only the record well-formed

    @contextlib.contextmanager
    def collect(self, loop: str) -> Iterator[None]:
        """Open ``loop`` with fresh accumulators: ``pc`` (count), ``pp`` (points), ``pd`` (detail)."""
        self.line("pc = 0")
        self.line(f"pp = {self.const(Decimal(0))}")
        self.line("pd = []")
        self.line(loop)
        with self.indent():
            yield

    @contextlib.contextmanager
    def each_period(self, kind: str) -> Iterator[None]:
        """Loop over the unit's periods of ``kind``: inside, per-period facts read that period's values."""
        saved = self.period
        self.period = kind
        with self.collect(f"for lab, pv in ns[{'@' + kind!r}]:"):
            yield
        self.period = saved

    def period_entry(self, count: str, points: str) -> str:
        """Python for a period's detail ``(lab, count, points)``: shared tuples, by label, when count and points are fixed."""
        if count != "None" or points not in self.constants or self.period is None or self.spec.year is None:
            return f"(lab, {count}, {points})"
        value = self.constants[points]
        labels = periods_.in_scope(self.period, self.spec.year, dt.date(self.spec.year, 12, 31))
        table = self.const({p.label: (p.label, None, value) for p in labels})
        return f"({table}.get(lab) or (lab, None, {points}))"

    def deduct_collected(self, index: int, score: str, maximum: Exact | None, count: str = "pc") -> None:
        """After a :meth:`collect` loop: take the points collected (at most ``maximum``) and record them."""
        self.line("if pd:")
        with self.indent():
            if maximum is not None:
                self.line(f"if pp > {self.const(maximum)}: pp = {self.const(maximum)}")
            self.line(f"{score} -= pp")
            self.record(index, count, "-pp", "tuple(pd)")

    @contextlib.contextmanager
    def indent(self) -> Iterator[None]:
        """Indent the lines added inside the block."""
        self.level += 1
        try:
            yield
        finally:
            self.level -= 1

    def const(self, value: Any) -> str:
        """Bind ``value`` as a global constant (as a Fraction in an exact scorer) and return its name."""
        value = _fraction_value(value) if self.exact else _decimal_value(value)
        key = (type(value).__name__, repr(sorted(value) if isinstance(value, frozenset) else value))
        name = self._slots.get(key)
        if name is None:
            name = f"_k{len(self._slots)}"
            self._slots[key] = name
            self.constants[name] = value
        return name

    def name(self, name: str) -> str:
        """Python for a name an expression reads: a parameter is a constant, a fact a lookup, a score a variable."""
        if name.startswith(SCORE_PREFIX):  # a left-out indicator reads as its full points
            node = self.spec.indicator(name[len(SCORE_PREFIX):])
            return f"(f{node.index} if f{node.index} is not None else {self.points(node)})"
        parameter = self.spec.parameters.get(name)
        if parameter is not None:
            return self.const(parameter.value)
        if not name.isidentifier():  # pragma: no cover - the checker admits only identifiers
            raise ValueError(name)
        fact = self.spec.facts.get(name)
        if fact is None and name in UNIT_NAMES and not any(d.name == name for d in self.spec.derived):
            return "ut" if name == "unit_type" else "uid"  # the scorer's own arguments: the unit's type and id
        if self.period is not None and fact is not None and fact.period == self.period:
            return f"pv[{name!r}]"
        return f"ns[{name!r}]"

    def points(self, node: Indicator, literal: bool = False) -> str:
        """Python for what ``node`` is worth to this unit: its points, or its ``unit_points`` read for the unit."""
        if node.unit_points is not None:
            return f"P{node.index}"
        return self._literal(node.points) if literal else self.const(node.points)

    def expr(self, expression: Expression) -> str:
        """Python for a checked expression."""
        return expression.to_python(self.name, self._literal)

    def _literal(self, value: Any) -> str:
        # A whole literal is an int in an exact scorer: facts that are whole are ints too, and int
        # compares fast; an expression divides only through its exact helper, never int / int.
        return self.const(value.numerator if self.exact and type(value) is Fraction and value.denominator == 1
                          else int(value) if self.exact and type(value) is Decimal and value == value.to_integral_value()
                          else value)


def _exact_number(value: Decimal) -> int | Fraction:
    """A Decimal as an int when it is whole (ints mix with Fractions and compare fast), else a Fraction."""
    numerator, denominator = value.as_integer_ratio()  # reduced already
    return numerator if denominator == 1 else Fraction(numerator, denominator)


def _fraction_value(value: Any) -> Any:
    """A constant of an exact scorer: every Decimal in it a Fraction, so that the scorer's own divisions stay exact."""
    kind = type(value)
    if kind is Decimal:
        return Fraction(value)
    if kind is dict:
        return {k: _fraction_value(v) for k, v in value.items()}
    if kind is tuple:
        return tuple(_fraction_value(v) for v in value)
    return value


def exact_facts(ns: Mapping[str, Any], number: Callable[[Decimal], int | Fraction] = _exact_number,
                records: bool = False) -> dict[str, Any]:
    """A unit's facts as the exact code of a spec with ``rounding:`` reads them: every Decimal of the record
    made exact by ``number``, so that exact code never meets a Decimal (Decimal and Fraction do not mix).

    This is the one place where the record's numbers (Decimals, from the text) enter exact arithmetic; what
    leaves it for the record again is a Decimal (:meth:`~assessrules.rules.derive.Derived.stored`, the
    scorer's ``publish``). The scorer reads annual and per-period numbers (whole ones as ints, which compare
    fast; it reads no record's number), the derived values read the records' too (``records=True``, every
    Decimal a Fraction, so that a value that was a Decimal comes back one).
    """
    out: dict[str, Any] = {}
    for key, value in ns.items():
        kind = type(value)
        if kind is Decimal:
            out[key] = number(value)
        elif key[0] == "@":  # [(period label, that period's facts)]
            out[key] = [(label, {k: number(v) if type(v) is Decimal else v for k, v in facts.items()})
                        for label, facts in value]
        elif records and kind is tuple and value and type(value[0]) is dict:  # a records fact
            out[key] = tuple({k: number(v) if type(v) is Decimal else v for k, v in rec.items()} for rec in value)
        else:
            out[key] = value
    return out


def _exact_fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def derive_input(spec: Rules, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The namespace the derived values of ``spec`` read: a copy of the unit's checked ``facts``, exact for a
    spec with ``rounding:`` (see :func:`exact_facts`)."""
    return exact_facts(facts, _exact_fraction, records=True) if spec.rounding is not None else dict(facts)


def derive_reads(value: Any) -> Any:
    """A derived value as the record keeps it, made exact again for the later derived values of an exact spec."""
    return Fraction(value) if type(value) is Decimal else value


def _decimal_value(value: Any) -> Any:
    """A Fraction as the Decimal quotient (only a derived value, computed in Decimal, can meet one)."""
    return Decimal(value.numerator) / Decimal(value.denominator) if type(value) is Fraction else value


def publisher(places: int, mode: str) -> Callable[[Any], Any]:
    """The function that turns one exact number of a scorer's output into a Decimal rounded as the spec declares."""

    @functools.lru_cache(maxsize=4096)  # the same few point values come back unit after unit
    def rounded(value: Fraction) -> Decimal:
        return canonical(round_exact(value, places, mode))  # type: ignore[arg-type]

    def publish(value: Any) -> Any:
        kind = type(value)
        if kind is int:
            return Decimal(value)
        if kind is Fraction:
            return Decimal(value.numerator) if value.denominator == 1 else rounded(value)
        return value  # None: an indicator left out

    return publish


def _publish_trace(trace: Any, publish: Callable[[Any], Any]) -> Any:
    """The trace with the points of every entry (and of every period or record it lists) published."""
    if trace is None:
        return None
    out = []
    for index, count, points, detail in trace:
        hits = detail  # (period, count, points) or (record number, severity, points), or a marker
        if type(detail) is tuple:
            hits = tuple((d[0], publish(d[1]) if type(d[1]) is Fraction else d[1], publish(d[2])) for d in detail)
        out.append((index, publish(count) if type(count) is Fraction else count, publish(points), hits))
    return out


def _applies(em: Emitter, node: Indicator) -> str:
    """Python for the condition under which ``node`` applies to the unit."""
    parts = []
    if node.unit_types is not None:
        parts.append(f"ut in {em.const(node.unit_types)}")
    if node.units is not None:
        parts.append(f"uid in {em.const(node.units)}")
    if node.applies_if is not None:
        parts.append(f"({em.expr(node.applies_if)})")
    return " and ".join(parts)


def _emit_node(em: Emitter, node: Indicator, weighted_parent: bool = False) -> None:
    if not node.limited:
        _emit_applicable(em, node)
        return
    em.line(f"if {_applies(em, node)}:")
    with em.indent():
        _emit_applicable(em, node)
    em.line("else:")
    with em.indent():
        em.line(f"na.append({node.index})")
        # else the parent leaves it out: no score at all (a weighted parent always does, and renormalises)
        full = em.spec.not_applicable == "full_marks" and not weighted_parent
        for n in node.walk():
            em.line(f"r{n.index} = f{n.index} = {em.points(n) if full else 'None'}")


def _emit_applicable(em: Emitter, node: Indicator) -> None:
    weighted = any(c.weighted for c in node.children)
    for child in node.children:
        _emit_node(em, child, weighted)
    zeros = [t for t in node.triggers if t.phase == "zero"]
    for i, trigger in enumerate(zeros):
        em.line(f"{'if' if i == 0 else 'elif'} {trigger.guard(em)}:")  # type: ignore[attr-defined]
        with em.indent():
            trigger.emit(em, "r")
    if zeros:
        em.line("else:")
        with em.indent():
            _emit_score(em, node)
    else:
        _emit_score(em, node)
    em.line(f"r{node.index} = r")
    if node.floor is not None:
        em.line(f"if r < {em._literal(node.floor)}: r = {em._literal(node.floor)}")
        em.line(f"elif r > {em.points(node, True)}: r = {em.points(node, True)}")
    else:
        em.line(f"if r > {em.points(node, True)}: r = {em.points(node, True)}")
    _emit_part_vetoes(em, node)
    rounding = em.spec.rounding.for_indicators if em.spec.rounding is not None else None
    if rounding is not None:
        em.line(f"r = _round(r, {rounding.places}, {rounding.mode!r})")
    em.line(f"f{node.index} = r")


def _emit_part_vetoes(em: Emitter, node: Indicator) -> None:
    """A part's own vetoes (分项一票否决), after its rules and bounds: the first that holds fixes its score
    (0 unless said) or caps it."""
    vetoes = [t for t in node.triggers if t.kind == "veto"]
    for i, veto in enumerate(vetoes):
        em.line(f"{'if' if i == 0 else 'elif'} {em.expr(veto.condition)}:")  # type: ignore[attr-defined]
        with em.indent():
            veto.emit(em, "r")
            fixed, cap = veto.score, veto.at_most  # type: ignore[attr-defined]
            if fixed is not None or cap is None:
                em.line(f"r = {em.const(fixed if fixed is not None else Decimal(0))}")
            if cap is not None:
                em.line(f"if r > {em.const(cap)}: r = {em.const(cap)}")


def _emit_children_sum(em: Emitter, node: Indicator) -> None:
    """The base of a parent: the sum of its children, weighted, with children that do not apply handled."""
    kids = node.children
    weighted = any(c.weighted for c in kids)
    cap = em.points(node)

    def weight(c: Indicator) -> str:
        return em.const(c.weight) if c.weight_expr is None else f"w{c.index}"

    if any(c.weight_expr is not None for c in kids):  # shares per unit: read, then checked for this unit
        for c in kids:
            if c.weight_expr is not None:
                em.line(f"w{c.index} = _to_decimal({em.expr(c.weight_expr)})")
        shares = ", ".join(weight(c) for c in kids)
        em.line(f"if sum(({shares},)) != 1 or min(({shares},)) < 0: _bad_weights({node.index}, ({shares},))")

    def part(c: Indicator) -> str:
        if weighted and node.raw_weights:  # its weight × its own score (70% × 95 + 30% × 110)
            return f"{weight(c)} * f{c.index}"
        if weighted:  # its weight × its share of its own points × the parent's points
            return f"{weight(c)} * f{c.index} * {cap} / {em.points(c)}"
        return f"f{c.index}"

    if (em.spec.not_applicable == "full_marks" and not weighted) or not any(c.limited for c in kids):
        em.line("r = " + " + ".join(part(c) for c in kids))
        return
    zero = em.const(Decimal(0))
    em.line(f"ap = {zero}")  # the points (or weights) of the children that apply
    em.line(f"sc = {zero}")
    for c in kids:
        share = weight(c) if weighted else em.points(c)
        if c.limited:
            em.line(f"if f{c.index} is not None:")
            with em.indent():
                em.line(f"ap += {share}")
                em.line(f"sc += {part(c)}")
        else:
            em.line(f"ap += {share}")
            em.line(f"sc += {part(c)}")
    if weighted:
        whole = em.const(Decimal(1))
    elif node.unit_points is not None:  # what the parent is worth to this unit: its children rescale to that
        whole = em.points(node)
    elif any(c.unit_points is not None for c in kids):  # what the children are worth to this unit
        whole = "(" + " + ".join(em.points(c) for c in kids) + ")"
    else:
        whole = em.const(sum((c.points for c in kids), Decimal(0)))
    if em.spec.not_applicable == "rescale" or weighted:
        em.line(f"r = sc * {whole} / ap if ap else {cap}")
        return
    # spread: each child that applies takes an equal share of the points of those that do not
    em.line("n = " + " + ".join(f"(f{c.index} is not None)" for c in kids))
    em.line(f"miss = {whole} - ap")
    em.line(f"r = {zero}")
    for c in kids:
        guard = f"if f{c.index} is not None: " if c.limited else ""
        em.line(f"{guard}r += f{c.index} * ({em.points(c)} + miss / n) / {em.points(c)}")
    em.line(f"if not n: r = {cap}")


def _emit_score(em: Emitter, node: Indicator) -> None:
    base = [t for t in node.triggers if t.phase == "base"]
    items = {t.index for t in node.bonus.items} if node.bonus is not None else set()
    adjust = [t for t in node.triggers if t.phase == "adjust" and t.index not in items]
    if base:
        base[0].emit(em, "r")
    elif node.children:
        _emit_children_sum(em, node)
    elif any(t.kind.startswith("award") for t in adjust):
        em.line(f"r = {em.const(Decimal(0))}")
    else:
        em.line(f"r = {em.points(node)}")
    if node.depth == 0:
        em.line("tb = r")  # the table's total, before the triggers on the total
    for trigger in adjust:
        trigger.emit(em, "r")
    if node.bonus is not None:
        _emit_part_bonus(em, node, node.bonus)
    for multiplier in (t for t in node.triggers if t.phase == "multiplier"):
        _emit_multiplier(em, node, multiplier)


def _emit_multiplier(em: Emitter, node: Indicator, multiplier: Trigger) -> None:
    """A part's factor (考核系数): its score, within its floor and points, times the factor read for the unit.
    The product is bounded again after, like any score, so the account shows a cap or floor it meets.
    A factor is never negative, so under a floor of 0 the product of the unbounded score floors alike:
    it is left unbounded there, and the account shows 扣完为止 as usual."""
    if node.floor is not None and node.floor != 0:
        em.line(f"if r < {em._literal(node.floor)}: r = {em._literal(node.floor)}")
    em.line(f"if r > {em.points(node, True)}: r = {em.points(node, True)}")
    multiplier.emit(em, "r")


def _emit_part_bonus(em: Emitter, node: Indicator, bonus: Bonus) -> None:
    """A part's own bonus (本项加分), after its rules: counted only when the part's score, within its points,
    passes the gate; its items add up to the cap; the part's points still bound the result."""
    em.line("pb = " + em.const(Decimal(0)))
    if bonus.gate is not None:
        em.line(f"gv = r if r < {em.points(node, True)} else {em.points(node, True)}")
        em.line(f"if gv {'>' if bonus.strict else '>='} {em.const(bonus.gate)}:")
    else:
        em.line("if True:")
    with em.indent():
        for item in bonus.items:
            item.emit(em, "pb")
        if bonus.cap is not None:
            em.line(f"if pb > {em.const(bonus.cap)}: pb = {em.const(bonus.cap)}")
        em.line("r = r + pb")


def _emit_outcome(em: Emitter, spec: Rules) -> None:
    """From the table's total to the graded score: bonus, conversion, veto; then the grade."""
    zero = em.const(Decimal(0))
    em.line("s = f0")
    em.line(f"b = br = {zero}")
    em.line("gated = False")
    if spec.bonus is not None:
        for item in spec.bonus.items:
            item.emit(em, "b")
        em.line("br = b")
        if spec.bonus.cap is not None:
            em.line(f"if b > {em.const(spec.bonus.cap)}: b = {em.const(spec.bonus.cap)}")
        if spec.bonus.gate is not None:
            below = "<=" if spec.bonus.strict else "<"  # 高于80: 80 itself does not pass
            em.line(f"if b and f0 {below} {em.const(spec.bonus.gate)}: b = {zero}; gated = True")
        em.line("s = s + b")
    if spec.conversion is not None:
        if spec.conversion.places is None:
            em.line(f"s = s * {em.const(spec.conversion.to)} / {em.const(spec.metadata.scale)}")
        else:  # rounded from the exact product, whatever the scorer computes with
            convert = _converter(Fraction(spec.conversion.to) / Fraction(spec.metadata.scale), spec.conversion.places,
                                 em.exact)
            em.line(f"s = {em.const(convert)}(s)")
    if spec.rounding is not None and spec.rounding.at != "published":
        em.line(f"s = _round(s, {spec.rounding.places}, {spec.rounding.mode!r})")
    em.line("v = -1")
    for i, veto in enumerate(spec.vetoes):
        em.line(f"{'if' if i == 0 else 'elif'} {em.expr(veto.condition)}:")  # type: ignore[attr-defined]
        with em.indent():
            em.line(f"v = {i}")
            veto.emit(em, "s")
            if veto.score is not None:  # type: ignore[attr-defined]
                em.line(f"s = {em.const(veto.score)}")  # type: ignore[attr-defined]
            if veto.at_most is not None:  # type: ignore[attr-defined]
                em.line(f"if s > {em.const(veto.at_most)}: s = {em.const(veto.at_most)}")  # type: ignore[attr-defined]
    grades = spec.grades
    if spec.grade_by is not None:  # the assessor's verdict gives the grade (好 → 优秀), whatever the score
        verdicts = {v: i for i, grade in enumerate(grades) for v in grade.verdicts}
        em.line(f"g = {em.const(verdicts)}[{em.name(spec.grade_by)}]")
    for i, grade in enumerate(grades if spec.grade_by is None else ()):
        if grade.at_least is None:
            em.line("else:" if i else "if True:")
        elif spec.grade_on == "percentage":  # 得分率: s × 100 against the threshold × the unit's total, no division
            to, scale = (spec.conversion.to, spec.metadata.scale) if spec.conversion else (Decimal(1), Decimal(1))
            em.line(f"{'if' if i == 0 else 'elif'} s * {em.const(100 * scale)} {'>' if grade.above else '>='} "
                    f"{em.const(grade.at_least * to)} * {em.points(spec.root)}:")
        else:
            em.line(f"{'if' if i == 0 else 'elif'} s {'>' if grade.above else '>='} {em.const(grade.at_least)}:")
        with em.indent():
            em.line(f"g = {i}")
    if grades[-1].at_least is not None and spec.grade_by is None:
        em.line("else:")
        with em.indent():
            em.line(f"g = {len(grades) - 1}")
    if spec.vetoes:
        forced = tuple(spec.grade_index(v.grade) for v in spec.vetoes)  # type: ignore[attr-defined]
        em.line(f"if v >= 0: g = {em.const(forced)}[v]")
    em.line(f"gd = target * {em.const(tuple(g.deduct for g in grades))}[g]")
    for consequence in spec.consequences:
        consequence.emit(em, "s")


def _converter(ratio: Fraction, places: int, exact: bool) -> Callable[[Any], Any]:
    """``s × to ÷ scale`` rounded half up to ``places``, from the exact product."""
    if exact:
        return lambda s: Fraction(round_exact(Fraction(s) * ratio, places))
    return lambda s: round_exact(Fraction(s) * ratio, places)


def _emit_unit_points(em: Emitter, spec: Rules) -> None:
    """Read what each indicator with ``unit_points:`` is worth to this unit, and check the budget for it."""
    for node in spec.nodes:
        if node.unit_points is not None:
            em.line(f"P{node.index} = _to_decimal({em.expr(node.unit_points)})")
            em.line(f"if not 0 <= P{node.index} <= {em.const(node.points)}: _bad_points({node.index}, P{node.index})")
    for node in spec.nodes:
        kids = node.children
        if node.children_add_up and kids and not any(c.weighted for c in kids) \
                and any(c.unit_points is not None for c in kids):
            worth = ", ".join(em.points(c) for c in kids)
            em.line(f"if sum(({worth},)) != {em.points(node)}: _bad_points({node.index}, ({worth},), {em.points(node)})")


def _emit_target(em: Emitter, spec: Rules) -> None:
    em.line("r = target - gd")
    for trigger in spec.direct_deductions:
        trigger.emit(em, "r")
    em.line("rr = r")
    if spec.limit_to_target:
        em.line(f"if r < {em.const(Decimal(0))}: r = {em.const(Decimal(0))}")


def compile_expression(spec: Rules, expression: Expression, each: str | None = None,
                       record: bool = False) -> Callable[..., Any]:
    """Compile one checked expression to ``fn(ns, pv, rec)``: annual, one period's and one record's values."""
    em = Emitter(spec)
    em.period = each
    fields: set[str] = set()
    if record:
        for fact in spec.facts.values():
            fields.update((fact.fields or {}) if fact.type == "records" else ())

    def name(n: str) -> str:
        return f"rec[{n!r}]" if n in fields else em.name(n)

    source = f"def _fn(ns, pv, rec):\n    return {expression.to_python(name, em.const)}\n"
    namespace: dict[str, Any] = {"__builtins__": {}, **helpers(em.exact), **em.constants}
    exec(compile(source, f"<assessrules expression {expression.text[:40]!r}>", "exec"), namespace)
    fn: Callable[..., Any] = namespace["_fn"]
    return fn


def generate_deriver(spec: Rules, expressions: Sequence[Any] | None = None) -> tuple[str, dict[str, Any]]:
    """Return the source of the function that adds a unit's derived values to its facts, with their evidence.

    ``expressions`` gives each derived value's expression compiled already (:func:`compile_expression`,
    in the order of ``spec.derived``), for the kinds that call their own ``compute``; by default they are
    compiled here.

    ``_derive(fa)`` returns ``(facts, evidence)``: a copy of the checked facts ``fa`` with every derived
    value added in the order declared, and each value's evidence by name, as
    :meth:`~assessrules.rules.derive.Derived.compute` gives them. Counts and sums over records or periods
    are written out as loops; the other kinds call their own ``compute``. It raises whatever the
    expressions raise: the spec then computes again the reference way, which locates the failure.
    """
    em = Emitter(spec)
    fields: set[str] = set()
    for fact in spec.facts.values():
        fields.update((fact.fields or {}) if fact.type == "records" else ())
    # ns: what the expressions read (exact facts in an exact spec); out: the record's facts, each derived
    # value as stored() keeps it. Without rounding they are one dict: nothing is exact but a Decimal.
    em.constants["_in"] = functools.partial(derive_input, spec)
    em.constants["_rd"] = derive_reads
    em.line("ns = _in(fa)")
    em.line("out = dict(fa)" if em.exact else "out = ns")
    em.line("ev = {}")

    def store(k: int, key: str, value: str, evidence: str) -> None:
        derived = spec.derived[k]
        em.constants[f"_ds{k}"] = derived.stored
        em.constants[f"_dv{k}"] = derived.stored_evidence
        em.line(f"out[{key}] = _ds{k}({value})")
        em.line(f"ev[{key}] = _dv{k}({evidence})")
        if em.exact:
            em.line(f"ns[{key}] = _rd(out[{key}])")

    for k, derived in enumerate(spec.derived):
        key = repr(derived.name)
        if type(derived) not in (Count, Sum):  # exactly these two: another kind computes its own way
            em.constants[f"_dc{k}"] = derived.compute
            em.constants[f"_de{k}"] = (expressions[k] if expressions is not None else
                                       compile_expression(spec, derived.expression, derived.each, derived.of is not None))
            em.line(f"v, h = _dc{k}(_de{k}, ns)")
            store(k, key, "v", "h")
            continue
        em.period = derived.each
        record = derived.of is not None

        def name(n: str, record: bool = record) -> str:
            return f"rec[{n!r}]" if record and n in fields else em.name(n)

        value = derived.expression.to_python(name, em.const)
        em.line("h = []")
        if record:
            em.line(f"for lab, rec in enumerate(ns[{derived.of!r}]):")
        else:
            em.line(f"for lab, pv in ns[{'@' + (derived.each or '')!r}]:")
        with em.indent():
            if type(derived) is Count:
                em.line(f"if {value}: h.append((lab, True))")
            else:
                em.line(f"h.append((lab, {value}))")
        em.period = None
        if type(derived) is Count:
            em.line(f"ns[{key}] = len(h)" if not em.exact else f"out[{key}] = ns[{key}] = len(h)")
            em.line(f"ev[{key}] = tuple(h)")
        elif em.exact:
            store(k, key, "_total([v for _, v in h]) if h else _D0", "tuple(h)")
        else:  # no Fraction: the sum is the record's value
            em.line(f"ns[{key}] = _total([v for _, v in h]) if h else _D0")
            em.line(f"ev[{key}] = tuple(h)")
    em.line("return out, ev")
    return "def _derive(fa):\n" + "\n".join(em.lines) + "\n", em.constants


def _helpers(exact: bool) -> dict[str, Any]:
    """The allow-listed helpers of compiled code; ``working_days`` bound to its implementation (no lazy import per call)."""
    return {**helpers(exact), "_fn_working_days": working_days}


def compile_deriver(spec: Rules, expressions: Sequence[Any] | None = None,
                    ) -> Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, Any]]]:
    """Compile :func:`generate_deriver`: the derived values of a unit's checked facts, with their evidence."""
    source, constants = generate_deriver(spec, expressions)
    namespace: dict[str, Any] = {"__builtins__": {}, "dict": dict, "enumerate": enumerate, "len": len,
                                 "tuple": tuple, "_total": _total, "_D0": Decimal(0),
                                 **_helpers(spec.rounding is not None), **constants}
    exec(compile(source, f"<assessrules derived values of {spec.metadata.id}>", "exec"), namespace)
    deriver: Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, Any]]] = namespace["_derive"]
    return deriver


def generate(spec: Rules, trace: bool = True) -> tuple[str, dict[str, Any]]:
    """Return the Python source of the scorer and the globals it needs; ``trace=False`` records nothing."""
    em = Emitter(spec, trace)
    count = sum(1 for _ in spec.root.walk())
    em.line("t = []" if trace else "t = None")
    em.line("na = []")
    em.line("tb = None")
    _emit_unit_points(em, spec)
    _emit_node(em, spec.root)
    _emit_outcome(em, spec)
    _emit_target(em, spec)
    raws = ", ".join(f"r{i}" for i in range(count))
    finals = ", ".join(f"f{i}" for i in range(count))
    if any(n.unit_points is not None for n in spec.nodes):
        worth = "(" + ", ".join(em.points(n) for n in spec.nodes) + ",)"
    else:  # the same for every unit: one shared tuple
        worth = em.const(tuple(n.points for n in spec.nodes))
    em.line(f"return ({raws},), ({finals},), na, g, gd, rr, r, t, s, (br, b, gated), v, tb, {worth}")
    source = "def _score(ns, ut, target, uid):\n" + "\n".join(em.lines) + "\n"
    return source, em.constants


def _emit_facts(em: Emitter, declared: Mapping[str, Fact], raw: str) -> str:
    """Emit the fast check of the mapping ``raw`` against ``declared``; return the dict display of the result."""
    em.line(f"if type({raw}) is not dict or not {raw}.keys() <= {em.const(frozenset(declared))}: return None")
    em.line(f"g = {raw}.get")
    names = []
    for i, (name, fact) in enumerate(declared.items()):
        var = f"a{i}"
        names.append((name, var))
        em.line(f"v = g({name!r}, _MISSING)")
        em.line("if v is _MISSING:")
        with em.indent():
            em.line("return None" if fact.required else f"{var} = {em.const(fact.default)}")
        if fact.type == "records" and fact.fields is not None:
            em.line(f"else: {var} = {em.const(_compile_records(em.spec, fact))}(v)")
            continue
        em.line(f"elif {fact.kind.fast(fact, em.const)}: {var} = v")
        em.line(f"else: {var} = {em.const(fact.normalize)}(v)")
    return "{" + ", ".join(f"{name!r}: {var}" for name, var in names) + "}"


def _compile_records(spec: Rules, fact: Fact) -> Callable[[Any], tuple[dict[str, Any], ...]]:
    """The fast check of a list of records: the checked records, or :class:`FactValueError` for the full check."""
    em = Emitter(spec, exact=False)  # a fact check: the record keeps the Decimals of the text
    fields = fact.fields or {}
    em.line("if type(items) is not list and type(items) is not tuple: raise FactValueError('')")
    em.line("out = []")
    em.line("for rec in items:")
    with em.indent():
        em.line(f"if type(rec) is not dict or not rec.keys() <= {em.const(frozenset(fields))}: raise FactValueError('')")
        em.line("g = rec.get")
        names = []
        for i, (name, field) in enumerate(fields.items()):
            var = f"b{i}"
            names.append((name, var))
            em.line(f"v = g({name!r}, _MISSING)")
            em.line("if v is _MISSING:")
            with em.indent():
                em.line("raise FactValueError('')" if field.required else f"{var} = {em.const(field.default)}")
            fast = field.kind.fast(field, em.const) if field.type != "records" else "False"
            if field.nullable:
                fast = f"v is None or ({fast})"
            em.line(f"elif {fast}: {var} = v")
            em.line(f"else: {var} = {em.const(field.normalize)}(v)")
        variables = dict(names)
        first = variables.get(fact.dated_by or "")
        for name, field in fields.items():  # no date before the one the record came to be: the full check says so
            if first is not None and field.type == "date" and name != fact.dated_by:
                em.line(f"if {variables[name]} is not None and {first} is not None and {variables[name]} < {first}: "
                        "raise FactValueError('')")
        em.line("out.append({" + ", ".join(f"{name!r}: {var}" for name, var in names) + "})")
    em.line("return tuple(out)")
    source = "def _records(items):\n" + "\n".join(em.lines) + "\n"
    namespace: dict[str, Any] = {"__builtins__": {}, "type": type, "list": list, "tuple": tuple, "dict": dict,
                                 "int": int, "str": str, "Decimal": Decimal, "date": dt.date,
                                 "FactValueError": FactValueError, "_MISSING": _MISSING, **em.constants}
    exec(compile(source, f"<assessrules records {fact.name}>", "exec"), namespace)
    checker: Callable[[Any], tuple[dict[str, Any], ...]] = namespace["_records"]
    return checker


def _wrap(name: str, params: str, em: Emitter) -> str:
    source = f"def {name}({params}):\n    try:\n" + "\n".join("    " + line for line in em.lines)
    return source + "\n    except (FactValueError, KeyError):\n        return None\n"


def generate_facts_checker(spec: Rules, declared: Mapping[str, Fact]) -> tuple[str, dict[str, Any]]:
    """Return the source of the fast check of one mapping of facts (a unit's annual facts, or one period's).

    It returns the checked mapping, or None when anything is off; the full check then lists every problem.
    """
    em = Emitter(spec, exact=False)  # a fact check: the record keeps the Decimals of the text
    em.line(f"return {_emit_facts(em, declared, 'raw')}")
    return _wrap("_check", "raw", em), em.constants


def generate_checker(spec: Rules) -> tuple[str, dict[str, Any]]:
    """Return the source of the fast check of a whole unit: its annual facts, records and periods.

    It returns the checked unit as a :data:`Record`, or None when anything is off (the full
    check then lists every problem). Derived values are computed after the check, by the spec.
    """
    em = Emitter(spec, exact=False)  # a fact check: the record keeps the Decimals of the text
    kinds = spec.period_kinds
    keys = frozenset(UNIT_KEYS) if kinds else frozenset(UNIT_KEYS) - {"periods"}
    em.line(f"if type(unit) is not dict or not unit.keys() <= {em.const(keys)}: return None")
    em.line("uid = unit.get('id')")
    em.line("if type(uid) is not str or not uid or uid.strip() != uid or not uid.isprintable() "
            "or uid[0] in '=+-@': return None")
    em.line("name = unit.get('name', uid)")
    em.line("if type(name) is not str or not name or name.strip() != name or not name.isprintable() "
            "or name[0] in '=+-@': return None")
    em.line("ut = unit.get('type')")
    em.line(f"if ut not in {em.const(frozenset(spec.unit_types))}: return None")
    em.line("tg = unit.get('target', 0)")
    em.line("if type(tg) is int and 0 <= tg <= 1000: tg = Decimal(tg)")
    em.line("elif not (type(tg) is Decimal and tg.is_finite() and 0 <= tg <= 1000): return None")
    em.line("raw = unit.get('facts', _EMPTY)")
    facts = _emit_facts(em, spec.fact_groups[None], "raw")
    em.line(f"fa = {facts}")
    if spec.dated_records:
        em.line("if as_of is not None:")
        with em.indent():
            for fact in spec.dated_records:
                em.line(f"for rec in fa[{fact.name!r}]:")
                with em.indent():
                    em.line(f"d = rec[{fact.dated_by!r}]")
                    em.line("if d is not None and d > as_of: return None")
    if kinds:
        em.line("pr = unit.get('periods')")
        em.line("if as_of is None or type(pr) is not dict: return None")
        em.line(f"sc = {em.const(_scopes(spec))}(as_of)")
        em.line("if sc is None or pr.keys() != sc[0]: return None")
        for i, kind in enumerate(kinds):
            declared = spec.fact_groups[kind]
            check = em.const(compile_checker(spec, declared))
            em.line("e = []")
            em.line(f"for lab in sc[1][{i}]:")
            with em.indent():
                em.line("pv = pr[lab]")
                # the usual month gives every fact: read each in place (as many keys, so a key missing
                # means one unknown: the KeyError sends the unit to the full check); any other month
                # goes through its own check
                em.line(f"if type(pv) is dict and len(pv) == {len(declared)}:")
                with em.indent():
                    names = []
                    for j, (name, fact) in enumerate(declared.items()):
                        names.append((name, f"b{j}"))
                        em.line(f"v = pv[{name!r}]")
                        em.line(f"if {fact.kind.fast(fact, em.const)}: b{j} = v")
                        em.line(f"else: b{j} = {em.const(fact.normalize)}(v)")
                    em.line("e.append((lab, {" + ", ".join(f"{n!r}: {v}" for n, v in names) + "}))")
                em.line("else:")
                with em.indent():
                    em.line(f"pv = {check}(pv)")
                    em.line("if pv is None: return None")
                    em.line("e.append((lab, pv))")
            em.line(f"fa[{'@' + kind!r}] = tuple(e)")
    em.line("fa['as_of'] = as_of")
    em.line("pa = unit.get('parent')")  # a sub-unit's parent: checked against the batch when it is scored
    em.line("if pa is not None and (type(pa) is not str or not pa or pa.strip() != pa or not pa.isprintable() "
            "or pa[0] in '=+-@'): return None")
    em.line("return (uid, name, ut, tg, fa, None, pa)")
    return _wrap("_check", "unit, as_of", em), em.constants


def _scopes(spec: Rules) -> Callable[[dt.date], tuple[frozenset[str], tuple[tuple[str, ...], ...]] | None]:
    """The labels of the periods in scope on an assessment date: all of them, and those of each kind."""
    year, kinds = spec.year, spec.period_kinds

    @functools.lru_cache(maxsize=32)
    def scopes(as_of: dt.date) -> tuple[frozenset[str], tuple[tuple[str, ...], ...]] | None:
        if year is None or not isinstance(as_of, dt.date):
            return None
        labels = tuple(tuple(p.label for p in periods_.in_scope(kind, year, as_of)) for kind in kinds)
        return frozenset(label for group in labels for label in group), labels

    return scopes


def compile_spec(spec: Rules, trace: bool = True) -> Program:
    """Compile ``spec`` into its scoring function (recording the trace, or not)."""
    source, constants = generate(spec, trace)

    def negative_count(index: int, count: Any) -> None:
        trigger = spec.triggers[index]
        raise EvaluationError([problem("evaluation.negative_count", trigger.path, file=spec.source,
                                       trigger=trigger.label, count=str(count))])

    exact = spec.rounding is not None
    def bad_weights(index: int, shares: tuple[Any, ...]) -> None:
        node = spec.nodes[index]
        parts = [f"{c.name} {format_points(Fraction(s) * 100)}%" for c, s in zip(node.children, shares, strict=True)]
        raise EvaluationError([problem(
            "evaluation.shares", node.path, file=spec.source, node=node.name, parts=parts,
            total=format_points(sum((Fraction(s) for s in shares), Fraction(0)) * 100))])

    def bad_points(index: int, worth: Any, own: Any = None) -> None:
        node = spec.nodes[index]  # `own`: what the parent itself is worth to the unit, when that is not its points
        if isinstance(worth, tuple):
            parts = " + ".join(f"{c.name} {format_points(Fraction(w))}" for c, w in zip(node.children, worth, strict=True))
            found = problem("evaluation.points_parts", node.path, file=spec.source, node=node.name, parts=parts,
                            total=format_points(sum((Fraction(w) for w in worth), Fraction(0))),
                            points=format_points(Fraction(own) if own is not None else node.points))
        else:
            found = problem("evaluation.points_range", node.path, file=spec.source, node=node.name,
                            worth=format_points(Fraction(worth)), points=format_points(node.points))
        raise EvaluationError([found])

    def bad_factor(index: int, factor: Any) -> None:
        trigger = spec.triggers[index]
        assert isinstance(trigger, Multiplier)
        node = spec.nodes[spec.trigger_owner[index]]
        raise EvaluationError([problem(
            "evaluation.negative_factor", trigger.path + ("factor",), file=spec.source, trigger=trigger.label,
            node=node.name, factor=format_points(Fraction(factor)), expression=trigger.factor.text)])

    namespace: dict[str, Any] = {"__builtins__": {}, "_to_decimal": _to_decimal, "len": len, "tuple": tuple,
                                 "sum": sum, "min": min, "_bad_weights": bad_weights, "_bad_points": bad_points,
                                 "_bad_factor": bad_factor,
                                 "enumerate": enumerate, "_round": _rounder(exact),
                                 "_negative_count": negative_count, **_helpers(exact), **constants}
    code = compile(source, f"<assessrules spec {spec.metadata.id}{'' if trace else ' untraced'}>", "exec")
    exec(code, namespace)  # the source holds only checked, allow-listed code (see module docstring)
    program: Program = namespace["_score"]
    if spec.rounding is None:
        return program
    return _exact_program(program, publisher(spec.rounding.published_places, spec.rounding.mode),
                          spec.limit_to_target)


def _rounder(exact: bool) -> Callable[[Any, int, RoundingMode], Any]:
    """Round a score exactly, to a Fraction (in an exact scorer) or a Decimal."""
    if exact:
        return lambda x, places, mode: Fraction(round_exact(x, places, mode))
    return round_exact


def _exact_program(inner: Program, publish: Callable[[Any], Any], spec_limits: bool) -> Program:
    """Score over Fractions: the facts go in exact, the outcome comes out as Decimals rounded as declared."""

    def program(ns: dict[str, Any], unit_type: str, target: Decimal, uid: str) -> tuple[Any, ...]:
        exact = Fraction(target)
        raw = inner(exact_facts(ns), unit_type, exact, uid)  # type: ignore[arg-type]  # Fraction inside
        raws, finals, na, grade, gd, rr, r, trace, score, (bonus_raw, bonus, gated), veto, table, worth = raw
        # What is left of the target is the target less the deduction as published, so that the
        # deduction a result shows is the rounded one (never above the target once floored at 0).
        taken = publish(exact - r)
        return (tuple(map(publish, raws)), tuple(map(publish, finals)), na, grade, publish(gd),
                target - publish(exact - rr), target - (min(taken, target) if spec_limits else taken),
                _publish_trace(trace, publish), publish(score), (publish(bonus_raw), publish(bonus), gated), veto,
                publish(table), tuple(map(publish, worth)))

    return program


def compile_checker(spec: Rules, declared: Mapping[str, Fact] | None = None) -> Callable[..., Any]:
    """Compile the fast path of fact checking: of a whole unit, or (``declared``) of one mapping of facts."""
    source, constants = generate_checker(spec) if declared is None else generate_facts_checker(spec, declared)
    namespace: dict[str, Any] = {
        "__builtins__": {}, "type": type, "int": int, "str": str, "dict": dict, "tuple": tuple, "Decimal": Decimal,
        "len": len, "KeyError": KeyError, "date": dt.date, "FactValueError": FactValueError, "_MISSING": _MISSING, "_EMPTY": {},
        **constants}
    exec(compile(source, f"<assessrules facts of {spec.metadata.id}>", "exec"), namespace)
    checker: Callable[..., Any] = namespace["_check"]
    return checker


__all__ = [
    "Emitter",
    "compile_checker",
    "compile_deriver",
    "compile_expression",
    "compile_spec",
    "generate",
    "generate_checker",
    "generate_deriver",
    "generate_facts_checker",
    "publisher",
]

"""Compile a loaded spec into one Python function that scores a unit.

The driver here is small and generic: it walks the indicator tree,
children before parents, and for each node asks the node's triggers to
emit their own lines (:meth:`~assessrules.kinds.Trigger.emit`). The
source it builds contains only fixed text from this module and from the
trigger kinds, slot numbers, ``ns['<declared fact>']`` lookups and names
of allow-listed helpers; every literal of the spec is bound as a constant
in the function's globals, and ``__builtins__`` is empty.

The function returns raw data only (scores by node index and the trace of
fired triggers); :mod:`assessrules.results` turns it into results and
:mod:`assessrules.explain` renders them. The engine never renders.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import EvaluationError, Problem
from .expressions import Expression, _to_decimal, helpers
from .model import Indicator

if TYPE_CHECKING:
    from .spec import Spec

Program = Callable[[dict[str, Any], str, Decimal], tuple[Any, ...]]
"""``program(facts, unit_type, target) -> (raw, final, not_applicable, grade, grade_deduction,
remaining_raw, remaining, trace)``."""


class Emitter:
    """Collects source lines and the constants they refer to."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.lines: list[str] = []
        self.level = 1
        self.constants: dict[str, Any] = {}
        self._slots: dict[tuple[str, str], str] = {}

    def line(self, text: str) -> None:
        """Add one line at the current indentation."""
        self.lines.append("    " * self.level + text)

    @contextlib.contextmanager
    def indent(self) -> Iterator[None]:
        """Indent the lines added inside the block."""
        self.level += 1
        try:
            yield
        finally:
            self.level -= 1

    def const(self, value: Any) -> str:
        """Bind ``value`` as a global constant and return its name."""
        key = (type(value).__name__, repr(sorted(value) if isinstance(value, frozenset) else value))
        name = self._slots.get(key)
        if name is None:
            name = f"_k{len(self._slots)}"
            self._slots[key] = name
            self.constants[name] = value
        return name

    def name(self, name: str) -> str:
        """Python for a name an expression reads: a parameter is a constant, a fact a lookup."""
        parameter = self.spec.parameters.get(name)
        if parameter is not None:
            return self.const(parameter.value)
        if not name.isidentifier():  # pragma: no cover - the checker admits only identifiers
            raise ValueError(name)
        return f"ns[{name!r}]"

    def expr(self, expression: Expression) -> str:
        """Python for a checked expression."""
        return expression.to_python(self.name, self.const)


def _emit_node(em: Emitter, node: Indicator) -> None:
    if node.unit_types is not None:
        em.line(f"if ut in {em.const(node.unit_types)}:")
        with em.indent():
            _emit_applicable(em, node)
        em.line("else:")
        with em.indent():
            em.line(f"na.append({node.index})")
            for n in node.walk():
                em.line(f"R[{n.index}] = F[{n.index}] = {em.const(n.points)}")
    else:
        _emit_applicable(em, node)


def _emit_applicable(em: Emitter, node: Indicator) -> None:
    for child in node.children:
        _emit_node(em, child)
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
    em.line(f"R[{node.index}] = r")
    if node.floor is not None:
        em.line(f"if r < {em.const(node.floor)}: r = {em.const(node.floor)}")
        em.line(f"elif r > {em.const(node.points)}: r = {em.const(node.points)}")
    else:
        em.line(f"if r > {em.const(node.points)}: r = {em.const(node.points)}")
    em.line(f"F[{node.index}] = r")


def _emit_score(em: Emitter, node: Indicator) -> None:
    base = [t for t in node.triggers if t.phase == "base"]
    adjust = [t for t in node.triggers if t.phase == "adjust"]
    if base:
        base[0].emit(em, "r")
    elif node.children:
        em.line("r = " + " + ".join(f"F[{c.index}]" for c in node.children))
    elif any(t.kind.startswith("award") for t in adjust):
        em.line(f"r = {em.const(Decimal(0))}")
    else:
        em.line(f"r = {em.const(node.points)}")
    for trigger in adjust:
        trigger.emit(em, "r")


def _emit_grades(em: Emitter, spec: Spec) -> None:
    em.line("s = F[0]")
    grades = spec.grades
    for i, grade in enumerate(grades):
        if grade.at_least is None:
            em.line("else:" if i else "if True:")
        else:
            em.line(f"{'if' if i == 0 else 'elif'} s >= {em.const(grade.at_least)}:")
        with em.indent():
            em.line(f"g = {i}")
    if grades[-1].at_least is not None:
        em.line("else:")
        with em.indent():
            em.line(f"g = {len(grades) - 1}")
    em.line(f"gd = target * {em.const(tuple(g.deduct for g in grades))}[g]")


def _emit_target(em: Emitter, spec: Spec) -> None:
    em.line("r = target - gd")
    for trigger in spec.direct_deductions:
        trigger.emit(em, "r")
    em.line("rr = r")
    em.line(f"if r < {em.const(Decimal(0))}: r = {em.const(Decimal(0))}")


def generate(spec: Spec) -> tuple[str, dict[str, Any]]:
    """Return the Python source of the scorer and the globals it needs."""
    em = Emitter(spec)
    count = sum(1 for _ in spec.root.walk())
    em.line("t = []")
    em.line("na = []")
    em.line(f"R = [None] * {count}")
    em.line(f"F = [None] * {count}")
    _emit_node(em, spec.root)
    _emit_grades(em, spec)
    _emit_target(em, spec)
    em.line("return R, F, na, g, gd, rr, r, t")
    source = "def _score(ns, ut, target):\n" + "\n".join(em.lines) + "\n"
    return source, em.constants


def compile_spec(spec: Spec) -> Program:
    """Compile ``spec`` into its scoring function."""
    source, constants = generate(spec)

    def negative_count(index: int, count: Any) -> None:
        trigger = spec.triggers[index]
        raise EvaluationError([Problem(
            f"「{trigger.label}」 counted {count} occurrences; a count cannot be negative",
            trigger.path, spec.source, hint="make the `per:` expression non-negative, e.g. max(…, 0)")])

    namespace: dict[str, Any] = {"__builtins__": {}, "_to_decimal": _to_decimal,
                                 "_negative_count": negative_count, **helpers(), **constants}
    code = compile(source, f"<assessrules spec {spec.metadata.id}>", "exec")
    exec(code, namespace)  # the source holds only checked, allow-listed code (see module docstring)
    program: Program = namespace["_score"]
    return program


__all__ = ["Emitter", "Program", "compile_spec", "generate"]

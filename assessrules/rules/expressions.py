"""The small, safe expression language of a spec.

Conditions (``if:``), counts (``per:``) and score expressions are strings.
Each is parsed once, when the spec loads, and checked before any data is
seen: only allow-listed syntax, names that the spec declares (an unknown
one gets a did-you-mean), allow-listed functions with the right number of
arguments, types that fit (a condition must be true/false, a count a
number), enum literals that the fact declares, and limits on length,
nesting and power. Every numeric literal is a :class:`~decimal.Decimal`
taken from its text.

A checked expression is evaluated two ways that must agree:

* :meth:`Expression.interpret` runs it with :mod:`simpleeval`, restricted to
  the same allow-list; this is the reference semantics, used at load time
  (e.g. ``points: 15 / 6``) and by the tests;
* :meth:`Expression.to_python` renders the checked tree as Python source
  over allow-listed helpers only, which the compiler turns into bytecode
  for fast scoring. Nothing but checked names, helper names and constant
  slots ever reaches that source.
"""

from __future__ import annotations

import ast
import calendar
import copy
import datetime as dt
import decimal
import difflib
import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import attrs
import simpleeval

from ..messages import CATALOGUE, fill
from ..numbers import DECIMAL_CONTEXT as _DECIMAL_CONTEXT
from .limits import echo

Type = Literal["bool", "number", "text", "date", "any"]



@attrs.frozen
class Limits:
    """How large and how powerful an expression may be."""

    max_length: int = 500
    max_depth: int = 20
    max_nodes: int = 200
    max_exponent: int = 64
    max_text: int = 200


DEFAULT_LIMITS = Limits()


@attrs.frozen
class Name:
    """A name an expression may use: a declared fact, parameter, record field or derived value."""

    type: Type
    kind: Literal["fact", "parameter", "field", "derived", "run", "score"]
    label: str = ""
    values: tuple[str, ...] | None = None  # for enum facts
    period: str | None = None  # "month" or "quarter" for a fact recorded per period
    usable: bool = True  # False: declared, but not in this context (a records fact, or a per-period one)


UNIT_NAMES = ("unit_type", "unit_id")
"""Names every rule of the tree (not a derived value) may read: the unit's type and its id (a plain name each:
the language has no attribute access); a fact of the same name wins."""


# --- the allow-listed functions -------------------------------------------------


def _to_decimal(x: Any) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(x)


def _div(a: Any, b: Any) -> Decimal:
    return _to_decimal(a) / _to_decimal(b)


def _pow(a: Any, b: Any) -> Decimal:
    return _to_decimal(a) ** int(b)


def _round(mode: str) -> Callable[..., Decimal]:
    def rounder(x: Any, places: Any = 0) -> Decimal:
        exp = Decimal(1).scaleb(-int(places))
        return _to_decimal(x).quantize(exp, rounding=mode)

    return rounder


def _coalesce(value: Any, fallback: Any) -> Any:
    return fallback if value is None else value


def _working_days(start: Any, end: Any) -> int:
    from ..workdays import working_days

    return working_days(start, end)


def _add_working_days(start: Any, count: Any) -> Any:
    from ..workdays import add_working_days

    return add_working_days(start, int(count))


SCORE_PREFIX = "@score:"
"""``score("web")`` reads the name ``@score:web``, which the spec declares for every indicator."""


def _no_score(node_id: str) -> Any:  # pragma: no cover - the compiler and the reference bind their own
    raise ValueError(f"score({node_id!r}) is only known while scoring")


@functools.lru_cache(maxsize=256)
def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _days(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def _months(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``: 2021-01-31 → 2021-02-28 is 0, → 2021-03-01 is 1."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def _add_days(start: dt.date, count: Any) -> dt.date:
    return start + dt.timedelta(days=_whole(count))


def _add_months(start: dt.date, count: Any) -> dt.date:
    """``count`` calendar months after ``start``; a day the month lacks is its last: 2021-01-31 + 1 → 2021-02-28."""
    index = start.year * 12 + start.month - 1 + _whole(count)
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def _add_years(start: dt.date, count: Any) -> dt.date:
    """``count`` years after ``start``; 29 February becomes 28 February in a common year."""
    return _add_months(start, _whole(count) * 12)


def _whole(count: Any) -> int:
    """A count of days, months or years: a whole number (2.5 months is no date)."""
    whole = int(count)
    if whole != count:
        raise ValueError(f"{count} is not a whole number")
    return whole


def _floor(x: Any) -> Decimal:
    return Decimal(math.floor(_to_decimal(x)))


def _ceil(x: Any) -> Decimal:
    return Decimal(math.ceil(_to_decimal(x)))


def _exact_round(mode: str) -> Callable[..., Fraction]:
    from ..numbers import round_exact

    def rounder(x: Any, places: Any = 0) -> Fraction:
        return Fraction(round_exact(x, int(places), mode))  # type: ignore[arg-type]

    return rounder


def _to_fraction(x: Any) -> Fraction:
    return x if type(x) is Fraction else Fraction(x)


def _exact_div(a: Any, b: Any) -> Fraction:
    return _to_fraction(a) / _to_fraction(b)


def _exact_pow(a: Any, b: Any) -> Fraction:
    return _to_fraction(a) ** int(b)


_EXACT_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": min, "max": max, "abs": abs,
    "round_half_up": _exact_round("half_up"), "round_half_even": _exact_round("half_even"),
    "round_down": _exact_round("down"),
    "floor": lambda x: Fraction(math.floor(x)), "ceil": lambda x: Fraction(math.ceil(x)),
}


@attrs.frozen
class Function:
    """An allow-listed function: its implementation, arity and types."""

    impl: Callable[..., Any]
    params: tuple[Type, ...]
    returns: Type | Literal["same"]  # "same": the type of its arguments
    optional: int = 0  # how many trailing params may be left out
    variadic: bool = False  # the last param repeats
    doc: str = ""


FUNCTIONS: dict[str, Function] = {
    "min": Function(min, ("number", "number"), "number", variadic=True, doc="the least of two or more numbers"),
    "max": Function(max, ("number", "number"), "number", variadic=True, doc="the greatest of two or more numbers"),
    "abs": Function(abs, ("number",), "number", doc="the absolute value"),
    "round_half_up": Function(_round(decimal.ROUND_HALF_UP), ("number", "number"), "number", optional=1,
                              doc="round to `places` decimals, halves away from zero (四舍五入)"),
    "round_half_even": Function(_round(decimal.ROUND_HALF_EVEN), ("number", "number"), "number", optional=1,
                                doc="round to `places` decimals, halves to even"),
    "round_down": Function(_round(decimal.ROUND_DOWN), ("number", "number"), "number", optional=1,
                           doc="cut to `places` decimals, towards zero"),
    "floor": Function(_floor, ("number",), "number", doc="the greatest whole number not above x"),
    "ceil": Function(_ceil, ("number",), "number", doc="the least whole number not below x"),
    "coalesce": Function(_coalesce, ("any", "any"), "same",
                         doc="the first value if it is given, else the second: `coalesce(published, as_of)`"),
    "working_days": Function(_working_days, ("date", "date"), "number",
                             doc="official working days after the first date up to and including the second (工作日)"),
    "add_working_days": Function(_add_working_days, ("date", "number"), "date",
                                 doc="the date of the n-th official working day after a date"),
    "date": Function(_date, ("text",), "date", doc='a date written as text: `date("2021-06-30")`'),
    "score": Function(_no_score, ("text",), "number",
                      doc='the score of another indicator, by id: `score("web") > 80` (scored before this rule)'),
    "days": Function(_days, ("date", "date"), "number",
                     doc="calendar days from the first date to the second (negative if the second is earlier)"),
    "months": Function(_months, ("date", "date"), "number",
                       doc="whole months from the first date to the second: 2021-01-15 → 2021-03-14 is 1"),
    "add_days": Function(_add_days, ("date", "number"), "date",
                         doc="the date n calendar days after a date (before it, for a negative n)"),
    "add_months": Function(_add_months, ("date", "number"), "date",
                           doc="the date n months after a date; a day the month lacks is its last: "
                               "`add_months(date(\"2021-01-31\"), 1)` is 2021-02-28"),
    "add_years": Function(_add_years, ("date", "number"), "date",
                          doc="the date n years after a date (超过1年: `as_of > add_years(issued, 1)`); "
                              "29 February becomes 28 February in a common year"),
}
"""The functions expressions may call; a later rule kind may register more."""


# --- checking -----------------------------------------------------------------------


@attrs.frozen
class ExpressionProblem:
    """What is wrong with an expression: its catalogue ``code``, the ``values`` its sentence names, and where.

    ``values`` hold ``expression`` (the text, cut to 80 characters) and ``at`` (the character, from 1) for the
    codes whose sentence says where; :attr:`message` and :attr:`hint` are its English sentence and hint
    (``assessrules.messages`` says it in Chinese from the same values).
    """

    code: str
    values: Mapping[str, Any] = attrs.field(factory=dict)
    offset: int = 0  # character offset in the expression text

    @property
    def message(self) -> str:
        """The problem's sentence in English."""
        return fill(CATALOGUE[self.code].text_en or self.code, "en", self.values)

    @property
    def hint(self) -> str | None:
        """How to fix it, in English."""
        hint = CATALOGUE[self.code].hint_en
        return None if hint is None else fill(hint, "en", self.values)


class ExpressionError(Exception):
    """An expression failed its checks."""

    def __init__(self, problems: Sequence[ExpressionProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in problems))


_COMPARE = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Attribute: "expression.attribute", ast.Subscript: "expression.subscript", ast.Lambda: "expression.lambda",
    ast.NamedExpr: "expression.assignment", ast.ListComp: "expression.comprehension",
    ast.SetComp: "expression.comprehension", ast.DictComp: "expression.comprehension",
    ast.GeneratorExp: "expression.comprehension", ast.JoinedStr: "expression.fstring",
}
def _char_offset(text: str, node: ast.AST) -> int:
    col = getattr(node, "col_offset", 0) or 0
    return len(text.encode("utf-8")[:col].decode("utf-8", errors="ignore"))


@attrs.frozen(eq=False)
class Expression:
    """A checked expression: its text, its tree and the names it reads."""

    text: str
    tree: ast.expr
    type: Type
    names: tuple[str, ...]
    constants: tuple[Any, ...]  # literals by slot, as Decimal / str / frozenset

    def interpret(self, values: Mapping[str, Any]) -> Any:
        """Evaluate with :mod:`simpleeval` (the reference semantics)."""
        evaluator = _Reference({**values, **{f"{_SLOT}{i}": c for i, c in enumerate(self.constants)}})
        evaluator.functions["score"] = lambda node_id: values[SCORE_PREFIX + node_id]
        with decimal.localcontext(_DECIMAL_CONTEXT):
            return evaluator.eval(self.text, previously_parsed=self.tree)

    def exact_value(self, values: Mapping[str, Any]) -> Fraction:
        """Evaluate an arithmetic expression exactly, as a Fraction (``points: 20 / 12``, ``value: 25 / 12``)."""
        return _exact(self.tree, {**values, **{f"{_SLOT}{i}": c for i, c in enumerate(self.constants)}})

    def divisions(self) -> Iterator[ast.BinOp]:
        """The divisions whose quotient can reach the value (not only a comparison or a rounding function)."""
        yield from _open_divisions(self.tree)

    def divisor_constant(self, division: ast.BinOp, values: Mapping[str, Any]) -> Fraction | None:
        """The divisor of ``division`` when it is a constant (a number, a parameter, arithmetic of them)."""
        try:
            return _exact(division.right, {**values, **{f"{_SLOT}{i}": c for i, c in enumerate(self.constants)}})
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            return None

    def to_python(self, name_ref: Callable[[str], str], const_ref: Callable[[Any], str]) -> str:
        """Render as Python source: names via ``name_ref``, literals via ``const_ref``."""
        return ast.unparse(_Render(self.constants, name_ref, const_ref).visit(_deepcopy(self.tree)))


_ROUNDING_CALLS = frozenset({"round_half_up", "round_half_even", "round_down", "floor", "ceil"})


def _open_divisions(node: ast.AST) -> Iterator[ast.BinOp]:
    if isinstance(node, ast.Compare | ast.BoolOp):
        return  # a comparison's operands never reach a score
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _ROUNDING_CALLS:
        return  # rounded: the quotient stops here
    if isinstance(node, ast.IfExp):
        yield from _open_divisions(node.body)
        yield from _open_divisions(node.orelse)
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _open_divisions(child)


def _exact(node: ast.AST, values: Mapping[str, Any]) -> Fraction:
    """The value of an arithmetic tree over numbers, as an exact Fraction."""
    if isinstance(node, ast.Name):
        value = values[node.id]
        if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
            raise TypeError(f"`{node.id}` is not a number")
        return Fraction(value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _exact(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = _exact(node.left, values), _exact(node.right, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
        if isinstance(node.op, ast.Pow) and right.denominator == 1:
            return Fraction(left) ** int(right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        fn = _EXACT_FUNCTIONS.get(node.func.id)
        if fn is not None:
            return Fraction(fn(*(_exact(a, values) for a in node.args)))
    raise ValueError("not plain arithmetic")


def _deepcopy(tree: ast.expr) -> ast.expr:
    return copy.deepcopy(tree)


class _Checker:
    def __init__(self, text: str, names: Mapping[str, Name], limits: Limits) -> None:
        self.text = text
        self.names = names
        self.limits = limits
        self.problems: list[tuple[str, dict[str, Any], int]] = []
        self.used: list[str] = []
        self.constants: list[Any] = []
        self.slots: dict[int, int] = {}  # id of a literal's node -> its constant slot
        self.count = 0
        self.types_of_last: Type = "any"

    def fail(self, node: ast.AST, code: str, **values: Any) -> Type:
        self.problems.append((code, values, _char_offset(self.text, node)))
        return "any"

    def const_slot(self, node: ast.expr, value: Any) -> None:
        self.slots[id(node)] = len(self.constants)
        self.constants.append(value)

    def check(self, node: ast.AST, depth: int) -> Type:
        self.count += 1
        if depth > self.limits.max_depth:
            return self.fail(node, "expression.too_deep", limit=self.limits.max_depth)
        method = getattr(self, f"check_{type(node).__name__}", None)
        if method is None:
            code = _FORBIDDEN.get(type(node))
            if code is not None:
                return self.fail(node, code)
            segment = ast.get_source_segment(self.text, node) or type(node).__name__
            return self.fail(node, "expression.forbidden", syntax=echo(segment, 40))
        result: Type = method(node, depth + 1)
        self.types_of_last = result
        return result

    def check_Constant(self, node: ast.Constant, depth: int) -> Type:
        value = node.value
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int | float):
            segment = ast.get_source_segment(self.text, node) or repr(value)
            self.const_slot(node, Decimal(segment.replace("_", "")))
            return "number"
        if isinstance(value, str):
            if len(value) > self.limits.max_text:
                return self.fail(node, "expression.text_too_long", limit=self.limits.max_text)
            self.const_slot(node, value)
            return "text"
        return self.fail(node, "expression.literal", literal=echo(repr(value), 40))

    def check_Name(self, node: ast.Name, depth: int) -> Type:
        name = node.id
        if name.startswith("_"):
            return self.fail(node, "expression.underscore_name", name=name)
        if name in FUNCTIONS:
            return self.fail(node, "expression.function_name", name=name)
        info = self.names.get(name)
        if info is not None and not info.usable:
            code = "expression.period_name" if info.period is not None else "expression.records_name"
            values = {"each": info.period} if info.period is not None else {}
            return self.fail(node, code, name=name, label=info.label or name, **values)
        if info is None:
            close = difflib.get_close_matches(name, list(self.names), n=1, cutoff=0.6)
            if close:
                return self.fail(node, "expression.unknown_name", name=name, suggestion=close[0])
            return self.fail(node, "expression.undeclared_name", name=name)
        if name not in self.used:
            self.used.append(name)
        return info.type

    def check_UnaryOp(self, node: ast.UnaryOp, depth: int) -> Type:
        operand = self.check(node.operand, depth)
        if isinstance(node.op, ast.Not):
            return self.expect(node.operand, operand, "bool", "not")
        if isinstance(node.op, ast.USub | ast.UAdd):
            return self.expect(node.operand, operand, "number", "-" if isinstance(node.op, ast.USub) else "+")
        return self.fail(node, "expression.bitwise")

    def expect(self, node: ast.AST, actual: Type, wanted: Type, operator: str) -> Type:
        """``actual`` must be ``wanted`` where ``operator`` takes it (an operator, or ``(function, position)``)."""
        if wanted != "any" and actual not in ("any", wanted):
            self.fail(node, "expression.operand_type", operator=operator, wanted=wanted, actual=actual)
        return wanted

    def expect_argument(self, node: ast.AST, actual: Type, wanted: Type, function: str, position: int) -> Type:
        if wanted != "any" and actual not in ("any", wanted):
            self.fail(node, "expression.argument_type", function=function, position=position, wanted=wanted,
                      actual=actual)
        return wanted

    def check_BoolOp(self, node: ast.BoolOp, depth: int) -> Type:
        word = "and" if isinstance(node.op, ast.And) else "or"
        for value in node.values:
            self.expect(value, self.check(value, depth), "bool", word)
        return "bool"

    def check_BinOp(self, node: ast.BinOp, depth: int) -> Type:
        symbol = _ARITH.get(type(node.op))
        if symbol is None:
            segment = ast.get_source_segment(self.text, node) or ""
            left_end = len(ast.get_source_segment(self.text, node.left) or "")
            operator = segment[left_end:].strip().split(" ")[0] or type(node.op).__name__
            return self.fail(node, "expression.operator", operator=echo(operator, 10))
        left = self.check(node.left, depth)
        if symbol == "**":
            exponent = node.right
            if not (isinstance(exponent, ast.Constant) and type(exponent.value) is int
                    and 0 <= exponent.value <= self.limits.max_exponent):
                return self.fail(node, "expression.power", limit=self.limits.max_exponent)
            self.check(exponent, depth)
            return self.expect(node.left, left, "number", "**")
        right = self.check(node.right, depth)
        if "date" in (left, right):
            return self.fail(node, "expression.date_arithmetic", operator=symbol)
        self.expect(node.left, left, "number", symbol)
        self.expect(node.right, right, "number", symbol)
        return "number"

    def check_Compare(self, node: ast.Compare, depth: int) -> Type:
        operands = [node.left, *node.comparators]
        types = [self.check(operand, depth) if not (isinstance(operand, ast.Tuple | ast.List)) else "any"
                 for operand in operands]
        for i, op in enumerate(node.ops):
            left, right = operands[i], operands[i + 1]
            if not isinstance(op, _COMPARE):
                self.fail(node, "expression.is_operator")
                continue
            if isinstance(op, ast.In | ast.NotIn):
                self.check_membership(left, types[i], right, depth)
                continue
            lt, rt = types[i], types[i + 1]
            if "any" not in (lt, rt) and lt != rt:
                self.fail(node, "expression.compare_types", left=lt, right=rt)
            elif lt == "bool" and not isinstance(op, ast.Eq | ast.NotEq):
                self.fail(node, "expression.bool_order")
            self.check_enum_literal(left, right)
            self.check_enum_literal(right, left)
        return "bool"

    def check_membership(self, left: ast.AST, left_type: Type, right: ast.AST, depth: int) -> None:
        if not isinstance(right, ast.Tuple | ast.List) or not right.elts:
            self.fail(right, "expression.in_list")
            return
        values = []
        for element in right.elts:
            if not isinstance(element, ast.Constant) or isinstance(element.value, bool):
                self.fail(element, "expression.in_values")
                return
            element_type = self.check(element, depth)
            if "any" not in (left_type, element_type) and element_type != left_type:
                self.fail(element, "expression.compare_types", left=left_type, right=element_type)
            value = self.constants[self.slots[id(element)]]
            values.append(value)
            self.check_enum_value(left, element, value)
        self.const_slot(right, frozenset(values))  # the whole list takes one slot

    def check_enum_literal(self, name: ast.AST, other: ast.AST) -> None:
        if id(other) in self.slots:
            self.check_enum_value(name, other, self.constants[self.slots[id(other)]])

    def check_enum_value(self, name: ast.AST, where: ast.AST, value: Any) -> None:
        if not isinstance(name, ast.Name) or name.id not in self.names:
            return
        allowed = self.names[name.id].values
        if allowed is not None and value not in allowed:
            close = difflib.get_close_matches(str(value), list(allowed), n=1, cutoff=0.0)
            self.fail(where, "expression.enum_value", value=str(value), name=name.id, values=list(allowed),
                      suggestion=close[0] if close else allowed[0])

    def check_IfExp(self, node: ast.IfExp, depth: int) -> Type:
        self.expect(node.test, self.check(node.test, depth), "bool", "if")
        body = self.check(node.body, depth)
        orelse = self.check(node.orelse, depth)
        if "any" in (body, orelse):
            return body if orelse == "any" else orelse
        if body != orelse:
            return self.fail(node, "expression.branch_types", left=body, right=orelse)
        return body

    def check_score(self, node: ast.Call) -> Type:
        arg = node.args[0]
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            return self.fail(node, "expression.score_argument")
        known = [n[len(SCORE_PREFIX):] for n in self.names if n.startswith(SCORE_PREFIX)]
        key = SCORE_PREFIX + arg.value
        if key not in self.names:
            if not known:
                return self.fail(node, "expression.score_here")
            close = difflib.get_close_matches(arg.value, known, n=1, cutoff=0.6)
            if close:
                return self.fail(node, "expression.unknown_indicator", indicator=arg.value, suggestion=close[0])
            return self.fail(node, "expression.no_indicator", indicator=arg.value)
        self.const_slot(arg, arg.value)
        if key not in self.used:
            self.used.append(key)
        return "number"

    def check_Call(self, node: ast.Call, depth: int) -> Type:
        if not isinstance(node.func, ast.Name):
            return self.fail(node, "expression.call", functions=list(FUNCTIONS))
        name = node.func.id
        fn = FUNCTIONS.get(name)
        if fn is None:
            close = difflib.get_close_matches(name, list(FUNCTIONS), n=1, cutoff=0.6)
            if close:
                return self.fail(node, "expression.unknown_function", function=name, suggestion=close[0])
            return self.fail(node, "expression.undeclared_function", function=name, functions=list(FUNCTIONS))
        if node.keywords:
            return self.fail(node, "expression.keywords", function=name)
        least = len(fn.params) - fn.optional
        most = None if fn.variadic else len(fn.params)
        count = len(node.args)
        if count < least or (most is not None and count > most):
            code = ("expression.arity_at_least" if most is None else
                    "expression.arity_exact" if least == most else "expression.arity")
            return self.fail(node, code, function=name, least=least, count=count,
                             **({} if most is None or least == most else {"most": most}))
        if name == "score":
            return self.check_score(node)
        if name == "date":
            arg = node.args[0]
            try:
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    raise ValueError
                _date(arg.value)
            except ValueError:
                return self.fail(node, "expression.date_literal")
        seen: list[Type] = []
        for i, arg in enumerate(node.args):
            if isinstance(arg, ast.Starred):
                return self.fail(arg, "expression.starred")
            wanted = fn.params[min(i, len(fn.params) - 1)]
            seen.append(self.expect_argument(arg, self.check(arg, depth), wanted, name, i + 1))
            if wanted == "any":
                seen[-1] = self.types_of_last
        if fn.returns != "same":
            return fn.returns
        known = [t for t in seen if t != "any"]
        if len(set(known)) > 1:
            return self.fail(node, "expression.argument_kinds", function=name,
                             kinds=[f"`{k}`" for k in dict.fromkeys(known)])
        return known[0] if known else "any"


_NOT_A: dict[Type, str] = {"bool": "expression.not_condition", "number": "expression.not_number",
                           "text": "expression.not_text", "date": "expression.not_date"}


def check_expression(text: str, names: Mapping[str, Name], expect: Type | None = None,
                     limits: Limits = DEFAULT_LIMITS) -> Expression:
    """Parse and check ``text``; raise :class:`ExpressionError` with every problem found.

    >>> check_expression("late * 2", {"late": Name("number", "fact")}, "number").names
    ('late',)
    """
    if not isinstance(text, str):
        raise ExpressionError([ExpressionProblem("expression.not_string")])
    if len(text) > limits.max_length:
        raise ExpressionError([_located("expression.too_long", text, 0, length=len(text), limit=limits.max_length)])
    source = text.strip()
    if not source:
        raise ExpressionError([ExpressionProblem("expression.empty")])
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError as exc:
        offset = max((exc.offset or 1) - 1, 0)
        raise ExpressionError([_located("expression.syntax", source, offset, detail=exc.msg)]) from None
    checker = _Checker(source, names, limits)
    result = checker.check(tree, 0)
    if checker.count > limits.max_nodes:
        checker.problems.append(("expression.too_many_parts", {"count": checker.count, "limit": limits.max_nodes}, 0))
    if expect not in (None, "any") and result not in ("any", expect) and not checker.problems:
        checker.problems.append((_NOT_A[expect], {"actual": result}, 0))
    if checker.problems:
        raise ExpressionError([_located(code, source, offset, **values) for code, values, offset in checker.problems])
    slotted = _Slots(checker.slots).visit(tree)
    assert isinstance(slotted, ast.expr)
    final: Type = result if expect in (None, "any") else expect
    return Expression(source, slotted, final, tuple(checker.used), tuple(checker.constants))


def _located(code: str, text: str, offset: int, **values: Any) -> ExpressionProblem:
    """A problem of ``code`` at character ``offset`` of ``text``, its sentence naming both."""
    return ExpressionProblem(code, {"expression": echo(text), "at": offset + 1, **values}, offset)


# --- the two evaluators -------------------------------------------------------------


_SLOT = "_c"  # literals become names `_c0`, `_c1`…: user names cannot begin with `_`


class _Slots(ast.NodeTransformer):
    """Replace each literal the checker recorded with the name of its constant slot."""

    def __init__(self, slots: Mapping[int, int]) -> None:
        self.slots = slots

    def visit(self, node: ast.AST) -> ast.AST:
        slot = self.slots.get(id(node))
        if slot is not None:
            return ast.copy_location(ast.Name(f"{_SLOT}{slot}", ast.Load()), node)
        result: ast.AST = super().visit(node)
        return result


def _slot(node: ast.AST) -> int | None:
    if isinstance(node, ast.Name) and node.id.startswith(_SLOT):
        return int(node.id[len(_SLOT):])
    return None


_OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: _div,
    ast.Pow: _pow,
    ast.USub: lambda a: -a,
    ast.UAdd: lambda a: +a,
    ast.Not: lambda a: not a,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_REFERENCE_NODES = (ast.Name, ast.UnaryOp, ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call, ast.Constant)


class _Reference(simpleeval.SimpleEval):  # type: ignore[misc]
    """simpleeval limited to the checked allow-list, with Decimal arithmetic."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        super().__init__(operators=_OPERATORS, functions={k: f.impl for k, f in FUNCTIONS.items()},
                         names=dict(values))
        handlers: dict[type, Any] = self.__dict__["nodes"]
        self.__dict__["nodes"] = {k: v for k, v in handlers.items() if k in _REFERENCE_NODES}


class _Render(ast.NodeTransformer):
    """Turn a checked tree into source over helper names and constant slots."""

    def __init__(self, constants: Sequence[Any], name_ref: Callable[[str], str],
                 const_ref: Callable[[Any], str]) -> None:
        self.constants = constants
        self.name_ref = name_ref
        self.const_ref = const_ref

    def _ref(self, source: str) -> ast.expr:
        return ast.parse(source, mode="eval").body

    def visit_Name(self, node: ast.Name) -> ast.AST:
        slot = _slot(node)
        if slot is not None:
            return self._ref(self.const_ref(self.constants[slot]))
        return self._ref(self.name_ref(node.id))

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        helper = {ast.Div: "_div", ast.Pow: "_pow"}.get(type(node.op))
        if helper is None:
            return node
        return ast.Call(ast.Name(helper, ast.Load()), [node.left, node.right], [])

    def visit_Call(self, node: ast.Call) -> ast.AST:
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name == "score":  # another indicator's score: the scorer's variable for it
            slot = _slot(node.args[0])
            assert slot is not None
            return self._ref(self.name_ref(SCORE_PREFIX + self.constants[slot]))
        return ast.Call(ast.Name(f"_fn_{name}", ast.Load()), [self.visit(a) for a in node.args], [])


def helpers(exact: bool = False) -> dict[str, Any]:
    """The names compiled expressions may call: the allow-list and nothing else.

    ``exact``: the versions over Fractions, for a scorer that keeps quotients exact.
    """
    names: dict[str, Any] = {"_div": _div, "_pow": _pow}
    names.update({f"_fn_{k}": f.impl for k, f in FUNCTIONS.items()})
    if exact:
        names.update({"_div": _exact_div, "_pow": _exact_pow, "_to_decimal": _to_fraction})
        names.update({f"_fn_{k}": f for k, f in _EXACT_FUNCTIONS.items()})
    return names


DECIMAL_CONTEXT = _DECIMAL_CONTEXT

__all__ = [
    "DECIMAL_CONTEXT",
    "DEFAULT_LIMITS",
    "FUNCTIONS",
    "SCORE_PREFIX",
    "Expression",
    "ExpressionError",
    "ExpressionProblem",
    "Function",
    "Limits",
    "Name",
    "Type",
    "check_expression",
    "helpers",
]

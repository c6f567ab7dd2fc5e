"""The expression language: exact Decimal arithmetic, safety limits, and two evaluators that agree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessrules.authoring.strategies import facts_for
from assessrules.engine.spec import Spec
from assessrules.messages import CATALOGUE, fill
from assessrules.rules.expressions import ExpressionError, Name, check_expression

NAMES = {
    "late": Name("number", "fact"),
    "rate": Name("number", "fact"),
    "ok": Name("bool", "fact"),
    "rating": Name("text", "fact", values=("优", "良", "差")),
}


def compiled(text: str, values: dict[str, Any]) -> Any:
    """Evaluate through the compiled path, as the scorer does."""
    from assessrules.rules.expressions import helpers

    expression = check_expression(text, NAMES)
    consts: dict[str, Any] = {}

    def const(value: Any) -> str:
        name = f"_k{len(consts)}"
        consts[name] = value
        return name

    source = expression.to_python(lambda n: f"ns[{n!r}]", const)
    return eval(source, {"__builtins__": {}, **helpers(), **consts}, {"ns": values})


def test_literals_are_exact_decimals() -> None:
    """0.1 + 0.2 is exactly 0.3, and 15 / 6 is exactly 2.5."""
    assert check_expression("0.1 + 0.2", NAMES).interpret({}) == Decimal("0.3")
    assert compiled("0.1 + 0.2 == 0.3", {}) is True
    assert compiled("15 / 6", {}) == Decimal("2.5")


def test_division_of_whole_numbers_stays_decimal() -> None:
    """Counts are ints; `late / 4` must not fall back to float."""
    value = compiled("late / 4", {"late": 3})
    assert isinstance(value, Decimal)
    assert value == Decimal("0.75")


def test_rounding_functions_round_as_named() -> None:
    """round_half_up rounds halves away from zero; round_half_even to even."""
    assert compiled("round_half_up(2.25, 1)", {}) == Decimal("2.3")
    assert compiled("round_half_even(2.25, 1)", {}) == Decimal("2.2")
    assert compiled("round_down(2.99)", {}) == Decimal(2)
    assert compiled("floor(-0.5) + ceil(0.5)", {}) == Decimal(0)


def test_membership_in_a_list_of_enum_values() -> None:
    """`x in (...)` checks against a fixed set of declared values."""
    assert compiled('rating in ("良", "差")', {"rating": "差"}) is True
    assert compiled('rating not in ("良", "差")', {"rating": "优"}) is True


@pytest.mark.parametrize(("text", "message"), [
    ("late.__class__", "attribute access"),
    ("__builtins__", "names beginning with `_`"),
    ("_c0", "names beginning with `_`"),
    ("late[0]", "subscripts"),
    ("[x for x in late]", "comprehensions"),
    ("open('f')", "unknown function `open`"),
    ("late ** 65", "exponent from 0 to 64"),
    ("late ** rate", "exponent from 0 to 64"),
    ("late if ok else 'x'", "both branches"),
    ("ok + 1", "`+` needs `number`"),
    ("rating == '中'", "not one of the values"),
    ("late is None", "`is` is not allowed"),
    ("lat", "did you mean" ),
    ("min(late)", "takes 2 or more arguments"),
    ("abs(x=late)", "by position"),
    ("abs(" * 30 + "late" + ")" * 30, "nested too deeply"),
    ("(late := 1)", "assignment"),
    ("late " + "+ late " * 150, "characters long"),
    ("late; late", "not a valid expression"),
    ("f'{late}'", "f-strings"),
    ("late := 1", "not a valid expression"),
])
def test_unsafe_or_wrong_expressions_are_rejected_before_any_data(text: str, message: str) -> None:
    """Each expression fails its checks with a message that says why."""
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, NAMES)
    text_of = " ".join(p.message + " " + (p.hint or "") for p in caught.value.problems)
    assert message in text_of


def test_an_unknown_name_gets_a_did_you_mean() -> None:
    """A close misspelling names the declared fact."""
    with pytest.raises(ExpressionError) as caught:
        check_expression("lates > 0", NAMES)
    assert caught.value.problems[0].hint == "did you mean `late`?"


def test_an_expression_problem_says_in_chinese_where_it_is_and_what_to_write() -> None:
    """The code and the values of an expression's problem give its Chinese sentence and did-you-mean."""
    with pytest.raises(ExpressionError) as caught:
        check_expression("late > 0 and lates > 0", NAMES)
    [found] = caught.value.problems
    entry = CATALOGUE[found.code]
    assert found.code == "expression.unknown_name" and found.offset == 13
    assert fill(entry.text_zh or "", "zh", found.values) == "表达式 `late > 0 and lates > 0` 第 14 个字符处：名称 `lates` 未声明"
    assert fill(entry.hint_zh or "", "zh", found.values) == "您是不是要写 `late`？"
    assert found.message == "in `late > 0 and lates > 0` at character 14: unknown name `lates`"


@pytest.mark.parametrize(("text", "code"), [
    ("late.__class__", "expression.attribute"), ("late[0]", "expression.subscript"), ("ok + 1", "expression.operand_type"),
    ("abs(ok)", "expression.argument_type"), ("late", None), ("zzz > 1", "expression.undeclared_name"),
    ("min(late)", "expression.arity_at_least"), ("late ** 65", "expression.power"), ("late; late", "expression.syntax"),
])
def test_every_expression_problem_has_its_own_code(text: str, code: str | None) -> None:
    """Each kind of mistake has a code of its own, which programs can read; a fine expression has none."""
    if code is None:
        check_expression(text, NAMES)
        return
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, NAMES)
    assert [p.code for p in caught.value.problems] == [code]


numbers = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@given(a=numbers, b=numbers, ok=st.booleans())
def test_compiled_and_simpleeval_agree(a: Decimal, b: Decimal, ok: bool) -> None:
    """The bytecode path and the simpleeval reference give identical values."""
    values = {"late": a, "rate": b, "ok": ok, "rating": "良"}
    for text in ("late * 2.5 - rate", "max(late, rate, 0) if ok else min(late, rate)",
                 "abs(late - rate) >= 10 and not ok", "round_half_up(late / 3, 2)", "late ** 2 - rate ** 3",
                 "-late + +rate", "(late > rate) == ok"):
        reference = check_expression(text, NAMES).interpret(values)
        assert compiled(text, values) == reference, text


@given(data=st.data())
def test_every_expression_of_the_2021_spec_agrees_with_the_reference(spec2021: Spec, data: st.DataObject) -> None:
    """For drawn 2021 units, each rule's expressions give the same value both ways, month by month too."""
    from assessrules.engine.compiler import compile_expression

    ns = spec2021.evaluate(data.draw(facts_for(spec2021))).record[4]
    values = {**{k: p.value for k, p in spec2021.parameters.items()}, **ns}
    for trigger in spec2021.triggers:
        for expression in trigger.expressions():
            fast = compile_expression(spec2021, expression, trigger.each)
            if trigger.each is None:
                assert fast(ns, None, None) == expression.interpret(values)
                continue
            for _, period_values in ns[f"@{trigger.each}"]:
                assert fast(ns, period_values, None) == expression.interpret({**values, **period_values})
    for derived in spec2021.derived:
        fast = compile_expression(spec2021, derived.expression, derived.each, derived.of is not None)
        for record in ns[derived.of] if derived.of else ():
            assert fast(ns, None, record) == derived.expression.interpret({**values, **record})

"""The corpus of bad specs: each file fails to load with its located message.

Each file in ``tests/bad_specs/`` begins with ``# expect: LINE:COL message``
(``*`` for any column); loading it must raise one SpecError that has a
problem at that line and column whose message contains the text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import assessrules
from assessrules.cli import run
from assessrules.errors import SpecError
from assessrules.messages import problem_message, render_problem

CORPUS = Path(__file__).parent / "bad_specs"
CASES = sorted(CORPUS.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+|\*) (.+)$")


def test_the_corpus_covers_the_failure_modes_named_in_the_issue() -> None:
    """Schema, duplicate key, unknown name, syntax, sums, grade gap/overlap, attribute, dunder, power."""
    names = {p.stem for p in CASES}
    assert {"schema_missing_key", "duplicate_key", "unknown_fact_in_expression", "expression_syntax_error",
            "children_do_not_add_up", "grade_gap", "grade_overlap", "attribute_access", "dunder_name",
            "huge_power"} <= names


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_spec_fails_with_its_located_message(path: Path) -> None:
    """The spec is rejected, and one problem sits at the expected line and column with the expected text."""
    match = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} lacks its '# expect:' header"
    line, column, message = int(match[1]), match[2], match[3]
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    problems = caught.value.problems
    found = [p for p in problems if message in p.message]
    assert found, "\n".join(str(p) for p in problems)
    assert any(p.line == line and (column == "*" or p.column == int(column)) for p in found), \
        "\n".join(str(p) for p in found)
    assert all(p.file == str(path) for p in problems)


def test_every_problem_in_a_spec_is_reported_at_once(tmp_path: Path) -> None:
    """Two independent mistakes give two located problems in one SpecError."""
    text = (CORPUS / "grade_gap.yaml").read_text(encoding="utf-8").replace("per: late", "per: lates")
    bad = tmp_path / "two.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(bad)
    messages = [p.message for p in caught.value.problems]
    assert any("unknown name `lates`" in m for m in messages)
    assert any("gap between grades" in m for m in messages)


ZH = {
    "attribute_access": "指标「时效性」：表达式 `late.real` 第 1 个字符处：不允许属性访问（`a.b`）",
    "bad_default": "数据项“迟报条数”（late）的默认值 `-1` 不符合该数据项",
    "children_do_not_add_up": "指标「坏例子」：子指标分值合计为 10（时效性 10），不等于 12",
    "condition_not_boolean": "这里须为“是/否”条件（`bool`），而这个表达式是 `number` 类型",
    "count_not_number": "这里须为数（`number`），而这个表达式是 `bool` 类型",
    "deduct_both_per_and_if": "`deduct` 下的每一条规则须且只须写 `per`、`records`、`discretion`、`if` 中的一个，这里写了多个",
    "dunder_name": "不允许使用以 `_` 开头的名称（如 `__import__`）",
    "duplicate_indicator_id": "指标“时效性二”的编号 `timeliness` 与另一个指标重复",
    "enum_value_not_declared": "表达式 `rating == \"差\"` 第 11 个字符处：`差` 不是 `rating` 的可选值（可选值：好、较差）",
    "expression_syntax_error": "表达式 `late *` 第 1 个字符处：这不是有效的表达式",
    "expression_too_long": "表达式长 837 个字符，最多只能有 500 个",
    "fact_and_parameter_clash": "`late` 既声明为数据项，又声明为参数",
    "grade_deducts_over_100_percent": "等次「不合格」扣减目标分值的比例须在 0% 到 100% 之间，不能是 140%",
    "grade_gap": "等次之间有空档：5 分至 6 分之间的得分不属于任何等次（在「不合格」与「合格」之间）",
    "grade_no_bottom": "低于 6 分的得分不属于任何等次（最低等次是「合格」）",
    "grade_overlap": "等次范围重叠：6 分至 7 分的得分既属于「合格」又属于「不合格」",
    "huge_power": "乘方的指数须为 0 到 64 之间的整数",
    "lambda": "只能调用列出的函数",
    "negative_points": "指标「时效性」：分值不能为负数，这里是 -1",
    "required_and_default": "数据项“有账号”（has_account）是必填项，不能有默认值",
    "subscript": "不允许下标（`a[b]`）",
    "unknown_assumption": "指标「时效性」：没有编号为 `made-up` 的解读",
    "unknown_fact_in_expression": "指标「时效性」：表达式 `lates` 第 1 个字符处：名称 `lates` 未声明",
    "unknown_function": "表达式 `eval(late)` 第 1 个字符处：没有函数 `eval`",
    "unknown_unit_type": "指标「时效性」：没有单位类型 `county`",
}
"""What each bad spec of a spec's sections says in Chinese (the default language), at the line of its `# expect:`."""


@pytest.mark.parametrize("stem", sorted(ZH))
def test_a_section_problem_reads_in_chinese_at_its_place(stem: str) -> None:
    """The problem at the expected line and column is one whole Chinese sentence, with the spec's own names."""
    path = CORPUS / f"{stem}.yaml"
    match = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match
    line = int(match[1])
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    said = [render_problem(p, "zh") for p in caught.value.problems if p.line == line]
    assert any(ZH[stem] in s for s in said), "\n".join(said)
    assert all(p.code and p.code != "spec.invalid" for p in caught.value.problems)


def test_validate_says_a_section_problem_in_chinese_by_default_and_in_english_when_asked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`validate` prints the located problem and its hint in Chinese with no language set, in English with --lang en."""
    monkeypatch.delenv("ASSESSRULES_LANG", raising=False)
    path = CORPUS / "unknown_fact_in_expression.yaml"
    err = io.StringIO()
    assert run(["validate", str(path)], io.StringIO(), err) == 2
    assert (f"{path}:16:14: 指标「时效性」：表达式 `lates` 第 1 个字符处：名称 `lates` 未声明"
            "（位置 $.indicators[0].deduct[0].per）\n    提示：您是不是要写 `late`？") in err.getvalue()
    err = io.StringIO()
    assert run(["--lang", "en", "validate", str(path)], io.StringIO(), err) == 2
    assert (f"{path}:16:14: indicator 「时效性」: in `lates` at character 1: unknown name `lates` "
            "(at $.indicators[0].deduct[0].per)\n    hint: did you mean `late`?") in err.getvalue()


def test_a_grade_problem_reads_in_both_languages_from_the_same_values() -> None:
    """One grade gap, said in Chinese and in English, names the same grades, scores and fix."""
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(CORPUS / "grade_gap.yaml")
    [gap] = caught.value.problems
    assert gap.code == "spec.grade_gap" and (gap.line, gap.column) == (20, 35)
    assert problem_message(gap, "zh") == (
        "等次之间有空档：5 分至 6 分之间的得分不属于任何等次（在「不合格」与「合格」之间）", "请把「不合格」设为 `below: 6`")
    assert problem_message(gap, "en") == (
        "gap between grades: no grade covers scores from 5 up to 6 (between 「不合格」 and 「合格」)",
        "set `below: 6` on 「不合格」")

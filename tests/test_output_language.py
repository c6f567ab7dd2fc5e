"""Every text output a person reads is Chinese with no language set, and English with `--lang en` (issue 21).

The account (explain), the ranking table, the CSV's headers, the bulletin, and the rule author's `test`,
`check`, `diff` and `impact`: their own words come from the catalogue in either language. What programs
read does not change with the language: JSON, and CSV with `--ids`.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import assessrules
from assessrules.authoring._words import say
from assessrules.authoring.diff import diff, render_diff
from assessrules.authoring.invariants import INVARIANTS, invariant
from assessrules.authoring.scenarios import load_cases, render_outcomes, run_cases
from assessrules.cli import run
from assessrules.inputs.facts_file import read_facts, units_of

HERE = Path(__file__).parent
EXAMPLE = str(HERE.parent / "examples" / "zhenping-2021-units.yaml")
NEXT = str(HERE / "specs" / "2022-next.yaml")
BROKEN = str(HERE / "broken_specs" / "score_expression_negative.yaml")


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSESSRULES_LANG", raising=False)


def call(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue()


# (command line, a line of its Chinese output, the same line in English)
TEXT_OUTPUTS = [
    (["explain", EXAMPLE, "--unit", "niutoudian"], "最终得分 71 分 · 等次 良好", "final score 71 · grade 良好"),
    (["explain", EXAMPLE, "--all"], "一、得分明细", "1. Score in detail"),
    (["score", EXAMPLE], "名次  单位      编号", "Rank  Unit      Id"),
    (["score", EXAMPLE, "--format", "csv"], "单位类型,名次,编号,单位", "Unit type,Rank,Id,Unit"),
    (["bulletin", EXAMPLE, "--quarter", "2021Q3"], "未完成事项：", "Items not done:"),
    (["bulletin", EXAMPLE, "--quarter", "2021Q3", "--format", "csv"], "单位类型,名次,编号,单位,月份",
     "Unit type,Rank,Id,Unit,Month"),
    (["test", "2021"], "通过 9 个，未通过 0 个", "9 passed, 0 failed"),
    (["diff", "2021", NEXT], "共 24 处变化", "24 changes"),
    (["diff", "2021", NEXT], "  ~ 公开内容时效性（timeliness）：分值 40 → 35",
     "  ~ 公开内容时效性 (timeliness): points 40 → 35"),
    (["impact", "2021", NEXT, EXAMPLE], "16 个单位中 7 个结果有变化", "7 of 16 units change"),
    (["impact", "2021", NEXT, EXAMPLE], "    变化原因（规则的改动）：", "    why (the changes of the rules):"),
    (["check", BROKEN, "--examples", "20", "--seed", "3"], "项不变式中有 1 项不成立", "1 of 14 invariants broken"),
]


@pytest.mark.parametrize(("argv", "zh", "en"), TEXT_OUTPUTS, ids=[f"{a[0]}-{i}" for i, (a, _, _) in
                                                                  enumerate(TEXT_OUTPUTS)])
def test_a_text_output_is_chinese_by_default_and_english_with_lang_en(argv: list[str], zh: str, en: str) -> None:
    """With no language set the command speaks Chinese; `--lang en` gives the same output in English."""
    _, chinese = call(*argv)
    _, english = call(*argv, "--lang", "en")
    assert zh in chinese and en not in chinese
    assert en in english and zh not in english


@pytest.mark.parametrize("argv", [
    ["score", EXAMPLE, "--format", "json"],
    ["score", EXAMPLE, "--format", "csv", "--ids"],
    ["explain", EXAMPLE, "--unit", "niutoudian", "--format", "json"],
    ["bulletin", EXAMPLE, "--quarter", "2021Q3", "--format", "json"],
    ["bulletin", EXAMPLE, "--quarter", "2021Q3", "--format", "csv", "--ids"],
    ["diff", "2021", NEXT, "--format", "json"],
    ["impact", "2021", NEXT, EXAMPLE, "--format", "json"],
], ids=lambda argv: "-".join(a for a in argv if not a.startswith("/")))
def test_what_programs_read_does_not_change_with_the_language(argv: list[str]) -> None:
    """JSON, and CSV with `--ids`, are the same bytes in either language."""
    assert call(*argv) == call(*argv, "--lang", "en")


def test_the_check_progress_lines_and_verdicts_follow_the_language() -> None:
    """`check`: the heading, each invariant's summary and verdict, the broken one and the count."""
    code, chinese = call("check", BROKEN, "--examples", "20", "--seed", "3")
    assert code == 1
    assert chinese.startswith(f"正在检查 {BROKEN}（")
    assert "  bounds            每项指标的得分都在其下限与分值之间" in chinese
    assert "不成立（" in chinese and "成立（" in chinese and "BROKEN" not in chinese
    code, english = call("check", BROKEN, "--examples", "20", "--seed", "3", "--lang", "en")
    assert code == 1
    assert english.startswith(f"checking {BROKEN} — ")
    assert "BROKEN (" in english and "ok (" in english
    assert "score_range: the score expression `10 - errors * 2`" in english


def test_the_library_says_its_texts_in_chinese_unless_asked_for_english(spec2021: assessrules.Spec) -> None:
    """Result.explain, render_outcomes, render_diff and Violation.render take `lang`, Chinese by default."""
    result = spec2021.evaluate(units_of(read_facts(EXAMPLE))[0])
    assert result.explain() == result.explain("zh")
    assert "一、得分明细" in result.explain() and "1. Score in detail" in result.explain(lang="en")
    assert result.explain("en").splitlines()[-1].startswith("receipt: rules zhenping-2021 sha256:")
    outcomes = run_cases(spec2021, load_cases(spec2021, HERE.parent / "specs" / "2021.tests.yaml"))
    assert render_outcomes("x", outcomes).endswith("通过 9 个，未通过 0 个\n")
    assert render_outcomes("x", outcomes, "en").endswith("9 passed, 0 failed\n")
    new = assessrules.load_spec(NEXT)
    changes = diff(spec2021, new)
    assert render_diff(spec2021, new, changes).endswith("共 24 处变化\n")
    assert render_diff(spec2021, new, changes, "en").endswith("24 changes\n")
    assert str(changes[0]) == changes[0].say("zh")
    broken = assessrules.load_spec(HERE / "broken_specs" / "deduction_above_target.yaml")
    unit = {"id": "u", "type": "town", "target": 1, "facts": {"late": 9, "notices": 4}}
    violation = invariant("deduction_bounds").check(broken, unit)
    assert violation is not None
    assert violation.render().startswith("deduction_bounds：扣减 3 分超出了 [0, 目标分值 1] 的范围（等次不合格：1 分）")
    assert str(violation) == violation.render("en") and str(violation).startswith("deduction_bounds: the deduction 3 ")
    assert "    反例：{" in violation.render() and "    counterexample: {" in str(violation)
    assert say(invariant("grades").summary, "zh") == "等次就是界限包含该得分的那个等次"
    assert all(str(inv.summary) == say(inv.summary, "en") for inv in INVARIANTS)


def test_a_scenario_difference_is_english_as_text_and_said_in_either_language(spec2021: assessrules.Spec,
                                                                              tmp_path: Path) -> None:
    """Outcome.differences compare as the English programs read; render_outcomes says them in the language."""
    cases = (HERE.parent / "specs" / "2021.tests.yaml").read_text(encoding="utf-8")
    wrong = tmp_path / "cases.yaml"
    wrong.write_text(cases.replace("spec: 2021.yaml\n", "").replace("score: 71\n", "score: 72\n"), encoding="utf-8")
    failed = [o for o in run_cases(spec2021, load_cases(spec2021, wrong)) if not o.passed]
    assert [o.differences for o in failed] == [("score: expected 72, got 71",)]
    assert "      score：期望 72，实际为 71\n" in render_outcomes("x", failed)

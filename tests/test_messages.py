"""The message catalogue: Chinese and English texts keyed by the problem codes, and `--lang`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assessrules.cli import run
from assessrules.errors import Problem
from assessrules.messages import CATALOGUE, default_language, problem_message, render_problem

ROOT = Path(__file__).resolve().parent.parent


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_default_language_comes_from_the_locale(environ: dict[str, str], expected: str) -> None:
    """LC_ALL, then LC_MESSAGES, then LANG decide; Chinese locales give zh, others en."""
    assert default_language(environ) == expected


def test_a_missing_fact_reads_in_chinese() -> None:
    """facts.missing has a Chinese message naming the fact, and a Chinese hint."""
    problem = Problem("missing fact `late` (迟报)", ("facts", "late"), hint="this fact is required",
                      code="facts.missing", fact="late", unit="a")
    assert problem_message(problem, "zh") == ("缺少必填数据项 `late`", "请填写这一数据项")
    assert problem_message(problem, "en") == ("missing fact `late` (迟报)", "this fact is required")


def test_a_code_without_chinese_text_or_fields_falls_back_to_english() -> None:
    """Without a Chinese text for the code, or without the fields it names, the English message is shown."""
    plain = Problem("something", code="request.method")
    no_fact = Problem("missing fact", code="facts.missing")
    assert problem_message(plain, "zh") == ("something", None)
    assert problem_message(no_fact, "zh") == ("missing fact", None)
    assert "hint" not in render_problem(Problem("x", code="spec.invalid", hint="h"), "zh")


def test_the_most_common_codes_have_chinese_texts() -> None:
    """The common facts and spec problems have a Chinese message, not only a meaning."""
    common = ["facts.missing", "facts.unknown", "facts.type", "facts.range", "facts.enum", "facts.unit_type",
              "facts.period_missing", "spec.schema", "spec.expression", "spec.grade_gap", "spec.points_sum"]
    assert all(CATALOGUE[c].zh_text for c in common)


def test_lang_zh_prints_problems_and_the_summary_in_chinese(tmp_path: Path) -> None:
    """`score --lang zh` prints each problem and the closing line in Chinese; `--lang en` in English."""
    facts = tmp_path / "facts.yaml"
    facts.write_text("units:\n  - {id: a, name: A, type: town, target: 3, facts: {}}\n", encoding="utf-8")
    code, _, zh = _run("score", str(facts), "--lang", "zh")
    assert code == 1
    assert "单位 a：缺少必填数据项 `has_catalogue`（位置 $.units[0].facts.has_catalogue）" in zh
    assert "提示：请填写这一数据项" in zh
    assert zh.splitlines()[-1].startswith("共 ") and zh.splitlines()[-1].endswith("个问题；未计分")
    _, _, en = _run("--lang", "en", "score", str(facts))
    assert "unit a: missing fact `has_catalogue`" in en
    assert en.splitlines()[-1].endswith("problems; nothing was scored")


def test_lang_zh_for_a_bad_spec(tmp_path: Path) -> None:
    """`validate --lang zh` gives the spec's problem and the summary in Chinese."""
    code, _, err = _run("validate", str(ROOT / "tests/bad_specs/grade_gap.yaml"), "--lang", "zh")
    assert code == 2
    assert "等次之间存在空档：gap between grades" in err
    assert err.splitlines()[-1] == "1 个考评细则中有 1 个有误，共 1 个问题"


def test_without_lang_the_command_line_follows_the_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With LANG=zh_CN.UTF-8 and no --lang, problems are printed in Chinese."""
    facts = tmp_path / "facts.yaml"
    facts.write_text("units:\n  - {id: a, name: A, type: town, target: 3, facts: {}}\n", encoding="utf-8")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    _, _, err = _run("score", str(facts))
    assert "缺少必填数据项 `has_catalogue`" in err

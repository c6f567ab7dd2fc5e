"""The message catalogue: Chinese and English texts keyed by the problem codes, and `--lang`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assessrules.cli import run
from assessrules.errors import Problem
from assessrules.messages import CATALOGUE, default_language, listing, problem, problem_message

ROOT = Path(__file__).resolve().parent.parent


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "C"}, "zh"),
    ({"ASSESSRULES_LANG": "en"}, "en"),
    ({"ASSESSRULES_LANG": "en_GB", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"ASSESSRULES_LANG": "zh"}, "zh"),
])
def test_the_default_language_is_chinese_unless_assessrules_lang_says_english(environ: dict[str, str],
                                                                               expected: str) -> None:
    """The people who read our messages are Chinese: the locale (often unset on Windows) does not decide."""
    assert default_language(environ) == expected


def test_a_missing_fact_reads_in_chinese_and_in_english_from_the_same_values() -> None:
    """facts.missing names the fact by its label first, then its id, in whole sentences in both languages."""
    made = problem("facts.missing", ("facts", "late"), unit="a", fact="late", fact_label="迟报")
    assert problem_message(made, "zh") == ("缺少必填数据项“迟报”（late）", "请填写这一数据项")
    assert problem_message(made, "en") == ("missing fact `late` (迟报)", "give this fact a value")
    assert made.message == "missing fact `late` (迟报)" and made.code == "facts.missing" and made.fact == "late"


def test_a_problem_made_without_the_catalogue_keeps_its_own_words() -> None:
    """A Problem built by hand (a caller's own) is shown as it was written, in either language."""
    plain = Problem("something", code="request.method")
    assert problem_message(plain, "zh") == ("something", None)


def test_a_list_is_joined_by_a_separator_none_of_its_items_contains() -> None:
    """Three unit types whose labels hold 、 still read as three."""
    assert listing(["乡镇、街道", "县直部门", "其他"], "zh") == "乡镇、街道；县直部门；其他"
    assert listing(["a、b；c，d / e | f", "g"], "zh").count("\n") == 2


def test_every_code_with_a_sentence_has_it_in_both_languages_with_the_same_fields() -> None:
    """A code's Chinese and English sentences (and hints) name the same values."""
    import string

    def fields(t: str | None) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(t or "") if f}

    for code, entry in CATALOGUE.items():
        assert (entry.text_en is None) == (entry.text_zh is None), code
        assert (entry.hint_en is None) == (entry.hint_zh is None), code
        assert fields(entry.text_en) == fields(entry.text_zh), code
        assert fields(entry.hint_en) == fields(entry.hint_zh), code
        assert fields(entry.en) == fields(entry.zh), code


def test_lang_zh_prints_problems_and_the_summary_in_chinese(tmp_path: Path) -> None:
    """`score --lang zh` prints each problem and the closing line in Chinese; `--lang en` in English."""
    facts = tmp_path / "facts.yaml"
    facts.write_text("units:\n  - {id: a, name: A, type: town, target: 3, facts: {}}\n", encoding="utf-8")
    code, _, zh = _run("score", str(facts), "--lang", "zh")
    assert code == 1
    assert ("单位“A”（a）：缺少必填数据项“已编制政府信息公开目录”（has_catalogue）"
            "（位置 $.units[0].facts.has_catalogue）") in zh
    assert "提示：请填写这一数据项" in zh
    assert zh.splitlines()[-1].startswith("共 ") and zh.splitlines()[-1].endswith("个问题；未计分")
    _, _, en = _run("--lang", "en", "score", str(facts))
    assert "unit a (A): missing fact `has_catalogue` (已编制政府信息公开目录)" in en
    assert en.splitlines()[-1].endswith("problems; nothing was scored")


def test_lang_zh_for_a_bad_spec(tmp_path: Path) -> None:
    """`validate --lang zh` gives the spec's problem and the summary in Chinese."""
    code, _, err = _run("validate", str(ROOT / "tests/bad_specs/grade_gap.yaml"), "--lang", "zh")
    assert code == 2
    assert "grade_gap.yaml:20:35: 等次之间有空档：5 分至 6 分之间的得分不属于任何等次（在「不合格」与「合格」之间）" in err
    assert "提示：请把「不合格」设为 `below: 6`" in err
    assert err.splitlines()[-1] == "1 个考评细则中有 1 个有误，共 1 个问题"


def test_without_lang_or_assessrules_lang_problems_are_in_chinese(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """With no LANG (as on Windows) and no --lang, problems, hints and the summary are printed in Chinese."""
    facts = tmp_path / "facts.yaml"
    facts.write_text("units:\n  - {id: a, name: A, type: town, target: 3, facts: {}}\n", encoding="utf-8")
    for name in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "ASSESSRULES_LANG"):
        monkeypatch.delenv(name, raising=False)
    _, _, err = _run("score", str(facts))
    assert "单位“A”（a）：缺少必填数据项“已编制政府信息公开目录”（has_catalogue）" in err
    assert "提示：请填写这一数据项" in err and "missing" not in err
    monkeypatch.setenv("ASSESSRULES_LANG", "en")
    _, _, err = _run("score", str(facts))
    assert "unit a (A): missing fact `has_catalogue`" in err


def test_errors_json_says_its_words_in_the_chosen_language_with_the_same_codes(tmp_path: Path) -> None:
    """`--errors json`: title, messages and hints in Chinese by default, in English with --lang en; codes unchanged."""
    import json

    facts = tmp_path / "facts.yaml"
    facts.write_text("units:\n  - {id: a, name: 甲镇, type: town, target: 3, facts: {}}\n", encoding="utf-8")
    _, _, zh = _run("score", str(facts), "--errors", "json")
    _, _, en = _run("score", str(facts), "--errors", "json", "--lang", "en")
    zh_doc, en_doc = json.loads(zh), json.loads(en)
    assert zh_doc["title"] == "考核数据有误" and en_doc["title"] == "The facts are not valid"
    assert [p["code"] for p in zh_doc["problems"]] == [p["code"] for p in en_doc["problems"]]
    first_zh, first_en = zh_doc["problems"][0], en_doc["problems"][0]
    assert first_zh["message"].startswith("缺少必填数据项“") and first_en["message"].startswith("missing fact `")
    assert first_zh["hint"] == "请填写这一数据项" and first_en["hint"] == "give this fact a value"

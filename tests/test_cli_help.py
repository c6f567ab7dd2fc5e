"""Every command's --help in the chosen language: Chinese with no language set, English with --lang en."""

from __future__ import annotations

import argparse
import io
import re

import pytest

from assessrules.cli import _parser, run

COMMANDS = sorted(next(a for a in _parser("en")._actions if isinstance(a, argparse._SubParsersAction)).choices)

# What may stay English in a Chinese help: code spans, {choices}, option names, METAVARS and environment
# variables, file names and extensions, paths, the program's and the commands' own names.
_ALLOWED = [
    re.compile(r"`[^`]*`"),
    re.compile(r"\{[^}]*\}"),
    re.compile(r"(?<![\w])--?[A-Za-z][-A-Za-z]*"),
    re.compile(r"\b[A-Z][A-Z_0-9]*\b"),
    re.compile(r"[\w.-]*\.(?:xlsx|xlsm|xls|ods|yaml|yml|json|csv|html|txt|docx|pdf)\b"),
    re.compile(r"/[\w./-]+"),
    re.compile(r"\bassessrules\b"),
    re.compile(r"\b(?:" + "|".join(re.escape(c) for c in COMMANDS) + r")\b"),
]
_WORD = re.compile(r"[A-Za-z]{2,}")


def help_of(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = run([*argv, "--help"], out, err)
    assert code == 0, err.getvalue()
    return out.getvalue()


def english_words(text: str) -> list[str]:
    for allowed in _ALLOWED:
        text = allowed.sub(" ", text)
    return _WORD.findall(text)


@pytest.fixture(autouse=True)
def no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on Windows: neither LANG nor ASSESSRULES_LANG."""
    monkeypatch.delenv("ASSESSRULES_LANG", raising=False)
    monkeypatch.delenv("LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_chinese_with_no_language_set(command: str) -> None:
    """`assessrules [COMMAND] --help`: argparse's words and ours in Chinese; English only in names and code."""
    text = help_of(*([command] if command else []))
    assert text.startswith("用法：assessrules")
    assert "选项：" in text and "显示本帮助并退出" in text
    assert english_words(text) == [], text
    assert re.search(r"[\u4e00-\u9fff]{4}", text)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_english_with_lang_en(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--lang en` (or ASSESSRULES_LANG=en) gives the English help, argparse's own words included."""
    text = help_of(*([command] if command else []), "--lang", "en")
    assert text.startswith("usage: assessrules")
    assert "options:" in text and "show this help message and exit" in text
    assert "用法" not in text and "选项" not in text and "显示本帮助并退出" not in text
    monkeypatch.setenv("ASSESSRULES_LANG", "en")
    assert help_of(*([command] if command else [])) == text


def test_the_checker_finds_english() -> None:
    """The word check is not vacuous: a stray English word is found, names and code are not."""
    assert english_words("显示 help 信息") == ["help"]
    assert english_words("用 `--spec` 或 --spec SPEC，文件 a.xlsx，命令 score") == []

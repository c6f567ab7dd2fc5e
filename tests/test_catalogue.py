"""The one catalogue holds every sentence a person reads, whole, in Chinese and in English.

- Every code's Chinese sentence, hint and line reads as Chinese: no English word outside a code span
  (`…`) and the values it names ({fact}, {cell}, {expression}, …).
- No problem is made outside the catalogue: in the package, a ``Problem`` is built only by
  :func:`assessrules.messages.problem`, and no error is raised from a bare string.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path
from typing import Any

import pytest

from assessrules.catalogue import CATALOGUE, is_line

PACKAGE = Path(__file__).resolve().parent.parent / "assessrules"

_CODE_SPAN = re.compile(r"`[^`]*`")
_WORD = re.compile(r"[A-Za-z][A-Za-z]+")


def english_words(text: str, template: bool = True) -> list[str]:
    """The English words of ``text`` outside its code spans and (in a template) its ``{fields}``.

    Nothing else is let through: a format, a program or an option a sentence names stands in a code span
    (`YAML`, `Excel`, `--force`), as the catalogue writes them.
    """
    bare = "".join(literal for literal, _, _, _ in string.Formatter().parse(text)) if template else text
    return _WORD.findall(_CODE_SPAN.sub("", bare))


CHINESE = [(code, field, getattr(entry, field)) for code, entry in sorted(CATALOGUE.items())
           for field in ("zh", "text_zh", "hint_zh") if getattr(entry, field)]


@pytest.mark.parametrize(("code", "field", "text"), CHINESE, ids=[f"{c}.{f}" for c, f, _ in CHINESE])
def test_every_chinese_text_is_chinese(code: str, field: str, text: str) -> None:
    """No English word in a Chinese text, outside code spans and the values it names."""
    assert english_words(text) == [], f"{code} {field}: {text}"


def test_the_english_word_finder_finds_english() -> None:
    """The check above can fail: English pasted into a Chinese sentence is found."""
    assert english_words("考核数据文件有误：cannot read {file}") == ["cannot", "read"]
    assert english_words("缺少数据项 `late`（{fact}）") == []
    assert english_words("文件不是 UTF-8 编码") == ["UTF"] and english_words("请加上 --force") == ["force"]


def test_no_chinese_sentence_pastes_the_english_message() -> None:
    """A Chinese sentence never shows the English one inside it (the old `{message}`)."""
    pasted = [code for code, entry in CATALOGUE.items() if not is_line(code)  # a line may hold a sentence said already
              for t in (entry.zh, entry.text_zh, entry.hint_zh) if t and "{message}" in t]
    assert pasted == []


def test_every_problem_code_has_a_sentence_or_is_an_error_class_code() -> None:
    """A problem code says its problem in both languages, unless it only names a kind of error."""
    kinds = {"error", "facts.invalid", "spec.invalid", "evaluation.failed", "usage.invalid", "request.invalid"}
    without = [c for c, e in CATALOGUE.items() if not is_line(c) and e.text_en is None and c not in kinds]
    assert without == []


def _calls() -> list[tuple[str, int, str]]:
    found = []
    errors = {"AssessRulesError", "SpecError", "FactsError", "EvaluationError", "UsageError"}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "messages.py" and path.parent == PACKAGE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else "")
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            if name == "Problem":
                found.append((where, node.lineno, "Problem(…) built outside the catalogue"))
            elif name in errors and node.args and isinstance(node.args[0], ast.Constant | ast.JoinedStr):
                found.append((where, node.lineno, f"{name} raised from a bare string"))
    return found


def test_no_problem_is_made_outside_the_catalogue() -> None:
    """Every problem the package makes comes from a catalogue code, so it can be said in both languages."""
    assert _calls() == []


def _fields(*texts: str | None) -> set[str]:
    return {f for t in texts if t for _, f, _, _ in string.Formatter().parse(t) if f}


SAID = sorted(c for c, e in CATALOGUE.items() if not is_line(c) and e.text_en is not None)


@pytest.mark.parametrize("code", SAID)
def test_every_problem_is_said_in_chinese_and_in_english_from_its_values(code: str) -> None:
    """Each problem code, made with a value for every field it names, reads in both languages, all in Chinese."""
    from assessrules.messages import problem, problem_message

    entry = CATALOGUE[code]
    values: dict[str, Any] = dict.fromkeys(_fields(entry.text_en, entry.text_zh, entry.hint_en, entry.hint_zh), "甲")
    made = problem(code, **values)
    zh, zh_hint = problem_message(made, "zh")
    en, en_hint = problem_message(made, "en")
    assert (zh, zh_hint) != (en, en_hint) and made.message == en
    assert english_words(zh, template=False) == [] and english_words(zh_hint or "", template=False) == []
    assert (zh_hint is None) == (en_hint is None)


def test_every_problem_code_has_the_form_the_problems_schema_publishes() -> None:
    """A code a program reads in `--errors json` or over HTTP validates against schemas/problem-1.schema.json."""
    import json

    schema = json.loads((PACKAGE.parent / "schemas" / "problem-1.schema.json").read_text(encoding="utf-8"))
    form = re.compile(schema["$defs"]["code"]["pattern"])
    assert [c for c in CATALOGUE if not is_line(c) and not form.search(c)] == []

"""What a rule author reads when a spec file is wrong: whole sentences in Chinese (the default) and in English.

Each problem is located (file:line:col), names the place in the document's own terms (the key, the
value written, what is expected) and has a hint; the same problem reads in English with ``--lang en``.
"""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import pytest

import assessrules
from assessrules.catalogue import CATALOGUE
from assessrules.cli import run
from assessrules.errors import SpecError
from assessrules.messages import problem_message

from .hostile_corpus import TINY

CORPUS = Path(__file__).parent / "bad_specs"


def _validate(path: Path, *lang: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([*lang, "validate", str(path)], out, err)
    return code, err.getvalue() + out.getvalue()


def _write(folder: Path, text: str, name: str = "spec.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "zh", "en"), [
    (TINY.replace("points: 10,", "pionts: 10, points: 10,"),
     ":5:38: `pionts` 不是这里可以写的键（位置 $.indicators[0].pionts）\n    提示：您是不是要写 `points`？",
     ":5:38: unknown key `pionts` (at $.indicators[0].pionts)\n    hint: did you mean `points`?"),
    (TINY.replace("points: 10,", "points: [10],"),
     ":5:46: `points` 应为数字或文本（表达式），而不是 `[10]`（位置 $.indicators[0].points）\n"
     "    提示：请写一个数字，或一个表达式",
     ":5:46: expected a number or text for `points`, got `[10]` (at $.indicators[0].points)\n    hint: write a number"),
    (TINY.replace("type: count", "type: cuont"),
     ":4:22: `type: cuont` 不符合要求：`type` 只能是以下之一：bool、count、number、ratio、enum、date、text、records"
     "（位置 $.facts.late.type）\n    提示：您是不是要写 `count`？",
     ":4:22: `type: cuont` is not allowed here; expected one of: bool, count, number, ratio, enum, date, text, records "
     "(at $.facts.late.type)\n    hint: did you mean `count`?"),
    (TINY.replace("title: 小例子, ", ""),
     ":2:11: 这里缺少必填的键 `title`（位置 $.metadata）\n    提示：请加上 `title:`",
     ":2:11: missing `title` (at $.metadata)\n    hint: add `title:` here"),
    (TINY.replace("unit_types: {town: {label: 镇}}", "unit_types:\n\ttown: {label: 镇}"),
     ":4:1: 这一行用制表符（`Tab`）缩进或分隔，`YAML` 只认空格（`found character '\\t' that cannot start any token`）\n"
     "    提示：请把制表符换成空格",
     ":4:1: this is not valid YAML: found character '\\t' that cannot start any token\n    hint: indent with spaces"),
    (TINY.replace("spec_format: 1\n", "spec_format：1\n"),
     ":1:12: `spec_format` 后面用了全角冒号“：”，`YAML` 只认半角冒号 `:`\n    提示：请改成半角冒号加一个空格：`spec_format: 1`",
     ":1:12: `spec_format` is followed by a full-width colon (：); YAML takes only `:` after a key\n"
     "    hint: write a colon and a space: `spec_format: 1`"),
    (TINY + "grades: []\n",
     ":7:1: 键 `grades` 重复（第 6 行已经写过）（位置 $.grades）\n    提示：请只保留其中一个",
     ":7:1: duplicate key `grades` (first given on line 6) (at $.grades)\n    hint: keep one of the two"),
])
def test_a_spec_file_problem_reads_in_chinese_by_default_and_in_english_on_request(
        tmp_path: Path, text: str, zh: str, en: str) -> None:
    """The problem is located, worded in Chinese with a Chinese hint; `--lang en` says the same in English."""
    path = _write(tmp_path, text)
    code, chinese = _validate(path)
    assert code == 2
    assert f"{path}{zh}" in chinese, chinese
    assert not re.search(r"\bhint\b|expected|unknown key", chinese)
    code, english = _validate(path, "--lang", "en")
    assert code == 2
    assert f"{path}{en}" in english, english


def test_a_misspelt_new_parameter_asks_in_chinese_whether_the_base_name_was_meant(tmp_path: Path) -> None:
    """docs/authoring.md promises `您是不是要写 `monthly_miss_points``: the extending file gets it, at the name."""
    path = _write(tmp_path, 'spec_format: 1\nextends: "2021"\nparameters:\n'
                            "  monthy_miss_points: {value: 1, label: 月度考核每项未完成扣分}\n")
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    [found] = [p for p in caught.value.problems if p.code == "extends.unused_parameter_typo"]
    message, hint = problem_message(found, "zh")
    assert message == "`monthy_miss_points` 是新增的参数，但没有任何规则用到它，所以什么也没有改变"
    assert hint is not None and hint.startswith("您是不是要写 `monthly_miss_points`？")
    assert (found.line, found.column) == (4, 3)
    assert found.hint is not None and found.hint.startswith("did you mean `monthly_miss_points`?")


def test_a_base_outside_the_folder_is_refused_in_chinese(tmp_path: Path) -> None:
    """`extends:` outside the allowed folders: the refusal names the reference, the allowed folder and `--allow-dir`."""
    (tmp_path / "inside").mkdir()
    (tmp_path / "outside.yaml").write_text(TINY, encoding="utf-8")
    path = _write(tmp_path / "inside", "extends: ../outside.yaml\n")
    code, text = _validate(path)
    assert code == 2
    assert f"{path}:1:10: `extends: ../outside.yaml` 指向本文件可以读取的文件夹之外，未读取任何内容" in text
    assert "请加 `--allow-dir`" in text


def test_the_bad_spec_corpus_reads_in_chinese_with_a_hint_for_the_file_problems() -> None:
    """Every reading and schema problem of the corpus has a Chinese sentence and a Chinese hint."""
    mine = ("document.", "schema.", "extends.", "access.", "spec.file", "spec.empty", "spec.schema")
    seen = 0
    for path in sorted(CORPUS.glob("*.yaml")):
        with pytest.raises(SpecError) as caught:
            assessrules.load_spec(path)
        for p in caught.value.problems:
            if p.code is not None and p.code.startswith(mine):
                message, hint = problem_message(p, "zh")
                assert re.search(r"[\u4e00-\u9fff]", message) and hint and re.search(r"[\u4e00-\u9fff]", hint), p
                seen += 1
    assert seen >= 5


def _fields(text: str | None) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text or "") if f}


MINE = [c for c in CATALOGUE if c.split(".")[0] in ("document", "schema", "extends", "access")
        or c in ("spec.invalid", "spec.not_found", "spec.file", "spec.schema", "spec.extends", "spec.empty",
                 "spec.no_name", "spec.name_type", "spec.text_type", "spec.year", "spec.rounding_at")]


@pytest.mark.parametrize("code", MINE)
def test_each_code_of_a_spec_file_is_a_whole_chinese_sentence_with_a_hint(code: str) -> None:
    """A sentence and a hint in both languages, naming the same values (tests/test_catalogue.py reads the Chinese)."""
    entry = CATALOGUE[code]
    assert entry.text_zh and entry.hint_zh and entry.text_en and entry.hint_en
    assert _fields(entry.text_zh) == _fields(entry.text_en) and _fields(entry.hint_zh) == _fields(entry.hint_en)

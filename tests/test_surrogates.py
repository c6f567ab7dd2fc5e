"""Lone surrogates: a JSON escape such as ``\\ud800`` makes half of a pair, which no UTF-8 output can write.

They are refused where they are read, with the file, line and column, like a control character;
a whole pair, and an escaped backslash before ``ud800`` (plain text), are read as before.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

import assessrules
from assessrules.cli import run
from assessrules.errors import FactsError

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zhenping-2021-units.yaml"


def _facts_json(folder: Path, name_escape: str) -> Path:
    """The example facts as JSON, the first unit's name starting with ``name_escape`` (raw JSON text)."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False, default=str)
    first = data["units"][0]["name"]
    text = text.replace(f'"name": "{first}"', f'"name": "{name_escape}{first}"', 1)
    path = folder / "units.json"
    path.write_text(text, encoding="utf-8")
    return path


def _score(path: Path, fmt: str, lang: str = "zh") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["score", str(path), "--format", fmt, "--lang", lang], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_a_lone_surrogate_in_json_facts_is_refused_at_its_line_and_column(tmp_path: Path, fmt: str) -> None:
    path = _facts_json(tmp_path, "\\ud800")
    text = path.read_text(encoding="utf-8")
    column = text.index('"\\ud800') + 1  # the value's opening quote, as for any text value
    code, out, err = _score(path, fmt)
    assert code == 1
    assert out == ""
    assert f"units.json:1:{column}: 这段文本含有 U+D800，它只是代理对的一半，不是一个字符" in err
    assert "$.units[0].name" in err
    assert "提示：请直接写出这个字符本身，或写出代理对的两半" in err
    assert "internal error" not in err
    code, out, err = _score(path, fmt, "en")  # the same place, said in English
    assert (code, out) == (1, "")
    assert f"units.json:1:{column}: " in err and "(at $.units[0].name)" in err and "\n    hint: " in err


def test_a_whole_surrogate_pair_is_one_character(tmp_path: Path) -> None:
    code, out, err = _score(_facts_json(tmp_path, "\\ud83d\\ude00"), "csv")
    assert code == 0, err
    assert "\U0001f600" in out


def test_an_escaped_backslash_before_ud800_is_plain_text(tmp_path: Path) -> None:
    code, out, err = _score(_facts_json(tmp_path, "\\\\ud800"), "csv")
    assert code == 0, err
    assert "\\ud800" in out


def test_a_lone_surrogate_given_through_the_api_is_a_facts_error() -> None:
    units = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["units"]
    units[1]["name"] = "\udc00" + units[1]["name"]
    with pytest.raises(FactsError) as raised:
        assessrules.load_spec("2021").evaluate_many(units)
    assert [p.path for p in raised.value.problems] == [("units", 1, "name")]
    assert "U+DC00" in str(raised.value)

"""Issue 24's language items of h-lang24a: gap counts, dates, consistency and authoring messages.

Each shape is tried through the public API (``load_spec``, ``evaluate``) and, where a person reads it, through
the command line; the specs are in tests/specs/shapes/ with their scenario files.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import assessrules
from assessrules import SpecError
from assessrules.cli import run
from assessrules.messages import problem_message

SHAPES = Path(__file__).parent / "specs" / "shapes"

BASE = """\
spec_format: 1
metadata: {id: base, title: 基础, scale: 100}
unit_types: {u: {label: 单位}}
facts:
  x: {type: count, label: 次数, default: 0}
indicators:
  - {id: a, name: 甲项, points: 2, deduct: [{label: 差错, per: x, points: 1}]}
  - {id: b, name: 乙项, points: 98}
grades:
  - {id: good, label: 优秀, at_least: 90}
  - {id: fair, label: 良好, at_least: 80, below: 90}
  - {id: poor, label: 一般, below: 80}
"""


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def problems_of(path: Path) -> list[assessrules.Problem]:
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    return list(caught.value.problems)


# --- authoring messages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "number"), [("2分", "2"), ("2 分", "2"), ("2.5分", "2.5"), ("3 points", "3")])
def test_points_with_their_unit_ask_for_the_number_only(tmp_path: Path, written: str, number: str) -> None:
    """`points: 2分`, as a document writes it, is told to write the number only — not "invalid syntax"."""
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE.replace("points: 2,", f"points: {written},"), encoding="utf-8")
    [problem] = problems_of(spec)
    assert problem.code == "spec.points_with_unit" and problem.json_path == "$.indicators[0].points"
    assert problem_message(problem, "zh")[1] == f"请只写数字：`points: {number}`"
    assert problem_message(problem, "en")[1] == f"write the number only: `points: {number}`"
    assert problem.line == 7


def test_a_grade_gap_after_an_extending_spec_moves_the_upper_grade_proposes_the_lower_follows(tmp_path: Path) -> None:
    """优秀 moved to 92 in next year's spec: the hint says `below: 92` on 良好, not the undo `at_least: 90`."""
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("spec_format: 1\nextends: base.yaml\nmetadata: {id: next, title: 次年}\n"
                     "grades:\n  - {id: good, at_least: 92}\n", encoding="utf-8")
    [gap] = problems_of(child)
    assert gap.code == "spec.grade_gap" and gap.file == str(child) and gap.line == 5
    assert problem_message(gap, "zh")[1] == "请把「良好」设为 `below: 92`"
    assert problem_message(gap, "en")[1] == "set `below: 92` on 「良好」"


def test_a_grade_gap_after_an_extending_spec_moves_the_lower_grade_proposes_the_upper_follows(tmp_path: Path) -> None:
    """良好 moved to `below: 88`: the hint says `at_least: 88` on 优秀."""
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("spec_format: 1\nextends: base.yaml\nmetadata: {id: next, title: 次年}\n"
                     "grades:\n  - {id: fair, below: 88}\n", encoding="utf-8")
    [gap] = problems_of(child)
    assert gap.code == "spec.grade_gap" and gap.file == str(child)
    assert problem_message(gap, "zh")[1] == "请把「优秀」设为 `at_least: 88`"


def test_a_grade_gap_in_one_file_proposes_the_lower_grade_follows(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE.replace("at_least: 90}", "at_least: 92}"), encoding="utf-8")
    [gap] = problems_of(spec)
    assert problem_message(gap, "en")[1] == "set `below: 92` on 「良好」"


def test_a_problem_in_an_extending_file_has_the_path_of_that_file(tmp_path: Path) -> None:
    """`file:line` names the extending file, so the JSON `path` is the path in that file, not in the merged spec."""
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("spec_format: 1\nextends: base.yaml\nmetadata: {id: next, title: 次年}\nindicators:\n"
                     "  - {id: b, points: 97}\n  - {id: a, points: 3分}\n", encoding="utf-8")
    code, _, err = cli("--errors", "json", "validate", str(child))
    assert code == 2
    [problem] = json.loads(err)["problems"]
    assert problem["file"] == str(child) and problem["line"] == 6
    assert problem["path"] == "$.indicators[1].points"  # in the merged spec `a` is $.indicators[0]
    text = child.read_text(encoding="utf-8").splitlines()
    assert "3分" in text[problem["line"] - 1]


def test_a_problem_in_the_base_file_keeps_the_base_path(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE.replace("points: 98}", "points: 98分}"), encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("spec_format: 1\nextends: base.yaml\nmetadata: {id: next, title: 次年}\n", encoding="utf-8")
    [problem] = problems_of(child)
    assert problem.file == str(tmp_path / "base.yaml") and problem.json_path == "$.indicators[1].points"


def test_per_with_if_is_refused_with_how_to_count_under_a_condition(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(BASE.replace("{label: 差错, per: x, points: 1}", "{label: 差错, per: x, if: x > 1, points: 1}"),
                    encoding="utf-8")
    [problem] = problems_of(spec)
    assert problem.code == "spec.trigger_ambiguous"
    assert "`per: \"errors if not rectified else 0\"`" in (problem_message(problem, "zh")[1] or "")

"""Editing a part's own `veto:`, `bonus:` and `multiplier:` in a spec that `extends:` another (issue 14).

Each test copies a shape spec beside an extending file in a temporary folder, changes one part's
rule there, and checks the merged rules by scoring them, or the problem by the file, line and
column it names (which must be the extending file's).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import assessrules
from assessrules._resources import load_schema
from assessrules.errors import Problem, SpecError

SHAPES = Path(__file__).parent / "specs" / "shapes"
SPEC_SCHEMA = jsonschema.Draft202012Validator(load_schema("spec-1.schema.json"))
D = Decimal


def extend(tmp_path: Path, base: str, body: str) -> Path:
    """The extending file `next.yaml` over a copy of the shape `base`, both in ``tmp_path``."""
    shutil.copy(SHAPES / base, tmp_path / base)
    path = tmp_path / "next.yaml"
    path.write_text(f"spec_format: 1\nextends: {base}\n{body}", encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    return list(caught.value.problems)


def town(**facts: Any) -> dict[str, Any]:
    return {"id": "u", "type": "town", "target": 1, "facts": facts}


def scores(spec: assessrules.Spec, **facts: Any) -> dict[str, Decimal | None]:
    return {i.id: i.score for i in spec.evaluate(town(**facts)).indicators}


def test_the_extending_files_pass_the_editor_schema(tmp_path: Path) -> None:
    """An extending file that changes a veto, a bonus and a multiplier is valid against the published schema."""
    body = """\
indicators:
  - id: web
    bonus: {cap: 2, gate: null}
    multiplier: null
    rules:
      - {label: 泄露个人信息，本项最高计20分, at_most: 10}
  - {id: media, veto: null}
"""
    SPEC_SCHEMA.validate(yaml.safe_load(f"spec_format: 1\nextends: base.yaml\n{body}"))


# --- a part's veto -------------------------------------------------------------------------------


def test_a_parts_veto_is_changed_by_its_label(tmp_path: Path) -> None:
    """`rules:` finds the web veto by its label and lowers its cap from 20 to 10."""
    spec = assessrules.load_spec(extend(tmp_path, "part_veto.yaml", """\
indicators:
  - id: web
    rules:
      - {label: 泄露个人信息，本项最高计20分, at_most: 10}
"""))
    assert scores(spec, web_leak=True)["web"] == D(10)
    assert scores(spec, web_leak=True, web_errors=16)["web"] == D(8)  # already below the cap: 40 − 32


def test_a_parts_veto_is_removed_by_its_label(tmp_path: Path) -> None:
    """With the media veto removed, a hijacked account no longer zeroes 政务新媒体 (30 − 2 × 2 = 26)."""
    spec = assessrules.load_spec(extend(tmp_path, "part_veto.yaml", """\
indicators:
  - id: media
    rules:
      - {label: 账号被盗用，本项计0分, remove: true}
"""))
    assert scores(spec, media_hacked=True, media_errors=2)["media"] == D(26)
    assert not any(t.kind == "veto" for t in spec.indicator("media").triggers)
    assert [t.label for t in spec.indicator("web").triggers if t.kind == "veto"] == ["泄露个人信息，本项最高计20分"]


def test_a_parts_vetoes_are_replaced_or_removed_as_a_whole(tmp_path: Path) -> None:
    """`veto:` written on the part replaces the base's list; `veto: null` removes it."""
    spec = assessrules.load_spec(extend(tmp_path, "part_veto.yaml", """\
indicators:
  - id: web
    veto: [{label: 网站差错过多，本项最高计30分, if: web_errors >= 3, at_most: 30}]
  - {id: media, veto: null}
"""))
    assert scores(spec, web_leak=True)["web"] == D(40)  # the leak veto is gone
    assert scores(spec, web_errors=3)["web"] == D(30)  # 40 − 6 = 34, held to 30 by the new veto
    assert scores(spec, media_hacked=True)["media"] == D(30)


def test_a_changed_veto_that_breaks_the_parts_points_is_located_in_the_extending_file(tmp_path: Path) -> None:
    """`at_most: 50` on a 40-point part is refused at its line and column in next.yaml, not in the base."""
    path = extend(tmp_path, "part_veto.yaml", """\
indicators:
  - id: web
    rules:
      - {label: 泄露个人信息，本项最高计20分, at_most: 50}
""")
    [problem] = problems_of(path)
    assert "outside its 0–40" in problem.message
    assert (problem.file, problem.line, problem.column) == (str(path), 6, 43)  # at the 50


def test_a_misspelt_veto_label_is_located_in_the_extending_file_with_a_suggestion(tmp_path: Path) -> None:
    """A label that names no rule of the part is an error at that label, with the closest one."""
    path = extend(tmp_path, "part_veto.yaml", """\
indicators:
  - id: media
    rules:
      - {label: 账号被盗用，本项计零分, remove: true}
""")
    [problem] = problems_of(path)
    assert "no rule of `media` with label 「账号被盗用，本项计零分」" in problem.message
    assert problem.hint == "did you mean `账号被盗用，本项计0分`?"
    assert (problem.file, problem.line, problem.column) == (str(path), 6, 17)  # at the label


def test_a_new_veto_reading_an_unknown_fact_is_located_in_the_extending_file(tmp_path: Path) -> None:
    """An expression error in a veto the extending file adds points into that file."""
    path = extend(tmp_path, "part_veto.yaml", """\
indicators:
  - id: web
    veto: [{label: 网站被篡改, if: web_defaced}]
""")
    problems = problems_of(path)
    assert problems and all(p.file == str(path) and p.line == 5 for p in problems)
    assert any("web_defaced" in p.message for p in problems)


# --- a part's bonus ------------------------------------------------------------------------------


def test_a_parts_bonus_cap_is_changed_and_its_items_and_gate_kept(tmp_path: Path) -> None:
    """`bonus: {cap: 2}` changes the cap only: web 40 − 8 = 32 > 30, items 3 + 2 = 5 capped at 2: 34."""
    spec = assessrules.load_spec(extend(tmp_path, "part_bonus.yaml", """\
indicators:
  - {id: web, bonus: {cap: 2}}
"""))
    bonus = spec.indicator("web").bonus
    assert bonus is not None and (bonus.cap, bonus.gate, bonus.strict, len(bonus.items)) == (D(2), D(30), True, 2)
    assert scores(spec, web_errors=4, web_award=True, web_practices=2)["web"] == D(34)


def test_a_parts_bonus_gate_is_changed_or_removed(tmp_path: Path) -> None:
    """At exactly 30 (40 − 5 × 2) the bonus of 3 counts once the gate is 达到30 (at least), or with no gate."""
    at_least = assessrules.load_spec(extend(tmp_path, "part_bonus.yaml", """\
indicators:
  - {id: web, bonus: {gate: {at_least: 30}}}
"""))
    assert scores(at_least, web_errors=5, web_award=True)["web"] == D(33)
    assert scores(at_least, web_errors=6, web_award=True)["web"] == D(28)  # 28 does not reach 30
    ungated = assessrules.load_spec(extend(tmp_path, "part_bonus.yaml", """\
indicators:
  - {id: web, bonus: {gate: null}}
"""))
    assert ungated.indicator("web").bonus.gate is None  # type: ignore[union-attr]
    assert scores(ungated, web_errors=6, web_award=True)["web"] == D(31)


def test_a_parts_bonus_item_is_changed_or_removed_by_its_label(tmp_path: Path) -> None:
    """`rules:` reaches the part's bonus items: the award now gives 1, and the practices item is gone."""
    spec = assessrules.load_spec(extend(tmp_path, "part_bonus.yaml", """\
indicators:
  - id: web
    rules:
      - {label: 网站获评优秀, points: 1}
      - {label: 网站创新做法, remove: true}
"""))
    assert scores(spec, web_errors=4, web_award=True, web_practices=2)["web"] == D(33)  # 32 + 1


def test_removing_a_parts_only_bonus_item_is_refused_with_the_way_to_remove_the_bonus(tmp_path: Path) -> None:
    """The service bonus has one item: removing it is an error at `remove:`, hinting `bonus: null`."""
    path = extend(tmp_path, "part_bonus.yaml", """\
indicators:
  - id: service
    rules:
      - {label: 获通报表扬, remove: true}
""")
    [problem] = problems_of(path)
    assert "the only item of `service`'s bonus" in problem.message
    assert "bonus: null" in (problem.hint or "")
    assert (problem.file, problem.line) == (str(path), 6)


def test_a_parts_bonus_is_removed_with_null(tmp_path: Path) -> None:
    """`bonus: null` takes the part's bonus away: commendations no longer add to 政务服务."""
    spec = assessrules.load_spec(extend(tmp_path, "part_bonus.yaml", """\
indicators:
  - {id: service, bonus: null}
"""))
    assert spec.indicator("service").bonus is None
    assert scores(spec, overdue=5, commendations=3)["service"] == D(55)


def test_a_changed_bonus_gate_above_the_parts_points_is_located_in_the_extending_file(tmp_path: Path) -> None:
    """A gate of 50 on the 40-point web part is refused at `gate:` in next.yaml."""
    path = extend(tmp_path, "part_bonus.yaml", """\
indicators:
  - id: web
    bonus: {gate: 50}
""")
    [problem] = problems_of(path)
    assert "bonus gate 50 is outside" in problem.message
    assert (problem.file, problem.line, problem.column) == (str(path), 5, 19)  # at the 50


def test_a_bad_bonus_cap_is_located_in_the_extending_file(tmp_path: Path) -> None:
    """The schema refuses a cap of 0 where the extending file writes it."""
    path = extend(tmp_path, "part_bonus.yaml", """\
indicators:
  - id: web
    bonus:
      cap: 0
""")
    problems = problems_of(path)
    assert problems and all(p.file == str(path) for p in problems)
    assert any(p.line == 6 for p in problems)


# --- a part's multiplier -------------------------------------------------------------------------


def test_a_parts_multiplier_is_changed_replaced_or_removed(tmp_path: Path) -> None:
    """By label under `rules:`, as a whole, or with `null`: tasks 54 × factor (or not), routine 40, total × 1."""
    facts = {"task_errors": 3, "difficulty": D("1.1")}
    by_rule = assessrules.load_spec(extend(tmp_path, "multiplier.yaml", """\
indicators:
  - id: tasks
    rules:
      - {label: 任务难度系数, factor: 0.5}
"""))
    assert by_rule.evaluate({"id": "u", "type": "department", "facts": facts}).scores["tasks"] == D(27)
    whole = assessrules.load_spec(extend(tmp_path, "multiplier.yaml", """\
indicators:
  - {id: tasks, multiplier: {label: 折算, factor: difficulty - 0.2}}
"""))
    assert whole.evaluate({"id": "u", "type": "department", "facts": facts}).scores["tasks"] == D("48.6")
    removed = assessrules.load_spec(extend(tmp_path, "multiplier.yaml", """\
indicators:
  - id: tasks
    rules:
      - {label: 任务难度系数, remove: true}
"""))
    assert removed.evaluate({"id": "u", "type": "department", "facts": facts}).scores["tasks"] == D(54)


def test_a_negative_multiplier_in_the_extending_file_is_located_there(tmp_path: Path) -> None:
    """A constant factor below 0 written in next.yaml is refused at its line there."""
    path = extend(tmp_path, "multiplier.yaml", """\
total:
  multiplier: {label: 部门考核系数, factor: -1}
""")
    [problem] = problems_of(path)
    assert "a multiplier cannot be negative" in problem.message
    assert (problem.file, problem.line) == (str(path), 4)

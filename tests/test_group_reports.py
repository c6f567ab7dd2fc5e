"""Groups in the command line and the reports (issue 14): `score` shows a spec's groups after their members."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from assessrules._resources import load_schema
from assessrules.cli import run

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ROOT / "tests/specs/shapes/groups.yaml"
RESULT_SCHEMA = jsonschema.Draft202012Validator(load_schema("result-1.schema.json"))
# d1 100, d2 90 (10 late), t1 80 (20 late): the mean is 270 / 3 = 90; the mix 60% × 95 + 40% × 80 = 89.
FACTS = """\
units:
  - {id: d1, name: 甲局, type: department, target: 1, facts: {late: 0}}
  - {id: d2, name: 乙局, type: department, target: 1, facts: {late: 10}}
  - {id: t1, name: 丙镇, type: town, target: 1, facts: {late: 20}}
"""


def score(tmp_path: Path, *options: str, spec: Path = GROUPS) -> str:
    facts = tmp_path / "units.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["score", "--spec", str(spec), *options, str(facts)], out, err) == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize("full", [False, True], ids=["compact", "full"])
def test_json_lists_the_groups_after_the_results_and_validates(tmp_path: Path, full: bool) -> None:
    """`score --format json` (compact or --full) adds the groups, scored by hand, and matches the result schema."""
    document = json.loads(score(tmp_path, "--format", "json", *(["--full"] if full else [])))
    RESULT_SCHEMA.validate(document)
    assert list(document)[-2:] == ["results", "groups"]
    assert [(g["id"], g["score"], g["grade"]) for g in document["groups"]] == [
        ("county_mean", "90", "合格"), ("county_mix", "89", "合格")]
    assert document["groups"][1]["means"] == [{"type": "department", "mean": "95", "weight": "0.6"},
                                              {"type": "town", "mean": "80", "weight": "0.4"}]


def test_the_result_schema_refuses_a_group_without_its_score(tmp_path: Path) -> None:
    """The schema checks the groups too: one without `score` is invalid."""
    document = json.loads(score(tmp_path, "--format", "json"))
    del document["groups"][0]["score"]
    assert not RESULT_SCHEMA.is_valid(document)


def test_the_table_ends_with_the_groups(tmp_path: Path) -> None:
    """The table shows a 考核组 block after the units' blocks and their count."""
    table = score(tmp_path)
    tail = table[table.index("共 3 个单位"):].splitlines()
    assert tail[2] == "考核组（2）"
    assert tail[4].split() == ["全县（平均）", "county_mean", "90", "合格", "3"]
    assert tail[5].split() == ["全县（加权）", "county_mix", "89", "合格", "3"]


@pytest.mark.parametrize(("ids", "kind", "grade"), [(False, "考核组", "合格"), (True, "group", "ok")])
def test_csv_rows_for_groups_come_after_the_members(tmp_path: Path, ids: bool, kind: str, grade: str) -> None:
    """The last rows are the groups: their type, id, label, score in the score column and grade."""
    rows = list(csv.DictReader(io.StringIO(score(tmp_path, "--format", "csv", *(["--ids"] if ids else [])))))
    score_key, grade_key, id_key = ("score", "grade", "id") if ids else ("得分", "等次", "编号")
    assert [r[id_key] for r in rows] == ["d1", "d2", "t1", "county_mean", "county_mix"]
    assert [(r[score_key], r[grade_key]) for r in rows[3:]] == [("90", grade), ("89", grade)]
    assert {r["type" if ids else "单位类型"] for r in rows[3:]} == {kind}


def test_a_spec_without_groups_reports_as_before(tmp_path: Path) -> None:
    """Without `groups:` the JSON has no `groups` key and the table no 考核组 block."""
    plain = tmp_path / "plain.yaml"
    plain.write_text(GROUPS.read_text(encoding="utf-8").split("groups:")[0]
                     + "grades:" + GROUPS.read_text(encoding="utf-8").split("grades:")[1], encoding="utf-8")
    assert "groups" not in json.loads(score(tmp_path, "--format", "json", spec=plain))
    assert "考核组" not in score(tmp_path, spec=plain)

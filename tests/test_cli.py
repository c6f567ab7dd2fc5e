"""The command line: exit codes, located messages, formats, whole-or-nothing output, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from assessrules.cli import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
BAD = Path(__file__).parent / "bad_specs"


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_validate_accepts_the_bundled_spec() -> None:
    """`validate` exits 0 and says what it found."""
    code, out, err = call("validate", "2021", str(ROOT / "specs" / "2021.yaml"))
    assert code == 0, err
    assert out.count("通过：") == 2
    assert "9 个指标" in out
    code, out, err = call("--lang", "en", "validate", "2021")
    assert (code, out.count("ok: "), "9 indicators" in out) == (0, 1, True)


def test_validate_lists_every_problem_with_its_location_and_exits_2() -> None:
    """Each problem as file:line:col, then a summary; exit code 2."""
    bad = BAD / "grade_gap.yaml"
    code, out, err = call("validate", str(bad), "2021")
    assert code == 2
    assert f"{bad}:20:35: 等次之间有空档：5 分至 6 分之间的得分不属于任何等次" in err
    assert "提示：请把「不合格」设为 `below: 6`" in err
    assert "2 个考评细则中有 1 个有误，共 1 个问题" in err
    assert "通过：" in out


def test_score_prints_a_table_by_type_and_score() -> None:
    """The table groups units by type, ranks them and shows grade and deduction."""
    code, out, _ = call("score", str(EXAMPLE))
    assert code == 0
    assert out.index("各镇人民政府") < out.index("县政府各工作部门") < out.index("县税务局、市生态环境局镇坪分局")
    assert "牛头店镇" in out
    assert "共 16 个单位：优秀 5，良好 6，一般 3，不合格 2" in out


def test_score_json_holds_every_result_and_the_spec_hash() -> None:
    """JSON output: the spec's identity and each unit's full result, Decimals as strings."""
    code, out, _ = call("score", str(EXAMPLE), "--format", "json")
    assert code == 0
    data = json.loads(out)
    by_id = {r["unit"]["id"]: r for r in data["results"]}
    assert by_id["niutoudian"]["score"] == "71"
    assert by_id["niutoudian"]["deduction"] == "1"
    assert by_id["shuping"]["grade"]["label"] == "不合格"
    assert len(data["spec"]["sha256"]) == 64


def test_score_csv_has_a_row_per_unit_with_indicator_scores() -> None:
    """CSV output: headline figures and each indicator's score."""
    code, out, _ = call("score", str(EXAMPLE), "--format", "csv", "--ids")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 16
    row = next(r for r in rows if r["id"] == "niutoudian")
    assert (row["score"], row["grade"], row["timeliness"], row["catalogue"]) == ("71", "good", "33", "2.5")


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    """-o writes the file; the same run twice gives the same bytes."""
    target = tmp_path / "out.json"
    assert call("score", str(EXAMPLE), "--format", "json", "-o", str(target))[0] == 0
    first = target.read_bytes()
    assert call("score", str(EXAMPLE), "--format", "json", "-o", str(target))[0] == 0
    assert target.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_bad_facts_exit_1_with_file_line_unit_and_fact_and_write_nothing(tmp_path: Path) -> None:
    """A bad value is located in the facts file; the output file is not created."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("late_disclosures: 4", "late_disclosures: -4", 1)
    facts = tmp_path / "facts.yaml"
    facts.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "late_disclosures: -4" in row)
    target = tmp_path / "out.txt"
    code, _, err = call("score", str(facts), "-o", str(target))
    assert code == 1
    assert (f"{facts}:{line}:25: 单位“牛头店镇”（niutoudian）：数据项“政府网站采样发现的未按时公开信息条数”"
            "（late_disclosures）-4 小于允许的最小值 0（位置 $.units[2].facts.late_disclosures）") in err
    code, _, err = call("--lang", "en", "score", str(facts), "-o", str(target))
    assert code == 1
    assert f"{facts}:{line}:25: unit niutoudian (牛头店镇): fact `late_disclosures`" in err
    assert "Traceback" not in err
    assert not target.exists()


def test_a_facts_file_that_is_not_yaml_exits_1_with_its_position(tmp_path: Path) -> None:
    """Broken YAML is reported at its line."""
    facts = tmp_path / "broken.yaml"
    facts.write_text("units:\n  - id: a\n   type: town\n", encoding="utf-8")
    code, _, err = call("score", str(facts))
    assert code == 1
    assert f"{facts}:3:" in err


def test_a_bad_spec_given_to_score_exits_2() -> None:
    """The spec is checked before any facts."""
    code, _, err = call("score", str(EXAMPLE), "--spec", str(BAD / "dunder_name.yaml"))
    assert code == 2
    assert "不允许使用以 `_` 开头的名称（如 `__import__`）" in err


def test_explain_gives_the_account_of_one_unit() -> None:
    """`explain` renders the unit's account in the spec's labels."""
    code, out, _ = call("explain", str(EXAMPLE), "--unit", "niutoudian")
    assert code == 0
    assert "最终得分 71 分 · 等次 良好" in out
    assert "未按时限公开政府信息：7 次 × 1 分" in out
    assert "主动公开信息记录 第3条：信息标题 关于公开征求意见的公告，形成或变更日期 2021-02-05" in out
    assert "2021-03：key_areas_disclosed（重点领域信息按要求公开） = 否  −0.5" in out


def test_explain_an_unknown_unit_is_a_usage_error() -> None:
    """Exit 2 and the known ids."""
    code, _, err = call("explain", str(EXAMPLE), "--unit", "nowhere")
    assert code == 2
    assert f"{EXAMPLE}: 没有编号或名称为“nowhere”的单位" in err
    assert "提示：已有的单位：chengguan、zengjia" in err
    code, _, err = call("explain", str(EXAMPLE), "--unit", "nowhere", "--lang", "en")
    assert f"{EXAMPLE}: no unit with id or name `nowhere`" in err
    assert "hint: the units are chengguan, zengjia" in err


def test_usage_errors_exit_2() -> None:
    """argparse's own errors exit 2 as well."""
    assert call("score")[0] == 2
    assert call("frobnicate")[0] == 2


def test_a_missing_spec_id_is_explained() -> None:
    """An id that is neither a file nor a bundled spec gets a hint."""
    code, _, err = call("validate", "2099")
    assert code == 2
    assert "2099: 找不到考评细则文件 `2099`，也没有这个编号的内置考评细则" in err
    assert "提示：请写出考评细则 `.yaml` 文件的路径，或内置考评细则的编号（2021）" in err
    _, _, english = call("--lang", "en", "validate", "2099")
    assert "no spec file `2099` and no bundled spec of that id" in english


def test_facts_schema_describes_the_example_file() -> None:
    """The generated facts schema accepts the example and rejects an unknown fact."""
    code, out, _ = call("facts-schema", "2021")
    assert code == 0
    schema = json.loads(out)
    import yaml

    data = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), default=str))
    jsonschema.validate(data, schema)
    assert set(data["units"][0]["periods"]) == {f"2021-{m:02d}" for m in range(1, 13)}
    data["units"][0]["facts"]["late"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    bundled = json.loads((ROOT / "examples" / "zhenping-2021-units.schema.json").read_text(encoding="utf-8"))
    assert bundled == schema


def test_the_installed_script_runs_without_a_traceback() -> None:
    """`python -m assessrules.cli` behaves like the script."""
    proc = subprocess.run([sys.executable, "-m", "assessrules.cli", "validate", str(BAD / "huge_power.yaml")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "huge_power.yaml:16:14" in proc.stderr


def test_bulletin_prints_the_quarter_ranked_with_each_months_misses() -> None:
    """`bulletin --quarter 2021Q3` lists July to September, the running score and the missed items."""
    code, out, _ = call("bulletin", str(EXAMPLE), "--quarter", "2021Q3")
    assert code == 0
    assert "2021Q3 季度通报（截至 2021-09-30）" in out
    assert "2021-07  2021-08  2021-09  本季扣分  累计得分" in out
    assert "牛头店镇 2021-07：月度考核：负责栏目未按时更新（−0.5）" in out
    code, out, _ = call("bulletin", str(EXAMPLE), "--quarter", "2021Q3", "--format", "json")
    data = json.loads(out)
    assert data["months"] == ["2021-07", "2021-08", "2021-09"]
    first = data["units"][0]
    assert (first["id"], first["rank"], first["running_score"]) == ("chengguan", 1, "100")
    code, out, _ = call("bulletin", str(EXAMPLE), "--quarter", "2021Q3", "--format", "csv")
    assert len(out.splitlines()) == 1 + 16 * 3


def test_bulletin_for_a_month_is_a_usage_error() -> None:
    """A bulletin is for a quarter."""
    code, _, err = call("bulletin", str(EXAMPLE), "--quarter", "2021-07")
    assert code == 2
    assert "通报按季度编制：'2021-07' 不是季度" in err and "提示：请写作如 `2021Q3`" in err


def test_as_of_changes_which_records_are_late() -> None:
    """An unpublished record is late at a later assessment date, not at an earlier one."""
    early = json.loads(call("score", str(EXAMPLE), "--format", "json", "--as-of", "2021-12-31")[1])
    assert {r["unit"]["id"]: r["as_of"] for r in early["results"]}["chengguan"] == "2021-12-31"
    code, _, err = call("score", str(EXAMPLE), "--as-of", "2021-13-01")
    assert code == 2
    assert "错误：参数 --as-of：'2021-13-01' 既不是日期" in err
    code, _, err = call("score", str(EXAMPLE), "--as-of", "2021-13-01", "--lang", "en")
    assert "error: argument --as-of: '2021-13-01' is not a date like 2022-01-10" in err


def test_help_lists_every_exit_code_and_where_the_docs_are() -> None:
    """`--help` names exit codes 0 to 3 and a docs folder that exists in this installation."""
    code, out, _ = call("--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "3 内部错误" in flat
    docs = flat.split("文档：")[1].split()[0]
    assert (Path(docs) / "architecture.md").is_file()
    flat = " ".join(call("--help", "--lang", "en")[1].split())
    assert "3 internal error" in flat
    docs = flat.split("Docs: ")[1].split()[0]
    assert (Path(docs) / "architecture.md").is_file()

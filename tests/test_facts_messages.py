"""A clerk's mistakes in a facts file, each said in Chinese (the default) and in English, at its line and column.

One case per mistake: the change to a good unit, the problem's code, and its whole rendering in both
languages (location, unit by name and id, fact by label and id, the path, the hint).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from assessrules.cli import run
from assessrules.messages import render_problem

from .helpers import make_unit

Change = Callable[[dict[str, Any]], None]


@attrs.frozen
class Mistake:
    name: str
    change: Change
    code: str
    zh: str
    en: str


def _fact(name: str, value: Any) -> Change:
    return lambda unit: unit["facts"].__setitem__(name, value)


def _record(index: int, **fields: Any) -> Change:
    def change(unit: dict[str, Any]) -> None:
        unit["facts"]["disclosures"] = [{"title": "通知", "formed": "2021-01-05"}, {"title": "公告", "formed": "2021-01-06"}]
        unit["facts"]["disclosures"][index].update(fields)
    return change


def _month(label: str, name: str, value: Any) -> Change:
    return lambda unit: unit["periods"][label].__setitem__(name, value)


UNIT_ZH = "单位“牛头店镇”（niutoudian）："
UNIT_EN = "unit niutoudian (牛头店镇): "
LATE = "政府网站采样发现的未按时公开信息条数"

MISTAKES = [
    Mistake("text_for_a_count", _fact("late_disclosures", "七"), "facts.not_number",
            f"{UNIT_ZH}数据项“{LATE}”（late_disclosures）应填数字，填写的是 '七'（位置 $.units[0].facts.late_disclosures）\n"
            "    提示：请填写数字，如 7 或 0.5，不加引号",
            f"{UNIT_EN}fact `late_disclosures` ({LATE}): expected a number, got '七' (at $.units[0].facts.late_disclosures)\n"
            "    hint: write a number such as 7 or 0.5, without quotes"),
    Mistake("negative_count", _fact("late_disclosures", -2), "facts.range",
            f"{UNIT_ZH}数据项“{LATE}”（late_disclosures）-2 小于允许的最小值 0（位置 $.units[0].facts.late_disclosures）",
            f"{UNIT_EN}fact `late_disclosures` ({LATE}): -2 is below the least allowed value 0 "
            "(at $.units[0].facts.late_disclosures)"),
    Mistake("yes_for_a_bool", _fact("has_interaction", "是"), "facts.not_bool",
            f"{UNIT_ZH}数据项“提供互动交流功能”（has_interaction）应填 `true`（是）或 `false`（否），填写的是 '是'"
            "（位置 $.units[0].facts.has_interaction）",
            f"{UNIT_EN}fact `has_interaction` (提供互动交流功能): expected true or false, got '是' "
            "(at $.units[0].facts.has_interaction)"),
    Mistake("misspelt_fact", _fact("late_disclosure", 1), "facts.unknown_close",
            f"{UNIT_ZH}考评细则没有数据项 `late_disclosure`（位置 $.units[0].facts.late_disclosure）\n"
            "    提示：您是不是要写 `late_disclosures`？",
            f"{UNIT_EN}unknown fact `late_disclosure` (at $.units[0].facts.late_disclosure)\n"
            "    hint: did you mean `late_disclosures`?"),
    Mistake("unknown_type", lambda unit: unit.__setitem__("type", "village"), "facts.unit_type",
            f"{UNIT_ZH}单位类型 'village' 不是考评细则中的类型（位置 $.units[0].type）\n"
            "    提示：可选的类型：各镇人民政府（town）；县政府各工作部门、直属事业单位（department）；"
            "县税务局、市生态环境局镇坪分局（vertical）",
            f"{UNIT_EN}unknown unit type 'village' (at $.units[0].type)\n"
            "    hint: one of: 各镇人民政府（town）, 县政府各工作部门、直属事业单位（department）, "
            "县税务局、市生态环境局镇坪分局（vertical）"),
    Mistake("record_date_written_with_slashes", _record(1, formed="2021/01/06"), "facts.field_not_date",
            f"{UNIT_ZH}数据项“主动公开信息记录”（disclosures）第 2 条记录的“形成或变更日期”（formed）应填日期（如 2021-10-08），"
            "填写的是 '2021/01/06'（位置 $.units[0].facts.disclosures[1].formed）\n"
            "    提示：请只填日期，不带时间：年-月-日",
            f"{UNIT_EN}fact `disclosures` (主动公开信息记录): record 2: field `formed` (形成或变更日期): expected a date "
            "like 2021-10-08, got '2021/01/06' (at $.units[0].facts.disclosures[1].formed)\n"
            "    hint: a date without a time: year-month-day"),
    Mistake("record_field_unknown", _record(0, author="张三"), "facts.record_field_unknown",
            f"{UNIT_ZH}数据项“主动公开信息记录”（disclosures）第 1 条记录含未声明的字段 `author`"
            "（位置 $.units[0].facts.disclosures[0].author）\n"
            "    提示：可用的字段：title、formed、published、deadline、reference",
            f"{UNIT_EN}fact `disclosures` (主动公开信息记录): record 1: unknown field `author` "
            "(at $.units[0].facts.disclosures[0].author)\n"
            "    hint: the fields: title, formed, published, deadline, reference"),
    Mistake("month_value_too_high", _month("2021-01", "online_service_ratio", 1.5), "facts.range_high",
            f"{UNIT_ZH}数据项“公共服务事项上网办理比例”（online_service_ratio）1.5 大于允许的最大值 1"
            "（位置 $.units[0].periods['2021-01'].online_service_ratio）",
            f"{UNIT_EN}fact `online_service_ratio` (公共服务事项上网办理比例): 1.5 is above the greatest allowed value 1 "
            "(at $.units[0].periods['2021-01'].online_service_ratio)"),
    Mistake("target_negative", lambda unit: unit.__setitem__("target", -3), "facts.target_range",
            f"{UNIT_ZH}目标分值 -3 超出允许的范围 0–1000（位置 $.units[0].target）",
            f"{UNIT_EN}`target` (目标分值): -3 is negative or too large (0–1000) (at $.units[0].target)"),
]


def _write(folder: Path, change: Change) -> tuple[Path, str]:
    unit = make_unit(uid="niutoudian")
    unit["name"] = "牛头店镇"
    unit["periods"] = {"2021-01": unit["periods"]["2021-01"]}
    change(unit)
    text = json.dumps({"spec": "2021", "as_of": "2021-01-31", "units": [unit]}, ensure_ascii=False, indent=2,
                      default=float)
    path = folder / "facts.json"
    path.write_text(text, encoding="utf-8")
    return path, text


def _score(path: Path, *lang: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([*lang, "score", str(path)], out, err)
    assert out.getvalue() == ""
    return code, err.getvalue()


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_a_mistake_is_said_in_chinese_and_in_english_at_its_place(mistake: Mistake, tmp_path: Path) -> None:
    """With no --lang the problem is in Chinese; --lang en says the same problem, at the same place, in English."""
    path, _ = _write(tmp_path, mistake.change)
    code, zh = _score(path)
    assert code == 1
    [first, *_] = zh.splitlines()
    location = first.split(": ", 1)[0]
    assert location.startswith(f"{path}:") and location.count(":") == 2, first
    assert f"{location}: {mistake.zh}\n" in zh, zh
    code, en = _score(path, "--lang", "en")
    assert (code, f"{location}: {mistake.en}\n" in en) == (1, True), en
    out, err = io.StringIO(), io.StringIO()
    run(["--errors", "json", "score", str(path)], out, err)
    [problem] = json.loads(err.getvalue())["problems"]
    assert (problem["code"], problem["unit"], f"{path}:{problem['line']}:{problem['column']}") == (
        mistake.code, "niutoudian", location)


def test_a_problem_of_a_unit_without_a_name_names_it_by_its_id() -> None:
    """The unit's name goes before its id only where the unit has one."""
    from assessrules.messages import problem

    named = problem("facts.missing", ("facts", "late"), unit="a", unit_name="甲镇", fact="late", fact_label="迟报")
    bare = problem("facts.missing", ("facts", "late"), unit="a", fact="late", fact_label="迟报")
    assert render_problem(named, "zh").startswith("<input>: 单位“甲镇”（a）：缺少必填数据项“迟报”（late）")
    assert render_problem(named, "en").startswith("<input>: unit a (甲镇): missing fact `late` (迟报)")
    assert render_problem(bare, "zh").startswith("<input>: 单位 a：缺少必填数据项“迟报”（late）")

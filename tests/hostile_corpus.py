"""The hostile-input corpus: each case is an input built in a temporary folder, its exit code and message.

A case is ``(name, build, exit code, message fragment)``: ``build(folder)`` writes whatever files
the case needs and returns either the command line to run (a list of arguments) or a callable
that calls the library (an API case). :func:`play` runs either and returns the exit code and
everything printed, so one parametrised test (``tests/test_hostile.py``) checks them all.

Most cases are generated from small tables: hostile YAML documents read as a spec *and* as a
facts file, textual mutations of the bundled spec, mutations of one unit of the example facts,
command-line misuse, and API misuse.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import stat
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import yaml

import assessrules
from assessrules.cli import run
from assessrules.errors import AssessRulesError
from assessrules.rules.limits import MAX_DOCUMENT_BYTES

ROOT = Path(__file__).resolve().parent.parent
SPEC_TEXT = (ROOT / "specs" / "2021.yaml").read_text(encoding="utf-8")
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
CANARY = "CANARY-7f3a"
"""Planted in files outside the allowed folders: it must never appear in any output."""

Outcome = list[str] | Callable[[], object]
Builder = Callable[[Path], Outcome]


@attrs.frozen
class Case:
    """One hostile input: how to build it, the exit code it must give, a fragment of its message."""

    name: str
    build: Builder
    exit: int
    fragment: str


def play(case: Case, folder: Path) -> tuple[int, str]:
    """Build and run ``case`` in ``folder``; return the exit code and all it printed."""
    made = case.build(folder)
    if isinstance(made, list):
        out, err = io.StringIO(), io.StringIO()
        code = run(made, out, err)
        return code, err.getvalue() + out.getvalue()
    try:
        made()
    except AssessRulesError as exc:
        return exc.exit_code, str(exc)
    return 0, ""


# --- building blocks -------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _example_units() -> list[dict[str, Any]]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    units: list[dict[str, Any]] = _plain(data["units"])
    return units


UNIT: dict[str, Any] = _example_units()[0]
"""The first unit of the example (城关镇, everything in place), as plain JSON-able data."""


def facts_json(units: Sequence[Any] | None = None, **top: Any) -> str:
    """A facts file (JSON) with ``units`` (default: the one good unit) and top-level keys."""
    return json.dumps({"spec": "2021", **top, "units": [UNIT] if units is None else list(units)},
                      ensure_ascii=False)


def unit_with(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    """A deep copy of the good unit with ``change`` applied."""
    unit = copy.deepcopy(UNIT)
    change(unit)
    return unit


def write(folder: Path, name: str, text: str | bytes) -> Path:
    """Write ``text`` to ``folder/name`` (creating folders) and return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def spec_case(name: str, text: str | bytes, fragment: str, exit: int = 2) -> Case:
    """``validate`` a spec file holding ``text``."""
    return Case(name, lambda d: ["validate", str(write(d, "spec.yaml", text))], exit, fragment)


def facts_case(name: str, text: str | bytes, fragment: str, exit: int = 1, *extra: str) -> Case:
    """``score`` a facts file holding ``text`` under the bundled spec."""
    return Case(name, lambda d: ["score", str(write(d, "facts.yaml", text)), "--spec", "2021", *extra],
                exit, fragment)


def spec_sub(old: str, new: str) -> str:
    """The bundled spec with its first ``old`` replaced by ``new``."""
    assert old in SPEC_TEXT, old
    return SPEC_TEXT.replace(old, new, 1)


TINY = """\
spec_format: 1
metadata: {id: tiny, title: 小例子, scale: 10}
unit_types: {town: {label: 镇}}
facts: {late: {type: count, label: 迟报条数, default: 0}}
indicators: [{id: timely, name: 时效性, points: 10, deduct: [{label: 迟报, per: late, points: 1}]}]
grades: [{id: ok, label: 合格, at_least: 6}, {id: bad, label: 不合格, below: 6, deduct: 50%}]
"""


def tiny_sub(old: str, new: str) -> str:
    """The tiny spec with ``old`` replaced by ``new``."""
    assert old in TINY, old
    return TINY.replace(old, new, 1)


# --- 1. documents hostile as YAML: read both as a spec and as a facts file ---------------------

DEEP = 3000
DOCUMENTS: list[tuple[str, str | bytes, str | tuple[str, str]]] = [  # a fragment, or one as a spec and one as facts
    ("empty", "", ("考评细则文件是空的", "is empty")),
    ("only_comments", "# nothing\n", ("考评细则文件是空的", "is empty")),
    ("scalar", "42\n", ("由若干键组成的映射", "mapping")),
    ("list", "- a\n- b\n", ("由若干键组成的映射", "mapping")),
    ("nul_char", "spec_format: 1\x00\n", "控制字符"),
    ("nul_in_quoted", 'a: "x\\0y"\n', "控制字符"),
    ("escape_code", 'a: "\\e[31mred"\n', "控制字符"),
    ("bell_char", "a: x\x07y\n", "控制字符"),
    ("c1_char", "a: x\x85y\n", "缺少“键: 值”中的冒号"),
    ("latin1_bytes", b"a: \xe9t\xe9\n", "不是 `UTF-8` 编码的文本"),
    ("utf16_bytes", "a: 1\n".encode("utf-16"), "不是 `UTF-8` 编码的文本"),
    ("two_documents", "a: 1\n---\nb: 2\n", "不止一份文档"),
    ("unclosed_quote", 'a: "abc\n', "引号或括号没有闭合"),
    ("unclosed_flow", "a: [1, 2\n", "引号或括号没有闭合"),
    ("tab_indent", "a:\n\tb: 1\n", "制表符"),
    ("bad_indent", "a:\n  b: 1\n c: 2\n", "缩进与上文不一致"),
    ("merge_key", "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "合并键"),
    ("merge_key_list", "b: &b {x: 1}\nc: &c {z: 1}\nother:\n  <<: [*b, *c]\n", "合并键"),
    ("python_tag", "a: !!python/object/apply:os.system ['echo hi']\n", "tag"),
    ("python_name_tag", "a: !!python/name:os.system\n", "tag"),
    ("local_tag_scalar", "a: !secret x\n", "标签"),
    ("local_tag_mapping", "a: !thing {b: 1}\n", "标签"),
    ("local_tag_list", "a: !thing [1, 2]\n", "标签"),
    ("binary_tag", "a: !!binary aGVsbG8=\n", "tag"),
    ("set_tag", "a: !!set {x, y}\n", "tag"),
    ("omap_tag", "a: !!omap [x: 1]\n", "tag"),
    ("str_tag_on_map", "a: !!str {b: 1}\n", "tag"),
    ("timestamp_tag_bad", "a: !!timestamp 2021-02-30\n", "2021-02-30"),  # the tag adds nothing; the date is wrong
    ("int_tag_on_text", "a: !!int abc\n", "tag"),
    ("list_key", "? [a, b]\n: 1\n", "键必须是普通文本"),
    ("map_key", "? {a: 1}\n: 1\n", "键必须是普通文本"),
    ("null_key", "~: 1\n", "键必须是普通文本"),
    ("bool_key", "true: 1\n", "键必须是普通文本"),
    ("float_key", "1.5: 1\n", "键必须是普通文本"),
    ("duplicate_key", "a: 1\na: 2\n", "键 `a` 重复"),
    ("duplicate_key_quoted", "a: 1\n'a': 2\n", "键 `a` 重复"),
    ("deep_lists", "a: " + "[" * DEEP + "]" * DEEP + "\n", "嵌套超过"),
    ("deep_maps", "a: " + "{b: " * DEEP + "1" + "}" * DEEP + "\n", "嵌套超过"),
    ("deep_block", "".join("  " * i + "k:\n" for i in range(400)) + "  " * 400 + "k: 1\n", "嵌套超过"),
    ("alias_bomb",
     "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
     "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
     "文件中的值超过"),
    ("alias_unknown", "a: *nothing\n", "没有对应的锚点"),
    ("huge_document", "a: [" + "1, " * (MAX_DOCUMENT_BYTES // 3 + 1) + "1]\n", "字节，未读取任何内容"),
    ("many_keys", "".join(f"k{i}: {i}\n" for i in range(MAX_DOCUMENT_BYTES // 10)), "字节，未读取任何内容"),
    ("impossible_date", "a: 2021-02-30\n", "2021-02-30"),
    ("impossible_date_time", "a: 2021-13-01 10:00:00\n", "2021-13-01"),
    ("nan", "a: .nan\n", "NaN"),
    ("long_key", "k" * 5000 + ": 1\n", "无法按 `YAML` 读取"),
]


FACTS_FRAGMENTS = {"is empty": "考核数据文件是空的", "mapping": "应为含 `units:` 列表的映射"}
"""What a facts file says, in Chinese, where the spec's English fragment is not in its sentence."""


def _doc_cases() -> list[Case]:
    cases = []
    for name, text, fragment in DOCUMENTS:
        as_spec, as_facts = fragment if isinstance(fragment, tuple) else (fragment, fragment)
        as_facts = FACTS_FRAGMENTS.get(as_facts, as_facts)
        cases.append(spec_case(f"spec_doc_{name}", text, as_spec))
        cases.append(facts_case(f"facts_doc_{name}", text, as_facts))
    return cases


# --- 2. the bundled spec, mutated ---------------------------------------------------------------

BASIC_POINTS = "    points: 15\n    clause: 附件 考评细则 二级指标 基础信息公开"
SPEC_MUTATIONS: list[tuple[str, str, str, str]] = [
    ("points_nan", BASIC_POINTS, "    points: .nan\n    clause: x", "不是有限的数"),
    ("points_inf", BASIC_POINTS, "    points: .inf\n    clause: x", "不是有限的数"),
    ("points_1e400", BASIC_POINTS, "    points: 1e400\n    clause: x", "这个数太大"),
    ("points_1e-400", "            points: 15 / 6", "            points: 1e-400", "太小或小数位太多"),
    ("points_div_zero", "            points: 15 / 6", "            points: 15 / 0", "除数为零"),
    ("points_expr_overflow", "            points: 15 / 6", "            points: 10 ** 10 ** 10", "乘方"),
    ("points_negative", "            points: 15 / 6", "            points: -1", "负数"),
    ("points_text", "            points: 15 / 6", "            points: abc", "未声明"),
    ("parameter_nan", "    value: 0.5\n", "    value: .nan\n", "不是有限的数"),
    ("parameter_inf", "    value: 0.5\n", "    value: .inf\n", "不是有限的数"),
    ("parameter_huge", "    value: 0.5\n", "    value: 1e400\n", "这个数太大"),
    ("award_above_cap", "            if: has_work_mechanism\n            points: 5",
     "            if: has_work_mechanism\n            points: 50", "超过了所在指标的分值"),
    ("deduct_above_cap", "            if: not has_interaction\n            points: 5",
     "            if: not has_interaction\n            points: 50", ""),
    ("max_huge", "    max: 6\n", "    max: 1e30\n", "绝对值最多为"),
    ("max_nan", "    max: 6\n", "    max: .nan\n", "不是有限的数"),
    ("id_total", "  - id: basic_info\n", "  - id: total\n", "保留"),
    ("id_newline", "  - id: basic_info\n", '  - id: "basic\\ninfo"\n', "id"),
    ("fact_name_newline", "  has_work_body:\n", '  "has_work_body\\n":\n', "U+000A"),
    ("fact_name_space", "  has_work_body:\n", '  "has_work_body ":\n', "不是有效的名称"),
    ("fact_name_escape", "  has_work_body:\n", '  "has\\e[31m":\n', "控制字符"),
    ("label_escape", "    label: 已明确政务公开工作机构\n", '    label: "\\e[2J已明确"\n', "控制字符"),
    ("year_impossible", "  effective_from: 2021-01-01\n", "  effective_from: 2021-02-30\n", "2021-02-30"),
    ("year_huge", "  year: 2021\n", "  year: 99999999999999999999\n", "year"),
    ("derived_cycle",
     "derived:\n", "derived:\n  loop_a: {label: 甲, expr: loop_b + 1}\n  loop_b: {label: 乙, expr: loop_a + 1}\n",
     "循环"),
    ("derived_self", "derived:\n", "derived:\n  loop_a: {label: 甲, expr: loop_a + 1}\n", "循环"),
    ("expression_100kb", "    if: info_published < monthly_info_target\n",
     "    if: " + "info_published + " * 6000 + "1 < monthly_info_target\n", "个字符，最多只能有"),
    ("expression_deep", "    if: info_published < monthly_info_target\n",
     "    if: " + "(" * 500 + "1" + ")" * 500 + " < monthly_info_target\n", "表达式"),
    ("expression_dunder", "    if: info_published < monthly_info_target\n",
     "    if: info_published.__class__ < monthly_info_target\n", "表达式"),
    ("expression_lambda", "    if: info_published < monthly_info_target\n",
     "    if: '(lambda: 1)() < monthly_info_target'\n", "只能调用列出的函数"),
    ("expression_power", "    if: info_published < monthly_info_target\n",
     "    if: 9 ** 9 ** 9 < monthly_info_target\n", "乘方"),
    ("expression_nul", "    if: info_published < monthly_info_target\n",
     '    if: "info_published\\0 < 1"\n', "控制字符"),
    ("grade_nan", "    at_least: 90\n", "    at_least: .nan\n", "不是有限的数"),
    ("grade_deduct_pct_huge", "    deduct: 40%\n", "    deduct: 4000000000000000000000000%\n", "%"),
    ("scale_zero", "  scale: 100\n", "  scale: 0\n", "scale"),
    ("scale_inf", "  scale: 100\n", "  scale: .inf\n", "不是有限的数"),
    ("extends_number_list", "spec_format: 1\n", "spec_format: 1\nextends: [1, 2]\n", "extends"),
    ("extends_empty", "spec_format: 1\n", 'spec_format: 1\nextends: ""\n', "extends"),
    ("extends_unknown", "spec_format: 1\n", "spec_format: 1\nextends: nowhere-9\n", "既不是本文件旁的文件，也不是内置考评细则"),
    ("spec_format_2", "spec_format: 1\n", "spec_format: 2\n", "spec_format"),
    ("unknown_top_key", "spec_format: 1\n", "spec_format: 1\nspecc: 1\n", "specc"),
]


def _spec_mutation_cases() -> list[Case]:
    # An empty fragment marks an input that is legitimately accepted (docs/security.md says why).
    return [spec_case(f"spec_{name}", spec_sub(old, new), fragment, 2 if fragment else 0)
            for name, old, new, fragment in SPEC_MUTATIONS]


def _tree(depth: int) -> str:
    node = "{id: leaf, name: 叶, points: 10, deduct: [{label: 迟报, per: late, points: 1}]}"
    for i in range(depth):
        node = f"{{id: n{i}, name: 节{i}, points: 10, children: [{node}]}}"
    return tiny_sub("indicators: [{id: timely, name: 时效性, points: 10, deduct: [{label: 迟报, per: late, points: 1}]}]",
                    f"indicators: [{node}]")


def _wide(width: int) -> str:
    children = ", ".join(f"{{id: c{i}, name: 子{i}, points: 0, deduct: [{{label: 迟报, per: late, points: 1}}]}}"
                         for i in range(width))
    return tiny_sub("indicators: [{id: timely, name: 时效性, points: 10, deduct: [{label: 迟报, per: late, points: 1}]}]",
                    f"indicators: [{{id: timely, name: 时效性, points: 10, children: [{children}]}}]")


def _tiny_cases() -> list[Case]:
    return [
        spec_case("tiny_tree_200_deep", _tree(200), "嵌套超过"),
        spec_case("tiny_tree_3000_wide", _wide(3000), "children"),
        spec_case("tiny_points_huge_count_rule", tiny_sub("points: 1}", "points: 1e300}"), "这个数太大"),
        spec_case("tiny_indicator_points_10e9", tiny_sub("points: 10,", "points: 10000000000000,"), "这个数太大"),
        spec_case("tiny_scale_nan", tiny_sub("scale: 10", "scale: .nan"), "不是有限的数"),
        spec_case("tiny_count_default_huge", tiny_sub("default: 0", "default: 100000000000"), "默认值"),
        spec_case("tiny_per_div_zero", tiny_sub("per: late, points: 1", "per: late, points: 1 / 0"),
                  "除数为零"),
        spec_case("tiny_id_whitespace", tiny_sub("id: timely", "id: 'timely '"), "id"),
        spec_case("tiny_id_empty", tiny_sub("id: timely", "id: ''"), "id"),
        spec_case("tiny_not_a_mapping_metadata", tiny_sub("metadata: {id: tiny, title: 小例子, scale: 10}", "metadata: 5"),
                  "metadata"),
    ]


# --- 3. one unit of the example facts, mutated ----------------------------------------------------

def _set(*path: Any, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(unit: dict[str, Any]) -> None:
        target: Any = unit
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(*path: Any) -> Callable[[dict[str, Any]], None]:
    def change(unit: dict[str, Any]) -> None:
        target: Any = unit
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


def _rename_month(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    def change(unit: dict[str, Any]) -> None:
        unit["periods"][new] = copy.deepcopy(unit["periods"][old])
    return change


UNIT_MUTATIONS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("count_text", _set("facts", "fulltime_staff", value="4"), "应填数字"),
    ("count_text_spaces", _set("facts", "fulltime_staff", value=" 4 "), "应填数字"),
    ("count_1e28", _set("facts", "fulltime_staff", value=10**28), "这个数太大"),
    ("count_1e10", _set("facts", "fulltime_staff", value=10**10), "过大"),
    ("count_negative", _set("facts", "fulltime_staff", value=-1), "小于允许的最小值"),
    ("count_fraction", _set("facts", "fulltime_staff", value=1.5), "应填整数"),
    ("count_float_huge", _set("facts", "fulltime_staff", value=1e300), "这个数太大"),
    ("count_bool", _set("facts", "fulltime_staff", value=True), "填写的是 true"),
    ("count_list", _set("facts", "fulltime_staff", value=[1]), "填写的是 […]"),
    ("count_map", _set("facts", "fulltime_staff", value={"a": 1}), "填写的是 {…}"),
    ("count_null", _set("facts", "fulltime_staff", value=None), "null"),
    ("bool_text", _set("facts", "has_work_body", value="yes"), "应填 `true`（是）或 `false`（否）"),
    ("bool_number", _set("facts", "has_work_body", value=1), "应填 `true`（是）或 `false`（否）"),
    ("ratio_over", _set("periods", "2021-01", "online_service_ratio", value=1.5), "大于允许的最大值"),
    ("ratio_negative", _set("periods", "2021-01", "online_service_ratio", value=-0.5), "小于允许的最小值"),
    ("ratio_percent_huge", _set("periods", "2021-01", "online_service_ratio", value="1e400%"), "过大"),
    ("ratio_percent_text", _set("periods", "2021-01", "online_service_ratio", value="abc%"), "应填数字"),
    ("ratio_percent_nan", _set("periods", "2021-01", "online_service_ratio", value="NaN%"), "不是有限的数"),
    ("ratio_text_nan", _set("periods", "2021-01", "online_service_ratio", value="NaN"), "应填数字"),
    ("ratio_text_inf", _set("periods", "2021-01", "online_service_ratio", value="Infinity"), "应填数字"),
    ("unknown_fact", _set("facts", "no_such_fact", value=1), "no_such_fact"),
    ("fact_name_newline", _set("facts", "has_work_body\n", value=True), "has_work_body"),
    ("missing_required", _delete("facts", "has_work_body"), "has_work_body"),
    ("facts_not_mapping", _set("facts", value=[1, 2]), "映射"),
    ("periods_not_mapping", _set("periods", value=[1, 2]), "映射"),
    ("month_twice_space", _rename_month("2021-03", "2021-03 "), "2021-03"),
    ("month_13", _rename_month("2021-03", "2021-13"), "2021-13"),
    ("month_other_year", _rename_month("2021-03", "2020-03"), "2020-03"),
    ("month_unpadded", _rename_month("2021-03", "2021-3"), "2021-3"),
    ("month_missing", _delete("periods", "2021-03"), "2021-03"),
    ("month_nul", _rename_month("2021-03", "2021-03\x00"), "控制字符"),
    ("period_fact_unknown", _set("periods", "2021-01", "nope", value=1), "nope"),
    ("period_fact_text", _set("periods", "2021-01", "info_published", value="8"), "应填数字"),
    ("record_published_before_formed",
     _set("facts", "disclosures", 0, "published", value="2021-01-01"), "早于"),
    ("record_formed_1990", _set("facts", "disclosures", 0, "formed", value="1990-01-01"), "1990-01-01"),
    ("record_formed_2035", _set("facts", "disclosures", 0, "formed", value="2035-01-01"), "2035-01-01"),
    ("record_formed_empty", _set("facts", "disclosures", 0, "formed", value=None), "formed"),
    ("record_formed_blank_text", _set("facts", "disclosures", 0, "formed", value=""), "formed"),
    ("record_formed_impossible", _set("facts", "disclosures", 0, "formed", value="2021-02-30"), "2021-02-30"),
    ("record_formed_datetime_text", _set("facts", "disclosures", 0, "formed", value="2021-02-05T10:00"), "日期"),
    ("record_unknown_field", _set("facts", "disclosures", 0, "author", value="x"), "author"),
    ("record_not_mapping", _set("facts", "disclosures", 0, value="x"), "映射"),
    ("records_not_list", _set("facts", "disclosures", value="x"), "列表"),
    ("record_deadline_huge", _set("facts", "disclosures", 0, "deadline", value=10**12), "过大"),
    ("record_title_escape", _set("facts", "disclosures", 0, "title", value="\x1b[31mred"), "控制字符"),
    ("record_published_far", _set("facts", "disclosures", 0, "published", value="9999-12-31"), "9999-12-31"),
    ("id_trailing_space", _set("id", value="chengguan "), "空格"),
    ("id_leading_space", _set("id", value=" chengguan"), "空格"),
    ("id_empty", _set("id", value=""), "id"),
    ("id_escape", _set("id", value="a\x1b[2Jb"), "控制字符"),
    ("id_newline", _set("id", value="a\nb"), "控制字符"),
    ("id_list", _set("id", value=[1]), "id"),
    ("id_missing", _delete("id"), "id"),
    ("name_escape", _set("name", value="\x1b]8;;http://x\x07城关镇"), "控制字符"),
    ("name_bidi", _set("name", value="城关\u202e镇"), "控制字符"),
    ("name_formula", _set("name", value="=HYPERLINK(\"http://x\",\"a\")"), "公式"),
    ("name_formula_plus", _set("name", value="+cmd|' /C calc'!A0"), "公式"),
    ("name_formula_at", _set("name", value="@SUM(1+1)*cmd|' /C calc'!A0"), "公式"),
    ("name_empty", _set("name", value=""), "name"),
    ("name_number", _set("name", value=5), ""),
    ("type_unknown", _set("type", value="village"), "village"),
    ("type_escape", _set("type", value="town\x1b"), "控制字符"),
    ("target_negative", _set("target", value=-3), "target"),
    ("target_huge", _set("target", value=10**30), "这个数太大"),
    ("target_text", _set("target", value="3"), "target"),
    ("target_nan_text", _set("target", value="NaN"), "target"),
    ("unit_extra_key", _set("extra", value=1), "extra"),
]


def _unit_cases() -> list[Case]:
    return [facts_case(f"unit_{name}", facts_json([unit_with(change)]), fragment, 1 if fragment else 0)
            for name, change, fragment in UNIT_MUTATIONS]


def _facts_file_cases() -> list[Case]:
    twin = unit_with(_set("id", value="chengguan"))
    return [
        facts_case("facts_units_missing", json.dumps({"spec": "2021"}), "units"),
        facts_case("facts_units_not_list", json.dumps({"units": {"a": 1}}), "units"),
        facts_case("facts_units_empty", json.dumps({"units": []}), "没有填写任何单位"),
        facts_case("facts_unit_is_text", facts_json(["x"]), "映射"),
        facts_case("facts_unit_is_null", facts_json([None]), "映射"),
        facts_case("facts_duplicate_ids", facts_json([UNIT, twin]), "用了两次"),
        facts_case("facts_unknown_top_key", facts_json(extra=1), "extra"),
        facts_case("facts_as_of_impossible_yaml", "as_of: 2021-02-30\nunits: " + json.dumps([UNIT]), "2021-02-30"),
        facts_case("facts_as_of_impossible_text", facts_json(as_of="2021-02-30"), "2021-02-30"),
        facts_case("facts_as_of_number", facts_json(as_of=20210230), "as_of"),
        facts_case("facts_as_of_1990", facts_json(as_of="1990-01-01"), "1990"),
        facts_case("facts_as_of_datetime", "as_of: 2022-01-10 10:00:00\nunits: " + json.dumps([UNIT]), "as_of"),
        Case("facts_spec_list", lambda d: ["score", str(write(d, "f.json", facts_json(spec=[1])))], 2, "`spec:`"),
        Case("facts_spec_empty", lambda d: ["score", str(write(d, "f.json", facts_json(spec="")))], 2, "`spec:`"),
        Case("facts_spec_nul", lambda d: ["score", str(write(d, "f.json", facts_json(spec="a\x00")))], 1,
             "控制字符"),
        Case("facts_spec_unknown", lambda d: ["score", str(write(d, "f.json", facts_json(spec="nope-9")))], 2,
             "既不是"),
        facts_case("facts_description_nul", facts_json(description="a\x00b"), "控制字符"),
        facts_case("facts_json_nan", '{"units": [{"id": "a", "target": NaN}]}', "NaN"),
        facts_case("facts_json_infinity", '{"units": [{"id": "a", "target": Infinity}]}', "Infinity"),
        facts_case("facts_json_huge_exponent", '{"units": [{"id": "a", "target": 1e99999}]}', "这个数太大"),
        facts_case("facts_json_long_number", '{"units": [{"id": "a", "target": ' + "9" * 5000 + "}]}", "这个数太大"),
        facts_case("facts_json_trailing_garbage", '{"units": []} xx', "无法按 `YAML` 读取"),
        facts_case("facts_bom", "\ufeffunits: []\n", "没有填写任何单位"),
    ]


# --- 4. files the spec or facts point at --------------------------------------------------------

def _secret(d: Path) -> Path:
    return write(d, "outside/secret.yaml", f"token: {CANARY}\n")


def _extends(target: Callable[[Path], str]) -> Builder:
    def build(d: Path) -> Outcome:
        _secret(d)
        spec = write(d, "inside/spec.yaml", f"extends: {json.dumps(target(d))}\nmetadata: {{id: x}}\n")
        return ["validate", str(spec)]
    return build


def _facts_spec(target: Callable[[Path], str]) -> Builder:
    def build(d: Path) -> Outcome:
        _secret(d)
        facts = write(d, "inside/facts.json", facts_json(spec=target(d)))
        return ["score", str(facts)]
    return build


def _symlink(d: Path, name: str, target: Path | str) -> Path:
    link = d / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    return link


def _symlinked_extends(d: Path) -> Outcome:
    _symlink(d, "inside/link.yaml", _secret(d))
    return ["validate", str(write(d, "inside/spec.yaml", "extends: link.yaml\n"))]


def _symlink_loop(d: Path) -> Outcome:
    _symlink(d, "inside/a.yaml", d / "inside/b.yaml")
    _symlink(d, "inside/b.yaml", d / "inside/a.yaml")
    return ["validate", str(write(d, "inside/spec.yaml", "extends: a.yaml\n"))]


def _extends_self_via_link(d: Path) -> Outcome:
    spec = write(d, "inside/spec.yaml", "extends: again.yaml\nmetadata: {id: x}\n")
    _symlink(d, "inside/again.yaml", spec)
    return ["validate", str(spec)]


def _extends_each_other(d: Path) -> Outcome:
    write(d, "inside/b.yaml", "extends: a.yaml\n")
    return ["validate", str(write(d, "inside/a.yaml", "extends: b.yaml\n"))]


def _extends_folder(d: Path) -> Outcome:
    (d / "inside/sub.yaml").mkdir(parents=True)
    return ["validate", str(write(d, "inside/spec.yaml", "extends: sub.yaml\n"))]


def _extends_fifo(d: Path) -> Outcome:
    (d / "inside").mkdir(parents=True)
    os.mkfifo(d / "inside/pipe.yaml")
    return ["validate", str(write(d, "inside/spec.yaml", "extends: pipe.yaml\n"))]


def _allowed_outside(d: Path) -> Outcome:
    write(d, "shared/base.yaml", SPEC_TEXT)
    spec = write(d, "inside/spec.yaml", f"extends: {json.dumps(str(d / 'shared/base.yaml'))}\n"
                                        "metadata: {id: allowed}\n")
    return ["validate", str(spec), "--allow-dir", str(d / "shared")]


def _allowed_api(d: Path) -> Outcome:
    write(d, "shared/base.yaml", SPEC_TEXT)
    spec = write(d, "inside/spec.yaml", "extends: ../shared/base.yaml\nmetadata: {id: allowed}\n")
    return lambda: assessrules.load_spec(spec, allow=[d / "shared"])


def _refused_api(d: Path) -> Outcome:
    _secret(d)
    spec = write(d, "inside/spec.yaml", "extends: ../outside/secret.yaml\n")
    return lambda: assessrules.load_spec(spec)


def _inside_subfolder(d: Path) -> Outcome:
    write(d, "inside/base/2021.yaml", SPEC_TEXT)
    return ["validate", str(write(d, "inside/spec.yaml", "extends: base/2021.yaml\nmetadata: {id: sub}\n"))]


def _facts_spec_beside(d: Path) -> Outcome:
    write(d, "inside/rules.yaml", SPEC_TEXT)
    return ["score", str(write(d, "inside/facts.json", facts_json(spec="rules.yaml")))]


def _facts_spec_allowed(d: Path) -> Outcome:
    write(d, "shared/rules.yaml", SPEC_TEXT)
    facts = write(d, "inside/facts.json", facts_json(spec="../shared/rules.yaml"))
    return ["score", str(facts), "--allow-dir", str(d / "shared")]


def _facts_spec_allowed_elsewhere(d: Path) -> Outcome:
    write(d, "shared/rules.yaml", SPEC_TEXT)
    (d / "other").mkdir()
    facts = write(d, "inside/facts.json", facts_json(spec="../shared/rules.yaml"))
    return ["score", str(facts), "--allow-dir", str(d / "other")]


def _facts_spec_via_link(d: Path) -> Outcome:
    _symlink(d, "inside/rules.yaml", _secret(d))
    return ["score", str(write(d, "inside/facts.json", facts_json(spec="rules.yaml")))]


def _access_cases() -> list[Case]:
    return [
        Case("extends_absolute_outside", _extends(lambda d: str(d / "outside/secret.yaml")), 2, "outside"),
        Case("extends_dotdot_outside", _extends(lambda d: "../outside/secret.yaml"), 2, "outside"),
        Case("extends_dotdot_deep", _extends(lambda d: "../../../../../../../../etc/passwd"), 2, "可以读取的文件夹之外"),
        Case("extends_proc_environ", _extends(lambda d: "/proc/self/environ"), 2, "可以读取的文件夹之外"),
        Case("extends_etc_passwd", _extends(lambda d: "/etc/passwd"), 2, "可以读取的文件夹之外"),
        Case("extends_dev_zero", _extends(lambda d: "/dev/zero"), 2, "可以读取的文件夹之外"),
        Case("extends_home_tilde", _extends(lambda d: "~/.bashrc"), 2, "既不是本文件旁的文件，也不是内置考评细则"),
        Case("extends_symlink_out", _symlinked_extends, 2, "可以读取的文件夹之外"),
        Case("extends_symlink_loop", _symlink_loop, 2, "循环"),
        Case("extends_self_via_link", _extends_self_via_link, 2, "循环"),
        Case("extends_each_other", _extends_each_other, 2, "循环"),
        Case("extends_folder", _extends_folder, 2, "不是普通文件（而是文件夹、设备或管道）"),
        Case("extends_fifo", _extends_fifo, 2, "不是普通文件（而是文件夹、设备或管道）"),
        Case("extends_allowed_dir", _allowed_outside, 0, ""),
        Case("extends_allowed_api", _allowed_api, 0, ""),
        Case("extends_refused_api", _refused_api, 2, "outside"),
        Case("extends_inside_subfolder", _inside_subfolder, 0, ""),
        Case("facts_spec_absolute_outside", _facts_spec(lambda d: str(d / "outside/secret.yaml")), 2, "outside"),
        Case("facts_spec_dotdot_outside", _facts_spec(lambda d: "../outside/secret.yaml"), 2, "outside"),
        Case("facts_spec_etc_passwd", _facts_spec(lambda d: "/etc/passwd"), 2, "可读取的文件夹之外"),
        Case("facts_spec_proc_environ", _facts_spec(lambda d: "/proc/self/environ"), 2, "可读取的文件夹之外"),
        Case("facts_spec_dev_zero", _facts_spec(lambda d: "/dev/zero"), 2, "可读取的文件夹之外"),
        Case("facts_spec_via_link", _facts_spec_via_link, 2, "可读取的文件夹之外"),
        Case("facts_spec_beside", _facts_spec_beside, 0, ""),
        Case("facts_spec_allowed_dir", _facts_spec_allowed, 0, ""),
        Case("facts_spec_allowed_other_dir", _facts_spec_allowed_elsewhere, 2, "可读取的文件夹之外"),
    ]


# --- 5. the command line ---------------------------------------------------------------------------

def _good_facts(d: Path) -> Path:
    return write(d, "facts.json", facts_json())


def _cli(argv: Callable[[Path], list[str]]) -> Builder:
    return argv


def _fifo(d: Path, name: str) -> Path:
    path = d / name
    os.mkfifo(path)
    return path


def _output_onto(make: Callable[[Path], Path]) -> Builder:
    def build(d: Path) -> Outcome:
        return ["score", str(_good_facts(d)), "-o", str(make(d))]
    return build


def _device(d: Path) -> Path:
    """A character device like /dev/null, made in ``d`` (a FIFO where devices cannot be made)."""
    path = d / "null-device"
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except OSError:
        os.mkfifo(path)
    return path


def _link_to_fifo(d: Path) -> Path:
    return _symlink(d, "out-link", _fifo(d, "pipe"))


def _facts_naming(d: Path, spec: str) -> Path:
    return write(d, "inside/facts.json", facts_json(spec=spec))


def _outside_spec(d: Path) -> Path:
    _secret(d)
    return write(d, "inside/spec.yaml", "extends: ../outside/secret.yaml\n")


def _cli_cases() -> list[Case]:
    return [
        Case("cli_no_arguments", _cli(lambda d: []), 2, "用法"),
        Case("cli_unknown_command", _cli(lambda d: ["frobnicate"]), 2, "不是可选的值"),
        Case("cli_spec_empty", _cli(lambda d: ["score", str(_good_facts(d)), "--spec", ""]), 2, "`--spec` 后面是空的"),
        Case("cli_spec_blank", _cli(lambda d: ["score", str(_good_facts(d)), "--spec", "  "]), 2, "spec"),
        Case("cli_spec_missing", _cli(lambda d: ["score", str(_good_facts(d)), "--spec", "nope-9"]), 2, "找不到考评细则文件"),
        Case("cli_spec_folder", _cli(lambda d: ["score", str(_good_facts(d)), "--spec", str(d)]), 2, "文件夹，不是文件"),
        Case("cli_spec_dev_zero", _cli(lambda d: ["validate", "/dev/zero"]), 2, "不是普通文件"),
        Case("cli_spec_fifo", _cli(lambda d: ["validate", str(_fifo(d, "p.yaml"))]), 2, "不是普通文件"),
        Case("cli_validate_empty_name", _cli(lambda d: ["validate", ""]), 2, "名称为空"),
        Case("cli_facts_missing", _cli(lambda d: ["score", str(d / "none.yaml")]), 1, "找不到这个文件"),
        Case("cli_facts_folder", _cli(lambda d: ["score", str(d)]), 1, "文件夹，不是文件"),
        Case("cli_facts_fifo", _cli(lambda d: ["score", str(_fifo(d, "f.yaml"))]), 1, "不是普通文件"),
        Case("cli_facts_dev_zero", _cli(lambda d: ["score", "/dev/zero"]), 1, "不是普通文件"),
        Case("cli_facts_dev_null", _cli(lambda d: ["score", "/dev/null"]), 1, "不是普通文件"),
        Case("cli_facts_empty_name", _cli(lambda d: ["score", ""]), 1, "没有给出文件名"),
        Case("cli_as_of_impossible", _cli(lambda d: ["score", str(_good_facts(d)), "--as-of", "2021-02-30"]), 2,
             "不是日期"),
        Case("cli_as_of_1990", _cli(lambda d: ["score", str(_good_facts(d)), "--as-of", "1990-01-01"]), 1, "1990"),
        Case("cli_format_unknown", _cli(lambda d: ["score", str(_good_facts(d)), "--format", "xml"]), 2,
             "不是可选的值"),
        Case("cli_explain_unknown_unit", _cli(lambda d: ["explain", str(_good_facts(d)), "--unit", "nope"]), 2,
             "没有编号或名称为"),
        Case("cli_explain_unit_escape",
             _cli(lambda d: ["explain", str(_good_facts(d)), "--unit", "\x1b[2J"]), 2, "没有编号或名称为"),
        Case("cli_bulletin_bad_quarter", _cli(lambda d: ["bulletin", str(_good_facts(d)), "--quarter", "2021Q5"]),
             2, "不是季度"),
        Case("cli_bulletin_garbage_quarter",
             _cli(lambda d: ["bulletin", str(_good_facts(d)), "--quarter", "x" * 10000]), 2, "不是季度"),
        Case("cli_bulletin_other_year", _cli(lambda d: ["bulletin", str(_good_facts(d)), "--quarter", "1990Q1"]),
             2, "不在考评细则的考核年度"),
        Case("cli_check_negative_examples", _cli(lambda d: ["check", "2021", "--examples", "-1"]), 2, "examples"),
        Case("cli_check_huge_examples", _cli(lambda d: ["check", "2021", "--examples", "10000000000"]), 2,
             "examples"),
        Case("cli_test_missing_file", _cli(lambda d: ["test", "2021", str(d / "none.yaml")]), 2, "找不到这个文件"),
        Case("cli_output_onto_folder", _output_onto(lambda d: d), 2, "不是普通文件"),
        Case("cli_output_onto_fifo", _output_onto(lambda d: _fifo(d, "out")), 2, "不是普通文件"),
        Case("cli_output_onto_link_to_fifo", _output_onto(_link_to_fifo), 2, "不是普通文件"),
        Case("cli_output_onto_device", _output_onto(_device), 2, "不是普通文件"),
        Case("cli_output_missing_folder", _output_onto(lambda d: d / "no" / "out.txt"), 2, "out.txt"),
        Case("cli_output_empty_name", lambda d: ["score", str(_good_facts(d)), "-o", ""], 2, "`-o` 后面是空的"),
        Case("cli_test_scenarios_fifo", _cli(lambda d: ["test", "2021", str(_fifo(d, "cases.yaml"))]), 2,
             "不是普通文件"),
        Case("cli_test_scenarios_dev_zero", _cli(lambda d: ["test", "2021", "/dev/zero"]), 2, "不是普通文件"),
        Case("cli_show_onto_fifo", _cli(lambda d: ["show", "2021", "-o", str(_fifo(d, "shown"))]), 2,
             "不是普通文件"),
        Case("cli_facts_schema_onto_folder", _cli(lambda d: ["facts-schema", "2021", "-o", str(d)]), 2,
             "不是普通文件"),
        Case("cli_bulletin_onto_device",
             _cli(lambda d: ["bulletin", str(_good_facts(d)), "--quarter", "2021Q1", "-o", str(_device(d))]), 2,
             "不是普通文件"),
        Case("cli_diff_extends_outside", _cli(lambda d: ["diff", "2021", str(_outside_spec(d))]), 2, "outside"),
        Case("cli_impact_facts_fifo", _cli(lambda d: ["impact", "2021", "2021", str(_fifo(d, "f.yaml"))]), 1,
             "不是普通文件"),
        Case("cli_show_extends_outside", _cli(lambda d: ["show", str(_outside_spec(d))]), 2, "outside"),
        Case("cli_show_allow_dir_missing", _cli(lambda d: ["show", "2021", "--allow-dir", str(d / "none")]), 2,
             "不存在，或不是文件夹"),
        Case("cli_explain_facts_spec_outside",
             _cli(lambda d: ["explain", str(_facts_naming(d, "/etc/passwd")), "--unit", "chengguan"]), 2,
             "可读取的文件夹之外"),
    ]


# --- 6. the API ------------------------------------------------------------------------------------

def _spec2021() -> assessrules.Spec:
    return assessrules.load_spec("2021")


def _api(call: Callable[[], object]) -> Builder:
    return lambda d: call


def _evaluating(unit: Any) -> Callable[[], object]:
    return lambda: _spec2021().evaluate(unit)


def _api_cases() -> list[Case]:
    bad_units: list[tuple[str, Any, str]] = [
        ("unit_none", None, "mapping"),
        ("unit_list", [1, 2], "mapping"),
        ("unit_text", "chengguan", "mapping"),
        ("unit_empty", {}, "id"),
        ("unit_count_text", unit_with(_set("facts", "fulltime_staff", value="4")), "expected a number"),
        ("unit_count_huge", unit_with(_set("facts", "fulltime_staff", value=10**40)), "too large"),
        ("unit_key_not_text", {**UNIT, 5: 1}, "5"),
        ("ratio_snan", unit_with(_set("periods", "2021-01", "online_service_ratio", value=Decimal("sNaN"))), "finite"),
        ("ratio_nan", unit_with(_set("periods", "2021-01", "online_service_ratio", value=Decimal("NaN"))), "finite"),
        ("ratio_float_nan", unit_with(_set("periods", "2021-01", "online_service_ratio", value=float("nan"))),
         "finite"),
        ("count_decimal_inf", unit_with(_set("periods", "2021-01", "info_published", value=Decimal("Infinity"))),
         "finite"),
        ("count_decimal_fraction", unit_with(_set("facts", "fulltime_staff", value=Decimal("1E-50"))), "whole number"),
        ("target_snan", unit_with(_set("target", value=Decimal("sNaN"))), "finite"),
        ("target_float_inf", unit_with(_set("target", value=float("inf"))), "finite"),
        ("target_huge_int", unit_with(_set("target", value=10**400)), "too large"),
        ("record_date_datetime", unit_with(_set("facts", "disclosures", 0, "formed",
                                                value=dt.datetime(2021, 2, 5, 10))), "without a time"),
        ("record_title_bytes", unit_with(_set("facts", "disclosures", 0, "title", value=b"x")), "text"),
        ("record_title_bidi", unit_with(_set("facts", "disclosures", 0, "title", value="a\u202eb")),
         "control character"),
    ]
    cases = [Case(f"api_evaluate_{name}", _api(_evaluating(unit)), 1, fragment) for name, unit, fragment in bad_units]
    cases += [
        Case("api_load_spec_none", _api(lambda: assessrules.load_spec(None)), 2, "spec"),  # type: ignore[arg-type]
        Case("api_load_spec_number", _api(lambda: assessrules.load_spec(2021)), 2, "spec"),  # type: ignore[arg-type]
        Case("api_load_spec_empty", _api(lambda: assessrules.load_spec("")), 2, "empty"),
        Case("api_load_spec_nul", _api(lambda: assessrules.load_spec("a\x00b.yaml")), 2, "spec"),
        Case("api_spec_from_text_bytes", _api(lambda: assessrules.spec_from_text(b"a: 1")), 2, "text"),  # type: ignore[arg-type]
        Case("api_spec_from_text_none", _api(lambda: assessrules.spec_from_text(None)), 2, "text"),  # type: ignore[arg-type]
        Case("api_evaluate_as_of_text", _api(lambda: _spec2021().evaluate(UNIT, as_of="10/01/2022")), 2,
             "date"),
        Case("api_evaluate_as_of_1990", _api(lambda: _spec2021().evaluate(UNIT, as_of=dt.date(1990, 1, 1))), 1,
             "1990"),
        Case("api_evaluate_many_none", _api(lambda: _spec2021().evaluate_many(None)), 2, "list"),  # type: ignore[arg-type]
        Case("api_evaluate_many_text", _api(lambda: _spec2021().evaluate_many("abc")), 2, "list"),  # type: ignore[arg-type]
        Case("api_evaluate_many_dict", _api(lambda: _spec2021().evaluate_many({"a": 1})), 2, "list"),  # type: ignore[arg-type]
        Case("api_bulletin_bad_quarter", _api(lambda: _spec2021().bulletin([UNIT], "Q5")), 2, "quarter"),
        Case("api_bulletin_none_quarter", _api(lambda: _spec2021().bulletin([UNIT], None)), 2, "quarter"),  # type: ignore[arg-type]
        Case("api_allow_not_a_list", _api(lambda: assessrules.load_spec("2021", allow="/")), 2, "allow"),
    ]
    return cases


CASES: list[Case] = [
    *_doc_cases(),
    *_spec_mutation_cases(),
    *_tiny_cases(),
    *_unit_cases(),
    *_facts_file_cases(),
    *_access_cases(),
    *_cli_cases(),
    *_api_cases(),
]
"""Every hostile input, by name."""

__all__ = ["CANARY", "CASES", "Case", "play"]

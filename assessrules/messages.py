"""The message catalogue: what each stable problem code means, in English and Chinese.

One plain table keyed by the problem codes (``facts.missing``, ``spec.grade_gap``, …), with the
English and the Chinese text of each code side by side. We chose a table over gettext (babel):
there are two languages and a few dozen short messages, the codes are already the stable keys that
programs read, and a table in Python is type-checked, tested against ``docs/errors.md`` and needs
no compile step or ``.mo`` files in the wheel.

A code's ``zh`` text may name the problem's fields (``{fact}``, ``{unit}``, ``{period}``,
``{record}``) and its English ``{message}``; when a field it needs is missing, or the code has no
Chinese text, the English message is shown, so no problem is ever lost in translation.

>>> from assessrules.errors import Problem
>>> p = Problem("missing fact `late` (迟报)", ("facts", "late"), "units.yaml", 4, 7, "this fact is required",
...             unit="a", code="facts.missing", fact="late")
>>> print(render_problem(p, "zh"))
units.yaml:4:7: 单位 a：缺少必填数据项 `late`（位置 $.facts.late）
    提示：请填写这一数据项
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from .errors import Problem

LANGUAGES = ("zh", "en")


@attrs.frozen
class Message:
    """What a code means (``en``/``zh``), and optionally a Chinese message and hint for one problem."""

    en: str
    zh: str
    zh_text: str | None = None
    zh_hint: str | None = None


CATALOGUE: Mapping[str, Message] = {
    # facts: a facts file or one unit's facts
    "facts.invalid": Message("the facts are not valid", "考核数据有误"),
    "facts.file": Message("the facts file cannot be read, or is not a mapping with `units:`",
                          "考核数据文件无法读取，或不是含 `units:` 的映射", "考核数据文件有误：{message}"),
    "facts.as_of": Message("the facts file's `as_of` is not a date", "考核数据文件的 `as_of` 不是日期",
                           "`as_of` 须为形如 2022-01-10 的日期：{message}"),
    "facts.unit_not_mapping": Message("a unit is not a mapping", "单位条目不是映射",
                                      "单位条目须为包含 id、name、type、target、facts 的映射"),
    "facts.unit_key": Message("a unit has a key it does not know", "单位条目含未知的键", "单位条目含未知的键：{message}"),
    "facts.unit_id": Message("a unit has no id", "单位缺少编号", "每个单位都需要编号 `id`（文本）"),
    "facts.unit_name": Message("a unit's name is not text", "单位名称不是文本", "单位名称 `name` 须为文本"),
    "facts.unit_type": Message("a unit's type is missing or unknown", "单位类型缺失或未知", "单位类型缺失或未知：{message}",
                               "可选的类型见提示"),
    "facts.target": Message("a unit's target value (目标分值) is missing or wrong", "目标分值缺失或有误",
                            "目标分值有误：{message}"),
    "facts.workbook": Message("a workbook's cell, column or sheet does not fit the data-entry layout",
                              "考核数据表的单元格、列或工作表不符合填报格式", "{message}"),
    "facts.duplicate_unit": Message("two units have the same id", "单位编号重复", "单位编号 `{unit}` 重复：{message}",
                                    "每个单位使用不同的编号"),
    "facts.not_mapping": Message("facts are not a mapping of names to values", "考核数据不是“名称: 值”的映射",
                                 "考核数据须为“数据项名称: 值”的映射"),
    "facts.unknown": Message("a fact the spec does not declare", "考评细则未声明的数据项",
                             "考评细则未声明数据项 `{fact}`"),
    "facts.missing": Message("a required fact is missing", "缺少必填数据项", "缺少必填数据项 `{fact}`",
                             "请填写这一数据项"),
    "facts.type": Message("a fact's value is of the wrong kind", "数据项的值类型不符",
                          "数据项 `{fact}` 的值类型不符：{message}"),
    "facts.range": Message("a fact's value is out of its range", "数据项的值超出范围",
                           "数据项 `{fact}` 的值超出允许范围：{message}"),
    "facts.enum": Message("a fact's value is not one of its values", "数据项的值不在可选值之中",
                          "数据项 `{fact}` 的值不在可选值之中：{message}"),
    "facts.record_field_unknown": Message("a record has a field its fact does not declare", "记录含未声明的字段",
                                          "数据项 `{fact}` 第 {record} 条记录含未声明的字段：{message}"),
    "facts.record_field_missing": Message("a record lacks a required field", "记录缺少必填字段",
                                          "数据项 `{fact}` 第 {record} 条记录缺少必填字段：{message}"),
    "facts.record_after_as_of": Message("a record is dated after the assessment date", "记录日期晚于考核日期",
                                        "数据项 `{fact}` 第 {record} 条记录的日期晚于考核日期",
                                        "删去该记录，或以更晚的日期考核（--as-of）"),
    "facts.periods": Message("`periods:` is missing, misplaced or not a mapping", "`periods:` 缺失、不适用或格式有误",
                             "分期数据 `periods:` 有误：{message}"),
    "facts.period": Message("a period label is wrong or out of the spec's year", "期间标签有误或不在考核年度内",
                            "期间 `{period}` 有误：{message}"),
    "facts.period_missing": Message("a period up to the assessment date has no facts", "缺少考核日期前某期的数据",
                                    "缺少 {period} 的数据", "考核日期之前的每一期都需要填报数据"),
    "facts.period_after_as_of": Message("a period begins after the assessment date", "期间晚于考核日期",
                                        "{period} 晚于考核日期", "删去该期，或以更晚的日期考核（--as-of）"),
    # spec: a spec file
    "spec.invalid": Message("the spec is not valid", "考评细则有误", "考评细则有误：{message}"),
    "spec.not_found": Message("no spec file and no bundled spec of that id", "找不到该考评细则",
                              "找不到考评细则：{message}"),
    "spec.file": Message("the spec file cannot be read or is not valid YAML", "考评细则文件无法读取或不是有效的 YAML",
                         "考评细则文件有误：{message}"),
    "spec.schema": Message("the spec does not have the shape the spec schema requires", "考评细则的结构不符合规范",
                           "考评细则的结构不符合规范：{message}"),
    "spec.expression": Message("an expression is not valid", "表达式有误", "表达式有误：{message}"),
    "spec.unknown_assumption": Message("a rule cites an assumption that is not declared", "引用了未声明的解读",
                                       "引用了未声明的解读：{message}"),
    "spec.duplicate_id": Message("two items have the same id", "编号重复", "编号重复：{message}"),
    "spec.duplicate_name": Message("a name is declared twice", "名称重复声明", "名称重复声明：{message}"),
    "spec.reserved_name": Message("a name is reserved", "使用了保留名称", "使用了保留名称：{message}"),
    "spec.floor": Message("an indicator's floor is above its points", "指标的下限高于分值", "指标的下限高于分值：{message}"),
    "spec.weights": Message("the weights of an indicator's children are incomplete or do not add up to 100%",
                            "子指标权重不全或合计不为 100%", "子指标权重有误：{message}"),
    "spec.points_sum": Message("the children's points do not add up to the parent's", "子指标分值之和与上级分值不符",
                               "子指标分值之和与上级分值不符：{message}"),
    "spec.grade_gap": Message("the grades leave scores without a grade", "等次之间存在空档",
                              "等次之间存在空档：{message}"),
    "spec.grade_overlap": Message("two grades cover the same scores", "等次范围重叠", "等次范围重叠：{message}"),
    "spec.grade_unreachable": Message("a grade no score can reach", "无法达到的等次", "无法达到的等次：{message}"),
    "spec.extends": Message("an `extends:` override is wrong", "`extends:` 覆盖有误", "`extends:` 覆盖有误：{message}"),
    # evaluation, usage and the service
    "evaluation.failed": Message("a valid rule could not be evaluated on valid facts", "规则无法在该数据上计算",
                                 "规则无法计算：{message}"),
    "usage.invalid": Message("the command line or the API was used wrongly", "用法有误", "用法有误：{message}"),
    "usage.as_of": Message("the assessment date is not a date", "考核日期不是有效日期", "考核日期有误：{message}"),
    "error": Message("an error", "错误"),
    "usage.io": Message("a file could not be read or written", "文件无法读写", "文件无法读写：{message}"),
    "request.invalid": Message("the request is not valid (body, query or media type)", "请求无效", "请求无效：{message}"),
    "request.not_found": Message("no such resource", "资源不存在", "资源不存在：{message}"),
    "request.method": Message("the method is not allowed on this resource", "不允许的请求方法"),
    "request.too_large": Message("the request body is larger than the service accepts", "请求体过大"),
    "request.timeout": Message("the request took longer than the service allows", "请求处理超时"),
    "internal.error": Message("an internal error (a bug)", "内部错误（程序缺陷）"),
    # the command line's own lines
    "cli.problems": Message("{count} problems; nothing was scored", "共 {count} 个问题；未计分"),
    "cli.spec_problems": Message("{count} problems in {failed} of {total} specs",
                                 "{total} 个考评细则中有 {failed} 个有误，共 {count} 个问题"),
    "cli.unit_hint": Message("unit {unit}: ", "单位 {unit}："),
    "cli.at": Message(" (at {path})", "（位置 {path}）"),
    "cli.hint": Message("hint", "提示"),
}
"""Every problem code with its texts; ``docs/errors.md`` lists the same codes."""


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale (LC_ALL, LC_MESSAGES, LANG, in that order) is Chinese, else ``en``."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def text(code: str, lang: str, **fields: object) -> str:
    """The catalogue's text for ``code`` in ``lang``, with ``fields`` filled in.

    >>> text("cli.problems", "zh", count=3)
    '共 3 个问题；未计分'
    """
    entry = CATALOGUE[code]
    return (entry.zh if lang == "zh" else entry.en).format(**fields)


def problem_message(problem: Problem, lang: str) -> tuple[str, str | None]:
    """The problem's message and hint in ``lang``; English where the catalogue has no Chinese text for it."""
    entry = CATALOGUE.get(problem.code or "")
    if lang != "zh" or entry is None or entry.zh_text is None:
        return problem.message, problem.hint
    fields = {"fact": problem.fact, "unit": problem.unit, "period": problem.period, "record": problem.record,
              "message": problem.message}
    try:
        message = entry.zh_text.format(**fields)
    except (KeyError, IndexError):  # pragma: no cover - the catalogue test keeps the fields known
        return problem.message, problem.hint
    if any(fields[name] is None and "{" + name + "}" in entry.zh_text for name in fields):
        return problem.message, problem.hint
    return message, entry.zh_hint or problem.hint


def render_problem(problem: Problem, lang: str = "en") -> str:
    """The problem as the command line prints it, in ``lang`` (``zh`` or ``en``)."""
    if lang != "zh":
        return str(problem)
    message, hint = problem_message(problem, lang)
    where = text("cli.at", lang, path=problem.json_path) if problem.path else ""
    who = text("cli.unit_hint", lang, unit=problem.unit) if problem.unit else ""
    out = f"{problem.location}: {who}{message}{where}"
    if hint:
        out += f"\n    {text('cli.hint', lang)}：{hint}"
    return out


__all__ = ["CATALOGUE", "LANGUAGES", "Message", "default_language", "problem_message", "render_problem", "text"]

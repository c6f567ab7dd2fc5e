"""The catalogue's texts for a facts file and one unit's facts.

A fact is named by its label first, then its id: 数据项“迟报”（late）. A fault in one value has two
codes of one sentence each: ``facts.<fault>`` for a fact's own value, ``facts.field_<fault>`` for a
field of one of its records (数据项“…”（…）第 3 条记录的“日期”（date）…).
"""

from __future__ import annotations

from ._message import Message

_FACT_ZH = "数据项“{fact_label}”（{fact}）"
_FACT_EN = "fact `{fact}` ({fact_label})"
_FIELD_ZH = "数据项“{fact_label}”（{fact}）第 {record} 条记录的“{field_label}”（{field}）"
_FIELD_EN = "fact `{fact}` ({fact_label}): record {record}: field `{field}` ({field_label})"

# the faults of one value: (fault, meaning en, meaning zh, sentence en, sentence zh, hint en, hint zh)
_VALUE_FAULTS: tuple[tuple[str, str, str, str, str, str | None, str | None], ...] = (
    ("not_number", "a value is not a number", "值不是数字",
     "expected a number, got {value}", "应填数字，填写的是 {value}",
     "write a number such as 7 or 0.5, without quotes", "请填写数字，如 7 或 0.5，不加引号"),
    ("not_finite", "a number is not finite (NaN, Infinity)", "数字不是有限的数（`NaN`、`Infinity`）",
     "expected a finite number, got {value}", "应填数字，填写的是 {value}（不是有限的数）",
     "write a number such as 7 or 0.5", "请填写数字，如 7 或 0.5"),
    ("too_large", "a number is too large", "数字过大",
     "{value} is too large: at most {limit}", "{value} 过大，最大为 {limit}",
     None, None),
    ("not_whole", "a count is not a whole number", "次数不是整数",
     "expected a whole number, got {value}", "应填整数，填写的是 {value}",
     "a count is a whole number of occurrences: 0, 1, 2, …", "次数、件数须为整数：0、1、2……"),
    ("range", "a value is below its least allowed value", "值小于允许的最小值",
     "{value} is below the least allowed value {limit}", "{value} 小于允许的最小值 {limit}",
     None, None),
    ("range_high", "a value is above its greatest allowed value", "值大于允许的最大值",
     "{value} is above the greatest allowed value {limit}", "{value} 大于允许的最大值 {limit}",
     None, None),
    ("not_bool", "a value is not true or false", "值不是“是”或“否”",
     "expected true or false, got {value}", "应填 `true`（是）或 `false`（否），填写的是 {value}",
     None, None),
    ("enum", "a value is not one of its choices", "值不在可选值之中",
     "{value} is not one of {values}", "{value} 不是可选值（{values}）之一",
     None, None),
    ("not_date", "a value is not a date", "值不是日期",
     "expected a date like 2021-10-08, got {value}", "应填日期（如 2021-10-08），填写的是 {value}",
     "a date without a time: year-month-day", "请只填日期，不带时间：年-月-日"),
    ("not_text", "a value is not text", "值不是文字",
     "expected text, got {value}", "应填文字，填写的是 {value}",
     None, None),
    ("control_char", "a text holds a control character", "文字含控制字符",
     "the text holds the control character {char}, which is not allowed", "文字中含有不允许的控制字符 {char}",
     "retype the text, or paste it as plain text", "请重新输入这段文字，或以纯文本粘贴"),
)


def _value_faults() -> dict[str, Message]:
    out: dict[str, Message] = {}
    for fault, en, zh, text_en, text_zh, hint_en, hint_zh in _VALUE_FAULTS:
        out[f"facts.{fault}"] = Message(en, zh, text_zh=f"{_FACT_ZH}{text_zh}", hint_zh=hint_zh,
                                        text_en=f"{_FACT_EN}: {text_en}", hint_en=hint_en)
        out[f"facts.field_{fault}"] = Message(f"{en} (a field of a record)", f"{zh}（记录的字段）",
                                              text_zh=f"{_FIELD_ZH}{text_zh}", hint_zh=hint_zh,
                                              text_en=f"{_FIELD_EN}: {text_en}", hint_en=hint_en)
    return out


# the periods up to the assessment date that have no facts: one code per kind, for one and for several
_PERIODS: tuple[tuple[str, str, str, str], ...] = (
    ("month", "month", "months", "月"), ("quarter", "quarter", "quarters", "季度"),
    ("half_month", "half-month", "half-months", "半月"), ("half_year", "half-year", "half-years", "半年"))


def _missing_periods() -> dict[str, Message]:
    out: dict[str, Message] = {}
    hint_zh = "{year} 年截至考核日期 {as_of} 的每一{word}都需要填报数据"
    for kind, one, many, word in _PERIODS:
        hint_en = f"every {one} of {{year}} up to the assessment date {{as_of}} needs its facts"
        out[f"facts.missing_{kind}"] = Message(
            f"a {one} up to the assessment date has no facts", f"缺少考核日期前某{word}的数据",
            text_zh="缺少 {periods} 的数据", hint_zh=hint_zh.replace("{word}", word),
            text_en=f"missing {one} {{periods}}", hint_en=hint_en)
        out[f"facts.missing_{kind}s"] = Message(
            f"several {many} up to the assessment date have no facts", f"缺少考核日期前多个{word}的数据",
            text_zh=f"缺少以下各{word}的数据：{{periods}}",
            hint_zh=hint_zh.replace("{word}", word) + "（共 {total} 期，缺 {count} 期）",
            text_en=f"missing {many} {{periods}}", hint_en=hint_en + " ({count} of {total} are missing)")
    return out


_AS_OF_HINT_ZH = "删去，或以更晚的考核日期计分（`--as-of`）"
_AS_OF_HINT_EN = "leave it out, or assess at a later date (--as-of)"

MESSAGES: dict[str, Message] = {
    # how a problem names its unit when the unit's name is known (see messages.render_problem)
    "label.unit_named": Message("unit {unit} ({name}): ", "单位“{name}”（{unit}）："),
    "facts.invalid": Message("the facts are not valid", "考核数据有误"),
    # the file
    "facts.file": Message("the facts file is not a mapping with `units:`", "考核数据文件不是含 `units:` 的映射",
                          text_zh="考核数据文件应为含 `units:` 列表的映射",
                          hint_zh="参照 `examples/zhenping-2021-units.yaml` 填写",
                          text_en="a facts file is a mapping with a `units:` list",
                          hint_en="see examples/zhenping-2021-units.yaml"),
    "facts.file_empty": Message("the facts file is empty", "考核数据文件是空的",
                                text_zh="考核数据文件是空的", hint_zh="参照 `examples/zhenping-2021-units.yaml` 填写",
                                text_en="the facts file is empty", hint_en="see examples/zhenping-2021-units.yaml"),
    "facts.file_key": Message("the facts file has a key it does not know", "考核数据文件含未知的键",
                              text_zh="考核数据文件含未知的键 `{key}`",
                              hint_zh="考核数据文件只含 `units:`（以及可选的 `spec:`、`as_of:`、`description:`）",
                              text_en="unknown key `{key}`",
                              hint_en="a facts file has `units:` (and optionally `spec:`, `as_of:`, `description:`)"),
    "facts.as_of": Message("the facts file's `as_of` is not a date", "考核数据文件的 `as_of` 不是日期",
                           text_zh="`as_of` 应为形如 2022-01-10 的日期，填写的是 {value}",
                           text_en="`as_of` must be a date like 2022-01-10, not {value}"),
    "facts.spec_ref": Message("the facts file's `spec:` is not the name of a spec", "考核数据文件的 `spec:` 不是考评细则的名称",
                              text_zh="`spec:` 应指明考评细则：内置编号（如 \"2021\"），或相对本文件的路径",
                              text_en="`spec:` names a spec: a bundled id such as \"2021\", or a path relative to "
                                      "this file"),
    "facts.spec_refused": Message("the facts file's `spec:` leads where it may not read",
                                  "考核数据文件的 `spec:` 指向不可读取之处",
                                  text_zh="`spec: {name}` 无法读取：它不是普通文件，或在本文件可读取的文件夹之外；未读取任何内容",
                                  hint_zh="把考评细则放在本文件所在的文件夹（或其子文件夹）中",
                                  text_en="`spec: {name}` cannot be read: it is not a regular file, or it is outside "
                                          "the folders this file may read; nothing was read",
                                  hint_en="keep the spec in this file's folder (or below it)"),
    "facts.spec_unknown": Message("the facts file's `spec:` names no file and no bundled spec",
                                  "考核数据文件的 `spec:` 既非文件也非内置考评细则",
                                  text_zh="`spec: {name}` 既不是本考核数据文件旁的文件，也不是内置的考评细则",
                                  hint_zh="内置的考评细则：{bundled}",
                                  text_en="`spec: {name}` is neither a file beside this facts file nor a bundled spec",
                                  hint_en="bundled: {bundled}"),
    "facts.no_spec": Message("a workbook names no spec", "工作簿未注明考评细则",
                             text_zh="工作簿未注明考评细则（填表说明 › 规则）", hint_zh="请指定考评细则",
                             text_en="the workbook names no spec (填表说明 › 规则)", hint_en="give one"),
    # a unit
    "facts.unit_not_mapping": Message("a unit is not a mapping", "单位条目不是映射",
                                      text_zh="单位条目应为含 `id`、`name`、`type`、`target`、`facts` 的映射",
                                      text_en="a unit must be a mapping with id, name, type, target and facts"),
    "facts.unit_key": Message("a unit has a key it does not know", "单位条目含未知的键",
                              text_zh="单位条目含未知的键 `{key}`", hint_zh="单位条目可含：{keys}",
                              text_en="unknown key `{key}`", hint_en="a unit has {keys}"),
    "facts.unit_id": Message("a unit has no id", "单位缺少编号",
                             text_zh="每个单位都需要编号 `id`（文本）", text_en="every unit needs an `id` (text)"),
    "facts.unit_name": Message("a unit's name is not text", "单位名称不是文本",
                               text_zh="单位名称 `name` 应为文本", text_en="`name` must be text: the unit's name"),
    "facts.unit_control": Message("a unit's id or name holds a control character", "单位编号或名称含控制字符",
                                  text_zh="`{key}` 中含有不允许的控制字符 {char}",
                                  text_en="`{key}` holds the control character {char}, which is not allowed"),
    "facts.unit_space": Message("a unit's id or name begins or ends with a space", "单位编号或名称首尾有空格",
                                text_zh="`{key}` 的开头或结尾有空格：{value}",
                                hint_zh="请删去空格：只差一个空格的编号会被当作两个单位",
                                text_en="`{key}` begins or ends with a space: {value}",
                                hint_en="remove the space: ids that differ only by a space would be taken for two units"),
    "facts.unit_formula": Message("a unit's id or name begins like a spreadsheet formula", "单位编号或名称以公式符号开头",
                                  text_zh="`{key}` 以 {first} 开头，电子表格会把它当作公式",
                                  hint_zh="请以字母或汉字开头",
                                  text_en="`{key}` begins with {first}, which a spreadsheet reads as a formula",
                                  hint_en="begin the text with a letter or a character"),
    "facts.unit_type": Message("a unit's type is unknown", "单位类型未知",
                               text_zh="单位类型 {value} 不是考评细则中的类型", hint_zh="可选的类型：{types}",
                               text_en="unknown unit type {value}", hint_en="one of: {types}"),
    "facts.unit_type_missing": Message("a unit has no type", "单位缺少类型",
                                       text_zh="缺少单位类型 `type`", hint_zh="可选的类型：{types}",
                                       text_en="missing `type`", hint_en="one of: {types}"),
    "facts.target": Message("a unit's target value (目标分值) is not a number", "目标分值不是数字",
                            text_zh="目标分值 `target` 应为数字，填写的是 {value}",
                            text_en="`target` (目标分值): expected a finite number, got {value}"),
    "facts.target_range": Message("a unit's target value (目标分值) is negative or too large", "目标分值为负或过大",
                                  text_zh="目标分值 {value} 超出允许的范围 0–{limit}",
                                  text_en="`target` (目标分值): {value} is negative or too large (0–{limit})"),
    "facts.unit_parent": Message("a unit's parent is not a unit id", "单位的上级单位不是单位编号",
                                 text_zh="`parent` 应为本批次中另一单位的编号（文本）",
                                 text_en="`parent` must be the id (text) of another unit of the batch"),
    "facts.parent_unknown": Message("a unit names a parent that is not in the batch", "单位所写的上级单位不在本批次中",
                                    text_zh="上级单位 `{parent}` 不是本批次中的单位",
                                    hint_zh="把上级单位一并列入，或改正编号",
                                    text_en="the parent `{parent}` is not a unit of the batch",
                                    hint_en="list the parent unit too, or correct the id"),
    "facts.parent_type": Message("a unit's parent is of a type its own type may not have as parent",
                                 "上级单位的类型不符",
                                 text_zh="上级单位 `{parent}` 属于“{parent_type}”，而“{type}”的上级只能是：{allowed}",
                                 hint_zh="在考评细则的 `unit_types:` 中为该类型写明 `parent:`，或改正上级单位",
                                 text_en="the parent `{parent}` is a {parent_type}, but a {type} may only have a parent of: "
                                         "{allowed}",
                                 hint_en="declare `parent:` for this unit type under the spec's `unit_types:`, or correct "
                                         "the parent"),
    "facts.parent_not_allowed": Message("a unit names a parent, but its type has none", "单位写了上级单位，但其类型没有上级",
                                        text_zh="“{type}”类单位没有上级单位，却写了 `parent: {parent}`",
                                        hint_zh="删去 `parent:`，或在考评细则的 `unit_types:` 中为该类型写明 `parent:`",
                                        text_en="a {type} has no parent unit, yet this one names `parent: {parent}`",
                                        hint_en="remove `parent:`, or declare `parent:` for this unit type under the "
                                                "spec's `unit_types:`"),
    "facts.parent_cycle": Message("units name each other as parents", "单位之间互为上级",
                                  text_zh="上级单位形成循环：{chain}", hint_zh="每个单位的上级链须在某个没有上级的单位处结束",
                                  text_en="the parents go round in a cycle: {chain}",
                                  hint_en="every chain of parents must end at a unit without a parent"),
    "facts.duplicate_unit": Message("two units have the same id", "单位编号重复",
                                    text_zh="单位编号 `{unit}` 用了两次（另一处是第 {first} 个单位）",
                                    hint_zh="每个单位使用不同的编号",
                                    text_en="unit id `{unit}` is used twice (also unit #{first})",
                                    hint_en="give each unit its own id"),
    # its facts
    "facts.not_mapping": Message("facts are not a mapping of names to values", "考核数据不是“名称: 值”的映射",
                                 text_zh="`{key}` 应为“数据项名称: 值”的映射",
                                 text_en="`{key}` must be a mapping of fact names to values"),
    "facts.unknown": Message("a fact the spec does not declare", "考评细则未声明的数据项",
                             text_zh="考评细则没有数据项 `{fact}`", hint_zh="请删去它，或改用考评细则中的数据项名称",
                             text_en="unknown fact `{fact}`", hint_en="the spec declares no such fact"),
    "facts.unknown_close": Message("a fact the spec does not declare, close to one it does",
                                   "考评细则未声明的数据项（与某个已声明的相近）",
                                   text_zh="考评细则没有数据项 `{fact}`", hint_zh="您是不是要写 `{suggestion}`？",
                                   text_en="unknown fact `{fact}`", hint_en="did you mean `{suggestion}`?"),
    "facts.missing": Message("a required fact is missing", "缺少必填数据项",
                             text_zh="缺少必填数据项“{fact_label}”（{fact}）", hint_zh="请填写这一数据项",
                             text_en="missing fact `{fact}` ({fact_label})", hint_en="give this fact a value"),
    **_value_faults(),
    # records
    "facts.not_records": Message("a records fact is not a list", "记录类数据项不是列表",
                                 text_zh=f"{_FACT_ZH}应为记录的列表，填写的是 {{value}}",
                                 text_en=f"{_FACT_EN}: expected a list of records, got {{value}}"),
    "facts.record_not_mapping": Message("a record is not a mapping of fields", "记录不是字段的映射",
                                        text_zh=f"{_FACT_ZH}第 {{record}} 条记录应为字段的映射，填写的是 {{value}}",
                                        text_en=f"{_FACT_EN}: record {{record}}: expected a mapping of fields, "
                                                "got {value}"),
    "facts.record_field_unknown": Message("a record has a field its fact does not declare", "记录含未声明的字段",
                                          text_zh=f"{_FACT_ZH}第 {{record}} 条记录含未声明的字段 `{{field}}`",
                                          hint_zh="可用的字段：{fields}",
                                          text_en=f"{_FACT_EN}: record {{record}}: unknown field `{{field}}`",
                                          hint_en="the fields: {fields}"),
    "facts.record_field_missing": Message("a record lacks a required field", "记录缺少必填字段",
                                          text_zh=f"{_FACT_ZH}第 {{record}} 条记录缺少必填字段“{{field_label}}”（{{field}}）",
                                          text_en=f"{_FACT_EN}: record {{record}}: missing field `{{field}}` "
                                                  "({field_label})"),
    "facts.record_date_order": Message("a record's date comes before the date it came to be", "记录的日期早于其产生日期",
                                       text_zh=f"{_FIELD_ZH}{{day}} 早于“{{first_label}}”（{{first}}）{{first_day}}",
                                       hint_zh="记录不能早于其产生之日：请核对这两个日期",
                                       text_en=f"{_FIELD_EN}: {{day}} is before `{{first}}` ({{first_label}}) "
                                               "{first_day}",
                                       hint_en="a record cannot be dated before it came to be: check both dates"),
    "facts.record_after_as_of": Message("a record is dated after the assessment date", "记录日期晚于考核日期",
                                        text_zh=f"{_FACT_ZH}第 {{record}} 条记录的日期 {{day}} 晚于考核日期 {{as_of}}",
                                        hint_zh=_AS_OF_HINT_ZH,
                                        text_en=f"{_FACT_EN}: record {{record}} is dated {{day}}, after the "
                                                "assessment date {as_of}",
                                        hint_en=_AS_OF_HINT_EN),
    "facts.calendar": Message("a record's dates are outside the official holiday calendar", "记录日期超出官方节假日安排",
                              text_zh="第 {record} 条记录{title}的日期 {day} 超出官方节假日安排覆盖的年份"
                                      "（{first_year}–{last_year}），无法计算工作日",
                              hint_zh="请核对该记录的日期：工作日只在官方节假日安排覆盖的年份内计算",
                              text_en="record {record}{title}: {day} is outside the official holiday calendar "
                                      "({first_year}–{last_year})",
                              hint_en="check the record's dates: working days are counted only within the years the "
                                      "official holiday calendar covers"),
    # periods
    "facts.periods": Message("`periods:` is not a mapping", "`periods:` 不是映射",
                             text_zh="`periods` 应为从期间（`2021-03`、`2021Q1`、`2021-03a`、`2021H1`）到考核数据的映射",
                             text_en="`periods` must be a mapping from periods (2021-03, 2021Q1, 2021-03a, 2021H1) "
                                     "to facts"),
    "facts.periods_unused": Message("`periods:` is given for a spec that records nothing per period",
                                    "考评细则不分期记录数据，却填写了 `periods:`",
                                    text_zh="该考评细则不分期记录数据，`periods:` 不适用",
                                    hint_zh="删去 `periods:`",
                                    text_en="this spec records nothing per period; `periods:` does not apply",
                                    hint_en="leave `periods:` out"),
    "facts.periods_no_date": Message("periods without an assessment date or the spec's year", "分期数据缺少考核日期或考核年度",
                                     text_zh="分期数据需要考核日期和考评细则的考核年度",
                                     text_en="periods need an assessment date and the spec's year"),
    "facts.period": Message("a period label cannot be read", "期间标签无法识别",
                            text_zh="`{period}` 不是期间",
                            hint_zh="期间写作 `2021-03`（月）、`2021Q1`（季度）、`2021-03a`（上半月）或 `2021H1`（半年）",
                            text_en="`{period}` is not a period",
                            hint_en="write a period as 2021-03 (a month), 2021Q1 (a quarter), 2021-03a (a "
                                    "half-month) or 2021H1 (a half-year)"),
    "facts.period_kind": Message("a period of a kind the spec does not record", "考评细则不按此类期间记录",
                                 text_zh="该考评细则不按 {period} 这类期间记录数据",
                                 text_en="this spec records nothing per period such as {period}"),
    "facts.period_year": Message("a period outside the spec's year", "期间不在考核年度内",
                                 text_zh="{period} 不在考评细则的考核年度 {year} 年内",
                                 text_en="{period} is outside the spec's year {year}"),
    "facts.period_form": Message("a period label written in another form", "期间标签写法不规范",
                                 text_zh="期间 `{given}` 应写作 {period}", hint_zh="不留空格，月份写两位数",
                                 text_en="write the period `{given}` as {period}",
                                 hint_en="no spaces, and months with two digits"),
    "facts.period_twice": Message("a period given twice", "期间重复",
                                  text_zh="{period} 填写了两次", hint_zh="保留其中一处",
                                  text_en="{period} is given twice", hint_en="keep one of the two"),
    **_missing_periods(),
    "facts.period_after_as_of": Message("a period begins after the assessment date", "期间晚于考核日期",
                                        text_zh="{period} 开始于考核日期 {as_of} 之后", hint_zh=_AS_OF_HINT_ZH,
                                        text_en="{period} begins after the assessment date {as_of}",
                                        hint_en=_AS_OF_HINT_EN),
}

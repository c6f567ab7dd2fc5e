"""The catalogue's texts for a spec's sections: indicators, rules (triggers), facts, derived values, grades, outcomes, groups.

Facts are named by their label first, then their id (数据项“迟报”（late）); indicators, grades and rules
by the names the spec gives them. The ``label.*`` lines name the part of a spec a problem is in
(``within=``), as the document names it.
"""

from __future__ import annotations

from ._message import Message


def _m(en: str, zh: str, text_en: str, text_zh: str, hint_en: str | None = None, hint_zh: str | None = None,  # noqa: PLR0917
       ) -> Message:
    return Message(en, zh, text_zh=text_zh, hint_zh=hint_zh, text_en=text_en, hint_en=hint_en)


def _inexact(en: str, zh: str, place_en: str, place_zh: str) -> Message:
    """Arithmetic at ``place`` can give a number with no exact decimal value, and the spec declares no rounding."""
    return _m(en, zh, place_en + ", which can give a number with no exact decimal value, and the spec declares no rounding",
              place_zh + "，可能得出不是有限小数的数，而考评细则没有声明取舍方式",
              "declare where and how to round, e.g. `rounding: {{places: 2, mode: half_up, at: score}}` at the top of "
              "the spec", "请在考评细则开头声明在哪里、如何取舍，例如 `rounding: {{places: 2, mode: half_up, at: score}}`")


_FACT_EN = "`{fact}` ({fact_label})"
_FACT_ZH = "数据项“{fact_label}”（{fact}）"
_SET_EN, _SET_ZH = "set `{key}: {value}`", "请设为 `{key}: {value}`"
_SET_GRADE_EN, _SET_GRADE_ZH = "set `{key}: {value}` on 「{grade}」", "请把「{grade}」设为 `{key}: {value}`"

MESSAGES: dict[str, Message] = {
    # --- expressions and points, wherever a section reads them
    "spec.each_without_periods": _m(
        "a rule acts per period, but no fact is recorded per that period", "规则按期计算，但没有按该期填报的数据项",
        "`each: {each}` but no fact is recorded per {each}", "写了 `each: {each}`，但没有按 `{each}` 填报的数据项",
        "declare the facts this rule reads with `period: {each}`", "请为这条规则读取的数据项声明 `period: {each}`"),
    "spec.missing_points": _m(
        "points are missing", "缺少分值",
        "missing points", "这里缺少分值", "write the points, e.g. `points: 2`", "请写出分值，例如 `points: 2`"),
    "spec.points_with_unit": _m(
        "points are written with their unit", "分值写了单位",
        "`{written}` holds a unit: points are a number", "分值 `{written}` 带了单位：分值只写数字",
        "write the number only: `points: {number}`", "请只写数字：`points: {number}`"),
    "spec.points_zero_division": _m(
        "points worked out from an expression divide by zero", "分值计算式除以零",
        "`{expression}` cannot be computed: division by zero", "分值 `{expression}` 无法计算：除数为零",
        "check the parameters it divides by", "请检查作除数的参数"),
    "spec.points_not_computable": _m(
        "points worked out from an expression cannot be computed", "分值计算式无法计算",
        "`{expression}` cannot be computed", "分值 `{expression}` 无法计算",
        "use + - * / ** and min, max, abs, floor, ceil, round_half_up",
        "请只用 + - * / ** 以及 `min`、`max`、`abs`、`floor`、`ceil`、`round_half_up`"),
    "spec.points_too_large": _m(
        "points worked out from an expression are too large", "分值计算结果过大",
        "`{expression}` gives {value}: this number is too large: at most {limit} in absolute value",
        "分值 `{expression}` 的结果 {value} 过大：绝对值最多为 {limit}",
        "check the parameters it uses", "请检查其中用到的参数"),
    "spec.points_too_precise": _m(
        "points worked out from an expression have too many decimal places", "分值计算结果的小数位过多",
        "`{expression}` gives {value}: this number is too small or too precise: at most {places} decimal places",
        "分值 `{expression}` 的结果 {value} 过小或过于精细：最多 {places} 位小数",
        "round it, e.g. with round_half_up(x, 2)", "请取整，例如 `round_half_up(x, 2)`"),
    "spec.negative_points": _m(
        "points are negative", "分值为负数",
        "points must not be negative, got {points}", "分值不能为负数，这里是 {points}",
        "write the size of the deduction; `deduct:` already takes it away",
        "请写扣分的大小；`deduct:` 本身就表示扣减"),
    "spec.unknown_assumption": _m(
        "a rule cites an assumption that is not declared", "引用了未声明的解读",
        "no assumption with id `{assumption}`", "没有编号为 `{assumption}` 的解读",
        "add it under `assumptions:`", "请在 `assumptions:` 下添加这条解读"),
    "spec.assumption_typo": _m(
        "a rule cites an assumption close to a declared one", "引用了未声明的解读（有相近的编号）",
        "no assumption with id `{assumption}`", "没有编号为 `{assumption}` 的解读",
        "did you mean `{suggestion}`?", "您是不是要写 `{suggestion}`？"),
    # --- names
    "spec.duplicate_id": _m(
        "two indicators have the same id", "指标编号重复",
        "the indicator id `{indicator}` of 「{name}」 is used twice", "指标“{name}”的编号 `{indicator}` 与另一个指标重复",
        "give each indicator its own id", "请为每个指标使用不同的编号"),
    "spec.duplicate_grade": _m(
        "two grades have the same id", "等次编号重复",
        "two grades have the id `{grade_id}`", "有两个等次的编号都是 `{grade_id}`",
        "give each grade its own id", "请为每个等次使用不同的编号"),
    "spec.duplicate_assumption": _m(
        "two assumptions have the same id", "解读编号重复",
        "two assumptions have the id `{assumption}`", "有两条解读的编号都是 `{assumption}`",
        "give each its own id", "请为每条解读使用不同的编号"),
    "spec.duplicate_name": _m(
        "a name is declared both as a fact and as a parameter", "同一名称既声明为数据项又声明为参数",
        "`{name}` is declared both as a fact and as a parameter", "`{name}` 既声明为数据项，又声明为参数",
        "rename one of them", "请把其中一个改名"),
    "spec.derived_declared": _m(
        "a derived value has the name of another name", "派生值与已声明的名称重名",
        "`{name}` ({label}) is already declared (as a fact, parameter or derived value)",
        "派生值“{label}”（{name}）与已声明的数据项、参数或派生值重名",
        "give the derived value its own name", "请给这个派生值另取一个名称"),
    "spec.reserved_name": _m(
        "a fact has a reserved name", "数据项使用了保留名称",
        "`{name}` is a reserved name", "`{name}` 是保留名称，不能用作数据项名称",
        "choose another name", "请另取一个名称"),
    "spec.function_name": _m(
        "a parameter has the name of a function", "参数与函数重名",
        "`{name}` is the name of a function", "参数 `{name}` 与表达式中的函数重名",
        "choose another name", "请另取一个名称"),
    "spec.field_reserved": _m(
        "a field of a record has a reserved name or a parameter's", "记录字段使用了保留名称或参数名",
        "`{field}` is a reserved name or a parameter", "字段 `{field}` 是保留名称或与参数重名",
        "choose another name", "请另取一个名称"),
    "spec.reserved_root": _m(
        "an indicator has the id of the whole table", "指标使用了总分的编号",
        "「{name}」: the id `{indicator}` is reserved for the whole table (the tree's root)",
        "指标“{name}”的编号 `{indicator}` 是保留给总分（整张考核表）的",
        "give this indicator another id", "请给这个指标另取编号"),
    # --- indicators
    "spec.points_inexact": _m(
        "an indicator's points have no exact decimal value", "指标分值不是有限小数",
        "an indicator's points must have an exact decimal value, not {points}",
        "指标分值须为有限小数，不能是 {points}",
        "write the cap as a decimal; a rule may deduct a share such as 20 / 12",
        "请把分值写成小数；规则中的扣分可以写成 20 / 12 这样的份额"),
    "spec.floor": _m(
        "an indicator's floor is above its points", "指标的下限高于分值",
        "the floor {floor} is above the points {points}", "下限 {floor} 高于分值 {points}",
        "the floor is the least score the indicator keeps (扣完为止: 0)", "下限是指标最少保留的得分（扣完为止即为 0）"),
    "spec.weights": _m(
        "the weights of an indicator's children do not add up to 100%", "子指标权重合计不为 100%",
        "the weights add up to {share}% ({parts}), not 100%", "各子指标权重合计为 {share}%（{parts}），不是 100%",
        "make the weights of the parts add up to 100%", "请使各子指标的权重合计为 100%"),
    "spec.weights_partial": _m(
        "some children of an indicator have a weight and some do not", "部分子指标没有权重",
        "some children have a `weight:` and some do not ({missing})",
        "有的子指标写了 `weight:`，有的没有（没有的：{missing}）",
        "give every child of a weighted indicator its weight", "按权重计分的指标，每个子指标都需要权重"),
    "spec.weight_percent": _m(
        "an indicator's weight is not a percentage", "指标权重不是百分数",
        "`weight: {value}`: expected a percentage such as 40% or a fraction such as 0.4",
        "权重 `{value}` 有误：须为 40% 这样的百分数或 0.4 这样的小数",
        "write e.g. `weight: 40%`", "例如写 `weight: 40%`"),
    "spec.points_sum": _m(
        "the children's points do not add up to the parent's", "子指标分值之和与上级分值不符",
        "the children add up to {total} ({parts}), not {points}", "子指标分值合计为 {total}（{parts}），不等于 {points}",
        "fix the points, or set `children_add_up: false` where the document itself does not add up",
        "请改正分值；如果文件原文本身就不相加，请写 `children_add_up: false`"),
    "spec.tree_depth": _m(
        "the indicator tree is deeper than the limit", "指标层级超过上限",
        "the indicator tree is more than {limit} levels deep", "指标树超过 {limit} 层",
        "an assessment table has a few levels (一级、二级、三级指标)", "考核表通常只有几级（一级、二级、三级指标）"),
    "spec.too_many_children": _m(
        "an indicator has more children than the limit", "子指标数超过上限",
        "an indicator has {count} children; at most {limit} are allowed", "一个指标有 {count} 个子指标，最多只能有 {limit} 个",
        "group the children under intermediate indicators", "请用中间一级指标把子指标分组"),
    "spec.unknown_unit_type": _m(
        "an indicator names a unit type the spec does not declare", "指标使用了未声明的单位类型",
        "unknown unit type `{type}`", "没有单位类型 `{type}`",
        "declared: {types}", "已声明的单位类型：{types}"),
    "spec.unit_type_typo": _m(
        "an indicator names a unit type close to a declared one", "指标使用了未声明的单位类型（有相近的类型）",
        "unknown unit type `{type}`", "没有单位类型 `{type}`",
        "did you mean `{suggestion}`?", "您是不是要写 `{suggestion}`？"),
    "spec.score_cycle": _m(
        "a rule reads the score of an indicator that depends on it", "规则读取了依赖自身的指标得分",
        "「{rule}」 reads score(\"{indicator}\"), which depends on this rule: a cycle (「{indicator_name}」)",
        "规则「{rule}」读取了指标“{indicator_name}”（{indicator}）的得分，而该得分又取决于这条规则，形成循环",
        "a rule on an indicator may read its own children and the indicators written before it; "
        "read any indicator from the bonus, a veto or a consequence",
        "指标上的规则只能读取本指标的子指标和写在它前面的指标；任何指标的得分都可以在加分项、一票否决或结果运用中读取"),
    "spec.score_later": _m(
        "a rule reads the score of an indicator scored after it", "规则读取了之后才计分的指标得分",
        "「{rule}」 reads score(\"{indicator}\"), which is scored after this rule (「{indicator_name}」)",
        "规则「{rule}」读取了指标“{indicator_name}”（{indicator}）的得分，但该指标在这条规则之后才计分",
        "a rule on an indicator may read its own children and the indicators written before it; "
        "read any indicator from the bonus, a veto or a consequence",
        "指标上的规则只能读取本指标的子指标和写在它前面的指标；任何指标的得分都可以在加分项、一票否决或结果运用中读取"),
    "spec.applies_if_order": _m(
        "`applies_if` reads the score of an indicator not yet scored", "`applies_if` 读取了尚未计分的指标得分",
        "`applies_if` reads score(\"{indicator}\"), which is not scored before 「{name}」 (「{indicator_name}」)",
        "`applies_if` 读取了指标“{indicator_name}”（{indicator}）的得分，但它不在指标“{name}”之前计分",
        "read only indicators written before this one", "只能读取写在本指标之前的指标"),
    "spec.award_over_points": _m(
        "an award is worth more than its indicator", "得分项超过指标分值",
        "「{rule}」: the award of {award} points is more than the indicator's {points} points",
        "规则「{rule}」得 {award} 分，超过了所在指标的分值 {points} 分",
        "an award cannot exceed the points of its indicator", "得分不能超过所在指标的分值"),
    "spec.part_veto_score": _m(
        "a part's veto sets a score outside the part's points", "分项一票否决设定的得分超出分项分值",
        "「{rule}」 sets the part's score to {value}, outside its 0–{points}",
        "规则「{rule}」把分项得分设为 {value}，超出了 0–{points} 的范围",
        "a part's veto fixes or caps a score between 0 and {points}", "分项一票否决只能把得分定为或限制在 0 到 {points} 之间"),
    "spec.part_veto_cap": _m(
        "a part's veto caps the score outside the part's points", "分项一票否决的得分上限超出分项分值",
        "「{rule}」 caps the part's score at {value}, outside its 0–{points}",
        "规则「{rule}」把分项得分上限设为 {value}，超出了 0–{points} 的范围",
        "a part's veto fixes or caps a score between 0 and {points}", "分项一票否决只能把得分定为或限制在 0 到 {points} 之间"),
    "spec.factor_not_computable": _m(
        "a multiplier's factor cannot be computed", "系数无法计算",
        "「{rule}」: the factor `{expression}` cannot be computed", "规则「{rule}」的系数 `{expression}` 无法计算",
        "check the parameters it uses", "请检查其中用到的参数"),
    "spec.factor_negative": _m(
        "a multiplier's factor is negative", "系数为负数",
        "「{rule}」 multiplies the score by {factor}; a multiplier cannot be negative",
        "规则「{rule}」把得分乘以 {factor}；系数不能为负数",
        "write the factor as it is (0.9, 1.1); a deduction belongs under `deduct:`",
        "请照原样写系数（如 0.9、1.1）；扣分请写在 `deduct:` 下"),
    "spec.part_grade_consequence": _m(
        "a part's grade acts on the target value", "分项等次写了结果运用",
        "a part's grade has no `{key}`: only the whole unit's grade acts on the target value",
        "分项等次不能写 `{key}`：只有单位的总体等次作用于目标分值",
        "record what it brings with `consequence:`", "请用 `consequence:` 写明它带来的结果"),
    # --- rules (triggers)
    "spec.trigger_ambiguous": _m(
        "a rule entry is written in more than one way", "一条规则同时写了多种方式",
        "a `{key}` entry needs exactly one of {selectors}, and has more than one",
        "`{key}` 下的每一条规则须且只须写 {selectors} 中的一个，这里写了多个",
        "`per:` counts occurrences (扣分 × 次数); `if:` is a condition (满足即扣/得分); to count only when a "
        "condition holds, put it in the count: `per: \"errors if not rectified else 0\"`",
        "`per:` 是次数（扣分 × 次数）；`if:` 是条件（满足即扣分或得分）；只在某条件下才计数的，把条件写进次数："
        "`per: \"errors if not rectified else 0\"`"),
    "spec.trigger_kind_missing": _m(
        "a rule entry is written in none of its ways", "一条规则没有写明计分方式",
        "a `{key}` entry needs exactly one of {selectors}, and has none",
        "`{key}` 下的每一条规则须且只须写 {selectors} 中的一个，这里一个也没有",
        "`per:` counts occurrences (扣分 × 次数); `if:` is a condition (满足即扣/得分); to count only when a "
        "condition holds, put it in the count: `per: \"errors if not rectified else 0\"`",
        "`per:` 是次数（扣分 × 次数）；`if:` 是条件（满足即扣分或得分）；只在某条件下才计数的，把条件写进次数："
        "`per: \"errors if not rectified else 0\"`"),
    "spec.each_not_periodic": _m(
        "a rule that cannot act per period has `each:`", "不能按期计算的规则写了 `each:`",
        "`each:` does not apply to `{key}`", "`{key}` 下的规则不能写 `each:`",
        "only deductions act per period", "只有扣分规则可以按期计算"),
    "spec.name_expected": _m(
        "a rule's field does not name something", "规则的字段不是名称",
        "`{key}:` expected a name", "`{key}:` 须为一个名称",
        "write the id of what it names", "请写所指对象的编号"),
    "spec.table_expected": _m(
        "a rating has no table of points", "评级规则缺少分值表",
        "`{key}:` expected a table of points, e.g. {{优: 10, 良: 8, 一般: 6, 差: 0}}",
        "`{key}:` 须为分值表，例如 `{{优: 10, 良: 8, 一般: 6, 差: 0}}`",
        "give each value of the rating its points", "请为评级的每个可选值写出分值"),
    "spec.records_fact": _m(
        "a rule's `records:` does not name a records fact", "规则的 `records:` 不是记录型数据项",
        "「{rule}」: `records: {records}` must name a records fact", "规则「{rule}」的 `records: {records}` 须为记录型数据项",
        "declare it with `type: records`", "请用 `type: records` 声明该数据项"),
    "spec.severity_field": _m(
        "a rule's `severity:` does not name an enum field of its records", "规则的 `severity:` 不是记录中的枚举字段",
        "「{rule}」: `severity: {severity}` must name an enum field of `{records}` ({fact_label})",
        "规则「{rule}」的 `severity: {severity}` 须为数据项“{fact_label}”（{records}）中的枚举字段",
        "fields: {fields}", "该数据项的字段：{fields}"),
    "spec.discretion_fact": _m(
        "a discretionary rule does not name an annual number fact", "酌情扣分（得分）规则未指向年度数值型数据项",
        "`discretion: {amount}` must name an annual number fact", "`discretion: {amount}` 须为年度数值型数据项",
        "declare it as {{type: number, min: 0, max: {maximum}, default: 0, label: …}}",
        "请声明为 `{{type: number, min: 0, max: {maximum}, default: 0, label: …}}`"),
    "spec.discretion_range": _m(
        "a discretionary amount is not bounded by its range", "酌情扣分（得分）的数据项没有限定范围",
        "the fact " + _FACT_EN + " must be bounded by the range 0–{maximum}, so that an amount outside it is rejected",
        _FACT_ZH + "须限定在 0–{maximum} 之内，超出范围的数值才会被拒绝",
        "declare it as {{type: number, min: 0, max: {maximum}, default: 0, label: …}}",
        "请声明为 `{{type: number, min: 0, max: {maximum}, default: 0, label: …}}`"),
    "spec.rating_fact": _m(
        "a rating does not name an annual enum fact", "评级规则未指向年度枚举数据项",
        "「{rule}」: `of: {rating}` must name an annual enum fact (the assessor's rating)",
        "规则「{rule}」的 `of: {rating}` 须为年度枚举数据项（考核人员的评级）",
        "e.g. media_rating: {{type: enum, values: [优, 良, 一般, 差], …}}",
        "例如 `media_rating: {{type: enum, values: [优, 良, 一般, 差], …}}`"),
    "spec.evidence_fact": _m(
        "a bonus's evidence does not name an annual fact", "加分佐证未指向年度数据项",
        "`evidence: {evidence}` must name an annual fact (the reference or records that prove the bonus)",
        "`evidence: {evidence}` 须为年度数据项（证明加分的文号或记录）",
        "declare it, e.g. {{type: text, label: 佐证材料, default: ''}}",
        "请声明它，例如 `{{type: text, label: 佐证材料, default: ''}}`"),
    "spec.table_value": _m(
        "a table of points names a value the fact does not declare", "分值表中有数据项未声明的可选值",
        "`{value}` is not a value of `{name}` ({fact_label}: {values})",
        "“{value}”不是数据项“{fact_label}”（{name}）的可选值（可选值：{values}）",
        "use the values the fact declares", "请使用该数据项声明的可选值"),
    "spec.table_missing": _m(
        "a table of points leaves out values of the fact", "分值表缺少部分可选值",
        "no points for {missing} of `{name}` ({fact_label})", "数据项“{fact_label}”（{name}）的可选值 {missing} 没有分值",
        "give every declared value its points", "请为每个可选值写出分值"),
    # --- facts
    "spec.enum_values": _m(
        "an enum fact does not list its values", "枚举数据项没有列出可选值",
        "`{fact}` ({fact_label}): `values:` is given exactly for enum facts", _FACT_ZH + "是枚举型，须用 `values:` 列出可选值",
        "an enum fact lists its values, e.g. values: [优, 良, 一般, 差]", "例如 `values: [优, 良, 一般, 差]`"),
    "spec.values_not_enum": _m(
        "a fact that is not an enum lists values", "非枚举数据项写了 `values:`",
        "`{fact}` ({fact_label}): `values:` does not apply to a {type} fact", _FACT_ZH + "是 `{type}` 型，不能写 `values:`",
        "an enum fact lists its values, e.g. values: [优, 良, 一般, 差]",
        "只有枚举型（`type: enum`）数据项才列出可选值"),
    "spec.min_above_max": _m(
        "a fact's `min` is greater than its `max`", "数据项的 `min` 大于 `max`",
        "`{fact}` ({fact_label}): `min` ({minimum}) is greater than `max` ({maximum})",
        _FACT_ZH + "的 `min`（{minimum}）大于 `max`（{maximum}）",
        "swap them", "请互换两者"),
    "spec.min_max_type": _m(
        "a fact of a type without bounds has `min`/`max`", "该类型的数据项不能写 `min`/`max`",
        "`{fact}` ({fact_label}): a {type} fact has no `min`/`max`", _FACT_ZH + "是 `{type}` 型，不能写 `min`/`max`",
        "only number and count facts have bounds", "只有数值型和计数型数据项才有上下限"),
    "spec.records_nested": _m(
        "records nested in a record or recorded per period", "记录型数据项嵌套或按期填报",
        "`{fact}` ({fact_label}): records cannot be nested in a record or recorded per period",
        _FACT_ZH + "是记录型，不能嵌套在记录中，也不能按期填报",
        "declare the records at the top of `facts:`, with a date field",
        "请在 `facts:` 顶层声明记录型数据项，并给它一个日期字段"),
    "spec.dated_by": _m(
        "`dated_by:` does not name a date field", "`dated_by:` 不是日期字段",
        "`{fact}` ({fact_label}): `dated_by: {field}` must name a date field of the record",
        _FACT_ZH + "的 `dated_by: {field}` 须为记录中的日期字段",
        "add the field with `type: date`, or name a date field", "请添加 `type: date` 的字段，或改为已有的日期字段"),
    "spec.fields_not_records": _m(
        "a fact that is not records has `fields:`", "非记录型数据项写了 `fields:`",
        "`{fact}` ({fact_label}): `fields:` is for records, not for a {type} fact",
        _FACT_ZH + "是 `{type}` 型，`fields:` 只用于记录型数据项",
        "remove `fields:`, or declare the fact with `type: records`", "请删去 `fields:`，或把数据项声明为 `type: records`"),
    "spec.records_fields": _m(
        "a records fact lists no fields", "记录型数据项没有列出字段",
        "`{fact}`: a records fact lists its `fields:`", "记录型数据项（{fact}）须用 `fields:` 列出字段",
        "e.g. fields: {{title: {{type: text, label: 标题}}}}", "例如 `fields: {{title: {{type: text, label: 标题}}}}`"),
    "spec.field_period": _m(
        "a field of a record is recorded per period", "记录字段写了按期填报",
        "`{field}`: a field of a record is not recorded per period", "字段 `{field}` 属于记录，不能按期填报",
        "remove `period:` from the field", "请删去该字段的 `period:`"),
    "spec.required_default": _m(
        "a required fact has a default", "必填数据项写了默认值",
        "`{fact}` ({fact_label}): a required fact has no default", _FACT_ZH + "是必填项，不能有默认值",
        "remove `default:` or `required: true`", "请删去 `default:` 或 `required: true` 之一"),
    "spec.required_or_default": _m(
        "a fact is neither required nor defaulted", "数据项既非必填又无默认值",
        "`{fact}` ({fact_label}): a fact must be `required: true` or have a `default:`",
        _FACT_ZH + "须写 `required: true` 或给出 `default:`",
        "counts of problems usually default to 0; things an assessor must check are required",
        "问题次数通常默认为 0；考核人员必须核实的事项应设为必填"),
    "spec.bad_default": _m(
        "a fact's default does not fit the fact", "数据项的默认值不符合其声明",
        "the default does not fit the fact " + _FACT_EN + ": `{default}` is not a valid `{type}` value here",
        _FACT_ZH + "的默认值 `{default}` 不符合该数据项：不是这里可用的 `{type}` 型值",
        "give a value of the fact's type, within its `min`/`max` and among its `values`",
        "请给出该类型的值，并在 `min`/`max` 范围内、属于 `values` 之一"),
    # --- derived values
    "spec.derived_cycle": _m(
        "derived values read each other in a cycle", "派生值相互引用形成循环",
        "derived values refer to each other in a cycle: {chain}", "派生值相互引用，形成循环：{chain}",
        "a derived value may read only facts, parameters and derived values declared before it",
        "派生值只能读取数据项、参数和在它之前声明的派生值"),
    "spec.derived_kind": _m(
        "a derived value is written in none or more than one of its ways", "派生值的计算方式没有写或写了多个",
        "`{name}` ({label}): a derived value needs exactly one of {kinds}",
        "派生值“{label}”（{name}）须且只须写 {kinds} 中的一个",
        "e.g. `sum: info_volume` with `each: month`, or `count: <condition>` with `of: records`",
        "例如 `sum: info_volume` 配 `each: month`，或 `count: <条件>` 配 `of: <记录型数据项>`"),
    "spec.derived_of": _m(
        "a derived value's `of:` does not name a records fact", "派生值的 `of:` 不是记录型数据项",
        "`{name}` ({label}): `of: {of}` must name a records fact", "派生值“{label}”（{name}）的 `of: {of}` 须为记录型数据项",
        "declare it with `type: records`", "请用 `type: records` 声明该数据项"),
    "spec.derived_expr_scope": _m(
        "an `expr:` derived value has `each:` or `of:`", "`expr:` 派生值写了 `each:` 或 `of:`",
        "`{name}` ({label}): `expr:` works on annual values; leave out `each:` and `of:`",
        "派生值“{label}”（{name}）用 `expr:` 计算年度值，请删去 `each:` 和 `of:`",
        "roll periods up with `sum:` and the like", "按期汇总请用 `sum:` 等方式"),
    "spec.derived_gap_scope": _m(
        "a `gap:` or `gaps:` derived value lacks `of:` or has `each:`", "`gap:` 或 `gaps:` 派生值缺少 `of:` 或写了 `each:`",
        "`{name}` ({label}): `gap:` names the date field of records: add `of: <records>` (and no `each:`)",
        "派生值“{label}”（{name}）的 `gap:` 是记录中的日期字段：请写 `of: <记录型数据项>`，不写 `each:`",
        "e.g. `gap: published` with `of: notices`", "例如 `gap: published` 配 `of: notices`"),
    "spec.derived_gaps_longer_than": _m(
        "a `gaps:` derived value lacks a whole `longer_than:`", "`gaps:` 派生值缺少整数的 `longer_than:`",
        "`{name}` ({label}): `gaps:` counts the spans longer than `longer_than:`, a whole number of days (or months)"
        " — `{value}` is not one",
        "派生值“{label}”（{name}）的 `gaps:` 统计间隔超过 `longer_than:` 的次数，它须是整数天数（或月数），`{value}` 不是",
        "write the document's number: 超过14天未更新 is `longer_than: 14`",
        "请照文件写出天数：超过14天未更新写 `longer_than: 14`"),
    "spec.derived_count_scope": _m(
        "a `count:` derived value has neither or both of `each:` and `of:`", "`count:` 派生值的 `each:`、`of:` 有误",
        "`{name}` ({label}): `count:` needs either `each: month|quarter` (periods) or `of: <records>` (records)",
        "派生值“{label}”（{name}）的 `count:` 须写 `each: month|quarter`（按期）或 `of: <记录型数据项>`（按记录）之一",
        "count periods with `each:`, records with `of:`", "统计期数写 `each:`，统计记录写 `of:`"),
    "spec.derived_rollup_scope": _m(
        "a roll-up derived value has neither or both of `each:` and `of:`", "汇总派生值的 `each:`、`of:` 有误",
        "`{name}` ({label}): `{kind}:` rolls up periods or records: add `each: month` or `each: quarter` "
        "or `of: <records>` (a field of each record)",
        "派生值“{label}”（{name}）的 `{kind}:` 汇总各期或各条记录：请写 `each: month`、`each: quarter` "
        "或 `of: <记录型数据项>`（每条记录的一个字段）之一",
        "roll periods up with `each:`, records with `of:`", "汇总各期写 `each:`，汇总记录写 `of:`"),
    "spec.derived_last_scope": _m(
        "a `last:` derived value lacks `each:`", "`last:` 派生值缺少 `each:`",
        "`{name}` ({label}): `{kind}:` rolls up periods or records: add `each: month` or `each: quarter`",
        "派生值“{label}”（{name}）的 `{kind}:` 汇总各期：请写 `each: month` 或 `each: quarter`",
        "`last:` takes the value of the latest period", "`last:` 取最近一期的值"),
    # --- grades
    "spec.grade_deduct_percent": _m(
        "a grade's deduction is not a percentage", "等次扣减比例不是百分数",
        "「{grade}」: `deduct: {value}`: expected a percentage such as 40% or a fraction such as 0.4",
        "等次「{grade}」的 `deduct: {value}` 有误：须为 40% 这样的百分数或 0.4 这样的小数",
        "write e.g. `deduct: 40%`", "例如写 `deduct: 40%`"),
    "spec.grade_deduct_range": _m(
        "a grade deducts less than 0% or more than 100%", "等次扣减比例超出 0%–100%",
        "「{grade}」: a grade deducts between 0% and 100% of the target value, not {percent}%",
        "等次「{grade}」扣减目标分值的比例须在 0% 到 100% 之间，不能是 {percent}%",
        "write the share of the target value it takes away, e.g. `deduct: 40%`", "请写扣减目标分值的比例，例如 `deduct: 40%`"),
    "spec.grade_thresholds": _m(
        "a grade's lower threshold is not below its upper one", "等次的下限不低于上限",
        "「{grade}」: `{low_key}` {low} is not below `{high_key}` {high}",
        "等次「{grade}」的 `{low_key}` {low} 不低于 `{high_key}` {high}",
        "check the two thresholds", "请检查这两个分数线"),
    "spec.grade_both_keys": _m(
        "a grade gives one threshold twice", "等次重复写了同一个分数线",
        "「{grade}」 has both `{plain}` and `{other}`: write one",
        "等次「{grade}」同时写了 `{plain}` 和 `{other}`，只能写一个",
        "`{plain}` and `{other}` are the same threshold, one inclusive and one strict",
        "`{plain}` 和 `{other}` 是同一个分数线，一个含本数、一个不含"),
    "spec.grade_not_last": _m(
        "a grade other than the lowest has no lower threshold", "非最低等次缺少下限",
        "「{grade}」 has no `at_least`, so no grade can come below it",
        "等次「{grade}」没有 `at_least`，它之下的等次都无法达到",
        "list grades from the highest down; only the last may leave out `at_least`",
        "请从高到低列出等次；只有最后一个等次可以不写 `at_least`"),
    "spec.grade_no_below": _m(
        "a grade below another has no upper threshold", "较低等次缺少上限",
        "「{grade}」 has no `below`; it overlaps 「{upper}」", "等次「{grade}」没有 `below`，与等次「{upper}」重叠",
        "add `{key}: {value}`", "请添加 `{key}: {value}`"),
    "spec.grade_gap": _m(
        "the grades leave scores without a grade", "等次之间存在空档",
        "gap between grades: no grade covers scores from {low} up to {high} (between 「{lower}」 and 「{upper}」)",
        "等次之间有空档：{low} 分至 {high} 分之间的得分不属于任何等次（在「{lower}」与「{upper}」之间）",
        _SET_GRADE_EN, _SET_GRADE_ZH),
    "spec.grade_gap_at": _m(
        "the grades leave one score without a grade", "等次分数线上的得分不属于任何等次",
        "gap between grades: no grade covers a score of exactly {score} (「{upper}」 is above it, 「{lower}」 below it)",
        "等次之间有空档：恰好 {score} 分不属于任何等次（「{upper}」须高于它，「{lower}」须低于它）",
        _SET_GRADE_EN, _SET_GRADE_ZH),
    "spec.grade_overlap": _m(
        "two grades cover the same scores", "等次范围重叠",
        "grades overlap: scores from {low} to {high} are both 「{upper}」 and 「{lower}」",
        "等次范围重叠：{low} 分至 {high} 分的得分既属于「{upper}」又属于「{lower}」",
        _SET_GRADE_EN, _SET_GRADE_ZH),
    "spec.grade_overlap_at": _m(
        "two grades both hold their common threshold", "两个等次都包含同一分数线",
        "grades overlap: a score of exactly {score} is both 「{upper}」 and 「{lower}」",
        "等次范围重叠：恰好 {score} 分既属于「{upper}」又属于「{lower}」",
        _SET_GRADE_EN, _SET_GRADE_ZH),
    "spec.grade_unreachable": _m(
        "a grade no score can reach", "无法达到的等次",
        "「{grade}」 needs `{key}: {threshold}`, but scores go up to {scale}: no unit can reach it",
        "等次「{grade}」要求 `{key}: {threshold}`，但得分最高只有 {scale}，没有单位能达到",
        "lower the threshold, or check `metadata.scale` and `conversion.to`",
        "请降低分数线，或检查 `metadata.scale` 和 `conversion.to`"),
    "spec.raw_weights_points": _m(
        "a parent weighing raw scores declares points its children cannot make", "按原始得分加权，但上级分值与之不符",
        "weighing raw scores, the children make at most {parts} = {made}, not {points}",
        "按原始得分加权，各项最多得 {parts} = {made} 分，而不是 {points} 分",
        "declare {made} points (the highest score the weights give)", "请把分值写为 {made}（加权后可得的最高分）"),
    "spec.raw_weights_unweighted": _m(
        "`weighting: raw` on a parent whose children carry no weights", "写了 `weighting: raw`，但下级没有权重",
        "`weighting: raw` weighs the children's raw scores, but its children carry no `weight:`",
        "`weighting: raw` 按下级的原始得分加权，但下级没有写 `weight:`",
        "give each child its `weight:`, or remove `weighting:`", "请给每个下级写上 `weight:`，或去掉 `weighting:`"),
    "spec.grade_by": _m(
        "`grade_by` names no annual enum fact", "`grade_by` 指向的不是年度的枚举数据项",
        "`grade_by: {fact}` must name an annual `enum` fact whose values are the assessor's verdicts ({enums})",
        "`grade_by: {fact}` 须指向一个年度的 `enum` 数据项，其取值即评议结果（可选：{enums}）",
        "declare it, e.g. `{fact}: {{type: enum, values: [好, 较好, 一般, 差], label: 评议结果, required: true}}`",
        "请先声明它，例如 `{fact}: {{type: enum, values: [好, 较好, 一般, 差], label: 评议结果, required: true}}`"),
    "spec.grade_by_no_grades": _m(
        "`grade_by` without grades", "写了 `grade_by` 却没有等次",
        "`grade_by: {fact}` takes the grade from a verdict, but the spec declares no `grades:`",
        "`grade_by: {fact}` 由评议结果确定等次，但细则没有写 `grades:`",
        "add `grades:`, each with the verdicts that give it (`verdict: [好]`)",
        "请写出 `grades:`，每个等次写明对应的评议结果（`verdict: [好]`）"),
    "spec.verdict_grade": _m(
        "a grade under `grade_by` without its verdicts, or with thresholds",
        "按评议结果定等次，但等次缺少 `verdict` 或写了分数线",
        "grade 「{grade}」 takes its place from `{fact}`: it names the verdicts that give it, and no score thresholds",
        "等次「{grade}」由 `{fact}` 确定：应写明对应的评议结果，不写分数线",
        "write e.g. `verdict: [好]` and leave out `at_least`/`above`/`below`/`at_most`",
        "例如写 `verdict: [好]`，并去掉 `at_least`、`above`、`below`、`at_most`"),
    "spec.verdict_value": _m(
        "a grade's verdict is not a value of the fact", "等次对应的评议结果不是该数据项的取值",
        "grade 「{grade}」: 「{verdict}」 is not a value of `{fact}` ({values})",
        "等次「{grade}」：「{verdict}」不是 `{fact}` 的取值（{values}）",
        "use one of its `values:`", "请改用它的取值之一"),
    "spec.verdict_twice": _m(
        "a verdict gives two grades", "同一评议结果对应了两个等次",
        "「{verdict}」 gives both 「{other}」 and 「{grade}」", "评议结果「{verdict}」既对应「{other}」又对应「{grade}」",
        "keep it under one grade", "请只在一个等次下写它"),
    "spec.verdict_missing": _m(
        "a verdict gives no grade", "有评议结果没有对应的等次",
        "no grade is given by {missing} of `{fact}`", "`{fact}` 的评议结果 {missing} 没有对应任何等次",
        "add each to the `verdict:` of one grade", "请把它们各写进某个等次的 `verdict:`"),
    "spec.verdict_without_grade_by": _m(
        "a grade names verdicts, but the spec grades by score", "等次写了 `verdict`，但细则按分数定等次",
        "grade 「{grade}」 names verdicts, but no `grade_by:` says which fact holds them",
        "等次「{grade}」写了 `verdict`，但没有 `grade_by:` 指明评议结果所在的数据项",
        "add `grade_by: <the enum fact>` at the top level, or remove `verdict:`",
        "请在顶层写 `grade_by: <枚举数据项>`，或去掉 `verdict:`"),
    "spec.grade_top": _m(
        "the highest grade stops below the highest score", "最高等次未覆盖到最高分",
        "the highest grade 「{grade}」 stops at `{key}: {value}`, but scores go up to {scale}",
        "最高等次「{grade}」止于 `{key}: {value}`，但得分最高可达 {scale}",
        "leave out `{key}` on the highest grade", "最高等次请不写 `{key}`"),
    "spec.grade_top_uncapped": _m(
        "the highest grade stops, but a bonus without a cap has no highest score", "最高等次设了上限，但加分没有封顶",
        "the highest grade 「{grade}」 stops at `{key}: {value}`, but scores go up to any bonus without a cap",
        "最高等次「{grade}」止于 `{key}: {value}`，但加分没有封顶，得分没有上限",
        "leave out `{key}` on the highest grade", "最高等次请不写 `{key}`"),
    "spec.grade_bottom": _m(
        "the lowest grade does not reach down to 0", "最低等次未覆盖到 0 分",
        "no grade covers scores below {value} (the lowest grade is 「{grade}」)",
        "低于 {value} 分的得分不属于任何等次（最低等次是「{grade}」）",
        "leave out `{key}` on the lowest grade", "最低等次请不写 `{key}`"),
    "spec.grade_bottom_above": _m(
        "the lowest grade does not reach down to 0", "最低等次未覆盖到 0 分",
        "no grade covers scores up to {value} (the lowest grade is 「{grade}」)",
        "{value} 分及以下的得分不属于任何等次（最低等次是「{grade}」）",
        "leave out `{key}` on the lowest grade", "最低等次请不写 `{key}`"),
    # --- outcome: bonus, vetoes
    "spec.bonus_gate": _m(
        "the bonus gate is outside the base score's range", "加分门槛超出基本得分范围",
        "the bonus gate {gate} is outside the base score's range 0–{scale}",
        "加分门槛 {gate} 超出了基本得分的范围 0–{scale}",
        "the gate is a base score a unit must reach, e.g. 80", "门槛是单位须达到的基本得分，例如 80"),
    "spec.part_bonus_gate": _m(
        "a part's bonus gate is outside the part's range", "分项加分门槛超出分项得分范围",
        "the bonus gate {gate} is outside the part score's range 0–{scale}",
        "加分门槛 {gate} 超出了分项得分的范围 0–{scale}",
        "the gate is a part score a unit must reach, e.g. most of its points",
        "门槛是单位须达到的分项得分，例如分项分值的大部分"),
    "spec.veto_grade": _m(
        "a veto names a grade the spec does not declare", "一票否决指向未声明的等次",
        "no grade `{grade_id}`", "没有编号为 `{grade_id}` 的等次",
        "grades: {grades}", "已声明的等次：{grades}"),
    "spec.veto_stop": _m(
        "a veto has `stop:`, no longer part of a veto", "一票否决写了已不再使用的 `stop:`",
        "`stop:` is no longer part of a veto: the first veto that holds already fixes the outcome, "
        "and nothing after it changes the score",
        "一票否决不再使用 `stop:`：第一个成立的一票否决就已确定结果，其后的规则不再改变得分",
        "delete the line; write `score:` to fix the score, or `at_most:` to cap it",
        "请删去这一行；确定得分写 `score:`，限制最高分写 `at_most:`"),
    # --- sub-units feeding a unit
    "spec.unit_type_parent": _m(
        "a unit type names an undeclared unit type as its parent", "单位类型的上级是未声明的单位类型",
        "unit type 「{type_label}」 ({type}): `parent: {parent}` is not a declared unit type",
        "单位类型“{type_label}”（{type}）的 `parent: {parent}` 不是已声明的单位类型",
        "unit types: {types}", "已声明的单位类型：{types}"),
    "spec.derived_subunits_scope": _m(
        "a `subunits:` derived value has `each:` or `of:`", "`subunits:` 派生值写了 `each:` 或 `of:`",
        "`{name}` ({label}): `subunits:` reads the sub-units' results; leave out `each:` and `of:`",
        "派生值“{label}”（{name}）的 `subunits:` 读取下属单位的结果，请删去 `each:` 和 `of:`",
        "e.g. `subunits: score, how: mean`", "例如 `subunits: score, how: mean`"),
    "spec.derived_subunits_share": _m(
        "a share of sub-units names no grade", "下属单位占比未写等次",
        "`{name}` ({label}): `how: share` is the share of sub-units in a grade; add `graded:`",
        "派生值“{label}”（{name}）的 `how: share` 是某一等次的下属单位所占比例，请写 `graded:`",
        "e.g. `how: share, graded: 优秀`", "例如 `how: share, graded: 优秀`"),
    "spec.derived_subunits_reads": _m(
        "a value read from sub-units names no figure of a result", "从下属单位读取的值不是结果中的分数",
        "`{name}` ({label}): `subunits: {reads}` is neither `score`, `table_score` nor an indicator's id",
        "派生值“{label}”（{name}）的 `subunits: {reads}` 既不是 `score`、`table_score`，也不是指标编号",
        "one of: {choices}", "可选：{choices}"),
    "spec.derived_subunits_grade": _m(
        "a value read from sub-units names an unknown grade", "从下属单位读取的值写了未声明的等次",
        "`{name}` ({label}): `graded: {grade}` is not one of the spec's grades",
        "派生值“{label}”（{name}）的 `graded: {grade}` 不是考评细则中的等次",
        "grades: {grades}", "已声明的等次：{grades}"),
    # --- groups
    "spec.group_member": _m(
        "a group names a unit type the spec does not declare", "分组成员是未声明的单位类型",
        "group 「{group_label}」 ({group}): no unit type `{member}`",
        "分组“{group_label}”（{group}）中没有单位类型 `{member}`",
        "unit types: {types}", "已声明的单位类型：{types}"),
    "spec.group_weight_percent": _m(
        "a group's weight is not a percentage", "分组权重不是百分数",
        "group 「{group_label}」 ({group}): the weight `{value}` of `{member}` is not a percentage such as 40%",
        "分组“{group_label}”（{group}）中 `{member}` 的权重 `{value}` 须为 40% 这样的百分数",
        "write e.g. `town: 40%`", "例如写 `town: 40%`"),
    "spec.group_weights_members": _m(
        "a group's weights do not match its members", "分组权重与成员不一致",
        "group 「{group_label}」 ({group}): give a weight to each member type, and only to them",
        "分组“{group_label}”（{group}）须为每个成员类型、且只为成员类型给出权重",
        "members: {members}", "成员类型：{members}"),
    "spec.group_weights_sum": _m(
        "a group's weights do not add up to 100%", "分组权重合计不为 100%",
        "group 「{group_label}」 ({group}): the weights add up to {share}%, not 100%",
        "分组“{group_label}”（{group}）的权重合计为 {share}%，不是 100%",
        "make the weights of the member types add up to 100%", "请使各成员类型的权重合计为 100%"),
    # --- metadata
    "spec.metadata_date": _m(
        "a date in `metadata:` is not a date", "`metadata:` 中的日期有误",
        "`{key}: {value}` is not a date", "`{key}: {value}` 不是日期",
        "write it as 2021-01-01", "请写成 2021-01-01 这样的日期"),
    "spec.metadata_dates": _m(
        "the spec's effective dates are in the wrong order", "生效日期先后颠倒",
        "`effective_from` ({start}) is after `effective_to` ({end})", "`effective_from`（{start}）晚于 `effective_to`（{end}）",
        "swap the dates", "请互换两个日期"),
    # --- arithmetic that can give a number with no exact decimal value, in a spec that declares no rounding
    "spec.inexact_parameter": _inexact(
        "a parameter's value has no exact decimal value", "参数值不是有限小数",
        "the parameter `{name}` is {value}", "参数 `{name}` 的值是 {value}"),
    "spec.inexact_points": _inexact(
        "a rule's points have no exact decimal value", "规则的分值不是有限小数",
        "「{rule}」 `{field}` is {value}", "规则「{rule}」的 `{field}` 是 {value}"),
    "spec.inexact_table": _inexact(
        "a table of points holds a value with no exact decimal value", "分值表中有不是有限小数的分值",
        "「{rule}」 gives {label} {value}", "规则「{rule}」给“{label}”的分值是 {value}"),
    "spec.inexact_division": _inexact(
        "a rule's expression divides", "规则的表达式中有除法",
        "「{rule}」 divides in `{expression}`", "规则「{rule}」在 `{expression}` 中做了除法"),
    "spec.inexact_conversion": _inexact(
        "the conversion has no `places:`", "折算未写 `places:`",
        "the conversion × {to} ÷ {points}", "折算（× {to} ÷ {points}）"),
    "spec.inexact_mean": _inexact(
        "a derived value is a mean", "派生值是平均值",
        "the derived value 「{label}」 is a mean ({name})", "派生值“{label}”（{name}）是平均值"),
    "spec.inexact_derived_division": _inexact(
        "a derived value divides", "派生值的表达式中有除法",
        "the derived value 「{label}」 divides in `{expression}` ({name})",
        "派生值“{label}”（{name}）在 `{expression}` 中做了除法"),
    "spec.inexact_group": _inexact(
        "a group averages its members' scores", "分组对成员得分取平均",
        "the group 「{group}」 averages its members' scores ({group_id})", "分组“{group}”（{group_id}）对成员得分取平均"),
    "spec.inexact_per_unit": _inexact(
        "an indicator divides by points given per unit", "指标要除以按单位给出的分值",
        "「{name}」 divides by points given per unit ({parts})", "指标“{name}”要除以按单位给出的分值（{parts}）"),
    "spec.inexact_share": _inexact(
        "a weighted parent takes a share of a child with no exact decimal value", "加权上级指标折算子指标得分的比例不是有限小数",
        "「{name}」 takes {share} of 「{child}」's score (weight × {points} ÷ {child_points})",
        "指标“{name}”取子指标“{child}”得分的 {share} 倍（权重 × {points} ÷ {child_points}）"),
    "spec.inexact_shares_per_unit": _inexact(
        "an indicator renormalises over shares given per unit", "指标按单位给出的权重重新折算",
        "「{name}」 renormalises over shares given per unit", "指标“{name}”按各单位给出的权重重新折算"),
    "spec.inexact_many": _inexact(
        "an indicator has too many children that may not apply to check them all", "可能不适用的子指标过多，无法逐一检查",
        "「{name}」 has more than {limit} children that may not apply", "指标“{name}”有超过 {limit} 个可能不适用的子指标"),
    "spec.inexact_weights": _inexact(
        "an indicator renormalises over the weights of the children that apply", "指标按适用子指标的权重重新折算",
        "「{name}」 renormalises over the weights of the children that apply ({parts}: ÷ {total})",
        "指标“{name}”按适用子指标的权重重新折算（{parts}：÷ {total}）"),
    "spec.inexact_rescale": _inexact(
        "an indicator rescales over the points of the children that apply", "指标按适用子指标的分值重新折算",
        "「{name}」 renormalises over the points of the children that apply ({parts}: ÷ {total})",
        "指标“{name}”按适用子指标的分值重新折算（{parts}：÷ {total}）"),
    "spec.inexact_spread": _inexact(
        "an indicator spreads the points of children that do not apply", "指标把不适用子指标的分值分摊给其余子指标",
        "「{name}」 spreads {missing} points over {count} children that apply (「{child}」 × {factor})",
        "指标“{name}”把 {missing} 分分摊给 {count} 个适用的子指标（“{child}” × {factor}）"),
    # the parts of a spec a problem may be in (``within=``), named as the document names them
    "label.indicator": Message("indicator 「{name}」", "指标「{name}」"),
    "label.derived": Message("derived value 「{name}」", "派生值「{name}」"),
    "label.direct": Message("direct deductions", "直接扣分项"),
    "label.veto": Message("veto 「{name}」", "一票否决「{name}」"),
    "label.bonus": Message("bonus 「{name}」", "加分项「{name}」"),
    "label.the_bonus": Message("the bonus", "加分项"),
}

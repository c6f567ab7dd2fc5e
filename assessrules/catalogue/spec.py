"""The catalogue's texts for a spec: its files, its schema, its sections and its expressions."""

from __future__ import annotations

from ._message import Message

MESSAGES: dict[str, Message] = {
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
    # the parts of a spec a problem may be in (``within=``), named as the document names them
    "label.indicator": Message("indicator 「{name}」", "指标「{name}」"),
    "label.derived": Message("derived value 「{name}」", "派生值「{name}」"),
    "label.direct": Message("direct deductions", "直接扣分项"),
    "label.veto": Message("veto 「{name}」", "一票否决「{name}」"),
}

"""The catalogue's texts for the expression language of a spec.

Most sentences begin with where the problem is: the expression (in backticks, cut to 80 characters) and the
character the problem starts at, ``{expression}`` and ``{at}``. Types are named as a spec declares facts:
``bool`` (a yes/no condition), ``number``, ``text``, ``date``.
"""

from __future__ import annotations

from ._message import Message


def _at(en: str, zh: str, text_en: str, text_zh: str, hint_en: str | None = None, hint_zh: str | None = None,  # noqa: PLR0917
        ) -> Message:
    """A problem inside an expression: its sentence begins with the expression and the character."""
    return Message(en, zh, text_zh=f"表达式 `{{expression}}` 第 {{at}} 个字符处：{text_zh}", hint_zh=hint_zh,
                   text_en=f"in `{{expression}}` at character {{at}}: {text_en}", hint_en=hint_en)


_DECLARE_EN = "declare it under `facts:` or `parameters:`"
_DECLARE_ZH = "请在 `facts:` 或 `parameters:` 下声明它"
_ONE_EN = "write the rule as one expression"
_ONE_ZH = "请把规则写成一个表达式"
_ALLOWED_EN = ("use facts, parameters, numbers, text in quotes, arithmetic, comparisons, and/or/not, "
               "`a if c else b` and the listed functions")
_ALLOWED_ZH = ("表达式中只能使用数据项、参数、数字、引号中的文字、四则运算、比较、`and`/`or`/`not`、"
               "`a if c else b` 和列出的函数")

MESSAGES: dict[str, Message] = {
    "expression.missing": Message(
        "a rule has no expression where one is needed", "缺少表达式",
        text_zh="这里缺少表达式", hint_zh="请写出条件或计算式，例如 `late > 0`",
        text_en="missing expression", hint_en="write the condition or the count, e.g. `late > 0`"),
    "expression.not_string": Message(
        "an expression is not text", "表达式不是文字",
        text_zh="表达式须为文字", hint_zh="请把表达式写成一行文字，必要时加引号",
        text_en="an expression must be text", hint_en="write the expression as one line of text, in quotes if needed"),
    "expression.empty": Message(
        "an expression is empty", "表达式为空",
        text_zh="表达式为空", hint_zh="请写出条件或计算式，例如 `late > 0`",
        text_en="the expression is empty", hint_en="write the condition or the count, e.g. `late > 0`"),
    "expression.too_long": _at(
        "an expression is longer than the limit", "表达式超过长度上限",
        "the expression is {length} characters long; at most {limit} are allowed",
        "表达式长 {length} 个字符，最多只能有 {limit} 个",
        "split it: declare a parameter or another fact for a part of it",
        "请拆分：把其中一部分声明为参数或另一个数据项"),
    "expression.too_many_parts": _at(
        "an expression has more parts than the limit", "表达式的组成部分超过上限",
        "the expression has {count} parts; at most {limit} are allowed",
        "表达式有 {count} 个组成部分，最多只能有 {limit} 个",
        "split it: declare a parameter or a derived value for a part of it",
        "请拆分：把其中一部分声明为参数或派生值"),
    "expression.too_deep": _at(
        "an expression nests deeper than the limit", "表达式嵌套层数超过上限",
        "the expression is nested too deeply (more than {limit} levels)",
        "表达式嵌套过深（超过 {limit} 层）",
        "split it, or use a parameter for a part of it", "请拆分，或把其中一部分声明为参数"),
    "expression.syntax": _at(
        "an expression is not valid syntax", "表达式写法有误",
        "this is not a valid expression: {detail}", "这不是有效的表达式（解析器的说明：`{detail}`）",
        "check brackets and quotes; write `and`/`or`/`not`, not `&&`/`||`/`!`",
        "请检查括号和引号是否成对；请写 `and`/`or`/`not`，不要写 `&&`/`||`/`!`"),
    "expression.attribute": _at(
        "an expression uses attribute access", "表达式使用了属性访问",
        "attribute access (`a.b`) is not allowed", "不允许属性访问（`a.b`）",
        "use the fact's own name; expressions see only declared facts and parameters",
        "请直接写数据项的名称；表达式只能读取已声明的数据项和参数"),
    "expression.subscript": _at(
        "an expression uses a subscript", "表达式使用了下标",
        "subscripts (`a[b]`) are not allowed", "不允许下标（`a[b]`）",
        "declare the value you need as its own fact", "请把需要的值声明为单独的数据项"),
    "expression.lambda": _at(
        "an expression uses `lambda`", "表达式使用了 `lambda`",
        "`lambda` is not allowed", "不允许使用 `lambda`", _ONE_EN, _ONE_ZH),
    "expression.assignment": _at(
        "an expression assigns a name", "表达式中有赋值",
        "assignment (`:=`) is not allowed", "不允许赋值（`:=`）", _ONE_EN, _ONE_ZH),
    "expression.comprehension": _at(
        "an expression uses a comprehension", "表达式使用了推导式",
        "comprehensions are not allowed", "不允许使用推导式（`[x for x in …]`）",
        "count with a declared fact instead", "请改用已声明的数据项来计数"),
    "expression.fstring": _at(
        "an expression uses an f-string", "表达式使用了格式化字符串",
        "f-strings are not allowed", "不允许使用格式化字符串（`f'…'`）",
        "compare with plain text in quotes", "请与引号中的普通文字比较"),
    "expression.forbidden": _at(
        "an expression uses syntax outside the language", "表达式使用了不允许的写法",
        "`{syntax}` is not allowed in an expression", "表达式中不允许使用 `{syntax}`", _ALLOWED_EN, _ALLOWED_ZH),
    "expression.literal": _at(
        "an expression holds a value of a kind it cannot use", "表达式中有不能使用的值",
        "`{literal}` is not allowed here", "这里不能使用 `{literal}`",
        "use a number, text in quotes, True or False", "请使用数字、引号中的文字、`True` 或 `False`"),
    "expression.text_too_long": _at(
        "a text in an expression is longer than the limit", "表达式中的文字超过长度上限",
        "text longer than {limit} characters", "引号中的文字超过 {limit} 个字符",
        "compare with a shorter text, or declare an enum fact", "请与较短的文字比较，或声明一个枚举数据项"),
    "expression.underscore_name": _at(
        "an expression uses a name beginning with `_`", "表达式使用了以 `_` 开头的名称",
        "names beginning with `_` (such as `{name}`) are not allowed",
        "不允许使用以 `_` 开头的名称（如 `{name}`）",
        "use a declared fact or parameter", "请使用已声明的数据项或参数"),
    "expression.function_name": _at(
        "an expression names a function without calling it", "表达式写了函数名却没有调用",
        "`{name}` is a function; call it with arguments, e.g. `{name}(a, b)`",
        "`{name}` 是函数，须带参数调用，例如 `{name}(a, b)`",
        "write the function's arguments in brackets", "请在括号中写出函数的参数"),
    "expression.unknown_name": _at(
        "an expression uses an undeclared name close to a declared one", "表达式使用了未声明的名称（有相近的名称）",
        "unknown name `{name}`", "名称 `{name}` 未声明",
        "did you mean `{suggestion}`?", "您是不是要写 `{suggestion}`？"),
    "expression.undeclared_name": _at(
        "an expression uses a name the spec does not declare", "表达式使用了未声明的名称",
        "unknown name `{name}`", "名称 `{name}` 未声明", _DECLARE_EN, _DECLARE_ZH),
    "expression.records_name": _at(
        "an expression uses a records fact as a value", "表达式把记录型数据项当作单个值使用",
        "`{name}` ({label}) cannot be used here", "数据项“{label}”（{name}）不能在这里直接使用",
        "`{name}` ({label}) is a list of records: count them under `derived:` with `count: <condition>` and `of: {name}`",
        "“{label}”（{name}）是一组记录：请在 `derived:` 下用 `count: <条件>` 和 `of: {name}` 统计"),
    "expression.period_name": _at(
        "an expression uses a per-period fact outside a per-period rule", "表达式在非分期规则中使用了分期数据项",
        "`{name}` ({label}) cannot be used here", "数据项“{label}”（{name}）不能在这里直接使用",
        "`{name}` ({label}) is recorded per period (`period: {each}`): use it in a rule with `each: {each}`, "
        "or roll it up under `derived:` (sum, mean, min, max, last, count)",
        "“{label}”（{name}）按期填报（`period: {each}`）：请在带 `each: {each}` 的规则中使用，"
        "或在 `derived:` 下汇总（`sum`、`mean`、`min`、`max`、`last`、`count`）"),
    "expression.bitwise": _at(
        "an expression uses bitwise `~`", "表达式使用了按位取反",
        "bitwise `~` is not allowed", "不允许按位取反 `~`", "use `not` for conditions", "条件取反请写 `not`"),
    "expression.operand_type": _at(
        "an operator is given a value of the wrong type", "运算符的操作数类型不符",
        "`{operator}` needs `{wanted}`, but this is `{actual}`",
        "`{operator}` 须作用于 `{wanted}` 类型的值，而这里是 `{actual}` 类型",
        "`bool` is a yes/no condition: compare a number to make one (`x > 0`), "
        "or turn one into a number with `1 if x else 0`",
        "`bool` 是“是/否”条件：比较一个数可得到条件（`x > 0`），条件可用 `1 if x else 0` 变为数"),
    "expression.argument_type": _at(
        "a function is given an argument of the wrong type", "函数参数的类型不符",
        "argument {position} of `{function}` needs `{wanted}`, but this is `{actual}`",
        "函数 `{function}` 的第 {position} 个参数须为 `{wanted}` 类型，而这里是 `{actual}` 类型",
        "`bool` is a yes/no condition: compare a number to make one (`x > 0`), "
        "or turn one into a number with `1 if x else 0`",
        "`bool` 是“是/否”条件：比较一个数可得到条件（`x > 0`），条件可用 `1 if x else 0` 变为数"),
    "expression.not_condition": _at(
        "an expression that must be a yes/no condition is not one", "应为条件的表达式不是条件",
        "this must be a yes/no condition, but it is `{actual}`",
        "这里须为“是/否”条件（`bool`），而这个表达式是 `{actual}` 类型",
        "compare the number, e.g. `x > 0`", "请写成比较，例如 `x > 0`"),
    "expression.not_number": _at(
        "an expression that must be a number is not one", "应为数的表达式不是数",
        "this must be a number, but it is `{actual}`", "这里须为数（`number`），而这个表达式是 `{actual}` 类型",
        "turn a condition into a number with `1 if x else 0`; for days between dates write days(a, b)",
        "条件可用 `1 if x else 0` 变为数；两个日期相隔的天数请写 `days(a, b)`"),
    "expression.not_text": _at(
        "an expression that must be text is not", "应为文字的表达式不是文字",
        "this must be text, but it is `{actual}`", "这里须为文字（`text`），而这个表达式是 `{actual}` 类型",
        "write the text in quotes", "请把文字写在引号中"),
    "expression.not_date": _at(
        "an expression that must be a date is not one", "应为日期的表达式不是日期",
        "this must be a date, but it is `{actual}`", "这里须为日期（`date`），而这个表达式是 `{actual}` 类型",
        'write a date field, or `date("2021-06-30")`', '请写日期型数据项，或 `date("2021-06-30")`'),
    "expression.operator": _at(
        "an expression uses an arithmetic operator outside the language", "表达式使用了不允许的运算符",
        "the operator `{operator}` is not allowed", "不允许使用运算符 `{operator}`",
        "use + - * / and **; for whole-number division write floor(a / b)",
        "请使用 + - * / 和 **；整除请写 `floor(a / b)`"),
    "expression.power": _at(
        "a power's exponent is not a small whole number", "乘方的指数不是较小的整数",
        "a power must have a whole-number exponent from 0 to {limit}", "乘方的指数须为 0 到 {limit} 之间的整数",
        "write the exponent as a plain number, e.g. `x ** 2`", "请把指数写成一个数，例如 `x ** 2`"),
    "expression.date_arithmetic": _at(
        "arithmetic on dates", "对日期做了四则运算",
        "`{operator}` works on numbers, not on dates", "`{operator}` 只能用于数，不能用于日期",
        "for the days between two dates write days(a, b) (calendar days) or working_days(a, b) (工作日); "
        "for whole months months(a, b); compare dates with < > ==",
        "两个日期相隔的天数请写 `days(a, b)`（自然日）或 `working_days(a, b)`（工作日）；整月数请写 `months(a, b)`；"
        "比较日期请用 < > =="),
    "expression.is_operator": _at(
        "an expression uses `is`", "表达式使用了 `is`",
        "`is` is not allowed", "不允许使用 `is`", "use `==` or `!=`", "请使用 `==` 或 `!=`"),
    "expression.compare_types": _at(
        "an expression compares values of two types", "表达式比较了两种不同类型的值",
        "cannot compare `{left}` with `{right}`", "不能把 `{left}` 类型与 `{right}` 类型相比较",
        "compare a number with a number, a date with a date, text with text",
        "请数与数、日期与日期、文字与文字相比较"),
    "expression.bool_order": _at(
        "yes/no values compared by order", "对“是/否”值比较大小",
        "true/false values can only be compared with == or !=", "“是/否”值只能用 == 或 != 比较",
        "write the condition itself, or `not` it", "请直接写条件本身，或用 `not` 取反"),
    "expression.in_list": _at(
        "`in` without a list", "`in` 后面不是列表",
        "`in` needs a list of values in parentheses, e.g. `x in (\"A\", \"B\")`",
        "`in` 后面须为括号中的一组值，例如 `x in (\"A\", \"B\")`",
        "write the values in parentheses, separated by commas", "请把各个值写在括号中，用逗号分隔"),
    "expression.in_values": _at(
        "the values after `in` are not plain", "`in` 后面的值不是简单的数或文字",
        "the values after `in` must be plain numbers or text", "`in` 后面的值须为简单的数或文字",
        "write each value as a number or as text in quotes", "请把每个值写成数，或引号中的文字"),
    "expression.enum_value": _at(
        "an expression compares an enum fact with a value it does not declare", "表达式中的枚举值未声明",
        "`{value}` is not one of the values of `{name}` ({values})",
        "`{value}` 不是 `{name}` 的可选值（可选值：{values}）",
        "did you mean `{suggestion}`?", "您是不是要写 `{suggestion}`？"),
    "expression.branch_types": _at(
        "the two branches of `a if c else b` are of two types", "`a if c else b` 两个分支的类型不同",
        "both branches of `a if c else b` must be of one kind, not `{left}` and `{right}`",
        "`a if c else b` 的两个分支须为同一类型，而这里分别是 `{left}` 和 `{right}`",
        "make both branches numbers, or both text, or both dates", "请让两个分支同为数、同为文字或同为日期"),
    "expression.score_argument": _at(
        "`score(…)` without an indicator id in quotes", "`score(…)` 的参数不是引号中的指标编号",
        "`score(…)` takes an indicator's id in quotes", "`score(…)` 的参数须为引号中的指标编号",
        'e.g. score("web")', '例如 `score("web")`'),
    "expression.unknown_indicator": _at(
        "`score(…)` names an indicator close to a declared one", "`score(…)` 中的指标编号不存在（有相近的编号）",
        "no indicator `{indicator}` to read the score of", "没有编号为 `{indicator}` 的指标可读取得分",
        "did you mean `{suggestion}`?", "您是不是要写 `{suggestion}`？"),
    "expression.no_indicator": _at(
        "`score(…)` names an indicator the spec does not have", "`score(…)` 中的指标编号不存在",
        "no indicator `{indicator}` to read the score of", "没有编号为 `{indicator}` 的指标可读取得分",
        "use the `id:` of an indicator in `indicators:`", "请使用 `indicators:` 中某个指标的 `id:`"),
    "expression.score_here": _at(
        "`score(…)` where no score can be read", "在不能读取得分的地方使用了 `score(…)`",
        "`score(…)` can be used only in rules on indicators, the bonus, vetoes and consequences",
        "`score(…)` 只能用于指标上的规则、加分项、一票否决和结果运用",
        "derived values and parameters are worked out before any score", "派生值和参数在计分之前就已算出，不能读取得分"),
    "expression.call": _at(
        "an expression calls something that is not a listed function", "表达式调用了不在列表中的对象",
        "only the listed functions can be called", "只能调用列出的函数",
        "use one of: {functions}", "可用的函数：{functions}"),
    "expression.unknown_function": _at(
        "an expression calls a function close to a listed one", "表达式调用了未知函数（有相近的函数）",
        "unknown function `{function}`", "没有函数 `{function}`",
        "did you mean `{suggestion}`?", "您是不是要写 `{suggestion}`？"),
    "expression.undeclared_function": _at(
        "an expression calls a function that is not listed", "表达式调用了未知函数",
        "unknown function `{function}`", "没有函数 `{function}`",
        "use one of: {functions}", "可用的函数：{functions}"),
    "expression.keywords": _at(
        "a function is given arguments by name", "函数参数按名称传入",
        "`{function}` takes its arguments by position, not by name", "`{function}` 的参数须按位置写出，不能按名称传入",
        "write the arguments in order, e.g. `round_half_up(x, 2)`", "请按顺序写出参数，例如 `round_half_up(x, 2)`"),
    "expression.arity": _at(
        "a function is given the wrong number of arguments", "函数参数个数不符",
        "`{function}` takes {least} to {most} arguments, not {count}",
        "`{function}` 需要 {least} 到 {most} 个参数，这里有 {count} 个",
        "see the functions in docs/spec-reference.md", "函数及其参数见 `docs/spec-reference.md`"),
    "expression.arity_exact": _at(
        "a function is given the wrong number of arguments", "函数参数个数不符",
        "`{function}` takes {least} arguments, not {count}", "`{function}` 需要 {least} 个参数，这里有 {count} 个",
        "see the functions in docs/spec-reference.md", "函数及其参数见 `docs/spec-reference.md`"),
    "expression.arity_at_least": _at(
        "a function is given too few arguments", "函数参数过少",
        "`{function}` takes {least} or more arguments, not {count}",
        "`{function}` 至少需要 {least} 个参数，这里有 {count} 个",
        "see the functions in docs/spec-reference.md", "函数及其参数见 `docs/spec-reference.md`"),
    "expression.date_literal": _at(
        "`date(…)` without a date in quotes", "`date(…)` 的参数不是引号中的日期",
        "`date(…)` takes a date written in quotes as year-month-day",
        "`date(…)` 的参数须为引号中按“年-月-日”写的日期",
        'e.g. date("2021-06-30")', '例如 `date("2021-06-30")`'),
    "expression.starred": _at(
        "a function is given `*` arguments", "函数参数使用了 `*`",
        "`*` arguments are not allowed", "不允许使用 `*` 参数", "write each argument", "请逐个写出参数"),
    "expression.argument_kinds": _at(
        "a function is given arguments of two types", "函数的参数类型不一致",
        "the arguments of `{function}` must be of one kind, not {kinds}",
        "`{function}` 的参数须为同一类型，而这里有 {kinds}",
        "give it two numbers, two texts or two dates", "请给它同为数、同为文字或同为日期的参数"),
}

"""Every sentence a person reads, in Chinese (the default) or English, from the one catalogue.

The texts live in :mod:`assessrules.catalogue`, keyed by stable codes (``facts.missing``,
``spec.grade_gap``, ``xlsx.not_number``, ``cli.wrote``, …). A problem is made by :func:`problem`
from its code and the values its sentence names (ids, file names, cells, expressions, labels); its
English sentence is its ``message`` (what ``str()`` and ``to_dict()`` give), and :func:`render_problem`
says it in either language from the same values. We chose a table over gettext (babel): two
languages, codes that programs already read as stable keys, a table that is type-checked and tested
against ``docs/errors.md`` with no compile step or ``.mo`` files in the wheel.

The language is Chinese unless ``--lang en`` or ``ASSESSRULES_LANG=en`` asks for English.

>>> p = problem("facts.missing", ("facts", "late"), file="units.yaml", line=4, column=7, unit="a",
...             fact="late", fact_label="迟报")
>>> print(render_problem(p, "zh"))
units.yaml:4:7: 单位 a：缺少必填数据项“迟报”（late）（位置 $.facts.late）
    提示：请填写这一数据项
>>> print(render_problem(p, "en"))
units.yaml:4:7: unit a: missing fact `late` (迟报) (at $.facts.late)
    hint: give this fact a value
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .catalogue import CATALOGUE, Message
from .errors import AssessRulesError, Path, Problem

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_VARIABLE = "ASSESSRULES_LANG"

_SEPARATORS = {"zh": ("、", "；", "，", " / ", " | "), "en": (", ", "; ", " / ", " | ")}
_FIELDS = ("unit", "fact", "period", "record", "cell")


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """``en`` when ``ASSESSRULES_LANG`` says so, else ``zh``: the people who read our messages are Chinese.

    >>> default_language({}), default_language({"ASSESSRULES_LANG": "en"}), default_language({"LANG": "en_US"})
    ('zh', 'en', 'zh')
    """
    env = os.environ if environ is None else environ
    chosen = (env.get(LANGUAGE_VARIABLE) or "").strip().lower()
    return "en" if chosen.startswith("en") else DEFAULT_LANGUAGE


def listing(items: Sequence[object], lang: str) -> str:
    """The items as one list, joined by a separator that none of them contains (one per line if all do).

    >>> listing(["乡镇", "县直部门"], "zh"), listing(["乡镇、街道", "部门"], "zh"), listing(["a", "b"], "en")
    ('乡镇、县直部门', '乡镇、街道；部门', 'a, b')
    """
    texts = [_plain(item, lang) for item in items]
    for separator in _SEPARATORS.get(lang, _SEPARATORS["en"]):
        if not any(separator.strip() and separator.strip() in t for t in texts):
            return separator.join(texts)
    return "".join(f"\n      {t}" for t in texts)


def _plain(value: object, lang: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, Decimal | int | Fraction):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return listing(sorted(value, key=str) if isinstance(value, set | frozenset) else list(value), lang)
    return str(value)


class _Formatter(string.Formatter):
    """Fills a catalogue text: lists become one list in the language, other values their plain text."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        return format(_plain(value, self.lang), format_spec) if format_spec else _plain(value, self.lang)


def fill(template: str, lang: str, values: Mapping[str, Any]) -> str:
    """``template`` with its ``{fields}`` filled from ``values`` in ``lang``."""
    return _Formatter(lang).vformat(template, (), values)


def text(code: str, lang: str, **fields: object) -> str:
    """The catalogue's line for ``code`` in ``lang``, with ``fields`` filled in.

    >>> text("cli.problems", "zh", count=3)
    '共 3 个问题；未计分'
    """
    entry = CATALOGUE[code]
    return fill(entry.zh if lang == "zh" else entry.en, lang, fields)


def problem(code: str, path: Path = (), *, file: str | None = None, line: int | None = None, column: int | None = None,
            unit: str | None = None, fact: str | None = None, period: str | None = None, record: int | None = None,
            cell: str | None = None, **values: Any) -> Problem:
    """A :class:`Problem` of ``code``, its English sentence and hint filled from ``values`` (and the fields above).

    ``within=(label_code, name)`` puts the problem in a part of the document (指标「机构职责」: …).
    """
    entry = CATALOGUE[code]
    if entry.text_en is None:
        raise KeyError(f"message code {code!r} has no problem sentence in the catalogue")
    args = {"unit": unit, "fact": fact, "period": period, "record": record, "cell": cell, **values}
    args = {k: v for k, v in args.items() if v is not None}
    message, hint = _say(entry, "en", args)
    return Problem(message, tuple(path), file, line, column, hint, unit, code, fact, period, record, cell,
                   tuple(sorted(args.items())))


def _say(entry: Message, lang: str, args: Mapping[str, Any]) -> tuple[str, str | None]:
    sentence, advice = entry.sentence(lang), entry.advice(lang)
    assert sentence is not None
    message = fill(sentence, lang, args)
    within = args.get("within")
    if within is not None:
        place, name = within
        message = text("cli.within", lang, place=text(place, lang, name=name), message=message)
    return message, (fill(advice, lang, args) if advice else None)


def problem_message(problem: Problem, lang: str) -> tuple[str, str | None]:
    """The problem's message and hint in ``lang``.

    A problem made by :func:`problem` is said from its values; one made otherwise keeps its own words.
    """
    entry = CATALOGUE.get(problem.code or "")
    if entry is not None and entry.text_en is not None and problem.args is not None:
        return _say(entry, lang, dict(problem.args))
    return problem.message, problem.hint


def render_problem(problem: Problem, lang: str = DEFAULT_LANGUAGE) -> str:
    """The problem as the command line prints it, in ``lang`` (``zh`` or ``en``)."""
    message, hint = problem_message(problem, lang)
    where = text("cli.at", lang, path=problem.json_path) if problem.path else ""
    name = dict(problem.args or ()).get("unit_name")  # 单位“牛头店镇”（niutoudian）where the name is known
    who = ("" if not problem.unit else text("label.unit_named", lang, unit=problem.unit, name=name)
           if isinstance(name, str) and name and name != problem.unit else text("cli.unit_hint", lang, unit=problem.unit))
    out = f"{problem.location}: {who}{message}{where}"
    if hint:
        out += f"\n    {text('cli.hint', lang)}{hint}"
    return out


def localized(problem: Problem, lang: str) -> dict[str, object]:
    """The problem as plain data (``problem-1.schema.json``), its message and hint in ``lang``."""
    data = problem.to_dict()
    data["message"], data["hint"] = problem_message(problem, lang)
    return data


_TITLES = {"spec.invalid": "label.title_spec", "facts.invalid": "label.title_facts",
           "evaluation.failed": "label.title_evaluation", "usage.invalid": "label.title_usage"}


def title_of(error: AssessRulesError) -> str:
    """The catalogue line that titles ``error`` (考核数据有误, …), by its kind."""
    return _TITLES.get(error.default_code, "label.title_error")


def error_document(error: AssessRulesError, lang: str) -> dict[str, Any]:
    """The error as plain data (``problem-1.schema.json``), its title and every problem said in ``lang``."""
    data = error.to_dict()
    data["title"] = text(title_of(error), lang)
    data["problems"] = [localized(p, lang) for p in error.problems]
    return data


__all__ = ["CATALOGUE", "DEFAULT_LANGUAGE", "LANGUAGES", "LANGUAGE_VARIABLE", "Message", "default_language",
           "error_document", "fill", "listing", "localized", "problem", "problem_message", "render_problem", "text",
           "title_of"]

"""The one message catalogue: every sentence a person reads, in Chinese and English, keyed by a stable code.

The catalogue is one mapping from code to :class:`Message`; it is kept in one module per area so that
each area's sentences sit together, and translators can take one area at a time: ``general`` (usage, I/O,
evaluation), ``facts`` (a facts file and a unit's facts), ``workbook`` (the data-entry workbook), ``spec``
(a spec's files, schema, limits and ``extends:``), ``rules`` (its sections), ``expressions`` (its expression
language), ``service`` (HTTP answers), ``outputs`` (accounts, tables, bulletins), ``authoring`` (test, diff,
impact, check) and ``cli`` (the command line's own lines and help). :data:`CATALOGUE` joins them, and
refuses a code given twice.

A problem code's entry has

- ``en``/``zh``: what the code means (``docs/errors.md`` lists them);
- ``text_en``/``text_zh``: the whole sentence of one problem, with ``{fields}`` for the values it names
  (ids, file names, cell references, expressions, labels), and ``hint_en``/``hint_zh``: how to fix it.

A line's entry (``cli.*``, ``label.*``) has only ``en``/``zh``: the sentence itself, with its ``{fields}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._message import Message

LINE_AREAS = ("cli", "help", "label", "out", "authoring")
"""The areas whose codes are lines a person reads (a summary, a heading, a help text), not problem codes:
``cli.problems``, ``help.score``, ``label.indicator``, ``out.total``, ``authoring.passed``."""


def is_line(code: str) -> bool:
    """Whether ``code`` is a line (see :data:`LINE_AREAS`) rather than a problem's code."""
    return code.split(".", 1)[0] in LINE_AREAS


def join(*parts: Mapping[str, Message] | Iterable[tuple[str, Message]]) -> dict[str, Message]:
    """The parts as one mapping; a code given twice is a programming error."""
    out: dict[str, Message] = {}
    for part in parts:
        for code, message in (part.items() if isinstance(part, Mapping) else part):
            if code in out:
                raise ValueError(f"message code {code!r} is given twice")
            out[code] = message
    return out


def _load() -> dict[str, Message]:
    from . import authoring, cli, documents, expressions, facts, general, outputs, rules, rules_words, service, spec, workbook

    return join(general.MESSAGES, facts.MESSAGES, workbook.MESSAGES, spec.MESSAGES, rules.MESSAGES,
                expressions.MESSAGES, service.MESSAGES, outputs.MESSAGES, documents.MESSAGES, rules_words.MESSAGES,
                authoring.MESSAGES, cli.MESSAGES)


CATALOGUE: Mapping[str, Message] = _load()
"""Every code with its texts."""

__all__ = ["CATALOGUE", "LINE_AREAS", "Message", "is_line", "join"]

"""A line of the catalogue kept with its values, so that it can be said again in either language.

The rule author's texts (a scenario's differences, a broken invariant and its details, a change of the
rules) are made once, while checking, and read later in the language the reader chose. :class:`Said` is
such a line: a ``str`` whose value is the line in one language (English for what tests and programs
already read, Chinese where the text was Chinese before), and which :meth:`Said.say` says in ``zh`` or
``en`` from the same code and values. A value may itself be a :class:`Said`, a
:class:`~assessrules.errors.Problem` or a list of them: it is said in the same language.
"""

from __future__ import annotations

from typing import Any

from ..errors import Problem
from ..messages import problem_message, text


def _in(value: Any, lang: str) -> Any:
    if isinstance(value, Said):
        return value.say(lang)
    if isinstance(value, Problem):
        return problem_message(value, lang)[0]
    if isinstance(value, list | tuple):
        return [_in(v, lang) for v in value]
    return value


class Said(str):
    """A catalogue line with its values: its ``str`` is the line in ``base`` (English unless told), :meth:`say`
    gives it in any language.

    >>> s = Said("authoring.passed_failed", passed=2, failed=1)
    >>> str(s), s.say("zh")
    ('2 passed, 1 failed', '通过 2 个，未通过 1 个')
    """

    code: str
    values: dict[str, Any]

    def __new__(cls, code: str, base: str = "en", **values: Any) -> Said:
        self = super().__new__(cls, text(code, base, **{k: _in(v, base) for k, v in values.items()}))
        self.code = code
        self.values = values
        return self

    def say(self, lang: str) -> str:
        """The line in ``lang`` (``zh`` or ``en``)."""
        return text(self.code, lang, **{k: _in(v, lang) for k, v in self.values.items()})

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (a worker process) as the plain text it is
        return (str, (str(self),))


def say(line: object, lang: str) -> str:
    """``line`` in ``lang`` when it is a :class:`Said`, else its text as it is."""
    return line.say(lang) if isinstance(line, Said) else str(line)


__all__ = ["Said", "say"]

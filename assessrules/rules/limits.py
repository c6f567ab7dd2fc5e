"""Limits on what a spec or a facts file may hold, and the checks run on data just read.

Every limit is documented in ``docs/security.md``. The reader enforces the ones that must
hold while a document is composed (size, node count, nesting depth, no tags); the rest are
checked on the data once read, by :func:`value_problems`, so that a fast reader can be
swapped in without touching them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from decimal import Decimal, DivisionByZero, DivisionUndefined, InvalidOperation, Overflow
from typing import Any

from ..errors import Path, Problem
from ..messages import problem

MAX_DOCUMENT_BYTES = 32_000_000
"""The largest spec or facts file read (bytes); a larger one is refused before it is parsed."""
MAX_NODES = 4_000_000
"""The most YAML nodes (keys, values, items) composed from one document."""
MAX_VALUES = 4_000_000
"""The most values one document may hold once its aliases (``*a``) are expanded."""
MAX_DEPTH = 64
"""How deep mappings and lists may nest in a document."""
MAX_MAGNITUDE = Decimal(10) ** 12
"""The largest number (in absolute value) a document may hold."""
MAX_PLACES = 12
"""The most decimal places a number in a document may have."""
MAX_COUNT = 10**9
"""The largest count (次数、件数) a unit's facts may hold."""
MAX_TREE_DEPTH = 10
"""How many levels the indicator tree may have below the total."""
MAX_CHILDREN = 500
"""The most children one indicator may have."""
ECHO = 80
"""How many characters of an expression or a value a message quotes."""

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def echo(text: str, limit: int = ECHO) -> str:
    """``text`` as a message quotes it: at most ``limit`` characters, ``…`` where it was cut (in any language)."""
    return text if len(text) <= limit else f"{text[:limit]}…"


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""The characters :func:`bad_character` names: controls other than tab and line breaks, direction overrides
and lone surrogates."""


def bad_character(text: str) -> str | None:
    """The first control, bidirectional-override or lone-surrogate character in ``text`` as ``U+XXXX``; None if none.

    The same judgement as :func:`character_trouble` (tab and line breaks are allowed in text), for a sentence
    that names the character itself.
    """
    trouble = character_trouble(text)
    return None if trouble is None else str(trouble[1]["character"])


Trouble = tuple[str, dict[str, Any]]
"""What is wrong, as a catalogue code and the values its sentence names (see :mod:`assessrules.messages`)."""


def number_trouble(value: Decimal | int) -> Trouble | None:
    """What is wrong with a number read from a document (not finite, too large, too precise); None if fine.

    >>> number_trouble(Decimal("1e13"))
    ('document.number_too_large', {'limit': '1,000,000,000,000'})
    """
    if isinstance(value, int):
        return None if -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE else _TOO_LARGE
    if not value.is_finite():
        return "document.not_finite", {"value": str(value)}
    if abs(value) > MAX_MAGNITUDE:
        return _TOO_LARGE
    exponent = value.normalize().as_tuple().exponent
    if value and isinstance(exponent, int) and exponent < -MAX_PLACES:
        return "document.number_too_precise", {"places": MAX_PLACES}
    return None


_TOO_LARGE: Trouble = ("document.number_too_large", {"limit": f"{MAX_MAGNITUDE:,.0f}"})


ARITHMETIC_KINDS = ("division_by_zero", "too_large", "invalid", "other")
"""What :func:`arithmetic_kind` may say: a caller picks its own catalogue code for each."""


def arithmetic_kind(exc: BaseException) -> str:
    """Which arithmetic failure ``exc`` was, one of :data:`ARITHMETIC_KINDS`.

    >>> arithmetic_kind(ZeroDivisionError()), arithmetic_kind(OverflowError())
    ('division_by_zero', 'too_large')
    """
    if isinstance(exc, ZeroDivisionError | DivisionByZero | DivisionUndefined):
        return "division_by_zero"
    if isinstance(exc, Overflow | OverflowError):
        return "too_large"
    if isinstance(exc, InvalidOperation):
        return "invalid"
    return "other"


def character_trouble(text: str, is_key: bool = False) -> Trouble | None:
    """What is wrong with a text (or a key) read from a document: a control character, half a surrogate pair."""
    for ch in text:
        if ch in _ALLOWED_CONTROLS:
            if is_key:  # a key holds no tab or line break: ``x\n`` would pass for the name ``x`` in some checks
                return "document.control_in_key", {"character": f"U+{ord(ch):04X}"}
            continue
        category = unicodedata.category(ch)
        if category == "Cs":
            return "document.surrogate", {"character": f"U+{ord(ch):04X}"}
        if ch in _BIDI or category == "Cc":
            return ("document.control_in_key" if is_key else "document.control_in_text"), {"character": f"U+{ord(ch):04X}"}
    return None


def _walk(data: Any, path: Path) -> Iterator[tuple[Path, Any, bool]]:
    """Every (path, value, is_key) in ``data``, keys included, depth first."""
    stack: list[tuple[Path, Any]] = [(path, data)]
    while stack:
        where, value = stack.pop()
        yield where, value, False
        if isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                yield where + (key,), key, True
                stack.append((where + (key,), item))
        elif isinstance(value, list):
            stack.extend((where + (i,), item) for i, item in reversed(list(enumerate(value))))


_SUSPECT = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"  # controls, tabs
                      r"|\\[0abtnvfreuxUNLP_]"  # escapes that make them in quoted text
                      r"|[0-9]{13}|[0-9][eE][-+]?[0-9]|\.(?:inf|Inf|INF|nan|NaN|NAN)\b"  # numbers too large or too precise
                      r"|\?\s")  # an explicit key, which may hold a line break
"""What in a document's text could make :func:`value_problems` find something (a quick scan in C).

Numbers are looked for as JSON and YAML write them, in ASCII digits (``[0-9]``: ``\\d`` would also take
every other script's digits, and the scan is twice as slow with it). YAML also reads ``1_000_000`` and
``1:30:00`` (base 60) as numbers, which no pattern here finds: a YAML reader checks the numbers it makes
itself (``numbers_checked`` of :func:`value_problems`)."""

_TEXT_SUSPECTS = (
    re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"),
    re.compile(r"\\[0abtnvfreuxUNLP_]"),
    re.compile(r"\?\s"),
)
_SUSPECTS = (
    *_TEXT_SUSPECTS,
    re.compile(r"\.(?:inf|Inf|INF|nan|NaN|NAN)\b"),
)
"""The alternatives of ``_SUSPECT`` searched one by one: each starts with a literal or a class that the
regular-expression engine skips to quickly, which one alternation of them all does not (about 2× faster).
``_TEXT_SUSPECTS`` are those about text alone, for a document whose numbers its reader has checked."""

_DIGITS = bytes.maketrans(b"0123456789E-", b"0000000000e+")
"""Every ASCII digit as ``0``, ``E`` as ``e`` and ``-`` as ``+``: the number alternatives of ``_SUSPECT``
become three plain substrings of the text's UTF-8 so translated (a regular expression would try a match
at every digit: three times slower on a province's 25 MB of JSON, where digits are a quarter of the text)."""


def _number_suspect(text: str) -> bool:
    """True when ``[0-9]{13}|[0-9][eE][-+]?[0-9]`` occurs in ``text``."""
    digits = text.encode("utf-8", "surrogatepass").translate(_DIGITS)  # other bytes stay: none is 0, e or +
    return b"0000000000000" in digits or b"0e0" in digits or b"0e+0" in digits


def _suspect(text: str, numbers: bool = True) -> bool:
    """True when ``_SUSPECT`` occurs in ``text``; with ``numbers`` False, only its alternatives about text."""
    if not numbers:
        return any(pattern.search(text) is not None for pattern in _TEXT_SUSPECTS)
    return any(pattern.search(text) is not None for pattern in _SUSPECTS) or _number_suspect(text)


def value_problems(data: Any, file: str, positions: Mapping[Path, tuple[int, int]],
                   key_positions: Mapping[Path, tuple[int, int]], text: str | None = None, *,
                   numbers_checked: bool = False) -> list[Problem]:
    """Control characters in any text or key, and numbers that are not finite, too large or too precise.

    With the document's ``text``, a quick scan of it first skips the walk when nothing in it could fail.
    ``numbers_checked`` says that the reader passed every number it made through :func:`number_trouble`
    and none failed, so the scan looks for suspect text only (a reader that found a number failing
    gives no ``text``, and the walk finds and locates it).
    """
    if text is not None and not _suspect(text, numbers=not numbers_checked):
        return []
    problems: list[Problem] = []
    for path, value, is_key in _walk(data, ()):
        trouble = None
        if isinstance(value, str):
            trouble = character_trouble(value, is_key)
        elif isinstance(value, Decimal | int) and not isinstance(value, bool) and not is_key:
            trouble = number_trouble(value)
        if trouble is not None:
            where = (key_positions.get(path) if is_key else None) or positions.get(path)
            line, column = where if where else (None, None)
            problems.append(problem(trouble[0], path, file=file, line=line, column=column, **trouble[1]))
            if len(problems) >= 50:
                break
    return problems


__all__ = [
    "ARITHMETIC_KINDS",
    "ECHO",
    "MAX_CHILDREN",
    "MAX_COUNT",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_MAGNITUDE",
    "MAX_NODES",
    "MAX_PLACES",
    "MAX_TREE_DEPTH",
    "MAX_VALUES",
    "Trouble",
    "arithmetic_kind",
    "bad_character",
    "character_trouble",
    "echo",
    "number_trouble",
    "value_problems",
]

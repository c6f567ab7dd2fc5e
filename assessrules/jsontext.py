"""JSON text written by orjson, byte for byte what the standard library's :mod:`json` writes.

Results, receipts and reports are JSON. :mod:`json`'s C encoder is quick with plain data but calls
back into Python for every ``Decimal`` and date, and its indented form is written in pure Python
(about 0.5 ms for one 2021 result). orjson writes the same text in C. Everything here gives the
exact text of the :mod:`json` call it names, for *plain data*: ``str`` keys, and values that are
``str``, ``int``, ``bool``, ``None``, lists, tuples and dicts of them. Floats are not plain data
here (orjson writes ``1e-07`` as ``1e-7``); results and checked facts never hold one (a float read
in becomes a ``Decimal`` through its shortest text).

Anything orjson will not write the same way (a key that is not text, an integer beyond 64 bits, a
lone surrogate, a subclass, a date where none is expected) makes it raise, and the :mod:`json`
encoder then writes it, or raises its own error, as it always did.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

# what orjson would write its own way goes to ``default`` (or raises): subclasses, dates, dataclasses
_STRICT = orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_INDENTED = _STRICT | orjson.OPT_INDENT_2
_SORTED = _STRICT | orjson.OPT_SORT_KEYS

_COMPACT_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def compact(data: Any) -> bytes:
    """``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` as UTF-8: one result a line."""
    try:
        return orjson.dumps(data, option=_STRICT)
    except TypeError:
        return _COMPACT_ENCODER.encode(data).encode("utf-8")


def indented(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``: a whole document for people to read."""
    try:
        return orjson.dumps(data, option=_INDENTED).decode("utf-8")
    except TypeError:
        return json.dumps(data, ensure_ascii=False, indent=2)


def sorted_compact(data: Any, default: Callable[[Any], Any], fallback: json.JSONEncoder) -> bytes:
    """``fallback.encode(data)`` as UTF-8, where ``fallback`` sorts keys, writes no spaces and keeps text as it
    is (``ensure_ascii=False``), and ``default`` gives what ``fallback``'s own default gives for the values
    it is called with (it raises ``TypeError`` for any other, and ``fallback`` then writes the whole)."""
    try:
        return orjson.dumps(data, default=default, option=_SORTED)
    except TypeError:
        return fallback.encode(data).encode("utf-8")


__all__ = ["compact", "indented", "sorted_compact"]

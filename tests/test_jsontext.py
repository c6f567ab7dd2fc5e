"""assessrules.jsontext writes, through orjson, the very text of the json calls it names.

Results, reports and receipts are compared byte for byte with earlier versions (tests/golden), so
the writer must agree with :mod:`json` on every string (escapes, control characters, non-BMP, line
and paragraph separators), on key order when sorting, and on layout when indenting; and whatever
orjson would write otherwise must reach :mod:`json` instead.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessrules.jsontext import compact, indented, sorted_compact

TEXT = st.text(st.one_of(st.sampled_from('"\\/\n\r\t\b\f\x00\x1f\x7f\x80\u2028\u2029\ufeff😀𠀀政务公开'),
                         st.characters(codec="utf-8")), max_size=10)
"""Text a JSON writer can get wrong; no lone surrogates (neither writer can put one in UTF-8)."""

PLAIN = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**64 - 1), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner),
                            st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=20)
"""Plain data: what results and reports are made of."""

SORTED = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), check_circular=False,
                          default=lambda v: str(v) if isinstance(v, Decimal) else v.isoformat())


@settings(max_examples=300)
@given(PLAIN)
def test_compact_is_json_without_spaces(data: Any) -> None:
    assert compact(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@settings(max_examples=300)
@given(PLAIN)
def test_indented_is_json_indented_by_two(data: Any) -> None:
    assert indented(data) == json.dumps(data, ensure_ascii=False, indent=2)


@settings(max_examples=300)
@given(st.recursive(PLAIN | st.decimals(allow_nan=False, allow_infinity=False, places=2) | st.dates(),
                    lambda inner: st.dictionaries(TEXT, inner, max_size=4), max_leaves=20))
def test_sorted_compact_is_the_sorted_encoder_with_its_default(data: Any) -> None:
    """Keys in code-point order (orjson sorts UTF-8 bytes: the same order), Decimals and dates by ``default``."""
    def default(value: Any) -> str:
        if type(value) is Decimal:
            return str(value)
        if type(value) is dt.date:
            return value.isoformat()
        raise TypeError(type(value).__name__)

    assert sorted_compact(data, default, SORTED) == SORTED.encode(data).encode("utf-8")


@pytest.mark.parametrize("data", [
    {1: "a key that is not text"}, {"big": 2**70}, {"negative": -2**64}, [True, {"x": (1, 2)}],
])
def test_what_orjson_writes_otherwise_goes_to_json(data: Any) -> None:
    assert compact(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert indented(data) == json.dumps(data, ensure_ascii=False, indent=2)


class _Text(str):
    """A str subclass: orjson hands it to the fallback rather than writing it itself."""


def test_subclasses_and_dates_are_not_written_by_orjson_its_own_way() -> None:
    """A date is not plain data: json refuses it, and so does compact (orjson would have written it)."""
    with pytest.raises(TypeError):
        compact({"when": dt.date(2021, 1, 1)})
    assert compact({"k": _Text("值")}) == '{"k":"值"}'.encode()
    assert sorted_compact({"b": _Text("x"), "a": 1}, str, SORTED) == b'{"a":1,"b":"x"}'

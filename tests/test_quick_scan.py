"""The quick scan of a document's text before its values are walked (assessrules.rules.limits)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assessrules.rules.limits import _SUSPECT, _suspect

_PIECES = st.sampled_from(["1", "9", "0", "e", "E", "-", "+", ".", "inf", "NaN", "?", " ", "\n", "\t", "\\", "n",
                           "x", "a", "\u202e", "\x7f", "٣", "「", '"', ":", "1234567890123"])


@given(st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=60))
def test_split_scan_finds_what_the_single_pattern_finds(text: str) -> None:
    """The alternatives searched one by one flag a text exactly when the one pattern of them all matches in it."""
    assert _suspect(text) == (_SUSPECT.search(text) is not None)


def test_split_scan_flags_each_kind_of_suspect_text() -> None:
    """Control characters, escapes, 13-digit runs, exponents, infinities and explicit keys are each flagged."""
    for text in ("a\x1bb", "say \\n", "1234567890123", "1e5", "2E-3", "x: .inf", "? key", "a\u202eb"):
        assert _suspect(text), text
    assert not _suspect('{"id": "u1", "score": 12.5, "month": "2021-01"}')

"""The fast YAML reader (libyaml's events) gives exactly what the located reader gives, and checks numbers YAML hides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assessrules.rules import reading
from assessrules.rules.document import DocumentError, _CheckedScalars, _CLoader, dump_yaml, load_document, load_located

from .helpers import typed

needs_libyaml = pytest.mark.skipif(not reading.LIBYAML, reason="PyYAML was built without libyaml")


def outcome(read: Any, text: str) -> Any:
    """The typed data read from ``text``, or the problems it was refused with."""
    try:
        return typed(read(text, "t.yaml").data)
    except DocumentError as exc:
        return [str(p) for p in exc.problems]


_SCALARS = (st.integers(-10**6, 10**6) | st.booleans() | st.none()
            | st.decimals(-1000, 1000, places=3, allow_nan=False, allow_infinity=False)
            | st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
            | st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=8)
            | st.sampled_from(["yes", "no", "~", "null", "1e5", "0x1F", "1_000", "1:30", ".inf", "-", "a: b", "#x"]))
_KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=6) | st.integers(0, 99)
_DATA = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
                     max_leaves=20)


class _FlowDumper(yaml.SafeDumper):
    """Leaf collections in flow style, as people write months."""


_FlowDumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f")))


@needs_libyaml
@settings(max_examples=300, deadline=None)
@given(_DATA, st.booleans())
def test_the_event_reader_reads_what_the_node_tree_reads(data: Any, flow: bool) -> None:
    """Any data written as block or flow YAML reads the same (to the type) the fast way and through the node tree."""
    text = (yaml.dump(data, Dumper=_FlowDumper, allow_unicode=True, default_flow_style=None, width=60) if flow
            else dump_yaml(data))
    assert outcome(load_document, text) == outcome(load_located, text)


@needs_libyaml
@pytest.mark.parametrize("text", [
    "", "5\n", "'x'\n", "[]\n", "{}\n", "a: {}\nb: []\nc: [[], [{}], {d: []}]\n", "- - - 1\n    - 2\n  - 3\n- 4\n",
    "a: &x 1\nb: &y [2]\n", "a: ! 'x'\nb: ! 5\n", "1: a\n2: b\n", "a: 1\nb: {c: 2, d: [3, {e: 4}]}\nf: 5\n",
])
def test_shapes_read_the_same_both_ways(text: str) -> None:
    """Nesting, empty collections, unused anchors, the `!` tag and number keys read alike by both readers."""
    assert outcome(load_document, text) == outcome(load_located, text)
    assert reading.events_data(_CLoader(text), _CheckedScalars(), 1000, 64) is not None or not text.strip("\n")


@needs_libyaml
@pytest.mark.parametrize("text", [
    "a: &x 1\nb: &x 2\n", "a: &x 1\nb: *x\n", "? [a]\n: 1\n", "a: !!str 5\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n",
    "[a, {b: 1, b: 2}]\n", "{[a]: 1}\n", "{yes: 1}\n", "a: !x 1\n",
])
def test_what_the_event_reader_gives_up_on_is_read_or_refused_by_the_node_tree(text: str) -> None:
    """Repeated anchors, aliases, complex keys, tags, several documents and duplicate keys: the node tree decides."""
    with pytest.raises(reading.GiveUpError):
        reading.events_data(_CLoader(text), _CheckedScalars(), 1000, 64)
    assert outcome(load_document, text) == outcome(load_located, text)


@pytest.mark.parametrize("parser", ["libyaml", "pure"])
@pytest.mark.parametrize(("text", "message"), [
    ("a: x\nb: 1_000_000_000_000_000\n", "this number is too large"),
    ("a: x\nb: 1:0:0:0:0:0:0:0:0\n", "this number is too large"),
    ("a: x\nb: 0.000_000_000_000_1\n", "this number is too small or too precise"),
])
def test_numbers_written_with_underscores_or_in_base_60_are_held_to_the_limits(
        text: str, message: str, parser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """YAML reads `1_000…` and `1:0:0…` as numbers the text scan cannot see; the readers check them as they make them."""
    if parser == "libyaml" and not reading.LIBYAML:
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(reading, "LIBYAML", parser == "libyaml")
    for read in (load_document, load_located):
        with pytest.raises(DocumentError) as caught:
            read(text, "t.yaml")
        [problem] = caught.value.problems
        assert (problem.message.split(":")[0], problem.path, problem.line, problem.column) == (message, ("b",), 2, 4)


def test_a_large_number_as_a_key_is_no_problem() -> None:
    """Keys are names, not amounts: a 13-digit key is read, as before."""
    assert load_document("10000000000000: x\n", "t.yaml").data == {10000000000000: "x"}


@pytest.mark.parametrize("ends", ["\n", "\r\n", "\r"])
def test_a_file_reads_with_its_line_ends_made_newlines(ends: str, tmp_path: Path) -> None:
    """CRLF and CR files read as the same text, data and positions as LF ones (as `read_text` would give them)."""
    from assessrules.rules.document import read_document

    body = ["units:", "  - id: a", "    name: \"x\"", "    note: |", "      two", "      lines", ""]
    path = tmp_path / "facts.yaml"
    path.write_bytes(ends.join(body).encode("utf-8"))
    document = read_document(path)
    assert document.text == path.read_text(encoding="utf-8") == "\n".join(body)
    assert document.data == {"units": [{"id": "a", "name": "x", "note": "two\nlines\n"}]}
    assert document.positions[("units", 0, "note")] == (4, 11)


def test_text_that_is_not_utf8_is_refused_at_its_byte(tmp_path: Path) -> None:
    """The byte offset of undecodable text is the file's, as before."""
    from assessrules.rules.document import read_document

    path = tmp_path / "facts.yaml"
    path.write_bytes(b"units:\n  - id: a\r\n    name: \xff\n")
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert "invalid start byte at byte 28" in str(caught.value)


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_collector_as_it_found_it(enabled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Held while reading, the collector is on or off afterwards as before; what a caller froze stays frozen."""
    import gc

    monkeypatch.setattr(reading, "PROMOTE_AT", 0)  # promote even a small document
    thresholds = gc.get_threshold()
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert load_document("a: [1, {b: 2}]\n", "t.yaml").data == {"a": [1, {"b": 2}]}
        assert gc.isenabled() is enabled and gc.get_threshold() == thresholds and gc.get_freeze_count() == 0
        kept: list[list[int]] = [[]]
        gc.freeze()
        frozen = gc.get_freeze_count()
        load_document('{"a": [1]}', "t.json")
        assert gc.get_freeze_count() == frozen and kept
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()

"""Fuzzing: the bundled spec and the example facts, mutated at random, never crash, hang or leave output.

Each example mutates one input (byte flips, a key deleted, a value's type swapped, a key
duplicated, random Unicode inserted), runs the command line on it with ``-o``, and asserts
that it ends with exit 0, 1 or 2 (any other exception fails the test with its traceback),
within a time bound, and that a failed run leaves no output file and no temporary file.
The example count is bounded here, whatever the hypothesis profile, so CI stays quick.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessrules.cli import run

from .hostile_corpus import EXAMPLE, SPEC_TEXT, _plain

EXAMPLES = 25
"""Examples per fuzz test: enough to cover every mutation, bounded for CI."""
SECONDS = 20.0
"""The most one case may take (reading a 500-line spec in pure Python takes well under one second)."""

FACTS_DATA: dict[str, Any] = _plain(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
FACTS_DATA["units"] = FACTS_DATA["units"][:2]
SPEC_DATA: dict[str, Any] = _plain(yaml.safe_load(SPEC_TEXT))
SWAPS: list[Any] = [None, True, False, 0, -1, 10**30, 1.5, 1e300, "", "x", "2021-02-30", "\x00", "\x1b[2J",
                    "=HYPERLINK(1)", [], {}, [1, [2]], {"a": {"b": None}}]


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_paths(value, path + (key,)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_paths(value, path + (i,)))
    return out


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


@st.composite
def mutated(draw: st.DrawFn, text: str, data: dict[str, Any]) -> bytes:
    """One mutation of ``text`` (whose parsed form is ``data``), as the bytes of a file."""
    how = draw(st.sampled_from(["flip", "delete", "swap", "duplicate", "unicode"]))
    if how == "flip":
        raw = bytearray(text.encode("utf-8"))
        for _ in range(draw(st.integers(1, 8))):
            raw[draw(st.integers(0, len(raw) - 1))] ^= draw(st.integers(1, 255))
        return bytes(raw)
    if how == "unicode":
        at = draw(st.integers(0, len(text)))
        return (text[:at] + draw(st.text(min_size=1, max_size=20)) + text[at:]).encode("utf-8", "surrogatepass")
    if how == "duplicate":
        lines = text.splitlines(keepends=True)
        keyed = [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith(("#", "-"))]
        i = draw(st.sampled_from(keyed))
        return "".join(lines[: i + 1] + [lines[i]] + lines[i + 1:]).encode("utf-8")
    changed = json.loads(json.dumps(data))
    path = draw(st.sampled_from(_paths(changed)))
    holder = _at(changed, path[:-1])
    if how == "delete":
        del holder[path[-1]]
    else:
        holder[path[-1]] = draw(st.sampled_from(SWAPS))
    return json.dumps(changed, ensure_ascii=False).encode("utf-8")


def _run_bounded(argv: list[str]) -> tuple[int, float]:
    started = time.monotonic()
    code = run(argv, io.StringIO(), io.StringIO())
    return code, time.monotonic() - started


def _check(tmp: Path, name: str, content: bytes, argv: Callable[[Path, Path], list[str]]) -> None:
    folder = tmp / str(time.monotonic_ns())
    folder.mkdir()
    source, out = folder / name, folder / "out.txt"
    source.write_bytes(content)
    code, seconds = _run_bounded(argv(source, out))
    assert code in (0, 1, 2)
    assert seconds < SECONDS
    if code != 0:
        assert sorted(p.name for p in folder.iterdir()) == [name]


@pytest.mark.fuzz
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=mutated(SPEC_TEXT, SPEC_DATA))
def test_a_mutated_spec_is_shown_or_refused_cleanly(content: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    """`show -o` on a mutated bundled spec exits 0, 1 or 2 in bounded time, writing nothing when it fails."""
    _check(tmp_path_factory.mktemp("spec"), "spec.yaml", content, lambda src, out: ["show", str(src), "-o", str(out)])


@pytest.mark.fuzz
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=mutated(EXAMPLE.read_text(encoding="utf-8"), FACTS_DATA))
def test_mutated_facts_are_scored_or_refused_cleanly(content: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    """`score -o` on mutated example facts exits 0, 1 or 2 in bounded time, writing nothing when it fails."""
    _check(tmp_path_factory.mktemp("facts"), "facts.yaml", content,
           lambda src, out: ["score", str(src), "--spec", "2021", "-o", str(out)])

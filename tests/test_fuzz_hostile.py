"""Fuzzing: the bundled spec and the example facts, mutated at random, never crash, hang or leave output.

Each example mutates one input (byte flips, a key deleted, a value's type swapped, a key
duplicated, random Unicode inserted; for the example workbook, cells given other values and
types, sheets renamed, hidden or dropped, rows hidden, cells merged), runs the command line on it
with ``-o``, and asserts
that it ends with exit 0, 1 or 2 (any other exception fails the test with its traceback),
within a time bound, and that a failed run leaves no output file and no temporary file.
The example count is bounded here, whatever the hypothesis profile, so CI stays quick.
"""

from __future__ import annotations

import datetime as dt
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
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from assessrules.cli import run

from .hostile_corpus import EXAMPLE, SPEC_TEXT, _plain
from .hostile_workbooks import load_example

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


CELL_VALUES: list[Any] = [None, True, False, 0, -1, 7, 10**30, 1.5, 1e300, 1e-300, "", " ", "x", "是", "否", "95%",
                          "150%", "1e400", "NaN", "2021-02-30", "2021-13", "2021/3/2", "\x9b31m", "a\u202eb", "\x7f",
                          "=HYPERLINK(\"http://x\")", "=1/0", "@SUM(1)", "-x", "chengguan", "单位编号",
                          dt.datetime(1900, 1, 1), dt.datetime(9999, 12, 31), dt.datetime(2021, 3, 2, 10, 30),
                          dt.date(2021, 2, 5), dt.time(9, 30)]


@st.composite
def mutated_workbook(draw: st.DrawFn) -> bytes:
    """The example workbook with one to four changes: cell values and types, or a sheet's layout."""
    wb = load_example()
    for _ in range(draw(st.integers(1, 4))):
        ws = wb[draw(st.sampled_from(wb.sheetnames))]
        how = draw(st.sampled_from(["cell", "cell", "cell", "error", "rename", "hide_sheet", "hide_row", "merge",
                                    "drop_row", "drop_column"]))
        row, column = draw(st.integers(1, ws.max_row + 1)), draw(st.integers(1, ws.max_column + 1))
        if how in ("cell", "error") and isinstance(ws.cell(row, column), MergedCell):
            continue  # inside a merged range only its first cell holds a value (the guide's title is merged)
        if how == "cell":
            ws.cell(row, column).value = draw(st.sampled_from(CELL_VALUES))
        elif how == "error":
            cell = ws.cell(row, column)
            cell.value = draw(st.sampled_from(["#DIV/0!", "#REF!", "#N/A"]))
            cell.data_type = "e"
        elif how == "rename" and len(ws.title) > 1:
            ws.title = ws.title[:-1] + draw(st.sampled_from(["\u202e", " ", "2", "\x9b"]))
        elif how == "hide_sheet" and len(wb.sheetnames) > 1:
            ws.sheet_state = "hidden"
        elif how == "hide_row":
            ws.row_dimensions[row].hidden = True
        elif how == "merge":
            ws.merge_cells(f"A{row}:{get_column_letter(column + 1)}{row}")
        elif how == "drop_row":
            ws.delete_rows(row)
        elif how == "drop_column":
            ws.delete_cols(column)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.fuzz
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=mutated_workbook())
def test_a_mutated_workbook_is_converted_or_refused_cleanly(content: bytes,
                                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    """`convert -o` on a mutated example workbook exits 0, 1 or 2 in bounded time, writing nothing when it fails."""
    folder = tmp_path_factory.mktemp("book")
    book, out = folder / "book.xlsx", folder / "out.yaml"
    book.write_bytes(content)
    code, seconds = _run_bounded(["convert", str(book), "-o", str(out)])
    assert code in (0, 1, 2)
    assert seconds < SECONDS
    if code != 0:
        assert sorted(p.name for p in folder.iterdir()) == ["book.xlsx"]
    else:  # what was accepted converts to a facts file that reads and scores as well
        err = io.StringIO()
        code = run(["score", str(out), "--spec", "2021", "-o", str(folder / "scores.json")], io.StringIO(), err)
        assert code == 0, err.getvalue()

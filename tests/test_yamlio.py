"""Reading YAML: positions for every value, duplicate keys rejected, numbers as exact Decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessrules.rules.document import DocumentError, load_document


def test_every_value_knows_its_line_and_column() -> None:
    """Positions are 1-based, for mapping values and list items alike."""
    doc = load_document("a:\n  b: 1\n  c:\n    - x\n    - y\n", "t.yaml")
    assert doc.positions[("a", "b")] == (2, 6)
    assert doc.positions[("a", "c", 1)] == (5, 7)
    assert doc.key_positions[("a", "c")] == (3, 3)
    assert doc.locate(("a", "c", 9)) == (4, 5)


def test_numbers_with_a_fraction_are_decimals_from_their_text() -> None:
    """0.1 stays 0.1; 2.50 keeps its text; JSON-style exponents are numbers too."""
    doc = load_document("a: 0.1\nb: 2.50\nc: 1e-2\nd: 7\n", "t.yaml")
    assert doc.data == {"a": Decimal("0.1"), "b": Decimal("2.50"), "c": Decimal("0.01"), "d": 7}
    assert isinstance(doc.data["a"], Decimal)


def test_duplicate_keys_are_errors_with_both_lines() -> None:
    """The second key is located, and the message names the first."""
    with pytest.raises(DocumentError) as caught:
        load_document("a: 1\nb: 2\na: 3\n", "t.yaml")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (3, 1)
    assert "duplicate key `a` (first given on line 1)" in problem.message


def test_json_files_read_the_same_way() -> None:
    """JSON is read by the same loader, with positions."""
    doc = load_document('{"units": [{"id": "a", "target": 2.5}]}', "t.json")
    assert doc.data["units"][0]["target"] == Decimal("2.5")
    assert doc.positions[("units", 0, "target")] == (1, 34)


def test_aliases_that_expand_without_end_are_refused() -> None:
    """A "billion laughs" document is an error at its line, not a machine out of memory."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(DocumentError, match="expands to more than"):
        load_document("\n".join(lines) + "\n", "laughs.yaml")

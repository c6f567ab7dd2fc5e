"""Reading at C speed: libyaml and json give the same data, positions and located errors as the pure reader."""

from __future__ import annotations

import io
import json
import pickle
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from assessrules.cli import run
from assessrules.rules import reading
from assessrules.rules.document import Document, DocumentError, load_document, load_located, read_document
from assessrules.rules.limits import MAX_VALUES

from .helpers import typed

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "specs" / "2021.yaml"
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"

needs_libyaml = pytest.mark.skipif(not reading.LIBYAML, reason="PyYAML was built without libyaml")


@pytest.fixture(params=["libyaml", "pure"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test once through libyaml and once through the pure-Python fallback."""
    if request.param == "libyaml" and not reading.LIBYAML:
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(reading, "LIBYAML", request.param == "libyaml")
    yield request.param


def example_as_json() -> str:
    """The example facts file written as JSON (dates as text, numbers as they were written)."""
    data = read_document(EXAMPLE).data

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value)  # short decimals print back as the same text
        return value.isoformat() if hasattr(value, "isoformat") else value

    return json.dumps(data, ensure_ascii=False, indent=2, default=plain)


def read_all_ways(text: str, name: str, monkeypatch: pytest.MonkeyPatch) -> list[Document]:
    """The document read the fast way, through libyaml's node tree, and by the pure-Python reader."""
    fast = load_document(text, name)
    located = load_located(text, name)
    monkeypatch.setattr(reading, "LIBYAML", False)
    pure = load_document(text, name)
    pure = Document(pure.data, pure.file, dict(pure.positions), pure.text, dict(pure.key_positions))  # found now
    monkeypatch.undo()
    return [fast, located, pure]


@needs_libyaml
@pytest.mark.parametrize("name", ["spec", "example", "json"])
def test_the_c_and_the_pure_reader_give_the_same_data_and_positions(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled spec, the example facts and a JSON facts file read the same every way, to the type and column."""
    text = {"spec": SPEC.read_text(encoding="utf-8"), "example": EXAMPLE.read_text(encoding="utf-8"),
            "json": example_as_json()}[name]
    file = "facts.json" if name == "json" else f"{name}.yaml"
    fast, located, pure = read_all_ways(text, file, monkeypatch)
    assert typed(located.data) == typed(fast.data)
    assert typed(pure.data) == typed(fast.data)
    assert dict(located.positions) == dict(fast.positions)
    assert dict(pure.positions) == dict(fast.positions)
    assert dict(pure.key_positions) == dict(fast.key_positions)
    assert len(fast.positions) > 100


def test_json_numbers_are_exact_decimals_and_keys_keep_their_order(parser: str) -> None:
    """JSON read by the json module keeps 0.1, 2.50 and 1E5 as the decimals they are written as."""
    doc = load_document('{"b": 0.1, "a": [2.50, 1E5, 7, -0], "c": "2021-01-05", "d": null, "e": true}', "t.json")
    assert typed(doc.data) == typed({"b": Decimal("0.1"), "a": [Decimal("2.50"), Decimal("1E5"), 7, 0],
                                     "c": "2021-01-05", "d": None, "e": True})
    assert list(doc.data) == ["b", "a", "c", "d", "e"]
    assert doc.positions[("a", 1)] == (1, 24)


def test_a_duplicate_key_in_json_is_located_like_in_yaml(parser: str) -> None:
    """The json module would keep the last key; the reader names both lines instead."""
    with pytest.raises(DocumentError) as caught:
        load_document('{\n  "units": [],\n  "spec": "2021",\n  "units": []\n}\n', "t.json")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (4, 3)
    assert "duplicate key `units` (first given on line 2)" in problem.message


def test_duplicate_keys_give_the_same_message_through_either_parser(parser: str) -> None:
    """The second key is located and the first named, whichever parser read the text."""
    with pytest.raises(DocumentError) as caught:
        load_document("a:\n  b: 1\n  c: 2\n  b: 3\n", "t.yaml")
    assert [(p.line, p.column, p.message) for p in caught.value.problems] == [
        (4, 3, "duplicate key `b` (first given on line 2)")]


def test_a_syntax_error_keeps_its_words_and_place_through_libyaml(parser: str) -> None:
    """libyaml says the same thing as the pure parser did: "mapping values are not allowed here" at 2:6."""
    with pytest.raises(DocumentError) as caught:
        load_document("key: value\n  bad: 1\n", "t.yaml")
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (2, 6)
    assert problem.message == "this is not valid YAML: mapping values are not allowed here"


LAUGHS = "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x, x]",
                    *(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9))]) + "\n"


def test_a_billion_laughs_fails_before_memory_grows(parser: str) -> None:
    """The expansion is counted on the shared node tree, so 500 bytes that would make 10⁹ values use little memory."""
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError) as caught:
            load_document(LAUGHS, "laughs.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    problem = caught.value.problems[0]
    assert problem.message == f"the document expands to more than {MAX_VALUES:,} values"
    assert (problem.path, problem.line) == (("a6", 2), 6)  # the third use of *a5 passes the limit
    assert peak < 2_000_000, f"peak {peak:,} bytes"


def test_an_alias_inside_its_own_anchor_is_a_located_problem(parser: str) -> None:
    """`&x [1, *x]` would never end; it is reported at the value, not as a crash."""
    with pytest.raises(DocumentError) as caught:
        load_document("a: 1\nb: &x [1, *x]\n", "t.yaml")
    problem = caught.value.problems[0]
    assert (problem.message, problem.path, problem.line, problem.column) == (
        "an alias (*) repeats the value it sits in", ("b", 1), 2, 4)


def test_aliases_that_stay_within_bounds_are_copies(parser: str) -> None:
    """An alias gives its own copy of the value, located where the anchor is."""
    doc = load_document("a: &x {p: 1}\nb: *x\n", "t.yaml")
    assert doc.data == {"a": {"p": 1}, "b": {"p": 1}}
    assert doc.data["a"] is not doc.data["b"]
    assert doc.positions[("b", "p")] == (1, 11)


def test_json_that_yaml_cannot_read_is_still_read(parser: str) -> None:
    """A key over 1,024 characters is fine JSON but not YAML: the data is read, its places are unknown."""
    key = "k" * 1100
    doc = load_document(f'{{"{key}": [1.5]}}', "t.json")
    assert typed(doc.data) == typed({key: [Decimal("1.5")]})
    assert doc.locate((key, 0)) == (None, None)


def test_text_that_is_not_json_is_read_as_yaml() -> None:
    """A .json name or a leading brace only decides what is tried first: YAML flow style still reads."""
    doc = load_document("{a: 1, b: [x, 2.5]}\n", "t.json")
    assert typed(doc.data) == typed({"a": 1, "b": ["x", Decimal("2.5")]})
    assert doc.positions[("b", 1)] == (1, 15)


def test_positions_pickle_as_plain_mappings() -> None:
    """Positions found later pickle as the dict they are, so a spec can cross to a worker process."""
    doc = load_document('{"a": {"b": 1}}', "t.json")
    assert pickle.loads(pickle.dumps(doc.positions)) == {(): (1, 1), ("a",): (1, 7), ("a", "b"): (1, 13)}
    assert doc.positions == {(): (1, 1), ("a",): (1, 7), ("a", "b"): (1, 13)}


def test_a_bad_value_in_a_json_facts_file_is_shown_at_its_line_and_column(tmp_path: Path, parser: str) -> None:
    """A unit type the spec does not declare, in JSON, is reported as file:line:col."""
    facts = json.loads(example_as_json())
    facts["units"][1]["type"] = "village"
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts, ensure_ascii=False, indent=2), encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if '"village"' in text)
    err = io.StringIO()
    assert run(["score", str(path)], io.StringIO(), err) != 0
    assert f"{path}:{line}:15: " in err.getvalue(), err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_equal_numbers_read_once_are_still_written_where_they_stand() -> None:
    """The reader shares one object for equal values; dumping them back never writes YAML anchors."""
    from assessrules.rules.document import dump_yaml

    doc = load_document("a: 0.5\nb: 0.5\nc: 2021-01-05\nd: 2021-01-05\n", "t.yaml")
    assert dump_yaml(doc.data) == "a: 0.5\nb: 0.5\nc: 2021-01-05\nd: 2021-01-05\n"


@pytest.mark.parametrize("text", ["", "5\n", "- [1, [2, 3]]\n- {a: {b: c}}\n- \n", "a: '5'\n1: x\n'q': |\n  text\n",
                                  "a:\n  - b: 1\n    c: [x, {d: e}]\n  -\n  - 2021-01-05\n"])
def test_positions_found_later_are_those_of_the_node_tree(text: str, parser: str) -> None:
    """Positions found from the events when first asked equal those the node tree gives, key by key."""
    from assessrules.rules.document import _CLoader, _Loader, _scalar

    later, tree = load_document(text, "t.yaml"), load_located(text, "t.yaml")
    assert typed(later.data) == typed(tree.data)
    assert (dict(later.positions), dict(later.key_positions)) == (dict(tree.positions), dict(tree.key_positions))
    loader = _CLoader(text) if parser == "libyaml" else _Loader(text)
    assert reading.events_positions(loader, _scalar) == (dict(tree.positions), dict(tree.key_positions))


def test_json_text_is_read_as_json_whatever_the_file_is_called(parser: str) -> None:
    """Text that opens with a brace goes to the json module first, so JSON that YAML refuses still reads."""
    key = "k" * 1100
    doc = load_document(f'\n  {{"{key}": 2.50}}', "facts.yaml")
    assert typed(doc.data) == typed({key: Decimal("2.50")})
    with pytest.raises(DocumentError):
        load_document(f'"{key}": 2.50\n', "facts.yaml")

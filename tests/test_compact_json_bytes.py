"""`score --format json -o FILE` writes the compact JSON encoded line by line: the same bytes as the text encoded whole."""

from __future__ import annotations

import io
from pathlib import Path

import assessrules
from assessrules.cli import run
from assessrules.inputs.facts_file import read_facts, score_document
from assessrules.outputs.report import render_json_compact, render_json_compact_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
GROUPS = ROOT / "tests/specs/shapes/groups.yaml"
UNITS = [{"id": "d1", "name": "甲局", "type": "department", "target": 1, "facts": {"late": 0}},
         {"id": "t1", "name": "丙镇", "type": "town", "target": 1, "facts": {"late": 20}}]


def test_the_bytes_are_the_text_encoded() -> None:
    """The bytes renderer gives the text renderer's UTF-8, with and without a spec's groups (全县)."""
    spec = assessrules.load_spec("2021")
    results = score_document(spec, read_facts(EXAMPLE))
    text = render_json_compact(spec, results)
    assert render_json_compact_bytes(spec, results) == text.encode("utf-8")
    assert "城关镇" in text
    spec = assessrules.load_spec(GROUPS)
    results = spec.evaluate_many(UNITS)
    groups = spec.score_groups(results)
    assert groups
    text = render_json_compact(spec, results, groups)
    assert render_json_compact_bytes(spec, results, groups) == text.encode("utf-8")
    assert '"groups": [' in text


def test_the_file_written_is_what_standard_output_shows(tmp_path: Path) -> None:
    """`-o FILE` (bytes) and standard output (text) carry the same JSON."""
    out, err = io.StringIO(), io.StringIO()
    assert run(["score", str(EXAMPLE), "--format", "json"], out, err) == 0
    target = tmp_path / "results.json"
    assert run(["score", str(EXAMPLE), "--format", "json", "-o", str(target)], io.StringIO(), err) == 0
    assert target.read_bytes() == out.getvalue().encode("utf-8")

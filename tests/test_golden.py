"""Pinned outputs: the example units' reports, accounts and JSON must not change by a byte.

The files under tests/golden/ were written by the code before results were rebuilt from
per-rule tables (issue 11); every later change to how results are built must reproduce them.
Regenerate them on purpose only, with ``ASSESSRULES_UPDATE_GOLDEN=1 pytest tests/test_golden.py``,
and review the diff.
"""

from __future__ import annotations

import io
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import assessrules
from assessrules.cli import run
from assessrules.engine.spec import Spec

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
SHAPES = Path(__file__).parent / "specs" / "shapes"
UPDATE = bool(os.environ.get("ASSESSRULES_UPDATE_GOLDEN"))
D = Decimal


def _same_as_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
    expected = path.read_text(encoding="utf-8")
    assert expected == actual


def _cli(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    assert (code, err.getvalue()) == (0, "")
    return out.getvalue()


@pytest.mark.parametrize("argv", [["--format", "table"], ["--format", "csv"], ["--format", "json", "--full"]])
def test_score_output_of_the_example_units_is_pinned(argv: list[str]) -> None:
    """`score --format F` (JSON in full) of the example file prints what it printed before results were rebuilt."""
    text = _cli("score", str(EXAMPLE), *argv)
    _same_as_golden(f"score-2021.{argv[1]}", text)


def test_compact_json_is_the_full_json_without_the_units_inputs() -> None:
    """`score --format json` gives each result of `--full` less its `facts` and `periods`, one result per line."""
    full = json.loads(_cli("score", str(EXAMPLE), "--format", "json", "--full"))
    text = _cli("score", str(EXAMPLE), "--format", "json")
    compact = json.loads(text)
    assert compact["spec"] == full["spec"]
    expected = [{k: v for k, v in r.items() if k not in ("facts", "periods")} for r in full["results"]]
    assert expected == compact["results"]
    assert len(text.splitlines()) == len(compact["results"]) + 3
    assert len(text) < len(_cli("score", str(EXAMPLE), "--format", "json", "--full")) / 2


def _accounts(spec: Spec, units: list[Any], as_of: Any = None) -> tuple[str, str]:
    results = spec.evaluate_many(units, as_of=as_of)
    text = "\n".join(r.explain() for r in results)
    data = json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2) + "\n"
    return text, data


def test_explain_and_to_dict_of_every_example_unit_are_pinned() -> None:
    """Every example unit's explain() and to_dict() are byte-identical to the pinned ones."""
    import yaml

    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    text, data = _accounts(assessrules.load_spec("2021"), document["units"], document["as_of"])
    _same_as_golden("explain-2021.txt", text)
    _same_as_golden("to_dict-2021.json", data)


def _unit(uid: str, unit_type: str = "town", target: Any = 2, **facts: Any) -> dict[str, Any]:
    return {"id": uid, "type": unit_type, "target": target, "facts": facts}


SHAPE_UNITS: dict[str, list[dict[str, Any]]] = {
    "bonus_veto.yaml": [
        _unit("capped", late=5, provincial_award=True, award_document="陕政办发〔2021〕3号", practices_adopted=3),
        _unit("gated", late=25, practices_adopted=2),
        _unit("no-evidence", late=5, provincial_award=True, practices_adopted=1),
        _unit("leak", late=2, major_leak=True, practices_adopted=1),
        _unit("false", false_data=True),
    ],
    "applicability.yaml": [
        _unit("zengjia", has_new_media=False, late=30),
        _unit("named", has_new_media=True, media_problems=2, late=10, poverty_items_missed=5),
        _unit("shuiwu", unit_type="dept", has_new_media=True, late=10, poverty_items_missed=5),
    ],
    "deductions.yaml": [
        _unit("a", content_errors=[{"title": "首页", "level": "一般差错"}, {"title": "通知", "level": "严重差错"}],
              broken_links=8, other_issues=D("1.5"), media_rating="良"),
        _unit("b", content_errors=[{"title": f"页{i}", "level": "严重差错"} for i in range(5)], broken_links=20,
              other_issues=2, media_rating="优"),
    ],
    "weighted_scale.yaml": [
        _unit("w1", unit_type="dept", work_errors=5, review_rating="B"),
        _unit("w2", unit_type="dept", review_rating="A", plan_missing=True),
    ],
}


@pytest.mark.parametrize("name", sorted(SHAPE_UNITS))
def test_explain_and_to_dict_of_the_shape_specs_are_pinned(name: str) -> None:
    """Bonus, veto, applicability, records and weights render exactly as pinned."""
    spec = assessrules.spec_from_text((SHAPES / name).read_text(encoding="utf-8"), f"shapes/{name}")
    text, data = _accounts(spec, SHAPE_UNITS[name])
    stem = Path(name).stem
    _same_as_golden(f"explain-{stem}.txt", text)
    _same_as_golden(f"to_dict-{stem}.json", data)


def test_scores_by_indicator_are_the_indicators_scores(spec2021: Spec) -> None:
    """result.scores gives each indicator's score as result.indicators does, without the explanation."""
    import yaml

    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for result in spec2021.evaluate_many(document["units"], as_of=document["as_of"], explain=False):
        assert result.scores == {i.id: i.score for i in result.indicators}
    shapes = assessrules.spec_from_text((SHAPES / "applicability.yaml").read_text(encoding="utf-8"))
    left_out = shapes.evaluate(SHAPE_UNITS["applicability.yaml"][2])
    assert left_out.scores == {i.id: i.score for i in left_out.indicators}
    assert None in left_out.scores.values()

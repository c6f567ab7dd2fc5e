"""Specs and results pickle, and worker processes score a batch exactly as one process does."""

from __future__ import annotations

import copy
import io
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml

import assessrules
from assessrules.cli import run
from assessrules.engine.batch import evaluate_in_workers
from assessrules.engine.spec import Spec
from assessrules.errors import FactsError

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"


def example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


def many_units(count: int) -> list[dict[str, Any]]:
    """``count`` units made from the example ones, each with its own id."""
    units = example()["units"]
    out = []
    for i in range(count):
        unit = copy.deepcopy(units[i % len(units)])
        unit["id"] = f"{unit['id']}-{i:04d}"
        out.append(unit)
    return out


def test_a_spec_pickles_and_scores_the_same_after(spec2021: Spec) -> None:
    """An unpickled spec is compiled again from its rules and gives the same results."""
    again = pickle.loads(pickle.dumps(spec2021))
    data = example()
    before = [r.to_dict() for r in spec2021.evaluate_many(data["units"], as_of=data["as_of"])]
    after = [r.to_dict() for r in again.evaluate_many(data["units"], as_of=data["as_of"])]
    assert (again.sha256, before) == (spec2021.sha256, after)


@pytest.mark.parametrize("explain", [True, False])
def test_a_result_pickles_with_its_spec(spec2021: Spec, explain: bool) -> None:
    """Results round-trip through pickle with identical to_dict() and explain(), traced or not."""
    data = example()
    results = spec2021.evaluate_many(data["units"], as_of=data["as_of"], explain=explain)
    again = pickle.loads(pickle.dumps(results))
    assert [r.to_dict() for r in results] == [r.to_dict() for r in again]
    assert [r.explain() for r in results] == [r.explain() for r in again]


def test_workers_give_the_results_of_one_process(spec2021: Spec) -> None:
    """Scored in chunks by two workers, every result is the one evaluate_many gives."""
    units = many_units(150)
    alone = spec2021.evaluate_many(units, as_of=example()["as_of"])
    done: list[int] = []
    shared = evaluate_in_workers(spec2021, units, jobs=2, as_of=example()["as_of"], chunk=40, progress=done.append)
    assert [r.to_dict() for r in alone] == [r.to_dict() for r in shared]
    assert done == [40, 40, 40, 30]


def test_workers_report_the_problems_of_one_process_in_the_same_order(spec2021: Spec) -> None:
    """Bad facts in several chunks and an id used again in a later chunk give the same problems."""
    units = many_units(120)
    units[5]["facts"]["fulltime_staff"] = -1
    units[70]["facts"]["unknown_fact"] = 1
    units[100]["id"] = units[3]["id"]
    as_of = example()["as_of"]
    with pytest.raises(FactsError) as alone:
        spec2021.evaluate_many(units, as_of=as_of)
    with pytest.raises(FactsError) as shared:
        evaluate_in_workers(spec2021, units, jobs=2, as_of=as_of, chunk=30)
    assert len(alone.value.problems) == 3
    assert alone.value.problems == shared.value.problems


def test_a_unit_that_cannot_be_scored_fails_the_same_in_a_worker(spec2021: Spec) -> None:
    """A record the calendar cannot count raises the FactsError of one process (located at the record), problems and all."""
    import datetime as dt

    from assessrules.errors import FactsError

    units = many_units(90)
    units[50]["facts"]["disclosures"].append({"title": "远期公开", "formed": dt.date(2021, 12, 28),
                                              "published": dt.date(2099, 1, 5)})
    as_of = example()["as_of"]
    with pytest.raises(FactsError) as alone:
        spec2021.evaluate_many(units, as_of=as_of)
    with pytest.raises(FactsError) as shared:
        evaluate_in_workers(spec2021, units, jobs=2, as_of=as_of, chunk=30)
    assert "远期公开" in alone.value.problems[0].message
    assert alone.value.problems == shared.value.problems


def _score(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert (run(["score", *argv], out, err), err.getvalue()) == (0, "")
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_score_with_jobs_writes_the_bytes_of_one_process(tmp_path: Path, fmt: str) -> None:
    """`score --jobs 2` of a 450-unit JSON file prints exactly what one process prints (annual counts, to be quick)."""
    data = example()
    units = many_units(450)
    for i, unit in enumerate(units):
        del unit["periods"], unit["facts"]["disclosures"]
        unit["facts"]["monthly_items_missed"] = i % 7
    data["units"] = units
    facts = tmp_path / "units.json"
    facts.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    spec = str(ROOT / "benchmarks" / "annual-2021.yaml")
    one = _score(str(facts), "--spec", spec, "--format", fmt)
    assert one == _score(str(facts), "--spec", spec, "--format", fmt, "--jobs", "2")
    assert one.count("chengguan-") == 450 // len(example()["units"]) + 1


def test_jobs_must_be_a_number_of_processes() -> None:
    """`--jobs -1` is refused as a usage error."""
    out, err = io.StringIO(), io.StringIO()
    assert run(["score", str(EXAMPLE), "--jobs", "-1"], out, err) == 2
    assert "参数 -j/--jobs：'-1' 不是进程数" in err.getvalue()


def test_the_bundled_spec_loads_in_a_worker_by_its_rules() -> None:
    """The pickle of a spec holds its checked rules, not compiled code."""
    spec = assessrules.load_spec("2021")
    assert b"_score" not in pickle.dumps(spec)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_bar_when_stderr_is_not_a_terminal() -> None:
    """Piped or captured stderr gets no bar: the callback is None and nothing is written."""
    from assessrules.cli import progress_bar

    err = io.StringIO()
    with progress_bar(err, 1000, "scoring") as advance:
        assert advance is None
    assert err.getvalue() == ""


def test_a_progress_bar_shows_on_a_terminal_only_after_a_second() -> None:
    """On a terminal, work done at once draws nothing; work that lasts over a second draws the bar."""
    import time

    from assessrules.cli import progress_bar

    quick = _Terminal()
    with progress_bar(quick, 1000, "scoring") as advance:
        assert advance is not None
        advance(1000)
    assert quick.getvalue() == ""
    slow = _Terminal()
    with progress_bar(slow, 1000, "scoring") as advance:
        assert advance is not None
        advance(10)
        time.sleep(1.2)
        advance(10)
    assert "scoring" in slow.getvalue()


def test_the_receipt_hashes_the_canonical_form_of_the_unit_whichever_form_is_asked_first(spec2021: Spec) -> None:
    """The compact and the full to_dict() of fresh results name the SHA-256 of the unit's canonical JSON."""
    import hashlib

    from assessrules.engine.results import canonical_json

    data = example()
    compact = [r.to_dict(inputs=False) for r in spec2021.evaluate_many(data["units"], as_of=data["as_of"])]
    results = spec2021.evaluate_many(data["units"], as_of=data["as_of"])
    full = [r.to_dict() for r in results]
    wanted = [hashlib.sha256(canonical_json(r.unit.canonical()).encode("utf-8")).hexdigest() for r in results]
    assert [d["receipt"]["facts_sha256"] for d in compact] == wanted
    assert [d["receipt"]["facts_sha256"] for d in full] == wanted
    assert compact == [{k: v for k, v in d.items() if k not in ("facts", "periods")} for d in full]

"""Benchmark: score 10,000 random units with the bundled 2021 spec, on one core.

Run by hand, not by the tests::

    python benchmarks/bench_scoring.py [--units N] [--repeat R]

Each unit carries a year of the eight monthly items and a few disclosure
records judged in official working days. It prints units per second, in CPU
time of one core (and wall time, which on a shared machine is worse), for:

- a hand-written Decimal function of the same 2021 rules (the yardstick);
- ``evaluate_many`` without the trace, then with per-indicator scores
  (``result.scores``), then with the explanation trace, then with ``to_dict()``
  and ``to_dict(inputs=False)``, and ``explain()`` for information, with the floor of the
  compact form: the time CPython takes to build the same dicts and lists from constants;
- on the annual shape, when the ``bench`` extra is installed
  (``pip install 'assessrules[bench]'``), GoRules' zen-engine
  ``ZenEngine.evaluate(key)`` on the same rules, giving the same per-part outputs.

It prints the ratios to the yardsticks, and checks on the way that assessrules,
the hand-written function and zen-engine agree on every unit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import random
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import assessrules
from assessrules.engine.spec import quiet_collector
from assessrules.rules.loader import read_spec_document
from assessrules.workdays import working_days

UNIT_TYPES = ("town", "department", "vertical")


MONTHS = [f"2021-{m:02d}" for m in range(1, 13)]
AS_OF = dt.date(2022, 1, 10)


def random_month(rng: random.Random) -> dict[str, Any]:
    """One month of the eight monthly items, each met nine times in ten."""
    return {
        "info_published": rng.randint(3, 12), "key_areas_disclosed": rng.random() < 0.9,
        "policy_documents": rng.randint(0, 2), "policy_interpretations": rng.randint(0, 2),
        "service_platform_ok": rng.random() < 0.95, "online_service_ratio": Decimal(rng.randint(80, 100)) / 100,
        "mailbox_overdue": 0 if rng.random() < 0.9 else 1, "columns_updated": rng.random() < 0.9,
        "upload_error_rate": Decimal(rng.randint(0, 15)) / 1000,
    }


def random_records(rng: random.Random) -> list[dict[str, Any]]:
    """A few disclosure records, published 5 to 30 calendar days after formation, or not yet."""
    out = []
    for k in range(rng.randint(0, 4)):
        formed = dt.date(2021, 1, 4) + dt.timedelta(days=rng.randint(0, 350))
        published = None if rng.random() < 0.1 else formed + dt.timedelta(days=rng.randint(5, 30))
        out.append({"title": f"信息{k}", "formed": formed, "published": published,
                    "deadline": 15 if rng.random() < 0.1 else None})
    return out


def random_units(count: int, seed: int = 2021) -> list[dict[str, Any]]:
    """Units with facts spread over the whole range of the 2021 rules."""
    rng = random.Random(seed)
    units = []
    for i in range(count):
        facts: dict[str, Any] = {
            "has_work_mechanism": rng.random() < 0.9, "has_work_body": rng.random() < 0.9,
            "fulltime_staff": rng.randint(0, 3), "parttime_staff": rng.randint(0, 3),
            "has_review_mechanism": rng.random() < 0.9, "has_catalogue": rng.random() < 0.9,
            "has_annual_report": rng.random() < 0.85, "has_new_media_account": rng.random() < 0.9,
            "has_interaction": rng.random() < 0.85, "new_media_problems": rng.randint(0, 8),
            "late_disclosures": rng.randint(0, 40), "disclosures": random_records(rng),
            "basic_elements_missing": rng.randint(0, 6), "criticisms_county": rng.randint(0, 3),
            "criticisms_city": rng.randint(0, 1), "website_unqualified": rng.random() < 0.05,
        }
        units.append({"id": f"u{i:05d}", "name": f"单位{i}", "type": rng.choice(UNIT_TYPES),
                      "target": Decimal(rng.choice(["1", "2", "3", "3.5", "5"])), "facts": facts,
                      "periods": {m: random_month(rng) for m in MONTHS}})
    return units


D0, D100 = Decimal(0), Decimal(100)
HALF, QUARTER, TWO_AND_HALF = Decimal("0.5"), Decimal("0.25"), Decimal("2.5")
GRADE_SHARE = {"优秀": D0, "良好": D0, "一般": Decimal("0.4"), "不合格": Decimal(1)}


def _month_misses(m: dict[str, Any]) -> int:
    return int((m["info_published"] < 5) + (not m["key_areas_disclosed"])
            + (m.get("policy_interpretations", 0) < m.get("policy_documents", 0)) + (not m["service_platform_ok"])
            + (m["online_service_ratio"] < Decimal("0.9")) + (m.get("mailbox_overdue", 0) > 0)
            + (not m["columns_updated"]) + (m.get("upload_error_rate", 0) > Decimal("0.01")))


def annual(unit: dict[str, Any]) -> dict[str, Any]:
    """The same unit with its months and records summed up into the annual counts of annual-2021.yaml."""
    f = dict(unit["facts"])
    late = sum(1 for r in f.pop("disclosures", ()) if working_days(r["formed"], r["published"] or AS_OF)
               > (r["deadline"] or 20))
    f["late_disclosures"] = f.get("late_disclosures", 0) + late
    f["monthly_items_missed"] = sum(_month_misses(m) for m in unit["periods"].values())
    return {k: v for k, v in unit.items() if k != "periods"} | {"facts": f}


def hand_written(unit: dict[str, Any]) -> tuple[Decimal, str, Decimal]:
    """The 2021 rules written out by hand with Decimal: (score, grade, deduction)."""
    f = unit["facts"]
    if "periods" in unit:
        late_records = sum(
            1 for r in f.get("disclosures", ())
            if working_days(r["formed"], r["published"] or AS_OF) > (r["deadline"] or 20))
        missed = sum(_month_misses(m) for m in unit["periods"].values())
    else:
        late_records, missed = 0, f.get("monthly_items_missed", 0)
    duties = max(Decimal(15) - f.get("basic_elements_missing", 0) * TWO_AND_HALF, D0)
    staffing = (5 if f["has_work_mechanism"] else 0) + (5 if f["has_work_body"] else 0) + (
        5 if f["fulltime_staff"] >= 1 and f["parttime_staff"] >= 1 else 0)
    review = 5 if f["has_review_mechanism"] else 0
    catalogue = (TWO_AND_HALF if f["has_catalogue"] else D0) + (TWO_AND_HALF if f["has_annual_report"] else D0)
    if f["has_new_media_account"]:
        media = max(Decimal(20) - (0 if f["has_interaction"] else 5) - f.get("new_media_problems", 0), D0)
    else:
        media = D0
    timeliness = max(Decimal(40) - f.get("late_disclosures", 0) - late_records, D0)
    table = duties + staffing + review + catalogue + media + timeliness
    score = min(max(table - missed * HALF, D0), D100)
    grade = "优秀" if score >= 90 else "良好" if score >= 70 else "一般" if score >= 60 else "不合格"
    target = unit["target"]
    deduction = target * GRADE_SHARE[grade] + (1 if f.get("platform_rated_poor") else 0) + (
        Decimal("1.5") if f.get("website_unqualified") else 0) + 2 * f.get("criticisms_state_council", 0) + (
        f.get("criticisms_province", 0)) + HALF * f.get("criticisms_city", 0) + QUARTER * f.get("criticisms_county", 0)
    return score, grade, min(deduction, target)


def rate(label: str, count: int, repeat: int, run: Callable[[], object]) -> float:
    """Best of ``repeat`` runs, in units per second of CPU time; the garbage of one run is freed outside the clock."""
    best = wall = 0.0
    for _ in range(repeat):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        result = run()
        elapsed, used = time.perf_counter() - start, time.process_time() - cpu
        del result
        best = max(best, count / max(used, 1e-9))
        wall = max(wall, count / elapsed)
    print(f"  {label:<60} {best:>10,.0f} units/s  (wall {wall:>9,.0f})")
    return best


ANNUAL_DEFAULTS = {"basic_elements_missing": 0, "new_media_problems": 0, "late_disclosures": 0,
                   "monthly_items_missed": 0, "platform_rated_poor": False, "website_unqualified": False,
                   "criticisms_state_council": 0, "criticisms_province": 0, "criticisms_city": 0, "criticisms_county": 0}
_P = "$nodes.parts."
ZEN_PARTS = {
    "duties": "max([15 - basic_elements_missing * 2.5, 0])",
    "staffing": "(has_work_mechanism ? 5 : 0) + (has_work_body ? 5 : 0) + "
                "(fulltime_staff >= 1 and parttime_staff >= 1 ? 5 : 0)",
    "review": "has_review_mechanism ? 5 : 0",
    "catalogue": "(has_catalogue ? 2.5 : 0) + (has_annual_report ? 2.5 : 0)",
    "new_media": "has_new_media_account ? max([20 - (has_interaction ? 0 : 5) - new_media_problems, 0]) : 0",
    "timeliness": "max([40 - late_disclosures, 0])",
}
ZEN_SCORE = (f"min([max([{_P}duties + {_P}staffing + {_P}review + {_P}catalogue + {_P}new_media + {_P}timeliness"
             " - monthly_items_missed * 0.5, 0]), 100])")
_S = "$nodes.total.score"
ZEN_OUTCOME = {
    "parts": "$nodes.parts",
    "score": _S,
    "grade": f"{_S} >= 90 ? '优秀' : ({_S} >= 70 ? '良好' : ({_S} >= 60 ? '一般' : '不合格'))",
    "deduction": f"min([target * ({_S} >= 70 ? 0 : ({_S} >= 60 ? 0.4 : 1)) + (platform_rated_poor ? 1 : 0) + "
                 "(website_unqualified ? 1.5 : 0) + 2 * criticisms_state_council + criticisms_province + "
                 "0.5 * criticisms_city + 0.25 * criticisms_county, target])",
}


def zen_decision() -> dict[str, Any]:
    """The annual-2021 rules as a GoRules JSON decision model: parts, total, then grade and deduction."""
    def node(key: str, name: str, kind: str, expressions: dict[str, str] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": key, "name": name, "type": kind, "position": {"x": 0, "y": 0}}
        if expressions is not None:
            out["content"] = {"expressions": [{"id": k, "key": k, "value": v} for k, v in expressions.items()]}
        return out

    nodes = [node("in", "request", "inputNode"), node("p", "parts", "expressionNode", ZEN_PARTS),
             node("t", "total", "expressionNode", {"score": ZEN_SCORE}),
             node("g", "outcome", "expressionNode", ZEN_OUTCOME), node("out", "response", "outputNode")]
    edges = [("in", "p"), ("p", "t"), ("in", "t"), ("t", "g"), ("p", "g"), ("in", "g"), ("g", "out")]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes,
            "edges": [{"id": f"e{i}", "sourceId": a, "targetId": b, "type": "edge"} for i, (a, b) in enumerate(edges)]}


def zen_engine() -> Callable[[dict[str, Any]], Any] | None:
    """``evaluate(context)`` through ``ZenEngine.evaluate(key)``, or None when zen-engine is not installed."""
    try:
        import zen  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    import json

    content = json.dumps(zen_decision(), ensure_ascii=False)
    engine = zen.ZenEngine({"loader": lambda key: content})

    def evaluate(context: dict[str, Any]) -> Any:
        return engine.evaluate("annual-2021", context)["result"]

    return evaluate


def zen_context(unit: dict[str, Any]) -> dict[str, Any]:
    """The unit's annual facts as zen-engine takes them: plain JSON numbers, defaults filled in."""
    return {**ANNUAL_DEFAULTS, **unit["facts"], "target": float(unit["target"])}


def measure(title: str, spec: assessrules.Spec, units: list[dict[str, Any]], repeat: int,
            zen: Callable[[dict[str, Any]], Any] | None = None) -> dict[str, float]:
    """Check agreement with the hand-written function (and zen-engine), then time every way."""
    results = spec.evaluate_many(units, as_of=AS_OF)
    for unit, result in zip(units, results, strict=True):
        assert hand_written(unit) == (result.score, result.grade, result.deduction), unit["id"]
    print(f"\n{title}")
    rates = {"hand": rate("hand-written Decimal function (the yardstick)", len(units), repeat,
                          lambda: [hand_written(u) for u in units])}
    rates["bare"] = rate("evaluate_many, without explanation (explain=False)", len(units), repeat,
                         lambda: spec.evaluate_many(units, explain=False, as_of=AS_OF))
    rates["scores"] = rate("evaluate_many + per-indicator scores (result.scores)", len(units), repeat,
                           lambda: [r.scores for r in spec.evaluate_many(units, explain=False, as_of=AS_OF)])
    rates["traced"] = rate("evaluate_many, with explanation trace (default)", len(units), repeat,
                           lambda: spec.evaluate_many(units, as_of=AS_OF))
    sample = units[: max(len(units) // 5, 1)]
    rate("evaluate_many + to_dict()", len(sample), repeat,
         lambda: [r.to_dict() for r in spec.evaluate_many(sample, as_of=AS_OF)])

    def held(inputs: bool) -> list[dict[str, Any]]:
        with quiet_collector():
            return [r.to_dict(inputs=inputs) for r in spec.evaluate_many(sample, as_of=AS_OF)]

    rates["to_dict"] = rate("  the same, the cyclic collector held (as the reporters do)", len(sample), repeat,
                            lambda: held(True))
    rates["compact"] = rate("evaluate_many + to_dict(inputs=False), collector held", len(sample), repeat,
                            lambda: held(False))
    scored = spec.evaluate_many(sample, as_of=AS_OF)
    for r in scored:
        _ = r.receipt  # made once and kept: the line below measures to_dict's own work

    def alone() -> list[dict[str, Any]]:
        with quiet_collector():
            return [r.to_dict(inputs=False) for r in scored]

    rate("  for information: to_dict(inputs=False) alone, on scored units, receipt kept", len(sample), repeat, alone)
    # The floor of that form in CPython: the same dicts and lists written out as Python literals, every value
    # a constant (no logic at all, strings shared), built again by running the compiled literal.
    literals = [compile(repr(d), "<to_dict literal>", "eval") for d in alone()]

    def floor() -> list[Any]:
        with quiet_collector():
            return [eval(code) for code in literals]  # our own repr() of plain data

    rate("  for information: the same dicts from constants (the floor of the form)", len(sample), repeat, floor)
    rate("  for information: evaluate_many + explain()", len(sample), repeat,
         lambda: [r.explain() for r in spec.evaluate_many(sample, as_of=AS_OF)])
    if zen is not None:
        contexts = [zen_context(u) for u in units]
        for unit, context, result in zip(units, contexts, results, strict=True):
            out = zen(context)
            assert (Decimal(str(out["score"])), out["grade"], Decimal(str(out["deduction"]))) == (
                result.score, result.grade, result.deduction), unit["id"]
            assert {k: Decimal(str(v)) for k, v in out["parts"].items()} == {
                k: result.scores[k] for k in ZEN_PARTS}, unit["id"]
        rates["zen"] = rate("zen-engine ZenEngine.evaluate(key), per-part outputs", len(units), repeat,
                            lambda: [zen(c) for c in contexts])
    print(f"  ratios: per-indicator scores / hand-written = {rates['scores'] / rates['hand']:.2f}"
          + (f"; per-indicator scores / zen-engine = {rates['scores'] / rates['zen']:.2f}" if "zen" in rates else ""))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    units = random_units(args.units)
    zen = zen_engine()
    print(f"assessrules {assessrules.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{args.units:,} random units, one core, best of {args.repeat}, CPU time"
          + ("" if zen else "; zen-engine not installed (pip install 'assessrules[bench]')"))
    measure("specs/2021.yaml as issued — 12 months of 8 items and 0–4 disclosure records per unit",
            assessrules.load_spec("2021"), units, args.repeat)
    measure("benchmarks/annual-2021.yaml — the same rules on annual counts (months and records summed up)",
            assessrules.load_spec(Path(__file__).with_name("annual-2021.yaml")), [annual(u) for u in units],
            args.repeat, zen)
    # A spec that declares `rounding:` is scored over exact Fractions: the same rules, the price of exactness.
    text = read_spec_document("2021").text + "\nrounding: {places: 2, mode: half_up}\n"
    measure("specs/2021.yaml with `rounding:` declared — the same rules scored over exact Fractions",
            assessrules.spec_from_text(text, "2021-exact.yaml"), units, args.repeat)


if __name__ == "__main__":
    main()

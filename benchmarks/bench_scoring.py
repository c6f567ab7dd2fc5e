"""Benchmark: score 10,000 random units with the bundled 2021 spec, on one core.

Run by hand, not by the tests::

    python benchmarks/bench_scoring.py [--units N] [--repeat R]

Each unit carries a year of the eight monthly items and a few disclosure
records judged in official working days. It prints units per second for a
hand-written Decimal function of the same 2021 rules (the yardstick), for
``evaluate_many`` without and with the explanation trace, and, for information, for rendering the explanation as
text and as JSON data. It checks on the way that assessrules and the
hand-written function agree on every unit.
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
    """Best of ``repeat`` runs, in units per second; the garbage of one run is freed outside the clock."""
    best = 0.0
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = run()
        elapsed = time.perf_counter() - start
        del result
        best = max(best, count / elapsed)
    print(f"  {label:<52} {best:>10,.0f} units/s")
    return best


def measure(title: str, spec: assessrules.Spec, units: list[dict[str, Any]], repeat: int) -> None:
    """Check agreement with the hand-written function, then time both ways."""
    results = spec.evaluate_many(units, as_of=AS_OF)
    for unit, result in zip(units, results, strict=True):
        assert hand_written(unit) == (result.score, result.grade, result.deduction), unit["id"]
    print(f"\n{title}")
    rate("hand-written Decimal function (the yardstick)", len(units), repeat, lambda: [hand_written(u) for u in units])
    rate("evaluate_many, without explanation (explain=False)", len(units), repeat,
         lambda: spec.evaluate_many(units, explain=False, as_of=AS_OF))
    rate("evaluate_many, with explanation trace (default)", len(units), repeat,
         lambda: spec.evaluate_many(units, as_of=AS_OF))
    sample = results[: max(len(units) // 10, 1)]
    rate("  rendering: result.to_dict() (JSON-ready explanation)", len(sample), repeat,
         lambda: [r.to_dict() for r in sample])
    rate("  rendering: result.explain() (text account)", len(sample), repeat, lambda: [r.explain() for r in sample])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    units = random_units(args.units)
    print(f"assessrules {assessrules.__version__}, Python {platform.python_version()}, {platform.machine()}, "
          f"{args.units:,} random units, one core, best of {args.repeat}")
    measure("specs/2021.yaml as issued — 12 months of 8 items and 0–4 disclosure records per unit",
            assessrules.load_spec("2021"), units, args.repeat)
    measure("benchmarks/annual-2021.yaml — the same rules on annual counts (months and records summed up)",
            assessrules.load_spec(Path(__file__).with_name("annual-2021.yaml")), [annual(u) for u in units],
            args.repeat)
    # A spec that declares `rounding:` is scored over exact Fractions: the same rules, the price of exactness.
    text = read_spec_document("2021").text + "\nrounding: {places: 2, mode: half_up}\n"
    measure("specs/2021.yaml with `rounding:` declared — the same rules scored over exact Fractions",
            assessrules.spec_from_text(text, "2021-exact.yaml"), units, args.repeat)


if __name__ == "__main__":
    main()

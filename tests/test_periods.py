"""Periods and evidence: monthly facts, roll-ups, per-period rules, records, as-of dates and bulletins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessrules import spec_from_text
from assessrules.authoring.strategies import facts_for
from assessrules.engine.spec import Spec
from assessrules.errors import FactsError, UsageError

from .helpers import make_unit, months

D = dt.date

ROLLUPS = """\
spec_format: 1
metadata: {id: rollups, title: 月度汇总测试, scale: 100, year: 2021}
unit_types: {town: {label: 镇}}
rounding: {places: 4, mode: half_up}  # a mean, and volume_sum / 12, need not terminate
facts:
  volume: {type: count, label: 数量, period: month, required: true}
  rate: {type: ratio, label: 比例, period: month, required: true}
  ok: {type: bool, label: 达标, period: month, required: true}
  grade_q: {type: enum, label: 季度评定, values: [好, 差], period: quarter, required: true}
derived:
  volume_sum: {label: 全年数量, sum: volume, each: month}
  rate_mean: {label: 平均比例, mean: rate, each: month}
  rate_min: {label: 最低比例, min: rate, each: month}
  volume_max: {label: 最高数量, max: volume, each: month}
  volume_last: {label: 最近一月数量, last: volume, each: month}
  months_bad: {label: 未达标月数, count: not ok, each: month}
  quarters_bad: {label: 评定差的季度数, count: grade_q == "差", each: quarter}
  volume_avg: {label: 月均数量, expr: volume_sum / 12}
indicators:
  - id: a
    name: 数量
    points: 100
    deduct:
      - {label: 未达标月份, each: month, if: not ok, points: 2}
      - {label: 不足10条, each: month, per: "max(10 - volume, 0)", points: 0.5, max: 6}
      - {label: 评定差, each: quarter, if: grade_q == "差", points: 3}
grades:
  - {id: ok, label: 合格, at_least: 60}
  - {id: fail, label: 不合格, below: 60}
"""


@pytest.fixture(scope="module")
def rollups() -> Spec:
    return spec_from_text(ROLLUPS, "rollups.yaml")


def rollup_unit(upto: int = 12, overrides: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    periods: dict[str, Any] = {f"2021-{m:02d}": {"volume": m, "rate": Decimal(m) / 100, "ok": m % 4 != 0}
                               for m in range(1, upto + 1)}
    periods.update({f"2021Q{q}": {"grade_q": "差" if q == 2 else "好"} for q in range(1, (upto + 2) // 3 + 1)})
    for label, values in (overrides or {}).items():
        periods[label] = {**periods[label], **values}
    return {"id": "u", "type": "town", "target": 1, "facts": {}, "periods": periods}


def test_each_kind_of_roll_up(rollups: Spec) -> None:
    """sum, mean, min, max, last, count (months, quarters) and an expression, exactly."""
    derived = rollups.evaluate(rollup_unit()).derived
    assert derived == {
        "volume_sum": Decimal(78), "rate_mean": Decimal("0.065"), "rate_min": Decimal("0.01"),
        "volume_max": Decimal(12), "volume_last": 12, "months_bad": 3, "quarters_bad": 1,
        "volume_avg": Decimal("6.5")}


def test_rules_act_month_by_month_and_name_the_months(rollups: Spec) -> None:
    """`each: month` applies the rule to every month and adds up its points, at most `max`."""
    result = rollups.evaluate(rollup_unit())
    fired = {f.label: f for f in result.fired}
    missed = fired["未达标月份"]
    assert (missed.count, missed.points) == (Decimal(3), Decimal(-6))
    assert [h.period for h in missed.periods] == ["2021-04", "2021-08", "2021-12"]
    short = fired["不足10条"]
    assert short.points == Decimal(-6)  # 9+8+…+1 = 45 short × 0.5 = 22.5, at most 6
    assert fired["评定差"].periods[0].period == "2021Q2"
    assert result.score == Decimal(100 - 6 - 6 - 3)


def test_an_earlier_assessment_date_needs_only_the_months_begun(rollups: Spec) -> None:
    """With as_of in September, January to September are needed, and later months are errors."""
    early = rollups.evaluate(rollup_unit(upto=9), as_of=D(2021, 9, 30))
    assert early.derived["volume_sum"] == Decimal(45)
    with pytest.raises(FactsError, match="2021-10 begins after the assessment date 2021-09-30"):
        rollups.evaluate(rollup_unit(upto=10), as_of=D(2021, 9, 30))


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p.pop("2021-05"), "missing month 2021-05"),
    (lambda p: p.update({"2022-01": {"volume": 1, "rate": 0, "ok": True}}), "2022-01 is outside the spec's year 2021"),
    (lambda p: p.update({"2021-5": p["2021-04"]}), "`2021-5` is not a period"),
    (lambda p: p.update({"May": {}}), "`May` is not a period"),
    (lambda p: p["2021-03"].update({"volum": 1}), "unknown fact `volum`"),
    (lambda p: p["2021-03"].pop("ok"), "missing fact `ok`"),
    (lambda p: p["2021-03"].update({"rate": 2}), "2 is above the greatest allowed value 1"),
])
def test_bad_periods_name_the_unit_and_the_month(rollups: Spec, change: Callable[[dict[str, Any]], Any],
                                                 message: str) -> None:
    """A missing, misnamed or out-of-year month, or a bad value in one, is an error naming it."""
    unit = rollup_unit()
    change(unit["periods"])
    with pytest.raises(FactsError) as caught:
        rollups.evaluate(unit)
    assert any(message in p.message and p.unit == "u" for p in caught.value.problems), caught.value.problems


def test_a_duplicated_month_in_a_facts_file_is_located(tmp_path: Path, rollups: Spec) -> None:
    """YAML would keep the second 2021-03 silently; here it is an error at its line."""
    from assessrules.cli import run

    body = "\n".join(f"      2021-{m:02d}: {{volume: 1, rate: 0.5, ok: true}}" for m in range(1, 13))
    text = f"units:\n  - id: u\n    type: town\n    target: 1\n    periods:\n{body}\n      2021-03: {{volume: 2}}\n"
    facts = tmp_path / "dup.yaml"
    facts.write_text(text, encoding="utf-8")
    spec_file = tmp_path / "rollups.yaml"
    spec_file.write_text(ROLLUPS, encoding="utf-8")
    import io

    err = io.StringIO()
    assert run(["score", str(facts), "--spec", str(spec_file)], io.StringIO(), err) == 1
    assert f"{facts}:18:7: 键 `2021-03` 重复（第 8 行已经写过）" in err.getvalue()


# --- the 2021 spec: disclosure records and working days --------------------------------------


def record(formed: dt.date, published: dt.date | None = None, **fields: Any) -> dict[str, Any]:
    return {"title": f"信息{formed.isoformat()}", "formed": formed, "published": published, **fields}


def late_of(spec: Spec, *records: dict[str, Any], as_of: dt.date | None = None) -> int:
    result = spec.evaluate(make_unit(disclosures=list(records)), as_of=as_of or D(2022, 3, 31))
    late: int = result.derived["late_records"]
    return late


def test_published_on_the_20th_working_day_is_on_time_and_on_the_21st_late(spec2021: Spec) -> None:
    """Formed 2021-09-24: published 2021-10-27 is on time, 2021-10-28 late (国庆 in between)."""
    assert late_of(spec2021, record(D(2021, 9, 24), D(2021, 10, 27))) == 0
    assert late_of(spec2021, record(D(2021, 9, 24), D(2021, 10, 28))) == 1


def test_unpublished_records_are_late_only_once_their_deadline_has_passed(spec2021: Spec) -> None:
    """An unpublished record is judged against the assessment date."""
    pending = record(D(2021, 12, 1))
    assert late_of(spec2021, pending, as_of=D(2021, 12, 29)) == 0  # the 20th working day is 2021-12-29
    assert late_of(spec2021, pending, as_of=D(2021, 12, 30)) == 1


def test_a_legal_deadline_overrides_the_twenty_days(spec2021: Spec) -> None:
    """法律、法规另有规定的，从其规定: a 15-day deadline makes the 16th working day late."""
    formed = D(2021, 3, 1)
    assert late_of(spec2021, record(formed, D(2021, 3, 22), deadline=15)) == 0   # the 15th working day
    assert late_of(spec2021, record(formed, D(2021, 3, 23), deadline=15)) == 1
    assert late_of(spec2021, record(formed, D(2021, 3, 23))) == 0


def test_the_explanation_names_the_late_records(spec2021: Spec) -> None:
    """The timeliness rule shows which records made the count."""
    result = spec2021.evaluate(make_unit(disclosures=[
        record(D(2021, 9, 24), D(2021, 10, 28), title="国庆节期间值班安排"), record(D(2021, 3, 1), D(2021, 3, 5))]))
    timeliness = next(i for i in result.indicators if i.id == "timeliness")
    evidence = timeliness.fired[0].evidence[0]
    assert [(n, r["title"]) for n, r in evidence.records] == [(1, "国庆节期间值班安排")]
    assert "主动公开信息记录 第1条：信息标题 国庆节期间值班安排，形成或变更日期 2021-09-24" in result.explain()


def test_a_record_outside_the_calendar_is_an_error_naming_it(spec2021: Spec) -> None:
    """A record the official calendar cannot count is reported as a fact at the record, not guessed nor blamed on the spec."""
    unit = make_unit(disclosures=[record(D(2021, 5, 6), D(2021, 5, 7)),
                                  record(D(2021, 12, 28), D(2099, 1, 5), title="远期公开")])
    with pytest.raises(FactsError) as caught:
        spec2021.evaluate(unit)
    problem = caught.value.problems[0]
    assert problem.message.startswith("record 2 《远期公开》: 2099-01-05 is outside the official holiday calendar")
    assert (problem.unit, problem.path) == ("u1", ("facts", "disclosures", 1))


def test_records_dated_after_the_assessment_date_are_errors(spec2021: Spec) -> None:
    """A record formed after the assessment date cannot be assessed yet."""
    with pytest.raises(FactsError, match="is dated 2021-12-20, after the assessment date 2021-11-30"):
        spec2021.evaluate(make_unit(disclosures=[record(D(2021, 12, 20))]) | {"periods": months(upto=11)},
                          as_of=D(2021, 11, 30))


def test_a_period_fact_cannot_be_used_as_if_annual() -> None:
    """Using a monthly fact outside `each:` or `derived:` is a load error that says what to do."""
    from assessrules.errors import SpecError

    text = ROLLUPS.replace("      - {label: 评定差, each: quarter, if: grade_q == \"差\", points: 3}",
                           "      - {label: 评定差, if: grade_q == \"差\", points: 3}")
    with pytest.raises(SpecError) as caught:
        spec_from_text(text, "bad.yaml")
    problem = caught.value.problems[0]
    assert "`grade_q` (季度评定) cannot be used here" in problem.message
    assert problem.hint is not None and "each: quarter" in problem.hint


# --- bulletins ----------------------------------------------------------------------------------


def test_the_bulletin_lists_each_months_misses_and_ranks_with_ties(spec2021: Spec) -> None:
    """2021Q3: the months July–September, the running score as of 30 September, equal scores share a rank."""
    a = make_unit(uid="a")
    b = make_unit(uid="b")
    c = make_unit(uid="c", late_disclosures=3)
    c["periods"]["2021-08"]["columns_updated"] = False
    c["periods"]["2021-08"]["mailbox_overdue"] = 1
    c["periods"]["2021-11"]["key_areas_disclosed"] = False  # after the quarter: not in its bulletin
    d = make_unit(uid="d", unit_type="department", late_disclosures=1)
    made = spec2021.bulletin([c, b, d, a], "2021Q3")
    assert made.as_of == D(2021, 9, 30)
    towns = made.by_type()["town"]
    assert [(e.unit_id, e.rank, e.score) for e in towns] == [("a", 1, Decimal(100)), ("b", 1, Decimal(100)),
                                                            ("c", 3, Decimal(96))]
    august = towns[2].months[1]
    assert august.period == "2021-08"
    assert august.missed == ("月度考核：市/县长信箱超期未办理", "月度考核：负责栏目未按时更新")
    assert august.deduction == Decimal(1)
    assert towns[2].quarter_deduction == Decimal(1)
    assert made.by_type()["department"][0].rank == 1


def test_a_bulletin_is_for_a_quarter_of_the_specs_year(spec2021: Spec) -> None:
    """A month, another year or a malformed label is a usage error."""
    for bad in ("2021-07", "2020Q3", "Q3"):
        with pytest.raises(UsageError):
            spec2021.bulletin([make_unit()], bad)


# --- properties ------------------------------------------------------------------------------------


@given(data=st.data())
def test_adding_a_late_record_never_raises_a_score(spec2021: Spec, data: st.DataObject) -> None:
    """One more record published after its deadline never raises any indicator or the total."""
    unit = data.draw(facts_for(spec2021))
    formed = data.draw(st.dates(min_value=D(2021, 1, 1), max_value=D(2021, 11, 1)))
    late = record(formed, None)
    more = {**unit, "facts": {**unit["facts"], "disclosures": [*unit["facts"].get("disclosures", []), late]}}
    before, after = spec2021.evaluate(unit), spec2021.evaluate(more)
    assert after.derived["late_records"] == before.derived["late_records"] + 1
    assert all(a.score <= b.score for a, b in zip(after.indicators, before.indicators, strict=True)
               if a.score is not None and b.score is not None)
    assert after.score <= before.score


@given(data=st.data())
def test_a_missed_month_never_raises_a_score(spec2021: Spec, data: st.DataObject) -> None:
    """Turning one met monthly item into a miss lowers the score by at most 0.5, never raises it."""
    unit = data.draw(facts_for(spec2021))
    label = data.draw(st.sampled_from(sorted(unit["periods"])))
    worse = {**unit, "periods": {**unit["periods"], label: {**unit["periods"][label], "columns_updated": False}}}
    before, after = spec2021.evaluate(unit), spec2021.evaluate(worse)
    assert before.score - Decimal("0.5") <= after.score <= before.score


@given(volumes=st.lists(st.integers(0, 500), min_size=12, max_size=12))
def test_for_sum_facts_the_year_is_the_sum_of_its_months(rollups: Spec, volumes: list[int]) -> None:
    """The annual roll-up of a sum equals the sum of the monthly values."""
    unit = rollup_unit(overrides={f"2021-{m:02d}": {"volume": v} for m, v in enumerate(volumes, 1)})
    assert rollups.evaluate(unit).derived["volume_sum"] == sum(volumes)

"""Scenario tests written beside a spec: named cases with a unit's facts and the expected outcome.

``specs/2021.tests.yaml`` holds the worked examples of the document's reading::

    spec: 2021.yaml                    # optional: the spec beside this file of the same name
    defaults:                          # merged into every case's unit
      type: town
      target: 3
      facts: {has_work_mechanism: true, …}
      every_month: {info_published: 8, key_areas_disclosed: true, …}   # each month of the year
    cases:
      - name: 例C：恰好90分为优秀
        unit:
          facts: {late_disclosures: 10}
          months: {2021-03: {columns_updated: false}}     # changes to single months
        expect: {score: 89.5, grade: 良好, deduction: 0, fired: [月度考核：负责栏目未按时更新]}

A case may score a batch instead of one unit: ``units:`` (a list; ``defaults`` merged into each) with
sub-units and their parents, and the spec's groups. Its ``expect`` then holds ``units`` (by unit id,
each what a one-unit case expects) and ``groups`` (by group id, ``system.d1`` for a group by parent:
``score``, ``grade``, ``members`` — their ids, or how many), or ``error``::

      - name: 部门读取下属单位平均得分
        units:
          - {id: o1, type: office, parent: d1, facts: {late: 0}}
          - {id: d1, type: department, facts: {late: 1}}
        expect:
          units: {d1: {score: 94.75, derived: {offices_mean: 100}}}
          groups: {county: {score: 94.75, grade: 优秀}, system.d1: {members: [o1]}}

``expect`` may hold ``score``, ``table_score``, ``grade``, ``commended``,
``deduction``, ``grade_deduction``, ``indicators`` (scores by id), ``derived``
(values by name, compared by their declared type), ``fired`` / ``not_fired``
(rule labels), ``bonus`` (counted) / ``bonus_claimed`` / ``bonus_gated``,
``veto`` (the label of the veto that fixed the outcome, or ``false`` for none),
``consequences`` (the consequences in words, in order: the grade's, then each that held),
or ``error`` (text that the facts error must contain). Numbers are compared
exactly; one may be written as a fraction in quotes, ``"295/3"``.

A case's differences are :class:`~assessrules.authoring._words.Said` lines: English as text (what
programs compare), and :func:`render_outcomes` says them in the reader's language (Chinese by default).
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

import attrs

from .. import periods as periods_
from ..errors import AssessRulesError, Path, Problem, SpecError
from ..numbers import canonical, format_points
from ..rules.document import DocumentError, read_document
from ._words import Said, say

if TYPE_CHECKING:
    from ..engine.results import Result
    from ..engine.spec import Spec

FILE_KEYS = ("spec", "defaults", "cases", "description")
CASE_KEYS = ("name", "unit", "units", "as_of", "expect")
UNIT_EXTRAS = ("every_month", "every_quarter", "every_half_month", "every_half_year", "months", "quarters",
               "half_months", "half_years")
EXPECT_KEYS = ("score", "table_score", "grade", "commended", "deduction", "grade_deduction", "indicators",
               "derived", "fired", "not_fired", "bonus", "bonus_claimed", "bonus_gated", "veto", "consequences",
               "error")
BATCH_EXPECT_KEYS = ("units", "groups", "error")
GROUP_EXPECT_KEYS = ("score", "grade", "members")


@attrs.frozen
class Case:
    """One scenario: a unit, an assessment date and what must come out."""

    name: str
    unit: dict[str, Any]
    expect: Mapping[str, Any]
    as_of: dt.date | str | None  # a date, or a period label (2021Q2: a snapshot as of its last day, as the CLI)
    path: Path
    location: str
    units: tuple[dict[str, Any], ...] | None = None  # a batch (sub-units and their parents, groups) instead of one unit


@attrs.frozen
class Outcome:
    """How one case went: passed, or the differences between expected and actual."""

    case: Case
    differences: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not self.differences


def _deep_merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _deep_merge(base.get(k), v) if k in base else v
        return out
    return over


def _expand_unit(spec: Spec, raw: Mapping[str, Any], as_of: dt.date | None) -> dict[str, Any]:
    """Turn the shorthands (`every_month`, `months`, …) into the unit's `periods:`."""
    unit = {k: v for k, v in raw.items() if k not in UNIT_EXTRAS}
    unit.setdefault("id", "case")
    periods: dict[str, Any] = dict(unit.get("periods") or {})
    when = as_of or spec.default_as_of
    for key, kind in (("every_month", "month"), ("every_quarter", "quarter"), ("every_half_month", "half_month"),
                      ("every_half_year", "half_year")):
        if key in raw and spec.year is not None and when is not None:
            for period in periods_.in_scope(kind, spec.year, when):
                periods.setdefault(period.label, dict(raw[key]))
    for key in ("months", "quarters", "half_months", "half_years"):
        for label, values in (raw.get(key) or {}).items():
            if values is None:
                periods.pop(str(label), None)  # `2021-05: null` leaves the month out
            else:
                periods[str(label)] = {**periods.get(str(label), {}), **values}
    if periods:
        unit["periods"] = periods
    return unit


def default_tests_for(spec: Spec) -> FsPath | None:
    """``X.tests.yaml`` beside the spec ``X.yaml``, if there is one."""
    source = FsPath(spec.sources[-1] if spec.sources else spec.source)
    from .. import _resources

    candidates = [source.with_name(source.stem + ".tests.yaml")]
    bundled = _resources.data_dir("specs") / (source.stem + ".tests.yaml")
    candidates.append(bundled)
    return next((c for c in candidates if c.is_file()), None)


def spec_for_cases(source: str | os.PathLike[str]) -> str:
    """The spec a scenario file is written for: its ``spec:`` (beside the file), else ``X.yaml`` for ``X.tests.yaml``."""
    path = FsPath(source)
    try:
        data = read_document(path).data
    except DocumentError as exc:
        raise SpecError(exc.problems) from None
    named = data.get("spec") if isinstance(data, dict) else None
    if isinstance(named, str) and named:
        beside = path.with_name(named)
        return str(beside) if beside.exists() else named  # else a bundled id such as 2021
    return str(path.with_name(path.name.removesuffix(".tests.yaml") + ".yaml"))


def load_cases(spec: Spec, source: str | os.PathLike[str]) -> list[Case]:
    """Read a scenario file; raise SpecError with every problem in it, located."""
    try:
        doc = read_document(source)
    except DocumentError as exc:
        raise SpecError(exc.problems) from None
    problems: list[Problem] = []
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise SpecError([doc.say("scenario.not_mapping", (), example="specs/2021.tests.yaml")])
    for key in data:
        if key not in FILE_KEYS:
            problems.append(doc.say("scenario.unknown_key", (key,), at_key=True, key=str(key), keys=list(FILE_KEYS)))
    defaults = data.get("defaults") or {}
    cases = []
    for i, raw in enumerate(data["cases"]):
        path: Path = ("cases", i)  # where the case is in the scenario file
        if not isinstance(raw, dict) or "name" not in raw or "expect" not in raw:
            problems.append(doc.say("scenario.bad_case", path))
            continue
        for key in raw:
            if key not in CASE_KEYS:
                problems.append(doc.say("scenario.unknown_case_key", path + (key,), at_key=True, key=str(key),
                                        keys=list(CASE_KEYS)))
        expect = raw["expect"]
        if not isinstance(expect, dict):
            problems.append(doc.say("scenario.expect_mapping", path + ("expect",)))
            continue
        batch = raw.get("units")
        if batch is not None and "unit" in raw:
            problems.append(doc.say("scenario.unit_and_units", path + ("units",), at_key=True))
        if batch is not None and (not isinstance(batch, list) or not all(isinstance(u, dict) for u in batch)):
            problems.append(doc.say("scenario.units_list", path + ("units",)))
            batch = None
        allowed = BATCH_EXPECT_KEYS if batch is not None else EXPECT_KEYS
        for key in expect:
            if key not in allowed:
                problems.append(doc.say("scenario.unknown_expectation", path + ("expect", key), at_key=True,
                                        key=str(key), keys=list(allowed)))
        if batch is None:
            problems.extend(_unknown_labels(spec, doc, expect, path + ("expect",)))
        else:
            for uid, wanted in (expect.get("units") or {}).items():
                problems.extend(_batch_expectations(spec, doc, wanted, path + ("expect", "units", uid), EXPECT_KEYS))
            for gid, wanted in (expect.get("groups") or {}).items():
                problems.extend(_batch_expectations(spec, doc, wanted, path + ("expect", "groups", gid),
                                                    GROUP_EXPECT_KEYS))
        as_of = _case_as_of(raw.get("as_of"))
        if as_of is None and raw.get("as_of") is not None:
            problems.append(doc.say("scenario.as_of", path + ("as_of",)))
        when = periods_.parse(as_of).end if isinstance(as_of, str) else as_of
        unit = _expand_unit(spec, _deep_merge(defaults, raw.get("unit") or {}), when)
        units = None if batch is None else tuple(_expand_unit(spec, _deep_merge(defaults, u), when) for u in batch)
        line, column = doc.locate(path)
        cases.append(Case(str(raw["name"]), unit, expect, as_of, path, f"{doc.file}:{line}:{column}", units))
    if problems:
        raise SpecError(problems)
    return cases


def _case_as_of(value: Any) -> dt.date | str | None:
    """A case's ``as_of``: a date, or a period as the command line takes it (``2021Q2``, ``2021-06``, ``2021H1``:
    the unit as it stood on the period's last day); None when it is neither."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        try:
            periods_.parse(text)
        except ValueError:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return None
        return text
    return None


def _batch_expectations(spec: Spec, doc: Any, wanted: Any, path: Path, keys: Sequence[str]) -> list[Problem]:
    """What one unit or one group of a batch is expected to give: a mapping of the keys it knows."""
    if not isinstance(wanted, dict):
        return [doc.say("scenario.expect_mapping", path)]
    out = [doc.say("scenario.unknown_expectation", (*path, key), at_key=True, key=str(key), keys=list(keys))
           for key in wanted if key not in keys]
    if "fired" in keys:
        out.extend(_unknown_labels(spec, doc, wanted, path))
    return out


def _unknown_labels(spec: Spec, doc: Any, expect: dict[str, Any], path: Any) -> list[Problem]:
    """A `fired:` or `not_fired:` label that names no rule: the expectation could never fail (or pass)."""
    import difflib

    labels = sorted({t.label for t in spec.triggers})
    out = []
    for key in ("fired", "not_fired"):
        given = expect.get(key) or []
        for i, label in enumerate(given if isinstance(given, list) else [given]):
            if str(label) not in labels:
                close = difflib.get_close_matches(str(label), labels, n=1, cutoff=0.5)
                where = (*path, key, i) if isinstance(given, list) else (*path, key)
                if close:
                    out.append(doc.say("scenario.label_typo", where, key=key, label=str(label), suggestion=close[0]))
                else:
                    out.append(doc.say("scenario.unknown_label", where, key=key, label=str(label)))
    return out


def _number(value: Any) -> Decimal | Fraction | None:
    if isinstance(value, bool):
        return None
    text = str(value)
    try:
        return Fraction(text.replace(" ", "")) if "/" in text else canonical(Decimal(text))
    except (ArithmeticError, ValueError):
        return None


def _got(what: str | Said, expected: Any, actual: Any) -> Said:
    return Said("authoring.expected_got", what=what, expected=str(expected), actual=str(actual))


def _compare(what: str | Said, expected: Any, actual: Any, declared: str | None = None) -> Said | None:
    if declared == "bool" or isinstance(actual, bool):
        if not isinstance(expected, bool):
            return Said("authoring.expected_yes_no", what=what, expected=str(expected))
        return None if expected is bool(actual) else _got(what, expected, bool(actual))
    if isinstance(actual, Decimal | int):
        wanted = _number(expected)
        if wanted is None or wanted != actual:
            return _got(what, expected, format_points(actual))
        return None
    if expected != actual:
        return _got(what, expected, actual)
    return None


def check_case(spec: Spec, case: Case) -> Outcome:
    """Run one case and compare every expectation."""
    expect = case.expect
    if case.units is not None:
        return _check_batch(spec, case)
    try:
        result = spec.evaluate(case.unit, as_of=case.as_of)
    except AssessRulesError as exc:
        text = "; ".join(p.message for p in exc.problems)
        if "error" in expect and str(expect["error"]) in text:
            return Outcome(case, ())
        return Outcome(case, (Said("authoring.rejected", problems=list(exc.problems)),))
    if "error" in expect:
        return Outcome(case, (Said("authoring.expected_error", error=repr(expect["error"]),
                                   score=format_points(result.score)),))
    return Outcome(case, tuple(d for d in _differences(spec, result, expect) if d))


def _check_batch(spec: Spec, case: Case) -> Outcome:
    """Score a case's batch (sub-units before their parents, then the groups) and compare each unit and group."""
    expect = case.expect
    try:
        results, groups = spec.evaluate_groups(list(case.units or ()), as_of=case.as_of)
    except AssessRulesError as exc:
        text = "; ".join(p.message for p in exc.problems)
        if "error" in expect and str(expect["error"]) in text:
            return Outcome(case, ())
        return Outcome(case, (Said("authoring.batch_rejected", problems=list(exc.problems)),))
    if "error" in expect:
        return Outcome(case, (Said("authoring.expected_error", error=repr(expect["error"]),
                                   score=", ".join(f"{r.record[0]} {format_points(r.score)}" for r in results)),))
    out: list[Said] = []
    by_id = {r.record[0]: r for r in results}
    for uid, wanted in (expect.get("units") or {}).items():
        result = by_id.get(str(uid))
        if result is None:
            out.append(Said("authoring.no_unit", unit=str(uid)))
            continue
        out.extend(Said("authoring.of_unit", unit=str(uid), difference=d)
                   for d in _differences(spec, result, wanted) if d)
    by_group = {g.id: g for g in groups}
    for gid, wanted in (expect.get("groups") or {}).items():
        group = by_group.get(str(gid))
        if group is None:
            out.append(Said("authoring.no_group", group=str(gid), groups=list(by_group) or Said("authoring.none")))
            continue
        found: list[Said | None] = [_compare(key, wanted[key], actual) for key, actual in
                                    (("score", group.score), ("grade", group.grade)) if key in wanted]
        if "members" in wanted:
            ids = [u for u, _, _ in group.members]
            members = wanted["members"]
            found.append(_compare("members", members, len(ids)) if isinstance(members, int)
                         else None if [str(m) for m in members or []] == ids else _got("members", members, ids))
        out.extend(Said("authoring.of_group", group=str(gid), difference=d) for d in found if d)
    return Outcome(case, tuple(out))


def _differences(spec: Spec, result: Result, expect: Mapping[str, Any]) -> list[Said | None]:
    out: list[Said | None] = []
    for key, actual in (("score", result.score), ("table_score", result.table_score), ("grade", result.grade),
                        ("commended", result.commended), ("deduction", result.deduction),
                        ("grade_deduction", result.grade_deduction), ("bonus", result.bonus),
                        ("bonus_claimed", result.bonus_claimed), ("bonus_gated", result.bonus_gated)):
        if key in expect:
            out.append(_compare(key, expect[key], actual))
    if "veto" in expect:
        veto = result.veto.label if result.veto is not None else False
        wanted = expect["veto"] if expect["veto"] not in (None, False) else False
        if wanted != veto:
            out.append(_got("veto", wanted or Said("authoring.none"), veto or Said("authoring.none")))
    scores = {i.id: i for i in result.indicators}
    for node_id, wanted in (expect.get("indicators") or {}).items():
        node = scores.get(str(node_id))
        out.append(Said("authoring.no_indicator", id=str(node_id)) if node is None
                   else _compare(Said("authoring.indicator", name=node.name, id=str(node_id)), wanted, node.score))
    derived = result.derived
    declared = {d.name: d.value_type for d in spec.derived}
    for name, wanted in (expect.get("derived") or {}).items():
        out.append(Said("authoring.no_derived", name=name) if name not in derived
                   else _compare(f"derived.{name}", wanted, derived[name], declared[name]))
    if "consequences" in expect and list(expect["consequences"] or []) != list(result.consequences):
        out.append(_got("consequences", expect["consequences"] or [], list(result.consequences)))
    fired = [f.label for f in result.fired]
    for label in expect.get("fired") or []:
        if label not in fired:
            out.append(Said("authoring.did_not_fire", label=label, fired=fired or Said("authoring.nothing")))
    for label in expect.get("not_fired") or []:
        if label in fired:
            out.append(Said("authoring.fired", label=label))
    return out


def run_cases(spec: Spec, cases: Sequence[Case]) -> list[Outcome]:
    """Run every case."""
    return [check_case(spec, c) for c in cases]


def render_outcomes(path: str, outcomes: Sequence[Outcome], lang: str = "zh") -> str:
    """✓/✗ per case, each difference under its case, then a count; in ``lang`` (``zh``, the default, or ``en``)."""
    lines = [Said("authoring.cases", path=path, count=len(outcomes)).say(lang)]
    for o in outcomes:
        lines.append(f"  {'✓' if o.passed else '✗'} {o.case.name}")
        if not o.passed:
            lines.append("      " + Said("authoring.case_at", location=o.case.location).say(lang))
            lines.extend(f"      {say(d, lang)}" for d in o.differences)
    failed = sum(not o.passed for o in outcomes)
    lines.append(Said("authoring.passed_failed", passed=len(outcomes) - failed, failed=failed).say(lang))
    return "\n".join(lines) + "\n"


__all__ = ["Case", "Outcome", "check_case", "default_tests_for", "load_cases", "render_outcomes", "run_cases",
           "spec_for_cases"]

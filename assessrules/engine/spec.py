"""A compiled spec: one year's rules, ready to score units.

:class:`Spec` is the checked :class:`~assessrules.rules.ruleset.Rules` with its
compiled scorer and fact checkers; :func:`load_spec` reads, checks and compiles
in one step.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .. import periods, workdays
from ..errors import EvaluationError, FactsError, Path, Problem, UsageError
from ..messages import problem
from ..numbers import DECIMAL_CONTEXT
from ..rules.access import allowed_roots
from ..rules.derive import SUBUNITS, Derived, SubUnit
from ..rules.document import Document
from ..rules.limits import echo
from ..rules.loader import read_spec_document, rules_from_document, text_document
from ..rules.reading import collector_held
from ..rules.ruleset import Rules
from ..workdays import CalendarError
from .bulletin import Bulletin, as_it_stood, bulletin
from .checking import FastCheck, check_unit
from .compiler import compile_checker, compile_deriver, compile_expression, compile_spec, derive_input, derive_reads
from .groups import GroupResult, score_groups
from .results import Result, Trace, Unit
from .subunits import family_problems, reads_indicators, reads_subunits, scoring_order, subunit_of
from .types import Program, Record


@attrs.frozen(eq=False)
class Spec(Rules):
    """One year's rules (考核办法), compiled: load with :func:`assessrules.load_spec`, then evaluate units.

    >>> import assessrules
    >>> spec = assessrules.spec_from_text('''
    ... spec_format: 1
    ... metadata: {id: tiny, title: 小例子, scale: 10}
    ... unit_types: {town: {label: 镇}}
    ... facts: {late: {type: count, label: 迟报条数, default: 0}}
    ... indicators: [{id: timely, name: 时效性, points: 10, deduct: [{label: 迟报, per: late, points: 1}]}]
    ... grades: [{id: ok, label: 合格, at_least: 6}, {id: bad, label: 不合格, below: 6, deduct: 50%}]
    ... ''')
    >>> result = spec.evaluate({"id": "a", "name": "甲镇", "type": "town", "target": 3, "facts": {"late": 5}})
    >>> result.score, result.grade, result.deduction
    (Decimal('5'), '不合格', Decimal('1.5'))
    """

    _program: Program = attrs.field(init=False, repr=False)
    _untraced: Program = attrs.field(init=False, repr=False)
    _fast_check: Callable[[Any, Any], Record | None] = attrs.field(init=False, repr=False)
    _derivers: tuple[tuple[Derived, Any], ...] = attrs.field(init=False, repr=False)
    _fast_derive: Callable[[Any], tuple[dict[str, Any], dict[str, Any]]] = attrs.field(init=False, repr=False)
    _retrace: Callable[[Record], Trace] = attrs.field(init=False, repr=False)
    fast_facts: Mapping[str | None, FastCheck] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        object.__setattr__(self, "_program", compile_spec(self))
        object.__setattr__(self, "_untraced", compile_spec(self, trace=False))
        object.__setattr__(self, "_fast_check", compile_checker(self))
        object.__setattr__(self, "fast_facts", {k: compile_checker(self, g) for k, g in self.fact_groups.items() if g})
        object.__setattr__(self, "_derivers", tuple(
            (d, compile_expression(self, d.expression, d.each, d.of is not None)) for d in self.derived))
        object.__setattr__(self, "_fast_derive", compile_deriver(self, [fn for _, fn in self._derivers]))
        object.__setattr__(self, "_retrace", self.trace_of)

    @classmethod
    def compile(cls, rules: Rules) -> Spec:
        """Compile checked rules into their scorer."""
        return cls(**{f.name: getattr(rules, f.name) for f in attrs.fields(Rules) if f.init})

    def rules(self) -> Rules:
        """The checked rules without their compiled functions: plain data, which pickles."""
        return Rules(**{f.name: getattr(self, f.name) for f in attrs.fields(Rules) if f.init})

    def __reduce__(self) -> tuple[Any, ...]:
        # The compiled functions do not pickle; the checked rules do, and compile again on the other side.
        return (_compiled, (self.rules(),))

    # --- facts -----------------------------------------------------------------------

    def check_unit(self, unit: Mapping[str, Any], path: Path = (), as_of: dt.date | str | None = None) -> Unit:
        """Check one unit's facts against the declarations; raise :class:`FactsError` listing every problem."""
        return Unit.from_record(self._check_record(unit, path, self._as_of(as_of)))

    def _check_record(self, unit: Mapping[str, Any], path: Path, as_of: dt.date | None) -> Record:
        checked = self._fast_check(unit, as_of)
        if checked is not None:
            return checked
        problems: list[Problem] = []
        checked = check_unit(self, unit, path, problems, as_of, fast_facts=self.fast_facts)
        if problems or checked is None:
            raise FactsError(problems)
        return checked

    def _snapshot(self, unit: Mapping[str, Any], when: dt.date | None) -> Mapping[str, Any]:
        if when is None:
            raise UsageError([problem("usage.snapshot_date")])
        return as_it_stood(self, unit, when) if isinstance(unit, Mapping) else unit

    @staticmethod
    def _is_period(as_of: dt.date | str | None) -> bool:
        """True for an assessment date written as a period ("2021Q2"): a snapshot as of its last day."""
        if not isinstance(as_of, str):
            return False
        try:
            periods.parse(as_of)
        except ValueError:
            return False
        return True

    def _as_of(self, as_of: dt.date | str | None) -> dt.date | None:
        if isinstance(as_of, str):  # ISO text (2022-01-10), or a period (2021Q2: as of its last day)
            if self._is_period(as_of):
                return periods.parse(as_of).end
            try:
                as_of = dt.date.fromisoformat(as_of.strip())
            except ValueError:
                raise UsageError([problem("usage.as_of", value=echo(repr(as_of)))]) from None
        if as_of is not None and not isinstance(as_of, dt.date):
            raise UsageError([problem("usage.as_of", value=echo(repr(as_of)))])
        return as_of or self.default_as_of

    # --- scoring ---------------------------------------------------------------------

    def evaluate(self, unit: Mapping[str, Any], *, as_of: dt.date | str | None = None,
                 snapshot: bool = False) -> Result:
        """Check and score one unit: ``{"id", "name", "type", "target", "facts"[, "periods"]}``.

        ``as_of`` is the assessment date (default :attr:`default_as_of`), a date or ISO text such as
        ``"2022-01-10"``: the periods up to it are required, and unpublished records are judged against it.
        With ``snapshot=True``, or an ``as_of`` written as a period (``"2021Q2"``: as of its last day),
        the unit is scored as it stood then: later periods and records dated later are left out
        instead of refused.
        """
        when = self._as_of(as_of)
        if snapshot or self._is_period(as_of):
            unit = self._snapshot(unit, when)
        record = self._check_record(unit, (), when)
        with decimal.localcontext(DECIMAL_CONTEXT):
            return self._score(record)

    def evaluate_many(self, units: Sequence[Mapping[str, Any]], *, explain: bool = True,
                      as_of: dt.date | str | None = None, snapshot: bool = False,
                      progress: Callable[[int], None] | None = None) -> list[Result]:
        """Check every unit first (raising one :class:`FactsError` for all problems), then score each.

        With ``explain=False`` the scorer records no trace, which is faster; a result's
        explanation (``fired``, ``indicators``, ``explain()``) is then rebuilt when first asked for.
        ``progress``, if given, is called with the number of units done since its last call.
        """
        if isinstance(units, str | bytes | Mapping) or not isinstance(units, Iterable):
            raise UsageError([problem("usage.units_not_list", kind=type(units).__name__)])
        units = units if isinstance(units, Sequence) else list(units)
        when = self._as_of(as_of)
        if snapshot or self._is_period(as_of):  # as it stood then (see evaluate)
            units = [self._snapshot(u, when) for u in units]
        with quiet_collector(promote=len(units) >= PROMOTE_AT):
            return self._evaluate_many(units, self._program if explain else self._untraced, when, progress)

    def _evaluate_many(self, units: Sequence[Mapping[str, Any]], program: Program,
                       as_of: dt.date | None, progress: Callable[[int], None] | None = None) -> list[Result]:
        problems: list[Problem] = []
        checked: list[Record] = []
        seen: dict[str, int] = {}
        fast = self._fast_check
        for i, unit in enumerate(units):
            record = fast(unit, as_of) or check_unit(self, unit, ("units", i), problems, as_of, fast_facts=self.fast_facts)
            if record is None:
                continue
            uid = record[0]
            if uid in seen:
                problems.append(duplicate_id(uid, seen[uid], i))
            seen[uid] = i
            checked.append(record)
        if problems:
            raise FactsError(problems)
        family = any(r[6] is not None for r in checked)
        if family:  # sub-units name their parents: each must be a unit of the batch, of a type allowed, no cycle
            problems = family_problems(self, checked, seen)
            if problems:
                raise FactsError(problems)
        if family and reads_subunits(self):
            return self._score_family(checked, program, seen, progress)
        score = self._score
        out: list[Result] = []
        step = 256 if progress is not None else max(len(checked), 1)
        with decimal.localcontext(DECIMAL_CONTEXT):
            try:
                for start in range(0, len(checked), step):
                    out.extend(score(r, program) for r in checked[start:start + step])
                    if progress is not None:
                        progress(len(checked[start:start + step]))
            except FactsError as exc:  # a record found wrong only when scored (a date off the calendar)
                raise FactsError([attrs.evolve(p, path=("units", seen[p.unit], *p.path)) if p.unit in seen else p
                                  for p in exc.problems]) from None
        return out

    def _score_family(self, checked: Sequence[Record], program: Program, seen: dict[str, int],
                      progress: Callable[[int], None] | None) -> list[Result]:
        """Score sub-units before their parents, each parent reading what its sub-units gave; in the batch's order."""
        order, children = scoring_order(checked)
        indicators = reads_indicators(self)
        out: list[Result | None] = [None] * len(checked)
        with decimal.localcontext(DECIMAL_CONTEXT):
            try:
                for i in order:
                    subs = tuple(subunit_of(r, indicators) for c in children.get(i, ()) if (r := out[c]) is not None)
                    out[i] = self._score(checked[i], program, subs)
            except FactsError as exc:  # a record found wrong only when scored (a date off the calendar)
                raise FactsError([attrs.evolve(p, path=("units", seen[p.unit], *p.path)) if p.unit in seen else p
                                  for p in exc.problems]) from None
        if progress is not None:
            progress(len(checked))
        return [r for r in out if r is not None]

    def check_records(self, units: Sequence[Mapping[str, Any]], as_of: dt.date | None,
                      start: int = 0) -> list[tuple[Record | None, list[Problem]]]:
        """Check each unit alone (units[k] is unit ``start + k`` of the file): its record, or its problems.

        The parts of :meth:`evaluate_many` that worker processes share out (see :mod:`.batch`).
        """
        fast = self._fast_check
        out: list[tuple[Record | None, list[Problem]]] = []
        for k, unit in enumerate(units):
            record = fast(unit, as_of)
            if record is not None:
                out.append((record, []))
                continue
            problems: list[Problem] = []
            record = check_unit(self, unit, ("units", start + k), problems, as_of, fast_facts=self.fast_facts)
            out.append((None if problems else record, problems))
        return out

    def outcome_of(self, record: Record, explain: bool = True) -> tuple[Record, tuple[Any, ...]]:
        """Derive and score one checked record: the record with its derived values, and the scorer's outcome."""
        result = self._score(record, self._program if explain else self._untraced)
        return result.record, result.outcome

    def result_of(self, record: Record, outcome: tuple[Any, ...]) -> Result:
        """The result of a record scored elsewhere (by :meth:`outcome_of`, in another process)."""
        return Result(self, record, outcome, self._retrace)

    def evaluate_groups(self, units: Sequence[Mapping[str, Any]], *, as_of: dt.date | str | None = None,
                        snapshot: bool = False) -> tuple[list[Result], tuple[GroupResult, ...]]:
        """Score the units (the members) first, then every group the spec declares from their results."""
        results = self.evaluate_many(units, as_of=as_of, snapshot=snapshot)
        return results, self.score_groups(results)

    def score_groups(self, results: Sequence[Result]) -> tuple[GroupResult, ...]:
        """Every group the spec declares (全县), scored from ``results``, its members' results; () without groups."""
        return tuple(g for group in self.groups for g in score_groups(self, group, results))

    def _derive(self, record: Record, subunits: Sequence[SubUnit] | None = None) -> Record:
        """Compute the derived values into the facts, and keep their evidence (compiled; see :func:`compile_deriver`).

        ``subunits`` are what the unit's sub-units gave, for the values read from them (none: nothing to read)."""
        if subunits:  # handed to the derived values with the facts, and gone from the record afterwards
            record = (*record[:4], {**record[4], SUBUNITS: tuple(subunits)}, *record[5:])
        try:
            facts, evidence = self._fast_derive(record[4])
        except Exception:  # the reference way computes it again, and says where it fails
            derived = self._derive_reference(record)
            derived[4].pop(SUBUNITS, None)
            record[4].pop(SUBUNITS, None)
            return derived
        facts.pop(SUBUNITS, None)
        if subunits:
            record[4].pop(SUBUNITS, None)
        return (*record[:4], facts, evidence, record[6])

    def _derive_reference(self, record: Record) -> Record:
        """Compute the derived values one by one through :meth:`Derived.compute`, locating a failure."""
        facts = dict(record[4])
        ns = derive_input(self, record[4])  # what the expressions read: exact facts in an exact spec
        evidence: dict[str, Any] = {}
        for derived, fn in self._derivers:
            try:
                value, found = derived.compute(fn, ns)
            except (ArithmeticError, TypeError, ValueError) as exc:
                raise self._locate_derive_failure(record, derived, fn, ns, exc) from None
            facts[derived.name], evidence[derived.name] = derived.stored(value), derived.stored_evidence(found)
            ns[derived.name] = derive_reads(facts[derived.name]) if self.rounding is not None else facts[derived.name]
        return (*record[:4], facts, evidence, record[6])

    def _locate_derive_failure(self, record: Record, derived: Derived, fn: Any, facts: Mapping[str, Any],
                               exc: Exception) -> EvaluationError | FactsError:
        failed: int | None = None
        if derived.of is not None:
            for i, rec in enumerate(facts[derived.of]):
                try:
                    fn(facts, None, rec)
                except Exception as inner:  # the first record that fails is the one to name
                    exc, failed = inner, i
                    break
        if isinstance(exc, CalendarError):  # the record's date is off, not the spec
            first, last = workdays.coverage()
            rec = facts[derived.of][failed] if derived.of is not None and failed is not None else {}
            day = next((v for v in rec.values() if isinstance(v, dt.date) and not first <= v.year <= last), None)
            found = problem("facts.calendar", ("facts", derived.of or "", failed or 0), unit=record[0], unit_name=record[1],
                            fact=derived.of, record=(failed or 0) + 1, first_year=first, last_year=last,
                            day=day.isoformat() if day else "?", title=_titled(rec))
            if failed is not None:
                return FactsError([found])
            return EvaluationError([attrs.evolve(found, path=derived.path, file=self.source)])
        return EvaluationError([problem(_cause(exc), derived.path, file=self.source, unit=record[0], unit_name=record[1],
                                        record=None if failed is None else failed + 1,
                                        within=("label.derived", derived.label), error=type(exc).__name__)])

    def _score(self, record: Record, program: Program | None = None, subunits: Sequence[SubUnit] | None = None
               ) -> Result:
        if self._derivers:
            record = self._derive(record, subunits)
        try:
            return Result(self, record, (program or self._program)(record[4], record[2], record[3], record[0]),
                          self._retrace)
        except EvaluationError as exc:
            raise EvaluationError([attrs.evolve(p, unit=record[0],  # named as 单位“…”（…） where said from values
                                                args=(*p.args, ("unit_name", record[1])) if p.args is not None else None)
                                   for p in exc.problems]) from None
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise self._locate_failure(record, exc) from None

    def _locate_failure(self, record: Record, exc: Exception) -> EvaluationError:
        """Find, with the reference evaluator, which rule failed on this unit."""
        values = {**{k: p.value for k, p in self.parameters.items()}, **record[4]}
        for trigger in self.triggers:
            if trigger.each:
                continue
            for expression in trigger.expressions():
                try:
                    expression.interpret(values)
                except Exception as inner:  # any failure here is the one to report
                    return EvaluationError([problem(
                        "evaluation.expression", trigger.path, file=self.source, unit=record[0], unit_name=record[1],
                        trigger=trigger.label, expression=expression.text,
                        error=type(inner).__name__)])
        return EvaluationError([problem(_cause(exc), (), file=self.source, unit=record[0], unit_name=record[1],
                                        error=type(exc).__name__)])

    def trace_of(self, record: Record) -> Trace:
        """Score ``record`` again, recording the trace (for results scored without one)."""
        with decimal.localcontext(DECIMAL_CONTEXT):
            trace: Trace = self._program(record[4], record[2], record[3], record[0])[7]
        return trace

    def bulletin(self, units: Sequence[Mapping[str, Any]], quarter: str) -> Bulletin:
        """The quarterly bulletin (通报) of ``quarter``, e.g. ``"2021Q3"``: see :mod:`assessrules.engine.bulletin`."""
        with decimal.localcontext(DECIMAL_CONTEXT):
            return bulletin(self, self.evaluate_many, units, quarter)


def duplicate_id(uid: str, first: int, again: int) -> Problem:
    """The problem of unit ``again`` reusing the id of unit ``first`` (indices from 0)."""
    return problem("facts.duplicate_unit", ("units", again, "id"), unit=uid, first=first + 1)


def _titled(record: Mapping[str, Any]) -> str:
    """A record's title as a message puts it after the record's number: `` 《国庆节期间值班安排》``, or nothing."""
    title = record.get("title") or record.get("name")
    return f" 《{title}》" if isinstance(title, str) and title else ""


def _cause(exc: BaseException) -> str:
    """The code that says why a computation failed: division by zero, a result too large, …"""
    if isinstance(exc, ZeroDivisionError | decimal.DivisionByZero | decimal.DivisionUndefined):
        return "evaluation.division_by_zero"
    if isinstance(exc, decimal.Overflow | OverflowError):
        return "evaluation.overflow"
    if isinstance(exc, decimal.InvalidOperation):
        return "evaluation.invalid_operation"
    if isinstance(exc, TypeError) and "NoneType" in str(exc):  # an operand was None: a value not given
        return "evaluation.missing_value"
    return "evaluation.failed"


PROMOTE_AT = 1_000
"""From this many units, :meth:`Spec.evaluate_many` promotes what is alive at its end (see :func:`quiet_collector`).

A smaller batch (a service request of a few units) leaves the young generations alone: a program that
scores small batches often would otherwise move its own young objects, cyclic garbage included, to
the oldest generation at every call, where only the rarer full collections look at them."""


def quiet_collector(promote: bool = False) -> contextlib.AbstractContextManager[None]:
    """Hold the cyclic garbage collector while a batch is scored.

    A batch allocates many small acyclic objects (tuples, dicts, Decimals); the cyclic
    collector would rescan all of them again and again for nothing, so it waits.

    With ``promote``, when the batch ends normally, every object still alive (the results, and
    whatever else the program holds) is moved to the oldest generation without a scan: a result
    list is long-lived, and the young collection that follows a batch would otherwise walk every
    object the batch made (about a third of the time of a traced batch of the 2021 spec), then
    the next collections walk them again. It is done as ``gc.freeze()`` then ``gc.unfreeze()``
    (documented: unfrozen objects go to the oldest generation), and only when nothing is frozen
    already, so that objects a program froze on purpose stay frozen. Nothing is leaked: a full
    collection (``gc.collect()``, or the next one Python makes) still scans and frees them; cyclic
    garbage that was young at that moment is freed by that full collection instead of a young one
    (which is why :meth:`Spec.evaluate_many` promotes only from :data:`PROMOTE_AT` units).
    The collector's settings (enabled, thresholds, frozen count) are as they were after the block.
    """
    return collector_held(promote)  # the same hold as while a document is read


def _compiled(rules: Rules) -> Spec:
    """Compile unpickled rules (see :meth:`Spec.__reduce__`)."""
    return Spec.compile(rules)


def spec_from_document(document: Document, allow: Iterable[str | os.PathLike[str]] | None = None) -> Spec:
    """Check and compile a spec already read into a :class:`~assessrules.rules.document.Document`."""
    return Spec.compile(rules_from_document(document, allowed_roots(allow)))


def load_spec(source: str | os.PathLike[str], allow: Iterable[str | os.PathLike[str]] | None = None) -> Spec:
    """Load, check and compile a spec from a path or a bundled id such as ``"2021"``.

    An ``extends:`` may name a bundled id or a file inside the spec's own folder tree; ``allow``
    lists further folders it may read from (see docs/security.md).

    >>> spec = load_spec("2021")
    >>> spec.metadata.document_number
    '镇考办发〔2021〕10号'
    """
    roots = allowed_roots(allow)
    return Spec.compile(rules_from_document(read_spec_document(source), roots))


def spec_from_text(text: str, file: str = "<text>", allow: Iterable[str | os.PathLike[str]] | None = None) -> Spec:
    """Load a spec from YAML text; ``file`` names it in messages.

    >>> spec_from_text(open("specs/2021.yaml", encoding="utf-8").read(), "2021.yaml").metadata.year
    2021
    """
    return spec_from_document(text_document(text, file), allow)


__all__ = ["Spec", "load_spec", "spec_from_document", "spec_from_text"]

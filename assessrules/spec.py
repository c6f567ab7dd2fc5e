"""A loaded spec: the rules of one year, ready to score units."""

from __future__ import annotations

import datetime as dt
import decimal
import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .checking import check_unit
from .compiler import Program, Record, compile_checker, compile_expression, compile_spec
from .derive import Derived
from .errors import EvaluationError, FactsError, Path, Problem, UsageError
from .expressions import DECIMAL_CONTEXT
from .facts import Fact
from .kinds import Trigger
from .model import Assumption, Bonus, Conversion, Grade, Indicator, Metadata, Parameter, UnitType
from .periods import PERIOD_KINDS
from .results import Result, Unit
from .workdays import CalendarError

if TYPE_CHECKING:
    from .bulletin import Bulletin


@attrs.frozen(eq=False)
class Spec:
    """One year's rules (考核办法): load with :func:`assessrules.load_spec`, then evaluate units.

    >>> import assessrules
    >>> from assessrules.loader import spec_from_text
    >>> spec = spec_from_text('''
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

    metadata: Metadata
    unit_types: Mapping[str, UnitType]
    parameters: Mapping[str, Parameter]
    facts: Mapping[str, Fact]
    root: Indicator
    grades: tuple[Grade, ...]
    direct_deductions: tuple[Trigger, ...]
    assumptions: Mapping[str, Assumption]
    triggers: tuple[Trigger, ...]
    source: str
    sha256: str
    direct_clause: str | None = None
    derived: tuple[Derived, ...] = ()
    limit_to_target: bool = True
    bonus: Bonus | None = None
    vetoes: tuple[Trigger, ...] = ()
    conversion: Conversion | None = None
    not_applicable: str = "full_marks"  # or "rescale", "spread": what the points of an indicator that does not apply do
    positions: Mapping[Path, tuple[int, int]] = attrs.field(factory=dict, repr=False)
    sources: tuple[str, ...] = ()  # every file the spec was read from, the base first
    nodes: tuple[Indicator, ...] = attrs.field(init=False, repr=False)
    trigger_owner: Mapping[int, int] = attrs.field(init=False, repr=False)
    _program: Program = attrs.field(init=False, repr=False)
    _untraced: Program = attrs.field(init=False, repr=False)
    _fast_check: Callable[[Any, Any], Record | None] = attrs.field(init=False, repr=False)
    _derivers: tuple[tuple[Derived, Any], ...] = attrs.field(init=False, repr=False)
    _dated_records: tuple[Fact, ...] = attrs.field(init=False, repr=False)
    _period_kinds: tuple[str, ...] = attrs.field(init=False, repr=False)
    fact_groups: Mapping[str | None, Mapping[str, Fact]] = attrs.field(init=False, repr=False)
    fast_facts: Mapping[str | None, Callable[[Any], dict[str, Any] | None]] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_dated_records",
                           tuple(f for f in self.facts.values() if f.type == "records" and f.dated_by))
        object.__setattr__(self, "_period_kinds",
                           tuple(k for k in PERIOD_KINDS if any(f.period == k for f in self.facts.values())))
        nodes = tuple(sorted(self.root.walk(), key=lambda n: n.index))
        owner = {t.index: n.index for n in nodes for t in n.triggers}
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "trigger_owner", owner)
        object.__setattr__(self, "_program", compile_spec(self))
        object.__setattr__(self, "_untraced", compile_spec(self, trace=False))
        object.__setattr__(self, "_fast_check", compile_checker(self))
        groups: dict[str | None, Mapping[str, Fact]] = {None: {n: f for n, f in self.facts.items() if f.period is None}}
        groups.update({k: {n: f for n, f in self.facts.items() if f.period == k} for k in PERIOD_KINDS})
        object.__setattr__(self, "fact_groups", groups)
        object.__setattr__(self, "fast_facts", {k: compile_checker(self, g) for k, g in groups.items() if g})
        object.__setattr__(self, "_derivers", tuple(
            (d, compile_expression(self, d.expression, d.each, d.of is not None)) for d in self.derived))

    @property
    def year(self) -> int | None:
        """The year the spec assesses, from its metadata."""
        if self.metadata.year is not None:
            return self.metadata.year
        return self.metadata.effective_from.year if self.metadata.effective_from else None

    @property
    def dated_records(self) -> tuple[Fact, ...]:
        """The records facts whose records carry the date they came to be (``dated_by``)."""
        return self._dated_records

    @property
    def period_kinds(self) -> tuple[str, ...]:
        """The kinds of period (month, quarter) the spec records facts for."""
        return self._period_kinds

    def grade_index(self, grade_id: str | None) -> int:
        """The index of the grade ``grade_id`` (the lowest grade for None)."""
        if grade_id is None:
            return len(self.grades) - 1
        return next(i for i, g in enumerate(self.grades) if g.id == grade_id)

    @property
    def graded_scale(self) -> Decimal:
        """The scale grades are read on: the converted one if the spec converts, else the table's."""
        return self.conversion.to if self.conversion is not None else self.metadata.scale

    def locate(self, path: Path) -> str:
        """``file:line:col`` of the value at ``path`` in the spec (or of its nearest parent)."""
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        line, column = self.positions.get(path, (None, None))
        return f"{self.source}:{line}:{column}" if line is not None else self.source

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the indicator with this id."""
        for node in self.nodes:
            if node.id == indicator_id:
                return node
        raise KeyError(indicator_id)

    def descendants_of(self, indices: Iterable[int]) -> frozenset[int]:
        """The given node indices and every index below them."""
        out: set[int] = set()
        for i in indices:
            out.update(n.index for n in self.nodes[i].walk())
        return frozenset(out)

    # --- facts -----------------------------------------------------------------------

    def check_unit(self, unit: Mapping[str, Any], path: Path = (), as_of: dt.date | str | None = None) -> Unit:
        """Check one unit's facts against the declarations; raise :class:`FactsError` listing every problem."""
        return Unit.from_record(self._check_record(unit, path, self._as_of(as_of)))

    def _check_record(self, unit: Mapping[str, Any], path: Path, as_of: dt.date | None) -> Record:
        checked = self._fast_check(unit, as_of)
        if checked is not None:
            return checked
        problems: list[Problem] = []
        checked = check_unit(self, unit, path, problems, as_of)
        if problems or checked is None:
            raise FactsError(problems)
        return checked

    def _as_of(self, as_of: dt.date | str | None) -> dt.date | None:
        if isinstance(as_of, str):
            try:
                as_of = dt.date.fromisoformat(as_of.strip())
            except ValueError:
                raise UsageError([Problem(f"the assessment date must be a date like 2022-01-10, not {as_of!r}",
                                          code="usage.as_of")]) from None
        if as_of is not None and not isinstance(as_of, dt.date):
            raise UsageError([Problem(f"the assessment date must be a date, not {as_of!r}", code="usage.as_of")])
        return as_of or self.default_as_of

    @property
    def default_as_of(self) -> dt.date | None:
        """The assessment date when none is given: the end of the spec's period of effect, or of its year."""
        if self.metadata.effective_to is not None:
            return self.metadata.effective_to
        return dt.date(self.year, 12, 31) if self.year is not None else None

    # --- scoring ---------------------------------------------------------------------

    def evaluate(self, unit: Mapping[str, Any], *, as_of: dt.date | str | None = None) -> Result:
        """Check and score one unit: ``{"id", "name", "type", "target", "facts"[, "periods"]}``.

        ``as_of`` is the assessment date (default :attr:`default_as_of`), a date or ISO text such as
        ``"2022-01-10"``: the periods up to it are required, and unpublished records are judged against it.
        """
        record = self._check_record(unit, (), self._as_of(as_of))
        with decimal.localcontext(DECIMAL_CONTEXT):
            return self._score(record)

    def evaluate_many(self, units: Sequence[Mapping[str, Any]], *, explain: bool = True,
                      as_of: dt.date | str | None = None) -> list[Result]:
        """Check every unit first (raising one :class:`FactsError` for all problems), then score each.

        With ``explain=False`` the scorer records no trace, which is faster; a result's
        explanation (``fired``, ``indicators``, ``explain()``) is then rebuilt when first asked for.
        """
        # A batch allocates many small acyclic objects (tuples, dicts, Decimals); the cyclic
        # collector would rescan all of them again and again for nothing, so it waits.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._evaluate_many(units, self._program if explain else self._untraced, self._as_of(as_of))
        finally:
            if collecting:
                gc.enable()

    def _evaluate_many(self, units: Sequence[Mapping[str, Any]], program: Program,
                       as_of: dt.date | None) -> list[Result]:
        problems: list[Problem] = []
        checked: list[Record] = []
        seen: dict[str, int] = {}
        fast = self._fast_check
        for i, unit in enumerate(units):
            record = fast(unit, as_of) or check_unit(self, unit, ("units", i), problems, as_of)
            if record is None:
                continue
            uid = record[0]
            if uid in seen:
                problems.append(Problem(f"unit id `{uid}` is used twice (also unit #{seen[uid] + 1})",
                                        ("units", i, "id"), unit=uid, hint="give each unit its own id",
                                        code="facts.duplicate_unit"))
            seen[uid] = i
            checked.append(record)
        if problems:
            raise FactsError(problems)
        score = self._score
        with decimal.localcontext(DECIMAL_CONTEXT):
            return [score(r, program) for r in checked]

    def _derive(self, record: Record) -> Record:
        """Compute the derived values into the facts, and keep their evidence."""
        facts = dict(record[4])
        evidence: dict[str, Any] = {}
        for derived, fn in self._derivers:
            try:
                facts[derived.name], evidence[derived.name] = derived.compute(fn, facts)
            except (ArithmeticError, TypeError, ValueError) as exc:
                raise self._locate_derive_failure(record, derived, fn, facts, exc) from None
        return (*record[:4], facts, evidence)

    def _locate_derive_failure(self, record: Record, derived: Derived, fn: Any, facts: Mapping[str, Any],
                               exc: Exception) -> EvaluationError:
        where = ""
        if derived.of is not None:
            for i, rec in enumerate(facts[derived.of]):
                try:
                    fn(facts, None, rec)
                except Exception as inner:  # the first record that fails is the one to name
                    title = rec.get("title") or rec.get("name") or ""
                    where = f" on record {i + 1}" + (f" 《{title}》" if title else "")
                    exc = inner
                    break
        hint = "give the missing value, or guard it with coalesce(…, …)" if isinstance(exc, TypeError) else None
        if isinstance(exc, CalendarError):
            hint = "the official holiday calendar does not cover this date; update the chinesecalendar package"
        return EvaluationError([Problem(f"派生值「{derived.label}」 cannot be computed{where}: {exc}",
                                        derived.path, self.source, unit=record[0], hint=hint)])

    def _score(self, record: Record, program: Program | None = None) -> Result:
        if self._derivers:
            record = self._derive(record)
        try:
            return Result(self, record, (program or self._program)(record[4], record[2], record[3], record[0]))
        except EvaluationError as exc:
            raise EvaluationError([attrs.evolve(p, unit=record[0]) for p in exc.problems]) from None
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
                    return EvaluationError([Problem(
                        f"「{trigger.label}」 cannot be evaluated: `{expression.text}` fails with "
                        f"{type(inner).__name__}", trigger.path, self.source, unit=record[0],
                        hint="guard the expression, e.g. `a / b if b > 0 else 0`")])
        return EvaluationError([Problem(f"scoring failed: {type(exc).__name__}: {exc}", (), self.source,
                                        unit=record[0])])

    def trace_of(self, record: Record) -> list[tuple[int, Any, Any, Any]]:
        """Score ``record`` again, recording the trace (for results scored without one)."""
        with decimal.localcontext(DECIMAL_CONTEXT):
            trace: list[tuple[int, Any, Any, Any]] = self._program(record[4], record[2], record[3], record[0])[7]
        return trace

    def bulletin(self, units: Sequence[Mapping[str, Any]], quarter: str) -> Bulletin:
        """The quarterly bulletin (通报) of ``quarter``, e.g. ``"2021Q3"``: see :mod:`assessrules.bulletin`."""
        from .bulletin import bulletin

        with decimal.localcontext(DECIMAL_CONTEXT):
            return bulletin(self, units, quarter)

    # --- views -----------------------------------------------------------------------

    def facts_schema(self) -> dict[str, Any]:
        """Return the JSON Schema of a facts file for this spec."""
        from .facts_file import facts_file_schema

        return facts_file_schema(self)


__all__ = ["Spec"]

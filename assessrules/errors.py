"""Errors that know where they are.

Every failure a user can meet is one of these, and each carries the
:class:`Problem` objects that say file, line, column, the path in the
document, what was expected and how to fix it::

    AssessRulesError                  base of everything raised on purpose
    ├── SpecError(ValueError)         the spec is wrong (exit code 2)
    ├── FactsError(ValueError)        a unit's facts are wrong (exit code 1)
    ├── EvaluationError(ArithmeticError)
    │                                 a valid spec failed on valid facts,
    │                                 e.g. a division by zero (exit code 1)
    └── UsageError(ValueError)        the command line was used wrongly (exit code 2)

The command line maps each class to its exit code (:attr:`exit_code`) and
prints the problems; it never prints a traceback for these. An error is raised
with its problems, each made from a catalogue code by
:func:`assessrules.messages.problem`; a bare string is refused (TypeError), since
its sentence could be said in one language only.

Every problem carries a stable ``code`` (``facts.missing``, ``spec.grade_gap``, …;
the list is in ``docs/errors.md``) that programs can rely on and that keys the
message catalogue (:mod:`assessrules.messages`). A problem raised without a more
precise code gets its error class's :attr:`~AssessRulesError.default_code`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

PROBLEMS_FORMAT = "assessrules.problems/1"
"""The version of the JSON form of errors (``schemas/problem-1.schema.json``)."""

PathItem = str | int
Path = tuple[PathItem, ...]


def json_path(path: Sequence[PathItem]) -> str:
    """Render a path the way JSONPath writes it: ``$.indicators[1].deduct[0].per``."""
    out = ["$"]
    for item in path:
        if isinstance(item, int):
            out.append(f"[{item}]")
        elif item.isidentifier():
            out.append(f".{item}")
        else:
            out.append(f"[{item!r}]")
    return "".join(out)


@attrs.frozen
class Problem:
    """One thing wrong, with where it is and what to do about it."""

    message: str
    path: Path = ()
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    unit: str | None = None
    code: str | None = None  # stable, e.g. "facts.missing"; an error fills in its class's default
    fact: str | None = None  # the fact concerned, by name
    period: str | None = None  # the period concerned: 2021-03 or 2021Q1
    record: int | None = None  # the record concerned, numbered from 1
    cell: str | None = None  # the spreadsheet cell concerned, e.g. "units!C4"
    # the values the catalogue's sentence for ``code`` names ({"expected": ..., "cell": ...}), as (name, value)
    # pairs; set by :func:`assessrules.messages.problem`, which says the sentence in either language. None: a
    # problem made otherwise (a caller's own), shown in its own words
    args: tuple[tuple[str, Any], ...] | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def json_path(self) -> str:
        """The path in the document, as ``$.a.b[0]``."""
        return json_path(self.path)

    @property
    def location(self) -> str:
        """``file:line:col`` as far as known."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = f" (at {self.json_path})" if self.path else ""
        who = f"unit {self.unit}: " if self.unit else ""
        text = f"{self.location}: {who}{self.message}{where}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        """Return the problem as plain data (``problem-1.schema.json``).

        >>> Problem("missing fact `x`", ("facts", "x"), code="facts.missing", fact="x").to_dict()["path"]
        '$.facts.x'
        """
        return {
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.json_path,
            "unit": self.unit,
            "fact": self.fact,
            "period": self.period,
            "record": self.record,
            "cell": self.cell,
        }


def with_code(problems: Iterable[Problem], code: str) -> list[Problem]:
    """Give ``code`` to each problem that has none yet."""
    return [p if p.code is not None else attrs.evolve(p, code=code) for p in problems]


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file and position, keeping their discovery order otherwise."""
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0))


class AssessRulesError(Exception):
    """Base of every error this library raises on purpose."""

    exit_code = 1
    default_code = "error"  # the code of a problem raised without a more precise one
    title = "An error"

    def __init__(self, problems: Sequence[Problem]) -> None:
        if isinstance(problems, str):  # a bare sentence would be English only, and have no code
            raise TypeError(f"{type(self).__name__} takes problems made by assessrules.messages.problem(code, …), "
                            "not a string")
        self.problems: tuple[Problem, ...] = tuple(
            p if p.code is not None else attrs.evolve(p, code=self.default_code) for p in problems)
        super().__init__(self._summary())

    def to_dict(self) -> dict[str, Any]:
        """Return the error as plain data (``problem-1.schema.json``): its kind, exit code and every problem."""
        return {"format": PROBLEMS_FORMAT, "title": self.title, "error": type(self).__name__,
                "code": self.default_code, "exit_code": self.exit_code,
                "problems": [p.to_dict() for p in self.problems]}

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines.extend(str(p) for p in self.problems)
        return "\n".join(lines)


class SpecError(AssessRulesError, ValueError):
    """The spec does not load: every problem found in it, each located."""

    exit_code = 2
    default_code = "spec.invalid"
    title = "The spec is not valid"


class FactsError(AssessRulesError, ValueError):
    """Some unit's facts are missing, unknown, of the wrong type or out of range."""

    exit_code = 1
    default_code = "facts.invalid"
    title = "The facts are not valid"


class EvaluationError(AssessRulesError, ArithmeticError):
    """A valid spec could not be evaluated on valid facts (e.g. division by zero)."""

    exit_code = 1
    default_code = "evaluation.failed"
    title = "A rule could not be evaluated"


class UsageError(AssessRulesError, ValueError):
    """The command line or the API was called with arguments that do not fit."""

    exit_code = 2
    default_code = "usage.invalid"
    title = "The request or command line is not valid"


__all__ = [
    "PROBLEMS_FORMAT",
    "AssessRulesError",
    "EvaluationError",
    "FactsError",
    "Path",
    "Problem",
    "SpecError",
    "UsageError",
    "json_path",
    "sort_problems",
    "with_code",
]

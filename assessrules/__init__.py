"""assessrules: score government units against a year's rules written as data.

>>> import assessrules
>>> spec = assessrules.load_spec("2021")
>>> spec.metadata.title
'镇坪县2021年政务公开工作考核办法'

The package is arranged in layers, each a subpackage that says what it owns
(see docs/architecture.md): the base modules (errors, numbers, periods,
workdays), ``rules`` (the rules as data), ``engine`` (checking, compiling,
scoring, results), ``inputs`` (facts files) and ``outputs`` (views of
results), ``authoring`` (tools for rule authors), and the shells (``cli``).
This module is the public face over all of them: heavy modules load on first
use, so that importing the package (and the command line's ``--help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .outputs import explain as _explain  # noqa: F401  (registers the text view of Result.explain())

if TYPE_CHECKING:
    from .engine.groups import GroupResult
    from .engine.results import FiredTrigger, IndicatorResult, Receipt, Result, Unit
    from .engine.spec import Spec, load_spec, spec_from_text
    from .errors import AssessRulesError, EvaluationError, FactsError, Problem, SpecError, UsageError
    from .rules.ruleset import Rules

_LAZY = {
    "AssessRulesError": "errors",
    "EvaluationError": "errors",
    "FactsError": "errors",
    "FiredTrigger": "engine.results",
    "GroupResult": "engine.groups",
    "IndicatorResult": "engine.results",
    "Problem": "errors",
    "Receipt": "engine.results",
    "Result": "engine.results",
    "Rules": "rules.ruleset",
    "Spec": "engine.spec",
    "SpecError": "errors",
    "Unit": "engine.results",
    "UsageError": "errors",
    "load_spec": "engine.spec",
    "spec_from_text": "engine.spec",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'assessrules' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*_LAZY, "__version__"])


__all__ = [
    "AssessRulesError",
    "EvaluationError",
    "FactsError",
    "FiredTrigger",
    "GroupResult",
    "IndicatorResult",
    "Problem",
    "Receipt",
    "Result",
    "Rules",
    "Spec",
    "SpecError",
    "Unit",
    "UsageError",
    "__version__",
    "load_spec",
    "spec_from_text",
]

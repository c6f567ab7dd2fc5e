"""assessrules: score government units against a year's rules written as data.

>>> import assessrules
>>> spec = assessrules.load_spec("2021")
>>> spec.metadata.title
'镇坪县2021年政务公开工作考核办法'

Heavy modules load on first use, so that importing the package (and the
command line's ``--help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .errors import AssessRulesError, EvaluationError, FactsError, Problem, SpecError, UsageError
    from .loader import load_spec
    from .results import FiredTrigger, IndicatorResult, Receipt, Result, Unit
    from .spec import Spec

_LAZY = {
    "AssessRulesError": "errors",
    "EvaluationError": "errors",
    "FactsError": "errors",
    "FiredTrigger": "results",
    "IndicatorResult": "results",
    "Problem": "errors",
    "Receipt": "results",
    "Result": "results",
    "Spec": "spec",
    "SpecError": "errors",
    "Unit": "results",
    "UsageError": "errors",
    "load_spec": "loader",
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
    "IndicatorResult",
    "Problem",
    "Receipt",
    "Result",
    "Spec",
    "SpecError",
    "Unit",
    "UsageError",
    "__version__",
    "load_spec",
]

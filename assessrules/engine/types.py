"""The shapes the engine passes between its parts: a checked unit and the compiled scorer."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

Program = Callable[[dict[str, Any], str, Decimal, str], tuple[Any, ...]]
"""``program(facts, unit_type, target, unit_id) -> (raw, final, not_applicable, grade, grade_deduction,
remaining_raw, remaining, trace, score, (bonus_raw, bonus, gated), veto)``: scores by node index
as tuples, the grade's index, the target value before and after its floor, the trace of fired
triggers, the graded score, the bonus before and after its cap and gate, the veto that
fired (−1 for none), the table's total before the triggers on the total, and what each indicator is
worth to the unit (its points, or its ``unit_points``)."""

Record = tuple[str, str, str, Decimal, dict[str, Any], Any, str | None]
"""A checked unit: (id, name, type, target, facts, evidence, parent). ``facts`` holds the annual facts,
``@month``/``@quarter`` period facts, derived values and ``as_of``; ``evidence`` the periods and
records behind each derived value (None until derived); ``parent`` the id of the unit it is a sub-unit
of (下属单位), or None."""


__all__ = ["Program", "Record"]

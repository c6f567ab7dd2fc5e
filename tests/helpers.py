"""Helpers shared by the tests: 2021 units built from example A of the reading, and values with their types spelt out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

ALL_IN_PLACE: dict[str, Any] = {
    "has_work_mechanism": True,
    "has_work_body": True,
    "fulltime_staff": 1,
    "parttime_staff": 1,
    "has_review_mechanism": True,
    "has_catalogue": True,
    "has_annual_report": True,
    "has_new_media_account": True,
    "has_interaction": True,
}
"""Example A of the reading: everything in place, no problem found."""

MONTH_MET: dict[str, Any] = {
    "info_published": 8,
    "key_areas_disclosed": True,
    "policy_documents": 1,
    "policy_interpretations": 1,
    "service_platform_ok": True,
    "online_service_ratio": Decimal("0.95"),
    "mailbox_overdue": 0,
    "columns_updated": True,
    "upload_error_rate": Decimal("0.002"),
}
"""One month in which all eight monthly items are met."""

MONTH_LABELS = [f"2021-{m:02d}" for m in range(1, 13)]


def months(missed: int = 0, upto: int = 12) -> dict[str, dict[str, Any]]:
    """Months 1..``upto`` of 2021, all items met but for ``missed`` misses, one per month from January."""
    out = {label: dict(MONTH_MET) for label in MONTH_LABELS[:upto]}
    for i in range(missed):
        out[MONTH_LABELS[i % upto]]["key_areas_disclosed" if i < upto else "columns_updated"] = False
    return out


def make_unit(target: Any = 3, unit_type: str = "town", uid: str = "u1", monthly_missed: int = 0,
              **facts: Any) -> dict[str, Any]:
    """A 2021 unit: everything in place (every month too) unless the arguments say otherwise."""
    return {"id": uid, "name": f"单位{uid}", "type": unit_type, "target": target, "facts": {**ALL_IN_PLACE, **facts},
            "periods": months(monthly_missed)}


def typed(value: Any) -> Any:
    """The value with the type of every part spelt out, so that 3 and Decimal('3') differ."""
    if isinstance(value, dict):
        return {"dict": [(typed(k), typed(v)) for k, v in value.items()]}
    if isinstance(value, list):
        return {"list": [typed(v) for v in value]}
    return (type(value).__name__, repr(value))

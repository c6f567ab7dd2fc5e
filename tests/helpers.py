"""Helpers shared by the tests: 2021 units built from example A of the reading."""

from __future__ import annotations

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


def make_unit(target: Any = 3, unit_type: str = "town", uid: str = "u1", **facts: Any) -> dict[str, Any]:
    """A 2021 unit: everything in place unless ``facts`` say otherwise."""
    return {"id": uid, "name": f"单位{uid}", "type": unit_type, "target": target, "facts": {**ALL_IN_PLACE, **facts}}

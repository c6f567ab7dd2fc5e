"""A small client of ``assessrules serve``, typed under ``mypy --strict``: what another system would write.

It knows only the HTTP contract (paths, JSON bodies, problem+json errors), never the library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict, cast

import httpx

JSON = dict[str, Any]


class ProblemItem(TypedDict):
    """One located problem, as ``schemas/problem-1.schema.json`` describes it."""

    code: str
    message: str
    hint: str | None
    file: str | None
    line: int | None
    column: int | None
    path: str
    unit: str | None
    fact: str | None
    period: str | None
    record: int | None
    cell: str | None


class ServiceProblemError(Exception):
    """The service answered with an RFC 9457 problem document."""

    def __init__(self, status: int, document: JSON) -> None:
        self.status = status
        self.document = document
        self.code: str = document["code"]
        self.problems: list[ProblemItem] = cast(list[ProblemItem], document["problems"])
        super().__init__(f"{status} {self.code}: {document.get('detail', '')}")


class Client:
    """Talk to one running service."""

    def __init__(self, base_url: str, *, timeout: float = 30.0) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=timeout)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _answer(self, response: httpx.Response) -> JSON:
        if response.headers.get("content-type", "").startswith("application/problem+json"):
            raise ServiceProblemError(response.status_code, cast(JSON, response.json()))
        response.raise_for_status()
        return cast(JSON, response.json())

    def specs(self) -> list[JSON]:
        """The served specs."""
        return cast(list[JSON], self._answer(self.http.get("/specs"))["specs"])

    def spec(self, spec_id: str) -> JSON:
        """The effective spec document."""
        return self._answer(self.http.get(f"/specs/{spec_id}"))

    def facts_schema(self, spec_id: str) -> JSON:
        """The JSON Schema of a facts file for the spec."""
        return self._answer(self.http.get(f"/specs/{spec_id}/facts-schema"))

    def evaluate(self, spec_id: str, unit: Mapping[str, Any], *, explain: Literal["text", "data"] | None = None,
                 as_of: str | None = None) -> JSON:
        """Score one unit."""
        return self._post(f"/specs/{spec_id}/evaluate", dict(unit), explain=explain, as_of=as_of)

    def evaluate_many(self, spec_id: str, units: Sequence[Mapping[str, Any]], *, as_of: str | None = None) -> JSON:
        """Score many units."""
        return self._post(f"/specs/{spec_id}/evaluate", {"units": [dict(u) for u in units]}, as_of=as_of)

    def bulletin(self, spec_id: str, units: Sequence[Mapping[str, Any]], quarter: str) -> JSON:
        """The quarterly bulletin."""
        return self._post(f"/specs/{spec_id}/bulletin", {"units": [dict(u) for u in units]}, quarter=quarter)

    def check_facts(self, spec_id: str, units: Sequence[Mapping[str, Any]]) -> JSON:
        """Check the facts only; every problem listed."""
        return self._post(f"/specs/{spec_id}/check-facts", {"units": [dict(u) for u in units]})

    def openapi(self) -> JSON:
        """The OpenAPI document."""
        return self._answer(self.http.get("/openapi.json"))

    def _post(self, path: str, body: JSON, **query: str | None) -> JSON:
        params = {k: v for k, v in query.items() if v is not None}
        return self._answer(self.http.post(path, json=body, params=params))


__all__ = ["JSON", "Client", "ProblemItem", "ServiceProblemError"]

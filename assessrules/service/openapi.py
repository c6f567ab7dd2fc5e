"""The OpenAPI 3.1 document of the service, built from the JSON Schemas the command line publishes.

The request bodies are each served spec's facts schema (``Spec.facts_schema()``, the same as
``assessrules facts-schema``); the responses are ``schemas/result-1.schema.json`` and errors
``schemas/problem-1.schema.json``. OpenAPI 3.1 takes JSON Schema 2020-12 as it is, so the
schemas are embedded unchanged, not restated as a second set of models.
"""

from __future__ import annotations

from typing import Any

from .. import _resources
from .._version import __version__
from .registry import Registry

PROBLEM = {"$ref": "#/components/schemas/Problem"}
RESULT = {"$ref": "#/components/schemas/Result"}


def _problems(*statuses: int) -> dict[str, Any]:
    words = {400: "the request is not valid", 404: "no such spec", 413: "the body is too large",
             415: "the body is declared as another media type than application/json",
             422: "the facts are not valid, or a rule fails on them", 500: "the spec does not load, or a bug",
             503: "the time limit per request was reached"}
    return {str(s): {"description": words[s], "content": {"application/problem+json": {"schema": PROBLEM}}}
            for s in statuses}


def _spec_param(ids: list[str]) -> dict[str, Any]:
    return {"name": "id", "in": "path", "required": True, "description": "a served spec's id (GET /specs)",
            "schema": {"enum": ids} if ids else {"type": "string"}}


LANGUAGE = {"name": "Accept-Language", "in": "header", "required": False, "schema": {"type": "string"},
            "description": "the language of a problem's `title`, `detail`, `message` and `hint`: Chinese unless "
                           "English is preferred (`en`, `en-US;q=0.9`); the codes are the same in either"}
"""The request header that chooses the language of the answers' words."""


def build_openapi(registry: Registry) -> dict[str, Any]:
    """Return the OpenAPI document for the specs in ``registry``."""
    schemas: dict[str, Any] = {"Result": _resources.load_schema("result-1.schema.json"),
                               "Problem": _resources.load_schema("problem-1.schema.json")}
    bodies = []
    for spec_id, entry in sorted(registry.entries.items()):
        if entry.spec is None:
            continue
        schemas[f"Facts-{spec_id}"] = entry.spec.facts_schema()
        bodies.append(spec_id)
    unit = [{"$ref": f"#/components/schemas/Facts-{i}/properties/units/items"} for i in bodies]
    files = [{"$ref": f"#/components/schemas/Facts-{i}"} for i in bodies]
    facts_body = {"required": True, "description": "one unit (an entry of a facts file's `units:`), or a facts file "
                                                   "`{\"units\": [...]}`; the schema of each spec's facts",
                  "content": {"application/json": {"schema": {"anyOf": unit + files} if bodies else {"type": "object"}}}}
    ids = sorted(registry.entries)
    spec = _spec_param(ids)
    as_of = {"name": "as_of", "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
             "description": "the assessment date (考核日期), e.g. 2022-01-10; default: the body's `as_of`, else the year's end"}
    check_result = {"type": "object", "properties": {
        "valid": {"type": "boolean"}, "units": {"type": "integer", "minimum": 0},
        "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Problem/$defs/problem"}}},
        "required": ["valid", "units", "problems"], "additionalProperties": False}
    json_ok = {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "assessrules", "version": __version__,
                 "description": "Score government units against a year's assessment rules (政务公开考核).",
                 "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": {
            "/specs": {"get": {"operationId": "listSpecs", "summary": "the served specs: bundled, and those in --spec-dir",
                               "responses": {"200": json_ok}}},
            "/specs/{id}": {"get": {"operationId": "getSpec", "summary": "the effective spec, with `extends:` merged",
                                    "parameters": [spec, LANGUAGE], "responses": {"200": json_ok, **_problems(404, 500)}}},
            "/specs/{id}/facts-schema": {"get": {
                "operationId": "getFactsSchema", "summary": "the JSON Schema of a facts file for the spec",
                "parameters": [spec, LANGUAGE], "responses": {"200": json_ok, **_problems(404, 500)}}},
            "/specs/{id}/evaluate": {"post": {
                "operationId": "evaluate", "summary": "score one unit, or every unit of `{\"units\": [...]}`",
                "parameters": [spec, as_of, LANGUAGE, {"name": "explain", "in": "query", "required": False,
                                             "schema": {"enum": ["text", "data"]},
                                             "description": "data (default): the explanation as data; text: also the "
                                                            "text account, as `explanation`"}],
                "requestBody": facts_body,
                "responses": {"200": {"description": "the result (one unit) or the results (many); for many, "
                                                     "a spec with `groups:` also gives `groups`, each group (全县) "
                                                     "scored from its members, as `score --format json` does",
                                      "content": {"application/json": {"schema": RESULT}}},
                              **_problems(400, 404, 413, 415, 422, 500, 503)}}},
            "/specs/{id}/bulletin": {"post": {
                "operationId": "bulletin", "summary": "the quarterly bulletin (通报) of the units",
                "parameters": [spec, LANGUAGE, {"name": "quarter", "in": "query", "required": True,
                                      "schema": {"type": "string", "pattern": "^[0-9]{4}Q[1-4]$"}}],
                "requestBody": facts_body,
                "responses": {"200": {"description": "the bulletin", "content": {"application/json": {"schema": RESULT}}},
                              **_problems(400, 404, 413, 415, 422, 500, 503)}}},
            "/specs/{id}/check-facts": {"post": {
                "operationId": "checkFacts", "summary": "check the facts without scoring; every problem listed",
                "parameters": [spec, as_of, LANGUAGE], "requestBody": facts_body,
                "responses": {"200": {"description": "whether the facts are valid, and every problem",
                                      "content": {"application/json": {"schema": check_result}}},
                              **_problems(400, 404, 413, 415, 500, 503)}}},
            "/openapi.json": {"get": {"operationId": "openapi", "summary": "this document", "responses": {"200": json_ok}}},
        },
        "components": {"schemas": schemas},
    }


__all__ = ["build_openapi"]

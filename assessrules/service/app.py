"""The Starlette application behind ``assessrules serve``, and the command that runs it on uvicorn.

Every error is an RFC 9457 ``application/problem+json`` document carrying the same located
problems as the command line (``schemas/problem-1.schema.json``). One guard around the whole
application enforces the limits (body size, time per request), turns a bug into a 500 problem
without a traceback in the response, and writes one structured (JSON) log line per request.

Scoring runs in worker threads: a compiled :class:`~assessrules.spec.Spec` is immutable and safe
to share, and each thread computes in its own decimal context.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import anyio
import anyio.to_thread
import attrs
import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._version import __version__
from ..engine.results import Result
from ..engine.spec import Spec
from ..errors import PROBLEMS_FORMAT, AssessRulesError, EvaluationError, FactsError, Problem, SpecError, UsageError
from ..inputs.facts_file import locate
from ..outputs.report import results_document
from ..rules.document import DocumentError, load_document
from ..rules.limits import MAX_DEPTH, echo
from .openapi import build_openapi
from .registry import Registry, UnknownSpecError

log = logging.getLogger("assessrules.service")

ENV = "ASSESSRULES_SERVE"  # the settings, as JSON, for the worker processes uvicorn starts
BODY_KEYS = ("units", "as_of", "spec", "description")


@attrs.frozen
class Settings:
    """What ``assessrules serve`` was told: the extra spec folder and the limits."""

    spec_dir: str | None = None
    max_body: int = 4 * 1024 * 1024  # bytes of request body
    timeout: float = 30.0  # seconds per request


_STATUS = {SpecError: 500, FactsError: 422, EvaluationError: 422, UsageError: 400}


class ProblemResponse(JSONResponse):
    """An RFC 9457 problem document."""

    media_type = "application/problem+json"


def problem_document(status: int, problems: Sequence[Problem], *, instance: str, request_id: str, error: str,
                     title: str, code: str, exit_code: int) -> dict[str, Any]:
    """The body of an error response: RFC 9457's members and our located problems."""
    detail = problems[0].message if len(problems) == 1 else f"{len(problems)} problems; the first: {problems[0].message}"
    return {"format": PROBLEMS_FORMAT, "type": f"urn:assessrules:problem:{code}", "title": title, "status": status,
            "detail": detail, "instance": instance, "error": error, "code": code, "exit_code": exit_code,
            "request_id": request_id, "problems": [p.to_dict() for p in problems]}


def _request_problem(scope: Scope, status: int, code: str, title: str, message: str, *,
                     error: str = "RequestError", exit_code: int = 2) -> ProblemResponse:
    state = scope.get("assessrules", {})
    body = problem_document(status, [Problem(message, code=code)], instance=scope.get("path", ""),
                            request_id=state.get("request_id", ""), error=error, title=title, code=code,
                            exit_code=exit_code)
    return ProblemResponse(body, status_code=status)


def _error_response(request: Request, exc: AssessRulesError) -> ProblemResponse:
    status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
    codes = {p.code for p in exc.problems}
    code = codes.pop() if len(codes) == 1 and status == 400 else exc.default_code
    body = problem_document(status, exc.problems, instance=request.url.path, request_id=_state(request)["request_id"],
                            error=type(exc).__name__, title=exc.title, code=code or exc.default_code,
                            exit_code=exc.exit_code)
    return ProblemResponse(body, status_code=status)


def _state(request: Request) -> dict[str, Any]:
    state: dict[str, Any] = request.scope.setdefault("assessrules", {"request_id": ""})
    return state


Endpoint = Callable[[Request], Awaitable[Response]]


def _answers_problems(fn: Endpoint) -> Endpoint:
    """Turn the library's errors (and an unknown spec id) into problem responses."""

    async def endpoint(request: Request) -> Response:
        try:
            return await fn(request)
        except AssessRulesError as exc:
            return _error_response(request, exc)
        except UnknownSpecError as exc:
            body = problem_document(404, [exc.problem], instance=request.url.path,
                                    request_id=_state(request)["request_id"], error="UsageError", title="No such spec",
                                    code="spec.not_found", exit_code=2)
            return ProblemResponse(body, status_code=404)

    return endpoint


class _BodyTooLargeError(Exception):
    pass


class Guard:
    """Limits, request ids, a 500 problem for a bug, and one structured log line per request."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = {"request_id": uuid.uuid4().hex[:16], "spec": None, "receipt": None}
        scope["assessrules"] = state
        status = {"code": 0}
        limit = self.settings.max_body

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", state["request_id"].encode()))
            await send(message)

        received = {"bytes": 0}

        async def receiving() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                received["bytes"] += len(message.get("body", b""))
                if received["bytes"] > limit:
                    raise _BodyTooLargeError
            return message

        try:
            length = dict(scope.get("headers", [])).get(b"content-length")
            if length is not None and length.isdigit() and int(length) > limit:
                raise _BodyTooLargeError
            with anyio.move_on_after(self.settings.timeout) as deadline:
                await self.app(scope, receiving, sending)
            if deadline.cancelled_caught and not status["code"]:
                late = _request_problem(scope, 503, "request.timeout", "The time limit was reached",
                                        f"the request took longer than {self.settings.timeout:g} s, the limit per request")
                await late(scope, receive, sending)
        except _BodyTooLargeError:
            if not status["code"]:
                large = _request_problem(scope, 413, "request.too_large", "The body is too large",
                                         f"the request body is larger than {limit:,} bytes, the limit")
                await large(scope, receive, sending)
        except Exception:  # a bug: answer 500 without its traceback, and log it
            log.exception("internal error on %s %s", scope.get("method"), scope.get("path"))
            if not status["code"]:
                bug = _request_problem(scope, 500, "internal.error", "Internal error",
                                       "an internal error; this is a bug, please report it with the request "
                                       f"(request id {state['request_id']})", error="InternalError", exit_code=3)
                await bug(scope, receive, sending)
        finally:
            log.info(json.dumps({"event": "request", "method": scope.get("method"), "path": scope.get("path"),
                                 "status": status["code"], "ms": round((time.perf_counter() - started) * 1000, 2),
                                 "spec": state["spec"], "receipt": state["receipt"], "request_id": state["request_id"]},
                                ensure_ascii=False))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return _request_problem(request.scope, 405, "request.method", "Method not allowed",
                                f"{request.method} is not allowed on {request.url.path}")
    if exc.status_code == 404:
        return _request_problem(request.scope, 404, "request.not_found", "Not found",
                                f"nothing at {request.url.path}; see GET /openapi.json")
    if exc.status_code == 413:
        return _request_problem(request.scope, 413, "request.too_large", "The body is too large", str(exc.detail))
    if exc.status_code == 415:
        return _request_problem(request.scope, 415, "request.invalid", "Unsupported media type", str(exc.detail))
    return _request_problem(request.scope, exc.status_code, "request.invalid", "Bad request", str(exc.detail))


# --- reading a request -------------------------------------------------------------------


MAX_UNITS = 10_000
"""The most units one request may score or check (a province has about 2,000); more is answered 413."""
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


class _DuplicateKeyError(ValueError):
    pass


class _ConstantError(ValueError):
    pass


def _no_constant(name: str) -> Any:
    """``NaN``, ``Infinity`` and ``-Infinity`` are not JSON, though Python's reader takes them."""
    raise _ConstantError(name)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused when a key is given twice (the last would silently win)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _bad_body(message: str, hint: str | None = None) -> UsageError:
    return UsageError([Problem(message, (), "<request>", hint=hint, code="request.invalid")])


def _media_type(request: Request) -> None:
    """Refuse (415) a body whose declared media type is not JSON; a body with none is read as JSON."""
    declared = request.headers.get("content-type")
    if declared is None:
        return
    media = declared.split(";", 1)[0].strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        raise HTTPException(415, f"the body is declared as {echo(media)!r}; send it as application/json")


async def _json_body(request: Request) -> tuple[Any, bytes]:
    _media_type(request)
    raw = await request.body()
    try:
        data = json.loads(raw, parse_float=Decimal, object_pairs_hook=_no_duplicates,
                          parse_constant=_no_constant)  # numbers stay exact
    except json.JSONDecodeError as exc:
        raise UsageError([Problem(f"the body is not JSON: {exc.msg}", (), "<request>", exc.lineno, exc.colno,
                                  "send a JSON object: one unit, or {\"units\": [...]}", code="request.invalid")]) from None
    except UnicodeDecodeError:
        raise _bad_body("the body is not UTF-8 text") from None
    except RecursionError:
        raise _bad_body(f"the body nests lists or objects too deeply (more than {MAX_DEPTH} levels are refused)") \
            from None
    except _DuplicateKeyError as exc:
        raise _bad_body(f"the key {echo(str(exc))!r} is given twice in one object", "give each key once") from None
    except _ConstantError as exc:
        raise _bad_body(f"`{exc}` is not a JSON number", "send a finite number") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise _bad_body(f"the body holds a number that cannot be read: {echo(str(exc))}") from None
    if _SURROGATE.search(raw):
        try:
            json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
        except UnicodeEncodeError:
            raise _bad_body("the body holds a lone surrogate (\\ud800–\\udfff), which is not text") from None
    return data, raw


def _units_of(data: Any) -> tuple[list[Any], bool, Any]:
    """``(units, many, as_of)`` from a body that is one unit or a facts file ``{"units": [...]}``."""
    if not isinstance(data, dict):
        raise UsageError([Problem("the body must be a JSON object: one unit, or {\"units\": [...]}", (), "<request>",
                                  code="request.invalid")])
    if "units" not in data:
        return [data], False, None
    extra = [k for k in data if k not in BODY_KEYS]
    if extra:
        raise UsageError([Problem(f"unknown key `{extra[0]}`", (extra[0],), "<request>", code="request.invalid",
                                  hint=f"a facts body has {', '.join(BODY_KEYS)}")])
    if not isinstance(data["units"], list):
        raise UsageError([Problem("`units` must be a list of units", ("units",), "<request>", code="request.invalid")])
    if len(data["units"]) > MAX_UNITS:
        raise HTTPException(413, f"the body holds {len(data['units']):,} units; at most {MAX_UNITS:,} are taken "
                                 "in one request")
    return data["units"], True, data.get("as_of")


def _located(exc: FactsError, raw: bytes) -> FactsError:
    """The same problems, with the line and column of each in the request body where it can be found."""
    try:
        document = load_document(raw.decode("utf-8"), "<request>")
    except (DocumentError, UnicodeDecodeError):
        return exc
    return FactsError(locate(exc.problems, document))


def _query(request: Request, name: str, choices: Sequence[str] | None = None) -> str | None:
    value = request.query_params.get(name)
    if value is not None and choices is not None and value not in choices:
        raise UsageError([Problem(f"`{name}` must be one of {', '.join(choices)}, not {value!r}", (name,),
                                  code="request.invalid")])
    return value


def _receipt(results: Sequence[Result]) -> str | None:
    if len(results) == 1:
        return results[0].receipt.facts_sha256
    joined = "".join(sorted(r.receipt.facts_sha256 for r in results))
    return hashlib.sha256(joined.encode()).hexdigest() if results else None


# --- the application -----------------------------------------------------------------------


def create_app(settings: Settings | None = None) -> Starlette:
    """Make the application: read and compile every served spec once, then answer requests."""
    settings = settings or Settings()
    registry = Registry(settings.spec_dir)
    openapi = build_openapi(registry)
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    def served(request: Request) -> Spec:
        spec_id = request.path_params["id"]
        _state(request)["spec"] = spec_id
        return registry.get(spec_id).loaded()

    async def index(request: Request) -> Response:
        rows = "".join(
            f"<li><a href=\"/specs/{html.escape(e.id)}\">{html.escape(e.id)}</a> — "
            f"{html.escape(e.spec.metadata.title if e.spec else 'does not load')}</li>"
            for e in registry.entries.values())
        page = (f"<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>assessrules {__version__}</title>"
                "</head><body><h1>assessrules</h1><p>Score government units against a year's assessment rules "
                "(政务公开考核).</p><ul><li><a href=\"/openapi.json\">the API (OpenAPI 3.1)</a></li>"
                f"<li><a href=\"/specs\">the specs (JSON)</a></li></ul><h2>Specs</h2><ul>{rows}</ul></body></html>")
        return HTMLResponse(page)

    async def list_specs(request: Request) -> Response:
        return JSONResponse({"specs": [e.summary() for e in registry.entries.values()]})

    @_answers_problems
    async def get_spec(request: Request) -> Response:
        served(request)
        return JSONResponse(registry.effective(request.path_params["id"]))

    @_answers_problems
    async def facts_schema(request: Request) -> Response:
        return JSONResponse(served(request).facts_schema())

    @_answers_problems
    async def evaluate(request: Request) -> Response:
        spec = served(request)
        explain = _query(request, "explain", ("text", "data"))
        data, raw = await _json_body(request)
        units, many, body_as_of = _units_of(data)
        as_of = _query(request, "as_of") or body_as_of

        def work() -> tuple[dict[str, Any], list[Result]]:
            try:
                results = spec.evaluate_many(units, as_of=as_of) if many else [spec.evaluate(units[0], as_of=as_of)]
            except FactsError as exc:
                raise _located(exc, raw) from None
            dicts = [r.to_dict() for r in results]
            if explain == "text":
                for d, r in zip(dicts, results, strict=True):
                    d["explanation"] = r.explain()
            if not many:
                return dicts[0], results
            body = results_document(spec, [], spec.score_groups(results))  # the groups (全县), as `score` gives them
            body["results"] = [d for d, _ in sorted(zip(dicts, results, strict=True), key=lambda dr: dr[1].unit.id)]
            return body, results

        body, results = await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        _state(request)["receipt"] = _receipt(results)
        return JSONResponse(body)

    @_answers_problems
    async def bulletin(request: Request) -> Response:
        spec = served(request)
        quarter = _query(request, "quarter")
        if not quarter:
            raise UsageError([Problem("give the quarter, e.g. ?quarter=2021Q3", ("quarter",), code="request.invalid")])
        data, raw = await _json_body(request)
        units, _, _ = _units_of(data)

        def work() -> dict[str, Any]:
            try:
                return spec.bulletin(units, quarter).to_dict()
            except FactsError as exc:
                raise _located(exc, raw) from None

        return JSONResponse(await anyio.to_thread.run_sync(work, abandon_on_cancel=True))

    @_answers_problems
    async def check_facts(request: Request) -> Response:
        spec = served(request)
        data, raw = await _json_body(request)
        units, many, body_as_of = _units_of(data)
        as_of = _query(request, "as_of") or body_as_of

        def work() -> list[Problem]:
            problems: list[Problem] = []
            seen: dict[str, int] = {}
            for i, unit in enumerate(units):
                try:
                    checked = spec.check_unit(unit, ("units", i) if many else (), as_of)
                except FactsError as exc:
                    problems.extend(exc.problems)
                    continue
                if checked.id in seen:
                    problems.append(Problem(f"unit id `{checked.id}` is used twice (also unit #{seen[checked.id] + 1})",
                                            ("units", i, "id"), unit=checked.id, hint="give each unit its own id",
                                            code="facts.duplicate_unit"))
                seen[checked.id] = i
            return list(_located(FactsError(problems), raw).problems) if problems else []

        problems = await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        return JSONResponse({"valid": not problems, "units": len(units), "problems": [p.to_dict() for p in problems]})

    async def openapi_json(request: Request) -> Response:
        return JSONResponse(openapi)

    routes = [
        Route("/", index),
        Route("/openapi.json", openapi_json),
        Route("/specs", list_specs),
        Route("/specs/{id}", get_spec),
        Route("/specs/{id}/facts-schema", facts_schema),
        Route("/specs/{id}/evaluate", evaluate, methods=["POST"]),
        Route("/specs/{id}/bulletin", bulletin, methods=["POST"]),
        Route("/specs/{id}/check-facts", check_facts, methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.add_middleware(Guard, settings=settings)
    return app


def app_from_env(environ: Mapping[str, str] | None = None) -> Starlette:
    """The application with the settings ``assessrules serve`` left in the environment (uvicorn's factory)."""
    raw = (os.environ if environ is None else environ).get(ENV)
    return create_app(Settings(**json.loads(raw)) if raw else Settings())


def serve(*, host: str, port: int, spec_dir: str | None, workers: int, max_body: int, timeout: float) -> int:
    """Run the service on uvicorn until stopped; return the exit code."""
    settings = Settings(spec_dir=os.path.abspath(spec_dir) if spec_dir else None, max_body=max_body, timeout=timeout)
    if spec_dir and not os.path.isdir(spec_dir):
        raise UsageError([Problem(f"--spec-dir {spec_dir}: no such folder", code="usage.invalid")])
    os.environ[ENV] = json.dumps(attrs.asdict(settings))
    if workers < 1:
        raise UsageError([Problem(f"--workers must be at least 1, not {workers}", code="usage.invalid")])
    uvicorn.run("assessrules.service.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                access_log=False, log_level="info")
    return 0


__all__ = ["Guard", "ProblemResponse", "Settings", "app_from_env", "create_app", "problem_document", "serve"]

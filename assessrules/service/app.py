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
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..engine.results import Result
from ..engine.spec import Spec, duplicate_id
from ..errors import PROBLEMS_FORMAT, AssessRulesError, EvaluationError, FactsError, Problem, SpecError, UsageError
from ..inputs.facts_file import locate
from ..messages import DEFAULT_LANGUAGE, LANGUAGES, localized, problem, text, title_of
from ..outputs.report import results_document
from ..rules.document import DocumentError, load_document
from ..rules.limits import MAX_DEPTH, echo
from .guard import Access, RequireLogin, SecurityHeaders, login_routes, read_accounts, session_secret, startup_warning
from .openapi import build_openapi
from .registry import Registry, UnknownSpecError
from .web.pages import Site, body_limit

log = logging.getLogger("assessrules.service")

ENV = "ASSESSRULES_SERVE"  # the settings, as JSON, for the worker processes uvicorn starts
BODY_KEYS = ("units", "as_of", "spec", "description")


@attrs.frozen
class Settings:
    """What ``assessrules serve`` was told: the extra spec folder and the limits."""

    spec_dir: str | None = None
    max_body: int = 4 * 1024 * 1024  # bytes of request body
    timeout: float = 30.0  # seconds per request
    password_file: str | None = None  # let in only its accounts (service/guard.py)
    session_secret: str | None = attrs.field(default=None, repr=False)  # signs session cookies; shared by the workers
    upload_ttl: float = 3600.0  # seconds an upload's results are kept (the web pages)
    max_upload: int = 20 * 1024 * 1024  # bytes of one uploaded file
    max_uploads: int = 50  # uploads kept at once


_STATUS = {SpecError: 500, FactsError: 422, EvaluationError: 422, UsageError: 400}


class ProblemResponse(JSONResponse):
    """An RFC 9457 problem document."""

    media_type = "application/problem+json"


def language_of(accept_language: str | None) -> str:
    """The language to answer in: English when ``Accept-Language`` prefers it to Chinese (or names it first), else Chinese.

    >>> language_of("en-US,en;q=0.9"), language_of("zh-CN,en;q=0.5"), language_of(None), language_of("fr")
    ('en', 'zh', 'zh', 'zh')
    """
    best: tuple[float, str] = (0.0, DEFAULT_LANGUAGE)
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-", 1)[0]
        if lang not in LANGUAGES:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > best[0]:  # of equal ones, the first named
            best = (quality, lang)
    return best[1]


def _language(scope: Scope) -> str:
    return language_of(dict(scope.get("headers", [])).get(b"accept-language", b"").decode("latin-1") or None)


def problem_document(status: int, problems: Sequence[Problem], *, instance: str, request_id: str, error: str,
                     title: str, code: str, exit_code: int, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The body of an error response: RFC 9457's members and our located problems, said in ``lang``.

    ``title`` is a line code of the catalogue (``label.title_facts``); the codes are the same in every language.
    """
    items = [localized(p, lang) for p in problems]
    first = str(items[0]["message"])
    detail = first if len(items) == 1 else text("label.problems_detail", lang, count=len(items), message=first)
    return {"format": PROBLEMS_FORMAT, "type": f"urn:assessrules:problem:{code}", "title": text(title, lang),
            "status": status, "detail": detail, "instance": instance, "error": error, "code": code,
            "exit_code": exit_code, "request_id": request_id, "problems": items}


def _request_problem(scope: Scope, status: int, title: str, found: Problem, *,
                     error: str = "RequestError", exit_code: int = 2, code: str | None = None) -> ProblemResponse:
    state = scope.get("assessrules", {})
    body = problem_document(status, [found], instance=scope.get("path", ""),
                            request_id=state.get("request_id", ""), error=error, title=title,
                            code=code or found.code or "request.invalid", exit_code=exit_code, lang=_language(scope))
    return ProblemResponse(body, status_code=status)


def _error_response(request: Request, exc: AssessRulesError) -> ProblemResponse:
    status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
    codes = {p.code for p in exc.problems}
    code = codes.pop() if len(codes) == 1 and status == 400 else exc.default_code
    if code is not None and code.startswith("request."):  # what is wrong with a request: one code for clients
        code = "request.invalid"
    title = title_of(exc)
    body = problem_document(status, exc.problems, instance=request.url.path, request_id=_state(request)["request_id"],
                            error=type(exc).__name__, title=title, code=code or exc.default_code,
                            exit_code=exc.exit_code, lang=_language(request.scope))
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
                                    request_id=_state(request)["request_id"], error="UsageError", title="label.no_spec",
                                    code="spec.not_found", exit_code=2, lang=_language(request.scope))
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
        limit = body_limit(scope, self.settings.max_body, self.settings.max_upload)  # an upload form takes more

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
                late = _request_problem(scope, 503, "label.timeout",
                                        problem("request.timeout", seconds=f"{self.settings.timeout:g}"))
                await late(scope, receive, sending)
        except _BodyTooLargeError:
            if not status["code"]:
                large = _request_problem(scope, 413, "label.too_large", problem("request.too_large", limit=f"{limit:,}"))
                await large(scope, receive, sending)
        except Exception:  # a bug: answer 500 without its traceback, and log it
            log.exception("internal error on %s %s", scope.get("method"), scope.get("path"))
            if not status["code"]:
                bug = _request_problem(scope, 500, "label.internal",
                                       problem("internal.error", request_id=state["request_id"]),
                                       error="InternalError", exit_code=3)
                await bug(scope, receive, sending)
        finally:
            log.info(json.dumps({"event": "request", "method": scope.get("method"), "path": scope.get("path"),
                                 "status": status["code"], "ms": round((time.perf_counter() - started) * 1000, 2),
                                 "spec": state["spec"], "receipt": state["receipt"], "request_id": state["request_id"],
                                 **({"user": state["user"]} if state.get("user") else {})},
                                ensure_ascii=False))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    found = exc.detail if isinstance(exc.detail, Problem) else None
    if exc.status_code == 405:
        return _request_problem(request.scope, 405, "label.method",
                                problem("request.method", method=request.method, resource=request.url.path))
    if exc.status_code == 404:
        return _request_problem(request.scope, 404, "label.not_found", problem("request.not_found", resource=request.url.path))
    if exc.status_code == 413:
        return _request_problem(request.scope, 413, "label.too_large", found or problem("request.too_large", limit="?"),
                                code="request.too_large")
    if exc.status_code == 415:
        return _request_problem(request.scope, 415, "label.media_type", found or problem("request.bad", status=415),
                                code="request.invalid")
    return _request_problem(request.scope, exc.status_code, "label.bad_request",
                            found or problem("request.bad", status=exc.status_code), code="request.invalid")


def _refused(scope: Scope, status: int, code: str) -> Response:
    """The answer to a request the guard lets not in: 401 (no or wrong credentials) or 403 (from another site)."""
    headers = dict(scope.get("headers", []))
    found = problem(code, method=scope.get("method", ""), resource=scope.get("path", ""),
                    site=headers.get(b"sec-fetch-site", b"").decode("latin-1"))
    return _request_problem(scope, status, "label.unauthorized" if status == 401 else "label.forbidden", found, code=code)


class _Refused(HTTPException):
    """An HTTP error whose answer is the located problem it carries."""

    def __init__(self, status: int, found: Problem) -> None:
        super().__init__(status, found.message)
        self.detail = found  # type: ignore[assignment]


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


def _bad_body(code: str, **values: Any) -> UsageError:
    return UsageError([problem(code, (), file="<request>", **values)])


def _media_type(request: Request) -> None:
    """Refuse (415) a body whose declared media type is not JSON; a body with none is read as JSON."""
    declared = request.headers.get("content-type")
    if declared is None:
        return
    media = declared.split(";", 1)[0].strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        raise _Refused(415, problem("request.media_type", media=repr(echo(media))))


async def _json_body(request: Request) -> tuple[Any, bytes]:
    _media_type(request)
    raw = await request.body()
    try:
        data = json.loads(raw, parse_float=Decimal, object_pairs_hook=_no_duplicates,
                          parse_constant=_no_constant)  # numbers stay exact
    except json.JSONDecodeError as exc:
        raise UsageError([problem("request.not_json", (), file="<request>", line=exc.lineno, column=exc.colno,
                                  reason=exc.msg)]) from None
    except UnicodeDecodeError:
        raise _bad_body("request.encoding") from None
    except RecursionError:
        raise _bad_body("request.too_deep", limit=MAX_DEPTH) from None
    except _DuplicateKeyError as exc:
        raise _bad_body("request.key_twice", key=repr(echo(str(exc)))) from None
    except _ConstantError as exc:
        raise _bad_body("request.not_number", name=str(exc)) from None
    except ValueError:  # an integer of more than 4,300 digits
        raise _bad_body("request.bad_number") from None
    if _SURROGATE.search(raw):
        try:
            json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
        except UnicodeEncodeError:
            raise _bad_body("request.surrogate") from None
    return data, raw


def _units_of(data: Any) -> tuple[list[Any], bool, Any]:
    """``(units, many, as_of)`` from a body that is one unit or a facts file ``{"units": [...]}``."""
    if not isinstance(data, dict):
        raise _bad_body("request.not_object")
    if "units" not in data:
        return [data], False, None
    extra = [k for k in data if k not in BODY_KEYS]
    if extra:
        raise UsageError([problem("request.unknown_key", (extra[0],), file="<request>", key=echo(str(extra[0])),
                                  keys=list(BODY_KEYS))])
    if not isinstance(data["units"], list):
        raise UsageError([problem("request.units_not_list", ("units",), file="<request>")])
    if len(data["units"]) > MAX_UNITS:
        raise _Refused(413, problem("request.too_many_units", count=f"{len(data['units']):,}", limit=f"{MAX_UNITS:,}"))
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
        raise UsageError([problem("request.query", (name,), name=name, choices=list(choices),
                                  value=repr(echo(value)))])
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
            raise UsageError([problem("request.quarter", ("quarter",))])
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
                    problems.append(duplicate_id(checked.id, seen[checked.id], i))
                seen[checked.id] = i
            return list(_located(FactsError(problems), raw).problems) if problems else []

        problems = await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        lang = _language(request.scope)
        return JSONResponse({"valid": not problems, "units": len(units),
                             "problems": [localized(p, lang) for p in problems]})

    async def openapi_json(request: Request) -> Response:
        return JSONResponse(openapi)

    site = Site(registry, upload_ttl=settings.upload_ttl, max_upload=settings.max_upload,
                max_uploads=settings.max_uploads)  # the office's web pages: / is 首页
    routes = [
        *site.routes(),
        Route("/openapi.json", openapi_json),
        Route("/specs", list_specs),
        Route("/specs/{id}", get_spec),
        Route("/specs/{id}/facts-schema", facts_schema),
        Route("/specs/{id}/evaluate", evaluate, methods=["POST"]),
        Route("/specs/{id}/bulletin", bulletin, methods=["POST"]),
        Route("/specs/{id}/check-facts", check_facts, methods=["POST"]),
    ]
    access = Access.of(settings)  # who may use it: None lets everyone in
    app = Starlette(routes=[*routes, *login_routes(access, language_of)], exception_handlers={HTTPException: _http_error},
                    lifespan=site.lifespan)
    if access is not None:
        app.add_middleware(RequireLogin, access=access, refuse=_refused)
    app.add_middleware(Guard, settings=settings)
    app.add_middleware(SecurityHeaders, guarded=access is not None)  # outermost: on every answer, errors too
    return app


def app_from_env(environ: Mapping[str, str] | None = None) -> Starlette:
    """The application with the settings ``assessrules serve`` left in the environment (uvicorn's factory)."""
    raw = (os.environ if environ is None else environ).get(ENV)
    return create_app(Settings(**json.loads(raw)) if raw else Settings())


def serve(*, host: str, port: int, spec_dir: str | None, workers: int, max_body: int, timeout: float,
          password_file: str | None = None, lang: str = DEFAULT_LANGUAGE, **more: Any) -> int:
    """Run the service on uvicorn until stopped; return the exit code. ``more``: the web pages' :class:`Settings`."""
    settings = Settings(spec_dir=os.path.abspath(spec_dir) if spec_dir else None, max_body=max_body, timeout=timeout,
                        password_file=os.path.abspath(password_file) if password_file else None,
                        session_secret=session_secret(), **more)
    if spec_dir and not os.path.isdir(spec_dir):
        raise UsageError([problem("usage.spec_dir", folder=spec_dir)])
    if password_file is not None:
        read_accounts(password_file)  # refuse to start with a file that cannot serve
    if (warning := startup_warning(host, password_file, lang)) is not None:
        sys.stderr.write(warning + "\n")
        sys.stderr.flush()
    os.environ[ENV] = json.dumps(attrs.asdict(settings))
    if workers < 1:
        raise UsageError([problem("usage.workers", workers=workers)])
    uvicorn.run("assessrules.service.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                access_log=False, log_level="info")
    return 0


__all__ = ["Guard", "ProblemResponse", "Settings", "app_from_env", "create_app", "problem_document", "serve"]

"""Who may use ``assessrules serve``: the accounts of a password file, a login form with a signed session
cookie for people in a browser, HTTP basic auth for programs, and the security headers on every answer.

Without ``--password-file`` the service lets everyone in who can reach it (by default only this computer:
it listens on 127.0.0.1); :func:`startup_warning` says so when it listens on the network. With one:

- a page asked for by a browser (``Accept: text/html``) without a session is redirected to ``/login``;
  the form there checks the user name and password and sets an ``HttpOnly; SameSite=Strict`` cookie
  signed with HMAC-SHA256 (``Secure`` too when the request came by HTTPS). ``/logout`` ends it;
- any other request (the JSON API) without valid credentials is answered 401 problem+json with
  ``WWW-Authenticate: Basic``, and a program sends ``Authorization: Basic …`` with every request;
- a request that would change something (not GET/HEAD/OPTIONS) that a browser says comes from another
  site (``Sec-Fetch-Site: cross-site`` or ``same-site``) is refused with 403.

The password file holds one account per line, ``NAME:HASH``; ``#`` starts a comment line. The hash is
``scrypt$N$r$p$SALT$KEY`` (what ``assessrules serve --hash-password NAME`` writes) or
``pbkdf2_sha256$ITERATIONS$SALT$KEY``, salt and key in base64; passwords are never stored. Hashes are
compared with :func:`hmac.compare_digest`; a failed sign-in is answered only after a short delay that
grows with the failures from the same address.
"""

from __future__ import annotations

import base64
import binascii
import getpass
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import secrets
import stat
import sys
import tempfile
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, TextIO
from urllib.parse import parse_qs, quote, urlsplit

import anyio
import anyio.to_thread
import attrs
import jinja2
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import UsageError
from ..messages import DEFAULT_LANGUAGE, problem, text

log = logging.getLogger("assessrules.service")

SECRET_ENV = "ASSESSRULES_SESSION_SECRET"
"""A fixed session secret (at least 32 characters), so that sessions outlive a restart; else a random one per start."""

COOKIE = "assessrules_session"
SESSION_SECONDS = 10 * 3600
"""How long a session lasts: a working day."""

LOGIN, LOGOUT = "/login", "/logout"

CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                           "base-uri 'none'")
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
)
"""Sent with every answer: pages, JSON, errors, downloads (a header the answer sets itself is kept)."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MIN_PASSWORD = 8
MAX_NAME = 64
MAX_FORM = 8 * 1024  # bytes of a login form
FAILED_DELAY = 1.0
"""Seconds before a failed sign-in is answered; one more for each recent failure from the same address, up to 5."""
FAILURE_WINDOW = 15 * 60

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
_MAXMEM = 64 * 1024 * 1024
_KEY_BYTES = 32


# --- passwords -----------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(data: str) -> bytes:
    return base64.b64decode(data.encode("ascii"), validate=True)


def _normal(password: str) -> bytes:
    """The password's bytes: NFC first, so that the same characters typed by different input methods match."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


@attrs.frozen
class Hashed:
    """A salted password hash read from the password file."""

    kind: str  # "scrypt" or "pbkdf2_sha256"
    params: tuple[int, ...]  # (n, r, p) or (iterations,)
    salt: bytes
    key: bytes

    def derive(self, password: str) -> bytes:
        """The key ``password`` gives with this hash's salt and parameters."""
        if self.kind == "scrypt":
            n, r, p = self.params
            return hashlib.scrypt(_normal(password), salt=self.salt, n=n, r=r, p=p, dklen=len(self.key), maxmem=_MAXMEM)
        return hashlib.pbkdf2_hmac("sha256", _normal(password), self.salt, self.params[0], len(self.key))

    def matches(self, password: str) -> bool:
        """Whether ``password`` is the one hashed, compared in constant time."""
        return hmac.compare_digest(self.derive(password), self.key)

    def __str__(self) -> str:
        return "$".join([self.kind, *map(str, self.params), _b64(self.salt), _b64(self.key)])


def hash_password(password: str) -> Hashed:
    """A new scrypt hash of ``password`` with a random 16-byte salt."""
    n, r, p = _SCRYPT["n"], _SCRYPT["r"], _SCRYPT["p"]
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(_normal(password), salt=salt, n=n, r=r, p=p, dklen=_KEY_BYTES, maxmem=_MAXMEM)
    return Hashed("scrypt", (n, r, p), salt, key)


def parse_hash(value: str) -> Hashed | None:
    """The hash written as ``value``, or None when it is not one this module reads.

    >>> parse_hash("scrypt$16384$8$1$" + "A" * 22 + "==$" + "A" * 44).params
    (16384, 8, 1)
    >>> parse_hash("md5$abc") is None, parse_hash("scrypt$3$8$1$c2FsdA==$AAAA") is None
    (True, True)
    """
    kind, *fields = value.strip().split("$")
    try:
        *numbers, salt, key = fields
        params = tuple(int(x) for x in numbers)
        salt_bytes, key_bytes = _unb64(salt), _unb64(key)
    except (ValueError, binascii.Error):
        return None
    if len(salt_bytes) < 8 or len(key_bytes) < 16:
        return None
    if kind == "scrypt" and len(params) == 3:
        n, r, p = params
        if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or 128 * n * r * p > _MAXMEM // 2:
            return None
    elif kind == "pbkdf2_sha256" and len(params) == 1:
        if not 100_000 <= params[0] <= 10_000_000:
            return None
    else:
        return None
    return Hashed(kind, params, salt_bytes, key_bytes)


def valid_name(name: str) -> bool:
    """Whether ``name`` can be a user name: not empty, no colon, whitespace or control character, at most 64 characters."""
    return 0 < len(name) <= MAX_NAME and not any(c == ":" or c.isspace() or not c.isprintable() for c in name)


@attrs.frozen
class Accounts:
    """The accounts of a password file: user name → hash."""

    file: str
    hashes: Mapping[str, Hashed]


def _refuse(code: str, file: str, **values: Any) -> UsageError:
    return UsageError([problem(code, file=file, target=file, **values)])


def _check_mode(path: str) -> os.stat_result:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise _refuse("usage.password_missing", path) from None
    except OSError:
        raise _refuse("usage.password_unreadable", path) from None
    if not stat.S_ISREG(status.st_mode):
        raise _refuse("usage.password_unreadable", path)
    if os.name == "posix" and status.st_mode & 0o026:  # others may read it, or others or the group may change it
        raise _refuse("usage.password_mode", path, mode=f"{stat.S_IMODE(status.st_mode):03o}")
    return status


def read_accounts(path: str) -> Accounts:
    """The accounts of the password file at ``path``; a usage error (exit 2) when it cannot serve as one."""
    _check_mode(path)
    try:
        content = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise _refuse("usage.password_unreadable", path) from None
    hashes: dict[str, Hashed] = {}
    first: dict[str, int] = {}
    for number, raw in enumerate(content.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition(":")
        hashed = parse_hash(value) if sep and valid_name(name) else None
        if hashed is None:
            raise UsageError([problem("usage.password_line", file=path, line=number)])
        if name in hashes:
            raise UsageError([problem("usage.password_twice", file=path, line=number, name=name, first=first[name])])
        hashes[name], first[name] = hashed, number
    if not hashes:
        raise _refuse("usage.password_empty", path)
    return Accounts(path, hashes)


def new_password(lang: str, stdin: TextIO | None = None) -> str:
    """A new password: typed twice without echo at a terminal, else the first line of standard input."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        password = getpass.getpass(text("out.guard_prompt", lang))
        if getpass.getpass(text("out.guard_again", lang)) != password:
            raise UsageError([problem("usage.password_mismatch")])
    else:
        password = stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise UsageError([problem("usage.password_short", minimum=MIN_PASSWORD)])
    return password


def check_name(name: str) -> None:
    """Refuse a user name that cannot be one (before a password is asked for it)."""
    if not valid_name(name):
        raise UsageError([problem("usage.password_name", name=repr(name), limit=MAX_NAME)])


def account_line(name: str, password: str) -> str:
    """The password file's line for ``name`` with a new hash of ``password``."""
    check_name(name)
    return f"{name}:{hash_password(password)}"


def write_account(path: str, line: str) -> None:
    """Put ``line`` in the password file at ``path``: replacing the line of the same user, else added at the end.

    A new file is made readable by its owner only (0600); an existing one keeps its permissions and must
    pass the same checks as when the service starts. The file is replaced whole, never half written.
    """
    name = line.partition(":")[0]
    mode = 0o600
    lines: list[str] = []
    if os.path.lexists(path):
        mode = stat.S_IMODE(_check_mode(path).st_mode)
        try:
            lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            raise _refuse("usage.password_unreadable", path) from None
    kept = [x for x in lines if x.strip().partition(":")[0] != name or x.lstrip().startswith("#")]
    if len(kept) == len(lines):
        kept.append(line)
    else:  # the user's new line where the old one was
        at = next(i for i, x in enumerate(lines) if x.strip().partition(":")[0] == name and not x.lstrip().startswith("#"))
        kept.insert(at, line)
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".assessrules-", dir=folder)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as sink:
            sink.write("\n".join(kept) + "\n")
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


# --- the service's side -----------------------------------------------------------------------


class Configured(Protocol):
    """What the guard reads of the service's settings."""

    @property
    def password_file(self) -> str | None: ...

    @property
    def session_secret(self) -> str | None: ...


def session_secret(environ: Mapping[str, str] | None = None) -> str:
    """The secret that signs session cookies: ``ASSESSRULES_SESSION_SECRET`` when set, else a random one."""
    configured = (os.environ if environ is None else environ).get(SECRET_ENV, "")
    return configured if len(configured) >= 32 else secrets.token_hex(32)


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` keeps the service on this computer.

    >>> [is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "::", "192.168.1.5", "example.org")]
    [True, True, True, False, False, False, False]
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def startup_warning(host: str, password_file: str | None, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """The warning said at start-up when the service is reachable from the network and nobody has to sign in."""
    if password_file or is_loopback(host):
        return None
    return text("out.guard_open", lang, host=host)


Refuse = Callable[[Scope, int, str], Response]
"""How the application answers a refused request: ``(scope, status, problem code)`` → its problem response."""
Language = Callable[[str | None], str]


class Access:
    """The accounts, the session secret, and what one process remembers: ended sessions, recent failures."""

    def __init__(self, accounts: Accounts, secret: str) -> None:
        self.accounts = accounts
        self.secret = secret.encode("utf-8")
        self.ended: dict[str, float] = {}  # session id → when it would have expired
        self.failures: dict[str, list[float]] = {}  # client address → times of recent failures
        self.known: OrderedDict[bytes, str] = OrderedDict()  # MAC of good credentials → user, so scrypt runs once
        self._dummy = hash_password(secrets.token_hex(16))

    @classmethod
    def of(cls, settings: Configured) -> Access | None:
        """The guard the settings ask for; None without a password file."""
        if not settings.password_file:
            return None
        return cls(read_accounts(settings.password_file), settings.session_secret or session_secret())

    # credentials

    def _mac(self, *parts: str) -> bytes:
        return hmac.new(self.secret, "\0".join(parts).encode("utf-8"), hashlib.sha256).digest()

    async def check(self, name: str, password: str) -> bool:
        """Whether ``name`` and ``password`` are an account's; the hash runs in a worker thread."""
        remembered = self._mac("credentials", name, password)
        if self.known.get(remembered) == name:
            return True
        hashed = self.accounts.hashes.get(name)
        target = hashed or self._dummy  # an unknown name costs the same time as a wrong password
        good = await anyio.to_thread.run_sync(target.matches, password)
        if good and hashed is not None:
            self.known[remembered] = name
            while len(self.known) > 256:
                self.known.popitem(last=False)
            return True
        return False

    async def failed(self, client: str, name: str) -> None:
        """Log a failed sign-in, and wait before answering it: longer after more recent failures from ``client``."""
        log.warning(json.dumps({"event": "sign_in_failed", "user": name[:MAX_NAME], "client": client}, ensure_ascii=False))
        now = time.monotonic()
        recent = [t for t in self.failures.get(client, []) if now - t < FAILURE_WINDOW][-20:]
        recent.append(now)
        self.failures[client] = recent
        if len(self.failures) > 10_000:
            self.failures = {c: ts for c, ts in self.failures.items() if now - ts[-1] < FAILURE_WINDOW}
        await anyio.sleep(FAILED_DELAY * min(len(recent), 5))

    # sessions

    def cookie(self, name: str, *, secure: bool) -> str:
        """A new session of ``name``, as the ``Set-Cookie`` value."""
        payload = base64.urlsafe_b64encode(json.dumps(
            {"u": name, "s": secrets.token_urlsafe(16), "t": int(time.time())}, ensure_ascii=False).encode())
        text_payload = payload.decode("ascii").rstrip("=")
        value = text_payload + "." + self._sign(text_payload, name)
        flags = f"; Max-Age={SESSION_SECONDS}; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")
        return f"{COOKIE}={value}{flags}"

    def _sign(self, payload: str, name: str) -> str:
        hashed = self.accounts.hashes.get(name)  # a new password ends the sessions of the old one
        mac = self._mac("session", payload, str(hashed) if hashed else "")
        return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    def _session(self, scope: Scope) -> tuple[str, str, int] | None:
        """``(user, session id, issued)`` of the request's session cookie when it is valid."""
        value = _cookie(scope, COOKIE)
        if not value or value.count(".") != 1:
            return None
        payload, signature = value.split(".")
        try:
            data = json.loads(base64.urlsafe_b64decode(payload.encode("ascii") + b"=" * (-len(payload) % 4)))
            name, sid, issued = str(data["u"]), str(data["s"]), int(data["t"])
        except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
            return None
        if not hmac.compare_digest(self._sign(payload, name), signature):
            return None
        if name not in self.accounts.hashes or sid in self.ended or not 0 <= time.time() - issued < SESSION_SECONDS:
            return None
        return name, sid, issued

    def session_user(self, scope: Scope) -> str | None:
        """The user signed in by the request's session cookie, if any."""
        found = self._session(scope)
        return found[0] if found else None

    def end_session(self, scope: Scope) -> None:
        """Forget the request's session in this process (the browser is told to drop the cookie too)."""
        found = self._session(scope)
        now = time.time()
        self.ended = {sid: until for sid, until in self.ended.items() if until > now}
        if found:
            self.ended[found[1]] = found[2] + SESSION_SECONDS


def _cookie(scope: Scope, name: str) -> str | None:
    for header in Headers(scope=scope).getlist("cookie"):
        for part in header.split(";"):
            key, sep, value = part.strip().partition("=")
            if sep and key == name:
                return value
    return None


def _basic(value: str) -> tuple[str, str] | None:
    """``(name, password)`` of an ``Authorization: Basic`` header value, or None."""
    kind, _, token = value.strip().partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        raw = base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("latin-1")
    name, sep, password = decoded.partition(":")
    return (name, password) if sep else None


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "-"


def _wants_page(scope: Scope) -> bool:
    """Whether a browser asks for a page (which is then sent to the login form rather than answered 401)."""
    return "text/html" in Headers(scope=scope).get("accept", "")


def _safe_next(target: str | None) -> str:
    """A local path to go to after signing in; anything else (another site, a scheme) is ``/``.

    >>> _safe_next("/specs?x=1"), _safe_next("//evil.example/"), _safe_next("https://evil.example/"), _safe_next(None)
    ('/specs?x=1', '/', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return "/"
    return target


def signed_in(scope: Scope) -> str | None:
    """The user the request was let in as (None when the service has no password file)."""
    state = scope.get("assessrules") or {}
    user = state.get("user")
    return str(user) if user else None


class RequireLogin:
    """Let in only requests with a valid session cookie or basic credentials; send the rest to sign in."""

    def __init__(self, app: ASGIApp, access: Access, refuse: Refuse) -> None:
        self.app = app
        self.access = access
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets are served
            return
        headers = Headers(scope=scope)
        method = scope.get("method", "GET")
        site = headers.get("sec-fetch-site", "")
        if method not in SAFE_METHODS and site in ("cross-site", "same-site"):
            await self.refuse(scope, 403, "request.cross_site")(scope, receive, send)
            return
        if scope["path"] in (LOGIN, LOGOUT):
            await self.app(scope, receive, send)
            return
        user = self.access.session_user(scope)
        if user is None and (authorization := headers.get("authorization")) is not None:
            given = _basic(authorization)
            if given is not None and await self.access.check(*given):
                user = given[0]
            elif given is not None or authorization.lower().startswith("basic"):
                await self.access.failed(_client(scope), given[0] if given else "")
                await self._unauthorized(scope, "request.bad_credentials")(scope, receive, send)
                return
        if user is None:
            if _wants_page(scope):
                target = scope["path"] + ("?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else "")
                where = LOGIN + (f"?next={quote(target, safe='')}" if method == "GET" and target != "/" else "")
                await RedirectResponse(where, status_code=303)(scope, receive, send)
            else:
                await self._unauthorized(scope, "request.unauthorized")(scope, receive, send)
            return
        scope.setdefault("assessrules", {})["user"] = user
        await self.app(scope, receive, send)

    def _unauthorized(self, scope: Scope, code: str) -> Response:
        response = self.refuse(scope, 401, code)
        response.headers["WWW-Authenticate"] = 'Basic realm="assessrules", charset="UTF-8"'
        return response


class SecurityHeaders:
    """Put :data:`SECURITY_HEADERS` on every answer (and ``Cache-Control: no-store`` behind a login)."""

    def __init__(self, app: ASGIApp, guarded: bool = False) -> None:
        self.app = app
        self.guarded = guarded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    if name not in headers:
                        headers[name] = value
                if self.guarded and "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, sending)


# --- the login page --------------------------------------------------------------------------


_PAGE_TEXTS = ("title", "intro", "user", "password", "submit", "failed", "signed_out")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("assessrules.service", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def login_routes(access: Access | None, language: Language) -> list[Route]:
    """``/login`` (the form, GET; signing in, POST) and ``/logout``; none without a password file."""
    if access is None:
        return []
    template = _environment().get_template("login.html.j2")

    def page(request: Request, *, status: int = 200, failed: bool = False, name: str = "",
             signed_out: bool = False) -> HTMLResponse:
        lang = language(request.headers.get("accept-language"))
        words = {key: text(f"out.guard_{key}", lang) for key in _PAGE_TEXTS}
        body = template.render(lang=lang, words=words, failed=failed, signed_out=signed_out, name=name,
                               next=_safe_next(request.query_params.get("next")), login=LOGIN)
        return HTMLResponse(body, status_code=status)

    async def login(request: Request) -> Response:
        target = _safe_next(request.query_params.get("next"))
        if request.method == "GET":
            if access.session_user(request.scope):
                return RedirectResponse(target, status_code=303)
            return page(request, signed_out="bye" in request.query_params)
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_FORM:
                break
        form = parse_qs(raw[:MAX_FORM].decode("utf-8", "replace"), keep_blank_values=True)
        name = (form.get("user") or [""])[0].strip()
        password = (form.get("password") or [""])[0]
        target = _safe_next((form.get("next") or [target])[0])
        if name and password and len(name) <= MAX_NAME and await access.check(name, password):
            response = RedirectResponse(target, status_code=303)
            response.headers.append("set-cookie", access.cookie(name, secure=request.url.scheme == "https"))
            return response
        await access.failed(_client(request.scope), name)
        return page(request, status=403, failed=True, name=name[:MAX_NAME])

    async def logout(request: Request) -> Response:
        access.end_session(request.scope)
        response = RedirectResponse(f"{LOGIN}?bye=1", status_code=303)
        secure = "; Secure" if request.url.scheme == "https" else ""
        response.headers.append("set-cookie", f"{COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict{secure}")
        return response

    return [Route(LOGIN, login, methods=["GET", "POST"]), Route(LOGOUT, logout, methods=["GET", "POST"])]


__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "Access", "Accounts", "Hashed", "RequireLogin",
           "SecurityHeaders", "account_line", "check_name", "hash_password", "is_loopback", "login_routes", "new_password",
           "parse_hash", "read_accounts", "session_secret", "signed_in", "startup_warning", "write_account"]

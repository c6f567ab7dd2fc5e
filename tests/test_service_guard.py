"""Who may use `assessrules serve`: the password file, the login form and its session cookie, HTTP basic auth
for the JSON API, the security headers on every answer, and the start-up warning.

In-process with Starlette's TestClient, and against real uvicorn processes on loopback ports.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from assessrules._resources import load_schema
from assessrules.cli import run
from assessrules.messages import text
from assessrules.service import guard
from assessrules.service.app import Guard, Settings, create_app
from assessrules.service.guard import CONTENT_SECURITY_POLICY, COOKIE, SecurityHeaders, parse_hash, read_accounts

PROBLEM_SCHEMA = jsonschema.Draft202012Validator(load_schema("problem-1.schema.json"))
USER, PASSWORD = "office", "correct horse battery"
CLERK, CLERK_PASSWORD = "办公室", "县政务公开办2021"
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
PAGE = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # what a browser asks for
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are checked on POSIX only")


def _secured(response: httpx.Response) -> None:
    """The response carries every security header, and the CSP allows no inline script."""
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (response.request.url, name, dict(response.headers))
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]


def _make_password_file(path: Path) -> Path:
    """The password file, made as documented: `assessrules serve --hash-password NAME --password-file FILE`."""
    for name, password in ((USER, PASSWORD), (CLERK, CLERK_PASSWORD)):
        made = subprocess.run([sys.executable, "-m", "assessrules", "serve", "--hash-password", name,
                               "--password-file", str(path)], input=password + "\n", capture_output=True,
                              text=True, encoding="utf-8", timeout=60, check=False)
        assert made.returncode == 0, made.stderr
        assert name in made.stderr and made.stdout == ""
    return path


@pytest.fixture(scope="module")
def password_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A password file with two accounts (one named in Chinese), mode 0600."""
    return _make_password_file(tmp_path_factory.mktemp("guard") / "passwords.txt")


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short delay after a failed sign-in, for the in-process tests."""
    monkeypatch.setattr(guard, "FAILED_DELAY", 0.05)


def _client(password_file: Path, **settings: Any) -> Any:
    from starlette.testclient import TestClient

    app = create_app(Settings(password_file=str(password_file), **settings))
    return TestClient(app, follow_redirects=False)


# --- the password file -------------------------------------------------------------------------


@posix_only
def test_hash_password_writes_a_salted_scrypt_line_readable_by_its_owner_only(password_file: Path) -> None:
    """The file is 0600, holds `NAME:scrypt$…` lines (never the password), and each hash checks its password."""
    assert password_file.stat().st_mode & 0o777 == 0o600
    content = password_file.read_text(encoding="utf-8")
    assert PASSWORD not in content and CLERK_PASSWORD not in content
    accounts = read_accounts(str(password_file))
    assert sorted(accounts.hashes) == sorted([USER, CLERK])
    hashed = accounts.hashes[USER]
    assert str(hashed).startswith("scrypt$16384$8$1$") and len(hashed.salt) == 16
    assert hashed.matches(PASSWORD) and not hashed.matches(PASSWORD + "x")
    assert accounts.hashes[CLERK].matches(CLERK_PASSWORD)
    other = guard.hash_password(PASSWORD)
    assert other.salt != hashed.salt and other.key != hashed.key  # salted: the same password, another hash


def test_hash_password_again_replaces_the_user_s_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second `--hash-password office` changes office's password and keeps the other lines and comments."""
    path = tmp_path / "pw.txt"
    for password in ("first password", "second password"):
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
        assert run(["serve", "--hash-password", USER, "--password-file", str(path)], io.StringIO(), io.StringIO()) == 0
        if password == "first password":
            path.write_text("# the office\n" + path.read_text(encoding="utf-8") + "other:" + str(
                guard.hash_password("other password")) + "\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# the office" and lines[1].startswith(f"{USER}:") and lines[2].startswith("other:")
    accounts = read_accounts(str(path))
    assert accounts.hashes[USER].matches("second password") and not accounts.hashes[USER].matches("first password")


def test_hash_password_without_a_file_prints_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    out = io.StringIO()
    assert run(["serve", "--hash-password", USER], out, io.StringIO()) == 0
    name, _, value = out.getvalue().strip().partition(":")
    hashed = parse_hash(value)
    assert name == USER and hashed is not None and hashed.matches("a long enough password")


@pytest.mark.parametrize(("name", "password", "code_text"), [
    (USER, "short", "密码至少要有 8 个字符"),
    ("has:colon", "a long enough password", "用户名 'has:colon' 无效"),
    ("has space", "a long enough password", "用户名 'has space' 无效"),
])
def test_hash_password_refuses_a_short_password_or_a_bad_name(name: str, password: str, code_text: str,
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    err = io.StringIO()
    assert run(["serve", "--hash-password", name, "--password-file", str(tmp_path / "pw.txt")], io.StringIO(), err) == 2
    assert code_text in err.getvalue() and not (tmp_path / "pw.txt").exists()


def test_a_pbkdf2_line_made_with_the_standard_library_is_accepted(tmp_path: Path) -> None:
    """The documented way without assessrules: hashlib.pbkdf2_hmac, salt and key in base64."""
    salt = secrets.token_bytes(16)
    key = hashlib.pbkdf2_hmac("sha256", "县里的密码".encode(), salt, 600_000)
    path = tmp_path / "pw.txt"
    path.write_text(f"clerk:pbkdf2_sha256$600000${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}\n",
                    encoding="utf-8")
    path.chmod(0o600)
    hashed = read_accounts(str(path)).hashes["clerk"]
    assert hashed.matches("县里的密码") and not hashed.matches("县里的密码 ")


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = f"{USER}:{guard.hash_password(PASSWORD)}\n"
    cases: dict[str, tuple[str | None, int, str]] = {
        "missing": (None, 0o600, "没有这个文件"),
        "empty": ("# only a comment\n\n", 0o600, "密码文件中没有账户"),
        "bad_line": (good + "clerk:md5$abc\n", 0o600, "此行应为 `用户名:散列值`"),
        "twice": (good + good, 0o600, f"用户 {USER} 已在第 1 行出现过"),
        "plain_password": (f"{USER}:{PASSWORD}\n", 0o600, "此行应为 `用户名:散列值`"),
    }
    if os.name == "posix":
        cases["world_readable"] = (good, 0o644, "密码文件的权限为 644")
        cases["group_writable"] = (good, 0o660, "密码文件的权限为 660")
    out: dict[str, tuple[Path, str]] = {}
    for case, (content, mode, expected) in cases.items():
        path = tmp_path / f"{case}.txt"
        if content is not None:
            path.write_text(content, encoding="utf-8")
            path.chmod(mode)
        out[case] = (path, expected)
    folder = tmp_path / "a_folder"
    folder.mkdir(mode=0o700)
    out["a_folder"] = (folder, "无法读取")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    binary.chmod(0o600)
    out["binary"] = (binary, "无法读取")
    return out


def test_a_password_file_that_cannot_serve_is_one_clear_error_and_exit_2(tmp_path: Path) -> None:
    """Missing, unreadable, empty, a bad line, a name twice, readable by others: refused before the server starts."""
    for case, (path, expected) in _bad_files(tmp_path).items():
        err = io.StringIO()
        assert run(["serve", "--password-file", str(path), "--port", "1"], io.StringIO(), err) == 2, case
        said = err.getvalue()
        assert expected in said and said.startswith(str(path)), (case, said)
        assert (said.count("\n") == 2 and "提示：" in said) or said.count("\n") == 1, (case, said)  # one problem
        assert "Traceback" not in said and "Uvicorn" not in said


def test_a_bad_password_file_stops_a_real_start_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "pw.txt"
    path.write_text("", encoding="utf-8")
    path.chmod(0o600)
    done = subprocess.run([sys.executable, "-m", "assessrules", "serve", "--port", str(_free_port()),
                           "--password-file", str(path)], capture_output=True, text=True, encoding="utf-8",
                          timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{path}: 密码文件中没有账户") and "Uvicorn running" not in done.stderr


# --- in process -------------------------------------------------------------------------------


def test_without_credentials_pages_go_to_the_login_and_the_api_answers_401(password_file: Path) -> None:
    client = _client(password_file)
    page = client.get("/", headers=PAGE)
    assert (page.status_code, page.headers["location"]) == (303, "/login")
    deep = client.get("/specs/2021?x=1", headers=PAGE)
    assert (deep.status_code, deep.headers["location"]) == (303, "/login?next=%2Fspecs%2F2021%3Fx%3D1")
    for method, path in (("GET", "/specs"), ("GET", "/openapi.json"), ("POST", "/specs/2021/evaluate"),
                         ("GET", "/no/such/path")):
        answer = client.request(method, path, json={} if method == "POST" else None)
        assert answer.status_code == 401, path
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["www-authenticate"] == 'Basic realm="assessrules", charset="UTF-8"'
        document = answer.json()
        PROBLEM_SCHEMA.validate(document)
        assert (document["code"], document["title"]) == ("request.unauthorized", "需要登录")
        assert "请先登录" in document["detail"]
        _secured(answer)
    english = client.get("/specs", headers={"accept-language": "en"}).json()
    assert english["title"] == "Sign-in required" and "sign in first" in english["detail"]


def test_the_right_password_lets_in_by_basic_auth_and_by_the_login_form(password_file: Path) -> None:
    client = _client(password_file)
    for name, password in ((USER, PASSWORD), (CLERK, CLERK_PASSWORD)):
        answer = client.get("/specs", auth=(name, password))
        assert answer.status_code == 200 and answer.json()["specs"]
        _secured(answer)
    form = client.get("/login?next=/specs/2021", headers=PAGE)
    assert form.status_code == 200 and 'name="next" value="/specs/2021"' in form.text
    assert "<script" not in form.text and '<label for="password">密码</label>' in form.text
    signed = client.post("/login", data={"user": CLERK, "password": CLERK_PASSWORD, "next": "/specs/2021"})
    assert (signed.status_code, signed.headers["location"]) == (303, "/specs/2021")
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # plain HTTP here; behind TLS it is Secure
    assert client.get("/", headers=PAGE).status_code == 200
    assert client.get("/specs/2021").json()["metadata"]["year"] == 2021
    assert client.get("/login", headers=PAGE).status_code == 303  # signed in already


def test_a_wrong_password_fails_after_a_delay(password_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "FAILED_DELAY", 0.2)
    client = _client(password_file)
    started = time.monotonic()
    answer = client.get("/specs", auth=(USER, PASSWORD + "!"))
    assert time.monotonic() - started >= 0.2
    assert answer.status_code == 401 and answer.json()["code"] == "request.bad_credentials"
    assert client.get("/specs", auth=("nobody", PASSWORD)).status_code == 401
    failed = client.post("/login", data={"user": USER, "password": "wrong"}, headers=PAGE)
    assert failed.status_code == 403 and "set-cookie" not in failed.headers
    assert "用户名或密码不对" in failed.text and f'value="{USER}"' in failed.text
    _secured(failed)
    started = time.monotonic()
    client.post("/login", data={"user": USER, "password": "wrong again"})
    assert time.monotonic() - started >= 0.2 * 4  # the fourth failure from this address waits four times as long
    assert client.get("/specs").status_code == 401


def test_logout_ends_the_session(password_file: Path, quick: None) -> None:
    client = _client(password_file)
    client.post("/login", data={"user": USER, "password": PASSWORD})
    stolen = client.cookies[COOKIE]
    assert client.get("/specs").status_code == 200
    out = client.post("/logout", headers=PAGE)
    assert (out.status_code, out.headers["location"]) == (303, "/login?bye=1")
    assert "Max-Age=0" in out.headers["set-cookie"]
    _secured(out)
    assert client.get("/specs").status_code == 401
    assert "已退出登录" in client.get("/login?bye=1", headers=PAGE).text
    client.cookies.set(COOKIE, stolen)  # the old cookie, kept by someone, no longer lets in
    assert client.get("/specs").status_code == 401


def test_a_forged_or_foreign_cookie_lets_nobody_in(password_file: Path, quick: None) -> None:
    one = _client(password_file, session_secret="a" * 64)
    two = _client(password_file, session_secret="a" * 64)  # another worker, the same secret
    other = _client(password_file)  # another server start: another random secret
    one.post("/login", data={"user": USER, "password": PASSWORD})
    cookie = one.cookies[COOKIE]
    two.cookies.set(COOKIE, cookie)
    assert two.get("/specs").status_code == 200
    other.cookies.set(COOKIE, cookie)
    assert other.get("/specs").status_code == 401
    payload, signature = cookie.split(".")
    forged = base64.urlsafe_b64encode(base64.urlsafe_b64decode(payload + "==").replace(
        USER.encode(), CLERK.encode())).decode().rstrip("=")
    for bad in (f"{forged}.{signature}", f"{payload}.{signature[:-2]}AA", payload, "", "x.y.z"):
        fresh = _client(password_file, session_secret="a" * 64)
        fresh.cookies.set(COOKIE, bad)
        assert fresh.get("/specs").status_code == 401, bad


def test_after_signing_in_only_local_paths_are_followed(password_file: Path, quick: None) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        client = _client(password_file)
        signed = client.post("/login", data={"user": USER, "password": PASSWORD, "next": target})
        assert signed.headers["location"] == "/", target


def test_a_request_from_another_site_that_changes_something_is_refused(password_file: Path) -> None:
    client = _client(password_file)
    for site in ("cross-site", "same-site"):
        refused = client.post("/specs/2021/check-facts", json={"units": []}, auth=(USER, PASSWORD),
                              headers={"sec-fetch-site": site})
        assert refused.status_code == 403 and refused.json()["code"] == "request.cross_site"
        assert client.post("/login", data={"user": USER, "password": PASSWORD},
                           headers={"sec-fetch-site": site}).status_code == 403
    ok = client.post("/specs/2021/check-facts", json={"units": []}, auth=(USER, PASSWORD),
                     headers={"sec-fetch-site": "same-origin"})
    assert ok.status_code == 200


def test_every_answer_carries_the_security_headers(password_file: Path, quick: None) -> None:
    """Pages, JSON, problems of every kind (401, 404, 405, 413), the login page, redirects."""
    client = _client(password_file, max_body=1000)
    answers = [
        client.get("/", headers=PAGE), client.get("/specs"), client.get("/login"),
        client.post("/login", data={"user": USER, "password": "wrong"}),
        client.get("/specs", auth=(USER, PASSWORD)), client.get("/", auth=(USER, PASSWORD)),
        client.get("/nothing", auth=(USER, PASSWORD)), client.delete("/specs", auth=(USER, PASSWORD)),
        client.post("/specs/2021/evaluate", content=b"[" * 5000, auth=(USER, PASSWORD)),
        client.get("/specs/no-such-spec", auth=(USER, PASSWORD)),
    ]
    assert [a.status_code for a in answers] == [303, 401, 200, 403, 200, 200, 404, 405, 413, 404]
    for answer in answers:
        _secured(answer)
        assert answer.headers["cache-control"] == "no-store"
    open_client = _client_without_password()
    assert open_client.get("/login").status_code == 404  # no password file: nothing to sign in to
    for answer in (open_client.get("/"), open_client.get("/specs"), open_client.get("/nothing")):
        _secured(answer)
        assert "cache-control" not in answer.headers


def _client_without_password() -> Any:
    from starlette.testclient import TestClient

    return TestClient(create_app(Settings()), follow_redirects=False)


def test_downloads_keep_their_disposition_and_a_bug_s_500_is_secured_too() -> None:
    """The middleware adds its headers to a file download without touching its own; a 500 carries them as well."""
    from starlette.testclient import TestClient

    async def download(request: Request) -> Response:
        return Response(b"PK\x03\x04", media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"content-disposition": "attachment; filename*=UTF-8''%E7%BB%93%E6%9E%9C.xlsx"})

    async def broken(request: Request) -> Response:
        raise RuntimeError("a bug")

    app = Starlette(routes=[Route("/download", download), Route("/broken", broken)])
    app.add_middleware(Guard, settings=Settings())
    app.add_middleware(SecurityHeaders)
    client = TestClient(app, raise_server_exceptions=False)
    got = client.get("/download")
    assert got.content == b"PK\x03\x04"
    assert got.headers["content-disposition"] == "attachment; filename*=UTF-8''%E7%BB%93%E6%9E%9C.xlsx"
    _secured(got)
    bug = client.get("/broken")
    assert bug.status_code == 500
    _secured(bug)


def test_the_start_up_warning_depends_on_the_host_and_the_password_file(password_file: Path) -> None:
    warning = guard.startup_warning("0.0.0.0", None)
    assert warning == text("out.guard_open", "zh", host="0.0.0.0") and "`--password-file`" in warning
    assert guard.startup_warning("0.0.0.0", str(password_file)) is None
    assert guard.startup_warning("127.0.0.1", None) is None and guard.startup_warning("::1", None) is None
    assert guard.startup_warning("192.168.1.10", None) is not None


# --- a real uvicorn process ---------------------------------------------------------------------


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def _serve(tmp: Path, *options: str, ready: str = "Uvicorn running") -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """Start `python -m assessrules serve` on a free port; yield its URL (on loopback), process and log."""
    host = options[options.index("--host") + 1] if "--host" in options else "127.0.0.1"
    port = _free_port(host)
    log = tmp / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "assessrules", "serve", "--port", str(port), *options],
                                   stdout=sink, stderr=subprocess.STDOUT, cwd=tmp)
    try:
        deadline = time.monotonic() + 60
        while ready not in log.read_text(encoding="utf-8"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start:\n{log.read_text(encoding='utf-8')}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", process, log
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def guarded(password_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real service with the password file, on a loopback port."""
    for url, _, _ in _serve(tmp_path_factory.mktemp("served"), "--password-file", str(password_file)):
        yield url


def test_a_real_server_sends_pages_to_the_login_and_answers_the_api_401(guarded: str) -> None:
    page = httpx.get(guarded + "/", headers=PAGE, timeout=10)
    assert (page.status_code, page.headers["location"]) == (303, "/login")
    api = httpx.get(guarded + "/specs", timeout=10)
    assert api.status_code == 401 and api.headers["www-authenticate"].startswith("Basic ")
    assert api.headers["content-type"] == "application/problem+json"
    PROBLEM_SCHEMA.validate(api.json())
    for answer in (page, api):
        _secured(answer)


def test_a_real_server_lets_a_program_in_with_basic_auth(guarded: str) -> None:
    with httpx.Client(base_url=guarded, auth=(USER, PASSWORD), timeout=30) as program:
        specs = program.get("/specs")
        assert specs.status_code == 200 and any(s["id"] == "2021" for s in specs.json()["specs"])
        checked = program.post("/specs/2021/check-facts", json={"units": []})
        assert checked.status_code == 200 and checked.json() == {"valid": True, "units": 0, "problems": []}
        _secured(checked)
    wrong = httpx.get(guarded + "/specs", auth=(USER, "not the password"), timeout=30)
    assert wrong.status_code == 401 and wrong.json()["code"] == "request.bad_credentials"


def test_a_real_server_signs_a_clerk_in_and_out(guarded: str) -> None:
    with httpx.Client(base_url=guarded, headers=PAGE, timeout=30) as browser:
        form = browser.get("/login")
        assert form.status_code == 200 and "用户名" in form.text and "<script" not in form.text
        failed = browser.post("/login", data={"user": CLERK, "password": "猜一个"})
        assert failed.status_code == 403 and COOKIE not in browser.cookies
        signed = browser.post("/login", data={"user": CLERK, "password": CLERK_PASSWORD, "next": "/"})
        assert (signed.status_code, signed.headers["location"]) == (303, "/")
        home = browser.get("/")
        assert home.status_code == 200 and "/specs" in home.text
        assert browser.get("/specs").status_code == 200
        out = browser.post("/logout")
        assert (out.status_code, out.headers["location"]) == (303, "/login?bye=1")
        assert browser.get("/").headers["location"] == "/login"
        for answer in (form, failed, signed, home, out):
            _secured(answer)


def test_the_start_up_line_warns_when_the_network_can_reach_a_server_without_a_password(
        password_file: Path, tmp_path: Path) -> None:
    warning = text("out.guard_open", "zh", host="0.0.0.0")
    for _, _, log in _serve(tmp_path, "--host", "0.0.0.0"):
        said = log.read_text(encoding="utf-8")
        assert warning in said and said.index(warning) < said.index("Uvicorn running")
    for _, _, log in _serve(tmp_path, "--host", "0.0.0.0", "--password-file", str(password_file)):
        assert "警告" not in log.read_text(encoding="utf-8")
    for _, _, log in _serve(tmp_path):  # loopback: no warning
        assert "警告" not in log.read_text(encoding="utf-8")

"""Hostile requests to a real ``assessrules serve``: each gets its RFC 9457 problem, never a 500, and the server lives on.

One uvicorn process on a loopback port takes every case in turn; after each, the test asks
``GET /specs`` to show the server still answers. Paths that a client library would tidy
(``../``) are sent over a raw socket, byte for byte.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
import httpx
import pytest

from .hostile_corpus import UNIT
from .test_service import Server, _start

EVALUATE = "/specs/2021/evaluate"


@attrs.frozen
class Request:
    """One hostile request and the problem it must get."""

    name: str
    method: str
    path: str
    body: bytes | None
    status: int
    code: str
    headers: tuple[tuple[str, str], ...] = (("content-type", "application/json"),)


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _nested(depth: int) -> bytes:
    return b'{"id": "a", "facts": ' + b'{"x": ' * depth + b"1" + b"}" * depth + b"}"


REQUESTS = [
    Request("body_over_the_limit", "POST", EVALUATE, b" " * (4 * 1024 * 1024 + 1), 413, "request.too_large"),
    Request("body_not_json", "POST", EVALUATE, b"id=chengguan&target=3", 400, "request.invalid"),
    Request("body_empty", "POST", EVALUATE, b"", 400, "request.invalid"),
    Request("body_not_utf8", "POST", EVALUATE, b'{"id": "\xff\xfe"}', 400, "request.invalid"),
    Request("body_a_list", "POST", EVALUATE, b"[1, 2]", 400, "request.invalid"),
    Request("body_null", "POST", EVALUATE, b"null", 400, "request.invalid"),
    Request("body_nested_100000", "POST", EVALUATE, b"[" * 100_000 + b"]" * 100_000, 400, "request.invalid"),
    Request("body_nested_objects_5000", "POST", EVALUATE, _nested(5000), 400, "request.invalid"),
    Request("body_nested_objects_70", "POST", EVALUATE, _nested(70), 422, "facts"),
    Request("body_nan_literal", "POST", EVALUATE, _json(UNIT)[:-1] + b', "target": NaN}', 400, "request.invalid"),
    Request("body_infinity_literal", "POST", EVALUATE, b'{"id": "a", "target": -Infinity}', 400, "request.invalid"),
    Request("body_5000_digit_number", "POST", EVALUATE, b'{"id": "a", "target": ' + b"9" * 5000 + b"}", 400,
            "request.invalid"),
    Request("body_1e400", "POST", EVALUATE, b'{"id": "a", "type": "town", "target": 1e400}', 422, "facts"),
    Request("body_duplicate_key", "POST", EVALUATE, b'{"id": "a", "id": "b"}', 400, "request.invalid"),
    Request("body_lone_surrogate", "POST", EVALUATE, b'{"id": "\\ud800"}', 400, "孤立的代理码位"),
    Request("content_type_text", "POST", EVALUATE, _json(UNIT), 415, "415",
            (("content-type", "text/plain"),)),
    Request("content_type_form", "POST", EVALUATE, _json(UNIT), 415, "415",
            (("content-type", "application/x-www-form-urlencoded"),)),
    Request("content_type_xml", "POST", "/specs/2021/check-facts", b"<units/>", 415, "415",
            (("content-type", "application/xml"),)),
    Request("content_type_multipart", "POST", "/specs/2021/bulletin?quarter=2021Q1", b"--x--", 415,
            "415", (("content-type", "multipart/form-data; boundary=x"),)),
    Request("spec_id_dotdot_encoded", "GET", "/specs/..%2F..%2Fetc%2Fpasswd", None, 404, "not_found"),
    Request("spec_id_dotdot", "GET", "/specs/..", None, 404, "not_found"),
    Request("spec_id_dotdot_yaml", "GET", "/specs/..%5C..%5Cspecs%5C2021.yaml", None, 404, "spec.not_found"),
    Request("spec_id_dotdot_raw", "GET", "/specs/../../etc/passwd", None, 404, "request.not_found"),
    Request("spec_id_absolute_encoded", "GET", "/specs/%2Fetc%2Fpasswd/facts-schema", None, 404, "not_found"),
    Request("spec_id_absolute_evaluate", "POST", "/specs/%2Fetc%2Fpasswd/evaluate", _json(UNIT), 404, "not_found"),
    Request("spec_id_dotdot_specs_folder", "POST", "/specs/..%2Fspecs%2F2021.yaml/evaluate", _json(UNIT), 404,
            "not_found"),
    Request("spec_id_file_name", "POST", "/specs/2021.yaml/evaluate", _json(UNIT), 404, "spec.not_found"),
    Request("spec_id_nul", "GET", "/specs/2021%00.yaml", None, 404, "spec.not_found"),
    Request("spec_id_proc", "GET", "/specs/%2Fproc%2Fself%2Fenviron", None, 404, "not_found"),
    Request("huge_unit_list", "POST", EVALUATE, _json({"units": [{}] * 300_000}), 413, "一次请求最多 10,000 个"),
    Request("huge_unit_list_check", "POST", "/specs/2021/check-facts", _json({"units": [{}] * 12_000}), 413,
            "一次请求最多 10,000 个"),
    Request("huge_unit_list_bulletin", "POST", "/specs/2021/bulletin?quarter=2021Q1",
            _json({"units": [{"id": "a"}] * 10_001}), 413, "request.too_large"),
    Request("units_not_a_list", "POST", EVALUATE, b'{"units": {"a": 1}}', 400, "request.invalid"),
    Request("query_explain_bogus", "POST", EVALUATE + "?explain=%00", _json(UNIT), 400, "request.invalid"),
    Request("as_of_not_a_date", "POST", EVALUATE + "?as_of=2021-02-30", _json(UNIT), 400, ""),
    Request("method_not_allowed", "GET", EVALUATE, None, 405, "request.method"),
]


def _raw(server: Server, request: Request) -> tuple[int, bytes]:
    """Send ``request`` over a socket exactly as written; return the status and the body."""
    netloc = urlsplit(server.url)
    body = request.body or b""
    head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {netloc.netloc}", f"Content-Length: {len(body)}",
            "Connection: close", *(f"{k}: {v}" for k, v in request.headers)]
    with socket.create_connection((netloc.hostname, netloc.port), timeout=60) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the server may answer before it all arrives
            sock.sendall("\r\n".join(head).encode() + b"\r\n\r\n" + body)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service with its default limits (4 MB per body, 30 s per request)."""
    yield from _start(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service with a 2 s limit per request."""
    yield from _start(tmp_path_factory.mktemp("slow"), "--timeout", "2")


def _still_answers(server: Server) -> None:
    assert httpx.get(f"{server.url}/specs", timeout=30).status_code == 200


@pytest.mark.parametrize("request_", REQUESTS, ids=[r.name for r in REQUESTS])
def test_a_hostile_request_gets_its_problem_and_the_server_lives_on(request_: Request, hostile_server: Server) -> None:
    """The answer is the expected problem status and code, with no traceback; the server answers the next request."""
    status, body = _raw(hostile_server, request_)
    document = json.loads(body)
    assert (status, document["status"]) == (request_.status, request_.status), body[:2000]
    assert request_.code in json.dumps(document, ensure_ascii=False), body[:2000]
    assert "Traceback" not in body.decode("utf-8", "replace")
    assert "root:" not in body.decode("utf-8", "replace")
    _still_answers(hostile_server)


def test_twenty_hostile_requests_in_a_row_leave_the_server_answering(hostile_server: Server) -> None:
    """A burst of bad bodies (bounded: twenty) is answered one by one; then a good unit still scores."""
    for i in range(20):
        assert _raw(hostile_server, REQUESTS[i % 8])[0] in (400, 413, 422)
    response = httpx.post(f"{hostile_server.url}{EVALUATE}", content=_json(UNIT),
                          headers={"content-type": "application/json"}, timeout=30)
    assert response.status_code == 200 and response.json()["unit"]["id"] == UNIT["id"]


def _slow_body(pieces: list[bytes], pause: float) -> Iterator[bytes]:
    for piece in pieces:
        time.sleep(pause)
        yield piece


def test_a_slow_client_within_the_time_limit_is_answered(slow_server: Server) -> None:
    """A body sent in five pieces over about a second (the limit is 2 s) is scored as if sent at once."""
    body = _json(UNIT)
    pieces = [body[i * len(body) // 5:(i + 1) * len(body) // 5] for i in range(5)]
    response = httpx.post(f"{slow_server.url}{EVALUATE}", content=_slow_body(pieces, 0.2),
                          headers={"content-type": "application/json"}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.json()["unit"]["id"] == UNIT["id"]


def test_a_client_slower_than_the_time_limit_gets_503_and_the_server_lives_on(slow_server: Server) -> None:
    """A body trickling in past the 2 s limit is answered 503 request.timeout; the next request is answered."""
    body = _json(UNIT)
    pieces = [body[i * len(body) // 6:(i + 1) * len(body) // 6] for i in range(6)]
    response = httpx.post(f"{slow_server.url}{EVALUATE}", content=_slow_body(pieces, 0.6),
                          headers={"content-type": "application/json"}, timeout=30)
    assert response.status_code == 503
    assert response.json()["type"] == "urn:assessrules:problem:request.timeout"
    _still_answers(slow_server)


def test_a_chunked_body_over_the_limit_is_refused_without_a_length(hostile_server: Server) -> None:
    """A body with no Content-Length that grows past 4 MB is cut off with 413, and the server lives on."""
    chunk = b" " * (1 << 20)
    response = httpx.post(f"{hostile_server.url}{EVALUATE}", content=iter([chunk] * 6),
                          headers={"content-type": "application/json"}, timeout=30)
    assert response.status_code == 413
    assert response.json()["type"] == "urn:assessrules:problem:request.too_large"
    _still_answers(hostile_server)


def test_no_request_was_logged_as_an_internal_error(hostile_server: Server, tmp_path: Path) -> None:
    """After every hostile request, the server's log holds no 500 and no traceback."""
    lines = hostile_server.log_lines()
    assert lines, "nothing was logged"
    assert all(line["status"] != 500 for line in lines)
    assert "Traceback" not in hostile_server.log.read_text(encoding="utf-8")

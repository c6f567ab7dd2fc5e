"""The HTTP service, started as a real uvicorn process on a free loopback port and driven with httpx."""

from __future__ import annotations

import concurrent.futures
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import jsonschema
import pytest
import yaml

from assessrules._resources import load_schema
from assessrules.engine.results import plain

from .service_client import JSON, Client, ServiceProblemError

ROOT = Path(__file__).resolve().parent.parent
RESULT_SCHEMA = jsonschema.Draft202012Validator(load_schema("result-1.schema.json"))
PROBLEM_SCHEMA = jsonschema.Draft202012Validator(load_schema("problem-1.schema.json"))

DIVIDE = """\
spec_format: 1
metadata: {id: divide, title: 除法, scale: 10}
unit_types: {town: {label: 镇}}
facts:
  done: {type: count, label: 完成数, default: 0}
  total: {type: count, label: 总数, default: 0}
indicators:
  - id: ratio
    name: 完成率
    points: 10
    deduct:
      - {label: 未完成, per: "10 - done * 10 / total", points: 1}
grades:
  - {id: pass, label: 合格, at_least: 6}
  - {id: fail, label: 不合格, below: 6}
rounding: {places: 2, mode: half_up}  # its division need not terminate
"""


class Server:
    """A running ``assessrules serve`` process and the log it wrote."""

    def __init__(self, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.process = process
        self.log = log

    def log_lines(self) -> list[dict[str, Any]]:
        """The structured request lines logged so far."""
        out = []
        for line in self.log.read_text(encoding="utf-8").splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(tmp: Path, *options: str) -> Iterator[Server]:
    port = _free_port()
    log = tmp / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", "from assessrules.cli import main; main()", "serve", "--port", str(port), *options],
            stdout=sink, stderr=subprocess.STDOUT, cwd=tmp)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/specs", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start:\n{log.read_text(encoding='utf-8')}")
            time.sleep(0.1)
        yield Server(url, process, log)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def spec_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A --spec-dir with a spec that extends the bundled one, a small one, a broken one and one that divides by zero."""
    folder = tmp_path_factory.mktemp("specs")
    shutil.copy(ROOT / "tests/specs/2022-next.yaml", folder / "next.yaml")
    shutil.copy(ROOT / "tests/specs/shapes/deductions.yaml", folder / "deductions.yaml")
    shutil.copy(ROOT / "tests/bad_specs/grade_gap.yaml", folder / "broken.yaml")
    (folder / "divide.yaml").write_text(DIVIDE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(spec_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service with the bundled specs and the spec folder, default limits."""
    yield from _start(tmp_path_factory.mktemp("serve"), "--spec-dir", str(spec_dir))


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service with small limits: 200 kB per body and 0.05 s per request."""
    yield from _start(tmp_path_factory.mktemp("strict"), "--max-body", "200000", "--timeout", "0.05")


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[Client]:
    """A typed client of the service."""
    with Client(server.url) as c:
        yield c


@pytest.fixture(scope="module")
def units() -> list[JSON]:
    """The example units, as JSON data."""
    data = yaml.safe_load((ROOT / "examples/zhenping-2021-units.yaml").read_text(encoding="utf-8"))
    converted: list[JSON] = plain(data["units"])
    return converted


def _problem(exc: pytest.ExceptionInfo[ServiceProblemError]) -> ServiceProblemError:
    PROBLEM_SCHEMA.validate(exc.value.document)
    return exc.value


def test_lists_the_bundled_specs_and_those_of_the_spec_dir(client: Client) -> None:
    """GET /specs lists 2021 (bundled) and the folder's specs, a broken one with its problems."""
    specs = {s["id"]: s for s in client.specs()}
    assert set(specs) == {"2021", "next", "deductions", "broken", "divide"}
    assert (specs["2021"]["origin"], specs["2021"]["valid"], specs["2021"]["year"]) == ("bundled", True, 2021)
    assert specs["next"]["origin"] == "spec-dir"
    assert specs["broken"]["valid"] is False
    assert specs["broken"]["problems"][0]["code"] == "spec.grade_gap"


def test_shows_the_effective_spec_with_extends_merged(client: Client) -> None:
    """GET /specs/next is the merged document: the 2022 metadata over the 2021 indicators."""
    document = client.spec("next")
    base = client.spec("2021")
    assert "extends" not in document
    assert (document["metadata"]["id"], document["metadata"]["year"]) == ("zhenping-2022", 2022)

    def ids(node: Any) -> set[str]:
        return {node["id"], *(i for child in node.get("children", []) for i in ids(child))} if "id" in node else set()

    assert {i for n in base["indicators"] for i in ids(n)} | {"key_tasks"} == {i for n in document["indicators"] for i in ids(n)}
    assert document["grades"] != base["grades"]


def test_serves_the_facts_schema_of_a_spec_the_same_as_the_cli(client: Client) -> None:
    """GET /specs/2021/facts-schema equals Spec.facts_schema() of the loaded spec."""
    import assessrules

    assert client.facts_schema("2021") == json.loads(json.dumps(assessrules.load_spec("2021").facts_schema()))


def test_evaluates_one_unit_to_the_library_s_result(client: Client, units: list[JSON]) -> None:
    """POST /specs/2021/evaluate with one unit returns Result.to_dict() of the same unit, valid by the schema."""
    import assessrules

    got = client.evaluate("2021", units[3])
    RESULT_SCHEMA.validate(got)
    expected = assessrules.load_spec("2021").evaluate(units[3]).to_dict()
    assert json.loads(json.dumps(expected)) == got


def test_evaluates_many_units_as_the_cli_s_json(client: Client, units: list[JSON], tmp_path: Path) -> None:
    """POST {"units": [...]} gives the same document as `score --format json --full` (the service keeps each unit's inputs)."""
    from assessrules.cli import run

    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"units": units}), encoding="utf-8")
    import io

    out = io.StringIO()
    assert run(["score", str(facts), "--format", "json", "--full"], out, io.StringIO()) == 0
    got = client.evaluate_many("2021", units)
    RESULT_SCHEMA.validate(got)
    assert got == json.loads(out.getvalue())


def test_explain_text_adds_the_account_and_as_of_is_honoured(client: Client, units: list[JSON]) -> None:
    """?explain=text adds `explanation`; ?as_of= sets the assessment date of the result."""
    got = client.evaluate("2021", units[0], explain="text", as_of="2022-01-10")
    RESULT_SCHEMA.validate(got)
    assert got["as_of"] == "2022-01-10"
    assert "政务公开" in got["explanation"]
    assert "explanation" not in client.evaluate("2021", units[0], explain="data")


def test_makes_the_bulletin_of_a_quarter(client: Client, units: list[JSON]) -> None:
    """POST /specs/2021/bulletin?quarter=2021Q3 gives the library's bulletin, valid by the schema."""
    import assessrules

    got = client.bulletin("2021", units, "2021Q3")
    RESULT_SCHEMA.validate(got)
    assert got == json.loads(json.dumps(assessrules.load_spec("2021").bulletin(units, "2021Q3").to_dict()))


def test_check_facts_lists_every_problem_without_scoring(client: Client, units: list[JSON]) -> None:
    """check-facts answers valid for good facts, and lists each problem (with codes and fields) for bad ones."""
    assert client.check_facts("2021", units) == {"valid": True, "units": len(units), "problems": []}
    bad = [dict(units[0], facts={**units[0]["facts"], "lates": 1}), units[1], units[1]]
    del bad[0]["facts"]["fulltime_staff"]
    got = client.check_facts("2021", bad)
    assert got["valid"] is False
    codes = {(p["code"], p["fact"]) for p in got["problems"]}
    assert codes == {("facts.unknown", "lates"), ("facts.missing", "fulltime_staff"), ("facts.duplicate_unit", None)}
    missing = next(p for p in got["problems"] if p["code"] == "facts.missing")
    assert missing["path"] == "$.units[0].facts.fulltime_staff"
    assert missing["file"] == "<request>" and missing["line"] is not None
    for p in got["problems"]:
        PROBLEM_SCHEMA.validate({"format": "assessrules.problems/1", "title": "t", "error": "FactsError",
                                 "code": "facts.invalid", "exit_code": 1, "problems": [p]})


def test_bad_facts_are_a_422_problem_with_located_problems(client: Client, units: list[JSON]) -> None:
    """A unit with a wrong value is answered 422 application/problem+json, each problem located in the body."""
    unit = dict(units[0], facts={**units[0]["facts"], "fulltime_staff": "many"})
    with pytest.raises(ServiceProblemError) as caught:
        client.evaluate("2021", unit)
    problem = _problem(caught)
    assert (problem.status, problem.code, problem.document["error"]) == (422, "facts.invalid", "FactsError")
    [item] = problem.problems
    assert (item["code"], item["fact"], item["path"], item["unit"]) == ("facts.not_number", "fulltime_staff",
                                                                       "$.facts.fulltime_staff", units[0]["id"])


def test_a_rule_failing_on_valid_facts_is_a_422_evaluation_problem(client: Client) -> None:
    """A division by zero in a rule is answered 422 with an EvaluationError problem."""
    with pytest.raises(ServiceProblemError) as caught:
        client.evaluate("divide", {"id": "a", "name": "甲", "type": "town", "target": 3, "facts": {}})
    problem = _problem(caught)
    assert (problem.status, problem.code, problem.document["error"]) == (422, "evaluation.failed", "EvaluationError")


def test_a_spec_that_does_not_load_is_a_500_spec_problem(client: Client) -> None:
    """Evaluating with the broken spec of the folder answers its SpecError problems."""
    with pytest.raises(ServiceProblemError) as caught:
        client.evaluate("broken", {"id": "a"})
    problem = _problem(caught)
    assert (problem.status, problem.document["error"]) == (500, "SpecError")
    assert problem.problems[0]["code"] == "spec.grade_gap" and problem.problems[0]["line"] == 20


def test_an_unknown_spec_is_a_404_and_paths_are_never_read(client: Client) -> None:
    """An unknown id, or a path in its place, is answered 404 spec.not_found naming the served specs."""
    for name in ("2099", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd"):
        with pytest.raises(ServiceProblemError) as caught:
            client.facts_schema(name)
        problem = _problem(caught)
        assert problem.status == 404 and problem.code in {"spec.not_found", "request.not_found"}


def test_bad_requests_are_400_problems(client: Client, server: Server) -> None:
    """Non-JSON bodies, a body that is not an object, a bad as_of, explain or quarter are each a 400 problem."""
    cases = [
        ("/specs/2021/evaluate", b"{not json", {}, "request.invalid"),
        ("/specs/2021/evaluate", b"[1, 2]", {}, "request.invalid"),
        ("/specs/2021/evaluate", b'{"units": [], "extra": 1}', {}, "request.invalid"),
        ("/specs/2021/evaluate", b'{"units": []}', {"as_of": "soon"}, "usage.as_of"),
        ("/specs/2021/evaluate", b'{"units": []}', {"explain": "html"}, "request.invalid"),
        ("/specs/2021/bulletin", b'{"units": []}', {}, "request.invalid"),
        ("/specs/2021/bulletin", b'{"units": []}', {"quarter": "2021-07"}, "usage.bulletin_quarter"),
    ]
    for path, body, params, code in cases:
        response = httpx.post(server.url + path, content=body, params=params)
        assert response.headers["content-type"] == "application/problem+json", (path, body)
        document = response.json()
        PROBLEM_SCHEMA.validate(document)
        assert (response.status_code, document["code"]) == (400, code), (path, body, params, document)


def test_unknown_routes_and_methods_are_problems(server: Server) -> None:
    """An unknown path is a 404 problem and a wrong method a 405 problem."""
    missing = httpx.get(server.url + "/nothing-here")
    wrong = httpx.get(server.url + "/specs/2021/evaluate")
    for response, status, code in ((missing, 404, "request.not_found"), (wrong, 405, "request.method")):
        PROBLEM_SCHEMA.validate(response.json())
        assert (response.status_code, response.json()["code"]) == (status, code)


def test_the_openapi_document_embeds_the_published_schemas(client: Client) -> None:
    """/openapi.json carries the result and problem schemas as published and each spec's facts schema."""
    import assessrules

    document = client.openapi()
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    assert schemas["Result"] == load_schema("result-1.schema.json")
    assert schemas["Problem"] == load_schema("problem-1.schema.json")
    assert schemas["Facts-2021"] == json.loads(json.dumps(assessrules.load_spec("2021").facts_schema()))
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    assert set(document["paths"]) == {"/specs", "/specs/{id}", "/specs/{id}/facts-schema", "/specs/{id}/evaluate",
                                      "/specs/{id}/bulletin", "/specs/{id}/check-facts", "/openapi.json"}


def test_the_home_page_lists_the_specs_and_links_the_api(server: Server) -> None:
    """GET / is 首页 (HTML, Chinese): each served spec with its template, rules and upload links; the API linked."""
    response = httpx.get(server.url + "/")
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="zh-CN">' in page and 'href="/openapi.json"' in page
    assert "镇坪县2021年政务公开工作考核办法" in page and "镇考办发〔2021〕10号" in page
    for link in ("/web/specs/2021/template", "/web/specs/2021/rules", "/web/specs/2021/upload"):
        assert f'href="{link}"' in page
    assert "<script" not in page


def test_concurrent_requests_give_identical_results(client: Client, server: Server, units: list[JSON]) -> None:
    """Forty-eight requests from eight threads at once give byte-identical results per unit."""
    def score(i: int) -> tuple[str, str]:
        unit = units[i % len(units)]
        with Client(server.url) as own:
            return unit["id"], json.dumps(own.evaluate("2021", unit), sort_keys=True)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(score, range(48)))
    expected = {u["id"]: json.dumps(client.evaluate("2021", u), sort_keys=True) for u in units}
    assert all(text == expected[uid] for uid, text in answers)


def test_each_request_is_logged_as_one_structured_line(client: Client, server: Server, units: list[JSON]) -> None:
    """An evaluate request leaves one JSON log line with method, path, status, time, spec and receipt."""
    response = httpx.post(server.url + "/specs/2021/evaluate", json=units[1])
    request_id = response.headers["x-request-id"]
    deadline = time.monotonic() + 5
    while not (lines := [line for line in server.log_lines() if line["request_id"] == request_id]):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    [line] = lines
    assert (line["method"], line["path"], line["status"], line["spec"]) == ("POST", "/specs/2021/evaluate", 200, "2021")
    assert line["receipt"] == response.json()["receipt"]["facts_sha256"]
    assert line["ms"] > 0


def test_a_body_over_the_limit_is_a_413_problem(strict_server: Server) -> None:
    """A body over --max-body is refused with 413, whether its length is declared or it comes in chunks."""
    big = b'{"units": [' + b"1," * 150_000 + b"1]}"

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(big), 10_000):
            yield big[i:i + 10_000]

    for content in (big, chunks()):
        response = httpx.post(strict_server.url + "/specs/2021/evaluate", content=content, timeout=30)
        PROBLEM_SCHEMA.validate(response.json())
        assert (response.status_code, response.json()["code"]) == (413, "request.too_large")


def test_a_request_over_the_time_limit_is_a_503_problem(strict_server: Server) -> None:
    """A batch that takes longer than --timeout is answered 503 request.timeout."""
    unit = {"id": "u", "name": "甲", "type": "town", "target": 3, "facts": {}}
    body = {"units": [dict(unit, id=f"u{i}") for i in range(1500)]}
    response = httpx.post(strict_server.url + "/specs/2021/check-facts", json=body, timeout=30)
    PROBLEM_SCHEMA.validate(response.json())
    assert (response.status_code, response.json()["code"]) == (503, "request.timeout")


def test_serve_without_a_spec_dir_folder_is_a_usage_error(tmp_path: Path) -> None:
    """`serve --spec-dir` naming no folder exits 2 before starting."""
    import io

    from assessrules.cli import run

    err = io.StringIO()
    assert run(["serve", "--spec-dir", str(tmp_path / "none")], io.StringIO(), err) == 2
    assert "none：没有这个文件夹" in err.getvalue()


def test_a_bug_is_a_500_problem_without_a_traceback() -> None:
    """An exception the application did not expect is answered 500 internal.error, its traceback only in the log."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from assessrules.service.app import Guard, Settings

    async def broken(request: Request) -> Response:
        raise RuntimeError("secret detail")

    app = Starlette(routes=[Route("/broken", broken)])
    app.add_middleware(Guard, settings=Settings())

    async def fetch() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://local") as local:
            return await local.get("/broken")

    response = anyio.run(fetch)
    document = response.json()
    PROBLEM_SCHEMA.validate(document)
    assert (response.status_code, document["code"], document["exit_code"]) == (500, "internal.error", 3)
    assert "secret detail" not in response.text and "Traceback" not in response.text


def test_workers_are_passed_to_uvicorn(tmp_path: Path) -> None:
    """`serve --workers 2` starts two worker processes that each answer requests."""
    for running in _start(tmp_path, "--workers", "2"):
        for _ in range(4):
            assert httpx.get(running.url + "/specs", timeout=10).status_code == 200
        deadline = time.monotonic() + 30
        while (text := running.log.read_text(encoding="utf-8")).count("Started server process") < 2:
            assert time.monotonic() < deadline, text
            time.sleep(0.1)
        assert text.count("Started server process") == 2, text


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without uvicorn installed, `serve` is a usage error naming the extra, not a traceback."""
    import io

    from assessrules.cli import run

    monkeypatch.delitem(sys.modules, "assessrules.service.app", raising=False)
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    err = io.StringIO()
    assert run(["serve"], io.StringIO(), err) == 2
    assert "pip install 'assessrules[serve]'" in err.getvalue()


def _app_client() -> Any:
    from starlette.testclient import TestClient

    from assessrules.service.app import create_app

    return TestClient(create_app())


def test_answers_are_in_chinese_unless_the_client_asks_for_english(units: list[JSON]) -> None:
    """`title`, `detail` and each problem's message and hint follow Accept-Language; the codes never change."""
    unit = dict(units[0], facts={**units[0]["facts"], "fulltime_staff": "many"})
    client = _app_client()
    answers = {header: client.post("/specs/2021/evaluate", json=unit,
                                   headers={"accept-language": header} if header else {}).json()
               for header in (None, "zh-CN,zh;q=0.9", "en", "en-US;q=0.9", "fr, en;q=0.5", "zh;q=0.5, en;q=0.8")}
    label = "政务公开专职人员数"
    for header in (None, "zh-CN,zh;q=0.9"):
        answer = answers[header]
        assert answer["title"] == "考核数据有误"
        assert answer["detail"] == f"数据项“{label}”（fulltime_staff）应填数字，填写的是 'many'"
        assert answer["problems"][0]["hint"] == "请填写数字，如 7 或 0.5，不加引号"
    for header in ("en", "en-US;q=0.9", "fr, en;q=0.5", "zh;q=0.5, en;q=0.8"):
        answer = answers[header]
        assert answer["title"] == "The facts are not valid"
        assert answer["detail"] == f"fact `fulltime_staff` ({label}): expected a number, got 'many'"
        assert answer["problems"][0]["hint"] == "write a number such as 7 or 0.5, without quotes"
    assert {(a["code"], a["problems"][0]["code"], a["problems"][0]["line"]) for a in answers.values()} == {
        ("facts.invalid", "facts.not_number", 1)}


def test_request_problems_and_check_facts_follow_accept_language() -> None:
    """A body that is not JSON, an unknown route and /check-facts answer in the language asked for."""
    client = _app_client()
    zh = client.post("/specs/2021/evaluate", content=b"{not json").json()
    en = client.post("/specs/2021/evaluate", content=b"{not json", headers={"accept-language": "en"}).json()
    assert (zh["code"], zh["title"], zh["problems"][0]["code"]) == ("request.invalid", "请求或命令行有误",
                                                                     "request.not_json")
    assert zh["detail"].startswith("请求体不是 `JSON`（解析器的说明：`")
    assert zh["problems"][0]["hint"].startswith("请发送 `JSON` 对象")
    assert (en["code"], en["title"]) == ("request.invalid", "The request or command line is not valid")
    assert en["detail"].startswith("the body is not JSON: ")
    missing = client.get("/nowhere").json()
    assert (missing["code"], missing["title"], missing["detail"]) == ("request.not_found", "未找到", "/nowhere 处没有资源")
    unknown = client.get("/specs/2099/facts-schema", headers={"accept-language": "en-GB"}).json()
    assert (unknown["code"], unknown["title"], unknown["detail"]) == ("spec.not_found", "No such spec",
                                                                      "no spec `2099` is served")
    checked = client.post("/specs/2021/check-facts", json={"units": [{"id": "a", "type": "村"}]}).json()
    assert "单位类型 '村' 不是考评细则中的类型" in [p["message"] for p in checked["problems"]]
    hint = next(p["hint"] for p in checked["problems"] if p["code"] == "facts.unit_type")
    assert hint.startswith("可选的类型：") and "（town）" in hint


def test_the_language_of_an_accept_language_header() -> None:
    """English only when the client prefers it to Chinese; anything else, or nothing, is Chinese."""
    from assessrules.service.app import language_of

    assert [language_of(h) for h in (None, "", "en", "EN-us", "en;q=0", "zh, en", "en, zh", "zh;q=0.1, en",
                                     "fr", "*", "en;q=bad")] == [
        "zh", "zh", "en", "en", "zh", "zh", "en", "en", "zh", "zh", "zh"]

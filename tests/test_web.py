"""The office's web pages, driven in a real browser: the system's Chromium through Selenium, on a real uvicorn
process (``python -m assessrules serve``) on a loopback port. Nothing is downloaded at run time: the browser and
its driver are Debian's (``chromium``, ``chromium-driver``), named by path, and Selenium Manager is kept offline.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
try:
    import selenium  # noqa: F401

    HAVE_SELENIUM = True
except ImportError:
    HAVE_SELENIUM = False

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: chromium)"),
    pytest.mark.skipif(CHROMEDRIVER is None, reason="chromedriver is not installed (Debian: chromium-driver)"),
    pytest.mark.skipif(not HAVE_SELENIUM, reason="selenium is not installed (the [test] extra)"),
]
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_FORMULA = "镇=cmd|'/C calc'!A0"  # a name may not start with = (the reader refuses it: see below)
FORMULA = "=cmd|'/C calc'!A0"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """A running ``python -m assessrules serve`` and the temporary folder its uploads go to."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.url = url
        self.uploads = tmp / "assessrules-uploads"

    def folders(self) -> list[Path]:
        """The upload folders kept now."""
        return sorted(p for p in self.uploads.iterdir() if p.is_dir()) if self.uploads.is_dir() else []


def _start(tmp: Path, *options: str) -> Iterator[Server]:
    port = _free_port()
    log = tmp / "serve.log"
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "assessrules", "serve", "--port", str(port), *options],
                                   stdout=sink, stderr=subprocess.STDOUT, cwd=tmp, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/specs", timeout=2).status_code in (200, 401):  # 401: up, behind a password
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start:\n{log.read_text(encoding='utf-8')}")
            time.sleep(0.1)
        yield Server(url, tmp)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _start(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium at 1366×768 (an office screen), downloading into ``downloads``, its console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a browser or a driver
    options = webdriver.ChromeOptions()
    assert CHROMIUM is not None and CHROMEDRIVER is not None
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1366,768", f"--user-data-dir={tmp_path_factory.mktemp('profile')}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _cli(*args: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "assessrules", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    return done.stdout


def _cli_scores(facts: Path) -> dict[str, str]:
    """The CLI's score of each unit (``assessrules score … --format json``), by unit name."""
    document = json.loads(_cli("score", str(facts), "--format", "json", cwd=facts.parent))
    return {r["unit"]["name"]: r["score"] for r in document["results"]}


def _wait_download(folder: Path, suffix: str, before: set[Path], timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [p for p in folder.iterdir() if p not in before and p.name.endswith(suffix)]
        if new:
            return new[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} was downloaded into {folder}: {sorted(p.name for p in folder.iterdir())}")


def _click_download(browser: Any, folder: Path, selector: str, suffix: str) -> Path:
    from selenium.webdriver.common.by import By

    before = set(folder.iterdir())
    browser.find_element(By.CSS_SELECTOR, selector).click()
    return _wait_download(folder, suffix, before)


def _upload(browser: Any, server: Server, path: Path, as_of: str | None = None) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server.url}/web/specs/2021/upload")
    browser.find_element(By.ID, "facts").send_keys(str(path))
    if as_of:  # a date input takes the date as the local format's digits; give it by script-free keys
        field = browser.find_element(By.ID, "as_of")
        browser.execute_script("arguments[0].value = arguments[1]", field, as_of)
    _click_and_wait(browser, "form.upload button[type=submit]")


def _click_and_wait(browser: Any, selector: str) -> None:
    """Click ``selector`` and wait until the next page has replaced this one."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, selector).click()

    def replaced(_: Any) -> bool:
        """Whether the old page is gone. Chromium says so by a stale reference or, while the new page is being
        built, by the inspector error 'Node with given id does not belong to the document'."""
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    WebDriverWait(browser, 60).until(replaced)
    WebDriverWait(browser, 60).until(lambda b: b.execute_script("return document.readyState") == "complete")


def _ranking(browser: Any) -> dict[str, str]:
    """The results page's ranking: each unit's name and score, as shown."""
    from selenium.webdriver.common.by import By

    out = {}
    for row in browser.find_elements(By.CSS_SELECTOR, "table.ranking tbody tr"):
        name = row.find_element(By.CSS_SELECTOR, "th").text
        score = row.find_elements(By.CSS_SELECTOR, "td")[1].text
        out[name] = score
    return out


def _not_blank(png: bytes) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size[0] >= 300
    colours = image.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20, "the screenshot is blank"
    dark = sum(image.histogram()[:128])
    assert dark > 2000, "the screenshot shows next to no text"


def _screenshot(browser: Any, *texts: str) -> None:
    """The page as a picture is not blank, and the page holds ``texts``."""
    from selenium.webdriver.common.by import By

    _not_blank(browser.get_screenshot_as_png())
    shown = browser.find_element(By.TAG_NAME, "body").text
    for words in texts:
        assert words in shown, f"{words!r} is not on {browser.current_url}"


def _fill_template(blank: Path, filled: Path, out: Path, ids: set[str]) -> None:
    """Copy the rows of units ``ids`` from a filled workbook into the blank template, by column header (openpyxl)."""
    source = openpyxl.load_workbook(filled)
    target = openpyxl.load_workbook(blank)
    for sheet in source.sheetnames[1:]:  # the first sheet is 填表说明
        src, dst = source[sheet], target[sheet]
        header = [c.value for c in src[1]]
        columns = {c.value: c.column for c in dst[1] if c.value is not None}
        row = 2
        for values in src.iter_rows(min_row=2, values_only=True):
            if values[0] not in ids:
                continue
            for name, value in zip(header, values, strict=False):
                if name in columns and value is not None:
                    dst.cell(row=row, column=columns[name], value=value)
            row += 1
    target.save(out)


@pytest.fixture(scope="module")
def example_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's 16 units as a filled workbook (``assessrules convert``)."""
    folder = tmp_path_factory.mktemp("example")
    _cli("convert", str(EXAMPLE), "-o", str(folder / "考核数据.xlsx"), cwd=folder)
    return folder / "考核数据.xlsx"


def test_a_clerk_does_the_whole_assessment_in_the_browser(browser: Any, server: Server, downloads: Path,
                                                          example_book: Path, tmp_path: Path) -> None:
    """首页 → the template downloaded → filled with openpyxl → uploaded → the ranking → a unit's 扣分明细 → the
    results workbook downloaded: its scores are the CLI's."""
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    _screenshot(browser, "镇坪县2021年政务公开工作考核办法", "镇考办发〔2021〕10号", "下载填报模板", "查看考评细则",
                "上传数据评分")
    blank = _click_download(browser, downloads, 'a[href="/web/specs/2021/template"]', ".xlsx")
    assert openpyxl.load_workbook(blank).sheetnames == openpyxl.load_workbook(example_book).sheetnames
    ids = {"chengguan", "zengjia", "niutoudian"}
    filled = tmp_path / "三个单位.xlsx"
    _fill_template(blank, example_book, filled, ids)
    expected = _cli_scores(filled)
    assert len(expected) == 3

    _upload(browser, server, filled)
    assert "/web/results/" in browser.current_url
    _screenshot(browser, "考核结果", "排名", "下载")
    assert _ranking(browser) == expected

    _click_and_wait(browser, "table.ranking tbody tr th a")
    first = browser.find_element(By.TAG_NAME, "h1").text
    assert first.endswith("扣分明细") and first.split()[0] in expected
    _screenshot(browser, "一级指标", "二级指标", "分值", "得分", "合计")
    browser.back()

    workbook = _click_download(browser, downloads, 'a[href$="/files/results.xlsx"]', ".xlsx")
    assert _workbook_scores(workbook) == expected


def _workbook_scores(path: Path) -> dict[str, str]:
    """Each unit's score in the results workbook's ranking sheet, by name."""
    from assessrules.numbers import format_points

    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    name_col, score_col = header.index("单位"), header.index("得分")
    from decimal import Decimal

    return {str(row[name_col]): format_points(Decimal(str(row[score_col])))
            for row in sheet.iter_rows(min_row=2, values_only=True) if row[name_col]}


def test_the_whole_example_scores_as_the_cli_does(browser: Any, server: Server, downloads: Path,
                                                  example_book: Path) -> None:
    """All 16 units of the example, uploaded as a workbook: the page's ranking and the workbook's scores are the CLI's;
    the bulletins of the four quarters are there, and each opens."""
    from selenium.webdriver.common.by import By

    expected = _cli_scores(EXAMPLE)
    _upload(browser, server, example_book)
    assert _ranking(browser) == expected
    results = browser.current_url
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#bulletins ~ ul.links a")]
    assert [link.rsplit("/", 1)[1] for link in links] == ["2021Q1", "2021Q2", "2021Q3", "2021Q4"]
    browser.get(links[2])
    _screenshot(browser, "通报", "第3季度")
    browser.get(results)
    assert _workbook_scores(_click_download(browser, downloads, 'a[href$="/files/results.xlsx"]', ".xlsx")) == expected
    keys = [a.get_attribute("href").rsplit("/", 1)[1]
            for a in browser.find_elements(By.CSS_SELECTOR, "ul.downloads a")]
    assert {"results.xlsx", "report.html", "results.json", "publicity.docx", "deductions.docx",
            "bulletin-2021Q1.docx"} <= set(keys)
    with httpx.Client(base_url=results, timeout=300) as http:
        for key in keys:
            answer = http.get(f"{results}/files/{key}")
            assert answer.status_code == 200 and len(answer.content) > 1000, key
            assert "attachment" in answer.headers["content-disposition"]


def test_a_workbook_with_mistakes_lists_each_located_problem(browser: Any, server: Server, example_book: Path,
                                                             tmp_path: Path) -> None:
    """Mistakes in three sheets: every problem the reader finds is a row (工作表, 单元格, 单位) of the table; nothing is
    scored and nothing kept."""
    from selenium.webdriver.common.by import By

    from assessrules import load_spec
    from assessrules.errors import FactsError
    from assessrules.inputs.facts_file import read_facts, score_document

    book = openpyxl.load_workbook(example_book)
    book["单位"]["D3"] = "三分"  # a target value in words
    book["年度考核"]["F4"] = -2  # a count below zero
    book["月度考核"]["D5"] = "很多"  # a number in words
    book["月度考核"]["E6"] = "也许"  # neither 是 nor 否
    bad = tmp_path / "有错误的数据.xlsx"
    book.save(bad)
    spec = load_spec("2021")
    with pytest.raises(FactsError) as caught:
        score_document(spec, read_facts(bad, spec))
    expected = {(p.cell or "").partition("!")[0::2] for p in caught.value.problems}
    assert len(expected) >= 4

    _upload(browser, server, bad)
    _screenshot(browser, "数据有误", "工作表", "单元格", "单位", "问题", "怎么改")
    assert [th.get_attribute("scope") for th in browser.find_elements(By.CSS_SELECTOR, "table.problems th")] == ["col"] * 5
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in browser.find_elements(By.CSS_SELECTOR, "table.problems tbody tr")]
    assert {(r[0], r[1]) for r in rows} == expected
    assert all(r[3] and r[4] for r in rows)  # what is wrong, and how to fix it
    assert not browser.find_elements(By.CSS_SELECTOR, "table.ranking")
    assert _no_upload_of(server, "有错误的数据.xlsx")


def _no_upload_of(server: Server, name: str) -> bool:
    for folder in server.folders():
        meta = folder / "upload.json"
        if meta.is_file() and json.loads(meta.read_text(encoding="utf-8")).get("name") == name:
            return False
    return True


def test_every_page_is_a_real_picture_with_its_chinese_text(browser: Any, server: Server, example_book: Path) -> None:
    """首页, 上传数据评分, the results, a 扣分明细, a bulletin, and a phone-sized 首页: none is blank."""
    from selenium.webdriver.common.by import By

    browser.get(f"{server.url}/web/specs/2021/upload")
    _screenshot(browser, "上传数据评分", "填好的数据文件", "考核日期", "上传并评分")
    labels = {lab.get_attribute("for") for lab in browser.find_elements(By.TAG_NAME, "label")}
    assert {"facts", "as_of"} <= labels
    _upload(browser, server, example_book)
    _screenshot(browser, "考核结果", "各镇人民政府", "名次", "等次", "季度通报")
    levels = [int(h.tag_name[1]) for h in browser.find_elements(By.CSS_SELECTOR, "h1, h2, h3, h4")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert browser.find_elements(By.CSS_SELECTOR, "figure.chart svg")
    browser.set_window_size(390, 844)  # a phone
    try:
        browser.get(server.url + "/")
        _screenshot(browser, "下载填报模板")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400, "首页 scrolls sideways on a phone"
    finally:
        browser.set_window_size(1366, 768)


@pytest.fixture(scope="module")
def hostile_facts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with two units renamed: a script and a spreadsheet formula."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["units"][0]["name"] = HOSTILE_SCRIPT
    data["units"][1]["name"] = HOSTILE_FORMULA
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_hostile_unit_name_is_text_everywhere(browser: Any, server: Server, hostile_facts: Path) -> None:
    """A unit named ``<script>alert(1)</script>`` or ``镇=cmd|'/C calc'!A0`` is shown as text on every page and in
    every download; no script runs (no alert, nothing in the console, no script element in the DOM)."""
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    browser.get_log("browser")  # empty it
    _upload(browser, server, hostile_facts)
    results = browser.current_url
    names = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.ranking tbody th")]
    assert HOSTILE_SCRIPT in names and HOSTILE_FORMULA in names
    pages = [results]
    for n, name in enumerate(names):
        if name in (HOSTILE_SCRIPT, HOSTILE_FORMULA):
            pages.append(f"{results}/units/{n}")
    pages.append(f"{results}/bulletins/2021Q1")
    for page in pages:
        browser.get(page)
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018
        assert browser.find_elements(By.TAG_NAME, "script") == []
        source = browser.page_source
        assert "<script>alert" not in source
    for page in pages[1:3]:
        browser.get(page)
        assert browser.find_element(By.TAG_NAME, "h1").text.split(" 扣分明细")[0] in (HOSTILE_SCRIPT, HOSTILE_FORMULA)
    assert [entry for entry in browser.get_log("browser") if "alert" in entry["message"] or
            entry["level"] == "SEVERE"] == []

    with httpx.Client(timeout=300) as http:
        report = http.get(f"{results}/files/report.html").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report and "<script>alert" not in report
        data = json.loads(http.get(f"{results}/files/results.json").content)
        assert {HOSTILE_SCRIPT, HOSTILE_FORMULA} <= {r["unit"]["name"] for r in data["results"]}
        book = openpyxl.load_workbook(io.BytesIO(http.get(f"{results}/files/results.xlsx").content))
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        formula = [c for c in cells if "cmd|" in str(c.value)]
        assert formula and all(c.data_type != "f" for c in formula)
        assert HOSTILE_FORMULA in {c.value for c in formula} and HOSTILE_SCRIPT in {c.value for c in cells}
        import docx

        for key in ("publicity.docx", "deductions.docx"):
            words = docx.Document(io.BytesIO(http.get(f"{results}/files/{key}").content))
            shown = "\n".join([p.text for p in words.paragraphs]
                              + [cell.text for table in words.tables for row in table.rows for cell in row.cells])
            assert HOSTILE_SCRIPT in shown and HOSTILE_FORMULA in shown, key


def test_a_name_that_is_a_formula_is_a_located_problem(browser: Any, server: Server, tmp_path: Path) -> None:
    """A unit named ``=cmd|'/C calc'!A0`` is refused where it is written (its line), as text; nothing is scored."""
    from selenium.webdriver.common.by import By

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["units"][1]["name"] = FORMULA
    path = tmp_path / "formula.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _upload(browser, server, path)
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in browser.find_elements(By.CSS_SELECTOR, "table.problems tbody tr")]
    assert len(rows) == 1 and rows[0][2] == data["units"][1]["id"] and rows[0][1].startswith("第")
    assert "=" in rows[0][3]
    assert not browser.find_elements(By.CSS_SELECTOR, "table.ranking")


def test_uploads_expire_and_their_folder_goes(tmp_path_factory: pytest.TempPathFactory, example_book: Path) -> None:
    """With --upload-ttl 2: the results are there; within seconds their folder is gone, swept with no request asking,
    and the results are answered 404 (结果已过期)."""
    for server in _start(tmp_path_factory.mktemp("ttl"), "--upload-ttl", "2"):
        with httpx.Client(base_url=server.url, timeout=120) as http:
            answer = http.post("/web/specs/2021/upload", files={"facts": ("考核数据.xlsx", example_book.read_bytes())})
            assert answer.status_code == 303
            results = answer.headers["location"]
            token = results.rsplit("/", 1)[1]
            assert len(token) == 32 and (server.uploads / token).is_dir()
            assert oct((server.uploads / token).stat().st_mode & 0o777) == "0o700"
            shown = http.get(results)
            assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"  # an upload's data
            deadline = time.monotonic() + 10
            while (server.uploads / token).exists() and time.monotonic() < deadline:  # swept without a request
                time.sleep(0.1)
            assert not (server.uploads / token).exists()
            gone = http.get(results)
            assert gone.status_code == 404 and "结果已过期" in gone.text
            assert not (server.uploads / token).exists()
            assert http.get(f"{results}/files/results.xlsx").status_code == 404


def test_upload_limits_are_kept(tmp_path_factory: pytest.TempPathFactory, example_book: Path) -> None:
    """--max-upload refuses a larger file (413) and --max-uploads a third kept upload (503), each with a page."""
    data = example_book.read_bytes()
    for server in _start(tmp_path_factory.mktemp("limits"), "--max-upload", str(len(data)), "--max-uploads", "2"):
        with httpx.Client(base_url=server.url, timeout=120) as http:
            big = http.post("/web/specs/2021/upload", files={"facts": ("大.xlsx", data + b"\0" * 10)})
            assert big.status_code == 413 and "文件太大" in big.text
            huge = http.post("/web/specs/2021/upload", files={"facts": ("大.xlsx", b"\0" * (len(data) + 200_000))})
            assert huge.status_code == 413
            for _ in range(2):
                assert http.post("/web/specs/2021/upload", files={"facts": ("a.xlsx", data)}).status_code == 303
            full = http.post("/web/specs/2021/upload", files={"facts": ("a.xlsx", data)})
            assert full.status_code == 503 and "服务器正忙" in full.text
            wrong = http.post("/web/specs/2021/upload", files={"facts": ("a.exe", b"MZ")})
            assert wrong.status_code == 415
            assert len(server.folders()) == 2


def test_the_rules_page_holds_every_leaf_indicator_with_its_points(browser: Any, server: Server, downloads: Path) -> None:
    """考评细则 of the 2021 spec: a row per leaf indicator, with its points; the points add up to 100; a .docx of it."""
    from decimal import Decimal

    from selenium.webdriver.common.by import By

    from assessrules import load_spec

    spec = load_spec("2021")
    browser.get(server.url + "/")
    _click_and_wait(browser, 'a[href="/web/specs/2021/rules"]')
    _screenshot(browser, "考评细则", "一级指标", "二级指标", "分值", "考评标准")
    table = browser.find_element(By.CSS_SELECTOR, "article.document table")
    header = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert [th.get_attribute("scope") for th in table.find_elements(By.CSS_SELECTOR, "thead th")] == ["col"] * len(header)
    first, second, points = header.index("一级指标"), header.index("二级指标"), header.index("分值")
    shown: dict[str, Decimal] = {}
    for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr"):
        cells = [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        if not cells[points] or cells[first] == "合计":
            continue
        shown[cells[second] or cells[first]] = Decimal(cells[points])
    leaves = {n.name: Decimal(n.points) for n in spec.nodes if n.is_leaf}
    assert shown == leaves
    assert sum(shown.values()) == 100
    saved = _click_download(browser, downloads, 'a[href="/web/specs/2021/rules.docx"]', ".docx")
    assert saved.stat().st_size > 5000


def test_behind_a_password_the_clerk_signs_in_then_uploads(browser: Any, tmp_path_factory: pytest.TempPathFactory,
                                                          example_book: Path) -> None:
    """With --password-file: 首页 sends the browser to the login form; signed in, the upload and its results work."""
    from selenium.webdriver.common.by import By

    from assessrules.service.guard import account_line

    folder = tmp_path_factory.mktemp("guarded")
    accounts = folder / "passwords.txt"
    accounts.write_text(account_line("office", "correct horse battery") + "\n", encoding="utf-8")
    accounts.chmod(0o600)
    for server in _start(folder, "--password-file", str(accounts)):
        browser.delete_all_cookies()
        browser.get(server.url + "/")
        assert "/login" in browser.current_url
        browser.find_element(By.ID, "user").send_keys("office")
        browser.find_element(By.ID, "password").send_keys("correct horse battery")
        _click_and_wait(browser, "form button[type=submit]")
        _screenshot(browser, "上传数据评分")
        _upload(browser, server, example_book)
        assert "/web/results/" in browser.current_url and len(_ranking(browser)) == 16
        browser.delete_all_cookies()


def test_the_template_prefilled_with_a_previous_files_units(server: Server) -> None:
    """首页's 下载预填单位的模板: the template lists the units of the facts file sent, with no facts filled in."""
    expected = [u["id"] for u in yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["units"]]
    answer = httpx.post(f"{server.url}/web/specs/2021/template", timeout=60,
                        files={"units": (EXAMPLE.name, EXAMPLE.read_bytes())})
    assert answer.status_code == 200 and "filename*=UTF-8''2021" in answer.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert [row[0] for row in book["单位"].iter_rows(min_row=2, values_only=True) if row[0]] == expected
    yearly = list(book["年度考核"].iter_rows(min_row=2, values_only=True))
    assert all(value is None for row in yearly for value in row[2:])
    blank = httpx.post(f"{server.url}/web/specs/2021/template", timeout=60, files={"units": ("", b"")})
    assert blank.status_code == 200
    assert [r for r in openpyxl.load_workbook(io.BytesIO(blank.content))["单位"].iter_rows(min_row=2, values_only=True)
            if any(r)] == []

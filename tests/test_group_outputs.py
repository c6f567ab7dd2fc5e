"""Groups (issue 14 item 7) in the results workbook, the HTML report and the service.

The workbook is read back with openpyxl and opened by LibreOffice Calc, the report is shown and printed by
headless Chromium, and the service is a real uvicorn process; the office tests skip only where the program
is not installed.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import jsonschema
import openpyxl
import pytest
import yaml

from assessrules._resources import load_schema
from assessrules.cli import run

from .test_office_apps import calc_to_csv, chromium, needs_calc, needs_chromium
from .test_service import Server, _start

ROOT = Path(__file__).resolve().parent.parent
GROUPS = ROOT / "tests/specs/shapes/groups.yaml"
RESULT_SCHEMA = jsonschema.Draft202012Validator(load_schema("result-1.schema.json"))
# d1 100, d2 90 (10 late), t1 80 (20 late): the mean is 270 / 3 = 90; the mix 60% × 95 + 40% × 80 = 89.
UNITS = [{"id": "d1", "name": "甲局", "type": "department", "target": 1, "facts": {"late": 0}},
         {"id": "d2", "name": "乙局", "type": "department", "target": 1, "facts": {"late": 10}},
         {"id": "t1", "name": "丙镇", "type": "town", "target": 1, "facts": {"late": 20}}]
GROUP_SHEET = [
    ("考核组", "编号", "得分", "等次", "成员数", "计算方式", "成员"),
    ("全县（平均）", "county_mean", 90, "合格", 3, "全部成员平均\n县直部门 平均 95\n乡镇 平均 80",
     "d1（县直部门）100\nd2（县直部门）90\nt1（乡镇）80"),
    ("全县（加权）", "county_mix", 89, "合格", 3, "县直部门 平均 95 × 60%\n乡镇 平均 80 × 40%",
     "d1（县直部门）100\nd2（县直部门）90\nt1（乡镇）80"),
]


def call(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert run(list(argv), out, err) == 0, err.getvalue()
    return out.getvalue()


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump({"units": UNITS}, allow_unicode=True), encoding="utf-8")
    return path


def plain_spec(tmp_path: Path) -> Path:
    """The groups spec without its `groups:`."""
    text = GROUPS.read_text(encoding="utf-8")
    head, tail = text.split("groups:")
    path = tmp_path / "plain.yaml"
    path.write_text(head + "grades:" + tail.split("grades:")[1], encoding="utf-8")
    return path


def test_the_workbook_has_a_group_sheet_before_the_receipt(tmp_path: Path, facts: Path) -> None:
    """`score -o x.xlsx` adds 考核组: each group's score, grade, member count, how it was computed, its members."""
    book_path = tmp_path / "结果.xlsx"
    call("score", "--spec", str(GROUPS), str(facts), "-o", str(book_path))
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames[-2:] == ["考核组", "凭据"]
    assert list(book["考核组"].iter_rows(values_only=True)) == GROUP_SHEET
    assert book["考核组"].freeze_panes == "C2"


def test_a_workbook_without_groups_has_no_group_sheet(tmp_path: Path, facts: Path) -> None:
    book_path = tmp_path / "结果.xlsx"
    call("score", "--spec", str(plain_spec(tmp_path)), str(facts), "-o", str(book_path))
    assert "考核组" not in openpyxl.load_workbook(book_path).sheetnames


@needs_calc
def test_calc_reads_the_group_sheet_with_the_json_scores(tmp_path: Path, facts: Path) -> None:
    """LibreOffice Calc opens the workbook; the group sheet shows the scores `score --format json` gives."""
    book_path = tmp_path / "结果.xlsx"
    call("score", "--spec", str(GROUPS), str(facts), "-o", str(book_path))
    sheets = calc_to_csv(book_path, tmp_path)
    assert "考核组" in sheets
    header, *rows = sheets["考核组"]
    assert header == list(GROUP_SHEET[0])
    groups = json.loads(call("score", "--spec", str(GROUPS), str(facts), "--format", "json"))["groups"]
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [(g["id"], g["score"], g["grade"], str(len(g["members"])))
                                                      for g in groups]


def test_the_report_has_a_group_section_and_none_without_groups(tmp_path: Path, facts: Path) -> None:
    page = call("report", "--spec", str(GROUPS), str(facts))
    assert '<h3 class="level2" id="groups">考核组</h3>' in page
    assert "<td>全县（加权）</td><td class=\"num\">89</td><td>合格</td><td class=\"num\">3</td>" in page
    assert "县直部门 平均 95 × 60%；乡镇 平均 80 × 40%" in page
    assert page.count("<caption>全县（") == 2  # each group's members, in a table of their own
    # `score -o x.html` writes the same report
    html = tmp_path / "r.html"
    call("score", "--spec", str(GROUPS), str(facts), "-o", str(html))
    assert html.read_text(encoding="utf-8") == page
    assert "考核组" not in call("report", "--spec", str(plain_spec(tmp_path)), str(facts))


@needs_chromium
def test_chromium_shows_the_groups_and_prints_them_on_a4(tmp_path: Path, facts: Path) -> None:
    """The DOM Chromium builds holds the group section; printed, every page is A4."""
    report = tmp_path / "考核结果.html"
    call("report", "--spec", str(GROUPS), str(facts), "-o", str(report))
    dom = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "p1")
    assert dom.returncode == 0, dom.stderr.decode("utf-8", "replace")
    page = dom.stdout.decode("utf-8")
    assert 'id="groups"' in page and "全县（平均）" in page and "全县（加权）" in page
    pdf = tmp_path / "考核结果.pdf"
    proc = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri(), profile=tmp_path / "p2")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes())
    assert len(boxes) > 3  # the ranking with the groups, then a page per unit
    assert all(abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5 for w, h in boxes)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("specs")
    shutil.copy(GROUPS, folder / "groups.yaml")
    yield from _start(tmp_path_factory.mktemp("serve"), "--spec-dir", str(folder))


def test_the_service_returns_the_groups_as_score_json_does(server: Server, facts: Path) -> None:
    """POST evaluate with many units gives `groups` after `results`, equal to `score --format json`'s."""
    answer = httpx.post(f"{server.url}/specs/groups/evaluate", json={"units": UNITS}, timeout=30)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    RESULT_SCHEMA.validate(body)
    assert list(body)[-2:] == ["results", "groups"]
    expected = json.loads(call("score", "--spec", str(GROUPS), str(facts), "--format", "json"))["groups"]
    assert body["groups"] == expected
    assert [(g["id"], g["score"]) for g in body["groups"]] == [("county_mean", "90"), ("county_mix", "89")]
    one = httpx.post(f"{server.url}/specs/groups/evaluate", json=UNITS[0], timeout=30).json()
    assert "groups" not in one  # one unit is one result, as before


def test_the_openapi_document_names_the_groups_and_the_415(server: Server) -> None:
    document = httpx.get(f"{server.url}/openapi.json", timeout=30).json()
    evaluate = document["paths"]["/specs/{id}/evaluate"]["post"]["responses"]
    assert "groups" in evaluate["200"]["description"]
    for path in ("/specs/{id}/evaluate", "/specs/{id}/bulletin", "/specs/{id}/check-facts"):
        assert "415" in document["paths"][path]["post"]["responses"]
    refused = httpx.post(f"{server.url}/specs/groups/evaluate", content=b"{}",
                         headers={"content-type": "text/plain"}, timeout=30)
    assert refused.status_code == 415

"""Real office software reads what we write: LibreOffice Calc opens the workbook, Chromium shows the report.

Each test starts the real program (headless, in a temporary folder) and reads back what it produced.
They skip, saying why, only where the program is not installed (CI installs Debian's
``libreoffice-calc-nogui`` and ``chromium``).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from assessrules.cli import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_calc = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (Debian: libreoffice-calc-nogui)")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: chromium)")


def call(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    assert code == 0, err.getvalue()
    return out.getvalue()


def calc_to_csv(workbook: Path, folder: Path) -> dict[str, list[list[str]]]:
    """Convert every sheet of ``workbook`` to CSV with LibreOffice Calc; return the rows of each sheet."""
    assert SOFFICE is not None
    # Filter options: comma, double quote, UTF-8 (76), from line 1, …, cells as shown (so 89.5 must show as 89.5),
    # …, and -1: every sheet to its own file.
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                           "--convert-to", options, "--outdir", str(folder), str(workbook)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Error" not in proc.stderr, proc.stderr
    sheets = {}
    for path in folder.glob(f"{workbook.stem}-*.csv"):
        sheets[path.stem[len(workbook.stem) + 1:]] = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return sheets


@needs_calc
def test_calc_converts_the_results_workbook_and_its_numbers_equal_the_json(tmp_path: Path) -> None:
    """LibreOffice reads every sheet; scores, indicator scores and deductions are the JSON output's."""
    workbook = tmp_path / "结果.xlsx"
    call("score", str(EXAMPLE), "-o", str(workbook))
    sheets = calc_to_csv(workbook, tmp_path)
    assert set(sheets) == {"排名", "等次分布", "得分明细", "扣分明细", "月度", "直接扣分与目标分值", "凭据"}
    results = {r["unit"]["id"]: r for r in json.loads(call("score", str(EXAMPLE), "--format", "json"))["results"]}

    header, *rows = sheets["排名"]
    assert len(rows) == len(results) == 16
    for row in rows:
        line = dict(zip(header, row, strict=True))
        expected = results[line["编号"]]
        assert line["得分"] == expected["score"]  # shown as the JSON writes it: 89.5, not 89.50000
        assert line["扣减目标分值"] == expected["deduction"]
        assert line["等次"] == expected["grade"]["label"]

    header, *rows = sheets["得分明细"]
    for row in rows:
        line = dict(zip(header, row, strict=True))
        indicators = {i["name"]: i["score"] for i in results[line["编号"]]["indicators"]}
        for name in header[3:7]:
            assert Decimal(line[name]) == Decimal(indicators[name]), (line["编号"], name)
        assert sum(Decimal(line[h]) for h in header[3:-1]) == Decimal(line["得分"]) == Decimal(results[line["编号"]]["score"])

    header, *rows = sheets["凭据"]
    assert rows[1][2] == json.loads(call("score", str(EXAMPLE), "--format", "json"))["spec"]["sha256"]


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, timeout=300, check=False)


@needs_chromium
def test_chromium_shows_the_report_not_blank_and_with_every_unit(tmp_path: Path) -> None:
    """A headless Chromium screenshot of the report has ink on it, and its DOM holds every unit."""
    from PIL import Image

    report = tmp_path / "考核结果.html"
    call("report", str(EXAMPLE), "-o", str(report))
    shot = tmp_path / "shot.png"
    proc = chromium("--window-size=1200,1600", f"--screenshot={shot}", report.as_uri(), profile=tmp_path / "p1")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    with Image.open(shot) as image:
        assert image.size == (1200, 1600)
        grey = image.convert("L")
        histogram = grey.histogram()
    darkest = next(v for v in range(256) if histogram[v])
    lightest = next(v for v in range(255, -1, -1) if histogram[v])
    assert darkest < 100 and lightest > 200  # dark text on a light page
    inked = sum(histogram[:200])
    assert inked > 0.01 * 1200 * 1600  # more than a speck: tables, text and the blue bars of the charts

    dom = chromium("--dump-dom", report.as_uri(), profile=tmp_path / "p2")
    assert dom.returncode == 0
    page = dom.stdout.decode("utf-8")
    results = json.loads(call("score", str(EXAMPLE), "--format", "json"))["results"]
    for result in results:
        unit = result["unit"]
        assert f'id="unit-{unit["id"]}"' in page
        assert unit["name"] in page
    assert page.count("<svg") == 6


@needs_chromium
def test_chromium_prints_the_report_on_a4(tmp_path: Path) -> None:
    """Printed to PDF, every page is A4 (595 × 842 pt), and the 16 accounts with their appendix fill more than 16
    pages (the accounts flow, two or so to a page; tests/test_printed_documents.py reads the pages)."""
    import re

    report = tmp_path / "考核结果.html"
    call("report", str(EXAMPLE), "-o", str(report))
    pdf = tmp_path / "考核结果.pdf"
    proc = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri(), profile=tmp_path / "p")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf.read_bytes())
    assert len(boxes) > 16
    assert all(abs(float(w) - 595.3) < 1.5 and abs(float(h) - 841.9) < 1.5 for w, h in boxes)

"""The command line writes the documents an office issues: ``score -o 公示.docx``, ``bulletin -o 通报.docx``,
``explain --all -o 扣分明细.docx`` and ``report -o 考核结果.docx|.pdf``, under ``--issuer``, ``--number``, ``--date``.

The layout of each format is tested with its writer (tests/test_word_documents.py, tests/test_printed_documents.py);
here: the right document for each command, the letterhead options, the order of units, and what happens
without the ``[pdf]`` extra.
"""

from __future__ import annotations

import builtins
import io
import re
from pathlib import Path
from typing import Any

import pytest

from assessrules.cli import run

docx = pytest.importorskip("docx", reason="python-docx is a dependency of assessrules; install the project")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def words(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    """The paragraphs' texts and every table's rows of cell texts of a .docx file."""
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def scores() -> dict[str, tuple[str, str]]:
    """Each unit's name → (score, grade), from the CSV output."""
    code, out, _ = call("score", str(EXAMPLE), "--format", "csv", "--ids")
    assert code == 0
    rows = [line.split(",") for line in out.splitlines()]
    head = rows[0]
    return {r[head.index("name")]: (r[head.index("score")], r[head.index("grade")]) for r in rows[1:]}


GRADES = {"excellent": "优秀", "good": "良好", "fair": "一般", "failing": "不合格"}


def test_score_o_docx_is_the_publicity_of_every_unit_with_its_score_and_grade(tmp_path: Path) -> None:
    target = tmp_path / "公示.docx"
    code, _, err = call("score", str(EXAMPLE), "-o", str(target), "--number", "镇考办发〔2022〕3号")
    assert code == 0, err
    paragraphs, tables = words(target)
    assert any("考核结果公示" in p for p in paragraphs)
    assert "镇考办发〔2022〕3号" in paragraphs
    assert "镇坪县考核委员会办公室" in paragraphs  # the spec's issuer, by default
    rows = [row for table in tables for row in table]
    for name, (score, grade) in scores().items():
        row = next(r for r in rows if name in r)
        assert score in row and GRADES[grade] in row, (name, row)


def test_the_letterhead_options_name_the_office_and_the_date(tmp_path: Path) -> None:
    target = tmp_path / "公示.docx"
    code, _, err = call("score", str(EXAMPLE), "-o", str(target), "--issuer", "镇坪县政务公开办公室",
                        "--date", "2022年1月20日")
    assert code == 0, err
    paragraphs, _ = words(target)
    assert "镇坪县政务公开办公室" in paragraphs
    assert "2022年1月20日" in paragraphs
    assert "〔　　〕　　号" in paragraphs  # no --number: a blank to fill in


def test_a_bad_date_is_a_usage_error_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "公示.docx"
    code, _, err = call("score", str(EXAMPLE), "-o", str(target), "--date", "明天")
    assert code == 2
    assert "--date" in err
    assert not target.exists()


def test_bulletin_o_docx_is_the_quarters_notice_with_its_opening_tables_and_missed_items(tmp_path: Path) -> None:
    target = tmp_path / "通报.docx"
    code, _, err = call("bulletin", str(EXAMPLE), "--quarter", "2021Q3", "-o", str(target))
    assert code == 0, err
    paragraphs, tables = words(target)
    body = "\n".join(paragraphs)
    assert "第三季度考核情况的通报" in body
    assert re.search(r"本季度共考核16个单位", body)
    assert "未完成事项" in body
    header = tables[0][0]
    assert header[:2] == ["名次", "单位"] and "7月" in header and "累计得分" in header


def test_explain_all_o_docx_is_the_deductions_in_the_documents_words(tmp_path: Path) -> None:
    target = tmp_path / "扣分明细.docx"
    code, _, err = call("explain", str(EXAMPLE), "--all", "-o", str(target))
    assert code == 0, err
    paragraphs, tables = words(target)
    header = tables[0][0]
    assert header == ["一级指标", "二级指标", "分值", "得分", "扣分事由", "依据"]
    cells = "\n".join(c for t in tables for row in t for c in row)
    assert "未按时限公开政府信息：8 次 × 1 分，扣8分" in cells
    body = "\n".join(paragraphs)
    assert "计算依据" in body  # the appendix: fact ids and formulas for auditors
    assert "late_disclosures" in body
    assert "late_disclosures" not in cells  # never in the tables themselves


def test_units_come_by_type_then_rank_never_by_id(tmp_path: Path) -> None:
    target = tmp_path / "扣分明细.docx"
    assert call("explain", str(EXAMPLE), "--all", "-o", str(target))[0] == 0
    paragraphs, _ = words(target)
    order = [p for p in paragraphs if p in scores()]
    assert order[:2] == ["城关镇", "曾家镇"]  # the first type, ranked: 100, then 90
    _code, out, _ = call("explain", str(EXAMPLE), "--all")
    names = set(scores())
    heads = [line.split("（")[0] for line in out.splitlines() if line.split("（")[0] in names]
    assert heads[:2] == ["城关镇", "曾家镇"]


def test_report_o_docx_holds_everything(tmp_path: Path) -> None:
    target = tmp_path / "考核结果.docx"
    code, _, err = call("report", str(EXAMPLE), "-o", str(target))
    assert code == 0, err
    paragraphs, _tables = words(target)
    body = "\n".join(paragraphs)
    for words_ in ("考核结果排名", "季度通报", "各单位扣分明细", "计算依据"):
        assert words_ in body


def test_without_the_pdf_extra_o_pdf_says_how_to_get_it_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: None)
    target = tmp_path / "公示.pdf"
    code, _, err = call("score", str(EXAMPLE), "-o", str(target))
    assert code == 2
    assert 'assessrules[pdf]' in err and ".docx" in err
    assert not target.exists()


def test_o_pdf_writes_a_pdf_when_the_extra_is_installed(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="the [pdf] extra (WeasyPrint) is not installed here")
    target = tmp_path / "通报.pdf"
    code, _, err = call("bulletin", str(EXAMPLE), "--quarter", "2021Q3", "-o", str(target))
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("argv", [
    ("bulletin", str(EXAMPLE), "--quarter", "2021Q3"),
    ("explain", str(EXAMPLE), "--unit", "城关镇"),
])
def test_docx_is_refused_where_there_is_no_such_document(tmp_path: Path, argv: tuple[str, ...]) -> None:
    """explain of one unit has no Word form; bulletin's table goes to .docx only as the 通报 (allowed)."""
    target = tmp_path / "x.docx"
    code, _, err = call(*argv, "-o", str(target))
    if argv[0] == "explain":
        assert code == 2 and not target.exists(), err
    else:
        assert code == 0, err


def test_the_same_facts_give_the_same_docx_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    assert call("score", str(EXAMPLE), "-o", str(first))[0] == 0
    assert call("score", str(EXAMPLE), "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()

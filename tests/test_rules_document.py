"""The rules as a document (考评细则): `assessrules rules SPEC`, :func:`rules_document` and the Markdown writer.

The 2021 spec's document holds every leaf indicator with its points (adding up to 100), every rule in words
(never an expression or a fact id), the grades with their thresholds, every reading marked; every trigger kind
says its standard in both languages; an extending spec compared with its base marks what differs; each output
format is written, and the .docx is read back by python-docx and laid out by real LibreOffice.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from assessrules import load_spec
from assessrules.catalogue import CATALOGUE
from assessrules.cli import run
from assessrules.engine.spec import Spec
from assessrules.outputs.documents.markdown import render_markdown
from assessrules.outputs.documents.model import MERGED, Document, Heading, Items, Paragraph, Table
from assessrules.rules.kinds import KINDS, Trigger
from tests.test_catalogue import english_words

ROOT = Path(__file__).resolve().parent.parent
SHAPES = [*sorted(p for p in (ROOT / "tests" / "specs" / "shapes").glob("*.yaml") if not p.name.endswith(".tests.yaml")),
          ROOT / "tests" / "specs" / "mixed.yaml"]
NEXT = ROOT / "tests" / "specs" / "2022-next.yaml"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def spec_2021() -> Spec:
    return load_spec("2021")


def document_2021(lang: str = "zh") -> Document:
    from assessrules.outputs.documents.rules import rules_document

    return rules_document(spec_2021(), lang=lang)


def tables(document: Document) -> list[Table]:
    return [b for b in document.blocks if isinstance(b, Table)]


def all_text(document: Document) -> str:
    parts = [document.title]
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            parts.append(block.text)
        elif isinstance(block, Items):
            parts.extend(block.items)
        elif isinstance(block, Table):
            parts.extend(block.header)
            parts.extend(c for row in block.rows for c in row if c != MERGED)
    return "\n".join(parts)


def every_trigger(spec: Spec) -> list[Trigger]:
    found = list(spec.triggers) + list(spec.direct_deductions) + list(spec.vetoes) + list(spec.consequences)
    found += list(spec.bonus.items) if spec.bonus else []
    found += [t for n in spec.nodes if n.bonus for t in n.bonus.items]
    return found


def test_the_2021_table_holds_every_leaf_indicator_with_its_points_adding_up_to_100() -> None:
    spec = spec_2021()
    document = document_2021()
    assert document.kind == "rules" and document.title == "镇坪县2021年政务公开工作考评细则"
    opening = document.blocks[0]
    assert isinstance(opening, Paragraph)
    assert "镇坪县2021年政务公开工作考核办法" in opening.text and "镇考办发〔2021〕10号" in opening.text
    table = tables(document)[0]
    assert table.header == ("一级指标", "二级指标", "分值", "考评标准", "依据")
    leaves = [n for n in spec.nodes if n.is_leaf]
    points = Decimal(0)
    for leaf in leaves:
        rows = [r for r in table.rows if leaf.name in (r[0], r[1])]
        assert len(rows) == 1, leaf.name
        assert Decimal(rows[0][2]) == leaf.points, leaf.name
        points += Decimal(rows[0][2])
    assert points == 100
    total = table.rows[-1]
    assert total[0] == "合计" and total[2] == "100"
    # the parent over its rows: written once, then merged
    organization = [r for r in table.rows if r[0] in ("组织协调和制度建设", MERGED)][:3]
    assert [r[0] for r in organization] == ["组织协调和制度建设", MERGED, MERGED]
    # the monthly rules on the whole total get a row of their own
    assert any(r[0] == "总分" and "月度考核" in r[3] and "每月出现扣0.5分" in r[3] for r in table.rows)


def test_every_rule_is_said_in_words_without_an_expression_or_a_fact_id() -> None:
    spec = spec_2021()
    words = all_text(document_2021())
    for trigger in every_trigger(spec):
        assert trigger.label in words, trigger.label
        assert trigger.standard("zh") in words, trigger.label
    table_words = "\n".join(c for t in tables(document_2021())[:1] for r in t.rows for c in r)
    for name in [*spec.facts, *spec.parameters, *(d.name for d in spec.derived)]:
        assert not re.search(rf"\b{re.escape(name)}\b", table_words), name
    for trigger in every_trigger(spec):
        for expression in trigger.expressions():
            if not re.fullmatch(r"not \w+|\w+", expression.text):  # a bare name is checked above
                assert expression.text not in words, expression.text
    assert "发现1次扣1分，扣完为止" in words and "未提供互动交流功能：扣5分" in words
    assert "符合条件得5分" in words and "本项不得分" in words


def test_the_grades_are_in_words_with_their_thresholds_and_consequences() -> None:
    document = document_2021()
    grades = tables(document)[1]
    assert grades.header[:3] == ("等次", "得分", "结果运用")
    rows = {r[0]: r for r in grades.rows}
    assert rows["优秀"][1] == "90分及以上" and "通报表扬" in rows["优秀"][2]
    assert rows["良好"][1] == "70分及以上，90分以下"
    assert rows["一般"][1] == "60分及以上，70分以下" and rows["一般"][2] == "扣除目标分值的40%"
    assert rows["不合格"][1] == "60分以下" and rows["不合格"][2] == "扣除目标分值的100%"
    words = all_text(document)
    assert "直接扣分项" in words and "国务院办公厅通报批评" in words


def test_every_assumption_appears_marked_with_its_id_and_clause() -> None:
    spec = spec_2021()
    document = document_2021()
    readings = tables(document)[-1]
    assert readings.header == ("序号", "编号", "原文位置", "解读")
    assert [r[1] for r in readings.rows] == list(spec.assumptions)
    for n, (row, assumption) in enumerate(zip(readings.rows, spec.assumptions.values(), strict=True), 1):
        assert row[0] == f"解读{n}" and row[2] == assumption.clause and assumption.text in row[3]
    table_words = "\n".join(c for r in tables(document)[0].rows for c in r)
    for n in (1, 2, 3, 4):  # the readings the rules' points rest on are marked where they are used
        assert f"【解读{n}】" in table_words


@pytest.mark.parametrize("path", SHAPES, ids=[p.stem for p in SHAPES])
def test_the_shapes_each_make_a_document_in_both_languages(path: Path) -> None:
    from assessrules.outputs.documents.rules import rules_document

    spec = load_spec(str(path))
    for lang in ("zh", "en"):
        document = rules_document(spec, lang=lang)
        markdown = render_markdown(document)
        assert "| " in markdown
        words = all_text(document)
        grades = {g.id: g.label for g in spec.grades}
        for trigger in every_trigger(spec):
            said = {trigger.standard(lang, floored=floored, grades=grades) for floored in (True, False)}
            assert trigger.label in words and any(s in words for s in said), (path.name, trigger.label)


def test_every_trigger_kind_gives_words_in_both_languages() -> None:
    seen: dict[str, tuple[Trigger, dict[str, str]]] = {}
    for path in SHAPES:
        spec = load_spec(str(path))
        for trigger in every_trigger(spec):
            seen.setdefault(trigger.kind, (trigger, {g.id: g.label for g in spec.grades}))
    assert {k.name for k in KINDS} <= set(seen), {k.name for k in KINDS} - set(seen)
    for kind, (trigger, grades) in seen.items():
        zh, en = trigger.standard("zh", grades=grades), trigger.standard("en", grades=grades)
        assert zh and en and zh != en, kind
        assert english_words(zh, template=False) == [], (kind, zh)
        assert re.search(r"[A-Za-z]", en), (kind, en)
        for name in trigger.reads():
            assert not re.search(rf"\b{re.escape(name)}\b", zh + en), (kind, name)
        for expression in trigger.expressions():
            assert expression.text not in zh + en, (kind, expression.text)
    assert all(code in CATALOGUE for code in ("out.rule_deduct_each", "out.rule_title", "out.rule_col_standard"))


def test_an_extending_spec_compared_with_its_base_marks_what_differs() -> None:
    code, out, err = call("rules", str(NEXT), "--changes")
    assert code == 0, err
    table = [line for line in out.splitlines() if line.startswith("| ")]
    header = table[0]
    assert header.endswith("| 变化 |")
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table[1:]}
    assert rows["公开内容时效性"].endswith("| 修改 |") and "| 35 |" in rows["公开内容时效性"]
    assert rows["年度重点工作任务"].endswith("| 新增 |")
    assert rows["基础信息公开"].endswith("|  |")
    assert rows["总分"].endswith("| 修改 |") and "每月出现扣0.25分" in rows["总分"]
    assert rows["一般"].endswith("| 修改 |") and rows["优秀"].endswith("|  |")
    assert rows["获省级以上政务公开表彰"].endswith("| 新增 |")
    assert "与《镇坪县2021年政务公开工作考核办法》相比" in out
    # the other way round, the new indicator and bonus item are listed as removed
    code, out, err = call("rules", "2021", "--changes", str(NEXT))
    assert code == 0, err
    assert "删除的内容" in out and "指标：年度重点工作任务（5分）" in out and "加分项：获省级以上政务公开表彰" in out
    # without --changes, the effective rules, unmarked
    code, out, err = call("rules", str(NEXT))
    assert code == 0 and "变化" not in out and "| 35 |" in out and "年度重点工作任务" in out


def test_changes_without_a_base_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = call("rules", "2021", "--changes")
    assert code == 2 and out == ""
    assert "`--changes` 无从比较" in err
    code, out, err = call("--lang", "en", "rules", "2021", "--changes")
    assert code == 2 and "extends no other spec" in err


@pytest.mark.parametrize("extension", ["md", "html", "docx", "pdf"])
def test_rules_o_writes_each_format(tmp_path: Path, extension: str) -> None:
    target = tmp_path / f"考评细则.{extension}"
    code, out, err = call("rules", "2021", "-o", str(target))
    assert (code, out, err) == (0, "", "")
    data = target.read_bytes()
    if extension == "md":
        words = data.decode("utf-8")
        assert words.startswith("# 镇坪县2021年政务公开工作考评细则\n")
        assert "| 一级指标 | 二级指标 | 分值 | 考评标准 | 依据 |" in words and "|---|---|---:|---|---|" in words
        assert "<br>" in words
    elif extension == "html":
        words = data.decode("utf-8")
        assert "<table" in words and "考评标准" in words and "发现1次扣1分，扣完为止" in words
    elif extension == "docx":
        word = docx.Document(io.BytesIO(data))
        cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
        assert "考评标准" in cells and "机构职责" in cells and "合计" in cells
    else:
        assert data.startswith(b"%PDF")
        if shutil.which("pdftotext"):
            words = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
            assert "考评细则" in words and "扣完为止" in words


def test_without_o_markdown_goes_to_stdout_in_the_language_asked() -> None:
    code, out, _ = call("rules", "2021")
    assert code == 0 and out.startswith("# 镇坪县2021年政务公开工作考评细则")
    code, out, _ = call("--lang", "en", "rules", "2021")
    assert code == 0 and "| Indicator | Sub-indicator | Points | Standard | Clause |" in out
    assert "1 off per occurrence, down to nothing" in out


def test_markdown_escapes_pipes_and_breaks_lines_in_cells() -> None:
    from assessrules.outputs.documents.model import Letterhead, Listing

    document = Document("rules", "标题", None, Letterhead(None, None, None),
                        (Heading("一、表", 1), Paragraph("# 不是标题"),
                         Table(("甲", "乙"), (("a|b", "第一行\n第二行"), (MERGED, "x"))), Items(("一", "二")),
                         Listing(("  ```", "b"))), official=False)
    markdown = render_markdown(document)
    assert "| a\\|b | 第一行<br>第二行 |" in markdown and "|  | x |" in markdown
    assert "## 一、表" in markdown and "\\# 不是标题" in markdown and "1. 一\n2. 二" in markdown
    assert "````text\n  ```\nb\n````" in markdown


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui)")
def test_libreoffice_converts_the_docx(tmp_path: Path) -> None:
    assert SOFFICE is not None
    target = tmp_path / "考评细则.docx"
    assert call("rules", "2021", "-o", str(target))[0] == 0
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(target)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "考评细则.pdf"
    assert pdf.is_file(), (proc.stdout, proc.stderr)
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "考评细则" in words and "机构职责" in words

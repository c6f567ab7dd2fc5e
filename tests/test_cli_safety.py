"""No command loses a person's data: never an output over an input, never over entered data without --force."""

from __future__ import annotations

import argparse
import gettext
import hashlib
import io
import os
import shlex
import shutil
from pathlib import Path

import pytest

from assessrules.cli import counterexample_reference, date_of, language_of, run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhenping-2021-units.yaml"
BROKEN = Path(__file__).parent / "broken_specs" / "monotonic_reward_for_violations.yaml"


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def no_language_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a clerk's Windows machine: no language chosen, so Chinese."""
    monkeypatch.delenv("ASSESSRULES_LANG", raising=False)
    monkeypatch.delenv("LANG", raising=False)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A filled data-entry workbook (the example's 16 units)."""
    target = tmp_path_factory.mktemp("filled") / "已填.xlsx"
    code, _, err = call("convert", str(EXAMPLE), "-o", str(target))
    assert code == 0, err
    return target


@pytest.fixture
def workbook(filled: Path, tmp_path: Path) -> Path:
    return Path(shutil.copyfile(filled, tmp_path / "已填.xlsx"))


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(EXAMPLE, tmp_path / "units.yaml"))


def test_score_never_writes_over_its_own_facts_file(facts: Path) -> None:
    """`score units.yaml -o units.yaml`: exit 2, the file's bytes unchanged, even with --force."""
    before = sha(facts)
    for force in ((), ("--force",)):
        code, _, err = call("score", str(facts), "-o", str(facts), *force)
        assert code == 2
        assert f"{facts}: 这正是本命令要读取的文件 {facts}，写在这里会毁掉其中的内容" in err
        assert "提示：请用 `-o` 写到另一个文件" in err
        assert sha(facts) == before


def test_score_never_writes_over_its_own_workbook(workbook: Path) -> None:
    """The issue's case: `score 已填.xlsx -o 已填.xlsx` exits 2 and the workbook still scores."""
    before = sha(workbook)
    code, _, err = call("score", str(workbook), "-o", str(workbook))
    assert code == 2, err
    assert "这正是本命令要读取的文件" in err
    assert sha(workbook) == before
    assert call("score", str(workbook))[0] == 0


@pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links here")
@pytest.mark.parametrize("how", ["hard link", "symlink"])
def test_a_link_to_the_input_is_the_input(facts: Path, how: str) -> None:
    """A hard link or a symlink to the facts file is the same file (os.path.samefile): refused, both unchanged."""
    link = facts.with_name("link.yaml")
    try:
        (os.link if how == "hard link" else os.symlink)(facts, link)
    except OSError as exc:  # pragma: no cover - e.g. symlinks on Windows without the right
        pytest.skip(str(exc))
    before = sha(facts)
    code, _, err = call("score", str(facts), "-o", str(link), "--force")
    assert code == 2
    assert f"{link}: 这正是本命令要读取的文件 {facts}" in err
    assert sha(facts) == sha(link) == before
    assert link.is_symlink() == (how == "symlink")


def test_template_never_replaces_a_filled_workbook_without_force(workbook: Path) -> None:
    """`template 2021 -o 已填.xlsx` is refused (exit 2), naming the file and both ways out; --force replaces it."""
    before = sha(workbook)
    code, out, err = call("template", "2021", "-o", str(workbook))
    assert code == 2
    assert f"{workbook}: 这个文件已填有考核数据（已填写单位），不会被覆盖" in err
    assert "请用 `-o` 写到另一个文件；确实要覆盖它，请加上 `--force`" in err
    assert sha(workbook) == before and out == ""
    code, _, err = call("--lang", "en", "template", "2021", "-o", str(workbook))
    assert "this file already holds entered data (units filled in); it is not replaced" in err
    assert "add --force to replace it" in err
    code, out, err = call("template", "2021", "-o", str(workbook), "--force")
    assert code == 0, err
    assert err == f"已覆盖 {workbook}\n"
    assert out.startswith(f"已写入 {workbook}：")
    assert sha(workbook) != before


def test_score_and_convert_never_replace_a_facts_file_or_workbook_with_data(facts: Path, workbook: Path,
                                                                             tmp_path: Path) -> None:
    """Scoring or converting one file onto another that holds units: exit 2, every file unchanged."""
    other = Path(shutil.copyfile(facts, tmp_path / "other.json"))
    other.write_text('{"units": [{"id": "a"}]}', encoding="utf-8")
    hashes = {p: sha(p) for p in (facts, workbook, other)}
    for argv in (("score", str(facts), "-o", str(workbook)),
                 ("score", str(facts), "--format", "json", "-o", str(other)),
                 ("convert", str(workbook), "-o", str(other)),
                 ("convert", str(other), "-o", str(facts)),
                 ("explain", str(facts), "--all", "-o", str(workbook))):
        code, _, err = call(*argv)
        assert code == 2, argv
        assert "已填有考核数据" in err, argv
    assert {p: sha(p) for p in hashes} == hashes


def test_a_facts_file_with_a_typo_is_still_data(tmp_path: Path) -> None:
    """A facts file that does not parse but names units is protected too."""
    broken = tmp_path / "units.yaml"
    broken.write_text("units:\n  - id: a\n   type: town\n", encoding="utf-8")
    before = sha(broken)
    assert call("show", "2021", "-o", str(broken))[0] == 2
    assert sha(broken) == before


def test_replacing_any_other_file_says_so_in_one_line(tmp_path: Path) -> None:
    """Results written twice: the second run says 已覆盖 (overwrote) with the file's name, nothing else on stderr."""
    target = tmp_path / "结果.xlsx"
    code, _, err = call("score", str(EXAMPLE), "-o", str(target))
    assert (code, err) == (0, "")
    code, _, err = call("score", str(EXAMPLE), "-o", str(target))
    assert (code, err) == (0, f"已覆盖 {target}\n")
    code, _, err = call("score", str(EXAMPLE), "-o", str(target), "--lang", "en")
    assert (code, err) == (0, f"overwrote {target}\n")
    blank = tmp_path / "blank.xlsx"
    assert call("template", "2021", "-o", str(blank))[0] == 0
    code, _, err = call("template", "2021", "-o", str(blank))  # a blank template holds no data
    assert (code, err) == (0, f"已覆盖 {blank}\n")


@pytest.mark.skipif(not os.path.exists(os.devnull) or os.name != "posix", reason="needs /dev/null")
def test_dev_null_takes_every_output() -> None:
    """`-o /dev/null` works for every format (people time runs with it), and the device is left as it is."""
    for argv in (("score", str(EXAMPLE)), ("score", str(EXAMPLE), "--format", "json"),
                 ("explain", str(EXAMPLE), "--all"), ("template", "2021"), ("show", "2021"),
                 ("convert", str(EXAMPLE)), ("bulletin", str(EXAMPLE), "--quarter", "2021Q3")):
        code, out, err = call(*argv, "-o", os.devnull)
        assert (code, err) == (0, ""), argv
        assert out == "" or out.startswith(f"已写入 {os.devnull}"), argv
    assert Path(os.devnull).is_char_device()


def test_dash_writes_text_to_stdout_and_refuses_a_workbook() -> None:
    """`-o -` is standard output for text formats; a workbook there is a clear usage error."""
    code, out, _ = call("score", str(EXAMPLE), "-o", "-")
    assert code == 0 and "共 16 个单位" in out
    code, out, _ = call("score", str(EXAMPLE), "--format", "csv", "-o", "-")
    assert code == 0 and not out.startswith("\ufeff") and len(out.splitlines()) > 16
    code, out, _ = call("convert", str(EXAMPLE), "-o", "-")
    assert code == 0
    assert "units:" in out.splitlines()
    assert not Path("-").exists()
    code, out, err = call("template", "2021", "-o", "-")
    assert code == 2 and out == ""
    assert ".xlsx 文件不能输出到屏幕" in err and "如 `-o 结果.xlsx`" in err


def test_scoring_a_blank_workbook_is_an_error_not_an_empty_result(tmp_path: Path) -> None:
    """A blank template scores nothing: exit 1, 没有填写任何单位 with a hint; no file is written."""
    blank = tmp_path / "考核数据.xlsx"
    assert call("template", "2021", "-o", str(blank))[0] == 0
    target = tmp_path / "结果.xlsx"
    for argv in (("score", str(blank), "-o", str(target)), ("report", str(blank)),
                 ("explain", str(blank), "--all"), ("bulletin", str(blank), "--quarter", "2021Q1")):
        code, out, err = call(*argv)
        assert code == 1, (argv, err)
        assert f"{blank}: 没有填写任何单位，无从计分" in err
        assert "提示：请至少填写一个单位" in err
        assert out == ""
    assert not target.exists()
    code, _, err = call("score", str(blank), "--errors", "json")
    assert code == 1 and '"code": "facts.no_units"' in err


def test_argparse_is_left_as_it_was() -> None:
    """The translation of argparse's own words lasts only as long as the run."""
    call("--help")
    call("score", "--jobs", "x", "x")
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]


def test_argparse_errors_are_in_chinese() -> None:
    """Missing, unknown and badly typed arguments: argparse's own lines in Chinese, exit 2."""
    cases = {("score",): "缺少必需的参数：FACTS",
             ("frobnicate",): "参数 COMMAND：'frobnicate' 不是可选的值（可选：'validate', 'score',",
             ("score", "x.yaml", "--spec"): "参数 --spec：此处需要一个值",
             ("score", "x.yaml", "y.yaml"): "无法识别的参数：y.yaml",
             ("score", "x.yaml", "--jobs", "x"): "参数 -j/--jobs：'x' 不是进程数",
             ("check", "2021", "--examples", "many"): "参数 --examples：'many' 不是整数",
             ("explain", "x.yaml"): "参数 --unit --all 必须给出其中一个",
             ("score", "x.yaml", "--as-of", "2021-13-01"): "参数 --as-of：'2021-13-01' 既不是日期"}
    for argv, expected in cases.items():
        code, _, err = call(*argv)
        assert code == 2, argv
        assert err.startswith("用法：assessrules"), argv
        assert "错误：" + expected in err, (argv, err)
    code, _, err = call("score", "--lang", "en")
    assert "error: the following arguments are required: FACTS" in err and err.startswith("usage: ")


@pytest.mark.parametrize(("written", "expected"), [
    ("2021-12-31", "2021-12-31"), ("2021/12/31", "2021-12-31"), ("2021年12月31日", "2021-12-31"),
    ("2022年1月5日", "2022-01-05"), ("2022.1.5", "2022-01-05"), ("20211231", "2021-12-31"),
    ("２０２１年１２月３１日", "2021-12-31"), ("2021Q2", "2021Q2"), ("2021-06", "2021-06"),
])
def test_as_of_takes_the_forms_a_cell_takes(written: str, expected: str) -> None:
    """--as-of 2021年12月31日 scores as --as-of 2021-12-31; a period stays a snapshot."""
    code, out, err = call("score", str(EXAMPLE), "--format", "json", "--as-of", written)
    assert code == 0, err
    as_of = {"2021Q2": "2021-06-30", "2021-06": "2021-06-30"}.get(expected, expected)
    assert f'"as_of":"{as_of}"' in out.replace(" ", "")


def test_date_of_refuses_what_is_no_date() -> None:
    """No such day, or no date at all: a ValueError."""
    for text in ("2021-13-01", "2021年2月30日", "next week", "2021", ""):
        with pytest.raises(ValueError):
            date_of(text)


def test_the_language_is_known_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """--lang (anywhere, either spelling) wins; else ASSESSRULES_LANG; else Chinese."""
    assert language_of(["score", "x", "--lang", "en"]) == "en"
    assert language_of(["--lang=en", "score"]) == "en"
    assert language_of(["score", "--", "--lang", "en"]) == "zh"
    monkeypatch.setenv("ASSESSRULES_LANG", "en")
    assert language_of(["score"]) == "en"
    assert language_of(["score", "--lang", "zh"]) == "zh"


def test_counterexample_files_score_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`check --counterexamples DIR`: `spec:` resolves from DIR, and the command in the file runs from anywhere."""
    folder = tmp_path / "cx" / "deeper"
    code, out, _ = call("check", str(BROKEN.relative_to(ROOT)) if Path.cwd() == ROOT else str(BROKEN),
                        "--seed", "1", "--examples", "20", "--counterexamples", str(folder))
    assert code == 1
    written = sorted(folder.glob("*.yaml"))
    assert written and f"已写出反例：{written[0]}" in out
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    for path in written:
        lines = path.read_text(encoding="utf-8").splitlines()
        spec_line = next(line for line in lines if line.startswith("spec: "))
        assert (path.parent / spec_line[6:]).resolve() == BROKEN.resolve()
        assert not Path(spec_line[6:]).is_absolute()
        command = lines[1].split("：", 1)[1]
        argv = shlex.split(command)
        assert argv[:2] == ["assessrules", "score"]
        code, out, err = call(*argv[1:])
        assert code == 0, err
        assert "共 " in out


def test_a_counterexample_of_a_bundled_spec_names_its_id(tmp_path: Path) -> None:
    """For a bundled spec, `spec:` is the id and the command needs no --allow-dir."""
    assert counterexample_reference(str(tmp_path), "2021") == ("2021", "assessrules score THIS_FILE")
    reference, command = counterexample_reference(str(tmp_path / "a b"), str(BROKEN))
    assert reference.startswith("../../") and reference.endswith("broken_specs/monotonic_reward_for_violations.yaml")
    assert command.endswith(str(BROKEN.parent)) or f'"{BROKEN.parent}"' in command


def test_counterexamples_are_not_written_over_entered_data(tmp_path: Path) -> None:
    """A file in DIR that holds units a person entered is kept unless --force."""
    folder = tmp_path / "cx"
    assert call("check", str(BROKEN), "--seed", "1", "--examples", "20", "--counterexamples", str(folder))[0] == 1
    first = sorted(folder.glob("*.yaml"))[0]
    before = sha(first)
    code, _, err = call("check", str(BROKEN), "--seed", "1", "--examples", "20", "--counterexamples", str(folder))
    assert code == 2 and "已填有考核数据" in err and sha(first) == before
    code, _, err = call("check", str(BROKEN), "--seed", "1", "--examples", "20", "--counterexamples", str(folder),
                        "--force")
    assert code == 1 and f"已覆盖 {first}" in err

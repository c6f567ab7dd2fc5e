"""Hostile input: every case of the corpus ends in its own clear message and exit code, never a crash.

The corpus (``tests/hostile_corpus.py``) builds each input in a temporary folder; here one
parametrised test runs them all, and a few tests look closer at what a table cannot say.
"""

from __future__ import annotations

import io
import os
import stat
from collections import Counter
from pathlib import Path

import pytest

import assessrules
from assessrules.cli import run
from assessrules.errors import SpecError
from assessrules.messages import problem_message
from assessrules.rules import document
from assessrules.rules.document import DocumentError, load_document

from .hostile_corpus import CANARY, CASES, SPEC_TEXT, Case, facts_json, play, write
from .hostile_workbooks import CONVERTED, WORKBOOK_CASES

EVERY_CASE = [*CASES, *WORKBOOK_CASES]


@pytest.mark.parametrize("case", EVERY_CASE, ids=[c.name for c in EVERY_CASE])
def test_hostile_input_gives_its_message_and_exit_code(case: Case, tmp_path: Path) -> None:
    """The input ends with the expected exit code and message; no traceback, no output, no foreign content."""
    code, text = play(case, tmp_path)
    assert (code, case.fragment in text) == (case.exit, True), text
    assert not list(tmp_path.rglob(CONVERTED)) + list(tmp_path.rglob("scores.json")) \
        + list(tmp_path.rglob("template.xlsx"))
    assert "Traceback" not in text
    assert "internal error" not in text
    assert CANARY not in text
    assert "[<class" not in text


def test_the_corpus_holds_300_inputs_across_specs_facts_cli_and_api() -> None:
    """At least 300 cases, with distinct names, from every family."""
    names = [c.name for c in CASES]
    assert len(names) >= 300
    assert len(set(names)) == len(names)
    families = Counter(name.split("_")[0] for name in names)
    assert {"spec", "facts", "unit", "extends", "cli", "api", "tiny"} <= set(families)


def test_the_corpus_holds_40_workbooks_with_distinct_names() -> None:
    """At least 40 hostile workbooks, named apart from each other and from the other cases."""
    names = [c.name for c in EVERY_CASE]
    assert len(WORKBOOK_CASES) >= 40
    assert len(set(names)) == len(names)


def test_the_node_limit_holds_while_composing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document with more nodes than the limit is refused while it is composed, at the node that broke it."""
    monkeypatch.setattr(document, "MAX_NODES", 100)
    with pytest.raises(DocumentError, match="more than 100 values") as caught:
        load_document("a: [" + "1, " * 200 + "1]\n", "many.yaml")
    assert caught.value.problems[0].line == 1


def test_an_alias_bomb_is_refused_before_it_is_expanded() -> None:
    """Nine levels of nine aliases (387 million values) are counted, not built: refused at once."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    with pytest.raises(DocumentError, match="expands to more than"):
        load_document("\n".join(lines) + "\n", "bomb.yaml")


def test_a_cycle_among_derived_values_is_named_with_its_chain(tmp_path: Path) -> None:
    """Two derived values that read each other are reported as a cycle, chain included, not as unknown names."""
    text = SPEC_TEXT.replace("derived:\n", "derived:\n  loop_a: {label: 甲, expr: loop_b + 1}\n"
                                          "  loop_b: {label: 乙, expr: loop_a + 1}\n", 1)
    with pytest.raises(SpecError) as caught:
        assessrules.spec_from_text(text, "cycle.yaml")
    messages = [p.message for p in caught.value.problems]
    assert messages == ["derived values refer to each other in a cycle: loop_a → loop_b → loop_a"]


def test_a_long_expression_is_quoted_only_in_part() -> None:
    """A 100 KB expression is refused with a message of bounded length."""
    text = SPEC_TEXT.replace("if: info_published < monthly_info_target",
                             "if: " + "info_published + " * 6000 + "1 < monthly_info_target", 1)
    with pytest.raises(SpecError) as caught:
        assessrules.spec_from_text(text, "long.yaml")
    assert all(len(str(p)) < 600 for p in caught.value.problems)


def test_extends_outside_the_folder_names_the_reference_but_never_the_content(tmp_path: Path) -> None:
    """The refusal quotes the user's `extends:` text and says why; the target is never opened."""
    secret = write(tmp_path, "outside/secret.yaml", f"token: {CANARY}\n")
    secret.chmod(0)  # were it opened, reading would fail differently
    spec = write(tmp_path, "inside/spec.yaml", "extends: ../outside/secret.yaml\n")
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(spec)
    (problem,) = caught.value.problems
    assert problem.message == ("`extends: ../outside/secret.yaml` points outside the folders this file may read; "
                               "nothing was read")
    assert problem_message(problem, "zh")[0] == ("`extends: ../outside/secret.yaml` 指向本文件可以读取的文件夹之外，"
                                                 "未读取任何内容")
    assert (problem.code, problem.file, problem.line, problem.column) == ("access.outside", str(spec), 1, 10)


def test_an_allowed_folder_lets_extends_read_from_it(tmp_path: Path) -> None:
    """`allow=` adds a folder: the same reference then loads."""
    write(tmp_path, "shared/base.yaml", SPEC_TEXT)
    spec = write(tmp_path, "inside/spec.yaml", "extends: ../shared/base.yaml\nmetadata: {id: allowed}\n")
    with pytest.raises(SpecError):
        assessrules.load_spec(spec)
    assert assessrules.load_spec(spec, allow=[tmp_path / "shared"]).metadata.id == "allowed"


def _call(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, err.getvalue() + out.getvalue()


def test_output_onto_a_fifo_leaves_it_a_fifo_and_no_temporary_file(tmp_path: Path) -> None:
    """`-o` onto a FIFO is refused, names the user's path, and leaves the folder as it was."""
    facts = write(tmp_path, "facts.json", facts_json())
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    code, text = _call("score", str(facts), "-o", str(fifo))
    assert code == 2
    assert f"{fifo}: 这不是普通文件" in text
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.json", "out"]


def test_output_errors_name_the_users_path_not_the_temporary_file(tmp_path: Path) -> None:
    """Writing into a missing folder fails with the path the user gave."""
    facts = write(tmp_path, "facts.json", facts_json())
    target = tmp_path / "missing" / "out.txt"
    code, text = _call("score", str(facts), "-o", str(target))
    assert code == 2
    assert f"{target}: 文件或文件夹不存在" in text
    assert ".assessrules-" not in text


def test_output_permissions_follow_the_umask(tmp_path: Path) -> None:
    """A file written with `-o` gets 0666 less the umask, as any other program's would."""
    facts = write(tmp_path, "facts.json", facts_json())
    old = os.umask(0o027)
    try:
        code, _ = _call("score", str(facts), "-o", str(tmp_path / "out.txt"))
    finally:
        os.umask(old)
    assert code == 0
    assert stat.S_IMODE(os.stat(tmp_path / "out.txt").st_mode) == 0o640


def test_a_users_own_specs_folder_is_not_taken_for_the_bundled_one(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`specs/2021.yaml` of the user's own project extends a file beside it, not beside the bundled spec."""
    write(tmp_path, "specs/base.yaml", SPEC_TEXT)
    write(tmp_path, "specs/2021.yaml", "extends: base.yaml\nmetadata: {id: own}\n")
    monkeypatch.chdir(tmp_path)
    assert assessrules.load_spec("specs/2021.yaml").metadata.id == "own"

"""Docs that cannot drift: every `console` block in README.md and docs/*.md runs, and prints what it shows.

A block's lines after ``$ `` are commands; the lines up to the next command are what it prints
(standard output and standard error together), where ``…`` stands for anything, a whole line of
``…`` for any number of lines. A YAML block right after ``<!-- file: PATH -->`` is written to PATH
before the commands run (in a scratch copy of the project's specs, examples and test specs), so the
examples the docs ask a reader to write are the ones that are checked. ``<!-- docs-test: slow -->``
before a block marks it slow. The Python blocks are doctested by pytest itself.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COPIED = ("specs", "examples", "schemas", "tests/bad_specs", "tests/broken_specs", "tests/specs")
_FENCE = re.compile(r"^```(\w*)\s*$")
_FILE = re.compile(r"^<!--\s*file:\s*(\S+)\s*-->\s*$")
_SLOW = re.compile(r"^<!--\s*docs-test:\s*slow\s*-->\s*$")


@attrs.frozen
class Command:
    """One ``$`` line of a console block and the output the docs show for it."""

    doc: str
    line: int
    argv: tuple[str, ...]
    expected: str
    slow: bool


@attrs.frozen
class Blocks:
    """What one document asks to run: its commands and the files its examples write."""

    commands: tuple[Command, ...]
    files: tuple[tuple[str, str], ...]


def read_blocks(path: Path) -> Blocks:
    """Collect the console commands and the named YAML files of one Markdown document."""
    lines = path.read_text(encoding="utf-8").splitlines()
    shown = str(path.relative_to(ROOT))
    commands: list[Command] = []
    files: list[tuple[str, str]] = []
    i = 0
    pending_file: str | None = None
    slow = False
    while i < len(lines):
        text = lines[i]
        if m := _FILE.match(text):
            pending_file = m[1]
        elif _SLOW.match(text):
            slow = True
        elif (fence := _FENCE.match(text)) and fence[1]:
            start = i
            i += 1
            body = []
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            if fence[1] == "console":
                commands.extend(_commands(shown, start + 2, body, slow))
            elif pending_file is not None:
                files.append((pending_file, "\n".join(body) + "\n"))
            pending_file, slow = None, False
        i += 1
    return Blocks(tuple(commands), tuple(files))


def _commands(doc: str, first_line: int, body: list[str], slow: bool) -> list[Command]:
    out: list[Command] = []
    for offset, text in enumerate(body):
        if text.startswith("$ "):
            out.append(Command(doc, first_line + offset, tuple(shlex.split(text[2:])), "", slow))
        elif out:
            last = out[-1]
            out[-1] = attrs.evolve(last, expected=last.expected + text + "\n")
    return out


def matches(expected: str, actual: str) -> bool:
    """True when ``actual`` is what ``expected`` shows, ``…`` standing for anything."""
    pattern = []
    for line in expected.rstrip("\n").split("\n"):
        if line.strip() == "…":
            pattern.append(r"(?:.*\n)*?")
            continue
        parts = [re.escape(part) for part in line.rstrip().split("…")]
        pattern.append("[^\n]*".join(parts) + r"[ \t]*\n")
    normalized = "\n".join(line.rstrip() for line in actual.rstrip("\n").split("\n")) + "\n"
    return re.fullmatch("".join(pattern), normalized) is not None


ALL = {doc: read_blocks(doc) for doc in DOCS}
CASES = [pytest.param(doc, c, id=f"{c.doc}:{c.line}", marks=[pytest.mark.slow] if c.slow else [])
         for doc, blocks in ALL.items() for c in blocks.commands]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the project's specs, examples and test specs, plus every file the docs write."""
    root = tmp_path_factory.mktemp("docs")
    for name in COPIED:
        shutil.copytree(ROOT / name, root / name)
    for blocks in ALL.values():
        for name, text in blocks.files:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(("doc", "command"), CASES)
def test_console_block_prints_what_the_docs_show(doc: Path, command: Command, scratch: Path) -> None:
    """The command runs as shown, and its output is the one in the docs."""
    assert command.argv[0] == "assessrules", f"{command.doc}:{command.line}: only assessrules commands are run"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"}
    proc = subprocess.run([sys.executable, "-m", "assessrules", *command.argv[1:]], cwd=scratch, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                          check=False, timeout=600)
    if not matches(command.expected, proc.stdout):
        pytest.fail(f"{command.doc}:{command.line}: `{' '.join(command.argv)}` printed\n{proc.stdout}\n"
                    f"but the docs show\n{command.expected}", pytrace=False)


def test_the_docs_have_console_blocks_to_check() -> None:
    """The collector finds the README's commands (so that an empty run cannot pass for a checked one)."""
    readme = ALL[ROOT / "README.md"].commands
    assert [c.argv[1] for c in readme][:2] == ["validate", "validate"]
    assert len(CASES) >= 10


@pytest.mark.parametrize(("expected", "actual", "ok"), [
    ("a\n…\nd\n", "a\nb\nc\nd\n", True),
    ("a … c\n", "a bbb c\n", True),
    ("a\nb\n", "a\nc\n", False),
    ("a\n", "a\nextra\n", False),
    ("…\nlast\n", "first\nlast\n", True),
])
def test_the_matcher_reads_the_ellipsis_as_anything(expected: str, actual: str, ok: bool) -> None:
    """``…`` matches anything within a line, and a line of ``…`` any number of lines."""
    assert matches(expected, actual) is ok

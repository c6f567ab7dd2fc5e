"""The corpus of bad specs: each file fails to load with its located message.

Each file in ``tests/bad_specs/`` begins with ``# expect: LINE:COL message``
(``*`` for any column); loading it must raise one SpecError that has a
problem at that line and column whose message contains the text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import assessrules
from assessrules.errors import SpecError

CORPUS = Path(__file__).parent / "bad_specs"
CASES = sorted(CORPUS.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+|\*) (.+)$")


def test_the_corpus_covers_the_failure_modes_named_in_the_issue() -> None:
    """Schema, duplicate key, unknown name, syntax, sums, grade gap/overlap, attribute, dunder, power."""
    names = {p.stem for p in CASES}
    assert {"schema_missing_key", "duplicate_key", "unknown_fact_in_expression", "expression_syntax_error",
            "children_do_not_add_up", "grade_gap", "grade_overlap", "attribute_access", "dunder_name",
            "huge_power"} <= names


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_spec_fails_with_its_located_message(path: Path) -> None:
    """The spec is rejected, and one problem sits at the expected line and column with the expected text."""
    match = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} lacks its '# expect:' header"
    line, column, message = int(match[1]), match[2], match[3]
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(path)
    problems = caught.value.problems
    found = [p for p in problems if message in p.message]
    assert found, "\n".join(str(p) for p in problems)
    assert any(p.line == line and (column == "*" or p.column == int(column)) for p in found), \
        "\n".join(str(p) for p in found)
    assert all(p.file == str(path) for p in problems)


def test_every_problem_in_a_spec_is_reported_at_once(tmp_path: Path) -> None:
    """Two independent mistakes give two located problems in one SpecError."""
    text = (CORPUS / "grade_gap.yaml").read_text(encoding="utf-8").replace("per: late", "per: lates")
    bad = tmp_path / "two.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        assessrules.load_spec(bad)
    messages = [p.message for p in caught.value.problems]
    assert any("unknown name `lates`" in m for m in messages)
    assert any("gap between grades" in m for m in messages)

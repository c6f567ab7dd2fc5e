"""Whether a file holds data a person entered, so that no command replaces it unasked.

A facts file (YAML or JSON) with at least one unit, a spec, or a data-entry workbook (the template's
sheets) with at least one unit row filled in: each is somebody's work. Results, reports and blank
templates are not: they are made again by running the command again. The test is cheap: a
workbook's units sheet is read up to its first filled row, nothing else.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from ._book import SUFFIXES, check_file
from ._layout import GUIDE, UNITS

_UNITS_LINE = re.compile(r"^\s*[\"']?(units|indicators)[\"']?\s*:", re.MULTILINE)


def holds_entered_data(path: str) -> bool:
    """Whether the regular file at ``path`` holds units (or a spec) that a person entered.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "a.yaml").write_text("units:\\n  - id: a\\n", encoding="utf-8") and None
    >>> (folder / "b.json").write_text('{"results": []}', encoding="utf-8") and None
    >>> holds_entered_data(str(folder / "a.yaml")), holds_entered_data(str(folder / "b.json"))
    (True, False)
    """
    if not os.path.isfile(path):
        return False
    extension = os.path.splitext(path)[1].lower()
    if extension in SUFFIXES:
        return _filled_workbook(path)
    if extension in (".yaml", ".yml", ".json"):
        return _facts_or_spec(path, extension)
    return False


def _filled_workbook(path: str) -> bool:
    """The template's sheets, and a unit's id or name in some row below the units sheet's header.

    Read as every workbook is read: its size and what it unpacks to checked first, then by calamine.
    """
    import python_calamine as calamine

    try:
        check_file(path)
        book = calamine.CalamineWorkbook.from_path(path)
        try:
            if GUIDE not in book.sheet_names or UNITS not in book.sheet_names:
                return False
            rows = book.get_sheet_by_name(UNITS).to_python(skip_empty_area=False)
        finally:
            book.close()
    except Exception:  # not a workbook we can read: not one we wrote, nor a template
        return False
    except BaseException as exc:  # a panic of the Rust reader comes as pyo3's PanicException
        if type(exc).__name__ != "PanicException":
            raise
        return False
    return any(cell is not None and str(cell).strip() for row in rows[1:] for cell in row[:2])


def _facts_or_spec(path: str, extension: str) -> bool:
    """A mapping with a non-empty ``units:`` list or with ``indicators:``; text that will not parse but names them."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError):
        return False
    try:
        data: Any
        if extension == ".json":
            data = json.loads(text)
        else:
            import yaml

            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            data = yaml.load(text, Loader=loader)
    except Exception:  # a facts file with a typo is still somebody's work
        return _UNITS_LINE.search(text) is not None
    if not isinstance(data, dict) or str(data.get("format", "")).startswith("assessrules."):
        return False  # not a mapping, or one of our results (a bulletin, a score): made again by running again
    units = data.get("units")
    return bool(units) if isinstance(units, list) else "indicators" in data


__all__ = ["holds_entered_data"]

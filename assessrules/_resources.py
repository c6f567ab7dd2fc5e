"""Find the bundled specs and schemas, in a wheel or in a checkout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder ``specs`` or ``schemas``: inside the installed package, else beside it."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from this installation")


def docs_dir() -> Path:
    """The documentation installed with the package (``docs/`` of the source), or where it would be."""
    for candidate in (_PACKAGE / "docs", _PACKAGE.parent / "docs"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE / "docs"


def bundled_specs() -> dict[str, Path]:
    """Map each bundled spec id (the file stem, e.g. ``2021``) to its path."""
    return {p.stem: p for p in sorted(data_dir("specs").glob("*.yaml")) if not p.stem.endswith(".tests")}


def spec_schema_path() -> Path:
    """The JSON Schema of a spec, format 1."""
    return data_dir("schemas") / "spec-1.schema.json"


def load_schema(name: str) -> dict[str, Any]:
    """A bundled JSON Schema by file name, e.g. ``result-1.schema.json``."""
    schema: dict[str, Any] = json.loads((data_dir("schemas") / name).read_text(encoding="utf-8"))
    return schema


def shown(path: Path) -> str | None:
    """How messages name a bundled spec (``specs/2021.yaml``); None for any other file."""
    return f"specs/{path.name}" if bundled_specs().get(path.stem) == path else None

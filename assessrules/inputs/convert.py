"""Write a facts document as YAML, JSON or a workbook, losing nothing (``assessrules convert``).

Numbers stay exact: Decimals are written as their own digits in YAML and JSON,
and as numbers (or, where a float cannot hold them, as text) in a workbook.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..rules.document import dump_yaml
from .template import write_workbook

if TYPE_CHECKING:
    from ..engine.spec import Spec

FORMATS = (".yaml", ".yml", ".json", ".xlsx")
_MARK = "\u0000decimal:"
_MARKED = re.compile(r'"\\u0000decimal:([-+0-9.Ee]+)"')


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{_MARK}{value}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def dump_json(data: Any) -> str:
    """JSON text for facts data, each Decimal written as its own digits (never through float)."""
    text = json.dumps(_plain(data), ensure_ascii=False, indent=2)
    return _MARKED.sub(lambda m: m[1], text) + "\n"


def _write_text(text: str, path: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".assessrules-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def dump_facts(spec: Spec, data: dict[str, Any], path: str | os.PathLike[str], spec_ref: str | None = None) -> None:
    """Write facts ``data`` (already checked against ``spec``) to ``path`` in the format its extension names."""
    target = os.fspath(path)
    suffix = os.path.splitext(target)[1].lower()
    if suffix in (".yaml", ".yml"):
        _write_text(dump_yaml(data), target)
    elif suffix == ".json":
        _write_text(dump_json(data), target)
    elif suffix == ".xlsx":
        as_of = data.get("as_of")
        if isinstance(as_of, str):
            as_of = dt.date.fromisoformat(as_of)
        ref = data.get("spec")
        write_workbook(spec, target, data["units"], filled=True, spec_ref=str(ref) if ref is not None else spec_ref,
                       as_of=as_of, description=data.get("description"))
    else:
        raise ValueError(f"unknown facts format {suffix!r}; one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "dump_facts", "dump_json"]

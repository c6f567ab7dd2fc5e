"""Write a facts document as YAML, JSON or a workbook, losing nothing (``assessrules convert``).

Numbers stay exact: Decimals are written as their own digits in YAML and JSON,
and as numbers (or, where a float cannot hold them, as text) in a workbook.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..files import write_whole
from ..messages import problem
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


def dump_facts(spec: Spec, data: dict[str, Any], path: str | os.PathLike[str], spec_ref: str | None = None) -> None:
    """Write facts ``data`` (already checked against ``spec``) to ``path`` in the format its extension names."""
    target = os.fspath(path)
    suffix = os.path.splitext(target)[1].lower()
    if suffix in (".yaml", ".yml"):
        write_whole(target, dump_yaml(data))
    elif suffix == ".json":
        write_whole(target, dump_json(data))
    elif suffix == ".xlsx":
        as_of = data.get("as_of")
        if isinstance(as_of, str):
            as_of = dt.date.fromisoformat(as_of)
        ref = data.get("spec")
        write_workbook(spec, target, data["units"], filled=True, spec_ref=str(ref) if ref is not None else spec_ref,
                       as_of=as_of, description=data.get("description"))
    else:
        raise UsageError([problem("usage.facts_format", file=target, suffix=repr(suffix), formats=list(FORMATS))])


__all__ = ["FORMATS", "dump_facts", "dump_json"]

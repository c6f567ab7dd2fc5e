"""Read YAML (and JSON) so that every value knows its line and column.

The node tree is composed once; :func:`load_document` walks it, builds
plain Python data (numbers with a fraction become :class:`~decimal.Decimal`
straight from their text, never through float), rejects duplicate keys and
records the position of every value under its path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path as FsPath
from typing import Any

import attrs
import yaml

from ..errors import Path, Problem

_DECIMAL_TAG = "tag:yaml.org,2002:float"
MAX_VALUES = 2_000_000
"""The most values one document may hold once its aliases are expanded."""
# YAML 1.1 wants a dot in a float; JSON does not (1e5). Take both.
_JSON_FLOAT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?[eE][-+]?[0-9]+$")


class _Loader(yaml.SafeLoader):
    """A safe loader that also reads JSON-style exponent numbers as floats."""


_Loader.add_implicit_resolver(_DECIMAL_TAG, _JSON_FLOAT, list("-+0123456789"))


@attrs.frozen
class Document:
    """Data read from one file, with the position of every value in it."""

    data: Any
    file: str
    positions: Mapping[Path, tuple[int, int]]
    text: str
    key_positions: Mapping[Path, tuple[int, int]] = attrs.field(factory=dict)
    files: Mapping[Path, str] = attrs.field(factory=dict)  # for a merged spec: the file each value came from
    sources: tuple[str, ...] = ()  # for a merged spec: every file, base first

    def file_of(self, path: Path) -> str:
        """The file the value at ``path`` (or its nearest located parent) came from."""
        path = tuple(path)
        while path:
            if path in self.files:
                return self.files[path]
            if path in self.positions:
                return self.file
            path = path[:-1]
        return self.file

    def locate(self, path: Path) -> tuple[int | None, int | None]:
        """Return (line, column) of the nearest value on ``path`` that has one."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (None, None))

    def problem(self, message: str, path: Path, hint: str | None = None, unit: str | None = None,
                at_key: bool = False) -> Problem:
        """Make a :class:`Problem` located at ``path`` (its value, or with ``at_key`` its key)."""
        key = self.key_positions.get(tuple(path)) if at_key else None
        line, column = key or self.locate(path)
        return Problem(message, tuple(path), self.file_of(path), line, column, hint, unit)


class DocumentError(Exception):
    """The text is not readable YAML/JSON; carries located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(loader: _Loader, node: yaml.ScalarNode) -> Any:
    if node.tag == _DECIMAL_TAG:
        text = node.value.replace("_", "").lower()
        special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
        try:
            return Decimal(special.get(text, text))
        except InvalidOperation:  # pragma: no cover - the resolver only lets numbers through
            return node.value
    return loader.construct_object(node, deep=True)


_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?[^\s:#'\"{\[][^:#]*?:\s+)(\S.*?)\s*$")


def _quoting_hint(text: str, line: int | None) -> str | None:
    """For a value that starts with a quote or holds ``: `` (common in Chinese text), the line quoted whole."""
    lines = text.splitlines()
    if line is None or not 0 < line <= len(lines):
        return None
    match = _KEY_VALUE.match(lines[line - 1])
    if match is None:
        return None
    prefix, value = match.groups()
    if "{" in prefix or "[" in prefix or value[0] in "{[" or not (value[0] in "\"'" or ": " in value):
        return None
    fixed = (prefix + "'" + value.replace("'", "''") + "'").strip()
    why = "starts with a quote" if value[0] in "\"'" else "holds `: `"
    return f"the value {why}, so YAML reads it as more than text: quote the whole value, e.g. line {line} as  {fixed}"


def load_document(text: str, file: str) -> Document:
    """Parse ``text``; raise :class:`DocumentError` with located problems if it is not valid."""
    positions: dict[Path, tuple[int, int]] = {}
    key_positions: dict[Path, tuple[int, int]] = {}
    problems: list[Problem] = []
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        what = exc.problem or str(exc)
        raise DocumentError(
            [Problem(f"this is not valid YAML: {what}", (), file, line, col,
                     _quoting_hint(text, line) or "check indentation, quotes and colons near this place")]
        ) from None
    except yaml.YAMLError as exc:
        raise DocumentError([Problem(f"this is not valid YAML: {exc}", (), file)]) from None
    finally:
        loader.dispose()

    budget = [MAX_VALUES]

    def build(node: yaml.Node, path: Path) -> Any:
        budget[0] -= 1
        if budget[0] < 0:  # aliases can make a small text expand without end ("billion laughs")
            line, col = _mark(node)
            raise DocumentError([Problem(f"the document expands to more than {MAX_VALUES:,} values", path, file,
                                         line, col, "check the YAML anchors (&) and aliases (*) near here")])
        positions[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = _scalar(loader, key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str | int) or isinstance(key, bool):
                    line, col = _mark(key_node)
                    problems.append(Problem("a key must be plain text", path, file, line, col,
                                            "write the key as a word, e.g. `name:`"))
                    continue
                if key in out:
                    line, col = _mark(key_node)
                    first = positions.get(path + (key,), (None, None))[0]
                    problems.append(Problem(
                        f"duplicate key `{key}` (first given on line {first})", path + (key,),
                        file, line, col, "keep one of the two; YAML would silently drop the first"))
                    continue
                key_positions[path + (key,)] = _mark(key_node)
                out[key] = build(value_node, path + (key,))
                positions[path + (key,)] = _mark(value_node)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(child, path + (i,)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return _scalar(loader, node)

    data = None if root is None else build(root, ())
    if problems:
        raise DocumentError(problems)
    return Document(data, file, positions, text, key_positions)


class _Dumper(yaml.SafeDumper):
    """Writes Decimals as the numbers they are, and keeps keys in their order."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def dump_yaml(data: Any) -> str:
    """YAML text for plain data (Decimals exact, Chinese as is, keys in order)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def read_document(path: str | os.PathLike[str], display: str | None = None) -> Document:
    """Read and parse a YAML or JSON file; ``display`` names it in messages (default: the path)."""
    p = FsPath(path)
    name = display or os.fspath(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DocumentError([Problem("no such file", (), name, hint="check the path")]) from None
    except IsADirectoryError:
        raise DocumentError([Problem("this is a folder, not a file", (), name)]) from None
    except UnicodeDecodeError as exc:
        raise DocumentError([Problem(f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})",
                                     (), name, hint="save it as UTF-8")]) from None
    except OSError as exc:
        raise DocumentError([Problem(f"cannot read the file: {exc.strerror}", (), name)]) from None
    return load_document(text, name)

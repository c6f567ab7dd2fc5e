"""Read YAML (and JSON) so that every value knows its line and column.

The node tree is composed once; :func:`load_document` walks it, builds
plain Python data (numbers with a fraction become :class:`~decimal.Decimal`
straight from their text, never through float), rejects duplicate keys and
records the position of every value under its path.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path as FsPath
from typing import Any

import attrs
import yaml

from ..errors import Path, Problem
from .limits import MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_NODES, MAX_VALUES, echo, value_problems

_DECIMAL_TAG = "tag:yaml.org,2002:float"
# YAML 1.1 wants a dot in a float; JSON does not (1e5). Take both.
_JSON_FLOAT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?[eE][-+]?[0-9]+$")


class _RefusedError(Exception):
    """A limit or a rule of the reader was broken at ``mark``."""

    def __init__(self, message: str, mark: Any, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.mark, self.hint = message, mark, hint


class _Loader(yaml.SafeLoader):
    """A safe loader that also reads JSON-style exponent numbers as floats, and keeps to the limits."""

    _depth = 0
    _nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        # What must be refused while composing: no tags, a bounded depth and node count.
        _composing(self, self.peek_event())  # type: ignore[no-untyped-call]
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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


def _composing(loader: _Loader, event: Any) -> None:
    """Refuse an explicit tag, a node too deep, or one node too many."""
    tag = getattr(event, "tag", None)
    if tag not in (None, "!"):
        raise _RefusedError(f"YAML tags such as `{echo(str(tag), 40)}` are not supported", event.start_mark,
                       "remove the tag: a spec or a facts file holds plain mappings, lists, text and numbers")
    loader._nodes += 1
    if loader._nodes > MAX_NODES:
        raise _RefusedError(f"the document has more than {MAX_NODES:,} values", event.start_mark, "split the file")
    if loader._depth >= MAX_DEPTH:
        raise _RefusedError(f"the document is nested more than {MAX_DEPTH} levels deep", event.start_mark,
                       "a spec or a facts file needs only a few levels")


def _expanded_size(root: yaml.Node) -> int:
    """How many values ``root`` holds once every alias is expanded (without expanding them)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is None:
            if isinstance(node, yaml.MappingNode):
                known = 1 + sum(size(k) + size(v) for k, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                known = 1 + sum(size(v) for v in node.value)
            else:
                known = 1
            sizes[id(node)] = known
        return known

    return size(root)


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
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        if node.tag == "tag:yaml.org,2002:timestamp":
            raise _RefusedError(f"`{echo(node.value, 40)}` is not a real date", node.start_mark,
                           "write a date that exists, e.g. 2021-02-28") from None
        if node.tag == "tag:yaml.org,2002:int":
            raise _RefusedError("this number is too large", node.start_mark) from None
        raise _RefusedError(f"`{echo(node.value, 40)}` cannot be read ({type(exc).__name__})", node.start_mark,
                       "quote it to make it text") from None


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def load_document(text: str, file: str) -> Document:
    """Parse ``text``; raise :class:`DocumentError` with located problems if it is not valid."""
    positions: dict[Path, tuple[int, int]] = {}
    key_positions: dict[Path, tuple[int, int]] = {}
    problems: list[Problem] = []
    if len(text) > MAX_DOCUMENT_BYTES:
        raise DocumentError([Problem(f"the document is larger than {MAX_DOCUMENT_BYTES:,} bytes", (), file,
                                     hint="split it into smaller files")])
    loader = None
    try:
        loader = _Loader(text)
        root = loader.get_single_node()
        if root is not None and _expanded_size(root) > MAX_VALUES:  # aliases ("billion laughs")
            raise _RefusedError(f"the document expands to more than {MAX_VALUES:,} values", root.start_mark,
                           "check the YAML anchors (&) and aliases (*)")
    except _RefusedError as exc:
        raise DocumentError([Problem(exc.message, (), file, exc.mark.line + 1, exc.mark.column + 1,
                                     exc.hint)]) from None
    except yaml.reader.ReaderError as exc:
        at_line, at_col = _position(text, exc.position)
        raise DocumentError([Problem(f"the control character U+{exc.character:04X} is not allowed"
                                     if isinstance(exc.character, int) else f"this is not valid text: {exc.reason}",
                                     (), file, at_line, at_col, "remove it")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        what = exc.problem or str(exc)
        raise DocumentError(
            [Problem(f"this is not valid YAML: {what}", (), file, line, col,
                     "check indentation, quotes and colons near this place")]
        ) from None
    except yaml.YAMLError as exc:
        raise DocumentError([Problem(f"this is not valid YAML: {exc}", (), file)]) from None
    finally:
        if loader is not None:
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
                if key_node.tag == "tag:yaml.org,2002:merge":
                    line, col = _mark(key_node)
                    problems.append(Problem("YAML merge keys (`<<:`) are not supported", path, file, line, col,
                                            "write the keys out in full"))
                    continue
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

    try:
        data = None if root is None else build(root, ())
    except _RefusedError as exc:
        problems.append(Problem(exc.message, (), file, exc.mark.line + 1, exc.mark.column + 1, exc.hint))
    if not problems:
        problems = value_problems(data, file, positions, key_positions)
    if problems:
        raise DocumentError(problems)
    return Document(data, file, positions, text, key_positions)


def _read_regular(path: FsPath, name: str) -> str:
    """The text of ``path`` if it is a regular file of reasonable size; never opens anything else."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError([Problem("this is not a regular file (a device, a pipe or a socket); nothing was read",
                                     (), name)])
    if info.st_size > MAX_DOCUMENT_BYTES:
        raise DocumentError([Problem(f"the file is larger than {MAX_DOCUMENT_BYTES:,} bytes; nothing was read",
                                     (), name, hint="split it into smaller files")])
    return path.read_text(encoding="utf-8")


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
    if not os.fspath(path):
        raise DocumentError([Problem("the file name is empty", (), "<input>", hint="give the path of a file")])
    try:
        text = _read_regular(p, name)
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

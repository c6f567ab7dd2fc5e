"""Read YAML (and JSON) so that every value knows its line and column.

:func:`load_document` builds plain Python data (numbers with a fraction
become :class:`~decimal.Decimal` straight from their text, never through
float) and rejects duplicate keys; the position of every value under its path
is found when first asked for (see :mod:`assessrules.reading`). Where that
fast way gives up, :func:`load_located` composes the node tree once, walks it
and records every position at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
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
from ..messages import problem as make_problem
from . import reading
from .limits import MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_NODES, MAX_VALUES, echo, number_problem, value_problems

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
_CLoader: type[Any] = _Loader
if yaml.__with_libyaml__:
    class _LibyamlLoader(yaml.CSafeLoader):
        """libyaml's parser and composer, with the resolvers of :class:`_Loader`."""

    _LibyamlLoader.add_implicit_resolver(_DECIMAL_TAG, _JSON_FLOAT, list("-+0123456789"))
    _CLoader = _LibyamlLoader
_NOT_READ = object()


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

    def say(self, code: str, path: Path, *, at_key: bool = False, **values: Any) -> Problem:
        """A problem of catalogue ``code`` located at ``path`` (its value, or with ``at_key`` its key).

        ``values`` fill the code's sentence in both languages (see :func:`assessrules.messages.problem`).
        """
        key = self.key_positions.get(tuple(path)) if at_key else None
        line, column = key or self.locate(path)
        return make_problem(code, tuple(path), file=self.file_of(path), line=line, column=column, **values)


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


def _check_tree(loader: Any, root: yaml.Node) -> None:
    """What libyaml's composer cannot refuse while composing, refused before anything is built: tags, depth, size."""
    default: dict[type[yaml.Node], str] = {yaml.MappingNode: "tag:yaml.org,2002:map",
                                           yaml.SequenceNode: "tag:yaml.org,2002:seq"}
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    visited: set[int] = set()  # an alias shares its node: each is checked once (the expansion is counted apart)
    seen = 0
    while stack:
        node, depth = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        seen += 1
        if seen > MAX_NODES:
            raise _RefusedError(f"the document has more than {MAX_NODES:,} values", node.start_mark, "split the file")
        if depth > MAX_DEPTH:
            raise _RefusedError(f"the document is nested more than {MAX_DEPTH} levels deep", node.start_mark,
                                "a spec or a facts file needs only a few levels")
        if isinstance(node, yaml.ScalarNode):
            implicit = "tag:yaml.org,2002:str" if node.style else loader.resolve(yaml.ScalarNode, node.value, (True, False))
            if node.tag not in (implicit, "tag:yaml.org,2002:str"):
                raise _RefusedError(f"YAML tags such as `{echo(str(node.tag), 40)}` are not supported", node.start_mark,
                                    "remove the tag: a spec or a facts file holds plain mappings, lists, text and numbers")
            continue
        if node.tag != default[type(node)]:
            raise _RefusedError(f"YAML tags such as `{echo(str(node.tag), 40)}` are not supported", node.start_mark,
                                "remove the tag: a spec or a facts file holds plain mappings, lists, text and numbers")
        children = [v for pair in node.value for v in pair] if isinstance(node, yaml.MappingNode) else node.value
        stack.extend((child, depth + 1) for child in children)


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


class _CheckedScalars:
    """Make scalars as :func:`_scalar` does, and note whether a number made breaks a limit.

    YAML writes numbers the text scan of :func:`value_problems` cannot see (``1_000_000``, ``1:30:00``);
    checking each number as it is made (a reader makes each distinct plain scalar once) lets the scan
    look for suspect text only.
    """

    __slots__ = ("failed",)

    def __init__(self) -> None:
        self.failed = False

    def __call__(self, loader: _Loader, node: yaml.ScalarNode) -> Any:
        value = _scalar(loader, node)
        if (type(value) is Decimal or type(value) is int) and number_problem(value) is not None:
            self.failed = True
        return value

    def value_problems(self, data: Any, file: str, positions: Mapping[Path, tuple[int, int]],
                       key_positions: Mapping[Path, tuple[int, int]], text: str) -> list[Problem]:
        """:func:`value_problems` of data made with these scalars: the scan only for text, or the walk."""
        return value_problems(data, file, positions, key_positions, None if self.failed else text, numbers_checked=True)


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


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
    """Parse ``text``; raise :class:`DocumentError` with located problems if it is not valid.

    JSON goes through :mod:`json` and YAML through libyaml's events, and positions are found when
    first asked for; anything unusual is read (and reported) by the located reader.
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        raise DocumentError([Problem(f"the document is larger than {MAX_DOCUMENT_BYTES:,} bytes", (), file,
                                     hint="split it into smaller files")])
    data: Any = _NOT_READ
    scalars: _CheckedScalars | None = None
    with reading.collector_held(promote=len(text) >= reading.PROMOTE_AT):
        if reading.looks_like_json(text, file):
            with contextlib.suppress(reading.GiveUpError):
                data = reading.json_data(text)
        if data is _NOT_READ and reading.LIBYAML:
            scalars = _CheckedScalars()
            with contextlib.suppress(reading.GiveUpError):
                data = reading.events_data(_CLoader(text), scalars, min(MAX_NODES, MAX_VALUES), MAX_DEPTH)
    if data is _NOT_READ:
        return load_located(text, file)
    located = reading.Once(lambda: _located_positions(text, file))
    document = Document(data, file, reading.LazyMapping(lambda: located()[0]), text,
                        reading.LazyMapping(lambda: located()[1]))
    if scalars is None:  # JSON: its numbers are only ever written in ways the scan sees
        problems = value_problems(data, file, document.positions, document.key_positions, text)
    else:
        problems = scalars.value_problems(data, file, document.positions, document.key_positions, text)
    if problems:
        raise DocumentError(problems)
    return document


_SURROGATE_ESCAPE = re.compile(r"\\(?:\\|u[dD][89a-fA-F][0-9a-fA-F]{2})")
"""A JSON escape of half a surrogate pair (``\\ud800``), or an escaped backslash (skipped over, so that
``\\\\ud800`` is not taken for one)."""


def _without_surrogate_escapes(text: str) -> str:
    """``text`` with every surrogate escape written as ``\\u0020``, which is as long: JSON pairs them, but
    YAML refuses them, and the positions are found by reading the text as YAML."""
    return _SURROGATE_ESCAPE.sub(lambda m: m[0] if m[0] == "\\\\" else "\\u0020", text)


def _located_positions(text: str, file: str) -> tuple[Mapping[Path, tuple[int, int]], Mapping[Path, tuple[int, int]]]:
    if "\\u" in text:
        text = _without_surrogate_escapes(text)
    with contextlib.suppress(reading.GiveUpError):
        return reading.events_positions((_CLoader if reading.LIBYAML else _Loader)(text), _scalar)
    try:
        document = load_located(text, file)
    except DocumentError:  # JSON that YAML cannot read (a key over 1,024 characters): its values stay unlocated
        return {}, {}
    return document.positions, document.key_positions


def _pure_wording(text: str, exc: yaml.MarkedYAMLError) -> yaml.MarkedYAMLError:
    """The pure-Python parser's words for libyaml's error, when it finds the same one at the same place."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return exc
    end = -1
    for _ in range(mark.line + 2):
        end = text.find("\n", end + 1)
        if end < 0:
            end = len(text)
            break
    if end > 256_000:  # the pure parser reads a few hundred KB/s: keep libyaml's words rather than wait
        return exc
    try:
        _Loader(text[:end]).get_single_node()
    except yaml.MarkedYAMLError as pure:
        again = pure.problem_mark or pure.context_mark
        if again is not None and (again.line, again.column) == (mark.line, mark.column):
            return pure
    except yaml.YAMLError:
        pass
    return exc


def load_located(text: str, file: str) -> Document:
    """Parse ``text`` through a node tree, finding every position at once (see :func:`load_document`)."""
    positions: dict[Path, tuple[int, int]] = {}
    key_positions: dict[Path, tuple[int, int]] = {}
    problems: list[Problem] = []
    if len(text) > MAX_DOCUMENT_BYTES:
        raise DocumentError([Problem(f"the document is larger than {MAX_DOCUMENT_BYTES:,} bytes", (), file,
                                     hint="split it into smaller files")])
    loader = (_CLoader if reading.LIBYAML else _Loader)(text)
    scalars = _CheckedScalars()
    try:
        root = loader.get_single_node()
        if root is not None and reading.LIBYAML:
            _check_tree(loader, root)  # the pure loader refuses the same while composing
    except _RefusedError as exc:
        raise DocumentError([Problem(exc.message, (), file, exc.mark.line + 1, exc.mark.column + 1,
                                     exc.hint)]) from None
    except yaml.reader.ReaderError as exc:
        at_line, at_col = _position(text, exc.position)
        raise DocumentError([Problem(f"the control character U+{exc.character:04X} is not allowed"
                                     if isinstance(exc.character, int) else f"this is not valid text: {exc.reason}",
                                     (), file, at_line, at_col, "remove it")]) from None
    except yaml.MarkedYAMLError as exc:
        if reading.LIBYAML:
            try:
                exc = _pure_wording(text, exc)
            except _RefusedError as refused:  # the pure parser met a limit before libyaml's error: say that
                raise DocumentError([Problem(refused.message, (), file, refused.mark.line + 1, refused.mark.column + 1,
                                             refused.hint)]) from None
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

    # aliases can make a small text expand without end ("billion laughs"): count before building
    overflow = None if root is None else reading.expansion_overflow(
        root, MAX_VALUES, lambda k: _scalar(loader, k) if isinstance(k, yaml.ScalarNode) else None)
    if overflow is not None:
        at, node, cyclic = overflow
        line, col = _mark(node)
        message = ("an alias (*) repeats the value it sits in" if cyclic
                   else f"the document expands to more than {MAX_VALUES:,} values")
        raise DocumentError([Problem(message, at, file, line, col, "check the YAML anchors (&) and aliases (*) near here")])

    def build(node: yaml.Node, path: Path) -> Any:
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
        return scalars(loader, node)

    try:
        data = None if root is None else build(root, ())
    except _RefusedError as exc:
        problems.append(Problem(exc.message, (), file, exc.mark.line + 1, exc.mark.column + 1, exc.hint))
    if not problems:
        problems = scalars.value_problems(data, file, positions, key_positions, text)
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
    text = path.read_bytes().decode("utf-8")  # a third of read_text's time, which translates line ends as it goes
    if "\r" in text:  # as read_text does: \r\n and a lone \r end a line as \n
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


class _Dumper(yaml.SafeDumper):
    """Writes Decimals as the numbers they are, and keeps keys in their order."""

    def ignore_aliases(self, data: Any) -> bool:
        # the reader shares one object for equal numbers and dates: write each where it stands, never as &id001
        return isinstance(data, Decimal | dt.date) or bool(super().ignore_aliases(data))


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

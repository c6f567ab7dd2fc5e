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
from .limits import MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_MAGNITUDE, MAX_NODES, MAX_VALUES, echo, number_trouble, value_problems

_DECIMAL_TAG = "tag:yaml.org,2002:float"
# YAML 1.1 wants a dot in a float; JSON does not (1e5). Take both.
_JSON_FLOAT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?[eE][-+]?[0-9]+$")


class _RefusedError(Exception):
    """A limit or a rule of the reader was broken at ``mark``: a catalogue ``code`` and the values it names."""

    def __init__(self, code: str, mark: Any, **values: Any) -> None:
        super().__init__(code)
        self.code, self.mark, self.values = code, mark, values

    def problem(self, file: str, path: Path = ()) -> Problem:
        """The refusal as a problem located at its mark in ``file``."""
        return make_problem(self.code, path, file=file, line=self.mark.line + 1, column=self.mark.column + 1,
                            **self.values)


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
    origins: Mapping[Path, Path] = attrs.field(factory=dict)  # for a merged spec: each value's path in its own file
    warnings: tuple[Problem, ...] = ()  # for a merged spec: what its changes left behind (an orphaned fact)

    def source_path(self, path: Path) -> Path:
        """The path of the value at ``path`` in the file it came from (:meth:`file_of`): for a merged spec, where
        the extending file wrote it (``$.indicators[0].points`` of the merged tree may be the extending file's
        ``$.indicators[2].points``); the path itself otherwise."""
        path = tuple(path)
        if not self.origins:
            return path
        at = path
        while at:
            if at in self.origins:
                return self.origins[at] + path[len(at):]
            if at in self.positions:
                return path
            at = at[:-1]
        return path

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

    def say(self, code: str, path: Path, *, at_key: bool = False, **values: Any) -> Problem:
        """A problem of catalogue ``code`` located at ``path`` (its value, or with ``at_key`` its key).

        ``values`` fill the code's sentence in both languages (see :func:`assessrules.messages.problem`).
        """
        key = self.key_positions.get(tuple(path)) if at_key else None
        line, column = key or self.locate(path)
        return make_problem(code, self.source_path(path), file=self.file_of(path), line=line, column=column, **values)


class DocumentError(Exception):
    """The text is not readable YAML/JSON; carries located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _composing(loader: _Loader, event: Any) -> None:
    """Refuse an explicit tag, a node too deep, or one node too many."""
    tag = getattr(event, "tag", None)
    if tag not in (None, "!"):
        raise _RefusedError("document.tag", event.start_mark, tag=echo(str(tag), 40))
    loader._nodes += 1
    if loader._nodes > MAX_NODES:
        raise _RefusedError("document.too_many_values", event.start_mark, limit=f"{MAX_NODES:,}")
    if loader._depth >= MAX_DEPTH:
        raise _RefusedError("document.too_deep", event.start_mark, limit=MAX_DEPTH)


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
            raise _RefusedError("document.too_many_values", node.start_mark, limit=f"{MAX_NODES:,}")
        if depth > MAX_DEPTH:
            raise _RefusedError("document.too_deep", node.start_mark, limit=MAX_DEPTH)
        if isinstance(node, yaml.ScalarNode):
            implicit = "tag:yaml.org,2002:str" if node.style else loader.resolve(yaml.ScalarNode, node.value, (True, False))
            if node.tag not in (implicit, "tag:yaml.org,2002:str"):
                raise _RefusedError("document.tag", node.start_mark, tag=echo(str(node.tag), 40))
            continue
        if node.tag != default[type(node)]:
            raise _RefusedError("document.tag", node.start_mark, tag=echo(str(node.tag), 40))
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
            raise _RefusedError("document.bad_date", node.start_mark, value=echo(node.value, 40)) from None
        if node.tag == "tag:yaml.org,2002:int":
            code, values = number_trouble(MAX_MAGNITUDE + 1) or ("document.number_too_large", {})
            raise _RefusedError(code, node.start_mark, **values) from None
        raise _RefusedError("document.unreadable_value", node.start_mark, value=echo(node.value, 40),
                            reason=type(exc).__name__) from None


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
        if (type(value) is Decimal or type(value) is int) and number_trouble(value) is not None:
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


def _quoting(text: str, line: int | None) -> tuple[str, dict[str, Any]] | None:
    """For a value that starts with a quote or holds ``: `` (common in Chinese text): the code whose hint gives
    the line quoted whole, and its values."""
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
    code = "document.syntax_quote" if value[0] in "\"'" else "document.syntax_colon"
    return code, {"at_line": line, "fixed": fixed}


_FULL_WIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s:：#'\"{\[][^:：#]*?)\s*：\s*(.*?)\s*$")


def _full_width_colon(text: str, line: int | None) -> tuple[int, int, str, str] | None:
    """A key written with a full-width colon (``name：机构职责``, as a Chinese keyboard types it) on the line of
    a syntax error or the one before: its line, column, key and the line as it should be."""
    if line is None:
        return None
    lines = text.splitlines()
    for at in (line - 1, line):
        if 0 < at <= len(lines) and (match := _FULL_WIDTH_KEY.match(lines[at - 1])) is not None:
            indent, key, value = match.groups()
            fixed = f"{indent}{key}: {value}".strip()
            return at, lines[at - 1].index("：") + 1, echo(key, 40), echo(fixed)
    return None


_SYNTAX_CODES = (
    ("found character '\\t'", "document.tab"),
    ("found unexpected end of stream", "document.unclosed"),
    ("<stream end>", "document.unclosed"),
    ("found another document", "document.two_documents"),
    ("found undefined alias", "document.unknown_alias"),
    ("expected <block end>", "document.indentation"),
    ("did not find expected key", "document.indentation"),
    ("could not find expected ':'", "document.no_colon"),
    ("did not find expected '-' indicator", "document.indentation"),
)
"""The YAML parser's words for the syntax errors people make most, and the code that says each in theirs."""


def _syntax_code(exc: yaml.MarkedYAMLError) -> str:
    """The catalogue code for a YAML syntax error: a common one named, any other ``document.syntax``."""
    words = f"{exc.problem or ''} {exc.context or ''}"
    return next((code for found, code in _SYNTAX_CODES if found in words), "document.syntax")


def load_document(text: str, file: str) -> Document:
    """Parse ``text``; raise :class:`DocumentError` with located problems if it is not valid.

    JSON goes through :mod:`json` and YAML through libyaml's events, and positions are found when
    first asked for; anything unusual is read (and reported) by the located reader.
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        raise DocumentError([make_problem("document.too_large", file=file, limit=f"{MAX_DOCUMENT_BYTES:,}")])
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
        raise DocumentError([make_problem("document.too_large", file=file, limit=f"{MAX_DOCUMENT_BYTES:,}")])
    loader = (_CLoader if reading.LIBYAML else _Loader)(text)
    scalars = _CheckedScalars()
    try:
        root = loader.get_single_node()
        if root is not None and reading.LIBYAML:
            _check_tree(loader, root)  # the pure loader refuses the same while composing
    except _RefusedError as exc:
        raise DocumentError([exc.problem(file)]) from None
    except yaml.reader.ReaderError as exc:
        at_line, at_col = _position(text, exc.position)
        raise DocumentError([make_problem("document.bad_character", file=file, line=at_line, column=at_col,
                                          character=f"U+{exc.character:04X}")
                             if isinstance(exc.character, int) else
                             make_problem("document.not_text", file=file, line=at_line, column=at_col,
                                          reason=str(exc.reason))]) from None
    except yaml.MarkedYAMLError as exc:
        if reading.LIBYAML:
            try:
                exc = _pure_wording(text, exc)
            except _RefusedError as refused:  # the pure parser met a limit before libyaml's error: say that
                raise DocumentError([refused.problem(file)]) from None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        colon = _full_width_colon(text, line)
        if colon is not None:
            at_line, at_col, key, fixed = colon
            raise DocumentError([make_problem("document.full_width_colon", file=file, line=at_line, column=at_col,
                                              key=key, fixed=fixed)]) from None
        code, values = _quoting(text, line) or (_syntax_code(exc), {})
        raise DocumentError([make_problem(code, file=file, line=line, column=col, detail=exc.problem or str(exc),
                                          **values)]) from None
    except yaml.YAMLError as exc:
        raise DocumentError([make_problem("document.syntax", file=file, detail=str(exc))]) from None
    finally:
        loader.dispose()

    # aliases can make a small text expand without end ("billion laughs"): count before building
    overflow = None if root is None else reading.expansion_overflow(
        root, MAX_VALUES, lambda k: _scalar(loader, k) if isinstance(k, yaml.ScalarNode) else None)
    if overflow is not None:
        at, node, cyclic = overflow
        line, col = _mark(node)
        raise DocumentError([make_problem("document.alias_cycle", at, file=file, line=line, column=col) if cyclic else
                             make_problem("document.expands", at, file=file, line=line, column=col,
                                          limit=f"{MAX_VALUES:,}")])

    def build(node: yaml.Node, path: Path) -> Any:
        positions[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    line, col = _mark(key_node)
                    problems.append(make_problem("document.merge_key", path, file=file, line=line, column=col))
                    continue
                key = _scalar(loader, key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str | int) or isinstance(key, bool):
                    line, col = _mark(key_node)
                    problems.append(make_problem("document.key_not_text", path, file=file, line=line, column=col))
                    continue
                if key in out:
                    line, col = _mark(key_node)
                    first = positions.get(path + (key,), (None, None))[0]
                    problems.append(make_problem("document.duplicate_key", path + (key,), file=file, line=line,
                                                 column=col, key=echo(str(key), 40), first_line=first))
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
        problems.append(exc.problem(file))
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
        raise DocumentError([make_problem("document.not_regular", file=name)])
    if info.st_size > MAX_DOCUMENT_BYTES:
        raise DocumentError([make_problem("document.too_large", file=name, limit=f"{MAX_DOCUMENT_BYTES:,}")])
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
        raise DocumentError([make_problem("document.no_name", file="<input>")])
    try:
        text = _read_regular(p, name)
    except FileNotFoundError:
        raise DocumentError([make_problem("document.not_found", file=name)]) from None
    except IsADirectoryError:
        raise DocumentError([make_problem("document.folder", file=name)]) from None
    except UnicodeDecodeError as exc:
        raise DocumentError([make_problem("document.encoding", file=name, reason=exc.reason, byte=exc.start)]) from None
    except OSError as exc:
        raise DocumentError([make_problem("document.unreadable", file=name, reason=str(exc.strerror))]) from None
    return load_document(text, name)

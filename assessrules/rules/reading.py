"""Fast reading of YAML and JSON text into plain data, with positions found only when asked.

:mod:`assessrules.yamlio` reads a file in two ways that give the same data:

- **fast**, for the common case: JSON through :func:`json.loads`, YAML by walking libyaml's events
  (``yaml.CSafeLoader``) once, with no node tree and no positions. It gives up on anything unusual
  (a duplicate key, a key that is not plain text, a syntax error, any alias) and lets the located
  reader say what is wrong;
- **located**: libyaml (or, where PyYAML was built without it, the pure-Python parser) composes the
  node tree, whose marks give every value its line and column.

The positions of a document read the fast way are a :class:`LazyMapping`, filled on first use
(typically when a problem has to be shown at its place) by :func:`events_positions`, a second pass
over the events.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import yaml
from yaml.events import (
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from ..errors import Path

LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))
"""Whether PyYAML has libyaml; tests set it to False to exercise the pure-Python fallback."""

K = TypeVar("K")
V = TypeVar("V")


class GiveUpError(Exception):
    """The fast reader met something only the located reader can explain."""


class LazyMapping(Mapping[K, V]):
    """A read-only mapping computed on first use; pickles (and compares) as the plain dict it holds."""

    __slots__ = ("_compute", "_data")

    def __init__(self, compute: Callable[[], Mapping[K, V]]) -> None:
        self._compute: Callable[[], Mapping[K, V]] | None = compute
        self._data: Mapping[K, V] | None = None

    def _get(self) -> Mapping[K, V]:
        if self._data is None:
            assert self._compute is not None
            self._data, self._compute = self._compute(), None
        return self._data

    def __getitem__(self, key: K) -> V:
        return self._get()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._get()

    def __iter__(self) -> Iterator[K]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return "LazyMapping(not yet computed)" if self._data is None else f"LazyMapping({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (dict(self._get()),)


class Once:
    """Compute a value the first time it is asked for, then keep it."""

    __slots__ = ("_compute", "_value")

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute: Callable[[], Any] | None = compute
        self._value: Any = None

    def __call__(self) -> Any:
        if self._compute is not None:
            self._value, self._compute = self._compute(), None
        return self._value


@contextlib.contextmanager
def collector_held(promote: bool = False) -> Iterator[None]:
    """Hold the cyclic garbage collector while a document is read.

    Reading allocates hundreds of thousands of event objects, dicts and lists, none of them in a
    cycle; the collector would otherwise walk the growing data again and again for nothing. With
    ``promote`` (for a large document), when the read ends normally every object alive is moved to
    the oldest generation without a scan (``gc.freeze()`` then ``gc.unfreeze()``, only when nothing
    is frozen already), as ``quiet_collector(promote=True)`` of :mod:`assessrules.engine.spec` does
    after a large batch: the first young collection after the read would otherwise walk all of it
    once more. The next full collection still scans them. The collector's settings are as they were
    after the block.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
        if promote and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
    finally:
        if collecting:
            gc.enable()


PROMOTE_AT = 1_000_000
"""From this many characters of text, what a read made is moved to the collector's oldest generation."""

_OPENS_LIKE_JSON = re.compile(r"\s*[{\[]")


def looks_like_json(text: str, file: str) -> bool:
    """Whether to try :func:`json.loads` first: a ``.json`` file, or text that opens with ``{`` or ``[``."""
    return file.lower().endswith(".json") or _OPENS_LIKE_JSON.match(text) is not None


def _no_constant(name: str) -> Any:
    raise GiveUpError(name)  # NaN and Infinity are not JSON; YAML reads them as text, so let it


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise GiveUpError("duplicate key")
    return out


def json_data(text: str) -> Any:
    """Data of JSON text, numbers with a fraction or exponent as Decimal from their text.

    Raise :class:`GiveUpError` if the text is not JSON or repeats a key in an object.

    >>> json_data('{"a": [0.1, 7, "x"]}')
    {'a': [Decimal('0.1'), 7, 'x']}
    """
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_pairs)
    except (ValueError, RecursionError) as exc:
        raise GiveUpError(str(exc)) from None


def events_data(loader: Any, scalar: Callable[[Any, yaml.ScalarNode], Any], limit: int, depth: int = 1_000) -> Any:
    """Build the data of the single document ``loader`` parses, from its events alone.

    ``scalar(loader, node)`` makes the value of a resolved scalar node. Raise :class:`GiveUpError` at
    anything unusual: more than one document, a duplicate or non-text key, a complex key, a repeated
    anchor, any alias, an explicit tag, nesting deeper than ``depth``, more than ``limit`` values.
    The located reader then reads the text again and reports the problem exactly as it would have
    without this one. Aliases go there because its node tree shares what they repeat, so it can
    count an expansion before building it.

    One turn of the loop reads a mapping's key and its value, or one item of a list: the usual
    scalar (plain, made once per distinct text; or quoted, text as it is) is handled in line.
    """
    get = loader.get_event
    resolve = loader.resolve
    scalar_node = yaml.ScalarNode
    scalar_event, mapping_start, sequence_start = ScalarEvent, MappingStartEvent, SequenceStartEvent
    mapping_end, sequence_end = MappingEndEvent, SequenceEndEvent
    plain: dict[str, Any] = {}  # equal plain scalars are equal values (numbers, dates, text are immutable)
    anchors: set[str] = set()

    def unusual(event: Any) -> Any:
        """The value of a scalar that is neither plain nor quoted without a tag, or give up."""
        if event.tag != "!":  # "!": a quoted scalar's non-specific tag, resolved as usual
            raise GiveUpError("tag")
        tag = resolve(scalar_node, event.value, event.implicit)
        return scalar(loader, scalar_node(tag, event.value, event.start_mark, event.end_mark, style=event.style))

    def made(event: Any) -> Any:
        """The value of a plain scalar not met before."""
        text = event.value
        tag = resolve(scalar_node, text, event.implicit)
        value = plain[text] = scalar(loader, scalar_node(tag, text, event.start_mark, event.end_mark, style=event.style))
        return value

    def anchored(anchor: str) -> None:
        if anchor in anchors:
            raise GiveUpError("duplicate anchor")
        anchors.add(anchor)

    stack: list[tuple[Any, bool]] = []
    container: Any = None
    key: Any = None
    in_map = False
    count = 0
    try:
        get()  # stream start
        if isinstance(get(), StreamEndEvent):
            return None
        event = get()
        kind: Any = type(event)
        if kind is scalar_event:  # the whole document is one scalar
            count = 1
            done = event.value if event.tag is None and not event.implicit[0] else \
                made(event) if event.tag is None else unusual(event)
            if event.anchor is not None:
                anchored(event.anchor)
        else:
            while True:
                if kind is mapping_start or kind is sequence_start:
                    if (event.tag is not None and not event.implicit) or len(stack) >= depth or count > limit:
                        raise GiveUpError("tag, depth or size")
                    new: Any = {} if kind is mapping_start else []
                    count += 1
                    if container is not None:
                        if in_map:
                            container[key] = new
                        else:
                            container.append(new)
                    stack.append((container, in_map))
                    if event.anchor is not None:
                        anchored(event.anchor)
                    container, in_map = new, kind is mapping_start
                elif kind is not None:  # None: back in a container after one inside it ended
                    raise GiveUpError(f"unexpected {kind.__name__}")
                while True:  # the keys and values, or the items, of ``container``
                    event = get()
                    kind = type(event)
                    if in_map:
                        if kind is not scalar_event:
                            if kind is mapping_end:
                                break
                            raise GiveUpError("complex key")
                        if event.tag is None:
                            if event.implicit[0]:
                                try:
                                    key = plain[event.value]
                                except KeyError:
                                    key = made(event)
                            else:
                                key = event.value
                        else:
                            key = unusual(event)
                        if event.anchor is not None:
                            anchored(event.anchor)
                        if (type(key) is not str and (type(key) is bool or not isinstance(key, int))) or key in container:
                            raise GiveUpError("key")
                        event = get()
                        kind = type(event)
                    elif kind is sequence_end:
                        break
                    if kind is not scalar_event:
                        break  # a mapping or a list starts (or something to give up at)
                    if event.tag is None:
                        if event.implicit[0]:
                            try:
                                value = plain[event.value]
                            except KeyError:
                                value = made(event)
                        else:
                            value = event.value
                    else:
                        value = unusual(event)
                    if event.anchor is not None:
                        anchored(event.anchor)
                    if in_map:
                        container[key] = value
                    else:
                        container.append(value)
                    count += 1
                if kind is mapping_end or kind is sequence_end:
                    done = container
                    container, in_map = stack.pop()
                    if container is None:
                        break
                    kind = None  # go on with the parent's next key or item
        if count > limit or not isinstance(get(), DocumentEndEvent) or not isinstance(get(), StreamEndEvent):
            raise GiveUpError("more than one document, or too many values")
    except GiveUpError:
        raise
    except Exception as exc:  # a syntax error, a scalar no constructor takes: the located reader words it
        raise GiveUpError(str(exc)) from None
    return done


def events_positions(loader: Any, scalar: Callable[[Any, yaml.ScalarNode], Any]) -> tuple[
        dict[Path, tuple[int, int]], dict[Path, tuple[int, int]]]:
    """The (line, column) of every value and of every key, from the events of a text :func:`events_data` read.

    Only keys are made into values (they name the paths). Raise :class:`GiveUpError` where the
    located reader's node tree is needed: an alias, a complex key, more than one document.
    """
    get = loader.get_event
    resolve = loader.resolve
    scalar_event, mapping_start, sequence_start = ScalarEvent, MappingStartEvent, SequenceStartEvent
    mapping_end, sequence_end = MappingEndEvent, SequenceEndEvent
    positions: dict[Path, tuple[int, int]] = {}
    key_positions: dict[Path, tuple[int, int]] = {}
    plain_keys: dict[str, Any] = {}
    stack: list[tuple[Path, bool, int, Any]] = []
    path: Path = ()
    in_map = False
    top = True
    index = 0
    key: Any = None
    have_key = False
    try:
        get()  # stream start
        if isinstance(get(), StreamEndEvent):
            return positions, key_positions
        while True:
            event = get()
            kind = type(event)
            if kind is mapping_end or kind is sequence_end:
                path, in_map, index, key = stack.pop()
                if not stack:
                    break
                continue
            if kind is not scalar_event and kind is not mapping_start and kind is not sequence_start:
                raise GiveUpError(f"unexpected {kind.__name__}")
            mark = event.start_mark
            if in_map and not have_key:
                if kind is not scalar_event:
                    raise GiveUpError("complex key")
                if event.tag is None and not event.implicit[0]:
                    key = event.value
                elif event.tag is None and event.value in plain_keys:
                    key = plain_keys[event.value]
                else:
                    tag = event.tag
                    if tag is None or tag == "!":
                        tag = resolve(yaml.ScalarNode, event.value, event.implicit)
                    key = scalar(loader, yaml.ScalarNode(tag, event.value, mark, event.end_mark, style=event.style))
                    if event.tag is None:
                        plain_keys[event.value] = key
                key_positions[path + (key,)] = (mark.line + 1, mark.column + 1)
                have_key = True
                continue
            if top:
                here: Path = ()
                top = False
            elif in_map:
                here = path + (key,)
                have_key = False
            else:
                here = path + (index,)
                index += 1
            positions[here] = (mark.line + 1, mark.column + 1)
            if kind is not scalar_event:
                stack.append((path, in_map, index, key))
                path, in_map, index, have_key = here, kind is mapping_start, 0, False
            elif not stack:  # the whole document is one scalar
                break
        if not isinstance(get(), DocumentEndEvent) or not isinstance(get(), StreamEndEvent):
            raise GiveUpError("more than one document")
    except GiveUpError:
        raise
    except Exception as exc:
        raise GiveUpError(str(exc)) from None
    return positions, key_positions


def expansion_overflow(root: yaml.Node, limit: int, key: Callable[[yaml.Node], Any]) -> tuple[Path, yaml.Node, bool] | None:
    """Find where a node tree with aliases expands past ``limit`` values, before building anything.

    Walk the tree in document order, counting each value once and each later use of a node (an
    alias) as everything it holds. Return the path and node where the count first passes ``limit``
    (with ``False``), or where a node holds itself (with ``True``); None if neither happens.
    ``key(node)`` names a mapping key in the path.
    """
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    count = 0
    path: list[Any] = []

    class _FoundError(Exception):
        def __init__(self, node: yaml.Node, cyclic: bool) -> None:
            self.node, self.cyclic = node, cyclic

    def walk(node: yaml.Node) -> int:
        nonlocal count
        ident = id(node)
        if ident in sizes:  # an alias: counts as all it holds
            count += sizes[ident]
            if count > limit:
                raise _FoundError(node, False)
            return sizes[ident]
        if ident in visiting:
            raise _FoundError(node, True)
        count += 1
        if count > limit:
            raise _FoundError(node, False)
        size = 1
        if isinstance(node, yaml.MappingNode):
            visiting.add(ident)
            for key_node, value_node in node.value:
                path.append(key_node)
                size += walk(value_node)
                path.pop()
            visiting.discard(ident)
        elif isinstance(node, yaml.SequenceNode):
            visiting.add(ident)
            for i, child in enumerate(node.value):
                path.append(i)
                size += walk(child)
                path.pop()
            visiting.discard(ident)
        if not isinstance(node, yaml.ScalarNode):
            sizes[ident] = size
        return size

    try:
        walk(root)
    except _FoundError as found:
        return tuple(key(k) if isinstance(k, yaml.Node) else k for k in path), found.node, found.cyclic
    return None


__all__ = ["LIBYAML", "PROMOTE_AT", "GiveUpError", "LazyMapping", "Once", "collector_held", "events_data", "events_positions",
           "expansion_overflow", "json_data", "looks_like_json"]

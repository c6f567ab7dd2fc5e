"""Next year's rules from last year's: a spec that ``extends:`` another states only what differs.

::

    spec_format: 1
    extends: "2021"                # a bundled id, or a path relative to this file
    metadata: {id: zhenping-2022, title: 镇坪县2022年政务公开工作考核办法, year: 2022}
    parameters:                    # by name: an entry replaces the base's; `null` removes it
      monthly_miss_points: {value: 1, label: 月度考核每项未完成扣分}
    indicators:                    # by id, anywhere in the tree
      - {id: timeliness, points: 35}          # the keys given replace the base's keys
      - {id: review, remove: true}             # removed, with its children
      - {id: key_tasks, parent: organization, after: staffing, name: 年度重点工作任务, points: 5}
    grades:                        # by id, like indicators (new ones go where `after:` says, else last)
      - {id: fair, deduct: 50%}

Mappings (``metadata``, ``total``, ``direct_deductions``) merge key by key; named
sections (``unit_types``, ``parameters``, ``facts``, ``derived``) merge by name;
lists of things with ids (``indicators``, ``grades``, ``assumptions``) merge by id.
A trigger list given on an indicator (``deduct:`` …) replaces the base's list.

The merged spec is then checked as a whole, and every value keeps the file,
line and column it came from, so each problem points into the file that caused it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path as FsPath
from typing import Any

from ..errors import Path, Problem, SpecError, with_code
from . import access
from .document import Document, DocumentError, read_document
from .limits import echo

NAMED_SECTIONS = ("unit_types", "parameters", "facts", "derived")
MERGED_MAPPINGS = ("metadata", "total", "direct_deductions")
ID_LISTS = ("grades", "assumptions")
EXTENSION_KEYS = ("remove", "parent", "after")


Origin = dict[tuple[int, Any], tuple[Document, Path]]
"""Where each value came from: (id of its container, key) → (document, path in it)."""


class _Merge:
    """Applies a child's changes to its base, remembering where every value came from."""

    def __init__(self, child: Document) -> None:
        self.child = child
        self.origin: Origin = {}
        self.problems: list[Problem] = []

    def index(self, doc: Document, value: Any, path: Path) -> None:
        """Remember that everything inside ``value`` comes from ``doc`` at ``path``."""
        if isinstance(value, dict | list):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for k, v in items:
                self.origin[(id(value), k)] = (doc, path + (k,))
                self.index(doc, v, path + (k,))

    def put(self, target: dict[str, Any], key: str, value: Any, src: Path) -> None:
        """Set ``target[key]`` to a value of the child's, found at ``src``."""
        target[key] = value
        self.origin[(id(target), key)] = (self.child, src)

    def fail(self, message: str, path: Path, hint: str | None = None, at_key: bool = False) -> None:
        self.problems += with_code([self.child.problem(message, path, hint, at_key=at_key)], "spec.extends")

    def located(self, merged: dict[str, Any]) -> tuple[dict[Path, tuple[int, int]], dict[Path, str]]:
        """Positions and files for every path of the merged data."""
        positions: dict[Path, tuple[int, int]] = {}
        files: dict[Path, str] = {}

        def visit(value: Any, path: Path) -> None:
            if not isinstance(value, dict | list):
                return
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for k, v in items:
                source = self.origin.get((id(value), k))
                if source is not None:
                    doc, src = source
                    where = doc.locate(src)
                    if where[0] is not None:
                        positions[path + (k,)] = where  # type: ignore[assignment]
                        files[path + (k,)] = doc.file_of(src)
                visit(v, path + (k,))

        visit(merged, ())
        return positions, files


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _walk_tree(nodes: list[Any]) -> dict[str, tuple[list[Any], int]]:
    """Every indicator by id: the list holding it and its index there."""
    out: dict[str, tuple[list[Any], int]] = {}
    for i, node in enumerate(nodes):
        if isinstance(node, dict) and "id" in node:
            out[str(node["id"])] = (nodes, i)
            if isinstance(node.get("children"), list):
                out.update(_walk_tree(node["children"]))
    return out


def merge(base: Document, child: Document) -> Document:
    """The child's changes applied to the base, as one document; raise SpecError for bad changes."""
    m = _Merge(child)
    merged = _copy(base.data)
    m.index(base, merged, ())
    changes = _copy(child.data)
    m.index(child, changes, ())
    for key, value in changes.items():
        path: Path = (key,)
        if key == "extends":
            continue
        if key in MERGED_MAPPINGS and isinstance(value, dict) and isinstance(merged.get(key), dict):
            for k, v in value.items():
                if v is None:
                    merged[key].pop(k, None)
                else:
                    m.put(merged[key], k, v, path + (k,))
        elif key in NAMED_SECTIONS and isinstance(value, dict) and isinstance(merged.setdefault(key, {}), dict):
            for name, entry in value.items():
                if entry is not None:
                    m.put(merged[key], name, entry, path + (name,))
                elif merged[key].pop(name, None) is None:
                    m.fail(f"`{name}` is not in the base spec's {key}, so it cannot be removed", path + (name,),
                           at_key=True)
        elif key == "indicators" and isinstance(value, list):
            _merge_indicators(m, merged.setdefault("indicators", []), value)
        elif key in ID_LISTS and isinstance(value, list):
            _merge_id_list(m, merged.setdefault(key, []), value, path)
        else:
            m.put(merged, key, value, path)
    if m.problems:
        raise SpecError(m.problems)
    positions, files = m.located(merged)
    sources = (*(base.sources or (base.file,)), child.file)
    return Document(merged, child.file, positions, base.text + "\n" + child.text, {}, files, sources)


def _update(m: _Merge, target: dict[str, Any], body: Mapping[str, Any], src: Path) -> None:
    for k, v in body.items():
        m.put(target, k, v, src + (k,))


def _merge_indicators(m: _Merge, tree: list[Any], changes: list[Any]) -> None:
    for i, change in enumerate(changes):
        path: Path = ("indicators", i)
        if not isinstance(change, dict) or "id" not in change:
            m.fail("each change to `indicators` is a mapping with the `id` of the indicator", path,
                   "e.g. {id: timeliness, points: 35}, {id: review, remove: true}, or a new indicator with `parent:`")
            continue
        known = _walk_tree(tree)
        node_id = str(change["id"])
        parent, after = change.get("parent"), change.get("after")
        body = {k: v for k, v in change.items() if k not in EXTENSION_KEYS}
        if node_id in known:
            holder, index = known[node_id]
            if change.get("remove"):
                del holder[index]
            elif parent is not None or after is not None:
                node = holder.pop(index)
                _update(m, node, body, path)
                _place(m, tree, node, parent if parent is not None else _parent_of(tree, holder), after, path=path)
            else:
                _update(m, holder[index], body, path)
        elif change.get("remove"):
            m.fail(f"no indicator `{node_id}` in the base spec to remove", path + ("id",), _suggest(node_id, known))
        elif "name" not in body or "points" not in body:
            m.fail(f"`{node_id}` is not an indicator of the base spec; a new indicator needs `name:` and `points:`",
                   path + ("id",), _suggest(node_id, known) or "to add one, give name, points and `parent:`")
        else:
            node = {}
            _update(m, node, body, path)
            _place(m, tree, node, parent, after, path=path)


def _parent_of(tree: list[Any], holder: list[Any]) -> str | None:
    for node_id, (siblings, index) in _walk_tree(tree).items():
        if siblings[index].get("children") is holder:
            return node_id
    return None


def _place(m: _Merge, tree: list[Any], node: dict[str, Any], parent: Any, after: Any, *, path: Path) -> None:
    known = _walk_tree(tree)
    if parent is None:
        siblings = tree
    elif str(parent) in known:
        holder, index = known[str(parent)]
        siblings = holder[index].setdefault("children", [])
    else:
        m.fail(f"no indicator `{parent}` to put `{node.get('id')}` under", path + ("parent",),
               _suggest(str(parent), known))
        return
    position = len(siblings)
    if after is not None:
        ids = [str(s.get("id")) for s in siblings]
        if str(after) not in ids:
            m.fail(f"`{after}` is not among the indicators there ({', '.join(ids)})", path + ("after",))
            return
        position = ids.index(str(after)) + 1
    siblings.insert(position, node)


def _merge_id_list(m: _Merge, target: list[Any], changes: list[Any], path: Path) -> None:
    for i, change in enumerate(changes):
        where = path + (i,)
        if not isinstance(change, dict) or "id" not in change:
            m.fail(f"each change to `{path[0]}` is a mapping with an `id`", where)
            continue
        ids = [str(t.get("id")) for t in target if isinstance(t, dict)]
        item_id = str(change["id"])
        body = {k: v for k, v in change.items() if k not in EXTENSION_KEYS}
        if item_id in ids:
            index = ids.index(item_id)
            if change.get("remove"):
                del target[index]
            else:
                _update(m, target[index], body, where)
        elif change.get("remove"):
            m.fail(f"no `{item_id}` in the base spec's {path[0]} to remove", where + ("id",))
        else:
            after = change.get("after")
            position = ids.index(str(after)) + 1 if after is not None and str(after) in ids else len(target)
            item: dict[str, Any] = {}
            _update(m, item, body, where)
            target.insert(position, item)


def _suggest(name: str, known: Mapping[str, Any]) -> str | None:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean `{close[0]}`?" if close else None


def resolve_base(child: Document, roots: Sequence[FsPath] = ()) -> tuple[Document, str]:
    """Read the base spec named by ``child``'s ``extends:`` and return it with its real path (or bundled id).

    ``extends:`` names a bundled id, or a file inside ``child``'s own folder tree or one of
    ``roots`` (see :mod:`.access`); anything else is refused without being read.
    """
    from .. import _resources

    name = child.data["extends"]
    if not isinstance(name, str | int) or isinstance(name, bool) or not str(name).strip():
        raise SpecError([child.problem("`extends:` names a spec: a bundled id such as \"2021\", or a path",
                                       ("extends",))])
    text = str(name)
    bundled = _resources.bundled_specs()
    home = access.home_of(child.file)
    allowed = (*((home,) if home else ()), *roots)
    try:
        real = access.resolve(text, home, allowed) if home is not None or os.path.isabs(text) else None
    except access.RefusedError as exc:
        raise SpecError([child.problem(f"`extends: {echo(text)}`: {exc.message}", ("extends",), exc.hint)]) from None
    if real is not None:
        path, display = real, os.path.normpath(str(FsPath(child.file).parent / text))
    elif text in bundled:
        path, display = bundled[text], _resources.shown(bundled[text]) or text
    else:
        raise SpecError([child.problem(f"`extends: {echo(text)}` is neither a file beside this spec nor a bundled spec",
                                       ("extends",), f"bundled: {', '.join(bundled)}")])
    try:
        return read_document(path, display), str(path)
    except DocumentError as exc:
        raise SpecError(exc.problems) from None


def expand(document: Document, seen: tuple[str, ...] = (), allow: Sequence[FsPath] = (),
           chain: tuple[str, ...] = ()) -> Document:
    """Follow ``extends:`` (recursively) and return the merged document; a plain spec comes back as it is.

    ``allow`` adds folders a base may come from, besides the folder tree of each spec
    that extends and of the first one.
    """
    data = document.data
    if not isinstance(data, dict) or "extends" not in data:
        return document
    home = access.home_of(document.file)
    if not seen:
        me = os.path.realpath(document.file) if home is not None else document.file
        seen, chain = (me,), (document.file,)
        allow = (*allow, *((home,) if home else ()))
    base, real = resolve_base(document, allow)
    if real in seen:
        circle = " → ".join((*chain, base.file))
        raise SpecError([document.problem(f"`extends:` goes round in a circle: {circle}", ("extends",))])
    return merge(expand(base, (*seen, real), allow, (*chain, base.file)), document)


__all__ = ["expand", "merge", "resolve_base"]

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
sections (``unit_types``, ``parameters``, ``facts``, ``derived``) merge by name (a
parameter or unit type given in part keeps the base's other keys: ``{value: 1}``);
lists of things with ids (``indicators``, ``grades``, ``assumptions``) merge by id.
A trigger list given on an indicator (``deduct:`` …) replaces the base's list; ``rules:``
changes or removes single rules of an indicator (or of ``total``, ``direct_deductions``) — its
vetoes, bonus items and multiplier included — each found by its ``id:`` or its ``label:``; a part's
``bonus:`` merges key by key, and ``bonus: null``, ``veto: null``, ``multiplier: null`` remove them::

    indicators:
      - id: new_media
        rules:
          - {label: 未提供互动交流功能, points: 3}
          - {label: 无"两微一端"不得分, remove: true}

What is easy to get wrong is caught here, in the extending file: a new parameter that no
rule uses (a misspelt name would leave the base value in force), a new grade or assumption
without its label (a misspelt id), and a fact, parameter or derived value removed while a
rule still uses it.

The merged spec is then checked as a whole, and every value keeps the file,
line and column it came from, so each problem points into the file that caused it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path as FsPath
from typing import Any

import attrs

from ..errors import Path, Problem, SpecError, json_path
from . import access
from .document import Document, DocumentError, read_document
from .limits import echo

NAMED_SECTIONS = ("unit_types", "parameters", "facts", "derived")
PARTIAL_SECTIONS = ("unit_types", "parameters")  # an entry given in part keeps the base's other keys
REQUIRED_NEW = {"grades": ("label",), "assumptions": ("clause", "text")}
TRIGGER_LISTS = ("deduct", "award", "zero", "score", "rating", "veto", "multiplier")
PART_SECTIONS = ("bonus", "veto", "multiplier")  # on an indicator, `null` removes them (a part's own rules)
_PROSE = frozenset({"label", "clause", "text", "description", "name", "title", "issuer", "document_number", "method",
                    "unit", "assumption", "id", "parent", "after"})
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

    def fail(self, code: str, path: Path, *, at_key: bool = False, **values: Any) -> None:
        """Record a problem of catalogue ``code`` in the extending file, at ``path``."""
        self.problems.append(self.child.say(code, path, at_key=at_key, **values))

    def near(self, code: str, path: Path, written: str, known: Iterable[str], **values: Any) -> None:
        """Record ``code``, or its did-you-mean variant when ``written`` is a near miss of one of ``known``."""
        suggestion = _suggest(written, known)
        if suggestion is None:
            self.fail(code, path, **values)
        else:
            self.fail(code + "_typo", path, suggestion=suggestion, **values)

    def located(self, merged: dict[str, Any]
                ) -> tuple[dict[Path, tuple[int, int]], dict[Path, str], dict[Path, Path]]:
        """Positions, files and the path in its own file for every path of the merged data."""
        positions: dict[Path, tuple[int, int]] = {}
        files: dict[Path, str] = {}
        origins: dict[Path, Path] = {}

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
                        origins[path + (k,)] = doc.source_path(src)
                visit(v, path + (k,))

        visit(merged, ())
        return positions, files, origins


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
    removed: list[tuple[str, str, Path]] = []
    added: list[tuple[str, Path, list[str]]] = []
    for key, value in changes.items():
        path: Path = (key,)
        if key == "extends":
            continue
        if key == "total" and isinstance(value, dict) and key not in merged:  # a base without `total:` has one still
            merged[key] = {}
        if key in MERGED_MAPPINGS and isinstance(value, dict) and isinstance(merged.get(key), dict):
            for k, v in value.items():
                if k == "rules" and isinstance(v, list):
                    unit = _unit_lists(merged) if key == "total" else ()
                    _change_rules(m, merged[key], v, path + (k,), f"`{key}`", unit=unit)
                elif v is None:
                    merged[key].pop(k, None)
                else:
                    m.put(merged[key], k, v, path + (k,))
        elif key in NAMED_SECTIONS and isinstance(value, dict) and isinstance(merged.setdefault(key, {}), dict):
            for name, entry in value.items():
                known = merged[key].get(name)
                if entry is None:
                    if merged[key].pop(name, None) is None:
                        m.fail("extends.cannot_remove", path + (name,), at_key=True, name=echo(str(name)), section=key)
                    else:
                        removed.append((key, str(name), path + (name,)))
                elif key in PARTIAL_SECTIONS and isinstance(entry, dict) and isinstance(known, dict):
                    _update(m, known, entry, path + (name,))
                else:
                    if known is None and key == "parameters":
                        added.append((str(name), path + (name,), sorted(str(n) for n in merged[key])))
                    m.put(merged[key], name, entry, path + (name,))
        elif key == "bonus" and isinstance(value, dict) and isinstance(merged.get(key), dict):
            _update_indicator(m, merged, {key: value}, ())  # the unit's bonus merges key by key, like a part's
        elif key == "indicators" and isinstance(value, list):
            _merge_indicators(m, merged.setdefault("indicators", []), value)
        elif key in ID_LISTS and isinstance(value, list):
            _merge_id_list(m, merged.setdefault(key, []), value, path)
        else:
            m.put(merged, key, value, path)
    if merged.get("total") == {} and "total" not in base.data:  # only its rules were written: nothing stays
        del merged["total"]
    _check_names(m, merged, removed, added)
    if m.problems:
        raise SpecError(m.problems)
    positions, files, origins = m.located(merged)
    sources = (*(base.sources or (base.file,)), child.file)
    document = Document(merged, child.file, positions, base.text + "\n" + child.text, {}, files, sources, origins)
    return attrs.evolve(document, warnings=_orphans(base, document))


def _update(m: _Merge, target: dict[str, Any], body: Mapping[str, Any], src: Path) -> None:
    for k, v in body.items():
        m.put(target, k, v, src + (k,))


def _update_indicator(m: _Merge, node: dict[str, Any], body: Mapping[str, Any], src: Path) -> None:
    """The keys given replace the node's; a part's ``bonus:`` merges key by key (``cap``, ``gate``, ``items``
    …, ``null`` removing one), and ``null`` removes the part's bonus, vetoes or multiplier."""
    for k, v in body.items():
        if k in PART_SECTIONS and v is None:
            node.pop(k, None)
        elif k == "bonus" and isinstance(v, dict) and isinstance(node.get(k), dict):
            bonus = node[k]
            for key, value in v.items():
                if value is None:
                    bonus.pop(key, None)
                else:
                    m.put(bonus, key, value, src + (k, key))
        else:
            m.put(node, k, v, src + (k,))


def _merge_indicators(m: _Merge, tree: list[Any], changes: list[Any]) -> None:
    for i, change in enumerate(changes):
        path: Path = ("indicators", i)
        if not isinstance(change, dict) or "id" not in change:
            m.fail("extends.indicator_change", path)
            continue
        known = _walk_tree(tree)
        node_id = str(change["id"])
        parent, after = change.get("parent"), change.get("after")
        body = {k: v for k, v in change.items() if k not in EXTENSION_KEYS and k != "rules"}
        if node_id in known and isinstance(change.get("rules"), list):
            holder, index = known[node_id]
            _change_rules(m, holder[index], change["rules"], path + ("rules",), f"`{node_id}`")
        if node_id in known:
            holder, index = known[node_id]
            if change.get("remove"):
                del holder[index]
                parent_id = _parent_of(tree, holder)
                if parent_id is not None:  # a sum the removal breaks is reported here, where it was made
                    owner, at = known[parent_id]
                    m.origin[(id(owner[at]), "children")] = (m.child, path + ("remove",))
            elif parent is not None or after is not None:
                node = holder.pop(index)
                _update_indicator(m, node, body, path)
                _place(m, tree, node, parent if parent is not None else _parent_of(tree, holder), after, path=path)
            else:
                _update_indicator(m, holder[index], body, path)
        elif change.get("remove"):
            m.near("extends.remove_unknown_indicator", path + ("id",), node_id, known, id=echo(node_id))
        elif "name" not in body or "points" not in body:
            m.near("extends.unknown_indicator", path + ("id",), node_id, known, id=echo(node_id))
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
        m.near("extends.unknown_parent", path + ("parent",), str(parent), known, parent=echo(str(parent)),
               id=echo(str(node.get("id"))))
        return
    position = len(siblings)
    if after is not None:
        ids = [str(s.get("id")) for s in siblings]
        if str(after) not in ids:
            m.fail("extends.unknown_after", path + ("after",), after=echo(str(after)), ids=ids)
            return
        position = ids.index(str(after)) + 1
    siblings.insert(position, node)


def _merge_id_list(m: _Merge, target: list[Any], changes: list[Any], path: Path) -> None:
    for i, change in enumerate(changes):
        where = path + (i,)
        if not isinstance(change, dict) or "id" not in change:
            m.fail("extends.item_change", where, section=path[0])
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
            m.near("extends.remove_unknown_item", where + ("id",), item_id, ids, id=echo(item_id), section=path[0])
        elif any(k not in body for k in REQUIRED_NEW.get(str(path[0]), ())):
            needs = [f"`{k}:`" for k in REQUIRED_NEW[str(path[0])]]
            m.near("extends.unknown_item", where + ("id",), item_id, ids, id=echo(item_id), section=path[0], ids=ids,
                   needs=needs)
        else:
            after = change.get("after")
            position = ids.index(str(after)) + 1 if after is not None and str(after) in ids else len(target)
            item: dict[str, Any] = {}
            _update(m, item, body, where)
            target.insert(position, item)


def _unit_lists(merged: dict[str, Any]) -> tuple[tuple[dict[str, Any], str, str], ...]:
    """The unit's vetoes and bonus items, which ``total``'s ``rules:`` reach too: (owner, key, what ``add:`` calls it)."""
    out: list[tuple[dict[str, Any], str, str]] = [(merged, "veto", "veto")]
    if isinstance(merged.get("bonus"), dict):
        out.append((merged["bonus"], "items", "bonus"))
    return tuple(out)


def _change_rules(m: _Merge, holder: dict[str, Any], changes: list[Any], path: Path, where: str, *,
                  unit: Sequence[tuple[dict[str, Any], str, str]] = ()) -> None:
    """Change, remove or add single rules of ``holder``'s trigger lists, each found by its ``id`` or its ``label``.

    ``unit`` gives the further lists these rules reach (for ``total``: the unit's vetoes and bonus items)."""
    bonus = holder.get("bonus")
    places = {key: (holder, key) for key in TRIGGER_LISTS}  # where `add:` puts a new rule, by the list's name
    if isinstance(bonus, dict) and isinstance(bonus.get("items"), list):  # a part's bonus items, one by one
        places["bonus"] = (bonus, "items")
    places.update({name: (owner, key) for owner, key, name in unit})
    lists = [(owner, key) for owner, key in places.values() if isinstance(owner.get(key), list)]
    rules = [(owner, key, entry) for owner, key in lists for entry in owner[key] if isinstance(entry, dict)]
    rules += [(holder, key, holder[key]) for key in TRIGGER_LISTS if isinstance(holder.get(key), dict)]  # one rule
    for i, change in enumerate(changes):
        at = path + (i,)
        if isinstance(change, dict) and "add" in change:
            if _add_rule(m, places, rules, change, at, where=where):
                rules = [(o, k, e) for o, k in places.values() if isinstance(o.get(k), list)
                         for e in o[k] if isinstance(e, dict)]
                rules += [(holder, key, holder[key]) for key in TRIGGER_LISTS if isinstance(holder.get(key), dict)]
            continue
        if not isinstance(change, dict) or not ("id" in change or "label" in change):
            m.fail("extends.rule_change", at)
            continue
        by = "id" if "id" in change else "label"
        wanted = str(change[by])
        found = [(owner, key, entry) for owner, key, entry in rules if str(entry.get(by)) == wanted]
        if found and len(found) != 1:
            m.fail("extends.many_rules", at + (by,), count=len(found), owner=where, by=by, wanted=echo(wanted))
            continue
        if not found:
            names = list(dict.fromkeys(str(e.get(by)) for _o, _k, e in rules if e.get(by) is not None))
            m.near("extends.no_rule", at + (by,), wanted, names, owner=where, by=by, wanted=echo(wanted), names=names)
            continue
        owner, key, entry = found[0]
        if change.get("remove") and owner is bonus and len(owner[key]) == 1:
            m.fail("extends.only_bonus_item", at + ("remove",), wanted=echo(wanted), owner=where)
        elif change.get("remove") and isinstance(owner[key], dict):  # a rule written alone (score:, multiplier:)
            del owner[key]
        elif change.get("remove"):
            owner[key] = [e for e in owner[key] if e is not entry]
        else:
            body = {k: v for k, v in change.items() if k not in ("remove", "id") or k == by == "id"}
            for k in [k for k, v in body.items() if v is None]:  # `clause: null` drops the rule's clause
                entry.pop(k, None)
            _update(m, entry, {k: v for k, v in body.items() if v is not None}, at)


ADDABLE = ("deduct", "award", "zero", "rating", "veto", "bonus")
"""The lists ``rules:`` can add a rule to (``add: deduct``): a part's, and under ``total`` the unit's vetoes and bonus."""


def _add_rule(m: _Merge, places: Mapping[str, tuple[dict[str, Any], str]], rules: Sequence[tuple[Any, str, Any]],
              change: Mapping[str, Any], at: Path, *, where: str) -> bool:
    """Add the rule ``change`` describes (``{add: deduct, label: …, …}``) to the list it names, last or ``after:``
    a rule of that list; True when it was added."""
    kind = str(change["add"])
    if kind not in ADDABLE or kind not in places:
        m.fail("extends.add_where", at + ("add",), kind=echo(kind), owner=where,
               kinds=[k for k in ADDABLE if k in places])
        return False
    owner, key = places[kind]
    body = {k: v for k, v in change.items() if k not in ("add", "after") and v is not None}
    label = body.get("label")
    if label is None:
        m.fail("extends.add_label", at, owner=where, kind=kind)
        return False
    if any(str(e.get("label")) == str(label) for _o, _k, e in rules):
        m.fail("extends.add_exists", at + ("label",), owner=where, wanted=echo(str(label)))
        return False
    target = owner.get(key)
    if isinstance(target, dict):  # one rule written alone: it becomes the first of a list
        target = [target]
    target = list(target) if isinstance(target, list) else []
    position = len(target)
    after = change.get("after")
    if after is not None:
        names = [str(e.get("id", e.get("label"))) for e in target if isinstance(e, dict)]
        hits = [j for j, e in enumerate(target) if isinstance(e, dict) and str(after) in (str(e.get("id")),
                                                                                            str(e.get("label")))]
        if not hits:
            m.near("extends.no_rule", at + ("after",), str(after), names, owner=where, by="after",
                   wanted=echo(str(after)), names=names)
            return False
        position = hits[0] + 1
    entry: dict[str, Any] = {}
    _update(m, entry, body, at)
    target.insert(position, entry)
    owner[key] = target
    return True


_WORD = r"(?<![A-Za-z0-9_]){}(?![A-Za-z0-9_])"


def _uses(merged: Any, name: str) -> list[tuple[Any, Any]]:
    """Every (container, key) of the merged data whose expression or points mention ``name``."""
    import re

    pattern = re.compile(_WORD.format(re.escape(name)))
    out: list[tuple[Any, Any]] = []

    def visit(value: Any) -> None:
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for k, v in items:
            if isinstance(v, str) and k not in _PROSE and pattern.search(v):
                out.append((value, k))
            else:
                visit(v)

    visit(merged)
    return out


def _check_names(m: _Merge, merged: dict[str, Any], removed: list[tuple[str, str, Path]],
                 added: list[tuple[str, Path, list[str]]]) -> None:
    """Removed names still used, and new parameters used by nothing: each a problem in the extending file."""
    for section, name, path in removed:
        uses = _uses(merged, name)
        if uses:
            container, key = uses[0]
            doc, src = m.origin.get((id(container), key), (m.child, ()))
            line, column = doc.locate(src)
            label = container.get("label") if isinstance(container, dict) else None
            rule = str(label) if label else json_path(src)
            m.fail("extends.removed_in_use", path, at_key=True, name=echo(name), section=section, rule=echo(rule),
                   place=f"{doc.file_of(src)}:{line}:{column}")
    for name, path, before in added:
        if not _uses(merged, name):
            suggestion = _suggest(name, before)
            if suggestion is None:
                m.fail("extends.unused_parameter", path, at_key=True, name=echo(name))
            else:
                m.fail("extends.unused_parameter_typo", path, at_key=True, name=echo(name), suggestion=suggestion)


def _read_facts(data: Mapping[str, Any]) -> Any:
    """What reads facts: everything but the declarations themselves."""
    return {k: v for k, v in data.items() if k not in ("facts", "assumptions")}


def _cited(value: Any, out: set[str]) -> set[str]:
    """The ids of the assumptions ``value`` cites (``assumption:`` anywhere in it)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for k, v in items:
        if k == "assumption" and isinstance(v, str):
            out.add(v)
        else:
            _cited(v, out)
    return out


def _orphans(base: Document, merged: Document) -> tuple[Problem, ...]:
    """What the extending spec's removals left behind, as warnings: a required fact that the base read and
    nothing reads now (every unit must still report it), an assumption the base cited and nothing cites now.
    A base's own warnings stay while what they name is still left behind."""
    data, old = merged.data, base.data
    facts = data.get("facts") if isinstance(data.get("facts"), dict) else {}
    reads, read_before = _read_facts(data), _read_facts(old)
    out: list[Problem] = []
    for name, fact in facts.items():
        if isinstance(fact, dict) and fact.get("required") and not _uses(reads, str(name)) \
                and (_uses(read_before, str(name)) or any(dict(p.args or ()).get("name") == name
                                                         for p in base.warnings)):
            out.append(merged.say("extends.orphan_fact", ("facts", name), at_key=True, name=echo(str(name)),
                                  label=echo(str(fact.get("label", name)))))
    cites, cited_before = _cited(data, set()), _cited(old, set())
    cited_before |= {str(dict(p.args or ()).get("id")) for p in base.warnings}
    for i, item in enumerate(data.get("assumptions") or ()):
        if isinstance(item, dict) and str(item.get("id")) in cited_before - cites:
            out.append(merged.say("extends.orphan_assumption", ("assumptions", i, "id"), id=echo(str(item["id"]))))
    return tuple(out)


def _suggest(name: str, known: Iterable[str]) -> str | None:
    """The one of ``known`` that ``name`` is a near miss of, if any."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return close[0] if close else None


def resolve_base(child: Document, roots: Sequence[FsPath] = ()) -> tuple[Document, str]:
    """Read the base spec named by ``child``'s ``extends:`` and return it with its real path (or bundled id).

    ``extends:`` names a bundled id, or a file inside ``child``'s own folder tree or one of
    ``roots`` (see :mod:`.access`); anything else is refused without being read.
    """
    from .. import _resources

    name = child.data["extends"]
    if not isinstance(name, str | int) or isinstance(name, bool) or not str(name).strip():
        raise SpecError([child.say("spec.extends", ("extends",))])
    text = str(name)
    bundled = _resources.bundled_specs()
    home = access.home_of(child.file)
    allowed = (*((home,) if home else ()), *roots)
    try:
        real = access.resolve(text, home, allowed) if home is not None or os.path.isabs(text) else None
    except access.RefusedError as exc:
        raise SpecError([exc.problem(child, "extends")]) from None
    if real is not None:
        path, display = real, os.path.normpath(str(FsPath(child.file).parent / text))
    elif text in bundled:
        path, display = bundled[text], _resources.shown(bundled[text]) or text
    else:
        raise SpecError([child.say("extends.not_found", ("extends",), name=echo(text), bundled=list(bundled))])
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
        raise SpecError([document.say("extends.circle", ("extends",), circle=circle)])
    return merge(expand(base, (*seen, real), allow, (*chain, base.file)), document)


__all__ = ["expand", "merge", "resolve_base"]

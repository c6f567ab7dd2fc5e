"""The canonical form of a unit that receipts hash, written by code generated once per spec.

A receipt's ``facts_sha256`` is the SHA-256 of ``canonical_json(unit.canonical())``: the unit's
id, name, type, target, facts, periods and assessment date as JSON with sorted keys, no spaces,
text as it is (``ensure_ascii=False``), Decimals as canonical point text (:func:`format_points`) and
dates in ISO form. Writing that through :class:`json.JSONEncoder` calls back into Python for every
Decimal and date, and sorts every mapping, unit after unit.

What does not change from unit to unit is known once per spec: the names of the unit's facts and of
each kind of period's facts, in sorted order, and each fact's type. :func:`writer_of` turns them
into one small Python function per spec (in the style of :mod:`assessrules.engine.compiler`: fixed
text from this module, names only inside string literals, no builtins but those bound) that writes
the same text with one ``%`` template per mapping. Each value is written by its declared type when
it has that type (``true``/``false``, ``int.__repr__``, point text in quotes, json's C
``encode_basestring``, ISO dates, ``null``); anything else, and any unit whose shape is not the
spec's, goes to the general encoder, so the text, and the digest, are the same as before for every
unit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import weakref
from collections.abc import Callable, Mapping
from decimal import Decimal
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from ..numbers import format_points

if TYPE_CHECKING:
    from ..rules.facts import Fact
    from ..rules.ruleset import Rules
    from .types import Record

POINT_TEXTS: dict[Decimal, str] = {}
"""The text of each number of points met so far (:func:`points_text` fills it; generated code reads it first)."""
_QUOTED: dict[Decimal, str] = {}
_SMALL = {i: str(i) for i in range(-64, 1024)}  # the JSON of small counts, written once


def points_text(value: Decimal) -> str:
    """``format_points(value)``, each value written once (the same few come back unit after unit)."""
    text = POINT_TEXTS.get(value)
    if text is None:
        if len(POINT_TEXTS) > 50_000:
            POINT_TEXTS.clear()
        text = POINT_TEXTS[value] = format_points(value)
    return text


def _quoted_points(value: Decimal) -> str:
    # the JSON of points_text(value): the writers look it up in _QUOTED first (format_points writes
    # only digits, a sign and a point, which JSON takes as they are)
    if len(_QUOTED) > 50_000:
        _QUOTED.clear()
    text = _QUOTED[value] = encode_basestring(points_text(value))
    return text


CANONICAL_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), check_circular=False)
"""The encoder of :func:`canonical_json` (plain data is a tree: no need to look for cycles)."""


def plain_default(value: Any) -> Any:
    """What ``plain()`` gives for the values the JSON encoder does not write itself."""
    if isinstance(value, Decimal):
        return points_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    raise TypeError(f"{type(value).__name__} is not JSON data")


RECEIPT_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), check_circular=False,
                                   default=plain_default)
"""The general encoder of the canonical form, taking facts as checked: ``RECEIPT_ENCODER.encode(x)`` is
``canonical_json(plain(x))`` for facts (Decimals, dates, mappings, lists, plain scalars)."""


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no spaces: the same data always gives the same text."""
    return CANONICAL_ENCODER.encode(data)


def general_form(record: Record, derived: tuple[str, ...] | frozenset[str]) -> str:
    """``canonical_json(Unit.from_record(record).canonical())``, by the general encoder: any unit."""
    ns = record[4]
    facts: dict[str, Any] = {}
    periods: dict[str, Any] = {}
    for k, v in ns.items():
        if k.startswith("@"):
            periods.update(v)
        elif k != "as_of" and k not in derived:
            facts[k] = v
    data: dict[str, Any] = {"id": record[0], "name": record[1], "type": record[2],
                            "target": format_points(record[3]), "facts": facts}
    if periods:
        data["periods"] = periods
    as_of = ns.get("as_of")
    if as_of is not None:
        data["as_of"] = as_of.isoformat()
    return RECEIPT_ENCODER.encode(data)


# How each fact type's value is written when it has the type checking gives it; ``E`` (the general
# encoder) writes anything else. ``{v}`` is the Python expression of the value.
_WRITE: dict[str, str] = {
    "bool": "('true' if {v} is True else 'false' if {v} is False else E({v}))",
    "count": "((N.get({v}) or str({v})) if type({v}) is int else 'null' if {v} is None else E({v}))",
    "number": "((Q.get({v}) or QP({v})) if type({v}) is Decimal else 'null' if {v} is None else E({v}))",
    "ratio": "((Q.get({v}) or QP({v})) if type({v}) is Decimal else 'null' if {v} is None else E({v}))",
    "enum": "(S({v}) if type({v}) is str else 'null' if {v} is None else E({v}))",
    "text": "(S({v}) if type({v}) is str else 'null' if {v} is None else E({v}))",
    "date": "('\"' + {v}.isoformat() + '\"' if type({v}) is date else 'null' if {v} is None else E({v}))",
}


class _Source:
    """The generated module: lines and the writer functions of mappings (facts, periods, records)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0

    def mapping(self, fields: Mapping[str, Fact], checked: bool = False) -> str:
        """Define a function writing a dict of exactly ``fields``; return its name.

        It returns None for a dict of other keys (the caller then writes it with the general encoder);
        with ``checked``, the caller has made sure the dict holds no other keys that are to be written.
        """
        self.count += 1
        name = f"mapping_{self.count}"
        keys = sorted(fields)
        slots = []
        template = []
        body: list[str] = []
        for i, key in enumerate(keys):
            fact = fields[key]
            var = f"v{i}"
            body.append(f"    {var} = m[{key!r}]")
            if fact.type == "records":
                inner = self.mapping(fact.fields or {})
                body.append(f"    {var} = records({var}, {inner}) if type({var}) is tuple else E({var})")
                slots.append(var)
            else:
                slots.append(_WRITE.get(fact.type, "E({v})").format(v=var))
            template.append(encode_basestring(key).replace("%", "%%") + ":%s")
        text = "{" + ",".join(template) + "}"
        self.lines.append(f"def {name}(m):")
        if not checked:
            self.lines.append(f"    if type(m) is not dict or len(m) != {len(keys)}:")
            self.lines.append("        return None")
        if body:
            self.lines.append("    try:")
            self.lines.extend("    " + line for line in body)
            self.lines.append("    except KeyError:")
            self.lines.append("        return None")
        if not keys:
            self.lines.append(f"    return {text!r}")
        else:
            self.lines.append(f"    return {text!r} % ({', '.join(slots)},)")
        self.lines.append("")
        return name


def _records(items: tuple[Any, ...], write: Callable[[Any], str | None]) -> str:
    """A list of records: each by ``write``, or by the general encoder when it is not of the spec's shape."""
    return "[" + ",".join([write(r) or RECEIPT_ENCODER.encode(r) for r in items]) + "]"


def _general(value: Any) -> str:
    return RECEIPT_ENCODER.encode(value)


class ReceiptWriter:
    """Writes the canonical form of a unit of one spec, and its SHA-256."""

    def __init__(self, spec: Rules) -> None:
        self.derived = tuple(d.name for d in spec.derived)
        self.source = ""
        self._fast: Callable[[Record], str | None] | None = None
        unit_facts = {n: f for n, f in spec.facts.items() if f.period is None}
        kinds = tuple(spec.period_kinds)
        extras = ("as_of", *self.derived, *(f"@{k}" for k in kinds))
        names = set(unit_facts)
        if (len(set(extras)) != len(extras) or names & set(extras)
                or any(n.startswith("@") for n in names) or "as_of" in self.derived):
            return  # a shape this writer does not know: every unit by the general encoder
        source = _Source()
        facts = source.mapping(unit_facts, checked=True)
        periods = {k: source.mapping({n: f for n, f in spec.facts.items() if f.period == k}) for k in kinds}
        lines = source.lines
        lines.append("def write(record):")
        lines.append("    ns = record[4]")
        present = " + ".join(f"({k!r} in ns)" for k in extras)
        lines.append(f"    if len(ns) != {len(unit_facts)} + {present}:")
        lines.append("        return None")
        lines.append(f"    facts = {facts}(ns)")
        lines.append("    if facts is None:")
        lines.append("        return None")
        if kinds:
            lines.append("    texts = {}")
            lines.append("    total = 0")
            for kind, write in periods.items():
                lines.append(f"    done = {{label: S(label) + ':' + ({write}(m) or E(m))"
                             f" for label, m in ns.get({'@' + kind!r}, ())}}")
                lines.append("    total += len(done)")
                lines.append("    texts.update(done)")
            lines.append("    if len(texts) != total:")
            lines.append("        return None  # one label in two kinds of period: the general encoder keeps ns order")
        lines.append("    out = []")
        lines.append("    as_of = ns.get('as_of')")
        lines.append("    if as_of is not None:")
        lines.append("        out.append('\"as_of\":' + S(as_of.isoformat()))")
        lines.append("    out.append('\"facts\":' + facts)")
        lines.append("    for key, value in (('\"id\":', record[0]), ('\"name\":', record[1])):")
        lines.append("        out.append(key + (S(value) if type(value) is str else E(value)))")
        if kinds:
            lines.append("    if texts:")
            lines.append("        out.append('\"periods\":{' + ','.join([texts[k] for k in sorted(texts)])"
                         " + '}')")
        lines.append("    target = record[3]")
        lines.append("    out.append('\"target\":' + S(P(target) if type(target) is Decimal else F(target)))")
        lines.append("    kind = record[2]")
        lines.append("    out.append('\"type\":' + (S(kind) if type(kind) is str else E(kind)))")
        lines.append("    return '{' + ','.join(out) + '}'")
        self.source = "\n".join(lines) + "\n"
        namespace: dict[str, Any] = {
            "__builtins__": {}, "type": type, "len": len, "sorted": sorted, "KeyError": KeyError, "tuple": tuple,
            "dict": dict, "int": int, "str": str,
            "Decimal": Decimal, "date": dt.date, "E": _general, "P": points_text, "Q": _QUOTED, "QP": _quoted_points, "N": _SMALL,
            "F": format_points, "S": encode_basestring, "records": _records,
        }
        exec(compile(self.source, f"<receipt writer of {spec.metadata.id}>", "exec"), namespace)
        self._fast = namespace["write"]

    def text(self, record: Record) -> str:
        """The canonical JSON text of the unit of ``record`` (its facts as checked)."""
        if self._fast is not None:
            try:
                text = self._fast(record)
            except Exception:  # anything unexpected: the general encoder says what it is
                text = None
            if text is not None:
                return text
        return general_form(record, self.derived)

    def sha256(self, record: Record) -> str:
        """The SHA-256 (hex) of :meth:`text`, the receipt's ``facts_sha256``."""
        return hashlib.sha256(self.text(record).encode("utf-8")).hexdigest()


_WRITERS: weakref.WeakKeyDictionary[Any, ReceiptWriter] = weakref.WeakKeyDictionary()


def writer_of(spec: Rules) -> ReceiptWriter:
    """The receipt writer of ``spec``, built on first use and kept as long as the spec lives."""
    writer = _WRITERS.get(spec)
    if writer is None:
        writer = _WRITERS[spec] = ReceiptWriter(spec)
    return writer


__all__ = ["CANONICAL_ENCODER", "POINT_TEXTS", "RECEIPT_ENCODER", "ReceiptWriter", "canonical_json", "general_form",
           "plain_default", "points_text", "writer_of"]

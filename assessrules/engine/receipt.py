"""The canonical form of a unit that receipts hash, written in C by orjson.

A receipt's ``facts_sha256`` is the SHA-256 of ``canonical_json(unit.canonical())``: the unit's
id, name, type, target, facts, periods and assessment date as JSON with sorted keys, no spaces,
text as it is (``ensure_ascii=False``), Decimals as canonical point text (:func:`format_points`) and
dates in ISO form. The data is gathered straight from the checked record, without building the unit
or its plain form; :func:`general_form` writes it with :mod:`json`'s encoder (the reference), and
:class:`ReceiptWriter` with orjson (:func:`assessrules.jsontext.sorted_compact`), which writes the
same bytes in C and calls back only for each Decimal and date. A value orjson would not write the
same way (a key that is not text, an integer beyond 64 bits, a subclass) sends the whole unit to
:mod:`json`'s encoder, so the text, and the digest, are the same as before for every record the
checker makes (it never leaves a float: a float read in becomes a Decimal through its shortest text).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import weakref
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..jsontext import sorted_compact
from ..numbers import format_points

if TYPE_CHECKING:
    from ..rules.ruleset import Rules
    from .types import Record

POINT_TEXTS: dict[Decimal, str] = {}
"""The text of each number of points met so far (:func:`points_text` fills it; generated code reads it first)."""


def points_text(value: Decimal) -> str:
    """``format_points(value)``, each value written once (the same few come back unit after unit)."""
    text = POINT_TEXTS.get(value)
    if text is None:
        if len(POINT_TEXTS) > 50_000:
            POINT_TEXTS.clear()
        text = POINT_TEXTS[value] = format_points(value)
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


def _canonical_data(record: Record, derived: tuple[str, ...] | frozenset[str]) -> dict[str, Any]:
    """``Unit.from_record(record).canonical()`` before its values are made plain (the encoders do that)."""
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
    if record[6] is not None:
        data["parent"] = record[6]
    if periods:
        data["periods"] = periods
    as_of = ns.get("as_of")
    if as_of is not None:
        data["as_of"] = as_of.isoformat()
    return data


def general_form(record: Record, derived: tuple[str, ...] | frozenset[str]) -> str:
    """``canonical_json(Unit.from_record(record).canonical())``, by :mod:`json`'s encoder: the reference."""
    return RECEIPT_ENCODER.encode(_canonical_data(record, derived))


def _orjson_default(value: Any) -> str:
    # what plain_default gives, for the types orjson hands back to it; anything else to the json encoder
    kind = value.__class__
    if kind is Decimal:
        return POINT_TEXTS.get(value) or points_text(value)
    if kind is dt.date or kind is dt.datetime:
        return value.isoformat()  # type: ignore[no-any-return]
    raise TypeError(kind.__name__)


class ReceiptWriter:
    """Writes the canonical form of a unit of one spec, and its SHA-256."""

    def __init__(self, spec: Rules) -> None:
        self.derived = frozenset(d.name for d in spec.derived)

    def canonical_bytes(self, record: Record) -> bytes:
        """The canonical JSON of the unit of ``record`` (its facts as checked), as UTF-8."""
        return sorted_compact(_canonical_data(record, self.derived), _orjson_default, RECEIPT_ENCODER)

    def text(self, record: Record) -> str:
        """The canonical JSON text of the unit of ``record``."""
        try:
            return self.canonical_bytes(record).decode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (the checker refuses them): text UTF-8 cannot hold
            return general_form(record, self.derived)

    def sha256(self, record: Record) -> str:
        """The SHA-256 (hex) of :meth:`text`, the receipt's ``facts_sha256``."""
        return hashlib.sha256(self.canonical_bytes(record)).hexdigest()


_WRITERS: weakref.WeakKeyDictionary[Any, ReceiptWriter] = weakref.WeakKeyDictionary()


def writer_of(spec: Rules) -> ReceiptWriter:
    """The receipt writer of ``spec``, built on first use and kept as long as the spec lives."""
    writer = _WRITERS.get(spec)
    if writer is None:
        writer = _WRITERS[spec] = ReceiptWriter(spec)
    return writer


__all__ = ["CANONICAL_ENCODER", "POINT_TEXTS", "RECEIPT_ENCODER", "ReceiptWriter", "canonical_json", "general_form",
           "plain_default", "points_text", "writer_of"]

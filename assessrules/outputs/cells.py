"""Values made safe for a spreadsheet cell or a terminal line.

* :func:`neutralise` keeps a text that starts with ``=``, ``+``, ``-`` or ``@`` from being read as a
  formula by Excel, WPS or LibreOffice when a CSV file is opened (formula injection): it is prefixed
  with an apostrophe, the OWASP recommendation. In an xlsx file the same texts are written as
  strings with the cell's *quote prefix* set, so the text is kept as it is and never evaluated.
* :func:`excel_number` writes a Decimal as a number only when the number survives a round trip
  through a binary float (which is all a spreadsheet stores), and as text otherwise, so that no
  point is ever changed by being written.
* :func:`strip_controls` removes control characters from a line shown on a terminal.
"""

from __future__ import annotations

import re
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@")

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (it starts with = + - @).

    >>> is_formula_like("=HYPERLINK(1)"), is_formula_like("城关镇")
    (True, False)
    """
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Prefix a formula-like text with an apostrophe so that a spreadsheet shows it as text.

    >>> neutralise("=1+1"), neutralise("曾家镇")
    ("'=1+1", '曾家镇')
    """
    return "'" + text if is_formula_like(text) else text


def excel_number(value: Decimal | int) -> int | float | str:
    """A number as a spreadsheet should hold it: int, or float when exact, else its text.

    >>> excel_number(Decimal("89.50")), excel_number(Decimal("100.0")), excel_number(Decimal("0.1"))
    (89.5, 100, 0.1)
    >>> excel_number(Decimal("0.12345678901234567890"))
    '0.1234567890123456789'
    """
    d = Decimal(value)
    if d == d.to_integral_value() and abs(d) < 2**53:
        return int(d)
    as_float = float(d)
    if Decimal(repr(as_float)) == d:
        return as_float
    return format(d.normalize(), "f")


def strip_controls(text: str) -> str:
    r"""Remove control characters (C0 but tab and newline, DEL, C1) from text for a terminal.

    >>> strip_controls("城关\x1b[2J镇\x07\n")
    '城关[2J镇\n'
    """
    return _CONTROLS.sub("", text)


__all__ = ["FORMULA_STARTS", "excel_number", "is_formula_like", "neutralise", "strip_controls"]

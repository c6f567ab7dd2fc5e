"""The catalogue's texts for the data-entry workbook (考核数据.xlsx and the other workbook formats)."""

from __future__ import annotations

from ._message import Message

MESSAGES: dict[str, Message] = {
    "facts.workbook": Message("a workbook's cell, column or sheet does not fit the data-entry layout",
                              "考核数据表的单元格、列或工作表不符合填报格式", "{message}"),
}

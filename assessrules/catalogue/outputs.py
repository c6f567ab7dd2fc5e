"""The catalogue's texts for what the outputs say: the account of a unit (explain), the ranking table, the bulletin."""

from __future__ import annotations

from ._message import Message

MESSAGES: dict[str, Message] = {
}

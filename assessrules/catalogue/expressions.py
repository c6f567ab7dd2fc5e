"""The catalogue's texts for the expression language of a spec."""

from __future__ import annotations

from ._message import Message

MESSAGES: dict[str, Message] = {
}

"""The catalogue's texts for the HTTP service's answers."""

from __future__ import annotations

from ._message import Message

MESSAGES: dict[str, Message] = {
}

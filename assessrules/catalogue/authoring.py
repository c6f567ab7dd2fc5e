"""The catalogue's texts for the rule author's commands: scenario tests, diff, impact, check."""

from __future__ import annotations

from ._message import Message

MESSAGES: dict[str, Message] = {
}

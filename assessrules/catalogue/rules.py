"""The catalogue's texts for a spec's sections: indicators, rules (triggers), facts, derived values, grades, outcomes, groups."""

from __future__ import annotations

from ._message import Message

MESSAGES: dict[str, Message] = {
}

"""The catalogue's texts for the command line's own lines: summaries, progress, what was written."""

from __future__ import annotations

from ._message import Message

MESSAGES: dict[str, Message] = {
    "cli.problems": Message("{count} problems; nothing was scored", "共 {count} 个问题；未计分"),
    "cli.spec_problems": Message("{count} problems in {failed} of {total} specs",
                                 "{total} 个考评细则中有 {failed} 个有误，共 {count} 个问题"),
    "cli.unit_hint": Message("unit {unit}: ", "单位 {unit}："),
    "cli.at": Message(" (at {path})", "（位置 {path}）"),
    "cli.hint": Message("hint: ", "提示："),
    "cli.within": Message("{place}: {message}", "{place}：{message}"),
}

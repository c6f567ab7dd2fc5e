"""The console: UTF-8 whatever the code page, and no control characters from the data.

A Chinese Windows console (or ``PYTHONIOENCODING=gbk``) would make Python encode output as GBK,
which cannot write characters such as ``−`` (U+2212); the command line therefore writes UTF-8
always. Names and labels come from facts files that anybody may write: a control character in one
(an escape sequence, a bell) is removed before it reaches the terminal. Files written with ``-o``
are not touched.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import TextIO, cast

from .cells import strip_controls


class CleanWriter(io.TextIOBase):
    """A text stream that strips control characters (but newline and tab) before writing on."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` without its control characters; return its length as given."""
        self._stream.write(strip_controls(text))
        return len(text)

    def flush(self) -> None:
        """Flush the stream below."""
        self._stream.flush()

    def isatty(self) -> bool:
        """Whether the stream below is a terminal."""
        return self._stream.isatty()


def utf8(stream: TextIO) -> TextIO:
    """Make ``stream`` write UTF-8 (it may be a console that would write GBK), never failing on a character."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    return stream


@contextlib.contextmanager
def console() -> Iterator[tuple[TextIO, TextIO]]:
    """Yield stdout and stderr as UTF-8 streams that strip control characters."""
    out, err = utf8(sys.stdout), utf8(sys.stderr)
    yield cast(TextIO, CleanWriter(out)), cast(TextIO, CleanWriter(err))
    out.flush()
    err.flush()


__all__ = ["CleanWriter", "console", "utf8"]

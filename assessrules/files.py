"""Writing a file whole or not at all, with the permissions any new file would get.

Every file the library writes (``-o`` outputs, converted facts, workbooks)
goes through :func:`write_whole`: the content goes to a temporary file beside
the target, which then replaces the target in one rename, so a reader never
sees half a file and a failure leaves the old file as it was. The new file
gets ``0666 & ~umask``, as a file made by ``open()`` would.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable


def write_whole(path: str | os.PathLike[str], content: str | bytes | Callable[[str], None]) -> None:
    """Write ``content`` (text as UTF-8, bytes, or a function that writes a given path) to ``path``, whole or not at all.

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_whole(target, "考核")
    >>> target.read_text(encoding="utf-8")
    '考核'
    """
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    suffix = os.path.splitext(target)[1]  # a writer such as openpyxl may judge the format by the extension
    while True:
        tmp = os.path.join(directory, f".assessrules-{secrets.token_hex(6)}{suffix}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            break
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
    try:
        if callable(content):
            os.close(fd)
            content(tmp)
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


__all__ = ["write_whole"]

"""Writing a file whole or not at all, with the permissions any new file would get.

Every file the library writes (``-o`` outputs, converted facts, workbooks)
goes through :func:`write_whole`: the content goes to a temporary file beside
the target, which then replaces the target in one rename, so a reader never
sees half a file and a failure leaves the old file as it was. The new file
gets ``0666 & ~umask``, as a file made by ``open()`` would. Only a regular file
is ever replaced: a folder, device, pipe or socket at the path (or a link to
one) is left as it is, and every error names the path the user gave.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable

from .errors import UsageError


def write_whole(path: str | os.PathLike[str], content: str | bytes | Callable[[str], None]) -> None:
    """Write ``content`` (text as UTF-8, bytes, or a function that writes a given path) to ``path``, whole or not at all.

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_whole(target, "考核")
    >>> target.read_text(encoding="utf-8")
    '考核'
    """
    target = os.fspath(path)
    check_target(target)
    try:
        _write(target, content)
    except OSError as exc:  # name the user's path, not the temporary file
        raise OSError(exc.errno, exc.strerror, target) from None


def check_target(target: str) -> None:
    """Refuse an empty name, and anything at ``target`` that is not a regular file (it is never replaced)."""
    if not target:
        raise UsageError("-o is empty: give the path of the file to write")
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"{target}: cannot write there: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise UsageError(f"{target}: not a regular file (a folder, device, pipe or socket); it is left as it is")


def _write(target: str, content: str | bytes | Callable[[str], None]) -> None:
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


__all__ = ["check_target", "write_whole"]

"""Writing a file whole or not at all, with the permissions any new file would get.

Every file the library writes (``-o`` outputs, converted facts, workbooks)
goes through :func:`write_whole`: the content goes to a temporary file beside
the target, which then replaces the target in one rename, so a reader never
sees half a file and a failure leaves the old file as it was. The new file
gets ``0666 & ~umask``, as a file made by ``open()`` would. Only a regular file
is ever replaced: a folder, device, pipe or socket at the path (or a link to
one) is left as it is, and every error names the path the user gave. The one exception is the null
device (``-o /dev/null``, ``-o NUL``), which people give to time a run: what would be written is made
and thrown away.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from collections.abc import Callable

from .errors import UsageError
from .messages import problem


def write_whole(path: str | os.PathLike[str], content: str | bytes | Callable[[str], None]) -> None:
    """Write ``content`` (text as UTF-8, bytes, or a function that writes a given path) to ``path``, whole or not at all.

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_whole(target, "考核")
    >>> target.read_text(encoding="utf-8")
    '考核'
    """
    target = os.fspath(path)
    if is_null(target):
        if callable(content):  # a writer of a path: let it write, then throw the file away
            with tempfile.TemporaryDirectory(prefix="assessrules-") as folder:
                content(os.path.join(folder, "null" + os.path.splitext(target)[1]))
        return
    check_target(target)
    try:
        _write(target, content)
    except OSError as exc:  # name the user's path, not the temporary file
        raise OSError(exc.errno, exc.strerror, target) from None


def is_null(target: str) -> bool:
    """Whether ``target`` is the null device (``/dev/null``, ``NUL``), where writing keeps nothing.

    >>> is_null(os.devnull), is_null("结果.xlsx")
    (True, False)
    """
    if not target:
        return False
    if target == os.devnull or (os.name == "nt" and target.upper().rstrip(":") == "NUL"):
        return True
    try:
        return os.path.exists(target) and os.path.samefile(target, os.devnull)
    except OSError:
        return False


def check_target(target: str) -> None:
    """Refuse an empty name, and anything at ``target`` that is not a regular file (it is never replaced)."""
    if not target:
        raise UsageError([problem("usage.output_empty")])
    if is_null(target):
        return
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError([problem("usage.output_unwritable", file=target, reason=exc.strerror or str(exc))]) from None
    if not stat.S_ISREG(mode):
        example = os.path.join(target, "结果.xlsx") if stat.S_ISDIR(mode) else "结果.xlsx"
        raise UsageError([problem("usage.output_not_file", file=target, example=example)])


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


__all__ = ["check_target", "is_null", "write_whole"]

"""Which files a spec or a facts file may make us read: the file-access policy.

A spec's ``extends:`` and a facts file's ``spec:`` are written by whoever wrote that file,
so they may only name a bundled spec, or a file inside the folder tree of the file that
names it (or of the spec first loaded), or inside a folder the caller allows explicitly
(``load_spec(path, allow=[...])``, ``--allow-dir``). Anything else is refused before it is
opened, and the message never quotes what the target holds. See ``docs/security.md``.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .. import _resources
from ..errors import Problem, UsageError
from ..messages import problem
from .document import Document
from .limits import echo

Roots = tuple[Path, ...]


class RefusedError(Exception):
    """A reference that the policy does not let us follow: a catalogue ``code`` and the values it names.

    :meth:`problem` says it at the key that made the reference (``extends:``, ``spec:``). ``message`` and
    ``hint`` are the English words without the key, for callers that still build their own sentence.
    """

    def __init__(self, code: str, message: str, hint: str | None = None, **values: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.hint, self.values = code, message, hint, values

    def problem(self, document: Document, key: str) -> Problem:
        """The refusal as a problem located at ``key`` of ``document``."""
        return document.say(self.code, (key,), key=key, **self.values)


def allowed_roots(allow: Iterable[str | os.PathLike[str]] | None) -> Roots:
    """The folders a caller allows, as real paths; raise :class:`UsageError` for anything else."""
    if allow is None:
        return ()
    if isinstance(allow, str | bytes | os.PathLike) or not isinstance(allow, Iterable):
        raise UsageError([problem("access.allow_not_list")])
    roots = []
    for folder in allow:
        if not isinstance(folder, str | os.PathLike) or not os.fspath(folder):
            raise UsageError([problem("access.allow_not_folder", value=repr(folder))])
        real = Path(os.path.realpath(folder))
        if not real.is_dir():
            raise UsageError([problem("access.allow_missing", folder=os.fspath(folder))])
        roots.append(real)
    return tuple(roots)


def home_of(file: str) -> Path | None:
    """The real folder of the file a document was read from; None for text that came from no file."""
    if os.path.isfile(file):
        return Path(os.path.realpath(file)).parent
    bundled = _resources.bundled_specs()
    if file.startswith("specs/") and Path(file).stem in bundled:  # how messages name a bundled spec
        return bundled[Path(file).stem].resolve().parent
    return None


def inside(path: Path, roots: Sequence[Path]) -> bool:
    """True when the real ``path`` lies in one of ``roots`` (or below)."""
    return any(path == root or root in path.parents for root in roots)


def resolve(name: str, home: Path | None, roots: Sequence[Path]) -> Path | None:
    """The real path of the file ``name`` (relative to ``home``) if the policy allows reading it.

    Returns None when there is no such file (the caller may then try a bundled id); raises
    :class:`RefusedError` when there is one but it lies outside ``roots``, is not a regular file, or
    is a symbolic link that goes round in a circle.
    """
    if not name or "\x00" in name:
        raise RefusedError("access.empty_name", "the name is empty or holds a NUL character")
    candidate = Path(name) if home is None else home / name
    if not os.path.lexists(candidate):
        return None
    shown = echo(name)
    try:
        info = os.stat(candidate)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise RefusedError("access.link_cycle", f"`{name}` is a symbolic link that goes round in a circle "
                               "(a cycle of links)", name=shown) from None
        raise RefusedError("access.unreadable", f"`{name}` cannot be opened: {exc.strerror}", name=shown,
                           reason=str(exc.strerror)) from None
    real = Path(os.path.realpath(candidate))
    if not inside(real, roots) and real not in {p.resolve() for p in _resources.bundled_specs().values()}:
        folders = list(dict.fromkeys(str(r) for r in roots))
        raise RefusedError("access.outside", f"`{name}` points outside the folders this file may read; nothing was read",
                           f"allowed: a bundled spec, or a file under {', '.join(folders) or 'none'}; allow another "
                           "folder with --allow-dir (or load_spec(..., allow=[...]))", name=shown, roots=folders)
    if not stat.S_ISREG(info.st_mode):
        raise RefusedError("access.not_regular", f"`{name}` is not a regular file (a folder, device or pipe); "
                           "nothing was read", name=shown)
    return real


__all__ = ["RefusedError", "Roots", "allowed_roots", "home_of", "inside", "resolve"]

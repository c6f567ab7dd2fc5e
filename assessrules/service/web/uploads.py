"""Where uploads go: one temporary folder per upload, under a random id, deleted when its time is up.

An upload's folder holds the file as uploaded (``input.<ext>``), what was asked with it (``upload.json``: the
spec, the assessment date, the file's name as given) and the downloads made from it, each written on its
first request. The folder's name is ``secrets.token_urlsafe(24)`` — the only way to reach the results, and not
guessable. Nothing else is written anywhere.

Every folder lives at most ``ttl`` seconds from its making: :meth:`Uploads.sweep` deletes older ones, and the
pages call it on every request; the service calls it when it starts and deletes what this process made when it
stops. At most ``limit`` uploads are kept at once; one more is refused until one expires.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT_NAME = "assessrules-uploads"
"""The folder, under the system's temporary folder, that holds every upload's folder."""
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_META = "upload.json"


class FullError(Exception):
    """As many uploads are kept as allowed; one more must wait until one expires."""


class Uploads:
    """The upload folders of this service: made, found, swept."""

    def __init__(self, ttl: float, limit: int, root: str | os.PathLike[str] | None = None) -> None:
        self.ttl = ttl
        self.limit = limit
        self.root = Path(root) if root is not None else Path(tempfile.gettempdir()) / ROOT_NAME
        self._made: set[str] = set()
        self._lock = threading.Lock()

    def _ensure_root(self) -> None:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _folders(self) -> Iterator[Path]:
        if not self.root.is_dir():
            return
        for path in self.root.iterdir():
            if path.is_dir() and (_TOKEN.fullmatch(path.name) or path.name.startswith("tmp")):
                yield path

    def _age(self, folder: Path) -> float:
        try:
            return time.time() - folder.stat().st_mtime
        except OSError:
            return float("inf")

    def sweep(self) -> int:
        """Delete every upload older than ``ttl``; return how many were deleted."""
        gone = 0
        with self._lock:
            for folder in list(self._folders()):
                if self._age(folder) >= self.ttl:
                    shutil.rmtree(folder, ignore_errors=True)
                    self._made.discard(folder.name)
                    gone += 1
        return gone

    def close(self) -> None:
        """Delete every upload this process made (the service stops)."""
        with self._lock:
            for name in list(self._made):
                shutil.rmtree(self.root / name, ignore_errors=True)
            self._made.clear()

    def count(self) -> int:
        """How many uploads are kept now."""
        return sum(1 for f in self._folders() if _TOKEN.fullmatch(f.name))

    def create(self, meta: dict[str, Any]) -> tuple[str, Path]:
        """A new upload's id and folder (mode 0700), with ``meta`` written; :class:`FullError` when full."""
        self.sweep()
        with self._lock:
            if self.count() >= self.limit:
                raise FullError
            self._ensure_root()
            token = secrets.token_urlsafe(24)
            folder = self.root / token
            folder.mkdir(mode=0o700)
            self._made.add(token)
        (folder / _META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.utime(folder)
        return token, folder

    def discard(self, token: str) -> None:
        """Delete one upload now (its data had problems: nothing is kept)."""
        with self._lock:
            self._made.discard(token)
            shutil.rmtree(self.root / token, ignore_errors=True)

    def find(self, token: str) -> tuple[Path, dict[str, Any]] | None:
        """The folder and what was asked of upload ``token``, if it exists and has not expired."""
        if not _TOKEN.fullmatch(token):
            return None
        folder = self.root / token
        if not folder.is_dir() or self._age(folder) >= self.ttl:
            return None
        try:
            meta: dict[str, Any] = json.loads((folder / _META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return folder, meta

    @contextmanager
    def scratch(self) -> Iterator[Path]:
        """A folder for a file needed only while one request is answered (a previous facts file for a template)."""
        self._ensure_root()
        folder = Path(tempfile.mkdtemp(prefix="tmp", dir=self.root))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


__all__ = ["ROOT_NAME", "FullError", "Uploads"]

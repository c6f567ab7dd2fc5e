"""The specs a service serves: the bundled ones and those in one configured folder, each compiled once.

Requests name a spec by id (the file's stem, ``2021``); a path in a request is never read. A spec
that does not load is listed with its problems, and requests for it get them as the error.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .. import _resources
from ..engine.results import plain
from ..engine.spec import Spec, load_spec
from ..errors import SpecError, UsageError
from ..messages import problem
from ..rules.loader import effective_document


@attrs.frozen
class Entry:
    """One served spec: where it comes from, and the compiled spec or why it does not load."""

    id: str
    path: Path
    origin: str  # "bundled" or "spec-dir"
    spec: Spec | None
    error: SpecError | None

    def loaded(self) -> Spec:
        """The compiled spec; raise its :class:`SpecError` if it does not load."""
        if self.spec is None:
            assert self.error is not None
            raise self.error
        return self.spec

    def summary(self) -> dict[str, Any]:
        """What ``GET /specs`` shows of it."""
        out: dict[str, Any] = {"id": self.id, "origin": self.origin, "valid": self.spec is not None,
                               "links": {"self": f"/specs/{self.id}", "facts_schema": f"/specs/{self.id}/facts-schema",
                                         "evaluate": f"/specs/{self.id}/evaluate"}}
        if self.spec is not None:
            meta = self.spec.metadata
            out.update({"spec_id": meta.id, "title": meta.title, "document_number": meta.document_number,
                        "year": self.spec.year, "sha256": self.spec.sha256})
        else:
            assert self.error is not None
            out["problems"] = [p.to_dict() for p in self.error.problems]
        return out


class Registry:
    """The served specs by id; each is read and compiled once, when the registry is made."""

    def __init__(self, spec_dir: str | os.PathLike[str] | None = None) -> None:
        found: dict[str, tuple[Path, str]] = {k: (p, "bundled") for k, p in _resources.bundled_specs().items()}
        if spec_dir is not None:
            folder = Path(spec_dir)
            if not folder.is_dir():
                raise UsageError([problem("usage.spec_dir", folder=str(spec_dir))])
            for path in sorted(folder.glob("*.yaml")):
                if path.stem.endswith(".tests"):
                    continue
                if path.stem in found:
                    raise UsageError([problem("usage.spec_id_twice", file=str(path), spec=path.stem)])
                found[path.stem] = (path, "spec-dir")
        entries = {}
        for spec_id, (path, origin) in found.items():
            source = spec_id if origin == "bundled" else str(path)
            try:
                entries[spec_id] = Entry(spec_id, path, origin, load_spec(source), None)
            except SpecError as exc:
                entries[spec_id] = Entry(spec_id, path, origin, None, exc)
        self.entries: Mapping[str, Entry] = entries
        self._documents: dict[str, Any] = {}
        self._lock = threading.Lock()

    def get(self, spec_id: str) -> Entry:
        """The entry of ``spec_id``; raise a located :class:`LookupError` naming the known ids."""
        entry = self.entries.get(spec_id)
        if entry is None:
            raise UnknownSpecError(spec_id, sorted(self.entries))
        return entry

    def effective(self, spec_id: str) -> Any:
        """The spec's effective document (``extends:`` merged) as JSON-ready data, made once."""
        entry = self.get(spec_id)
        with self._lock:
            if spec_id not in self._documents:
                source = spec_id if entry.origin == "bundled" else str(entry.path)
                self._documents[spec_id] = plain(effective_document(source).data)
            return self._documents[spec_id]


class UnknownSpecError(LookupError):
    """No served spec has this id."""

    def __init__(self, spec_id: str, known: list[str]) -> None:
        super().__init__(spec_id)
        self.problem = problem("request.unknown_spec", ("spec",), spec=spec_id, known=known or ["—"])


__all__ = ["Entry", "Registry", "UnknownSpecError"]

"""Zip archives (.xlsx, .docx) whose members all carry one fixed time, so that the same input gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any


def zip_time(stamp: dt.date) -> tuple[int, int, int, int, int, int]:
    """``stamp`` as a zip member's time (a zip cannot hold a time before 1980)."""
    if stamp.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if isinstance(stamp, dt.datetime):
        return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    return (stamp.year, stamp.month, stamp.day, 0, 0, 0)


class StampedZip(zipfile.ZipFile):
    """A zip archive whose members all carry the time ``stamp``, however they are written."""

    stamp: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: str | bytes,  # type: ignore[override]
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.stamp)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None,
              compress_type: int | None = None, compresslevel: int | None = None) -> None:
        with open(filename, "rb") as fh:  # openpyxl writes each sheet to a temporary file first
            self.writestr(str(arcname or filename), fh.read(), compress_type, compresslevel)


def restamped(data: bytes, stamp: dt.date) -> bytes:
    """The zip archive ``data`` written anew, its members in the same order, each dated ``stamp``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            StampedZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        archive.stamp = zip_time(stamp)
        for name in source.namelist():
            archive.writestr(name, source.read(name))
    return buffer.getvalue()


__all__ = ["StampedZip", "restamped", "zip_time"]

"""Limits every upload is held to: its size, and for XLSX what it expands to, before parsing.

Sizes are stated in MiB (1,048,576 bytes), the unit of the settings' defaults, everywhere a
message names one. An XLSX file is a zip archive: a 1 MB file can expand to gigabytes (a
decompression bomb). `check_xlsx` reads the zip's directory, refuses a workbook whose members
declare more than the limit, then streams every member once through zipfile, which stops at
the declared size and checks the CRC, so a member that lies about its size is refused too;
worksheet rows are counted on the way. Memory stays at one chunk. Only then may a parser
(calamine, openpyxl) open it.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIB = 1024 * 1024
CHUNK = 1 << 20
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)


class HashingReader(io.RawIOBase):
    """Wrap a binary file, hashing (SHA-256) what is read from it: an upload is hashed as it
    is parsed, in one pass."""

    def __init__(self, raw: BinaryIO):
        self.raw, self.digest = raw, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def mib(size: int) -> str:
    """A size in MiB as a message shows it: one decimal, or none for whole numbers."""
    value = size / MIB
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def check_size(size: int | None, limit: int) -> None:
    """Refuse an upload of more than `limit` bytes, saying both sizes in MiB."""
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is %(size)s MiB; files over %(limit)s MiB are refused.")
            % {"size": mib(size), "limit": mib(limit)},
            code="file_too_large",
        )


def _unreadable() -> ValidationError:
    return ValidationError(_("The file is not a readable XLSX workbook."), code="xlsx")


def check_xlsx(file: BinaryIO, *, max_uncompressed: int, max_rows: int) -> int:
    """Refuse a workbook that expands beyond `max_uncompressed` bytes or has more than
    `max_rows` rows in a sheet; return the largest sheet's row count. Leaves `file` at 0."""
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
        members = archive.infolist()
        declared = sum(member.file_size for member in members)
        if declared > max_uncompressed:
            raise ValidationError(
                _(
                    "The workbook expands to %(size)s MiB; workbooks over %(limit)s MiB "
                    "uncompressed are refused. Save it as CSV, or split it."
                )
                % {"size": mib(declared), "limit": mib(max_uncompressed)},
                code="xlsx_too_large",
            )
        largest = 0
        for member in members:
            if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _unreadable()
            rows = _stream(archive, member, count_rows=bool(_SHEET.match(member.filename)))
            largest = max(largest, rows)
            if largest > max_rows:
                raise ValidationError(
                    _("The workbook has more than %(limit)s rows in a sheet; it is refused.")
                    % {"limit": f"{max_rows:,}"},
                    code="xlsx_too_many_rows",
                )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise _unreadable() from error
    finally:
        file.seek(0)
    return largest


def _stream(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, count_rows: bool) -> int:
    """Read a member to its end (zipfile checks size and CRC); count its rows if asked."""
    rows, tail = 0, b""
    with archive.open(member) as handle:
        while chunk := handle.read(CHUNK):
            if count_rows:
                window = tail + chunk
                rows += len(_ROW.findall(window)) - len(_ROW.findall(tail))
                tail = window[-64:]
        # zipfile stops at the declared size; a deflate stream that goes on past it lies.
        decompressor = getattr(handle, "_decompressor", None)
        if decompressor is not None and not getattr(decompressor, "eof", True):
            raise zipfile.BadZipFile("member longer than declared")
    return rows

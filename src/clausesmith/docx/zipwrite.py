"""Reproducible zip files, with the compressed bytes of unchanging entries reused.

A .docx is a zip. Most of its entries (styles, theme, fonts: over 95% of the bytes of the
shipped templates) are the same in every document rendered from one template, so deflating
them again for every deal is wasted work. `ZipEntry` holds one entry already compressed;
`write_zip` lays entries out exactly as `zipfile.ZipFile.writestr` does for a `ZipInfo` with
the given date, `create_system` 0, `external_attr` 0 and the deflate level `level_for` its
name, so the bytes do not depend on whether an entry was compressed now or reused.
tests/test_zipwrite.py holds the two side by side.

Levels: the parts rendered for every deal (the body, headers, footers, core properties) are
deflated at level 3, four times faster than level 6 for 10% more bytes (about 1 kB per
document); the parts compressed once per template keep level 6.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

CONTENT_TYPES = "[Content_Types].xml"
ZIP_MIN = dt.datetime(1980, 1, 1)
ZIP_MAX = dt.datetime(2107, 12, 31, 23, 59, 58)
LEVEL = 6
RENDERED_LEVEL = 3
_RENDERED = re.compile(r"word/(document|header\d*|footer\d*)\.xml|docProps/core\.xml")

_VERSION = 20  # "2.0": deflate
_DEFLATED = 8
_EXTERNAL_ATTR = 0o600 << 16  # what zipfile writes for an entry whose external_attr is 0
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class ZipEntry:
    """One file of a zip, deflated: name, CRC-32, size before and the compressed bytes."""

    name: str
    crc: int
    size: int
    deflated: bytes

    @classmethod
    def of(cls, name: str, data: bytes) -> ZipEntry:
        compressor = zlib.compressobj(level_for(name), zlib.DEFLATED, -15)
        deflated = compressor.compress(data) + compressor.flush()
        return cls(name, zlib.crc32(data), len(data), deflated)


def level_for(name: str) -> int:
    return RENDERED_LEVEL if _RENDERED.fullmatch(name) else LEVEL


def order(name: str) -> tuple[bool, str]:
    """[Content_Types].xml first (Word and LibreOffice expect it), then by name."""
    return (name != CONTENT_TYPES, name)


def dos_stamp(when: dt.datetime) -> tuple[int, int]:
    """(time, date) in MS-DOS format, clamped to what a zip can hold."""
    s = min(max(when.replace(tzinfo=None), ZIP_MIN), ZIP_MAX)
    dos_time = s.hour << 11 | s.minute << 5 | s.second // 2
    return dos_time, (s.year - 1980) << 9 | s.month << 5 | s.day


def write_zip(entries: list[ZipEntry], when: dt.datetime) -> bytes:
    """A zip of `entries` in `order`, every entry dated `when`; no zip64 (entries < 4 GiB)."""
    dostime, dosdate = dos_stamp(when)
    body: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for entry in sorted(entries, key=lambda e: order(e.name)):
        name = entry.name.encode("ascii")  # part names of a .docx are ASCII
        fields = (dostime, dosdate, entry.crc, len(entry.deflated), entry.size, len(name))
        local = _LOCAL.pack(b"PK\003\004", _VERSION, 0, 0, _DEFLATED, *fields, 0)
        made_by = (_VERSION, 0, _VERSION, 0, 0, _DEFLATED)  # by, system, needs, -, flags, method
        tail = (0, 0, 0, 0, _EXTERNAL_ATTR, offset)  # extra, comment, disk, attrs, offset
        central.append(_CENTRAL.pack(b"PK\001\002", *made_by, *fields, *tail) + name)
        body += (local, name, entry.deflated)
        offset += len(local) + len(name) + len(entry.deflated)
    directory = b"".join(central)
    end = _END.pack(b"PK\005\006", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(body) + directory + end


def write_parts(parts: dict[str, bytes], when: dt.datetime) -> bytes:
    """A zip of named parts, each deflated now: for documents built part by part."""
    return write_zip([ZipEntry.of(name, data) for name, data in parts.items()], when)


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip another library saved (python-docx, docxtpl) the one way this module
    writes zips: [Content_Types].xml first then sorted names, one date, fixed attributes."""
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        return write_parts({n: zin.read(n) for n in zin.namelist()}, when)


def utc_naive(moment: dt.datetime) -> dt.datetime:
    """UTC without tzinfo, to the second: zip dates and python-docx's `...Z` stamps are both
    written from the wall time, and naive means UTC here."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)

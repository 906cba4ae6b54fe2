"""zipwrite lays a zip out byte for byte as zipfile.writestr does with our fixed attributes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from clausesmith.docx.zipwrite import CONTENT_TYPES, ZipEntry, level_for, write_zip
from helpers.document_models import TERM_SHEET


def with_zipfile(parts: dict[str, bytes], when: dt.datetime) -> bytes:
    """The layout docx_writer.normalise_zip produced through zipfile before zipwrite, with
    each entry at the level zipwrite gives its name."""
    stamp = min(max(when, dt.datetime(1980, 1, 1)), dt.datetime(2107, 12, 31, 23, 59, 58))
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in sorted(parts, key=lambda n: (n != CONTENT_TYPES, n)):
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, parts[name], compresslevel=level_for(name))
    return out.getvalue()


@pytest.mark.parametrize(
    "when",
    [dt.datetime(2026, 3, 2, 9, 30, 59), dt.datetime(1970, 1, 1), dt.datetime(2200, 1, 1)],
    ids=["ordinary", "before-1980", "after-2107"],
)
def test_same_bytes_as_zipfile(when: dt.datetime) -> None:
    with zipfile.ZipFile(TERM_SHEET) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["empty.txt"] = b""
    entries = [ZipEntry.of(name, data) for name, data in reversed(parts.items())]
    assert write_zip(entries, when) == with_zipfile(parts, when)


def test_reads_back_with_every_entry_intact() -> None:
    data = write_zip(
        [ZipEntry.of("b.xml", b"<b/>" * 100), ZipEntry.of(CONTENT_TYPES, b"<t/>")],
        dt.datetime(2026, 1, 1),
    )
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == [CONTENT_TYPES, "b.xml"]
        assert z.read("b.xml") == b"<b/>" * 100
        assert z.testzip() is None


def test_the_parts_rendered_per_deal_are_deflated_faster_and_the_rest_smaller() -> None:
    assert [
        level_for(n) for n in ("word/document.xml", "word/header1.xml", "docProps/core.xml")
    ] == [3, 3, 3]
    assert [level_for(n) for n in ("word/styles.xml", "word/documents.xml", CONTENT_TYPES)] == [
        6,
        6,
        6,
    ]

"""The archive format on its own: what a restore can trust before it reads the content."""

import io
import os

import pytest

from integritas.core.backup.archive import (
    CHUNK_BYTES,
    HEADER,
    RECORD,
    TAG_BYTES,
    ArchiveReader,
    ArchiveWriter,
    decode_backup_key,
)
from integritas.core.backup.errors import ArchiveDamagedError, ArchiveForeignError, BackupKeyError

KEY = os.urandom(32)
CONTENT = os.urandom(CHUNK_BYTES * 2 + 12345)  # three records, the last one short


def _archive(content: bytes = CONTENT, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    writer = ArchiveWriter(out, key)
    for start in range(0, len(content), 70_000):
        writer.write(content[start : start + 70_000])
    writer.close()
    return out.getvalue()


def _read(data: bytes, key: bytes = KEY) -> bytes:
    reader = ArchiveReader(io.BytesIO(data), key)
    content = reader.read()
    reader.drain()
    return content


def test_what_was_written_is_read_back_and_no_two_archives_are_alike() -> None:
    first, second = _archive(), _archive()
    assert _read(first) == CONTENT
    assert first != second  # a salt, and so a key, per archive
    assert CONTENT[:4096] not in first
    assert _read(_archive(b"")) == b""


def _record_offsets(data: bytes) -> list[tuple[int, int]]:
    offsets, position = [], HEADER.size
    while position < len(data) - 32:
        _, length = RECORD.unpack_from(data, position)
        offsets.append((position, RECORD.size + length))
        position += RECORD.size + length
    return offsets


def test_reordered_dropped_or_cut_records_are_refused() -> None:
    data = _archive()
    (a, la), (b, lb), (c, _lc) = _record_offsets(data)
    assert la == lb == RECORD.size + CHUNK_BYTES + TAG_BYTES
    header, first, second, last = data[:a], data[a : a + la], data[b : b + lb], data[c:]
    swapped = header + second + first + last
    dropped = header + first + last
    cut = header + first + second  # no final record, no checksum
    for damaged in (swapped, dropped, cut):
        with pytest.raises(ArchiveDamagedError):
            _read(damaged)


def test_a_changed_byte_or_checksum_is_refused() -> None:
    data = bytearray(_archive())
    changed = bytes(data[:5000]) + bytes([data[5000] ^ 1]) + bytes(data[5001:])
    with pytest.raises(ArchiveDamagedError, match="blok 0"):
        _read(changed)
    data[-1] ^= 1
    with pytest.raises(ArchiveDamagedError, match="controlesom"):
        _read(bytes(data))


def test_another_key_is_told_apart_from_damage() -> None:
    with pytest.raises(ArchiveForeignError, match="andere back-upsleutel"):
        _read(_archive(), key=os.urandom(32))
    with pytest.raises(ArchiveDamagedError, match="geen Integritas-back-up"):
        _read(b"PK\x03\x04" + _archive()[4:])


def test_the_backup_key_must_be_set_and_must_not_be_the_master_key() -> None:
    with pytest.raises(BackupKeyError, match="niet ingesteld"):
        decode_backup_key("")
    with pytest.raises(BackupKeyError, match="32 bytes"):
        decode_backup_key("c2hvcnQ")
    with pytest.raises(BackupKeyError, match="hoofdsleutel"):
        decode_backup_key("A" * 43 + "=", master_key="A" * 43)
    assert decode_backup_key("A" * 43 + "=") == bytes(32)

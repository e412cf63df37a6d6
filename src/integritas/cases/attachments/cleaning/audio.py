"""Voice messages (R-WBK-2) without their tags.

A recording made on a phone can carry the device, the owner's name and even the place
it was made (the iPhone's ©xyz). Tags go; the sound stays byte for byte.
"""

import io
from typing import IO

from integritas.cases.attachments.streams import CHUNK_BYTES, UnreadableError, chunks, spool

_WAV_KEEP_CHUNKS = frozenset({b"fmt ", b"fact", b"data"})
# MP4 atoms that hold tags or vendor data, and the containers they may sit in.
_MP4_TAG_ATOMS = frozenset({b"udta", b"meta", b"uuid", b"Xtra"})
_MP4_CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"edts"})


def _copy_range(source: IO[bytes], target: IO[bytes], length: int) -> None:
    while length > 0:
        chunk = source.read(min(CHUNK_BYTES, length))
        if not chunk:
            raise UnreadableError
        target.write(chunk)
        length -= len(chunk)


def _stream_size(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def clean_mp3(stream: IO[bytes]) -> IO[bytes]:
    """Without its ID3v2 tags at the start and the ID3v1 tag at the end."""
    size = _stream_size(stream)
    start = 0
    while True:
        stream.seek(start)
        header = stream.read(10)
        if len(header) < 10 or header[:3] != b"ID3":
            break
        tag = header[6:10]
        if any(byte & 0x80 for byte in tag):
            raise UnreadableError  # not a syncsafe size
        length = (tag[0] << 21) | (tag[1] << 14) | (tag[2] << 7) | tag[3]
        footer = 10 if header[5] & 0x10 else 0
        start += 10 + length + footer
    end = size
    if size - start >= 128:
        stream.seek(size - 128)
        if stream.read(3) == b"TAG":
            end = size - 128
    if start > end:
        raise UnreadableError
    out = spool()
    stream.seek(start)
    _copy_range(stream, out, end - start)
    out.seek(0)
    return out


def clean_wav(stream: IO[bytes]) -> IO[bytes]:
    """Only the format, fact and sound chunks; LIST/INFO, bext, iXML and ID3 chunks go."""
    size = _stream_size(stream)
    header = stream.read(12)
    if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
        raise UnreadableError
    body = spool()
    position = 12
    while position + 8 <= size:
        stream.seek(position)
        chunk_id, length = stream.read(4), int.from_bytes(stream.read(4), "little")
        padded = length + (length & 1)
        if position + 8 + length > size:
            raise UnreadableError
        if chunk_id in _WAV_KEEP_CHUNKS:
            body.write(chunk_id + length.to_bytes(4, "little"))
            _copy_range(stream, body, min(padded, size - position - 8))
        position += 8 + padded
    out = spool()
    out.write(b"RIFF" + (4 + body.tell()).to_bytes(4, "little") + b"WAVE")
    body.seek(0)
    for chunk in chunks(body):
        out.write(chunk)
    out.seek(0)
    return out


def _free_mp4_tags(stream: IO[bytes], start: int, end: int) -> None:
    """Turn tag atoms between `start` and `end` into `free` atoms of the same size, their
    content zeroed: nothing moves, so the sample offsets of the sound stay right."""
    position = start
    while position + 8 <= end:
        stream.seek(position)
        length, kind = int.from_bytes(stream.read(4), "big"), stream.read(4)
        header = 8
        if length == 1:
            length, header = int.from_bytes(stream.read(8), "big"), 16
        elif length == 0:
            length = end - position
        if length < header or position + length > end:
            raise UnreadableError
        if kind in _MP4_TAG_ATOMS:
            stream.seek(position + header - 4)
            stream.write(b"free")
            remaining = length - header
            while remaining > 0:
                zeros = min(CHUNK_BYTES, remaining)
                stream.write(b"\x00" * zeros)
                remaining -= zeros
        elif kind in _MP4_CONTAINERS:
            _free_mp4_tags(stream, position + header, position + length)
        position += length


def clean_m4a(stream: IO[bytes]) -> IO[bytes]:
    """The recording with its tag atoms (udta, meta, uuid) blanked out."""
    out = spool()
    stream.seek(0)
    for chunk in chunks(stream):
        out.write(chunk)
    _free_mp4_tags(out, 0, out.tell())
    out.seek(0)
    return out

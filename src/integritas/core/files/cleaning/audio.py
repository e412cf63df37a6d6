"""Voice messages (R-WBK-2) without their tags, read by mutagen.

A recording made on a phone can carry the device, the owner's name and even the place
it was made (the iPhone's ©xyz). Tags go; the sound stays byte for byte.

- MP3: mutagen deletes the ID3v2 tags at the start (again while one follows; with the
  footer of an ID3v2.4 tag), the ID3v1 tag at the end and an APEv2 tag.
- WAV: only the format, fact and sound chunks stay, found by mutagen's RIFF reader;
  LIST/INFO, bext, iXML and ID3 chunks go (mutagen itself deletes only the ID3 chunk).
- M4A: the tag atoms (udta, meta, uuid, Xtra), found by mutagen's atom reader, become
  `free` atoms of the same size with their content zeroed: nothing moves, so the sample
  offsets of the sound stay right (mutagen's MP4 delete clears only moov/udta/meta/ilst
  and moves the sound; the place of recording sits beside it, in moov/udta).
"""

import io
from collections.abc import Iterable
from typing import IO

import mutagen.apev2
import mutagen.id3
from mutagen import MutagenError
from mutagen._riff import RiffFile
from mutagen._util import delete_bytes
from mutagen.mp4._atom import Atom, AtomError, Atoms

from integritas.core.files.streams import CHUNK_BYTES, UnreadableError, chunks, spool

_MAX_ID3_TAGS = 16  # stacked tags at the start of an MP3; more is not a recording
_ID3_FOOTER = b"3DI"
_WAV_KEEP_CHUNKS = frozenset({"fmt", "fact", "data"})  # mutagen strips the ids' spaces
_MP4_TAG_ATOMS = frozenset({b"udta", b"meta", b"uuid", b"Xtra"})


def _copy(stream: IO[bytes]) -> IO[bytes]:
    out = spool()
    stream.seek(0)
    for chunk in chunks(stream):
        out.write(chunk)
    out.seek(0)
    return out


def _copy_range(source: IO[bytes], target: IO[bytes], start: int, length: int) -> None:
    source.seek(start)
    while length > 0:
        chunk = source.read(min(CHUNK_BYTES, length))
        if not chunk:
            raise UnreadableError
        target.write(chunk)
        length -= len(chunk)


def _size(stream: IO[bytes]) -> int:
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    return size


def _starts_with(stream: IO[bytes], prefix: bytes) -> bool:
    stream.seek(0)
    found = stream.read(len(prefix)) == prefix
    stream.seek(0)
    return found


def clean_mp3(stream: IO[bytes]) -> IO[bytes]:
    """Without its ID3v2 tags at the start, the ID3v1 tag and an APEv2 tag at the end."""
    out = _copy(stream)
    try:
        mutagen.apev2.delete(out)
        mutagen.id3.delete(out, delete_v1=True, delete_v2=False)
        for _ in range(_MAX_ID3_TAGS):
            if not _starts_with(out, b"ID3"):
                break
            mutagen.id3.delete(out, delete_v1=False, delete_v2=True)
            if _starts_with(out, _ID3_FOOTER):  # mutagen leaves an ID3v2.4 footer
                delete_bytes(out, 10, 0)
        else:
            raise UnreadableError
    except MutagenError as exc:
        raise UnreadableError from exc
    out.seek(0)
    return out


def clean_wav(stream: IO[bytes]) -> IO[bytes]:
    """Only the format, fact and sound chunks; LIST/INFO, bext, iXML and ID3 chunks go."""
    size = _size(stream)
    try:
        riff = RiffFile(stream)
        kept = [chunk for chunk in riff.root.subchunks() if chunk.id in _WAV_KEEP_CHUNKS]
    except MutagenError as exc:
        raise UnreadableError from exc
    if riff.file_type != "WAVE":
        raise UnreadableError
    body = spool()
    for chunk in kept:
        if chunk.data_offset + chunk.data_size > size:
            raise UnreadableError  # cut off
        body.write(chunk.id.ljust(4).encode("ascii") + chunk.data_size.to_bytes(4, "little"))
        _copy_range(stream, body, chunk.data_offset, min(chunk.size - 8, size - chunk.data_offset))
    out = spool()
    out.write(b"RIFF" + (4 + body.tell()).to_bytes(4, "little") + b"WAVE")
    body.seek(0)
    for part in chunks(body):
        out.write(part)
    out.seek(0)
    return out


def _tag_atoms(atoms: Iterable[Atom], end: int) -> Iterable[Atom]:
    """The tag atoms among `atoms` and inside their containers; each must fit in `end`."""
    for atom in atoms:
        if atom.offset + atom.length > end:
            raise UnreadableError
        if atom.name in _MP4_TAG_ATOMS:
            yield atom
        elif atom.children:
            yield from _tag_atoms(atom.children, atom.offset + atom.length)


def clean_m4a(stream: IO[bytes]) -> IO[bytes]:
    """The recording with its tag atoms (udta, meta, uuid, Xtra) blanked out in place."""
    out = _copy(stream)
    end = _size(out)
    try:
        tags = list(_tag_atoms(Atoms(out).atoms, end))
    except (AtomError, MutagenError, RecursionError) as exc:  # nesting: not a recording
        raise UnreadableError from exc
    for atom in tags:
        out.seek(atom.offset + 4)  # the name follows the 32-bit size, also in 64-bit atoms
        out.write(b"free")
        out.seek(atom.offset + atom.length - atom.datalength)
        remaining = atom.datalength
        while remaining > 0:
            zeros = min(CHUNK_BYTES, remaining)
            out.write(bytes(zeros))
            remaining -= zeros
    out.seek(0)
    return out

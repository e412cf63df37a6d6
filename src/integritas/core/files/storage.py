"""Files stored encrypted in chunks.

The cleaned file is streamed in 1 MiB chunks: each chunk is hashed (sha256 for the
evidence list), handed to the virus scanner (clamd INSTREAM, when configured) and sealed
by the caller under its key holder's data key (core/encryption). The associated data of a
chunk binds the storage name, the chunk index and whether it is the last chunk (`row`
below), and the caller's sealer adds the holder and the field, so reordering, swapping
between files or holders, and truncation all fail to decrypt. Records are length-prefixed
and written to `default_storage` under a random name. Memory stays bounded by the chunk
size; the upload size limit is enforced while reading, whatever the request said.
"""

import hashlib
import struct
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

from integritas.core.crypto import DecryptionError

from .scanning import Scanner, Verdict
from .streams import CHUNK_BYTES, spool

_MAGIC = b"IGA1"  # file format: magic, then records of 4-byte big-endian length + sealed chunk
_LENGTH = struct.Struct(">I")

# (chunk, row) -> sealed chunk, and back: the caller's sealer with its holder and field.
SealChunk = Callable[[bytes, str], bytes]
UnsealChunk = Callable[[bytes, str], bytes]


class SealedFileError(DecryptionError):
    """A stored file is missing, malformed or does not authenticate."""


@dataclass(frozen=True)
class SealedFile:
    storage_name: str
    size: int
    sha256: str
    scan_status: Verdict


def _row(storage_name: str, index: int, final: bool) -> str:
    return f"{storage_name}:{index}:{'final' if final else 'more'}"


def sealed_file_save(stream: IO[bytes], *, prefix: str, seal: SealChunk) -> SealedFile:
    """Seal `stream` chunk by chunk into a new file `<prefix><uuid>`, scanning it meanwhile.

    The file is written at once; should the caller's transaction roll back, it stays
    behind unreferenced, readable by nobody. Errors of reading `stream` (TooLargeError)
    pass on to the caller.
    """
    storage_name = f"{prefix}{uuid.uuid4().hex}"
    digest = hashlib.sha256()
    scanner = Scanner()
    size = 0
    with spool() as sealed:
        sealed.write(_MAGIC)
        index = 0
        try:
            pending = stream.read(CHUNK_BYTES)
            while True:
                following = stream.read(CHUNK_BYTES) if pending else b""
                final = not following
                digest.update(pending)
                scanner.send(pending)
                size += len(pending)
                record = seal(pending, _row(storage_name, index, final))
                sealed.write(_LENGTH.pack(len(record)) + record)
                if final:
                    break
                pending = following
                index += 1
        except BaseException:
            scanner.close()
            raise
        sealed.seek(0)
        saved = default_storage.save(storage_name, File(sealed, name=storage_name))
    if saved != storage_name:  # pragma: no cover - a uuid4 collision
        default_storage.delete(saved)
        raise SealedFileError("storage renamed a file")
    return SealedFile(storage_name, size, digest.hexdigest(), scanner.verdict())


def _records(stream: IO[bytes]) -> Iterator[bytes]:
    while True:
        prefix = stream.read(_LENGTH.size)
        if not prefix:
            return
        if len(prefix) != _LENGTH.size:
            raise SealedFileError("truncated file record")
        length = _LENGTH.unpack(prefix)[0]
        if length > CHUNK_BYTES + 1024:
            raise SealedFileError("malformed file record")
        record = stream.read(length)
        if len(record) != length:
            raise SealedFileError("truncated file record")
        yield record


def _unsealed(storage_name: str, records: Iterable[bytes], unseal: UnsealChunk) -> Iterator[bytes]:
    iterator = iter(records)
    current = next(iterator, None)
    if current is None:
        raise SealedFileError("empty file")
    index = 0
    while current is not None:
        following = next(iterator, None)
        try:
            yield unseal(current, _row(storage_name, index, following is None))
        except DecryptionError as exc:
            raise SealedFileError("file chunk does not authenticate") from exc
        current = following
        index += 1


def sealed_file_open(storage_name: str, *, unseal: UnsealChunk) -> Iterator[bytes]:
    """An iterator of decrypted chunks, for a download response or a scan.

    Raises SealedFileError at once when the file is missing, and possibly part-way when
    it was altered, truncated, reordered or belongs to another holder or file.
    """
    try:
        stream = default_storage.open(storage_name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise SealedFileError("file is missing") from exc

    def generate() -> Iterator[bytes]:
        with stream:
            if stream.read(len(_MAGIC)) != _MAGIC:
                raise SealedFileError("not a sealed file")
            yield from _unsealed(storage_name, _records(stream), unseal)

    return generate()

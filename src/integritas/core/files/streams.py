"""Reading an upload within its size limit, in chunks, and spooling cleaned copies.

Shared by detection, validation, the cleaners and storage, with the errors they raise.
"""

import io
import tempfile
from collections.abc import Iterator
from typing import IO, Any, cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

CHUNK_BYTES = 1024 * 1024
_SPOOL_BYTES = 4 * 1024 * 1024  # cleaned copies larger than this spill to a temporary file


class TooLargeError(Exception):
    pass


class UnreadableError(Exception):
    pass


class UnreadablePdfError(UnreadableError):
    pass


class TooManyPixelsError(Exception):
    pass


def max_bytes() -> int:
    return int(settings.INTEGRITAS_ATTACHMENT_MAX_BYTES)


class StreamView(io.RawIOBase):
    """A seekable view of another binary stream; a subclass says what it may do."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.raw.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.raw.seek(offset, whence)

    def read(self, size: int | None = -1) -> bytes:
        return self.raw.read(-1 if size is None else size)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Bounded(StreamView):
    """A read-only view of an upload that refuses to go past the size limit.

    Django's `upload.size` comes from what it received, but the limit is enforced here on
    every read and seek anyway, so no caller has to trust it.
    """

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        super().__init__(raw)
        self.limit = limit
        raw.seek(0)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = self.raw.seek(offset, whence)
        if position > self.limit:
            raise TooLargeError
        return position

    def read(self, size: int | None = -1) -> bytes:
        start = self.raw.tell()
        if size is None or size < 0:
            size = self.limit + 1 - start
        data = self.raw.read(max(0, min(size, self.limit + 1 - start)))
        if start + len(data) > self.limit:
            raise TooLargeError
        return data


def bounded(upload: UploadedFile, limit: int | None = None) -> IO[bytes]:
    """The upload, refusing to read past `limit` bytes (default: the attachment limit)."""
    return cast(IO[bytes], _Bounded(cast(IO[bytes], upload), limit or max_bytes()))


def chunks(stream: IO[bytes], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    while chunk := stream.read(size):
        yield chunk


def spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)

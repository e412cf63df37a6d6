"""Attachments stored encrypted in chunks.

The cleaned file is streamed in 1 MiB chunks: each chunk is hashed (sha256 for the
evidence list), handed to the virus scanner (clamd INSTREAM, when configured) and sealed
with AES-256-GCM under the case's data key. The associated data binds the case, the
storage name, the chunk index and whether it is the last chunk, so reordering, swapping
between files and truncation all fail to decrypt. Records are length-prefixed and written
to `default_storage` under a random name; the file name itself is sealed in the row.
Memory stays bounded by the chunk size; the upload size limit is enforced while reading,
whatever the request's headers said.
"""

import hashlib
import struct
import uuid
from collections.abc import Iterable, Iterator
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from integritas.cases import vault
from integritas.cases.models import Attachment, Case, CaseMessage
from integritas.core.crypto import DecryptionError

from .cleaning import clean
from .detection import detect_named, display_name
from .scanning import Scanner
from .streams import (
    CHUNK_BYTES,
    TooLargeError,
    TooManyPixelsError,
    UnreadableError,
    UnreadablePdfError,
    bounded,
    max_bytes,
    spool,
)
from .validation import size_label, upload_problem

STORAGE_PREFIX = "attachments/"
_MAGIC = b"IGA1"  # file format: magic, then records of 4-byte big-endian length + sealed chunk
_LENGTH = struct.Struct(">I")
_FIELD = "attachment"
_NAME_FIELD = "attachment_name"


class AttachmentError(DecryptionError):
    """A stored attachment is missing, malformed or does not authenticate."""


def _row(storage_name: str, index: int, final: bool) -> str:
    return f"{storage_name}:{index}:{'final' if final else 'more'}"


def _invalid(message: str) -> ValidationError:
    return ValidationError(message, code="attachment")


def attachment_store(
    *, case: Case, upload: UploadedFile, message: CaseMessage | None = None
) -> Attachment:
    """Check, clean, encrypt and store one file; the caller's transaction covers it.

    Raises ValidationError (Dutch, naming the file) for a file that may not be stored.
    The encrypted file is written before the row; should the caller's transaction roll
    back, an unreferenced `attachments/<uuid>` file stays behind, readable by nobody.
    """
    name = display_name(upload.name)
    problem = upload_problem(upload)
    if problem:
        raise _invalid(problem)
    too_large = _('Het bestand "%(name)s" is groter dan %(max)s.') % {
        "name": name,
        "max": size_label(max_bytes()),
    }
    unreadable = _('Het bestand "%(name)s" kan niet worden gelezen.') % {"name": name}
    stream = bounded(upload)
    try:
        file_type = detect_named(stream, upload.name or "")
        if file_type is None:  # pragma: no cover - upload_problem() said otherwise
            raise UnreadableError
        cleaned = clean(file_type, stream)
    except TooLargeError as exc:
        raise _invalid(too_large) from exc
    except TooManyPixelsError as exc:
        raise _invalid(
            _('De afbeelding "%(name)s" heeft te veel beeldpunten en wordt niet opgeslagen.')
            % {"name": name}
        ) from exc
    except UnreadablePdfError as exc:
        raise _invalid(
            _('Dit PDF-bestand kan niet worden gelezen. Bestand: "%(name)s".') % {"name": name}
        ) from exc
    except UnreadableError as exc:
        raise _invalid(unreadable) from exc

    storage_name = f"{STORAGE_PREFIX}{uuid.uuid4().hex}"
    digest = hashlib.sha256()
    scanner = Scanner()
    size = 0
    try:
        with spool() as sealed:
            sealed.write(_MAGIC)
            index = 0
            pending = cleaned.read(CHUNK_BYTES)
            while True:
                following = cleaned.read(CHUNK_BYTES) if pending else b""
                final = not following
                digest.update(pending)
                scanner.send(pending)
                size += len(pending)
                record = vault.seal_bytes(
                    case, _FIELD, pending, row=_row(storage_name, index, final)
                )
                sealed.write(_LENGTH.pack(len(record)) + record)
                if final:
                    break
                pending = following
                index += 1
            sealed.seek(0)
            saved = default_storage.save(storage_name, File(sealed, name=storage_name))
    except TooLargeError as exc:
        raise _invalid(too_large) from exc
    finally:
        if cleaned is not stream:
            cleaned.close()
        upload.seek(0)
    if saved != storage_name:  # pragma: no cover - a uuid4 collision
        default_storage.delete(saved)
        raise AttachmentError("storage renamed an attachment")
    return Attachment.objects.create(
        case=case,
        message=message,
        filename_enc=vault.seal(case, _NAME_FIELD, name, row=storage_name),
        content_type=file_type.content_type,
        size=size,
        sha256=digest.hexdigest(),
        storage_name=storage_name,
        scan_status=scanner.verdict(),
    )


def attachment_filename(*, case: Case, attachment: Attachment) -> str:
    """The file's name as the reporter gave it (sanitised), decrypted."""
    return (
        vault.unseal(case, _NAME_FIELD, attachment.filename_enc, row=attachment.storage_name)
        or "bijlage"
    )


def _records(stream: IO[bytes]) -> Iterator[bytes]:
    while True:
        prefix = stream.read(_LENGTH.size)
        if not prefix:
            return
        if len(prefix) != _LENGTH.size:
            raise AttachmentError("truncated attachment record")
        length = _LENGTH.unpack(prefix)[0]
        if length > CHUNK_BYTES + 1024:
            raise AttachmentError("malformed attachment record")
        record = stream.read(length)
        if len(record) != length:
            raise AttachmentError("truncated attachment record")
        yield record


def _decrypt_all(case: Case, attachment: Attachment, records: Iterable[bytes]) -> Iterator[bytes]:
    iterator = iter(records)
    current = next(iterator, None)
    if current is None:
        raise AttachmentError("empty attachment")
    index = 0
    while current is not None:
        following = next(iterator, None)
        row = _row(attachment.storage_name, index, following is None)
        try:
            yield vault.unseal_bytes(case, _FIELD, current, row=row)
        except DecryptionError as exc:
            raise AttachmentError("attachment chunk does not authenticate") from exc
        current = following
        index += 1


def attachment_open(*, case: Case, attachment: Attachment) -> Iterator[bytes]:
    """An iterator of decrypted chunks, for a download response.

    Raises AttachmentError (possibly part-way) when the stored file was altered,
    truncated, reordered or belongs to another case.
    """
    if attachment.case_id != case.pk:
        raise AttachmentError("attachment belongs to another case")
    try:
        stream = default_storage.open(attachment.storage_name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise AttachmentError("attachment file is missing") from exc

    def generate() -> Iterator[bytes]:
        with stream:
            if stream.read(len(_MAGIC)) != _MAGIC:
                raise AttachmentError("not an attachment file")
            yield from _decrypt_all(case, attachment, _records(stream))

    return generate()

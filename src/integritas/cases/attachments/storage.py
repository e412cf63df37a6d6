"""A case's attachments: the shared file intake (core/files) under the case's data key.

Every chunk is sealed under the case's data key with the field `attachment`, so its
associated data binds the case, the storage name, the chunk index and whether it is the
last chunk (core/files/storage.py); the file name itself is sealed in the row.

A name such as "verklaring-JanJansen.pdf" can tell who reported (R-WBK-7), so the name
as given is stored only when the reporter chose to keep it; otherwise the row holds a
neutral one, "bijlage-<n>.<extension>", and the name as given is stored nowhere.
"""

from collections.abc import Iterator

from django.core.files.uploadedfile import UploadedFile

from integritas.cases import vault
from integritas.cases.constants import ScanStatus
from integritas.cases.models import Attachment, Case, CaseMessage
from integritas.core.files.intake import upload_store
from integritas.core.files.storage import SealedFileError, sealed_file_open

STORAGE_PREFIX = "attachments/"
_FIELD = "attachment"
_NAME_FIELD = "attachment_name"
# Not translated: it is stored, and every handler sees the same name whatever their language.
NEUTRAL_NAME = "bijlage-{number}.{extension}"

# A stored attachment is missing, malformed or does not authenticate.
AttachmentError = SealedFileError


def attachment_store(
    *,
    case: Case,
    upload: UploadedFile,
    message: CaseMessage | None = None,
    keep_name: bool = False,
) -> Attachment:
    """Check, clean, encrypt and store one file; the caller's transaction covers it.

    The file is stored as "bijlage-<n>.<extension>" (n counts the case's attachments, the
    extension is that of the type found in the content) unless `keep_name`: the
    reporter's explicit choice to keep the name as given (sanitised).
    Raises ValidationError (Dutch, naming the file) for a file that may not be stored.
    The encrypted file is written before the row; should the caller's transaction roll
    back, an unreferenced `attachments/<uuid>` file stays behind, readable by nobody.
    """
    stored = upload_store(
        upload,
        prefix=STORAGE_PREFIX,
        seal=lambda chunk, row: vault.seal_bytes(case, _FIELD, chunk, row=row),
    )
    if keep_name:
        name = stored.name
    else:
        number = Attachment.objects.filter(case=case).count() + 1
        name = NEUTRAL_NAME.format(number=number, extension=stored.extension)
    return Attachment.objects.create(
        case=case,
        message=message,
        filename_enc=vault.seal(case, _NAME_FIELD, name, row=stored.file.storage_name),
        content_type=stored.content_type,
        size=stored.file.size,
        sha256=stored.file.sha256,
        storage_name=stored.file.storage_name,
        scan_status=ScanStatus(stored.file.scan_status),
    )


def attachment_filename(*, case: Case, attachment: Attachment) -> str:
    """The file's name as stored, decrypted: neutral, or as given when the reporter kept it."""
    return (
        vault.unseal(case, _NAME_FIELD, attachment.filename_enc, row=attachment.storage_name)
        or "bijlage"
    )


def attachment_open(*, case: Case, attachment: Attachment) -> Iterator[bytes]:
    """An iterator of decrypted chunks, for a download response or a scan.

    Raises AttachmentError (possibly part-way) when the stored file was altered,
    truncated, reordered or belongs to another case.
    """
    if attachment.case_id != case.pk:
        raise AttachmentError("attachment belongs to another case")
    return sealed_file_open(
        attachment.storage_name,
        unseal=lambda blob, row: vault.unseal_bytes(case, _FIELD, blob, row=row),
    )

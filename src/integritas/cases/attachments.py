"""Attachments: type from content, metadata stripped, encrypted in chunks (stub).

The helper building this module replaces the stub; the signatures are the contract the
intake, mailbox and case pages call.
"""

from typing import Any

from django.core.files.uploadedfile import UploadedFile

from .models import Attachment, Case, CaseMessage


def attachment_validate(files: list[UploadedFile]) -> list[str]:
    """Dutch error messages for files that may not be stored (count, size, type)."""
    return []


def attachment_store(
    *, case: Case, upload: UploadedFile, message: CaseMessage | None = None
) -> Attachment:
    """Check, clean, encrypt and store one file; the caller's transaction covers it."""
    raise NotImplementedError


def attachment_open(*, case: Case, attachment: Attachment) -> Any:
    """An iterator of decrypted chunks, for a download response."""
    raise NotImplementedError

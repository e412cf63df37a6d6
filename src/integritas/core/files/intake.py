"""An upload taken in: checked, its type decided by content, cleaned, sealed and stored.

`upload_cleaned` refuses what may not be stored with a ValidationError whose message
names the file in Dutch (the only error it raises for any content); `upload_store` then
seals the cleaned copy in chunks under the caller's key holder (storage.py). The caller
binds the result to its own row, with the file name sealed there.
"""

from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .cleaning import clean
from .detection import FileType, detect_named, display_name, safe_extension
from .storage import SealChunk, SealedFile, sealed_file_save
from .streams import (
    TooLargeError,
    TooManyPixelsError,
    UnreadableError,
    UnreadablePdfError,
    bounded,
    max_bytes,
)
from .validation import size_label, upload_problem


@dataclass(frozen=True)
class CleanedUpload:
    name: str  # the bare file name as given (display_name), to be sealed by the caller
    file_type: FileType
    stream: IO[bytes]  # the cleaned content (a view of the upload when unchanged); close it


@dataclass(frozen=True)
class StoredUpload:
    name: str  # as given (display_name); the caller decides whether it is kept
    content_type: str
    file: SealedFile
    extension: str  # of the type found in the content, for a neutral name ("pdf", "jpg")


def _invalid(message: str) -> ValidationError:
    return ValidationError(message, code="attachment")


def _too_large(name: str) -> ValidationError:
    return _invalid(
        _('Het bestand "%(name)s" is groter dan %(max)s.')
        % {"name": name, "max": size_label(max_bytes())}
    )


def upload_cleaned(upload: UploadedFile) -> CleanedUpload:
    """The upload's content without identifying metadata; ValidationError (Dutch) if not."""
    name = display_name(upload.name)
    problem = upload_problem(upload)
    if problem:
        raise _invalid(problem)
    stream = bounded(upload)
    try:
        file_type = detect_named(stream, upload.name or "")
        if file_type is None:  # pragma: no cover - upload_problem() said otherwise
            raise UnreadableError
        cleaned = clean(file_type, stream)
    except TooLargeError as exc:
        raise _too_large(name) from exc
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
        raise _invalid(
            _('Het bestand "%(name)s" kan niet worden gelezen.') % {"name": name}
        ) from exc
    finally:
        upload.seek(0)
    return CleanedUpload(name, file_type, cleaned)


def upload_store(upload: UploadedFile, *, prefix: str, seal: SealChunk) -> StoredUpload:
    """Check, clean, seal and store one upload; ValidationError (Dutch) when it may not be.

    Nothing is written for a refused file; the caller's transaction covers its own row.
    """
    cleaned = upload_cleaned(upload)
    try:
        stored = sealed_file_save(cleaned.stream, prefix=prefix, seal=seal)
    except TooLargeError as exc:
        raise _too_large(cleaned.name) from exc
    finally:
        cleaned.stream.close()
        upload.seek(0)
    return StoredUpload(
        cleaned.name,
        cleaned.file_type.content_type,
        stored,
        safe_extension(upload.name, cleaned.file_type),
    )

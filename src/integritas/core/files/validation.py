"""Whether files may be stored: their number, size and type, with the reason in Dutch."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .detection import allowed_types_label, detect_named, display_name
from .streams import TooLargeError, bounded, max_bytes


def _max_files() -> int:
    return int(settings.INTEGRITAS_ATTACHMENT_MAX_FILES)


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MB"
    return f"{max(1, size // 1024)} kB"


def upload_problem(upload: UploadedFile) -> str | None:
    """The Dutch reason this one file may not be stored, or None."""
    name = display_name(upload.name)
    if upload.size is not None and upload.size > max_bytes():
        return _('Het bestand "%(name)s" is groter dan %(max)s.') % {
            "name": name,
            "max": size_label(max_bytes()),
        }
    try:
        stream = bounded(upload)
        if not stream.read(1):
            return _('Het bestand "%(name)s" is leeg.') % {"name": name}
        file_type = detect_named(stream, upload.name or "")
    except TooLargeError:
        return _('Het bestand "%(name)s" is groter dan %(max)s.') % {
            "name": name,
            "max": size_label(max_bytes()),
        }
    finally:
        upload.seek(0)
    if file_type is None:
        return _(
            'Het bestand "%(name)s" heeft een type dat niet is toegestaan, of de inhoud past '
            "niet bij de naam. Toegestaan: %(types)s."
        ) % {"name": name, "types": allowed_types_label()}
    return None


def attachment_validate(files: list[UploadedFile]) -> list[str]:
    """Dutch error messages for files that may not be stored (count, size, type)."""
    errors: list[str] = []
    if len(files) > _max_files():
        errors.append(
            _("U kunt maximaal %(max)d bestanden toevoegen; u koos er %(count)d.")
            % {"max": _max_files(), "count": len(files)}
        )
    for upload in files:
        problem = upload_problem(upload)
        if problem:
            errors.append(problem)
    return errors

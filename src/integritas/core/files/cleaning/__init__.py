"""Metadata that could identify the sender (a reporter), removed before anything is stored.

Images (JPEG, PNG, GIF, WebP) are re-encoded by Pillow without EXIF/XMP/ICC/comments (the
EXIF orientation applied first), PDFs are saved again by pikepdf without their document
information and XMP metadata, `docProps/` goes from Office files, `meta.xml` is emptied
in OpenDocument files, and a forwarded e-mail (EML) keeps only its content headers (From,
To, Cc, Date, Subject and the MIME headers), not the transport trail or the mail client's
marks, in every message attached inside it too, and the files attached to it are cleaned
like uploads (`mail`). Voice messages lose their tags, read by mutagen (ID3 and APEv2 in
MP3, LIST/INFO and similar chunks in WAV, udta/meta atoms in M4A, where a phone may note
the place of recording; `audio`).
Outlook MSG files lose their transport headers, the receiving mailbox and Outlook's named
properties, blanked in place (`msg`).

Whatever the content, `clean` raises only the errors of streams.py: a file that cannot
be read well enough to promise that its metadata is gone is refused, never stored as is.
"""

import zipfile
import zlib
from collections.abc import Callable
from typing import IO

from PIL import Image

from integritas.core.files.detection import FileType, detect
from integritas.core.files.streams import TooManyPixelsError, UnreadableError, chunks, spool

from . import mail, msg
from .audio import clean_m4a, clean_mp3, clean_wav
from .images import PILLOW_FORMATS, clean_image
from .office import clean_zip
from .pdf import clean_pdf

# Forwarded e-mails are rewritten by `mail`; a file attached inside one goes
# through the same cleaner as an upload of its type.
_CLEANED_INSIDE_MAIL = frozenset(
    {*PILLOW_FORMATS, "docx", "xlsx", "pptx", "odt", "ods", "pdf", "msg", "mp3", "wav", "m4a"}
)


# What the readers of the formats raise on a damaged file: a zip entry that does not
# inflate, an encrypted one (RuntimeError), a parser that meets the end of the file.
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,
    OSError,
    SyntaxError,
    RuntimeError,
)


def _clean_eml(stream: IO[bytes], depth: int = 0) -> IO[bytes]:
    out = spool()
    mail.clean_mail(stream, out, clean_part=_clean_mail_part, spool=spool, depth=depth)
    out.seek(0)
    return out


def _clean_msg(stream: IO[bytes]) -> IO[bytes]:
    out = spool()
    stream.seek(0)
    for chunk in chunks(stream):
        out.write(chunk)
    msg.clean_msg(out)  # in place: olefile overwrites streams of the same size
    return out


def _clean_mail_part(content: IO[bytes], declared: str, depth: int) -> IO[bytes] | None:
    """The cleaned copy of a file attached inside an e-mail, or None to keep it as it is."""
    file_type = detect(content)
    if file_type is None:
        return None
    if file_type.key == "eml":
        # A text that merely looks like mail headers stays text.
        return None if declared.startswith("text/") else _clean_eml(content, depth)
    if file_type.key in _CLEANED_INSIDE_MAIL:
        return clean(file_type, content)
    return None


def clean(file_type: FileType, stream: IO[bytes]) -> IO[bytes]:
    """A readable copy of the content without identifying metadata (or the stream itself)."""
    key = file_type.key
    cleaner = _CLEANERS.get(key)
    try:
        if key in PILLOW_FORMATS:
            return clean_image(stream, key)
        if key in _ZIPPED:
            return clean_zip(stream, key)
        if cleaner is not None:
            return cleaner(stream)
    except Image.DecompressionBombError as exc:
        raise TooManyPixelsError from exc
    except _UNREADABLE as exc:
        raise UnreadableError from exc
    stream.seek(0)
    return stream


_ZIPPED = frozenset({"docx", "xlsx", "pptx", "odt", "ods"})
_CLEANERS: dict[str, Callable[[IO[bytes]], IO[bytes]]] = {
    "pdf": clean_pdf,
    "eml": _clean_eml,
    "msg": _clean_msg,
    "mp3": clean_mp3,
    "wav": clean_wav,
    "m4a": clean_m4a,
}

"""Attachments: type from content, metadata stripped, encrypted in chunks.

The type of a file is decided by its content (a small table of magic bytes and container
checks below), and the name's extension must agree with it, so an executable called `.pdf`
or an HTML page called `.png` is refused. Metadata that could identify a reporter is
removed before anything is stored: images (JPEG, PNG, GIF, WebP) are re-encoded by Pillow
without EXIF/XMP/ICC/comments (the EXIF orientation applied first), PDFs are saved again
by pikepdf without their document information and XMP metadata, `docProps/` goes from
Office files, `meta.xml` is emptied in OpenDocument files, and a forwarded e-mail (EML)
keeps only its content headers (From, To, Cc, Date, Subject and the MIME headers), not the
transport trail or the mail client's marks, in every message attached inside it too, and
the files attached to it are cleaned like uploads (`mail_cleaning`). Voice messages lose
their tags (ID3 in MP3, LIST/INFO and similar chunks in WAV, udta/meta atoms in M4A, where
a phone may note the place of recording). Outlook MSG files lose their transport headers,
the receiving mailbox and Outlook's named properties, blanked in place (`msg_cleaning`).

The cleaned file is streamed in 1 MiB chunks: each chunk is hashed (sha256 for the
evidence list), handed to the virus scanner (clamd INSTREAM, when configured) and sealed
with AES-256-GCM under the case's data key. The associated data binds the case, the
storage name, the chunk index and whether it is the last chunk, so reordering, swapping
between files and truncation all fail to decrypt. Records are length-prefixed and written
to `default_storage` under a random name; the file name itself is sealed in the row.
Memory stays bounded by the chunk size; the upload size limit is enforced while reading,
whatever the request's headers said.
"""

import codecs
import hashlib
import io
import logging
import re
import socket
import struct
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, cast

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.core.crypto import DecryptionError

from . import mail_cleaning, msg_cleaning, office_cleaning, vault
from .constants import ScanStatus
from .models import Attachment, Case, CaseMessage

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
STORAGE_PREFIX = "attachments/"
_MAGIC = b"IGA1"  # file format: magic, then records of 4-byte big-endian length + sealed chunk
_LENGTH = struct.Struct(">I")
_SPOOL_BYTES = 4 * 1024 * 1024  # cleaned copies larger than this spill to a temporary file
_FIELD = "attachment"
_NAME_FIELD = "attachment_name"


class AttachmentError(DecryptionError):
    """A stored attachment is missing, malformed or does not authenticate."""


class _TooLargeError(Exception):
    pass


class _UnreadableError(Exception):
    pass


class _UnreadablePdfError(_UnreadableError):
    pass


class _TooManyPixelsError(Exception):
    pass


# --- the type table -----------------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", ("pdf",)),
        FileType("png", "PNG", "image/png", ("png",)),
        FileType("jpeg", "JPEG", "image/jpeg", ("jpg", "jpeg", "jpe", "jfif")),
        FileType("gif", "GIF", "image/gif", ("gif",)),
        FileType("webp", "WebP", "image/webp", ("webp",)),
        FileType(
            "docx",
            "Word",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ("docx",),
        ),
        FileType(
            "xlsx",
            "Excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
        ),
        FileType(
            "pptx",
            "PowerPoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ("pptx",),
        ),
        FileType("odt", "ODT", "application/vnd.oasis.opendocument.text", ("odt",)),
        FileType("ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
        FileType("msg", "Outlook-bericht (MSG)", "application/vnd.ms-outlook", ("msg",)),
        FileType("eml", "e-mail (EML)", "message/rfc822", ("eml",)),
        FileType("text", "tekst", "text/plain", ("txt", "csv")),
        # Voice messages (R-WBK-2).
        FileType("mp3", "MP3", "audio/mpeg", ("mp3",)),
        FileType("m4a", "M4A", "audio/mp4", ("m4a",)),
        FileType("wav", "WAV", "audio/wav", ("wav",)),
    )
}

_OOXML_DIRS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"isom"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MSG_MARKER = "__properties_version1.0".encode("utf-16-le")
_EML_HEADER = re.compile(
    rb"^(received|return-path|from|to|subject|date|message-id|mime-version|delivered-to)"
    rb"[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)
_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|script|svg|iframe|body|\?xml)\b", re.IGNORECASE)
_HEAD_BYTES = 64 * 1024


def allowed_types_label() -> str:
    return ", ".join(t.label for t in TYPES.values())


def _max_bytes() -> int:
    return int(settings.INTEGRITAS_ATTACHMENT_MAX_BYTES)


def _max_files() -> int:
    return int(settings.INTEGRITAS_ATTACHMENT_MAX_FILES)


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MB"
    return f"{max(1, size // 1024)} kB"


class _Bounded(io.RawIOBase):
    """A read-only, seekable view of an upload that refuses to go past the size limit.

    Django's `upload.size` comes from what it received, but the limit is enforced here on
    every read and seek anyway, so no caller has to trust it.
    """

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self.raw = raw
        self.limit = limit
        raw.seek(0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.raw.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = self.raw.seek(offset, whence)
        if position > self.limit:
            raise _TooLargeError
        return position

    def read(self, size: int | None = -1) -> bytes:
        start = self.raw.tell()
        if size is None or size < 0:
            size = self.limit + 1 - start
        data = self.raw.read(max(0, min(size, self.limit + 1 - start)))
        if start + len(data) > self.limit:
            raise _TooLargeError
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _bounded(upload: UploadedFile) -> IO[bytes]:
    return cast(IO[bytes], _Bounded(cast(IO[bytes], upload), _max_bytes()))


def _chunks(stream: IO[bytes], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    while chunk := stream.read(size):
        yield chunk


def _extension(name: str) -> str:
    base = _display_name(name)
    return base.rsplit(".", 1)[-1].casefold() if "." in base else ""


def _display_name(name: str | None) -> str:
    """The bare file name: no directories, no control characters, at most 200 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if c.isprintable() and c not in '"<>|:*?')
    base = base.strip(" .")
    return base[:200] or "bijlage"


def _contains(stream: IO[bytes], needle: bytes) -> bool:
    stream.seek(0)
    tail = b""
    for chunk in _chunks(stream):
        if needle in tail + chunk:
            return True
        tail = chunk[-len(needle) :]
    return False


def _zip_type(stream: IO[bytes]) -> str | None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            names = [info.filename for info in infos]
            if any(name.casefold().endswith("vbaproject.bin") for name in names):
                return None  # macros: never accepted
            if "[Content_Types].xml" in names:
                for prefix, key in _OOXML_DIRS.items():
                    if any(name.startswith(prefix) for name in names):
                        return key
                return None
            if infos and infos[0].filename == "mimetype":
                return _ODF_MIMETYPES.get(archive.read(infos[0]).strip())
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, ValueError):
        return None
    return None


def _is_text(stream: IO[bytes]) -> bool:
    """Valid UTF-8 throughout, no NUL bytes, no markup that a browser would run."""
    stream.seek(0)
    utf8 = codecs.getincrementaldecoder("utf-8")()
    first = True
    for chunk in _chunks(stream):
        if b"\x00" in chunk:
            return False
        if first and _MARKUP.search(chunk[:_HEAD_BYTES]):
            return False
        first = False
        try:
            utf8.decode(chunk)
        except UnicodeDecodeError:
            return False
    try:
        utf8.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _is_eml(head: bytes, stream: IO[bytes]) -> bool:
    if b"\x00" in head:
        return False
    header_block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    found = {m.group(1).lower() for m in _EML_HEADER.finditer(header_block)}
    if not ({b"from", b"subject", b"date", b"received", b"message-id"} & found) or len(found) < 2:
        return False
    stream.seek(0)
    return all(b"\x00" not in chunk for chunk in _chunks(stream))


def detect(stream: IO[bytes]) -> FileType | None:
    """The allowed type this content is, from its bytes alone; None when not allowed."""
    stream.seek(0)
    head = stream.read(_HEAD_BYTES)
    key: str | None = None
    if head.startswith(b"%PDF-"):
        key = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        key = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        key = "jpeg"
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        key = "gif"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        key = "webp"
    elif head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        key = "wav"
    elif head.startswith(b"ID3") or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06
    ):
        key = "mp3"
    elif head[4:8] == b"ftyp" and head[8:12] in _M4A_BRANDS:
        key = "m4a"
    elif head.startswith(b"PK\x03\x04"):
        key = _zip_type(stream)
    elif head.startswith(_OLE2):
        key = "msg" if _contains(stream, _MSG_MARKER) else None
    elif head and _is_eml(head, stream):
        key = "eml"
    elif head and _is_text(stream):
        key = "text"
    stream.seek(0)
    return TYPES[key] if key else None


def detect_named(stream: IO[bytes], name: str) -> FileType | None:
    """The content's type, provided the name's extension agrees with it.

    A text note whose first lines look like mail headers is still text when named .txt.
    """
    file_type = detect(stream)
    extension = _extension(name)
    if file_type is not None and file_type.key == "eml" and extension != "eml":
        file_type = TYPES["text"] if _is_text(stream) else None
        stream.seek(0)
    if file_type is None or extension not in file_type.extensions:
        return None
    return file_type


# --- validation ---------------------------------------------------------------------


def _problem(upload: UploadedFile) -> str | None:
    """The Dutch reason this one file may not be stored, or None."""
    name = _display_name(upload.name)
    if upload.size is not None and upload.size > _max_bytes():
        return _('Het bestand "%(name)s" is groter dan %(max)s.') % {
            "name": name,
            "max": _size_label(_max_bytes()),
        }
    try:
        stream = _bounded(upload)
        if not stream.read(1):
            return _('Het bestand "%(name)s" is leeg.') % {"name": name}
        file_type = detect_named(stream, upload.name or "")
    except _TooLargeError:
        return _('Het bestand "%(name)s" is groter dan %(max)s.') % {
            "name": name,
            "max": _size_label(_max_bytes()),
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
        problem = _problem(upload)
        if problem:
            errors.append(problem)
    return errors


# --- metadata stripping -------------------------------------------------------------


def _spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)


# Images are decoded and encoded again by Pillow, so nothing but the pixels survives:
# no EXIF/XMP/IPTC, no ICC profile, no comments or text chunks. The EXIF orientation is
# applied to the pixels first, so a photo does not end up on its side. Only these keys
# of `Image.info` are passed on: they describe the picture, not its maker.
_PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
_IMAGE_INFO_KEEP = ("transparency", "duration", "loop", "background", "disposal")


def _bare(frame: Image.Image) -> Image.Image:
    copy = frame.copy()
    copy.info = {key: frame.info[key] for key in _IMAGE_INFO_KEEP if key in frame.info}
    return copy


def _clean_image(stream: IO[bytes], key: str) -> IO[bytes]:
    stream.seek(0)
    file_format = _PILLOW_FORMATS[key]
    with Image.open(stream, formats=[file_format]) as image:
        frames = getattr(image, "n_frames", 1)
        limit = Image.MAX_IMAGE_PIXELS
        if limit is not None and image.width * image.height * frames > limit:
            raise Image.DecompressionBombError("too many pixels")
        if frames == 1:
            pictures = [_bare(ImageOps.exif_transpose(image))]
        else:  # an animation: every frame, without the metadata
            pictures = [_bare(frame) for frame in ImageSequence.Iterator(image)]
    out = _spool()
    options: dict[str, Any] = {"format": file_format}
    if key == "jpeg":
        options["quality"] = 92
    if len(pictures) > 1:
        durations = [int(picture.info.get("duration") or 100) for picture in pictures]
        loop = int(pictures[0].info.get("loop", 0))
        options.update(save_all=True, append_images=pictures[1:], duration=durations, loop=loop)
    pictures[0].save(out, **options)
    out.seek(0)
    return out


_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_OOXML_REL = re.compile(rb"<Relationship\b[^>]*Target=\"/?docProps/[^\"]*\"[^>]*/>")
_OOXML_OVERRIDE = re.compile(rb"<Override\b[^>]*PartName=\"/docProps/[^\"]*\"[^>]*/>")
_ODF_EMPTY_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    b' office:version="1.2"><office:meta/></office:document-meta>'
)


def _clean_zip(stream: IO[bytes], key: str) -> IO[bytes]:
    """Rebuild an Office/OpenDocument zip without its document properties.

    OOXML: `docProps/` (core, app and custom properties: author, company, edit times)
    goes, with its relationships and content-type overrides. ODF: `meta.xml` is replaced
    by an empty one (the manifest still lists it). Entry times are zeroed. The authors of
    comments and tracked changes are blanked (`office_cleaning`).
    """
    out = _spool()
    stream.seek(0)
    budget = 20 * _max_bytes()  # guards against zip bombs
    with zipfile.ZipFile(stream) as source, zipfile.ZipFile(out, "w") as target:
        infos = source.infolist()
        if sum(info.file_size for info in infos) > budget or len(infos) > 10_000:
            raise _UnreadableError
        for info in infos:
            name = info.filename
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _UnreadableError
            if key in _OOXML_DIRS.values() and name.startswith("docProps/"):
                continue
            entry = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = info.compress_type
            entry.external_attr = 0o644 << 16
            if name in ("_rels/.rels", "[Content_Types].xml") or (
                name == "meta.xml" and key in ("odt", "ods")
            ):
                data = source.read(info)
                if name == "_rels/.rels":
                    data = _OOXML_REL.sub(b"", data)
                elif name == "[Content_Types].xml":
                    data = _OOXML_OVERRIDE.sub(b"", data)
                else:
                    data = _ODF_EMPTY_META
                target.writestr(entry, data)
                continue
            with source.open(info) as reader, target.open(entry, "w") as writer:
                parts = (
                    office_cleaning.scrubbed(reader, name)
                    if office_cleaning.scrubs(name)
                    else _chunks(reader)
                )
                for chunk in parts:
                    writer.write(chunk)
    out.seek(0)
    return out


def _annotation_authors_removed(page: Any) -> None:
    """A comment or highlight in a PDF carries its author's name in `/T`; a form field
    uses `/T` for the field's name, so widgets keep it."""
    for annotation in page.get("/Annots", None) or []:
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        if annotation.get("/Subtype") != pikepdf.Name.Widget and "/T" in annotation:
            del annotation.T


def _clean_pdf(stream: IO[bytes]) -> IO[bytes]:
    """The PDF saved again by pikepdf without its document information and XMP metadata.

    The document information dictionary (`/Info`: author, creator tool, dates) and the XMP
    packet of the catalogue go, and so do the XMP packets and application data
    (`/PieceInfo`) of the pages, also when they sat in compressed object streams: pikepdf
    writes only the objects that are still referenced. Annotations lose their author.
    """
    stream.seek(0)
    data = stream.read()  # bounded by the attachment limit
    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            if "/Info" in document.trailer:
                del document.trailer.Info
            if "/Metadata" in document.Root:
                del document.Root.Metadata
            for page in document.pages:
                for key in ("/Metadata", "/PieceInfo"):
                    if key in page.obj:
                        del page.obj[key]
                _annotation_authors_removed(page.obj)
            out = _spool()
            document.save(cast(BinaryIO, out))
    except (pikepdf.PdfError, pikepdf.PasswordError) as exc:
        raise _UnreadablePdfError from exc
    out.seek(0)
    return out


# Forwarded e-mails are rewritten by `mail_cleaning`; a file attached inside one goes
# through the same cleaner as an upload of its type.
_CLEANED_INSIDE_MAIL = frozenset(
    {*_PILLOW_FORMATS, "docx", "xlsx", "pptx", "odt", "ods", "pdf", "msg", "mp3", "wav", "m4a"}
)


def _clean_eml(stream: IO[bytes], depth: int = 0) -> IO[bytes]:
    out = _spool()
    mail_cleaning.clean_mail(stream, out, clean_part=_clean_mail_part, spool=_spool, depth=depth)
    out.seek(0)
    return out


def _clean_msg(stream: IO[bytes]) -> IO[bytes]:
    out = _spool()
    stream.seek(0)
    for chunk in _chunks(stream):
        out.write(chunk)
    msg_cleaning.clean_msg(out)  # in place: olefile overwrites streams of the same size
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
        return _clean(file_type, content)
    return None


# --- audio (voice messages, R-WBK-2) -------------------------------------------------
# A recording made on a phone can carry the device, the owner's name and even the place
# it was made (the iPhone's ©xyz). Tags go; the sound stays byte for byte.

_WAV_KEEP_CHUNKS = frozenset({b"fmt ", b"fact", b"data"})
# MP4 atoms that hold tags or vendor data, and the containers they may sit in.
_MP4_TAG_ATOMS = frozenset({b"udta", b"meta", b"uuid", b"Xtra"})
_MP4_CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"edts"})


def _copy_range(source: IO[bytes], target: IO[bytes], length: int) -> None:
    while length > 0:
        chunk = source.read(min(CHUNK_BYTES, length))
        if not chunk:
            raise _UnreadableError
        target.write(chunk)
        length -= len(chunk)


def _stream_size(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _clean_mp3(stream: IO[bytes]) -> IO[bytes]:
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
            raise _UnreadableError  # not a syncsafe size
        length = (tag[0] << 21) | (tag[1] << 14) | (tag[2] << 7) | tag[3]
        footer = 10 if header[5] & 0x10 else 0
        start += 10 + length + footer
    end = size
    if size - start >= 128:
        stream.seek(size - 128)
        if stream.read(3) == b"TAG":
            end = size - 128
    if start > end:
        raise _UnreadableError
    out = _spool()
    stream.seek(start)
    _copy_range(stream, out, end - start)
    out.seek(0)
    return out


def _clean_wav(stream: IO[bytes]) -> IO[bytes]:
    """Only the format, fact and sound chunks; LIST/INFO, bext, iXML and ID3 chunks go."""
    size = _stream_size(stream)
    header = stream.read(12)
    if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
        raise _UnreadableError
    body = _spool()
    position = 12
    while position + 8 <= size:
        stream.seek(position)
        chunk_id, length = stream.read(4), int.from_bytes(stream.read(4), "little")
        padded = length + (length & 1)
        if position + 8 + length > size:
            raise _UnreadableError
        if chunk_id in _WAV_KEEP_CHUNKS:
            body.write(chunk_id + length.to_bytes(4, "little"))
            _copy_range(stream, body, min(padded, size - position - 8))
        position += 8 + padded
    out = _spool()
    out.write(b"RIFF" + (4 + body.tell()).to_bytes(4, "little") + b"WAVE")
    body.seek(0)
    for chunk in _chunks(body):
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
            raise _UnreadableError
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


def _clean_m4a(stream: IO[bytes]) -> IO[bytes]:
    """The recording with its tag atoms (udta, meta, uuid) blanked out."""
    out = _spool()
    stream.seek(0)
    for chunk in _chunks(stream):
        out.write(chunk)
    _free_mp4_tags(out, 0, out.tell())
    out.seek(0)
    return out


def _clean(file_type: FileType, stream: IO[bytes]) -> IO[bytes]:
    """A readable copy of the content without identifying metadata (or the stream itself)."""
    try:
        if file_type.key in _PILLOW_FORMATS:
            return _clean_image(stream, file_type.key)
        if file_type.key in ("docx", "xlsx", "pptx", "odt", "ods"):
            return _clean_zip(stream, file_type.key)
        if file_type.key == "pdf":
            return _clean_pdf(stream)
        if file_type.key == "eml":
            return _clean_eml(stream)
        if file_type.key == "msg":
            return _clean_msg(stream)
        if file_type.key == "mp3":
            return _clean_mp3(stream)
        if file_type.key == "wav":
            return _clean_wav(stream)
        if file_type.key == "m4a":
            return _clean_m4a(stream)
    except Image.DecompressionBombError as exc:
        raise _TooManyPixelsError from exc
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, SyntaxError) as exc:
        raise _UnreadableError from exc
    stream.seek(0)
    return stream


# --- virus scan (clamd INSTREAM) ----------------------------------------------------


class _Scanner:
    """Streams the plaintext to clamd while it is stored; the verdict comes at the end.

    Without INTEGRITAS_CLAMD_SOCKET, or when clamd cannot be reached, the status stays
    pending: the download page warns about such files.
    """

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        address = settings.INTEGRITAS_CLAMD_SOCKET
        if not address:
            return
        try:
            self.sock = _clamd_connect(address)
            self.sock.sendall(b"zINSTREAM\0")
        except OSError:
            logger.warning("clamd is not reachable; attachment scan stays pending")
            self._close()

    def send(self, chunk: bytes) -> None:
        if self.sock is None:
            return
        try:
            for start in range(0, len(chunk), 64 * 1024):
                part = chunk[start : start + 64 * 1024]
                self.sock.sendall(_LENGTH.pack(len(part)) + part)
        except OSError:
            logger.warning("clamd closed the stream; attachment scan stays pending")
            self._close()

    def verdict(self) -> str:
        if self.sock is None:
            return ScanStatus.PENDING
        try:
            self.sock.sendall(_LENGTH.pack(0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = self.sock.recv(4096)
                if not data:
                    break
                reply += data
        except OSError:
            logger.warning("clamd gave no answer; attachment scan stays pending")
            return ScanStatus.PENDING
        finally:
            self._close()
        return _clamd_status(reply)

    def _close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None


def _clamd_connect(address: str) -> socket.socket:
    timeout = float(settings.INTEGRITAS_CLAMD_TIMEOUT)
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _, port = address.rpartition(":")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def _clamd_status(reply: bytes) -> str:
    text = reply.rstrip(b"\0").strip()
    if text.endswith(b" FOUND"):
        return ScanStatus.INFECTED
    if text.endswith(b": OK"):
        return ScanStatus.CLEAN
    logger.warning("clamd could not scan an attachment; scan stays pending")
    return ScanStatus.PENDING


# --- storing and opening ------------------------------------------------------------


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
    name = _display_name(upload.name)
    problem = _problem(upload)
    if problem:
        raise _invalid(problem)
    too_large = _('Het bestand "%(name)s" is groter dan %(max)s.') % {
        "name": name,
        "max": _size_label(_max_bytes()),
    }
    unreadable = _('Het bestand "%(name)s" kan niet worden gelezen.') % {"name": name}
    stream = _bounded(upload)
    try:
        file_type = detect_named(stream, upload.name or "")
        if file_type is None:  # pragma: no cover - _problem() said otherwise
            raise _UnreadableError
        cleaned = _clean(file_type, stream)
    except _TooLargeError as exc:
        raise _invalid(too_large) from exc
    except _TooManyPixelsError as exc:
        raise _invalid(
            _('De afbeelding "%(name)s" heeft te veel beeldpunten en wordt niet opgeslagen.')
            % {"name": name}
        ) from exc
    except _UnreadablePdfError as exc:
        raise _invalid(
            _('Dit PDF-bestand kan niet worden gelezen. Bestand: "%(name)s".') % {"name": name}
        ) from exc
    except _UnreadableError as exc:
        raise _invalid(unreadable) from exc

    storage_name = f"{STORAGE_PREFIX}{uuid.uuid4().hex}"
    digest = hashlib.sha256()
    scanner = _Scanner()
    size = 0
    try:
        with _spool() as sealed:
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
    except _TooLargeError as exc:
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


def attachments_scan_pending() -> dict[str, int]:
    """Scan again every attachment still pending because clamd was down when it came in.

    Returns how many ended up in each state. Stops as soon as clamd cannot be reached, so
    the next run tries again; a file that fails to decrypt is left pending and logged by
    id only. Every verdict is an audit event without a name or content.
    """
    tally: dict[str, int] = {}
    if not settings.INTEGRITAS_CLAMD_SOCKET:
        return tally
    pending = Attachment.objects.filter(scan_status=ScanStatus.PENDING).select_related(
        "case", "case__organisation"
    )
    for attachment in pending.order_by("pk").iterator():
        scanner = _Scanner()
        if scanner.sock is None:  # clamd unreachable: the rest waits for the next run
            left = pending.filter(pk__gte=attachment.pk).count()
            tally[ScanStatus.PENDING] = tally.get(ScanStatus.PENDING, 0) + left
            break
        try:
            for chunk in attachment_open(case=attachment.case, attachment=attachment):
                scanner.send(chunk)
        except AttachmentError:
            scanner._close()
            logger.warning("Attachment %d could not be decrypted for a scan.", attachment.pk)
            continue
        status = scanner.verdict()
        tally[status] = tally.get(status, 0) + 1
        if status == ScanStatus.PENDING:
            continue
        with transaction.atomic():
            updated = Attachment.objects.filter(
                pk=attachment.pk, scan_status=ScanStatus.PENDING
            ).update(scan_status=status)
            if updated:
                audit_record(
                    action=f"attachment.scan_{status}",
                    object_type="cases.attachment",
                    object_id=attachment.pk,
                    organisation=attachment.case.organisation,
                    origin=Origin.SYSTEM,
                )
    return tally

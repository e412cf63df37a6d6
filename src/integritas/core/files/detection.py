"""The type of a file, decided by its content.

A small table of magic bytes and container checks; the name's extension must agree with
the content, so an executable called `.pdf` or an HTML page called `.png` is refused.
"""

import codecs
import re
import zipfile
from dataclasses import dataclass
from typing import IO

from .streams import chunks

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

OOXML_DIRS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
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


def _extension(name: str) -> str:
    base = display_name(name)
    return base.rsplit(".", 1)[-1].casefold() if "." in base else ""


def safe_extension(name: str | None, file_type: FileType) -> str:
    """The extension a stored file of this type gets: the name's own when it is one of
    the type's (detection made sure it agrees with the content), else the type's first."""
    extension = _extension(name or "")
    return extension if extension in file_type.extensions else file_type.extensions[0]


def display_name(name: str | None) -> str:
    """The bare file name: no directories, no control characters, at most 200 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if c.isprintable() and c not in '"<>|:*?')
    base = base.strip(" .")
    return base[:200] or "bijlage"


def _contains(stream: IO[bytes], needle: bytes) -> bool:
    stream.seek(0)
    tail = b""
    for chunk in chunks(stream):
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
                for prefix, key in OOXML_DIRS.items():
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
    for chunk in chunks(stream):
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
    return all(b"\x00" not in chunk for chunk in chunks(stream))


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

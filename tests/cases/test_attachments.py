"""Attachments: type from content, metadata stripped, chunked encryption, scan, download.

Issue 3 "Attachments"; R-WBK-2 (voice messages), R-WBK-7 / R-DP-3 (need to know),
R-BIO-1 (every download audited).
"""

import hashlib
import io
import socket
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import ExifTags, Image

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import services
from integritas.cases.attachments import detection
from integritas.cases.attachments.storage import (
    AttachmentError,
    attachment_filename,
    attachment_open,
    attachment_store,
)
from integritas.cases.attachments.validation import attachment_validate
from integritas.cases.constants import ScanStatus
from integritas.organisations.models import Employee
from tests.conftest import login_with_second_factor

from .compound_file import compound_file
from .factories import submit_case

CANARY = b"KANARIE-7f3a9c-geheim"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


# --- sample files ---------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png(text: bytes = CANARY) -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"tEXt", b"Author\x00" + text)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + _png_chunk(b"IEND", b"")
    )


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def picture(size: tuple[int, int] = (8, 4)) -> Image.Image:
    # Left half red, right half blue, so a rotation can be seen in the pixels.
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KanarieCam"
    exif[ExifTags.Base.Model] = CANARY.decode()
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (52.0, 9.0, 36.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (4.0, 29.0, 24.0),
        }
    )
    return exif


XMP = _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + CANARY)
COMMENT = _segment(0xFE, CANARY)


def jpeg(orientation: int = 1, size: tuple[int, int] = (8, 4)) -> bytes:
    buffer = io.BytesIO()
    picture(size).save(buffer, format="JPEG", exif=camera_exif(orientation), quality=95)
    data = buffer.getvalue()
    return data[:2] + XMP + COMMENT + data[2:]  # XMP and a comment after SOI


def webp() -> bytes:
    buffer = io.BytesIO()
    picture().save(buffer, format="WEBP", exif=camera_exif(), xmp=b"<x:xmpmeta>" + CANARY)
    return buffer.getvalue()


def gif() -> bytes:
    # An animation of two frames, with a comment.
    first, second = picture(), picture().transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    buffer = io.BytesIO()
    first.save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=[second],
        duration=[100, 250],
        loop=0,
        comment=CANARY,
    )
    return buffer.getvalue()


def pdf(author: bytes = CANARY, *, compressed: bool = False) -> bytes:
    document = pikepdf.new()
    document.add_blank_page(page_size=(200, 100))
    document.docinfo["/Author"] = author.decode()
    with document.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [author.decode()]
    document.pages[0].obj.Metadata = document.make_stream(b"<x:xmpmeta>" + author)
    document.pages[0].obj.PieceInfo = pikepdf.Dictionary(
        Word=pikepdf.Dictionary(Private=pikepdf.String(author.decode()))
    )
    buffer = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if compressed else pikepdf.ObjectStreamMode.disable
    document.save(buffer, object_stream_mode=mode, compress_streams=compressed)
    return buffer.getvalue()


def ooxml(kind: str = "word") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxml'
            'formats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.custom-properties+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            f'Target="{kind}/document.xml"/><Relationship Id="rId2" Type="http://schemas.'
            'openxmlformats.org/package/2006/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>',
        )
        z.writestr(f"{kind}/document.xml", "<document>Inhoud van het verslag</document>")
        z.writestr("docProps/core.xml", b"<dc:creator>" + CANARY + b"</dc:creator>")
        z.writestr("docProps/custom.xml", b"<property>" + CANARY + b"</property>")
    return buffer.getvalue()


def odf(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        z.writestr("meta.xml", b"<meta:initial-creator>" + CANARY + b"</meta:initial-creator>")
    return buffer.getvalue()


def msg() -> bytes:
    return compound_file(
        {
            "__properties_version1.0": b"\x00" * 32,
            "__substg1.0_0037001F": "Hallo".encode("utf-16-le"),
        }
    )


EML = b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Hallo\r\n\r\nTekst van de mail\r\n"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\x00" * 100
M4A = b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom" + b"\x00" * 40
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 28


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def case(organisation):
    return submit_case(organisation).case


def stored_bytes(attachment) -> bytes:
    with default_storage.open(attachment.storage_name, "rb") as handle:
        return handle.read()


def replace_stored(attachment, data: bytes) -> None:
    default_storage.delete(attachment.storage_name)
    assert default_storage.save(attachment.storage_name, ContentFile(data)) == (
        attachment.storage_name
    )


def records(data: bytes) -> list[bytes]:
    out, pos = [], 4
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        out.append(data[pos : pos + 4 + length])
        pos += 4 + length
    return out


def read_back(case, attachment) -> bytes:
    return b"".join(attachment_open(case=case, attachment=attachment))


# --- types ------------------------------------------------------------------------

ALLOWED = [
    ("verslag.pdf", pdf(), "application/pdf"),
    ("foto.png", png(), "image/png"),
    ("foto.JPG", jpeg(), "image/jpeg"),
    ("animatie.gif", gif(), "image/gif"),
    ("foto.webp", webp(), "image/webp"),
    (
        "verslag.docx",
        ooxml("word"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "lijst.xlsx",
        ooxml("xl"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "dia.pptx",
        ooxml("ppt"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("verslag.odt", odf(), "application/vnd.oasis.opendocument.text"),
    (
        "lijst.ods",
        odf(b"application/vnd.oasis.opendocument.spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    ("bericht.msg", msg(), "application/vnd.ms-outlook"),
    ("bericht.eml", EML, "message/rfc822"),
    ("notitie.txt", "Geen opmaak, wel één accent.\n".encode(), "text/plain"),
    ("cijfers.csv", b"a;b\n1;2\n", "text/plain"),
    # R-WBK-2: a report may be a voice message.
    ("spraak.mp3", MP3, "audio/mpeg"),
    ("spraak.m4a", M4A, "audio/mp4"),
    ("spraak.wav", WAV, "audio/wav"),
]


@pytest.mark.parametrize(("name", "content", "content_type"), ALLOWED)
def test_allowed_types_pass_and_are_recognised_by_content(name, content, content_type, case):
    assert attachment_validate([upload(name, content)]) == []
    stored = attachment_store(case=case, upload=upload(name, content))
    assert stored.content_type == content_type


DISGUISED = [
    ("rapport.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
    ("foto.png", b"<html><body><script>alert(1)</script></body></html>"),
    ("notitie.txt", b"<!DOCTYPE html><html><script>alert(1)</script>"),
    ("tekening.txt", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("foto.png", pdf()),  # a real PDF, but the name says otherwise
    ("verslag.docx", odf()),
    ("kapot.docx", b"PK\x03\x04" + b"\x00" * 30),  # broken zip
    ("binair.txt", b"tekst\x00met nul"),
    ("latin1.txt", "café".encode("latin-1")),
    ("oud.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # OLE2, not a MSG
    ("script.sh", b"#!/bin/sh\nrm -rf /\n"),
]


@pytest.mark.parametrize(("name", "content"), DISGUISED)
def test_disguised_and_unknown_files_are_refused(name, content, case):
    errors = attachment_validate([upload(name, content)])
    assert len(errors) == 1
    assert "niet is toegestaan" in errors[0] and name in errors[0]
    with pytest.raises(ValidationError):
        attachment_store(case=case, upload=upload(name, content))
    assert not case.attachments.exists()


def test_text_that_looks_like_mail_headers_is_text(case):
    note = upload("aantekening.txt", b"From: mijn leidinggevende\nSubject: de reis\n\nTekst")
    assert attachment_validate([note]) == []
    assert attachment_store(case=case, upload=note).content_type == "text/plain"


def test_office_macros_are_refused():
    buffer = io.BytesIO(ooxml("word"))
    with zipfile.ZipFile(buffer, "a") as z:
        z.writestr("word/vbaProject.bin", b"\x00macro")
    assert attachment_validate([upload("macro.docx", buffer.getvalue())])


def test_empty_file_is_refused():
    assert attachment_validate([upload("leeg.txt", b"")]) == ['Het bestand "leeg.txt" is leeg.']


def test_too_many_files(settings):
    files = [upload(f"n{i}.txt", b"tekst") for i in range(11)]
    errors = attachment_validate(files)
    assert errors == ["U kunt maximaal 10 bestanden toevoegen; u koos er 11."]
    settings.INTEGRITAS_ATTACHMENT_MAX_FILES = 2
    assert attachment_validate(files[:2]) == []
    assert attachment_validate(files[:3])


def test_oversize_refused_while_reading_whatever_the_size_claims(settings, case):
    settings.INTEGRITAS_ATTACHMENT_MAX_BYTES = 1000
    assert attachment_validate([upload("groot.txt", b"a" * 1000)]) == []
    honest = upload("groot.txt", b"a" * 1001)
    assert attachment_validate([honest]) == ['Het bestand "groot.txt" is groter dan 1 kB.']
    lying = upload("groot.txt", b"a" * 5000)
    lying.size = 10  # the declared size is not trusted
    assert attachment_validate([lying]) == ['Het bestand "groot.txt" is groter dan 1 kB.']
    with pytest.raises(ValidationError, match="groter dan"):
        attachment_store(case=case, upload=lying)
    # An archive, whose reader seeks to the end first, is caught the same way.
    zipped = upload("groot.docx", ooxml("word") + b"\x00" * 2000)
    zipped.size = 10
    assert "groter dan" in attachment_validate([zipped])[0]
    assert not case.attachments.exists()


def test_file_names_are_sanitised_in_messages():
    errors = attachment_validate([upload('../../etc/"pass\nwd".exe', b"MZ")])
    assert errors and "../" not in errors[0] and "\n" not in errors[0]


# --- metadata ---------------------------------------------------------------------


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_jpeg_exif_xmp_and_comments_are_removed(case):
    stored = attachment_store(case=case, upload=upload("foto.jpg", jpeg()))
    data = read_back(case, stored)
    assert CANARY not in data and b"Exif" not in data and b"KanarieCam" not in data
    assert b"http://ns.adobe.com/xap" not in data
    image = decoded(data)
    assert image.format == "JPEG" and image.size == (8, 4)
    assert not image.getexif() and "exif" not in image.info
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()


def test_jpeg_orientation_is_applied_before_exif_goes(case):
    # A phone photo stored landscape with "rotate 90° clockwise" (6) in its EXIF, with
    # camera and GPS data: it comes out upright, and without any of that data.
    original = jpeg(orientation=6, size=(8, 4))
    assert decoded(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    stored = attachment_store(case=case, upload=upload("foto.jpg", original))
    data = read_back(case, stored)
    assert CANARY not in data and b"KanarieCam" not in data and b"Exif" not in data
    image = decoded(data).convert("RGB")
    assert image.size == (4, 8)  # turned: portrait now
    assert not image.getexif()
    red, blue = image.getpixel((2, 1)), image.getpixel((2, 6))
    assert red[0] > 200 and red[2] < 60  # the left (red) half is now on top
    assert blue[2] > 200 and blue[0] < 60


def test_decompression_bomb_is_refused(case, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 16)
    bomb = upload("bom.png", _png_bytes(picture((8, 8))))
    assert attachment_validate([bomb]) == []  # the type is fine ...
    with pytest.raises(ValidationError, match="te veel beeldpunten"):
        attachment_store(case=case, upload=bomb)  # ... the pixel count is not
    assert not case.attachments.exists()


def test_real_size_decompression_bomb_is_refused(case):
    # A tiny PNG announcing far more pixels than Pillow's default limit.
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + _png_chunk(b"IEND", b"")
    )
    with pytest.raises(ValidationError, match="te veel beeldpunten"):
        attachment_store(case=case, upload=upload("bom.png", bomb))


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_png_text_chunks_are_removed(case):
    stored = attachment_store(case=case, upload=upload("foto.png", png()))
    data = read_back(case, stored)
    assert CANARY not in data and b"tEXt" not in data
    assert b"IHDR" in data and data.endswith(_png_chunk(b"IEND", b""))


def test_webp_exif_and_xmp_are_removed(case):
    original = webp()
    assert CANARY in original and b"EXIF" in original
    stored = attachment_store(case=case, upload=upload("foto.webp", original))
    data = read_back(case, stored)
    assert CANARY not in data and b"EXIF" not in data and b"XMP " not in data
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8
    if data[12:16] == b"VP8X":
        assert data[20] & 0x0C == 0  # VP8X announces neither EXIF nor XMP
    assert decoded(data).size == (8, 4)


def test_gif_comment_is_removed_and_the_animation_kept(case):
    original = gif()
    assert CANARY in original
    stored = attachment_store(case=case, upload=upload("animatie.gif", original))
    data = read_back(case, stored)
    assert CANARY not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "GIF" and image.n_frames == 2
    image.seek(1)
    assert image.info["duration"] == 250


def test_broken_image_is_refused(case):
    broken = upload("foto.png", png()[:40])
    with pytest.raises(ValidationError, match="kan niet worden gelezen"):
        attachment_store(case=case, upload=broken)


def test_docx_document_properties_are_removed(case):
    stored = attachment_store(case=case, upload=upload("verslag.docx", ooxml("word")))
    data = read_back(case, stored)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert not [n for n in names if n.startswith("docProps/")]
        assert b"docProps" not in z.read("_rels/.rels")
        assert b"docProps" not in z.read("[Content_Types].xml")
        assert z.read("word/document.xml") == b"<document>Inhoud van het verslag</document>"
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in z.infolist())
    assert CANARY not in data


def test_odt_meta_is_emptied_and_mimetype_stays_first(case):
    stored = attachment_store(case=case, upload=upload("verslag.odt", odf()))
    data = read_back(case, stored)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert CANARY not in z.read("meta.xml")
    assert detection.detect(io.BytesIO(data)).key == "odt"


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "object-streams"])
def test_pdf_info_and_xmp_are_removed(case, compressed):
    original = pdf(compressed=compressed)
    with pikepdf.open(io.BytesIO(original)) as before:
        assert str(before.docinfo["/Author"]) == CANARY.decode()
        assert "/Metadata" in before.Root
    if compressed:
        assert b"/Author" not in original  # /Info sits inside a compressed object stream
    stored = attachment_store(case=case, upload=upload("verslag.pdf", original))
    data = read_back(case, stored)
    assert CANARY not in data
    with pikepdf.open(io.BytesIO(data)) as after:
        assert "/Info" not in after.trailer
        assert "/Metadata" not in after.Root
        assert len(after.pages) == 1
        page = after.pages[0].obj
        assert "/Metadata" not in page and "/PieceInfo" not in page
        for obj in after.objects:  # nothing left over, not even unreferenced
            if isinstance(obj, pikepdf.Stream):
                assert CANARY not in obj.read_bytes()
            elif isinstance(obj, pikepdf.Dictionary):
                assert "/Author" not in obj


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\n" + b"\x00rommel" * 20, b"%PDF-1.4\n%%EOF\n"],
    ids=["garbage", "empty"],
)
def test_unreadable_pdf_is_refused(case, content):
    assert attachment_validate([upload("kapot.pdf", content)]) == []
    with pytest.raises(ValidationError) as raised:
        attachment_store(case=case, upload=upload("kapot.pdf", content))
    assert "Dit PDF-bestand kan niet worden gelezen." in raised.value.messages[0]
    assert "kapot.pdf" in raised.value.messages[0]
    assert not case.attachments.exists()


# --- encryption -------------------------------------------------------------------


def test_stored_bytes_hold_neither_content_nor_name(case):
    name = "klacht-over-jansen.txt"
    content = b"Wat er gebeurde: " + CANARY + b"\n"
    stored = attachment_store(case=case, upload=upload(name, content))
    raw = stored_bytes(stored)
    assert CANARY not in raw and name.encode() not in raw
    assert b"jansen" not in bytes(stored.filename_enc)
    assert stored.storage_name.startswith("attachments/") and "jansen" not in stored.storage_name
    assert attachment_filename(case=case, attachment=stored) == name
    assert read_back(case, stored) == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()


@pytest.fixture
def big(case):
    # Three chunks: 1 MiB, 1 MiB and the rest, so memory stays bounded per chunk.
    content = (b"regel met tekst " * 65536 * 2) + b"einde"
    return attachment_store(case=case, upload=upload("groot.txt", content)), content


def test_round_trip_in_chunks(case, big):
    stored, content = big
    chunks = list(attachment_open(case=case, attachment=stored))
    assert [len(c) for c in chunks] == [1024 * 1024, 1024 * 1024, 5]
    assert b"".join(chunks) == content


def test_tampered_chunk_is_detected(case, big):
    stored, _ = big
    raw = bytearray(stored_bytes(stored))
    raw[100] ^= 0x01
    replace_stored(stored, bytes(raw))
    with pytest.raises(AttachmentError):
        read_back(case, stored)


def test_reordered_and_truncated_chunks_are_detected(case, big):
    stored, _ = big
    raw = stored_bytes(stored)
    first, second, third = records(raw)
    replace_stored(stored, raw[:4] + second + first + third)
    with pytest.raises(AttachmentError):
        read_back(case, stored)
    replace_stored(stored, raw[:4] + first + second)  # last chunk dropped
    with pytest.raises(AttachmentError):
        read_back(case, stored)


def test_chunks_are_bound_to_their_case_and_file(organisation, case):
    one = attachment_store(case=case, upload=upload("a.txt", b"eerste bestand"))
    two = attachment_store(case=case, upload=upload("b.txt", b"tweede bestand"))
    replace_stored(two, stored_bytes(one))
    with pytest.raises(AttachmentError):
        read_back(case, two)
    other = submit_case(organisation).case
    with pytest.raises(AttachmentError):
        read_back(other, one)


# --- virus scan -------------------------------------------------------------------


class FakeClamd:
    """A clamd that speaks INSTREAM on 127.0.0.1 and finds the EICAR string."""

    def __init__(self, connections: int = 1) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = connections
        self.received = b""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def _exact(self, conn: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = conn.recv(size - len(data))
            if not part:
                raise ConnectionError
            data += part
        return data

    def serve(self) -> None:
        for _ in range(self.connections):
            conn, _ = self.server.accept()
            with conn:
                assert self._exact(conn, 10) == b"zINSTREAM\0"
                stream = b""
                while True:
                    (length,) = struct.unpack(">I", self._exact(conn, 4))
                    if length == 0:
                        break
                    stream += self._exact(conn, length)
                self.received += stream
                found = EICAR in stream
                conn.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")

    def close(self) -> None:
        self.thread.join(timeout=5)
        self.server.close()


@pytest.fixture
def clamd(settings) -> Iterator[FakeClamd]:
    fake = FakeClamd()
    settings.INTEGRITAS_CLAMD_SOCKET = f"127.0.0.1:{fake.port}"
    settings.INTEGRITAS_CLAMD_TIMEOUT = 5
    yield fake
    fake.close()


def test_clamd_clean(case, clamd):
    stored = attachment_store(case=case, upload=upload("notitie.txt", b"schoon bestand"))
    assert stored.scan_status == ScanStatus.CLEAN
    assert clamd.received == b"schoon bestand"  # the plaintext, scanned before encryption


def test_clamd_infected(case, clamd):
    stored = attachment_store(case=case, upload=upload("eicar.txt", EICAR))
    assert stored.scan_status == ScanStatus.INFECTED


def test_without_clamd_status_stays_pending(case, settings):
    assert settings.INTEGRITAS_CLAMD_SOCKET == ""
    stored = attachment_store(case=case, upload=upload("notitie.txt", b"tekst"))
    assert stored.scan_status == ScanStatus.PENDING


def test_unreachable_clamd_leaves_pending(case, settings):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    settings.INTEGRITAS_CLAMD_SOCKET = f"127.0.0.1:{port}"
    stored = attachment_store(case=case, upload=upload("notitie.txt", b"tekst"))
    assert stored.scan_status == ScanStatus.PENDING


def test_files_that_came_in_while_clamd_was_down_are_scanned_later(case, settings):
    # Issue 3: a virus-scan hook with states pending / clean / infected. A file must not
    # stay "pending" for good because clamd was down for a minute.
    with socket.create_server(("127.0.0.1", 0)) as probe:
        settings.INTEGRITAS_CLAMD_SOCKET = f"127.0.0.1:{probe.getsockname()[1]}"
    clean = attachment_store(case=case, upload=upload("notitie.txt", b"gewone tekst"))
    infected = attachment_store(case=case, upload=upload("virus.txt", EICAR))
    out = io.StringIO()
    call_command("scan_pending_attachments", stdout=out)  # clamd still down
    assert "nog niet gescand: 2" in out.getvalue()
    fake = FakeClamd(connections=2)
    settings.INTEGRITAS_CLAMD_SOCKET = f"127.0.0.1:{fake.port}"
    call_command("scan_pending_attachments", stdout=out)
    fake.close()
    clean.refresh_from_db()
    infected.refresh_from_db()
    assert (clean.scan_status, infected.scan_status) == (ScanStatus.CLEAN, ScanStatus.INFECTED)
    assert fake.received == b"gewone tekst" + EICAR  # the plaintext, decrypted for the scan
    assert "Schoon: 1, besmet: 1" in out.getvalue()
    events = AuditEvent.objects.filter(action__startswith="attachment.scan_")
    assert sorted(events.values_list("action", flat=True)) == [
        "attachment.scan_clean",
        "attachment.scan_infected",
    ]
    call_command("scan_pending_attachments", stdout=out)  # nothing left: nothing happens
    assert events.count() == 2


def test_rescanning_needs_a_configured_scanner(settings):
    settings.INTEGRITAS_CLAMD_SOCKET = ""
    with pytest.raises(CommandError, match="geen virusscanner"):
        call_command("scan_pending_attachments")


# --- download ---------------------------------------------------------------------


def download_url(attachment) -> str:
    return f"/meldingen/bijlagen/{attachment.pk}/"


def logged_in(user) -> Client:
    return login_with_second_factor(Client(), user)


def events(attachment, result: str = "success"):
    return AuditEvent.objects.filter(
        action="case.attachment_download", object_id=str(attachment.pk), result=result
    )


@pytest.fixture
def clean_attachment(case):
    stored = attachment_store(case=case, upload=upload('rap"port<1>.txt', b"inhoud " + CANARY))
    stored.scan_status = ScanStatus.CLEAN
    stored.save()
    return stored


def test_coordinator_downloads_and_it_is_audited(make_user, clean_attachment):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR)
    response = logged_in(coordinator).get(download_url(clean_attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"inhoud " + CANARY
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="rapport1.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    # R-BIO-1: the download is an audit event, without the file's name or content.
    event = events(clean_attachment).get()
    assert event.actor_id == coordinator.pk
    assert event.organisation_id == clean_attachment.case.organisation_id


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.INTEGRITY_OFFICER, None, Role.SECRETARY])
def test_others_get_404(make_user, clean_attachment, role):
    # R-WBK-7, R-DP-3: administrators and officers see no case content; the secretary
    # not before the approval step.
    response = logged_in(make_user(role)).get(download_url(clean_attachment))
    assert response.status_code == 404
    assert not events(clean_attachment).exists()


def test_only_the_assigned_investigator_downloads(make_user, case, clean_attachment):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR)
    investigator = make_user(Role.INVESTIGATOR)
    assert logged_in(investigator).get(download_url(clean_attachment)).status_code == 404
    services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    assert logged_in(investigator).get(download_url(clean_attachment)).status_code == 200


def test_involved_coordinator_gets_404(make_user, case, clean_attachment):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR)
    involved = make_user(Role.INTEGRITY_COORDINATOR)
    assert logged_in(involved).get(download_url(clean_attachment)).status_code == 200
    services.case_link_involved(
        actor=coordinator,
        case=case,
        employee=Employee.objects.get(user=involved),
        description="betrokken",
    )
    assert logged_in(involved).get(download_url(clean_attachment)).status_code == 404


def test_anonymous_visitor_cannot_download(client, clean_attachment):
    response = client.get(download_url(clean_attachment))
    assert response.status_code in (302, 404)
    assert not events(clean_attachment).exists()


def test_infected_is_refused_and_the_refusal_audited(make_user, clean_attachment):
    clean_attachment.scan_status = ScanStatus.INFECTED
    clean_attachment.save()
    response = logged_in(make_user(Role.INTEGRITY_COORDINATOR)).get(
        download_url(clean_attachment) + "?bevestigd=1"
    )
    assert response.status_code == 403
    assert CANARY not in response.content
    assert events(clean_attachment, "denied").count() == 1
    assert not events(clean_attachment).exists()


def test_pending_warns_before_download(make_user, clean_attachment):
    clean_attachment.scan_status = ScanStatus.PENDING
    clean_attachment.save()
    client = logged_in(make_user(Role.INTEGRITY_COORDINATOR))
    warning = client.get(download_url(clean_attachment))
    assert warning.status_code == 200
    assert "niet op virussen gecontroleerd" in warning.content.decode()
    assert not events(clean_attachment).exists()
    response = client.get(download_url(clean_attachment) + "?bevestigd=1")
    assert b"".join(response.streaming_content) == b"inhoud " + CANARY
    assert events(clean_attachment).count() == 1


def test_unknown_attachment_is_404(make_user, db):
    client = logged_in(make_user(Role.INTEGRITY_COORDINATOR))
    assert client.get("/meldingen/bijlagen/999999/").status_code == 404


FORWARDED_EML = (
    b"Received: from laptop-jan.thuis.example (81.2.69.160) by mx.example.org\r\n"
    b"\twith ESMTPSA id 4F3A; Mon, 2 Mar 2026 09:15:01 +0100\r\n"
    b"Return-Path: <jan.melder@thuis.example>\r\n"
    b"X-Originating-IP: [81.2.69.160]\r\n"
    b"DKIM-Signature: v=1; a=rsa-sha256; d=thuis.example; s=sel;\r\n"
    b" b=AbCdEf0123456789\r\n"
    b"Message-ID: <1234@laptop-jan.thuis.example>\r\n"
    b"User-Agent: Thunderbird 128 on laptop-jan\r\n"
    b"From: Wethouder X <wethouder@leiderdorp.example>\r\n"
    b"To: Aannemer Y <info@aannemer.example>\r\n"
    b"Date: Mon, 2 Mar 2026 09:14:00 +0100\r\n"
    b"Subject: Over de gunning,\r\n"
    b" zoals besproken\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Received: dit staat in de tekst en blijft staan.\r\n"
    b"De opdracht is voor u.\r\n"
)


def test_forwarded_email_keeps_its_content_headers_only(case):
    # The transport trail and the mail client's marks could point at the reporter's own
    # mailbox or computer; who wrote what to whom, when, stays: that is the evidence.
    stored = attachment_store(case=case, upload=upload("doorgestuurd.eml", FORWARDED_EML))
    assert stored.content_type == "message/rfc822"
    cleaned = read_back(case, stored)
    for trace in (b"laptop-jan", b"81.2.69.160", b"thuis.example", b"DKIM", b"Thunderbird"):
        assert trace not in cleaned, trace
    head, body = cleaned.split(b"\r\n\r\n", 1)
    assert head.split(b"\r\n") == [
        b"From: Wethouder X <wethouder@leiderdorp.example>",
        b"To: Aannemer Y <info@aannemer.example>",
        b"Date: Mon, 2 Mar 2026 09:14:00 +0100",
        b"Subject: Over de gunning,",
        b" zoals besproken",
        b"MIME-Version: 1.0",
        b"Content-Type: text/plain; charset=utf-8",
    ]
    assert body == b"Received: dit staat in de tekst en blijft staan.\r\nDe opdracht is voor u.\r\n"
    assert stored.sha256 == hashlib.sha256(cleaned).hexdigest()


# --- voice messages (R-WBK-2): tags that could name the phone, the owner or the place --

SOUND = bytes(range(256)) * 4  # stands for the encoded sound, kept byte for byte


def _id3v2(text: bytes) -> bytes:
    frame = b"TPE1" + (len(text) + 1).to_bytes(4, "big") + b"\x00\x00" + b"\x00" + text
    size = len(frame)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x03\x00\x00" + syncsafe + frame


def test_mp3_loses_its_id3_tags_and_keeps_the_sound(case):
    frames = b"\xff\xfb\x90\x00" + SOUND
    id3v1 = b"TAG" + b"Jan Melder".ljust(30, b"\x00") + b"\x00" * 95
    data = _id3v2(b"iPhone van Jan Melder") + frames + id3v1
    stored = attachment_store(case=case, upload=upload("spraak.mp3", data))
    assert read_back(case, stored) == frames


def _riff_chunk(chunk_id: bytes, payload: bytes) -> bytes:
    pad = b"\x00" if len(payload) % 2 else b""
    return chunk_id + len(payload).to_bytes(4, "little") + payload + pad


def test_wav_keeps_format_and_sound_only(case):
    fmt = _riff_chunk(b"fmt ", bytes.fromhex("0100010044ac000088580100020010 00".replace(" ", "")))
    info = _riff_chunk(b"LIST", b"INFO" + _riff_chunk(b"IART", b"Jan Melder\x00"))
    data_chunk = _riff_chunk(b"data", SOUND + b"\x01")  # odd length: padded
    body = b"WAVE" + info + fmt + data_chunk
    data = b"RIFF" + len(body).to_bytes(4, "little") + body
    stored = attachment_store(case=case, upload=upload("spraak.wav", data))
    cleaned = read_back(case, stored)
    assert b"Jan Melder" not in cleaned and b"LIST" not in cleaned
    expected = b"WAVE" + fmt + data_chunk
    assert cleaned == b"RIFF" + len(expected).to_bytes(4, "little") + expected


def _atom(kind: bytes, payload: bytes) -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def test_m4a_tag_atoms_are_blanked_in_place(case):
    # An iPhone voice memo notes where it was recorded (©xyz) in moov/udta.
    place = _atom(b"\xa9xyz", b"\x00\x11\x15\xc7+52.1601+004.4970/")
    owner = _atom(b"meta", b"\x00\x00\x00\x00" + _atom(b"\xa9ART", b"Jan Melder"))
    trak = _atom(b"trak", _atom(b"tkhd", b"\x00" * 84) + _atom(b"udta", owner))
    moov = _atom(b"moov", _atom(b"mvhd", b"\x00" * 100) + trak + _atom(b"udta", place))
    data = _atom(b"ftyp", b"M4A \x00\x00\x00\x00M4A isom") + moov + _atom(b"mdat", SOUND)
    stored = attachment_store(case=case, upload=upload("memo.m4a", data))
    cleaned = read_back(case, stored)
    assert len(cleaned) == len(data)  # nothing moved: the sample offsets stay right
    assert b"52.1601" not in cleaned and b"Jan Melder" not in cleaned
    assert b"udta" not in cleaned and cleaned.count(b"free") == 2
    assert cleaned.endswith(_atom(b"mdat", SOUND))
    assert cleaned.startswith(data[:24])

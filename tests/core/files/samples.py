"""Sample files for the file intake tests, each carrying a canary in its metadata.

Built here, so a test says exactly what a file holds: photos with EXIF, GPS, XMP and
comments; PDFs with document information and XMP; Office and OpenDocument files with
their properties; Outlook messages; e-mails; voice messages with their tags.
"""

import io
import struct
import zipfile
import zlib

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from integritas.core.files.intake import upload_cleaned

from .compound_file import compound_file

CANARY = b"KANARIE-7f3a9c-geheim"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png(text: bytes = CANARY) -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"tEXt", b"Author\x00" + text)
        + png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + png_chunk(b"IEND", b"")
    )


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def picture(size: tuple[int, int] = (8, 4)) -> Image.Image:
    # Left half red, right half blue, so a rotation can be seen in the pixels.
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def camera_exif(orientation: int = 1, text: bytes = CANARY) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KanarieCam"
    exif[ExifTags.Base.Model] = text.decode()
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


def jpeg(orientation: int = 1, size: tuple[int, int] = (8, 4), text: bytes = CANARY) -> bytes:
    buffer = io.BytesIO()
    picture(size).save(buffer, format="JPEG", exif=camera_exif(orientation, text), quality=95)
    data = buffer.getvalue()
    xmp = _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + text)
    return data[:2] + xmp + _segment(0xFE, text) + data[2:]  # XMP and a comment after SOI


def webp(text: bytes = CANARY) -> bytes:
    buffer = io.BytesIO()
    picture().save(buffer, format="WEBP", exif=camera_exif(text=text), xmp=b"<x:xmpmeta>" + text)
    return buffer.getvalue()


def gif(text: bytes = CANARY) -> bytes:
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
        comment=text,
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


def ooxml(kind: str = "word", text: bytes = CANARY) -> bytes:
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
        z.writestr("docProps/core.xml", b"<dc:creator>" + text + b"</dc:creator>")
        z.writestr("docProps/custom.xml", b"<property>" + text + b"</property>")
    return buffer.getvalue()


def odf(
    mimetype: bytes = b"application/vnd.oasis.opendocument.text", text: bytes = CANARY
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        z.writestr("meta.xml", b"<meta:initial-creator>" + text + b"</meta:initial-creator>")
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


def cleaned(name: str, content: bytes) -> bytes:
    """The content as the intake would store it: checked, typed and cleaned."""
    with upload_cleaned(upload(name, content)).stream as stream:
        return stream.read()


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# --- voice messages -------------------------------------------------------------------

SOUND = bytes(range(256)) * 4  # stands for the encoded sound, kept byte for byte


def id3v2(text: bytes) -> bytes:
    frame = b"TPE1" + (len(text) + 1).to_bytes(4, "big") + b"\x00\x00" + b"\x00" + text
    size = len(frame)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x03\x00\x00" + syncsafe + frame


def riff_chunk(chunk_id: bytes, payload: bytes) -> bytes:
    pad = b"\x00" if len(payload) % 2 else b""
    return chunk_id + len(payload).to_bytes(4, "little") + payload + pad


def atom(kind: bytes, payload: bytes) -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload

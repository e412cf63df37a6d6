"""Metadata that could identify a reporter is removed before anything is stored.

Issue 3 "metadata stripped"; R-WBK-2 (voice messages), R-WBK-7 (the reporter's identity
stays protected).
"""

import io
import struct
import zipfile
import zlib

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image

from integritas.core.files import detection
from integritas.core.files.intake import upload_cleaned
from integritas.core.files.validation import attachment_validate

from .samples import (
    CANARY,
    SOUND,
    atom,
    cleaned,
    decoded,
    gif,
    id3v2,
    jpeg,
    odf,
    ooxml,
    pdf,
    picture,
    png,
    png_chunk,
    riff_chunk,
    upload,
    webp,
)

# --- metadata ---------------------------------------------------------------------


def test_jpeg_exif_xmp_and_comments_are_removed():
    data = cleaned("foto.jpg", jpeg())
    assert CANARY not in data and b"Exif" not in data and b"KanarieCam" not in data
    assert b"http://ns.adobe.com/xap" not in data
    image = decoded(data)
    assert image.format == "JPEG" and image.size == (8, 4)
    assert not image.getexif() and "exif" not in image.info


def test_jpeg_orientation_is_applied_before_exif_goes():
    # A phone photo stored landscape with "rotate 90° clockwise" (6) in its EXIF, with
    # camera and GPS data: it comes out upright, and without any of that data.
    original = jpeg(orientation=6, size=(8, 4))
    assert decoded(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    data = cleaned("foto.jpg", original)
    assert CANARY not in data and b"KanarieCam" not in data and b"Exif" not in data
    image = decoded(data).convert("RGB")
    assert image.size == (4, 8)  # turned: portrait now
    assert not image.getexif()
    red, blue = image.getpixel((2, 1)), image.getpixel((2, 6))
    assert red[0] > 200 and red[2] < 60  # the left (red) half is now on top
    assert blue[2] > 200 and blue[0] < 60


def test_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 16)
    bomb = upload("bom.png", _png_bytes(picture((8, 8))))
    assert attachment_validate([bomb]) == []  # the type is fine ...
    with pytest.raises(ValidationError, match="te veel beeldpunten"):
        upload_cleaned(bomb)  # ... the pixel count is not


def test_real_size_decompression_bomb_is_refused():
    # A tiny PNG announcing far more pixels than Pillow's default limit.
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + png_chunk(b"IEND", b"")
    )
    with pytest.raises(ValidationError, match="te veel beeldpunten"):
        upload_cleaned(upload("bom.png", bomb))


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_png_text_chunks_are_removed():
    data = cleaned("foto.png", png())
    assert CANARY not in data and b"tEXt" not in data
    assert b"IHDR" in data and data.endswith(png_chunk(b"IEND", b""))


def test_webp_exif_and_xmp_are_removed():
    original = webp()
    assert CANARY in original and b"EXIF" in original
    data = cleaned("foto.webp", original)
    assert CANARY not in data and b"EXIF" not in data and b"XMP " not in data
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8
    if data[12:16] == b"VP8X":
        assert data[20] & 0x0C == 0  # VP8X announces neither EXIF nor XMP
    assert decoded(data).size == (8, 4)


def test_gif_comment_is_removed_and_the_animation_kept():
    original = gif()
    assert CANARY in original
    data = cleaned("animatie.gif", original)
    assert CANARY not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "GIF" and image.n_frames == 2
    image.seek(1)
    assert image.info["duration"] == 250


def test_broken_image_is_refused():
    broken = upload("foto.png", png()[:40])
    with pytest.raises(ValidationError, match="kan niet worden gelezen"):
        upload_cleaned(broken)


def test_docx_document_properties_are_removed():
    data = cleaned("verslag.docx", ooxml("word"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert not [n for n in names if n.startswith("docProps/")]
        assert b"docProps" not in z.read("_rels/.rels")
        assert b"docProps" not in z.read("[Content_Types].xml")
        assert z.read("word/document.xml") == b"<document>Inhoud van het verslag</document>"
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in z.infolist())
    assert CANARY not in data


def test_odt_meta_is_emptied_and_mimetype_stays_first():
    data = cleaned("verslag.odt", odf())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert CANARY not in z.read("meta.xml")
    assert detection.detect(io.BytesIO(data)).key == "odt"


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "object-streams"])
def test_pdf_info_and_xmp_are_removed(compressed):
    original = pdf(compressed=compressed)
    with pikepdf.open(io.BytesIO(original)) as before:
        assert str(before.docinfo["/Author"]) == CANARY.decode()
        assert "/Metadata" in before.Root
    if compressed:
        assert b"/Author" not in original  # /Info sits inside a compressed object stream
    data = cleaned("verslag.pdf", original)
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
def test_unreadable_pdf_is_refused(content):
    assert attachment_validate([upload("kapot.pdf", content)]) == []
    with pytest.raises(ValidationError) as raised:
        upload_cleaned(upload("kapot.pdf", content))
    assert "Dit PDF-bestand kan niet worden gelezen." in raised.value.messages[0]
    assert "kapot.pdf" in raised.value.messages[0]


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


def test_forwarded_email_keeps_its_content_headers_only():
    # The transport trail and the mail client's marks could point at the reporter's own
    # mailbox or computer; who wrote what to whom, when, stays: that is the evidence.
    taken_in = upload_cleaned(upload("doorgestuurd.eml", FORWARDED_EML))
    assert taken_in.file_type.content_type == "message/rfc822"
    result = taken_in.stream.read()
    for trace in (b"laptop-jan", b"81.2.69.160", b"thuis.example", b"DKIM", b"Thunderbird"):
        assert trace not in result, trace
    head, body = result.split(b"\r\n\r\n", 1)
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


# --- voice messages (R-WBK-2): tags that could name the phone, the owner or the place --


def test_mp3_loses_its_id3_tags_and_keeps_the_sound():
    frames = b"\xff\xfb\x90\x00" + SOUND
    id3v1 = b"TAG" + b"Jan Melder".ljust(30, b"\x00") + b"\x00" * 95
    data = id3v2(b"iPhone van Jan Melder") + frames + id3v1
    assert cleaned("spraak.mp3", data) == frames


def test_wav_keeps_format_and_sound_only():
    fmt = riff_chunk(b"fmt ", bytes.fromhex("0100010044ac000088580100020010 00".replace(" ", "")))
    info = riff_chunk(b"LIST", b"INFO" + riff_chunk(b"IART", b"Jan Melder\x00"))
    data_chunk = riff_chunk(b"data", SOUND + b"\x01")  # odd length: padded
    body = b"WAVE" + info + fmt + data_chunk
    data = b"RIFF" + len(body).to_bytes(4, "little") + body
    result = cleaned("spraak.wav", data)
    assert b"Jan Melder" not in result and b"LIST" not in result
    expected = b"WAVE" + fmt + data_chunk
    assert result == b"RIFF" + len(expected).to_bytes(4, "little") + expected


def test_m4a_tag_atoms_are_blanked_in_place():
    # An iPhone voice memo notes where it was recorded (©xyz) in moov/udta.
    place = atom(b"\xa9xyz", b"\x00\x11\x15\xc7+52.1601+004.4970/")
    owner = atom(b"meta", b"\x00\x00\x00\x00" + atom(b"\xa9ART", b"Jan Melder"))
    trak = atom(b"trak", atom(b"tkhd", b"\x00" * 84) + atom(b"udta", owner))
    moov = atom(b"moov", atom(b"mvhd", b"\x00" * 100) + trak + atom(b"udta", place))
    data = atom(b"ftyp", b"M4A \x00\x00\x00\x00M4A isom") + moov + atom(b"mdat", SOUND)
    result = cleaned("memo.m4a", data)
    assert len(result) == len(data)  # nothing moved: the sample offsets stay right
    assert b"52.1601" not in result and b"Jan Melder" not in result
    assert b"udta" not in result and result.count(b"free") == 2
    assert result.endswith(atom(b"mdat", SOUND))
    assert result.startswith(data[:24])


def test_mp3_loses_stacked_tags_and_the_footer_of_an_id3v24_tag():
    frames = b"\xff\xfb\x90\x00" + SOUND
    v23 = id3v2(b"Jan Melder")
    frame = b"TPE1" + bytes([0, 0, 0, 11]) + b"\x00\x00" + b"\x03" + b"Jan Melder"
    size = bytes([0, 0, 0, len(frame)])  # syncsafe, as it is below 128
    v24 = b"ID3\x04\x00\x10" + size + frame + b"3DI\x04\x00\x10" + size
    assert cleaned("spraak.mp3", v23 + v24 + frames) == frames


def test_m4a_nested_deeper_than_any_recording_is_refused():
    nested = b""
    for _ in range(2000):
        nested = atom(b"moov", nested)
    data = atom(b"ftyp", b"M4A \x00\x00\x00\x00M4A isom") + nested
    with pytest.raises(ValidationError, match="kan niet worden gelezen"):
        upload_cleaned(upload("diep.m4a", data))

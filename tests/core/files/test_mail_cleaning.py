"""Forwarded e-mails: no mark of the reporter's mailbox, however deep it sits.

Issue 3 "metadata stripped"; R-WBK-7 (the reporter's identity stays protected). A report
often comes with the e-mail that shows the wrongdoing, forwarded as an attachment. That
e-mail can hold another one, and photos or PDFs with their own metadata.
"""

import base64
import binascii
import email
import io
import re
from email.message import EmailMessage
from email.policy import default

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from integritas.core.files.cleaning import mail as mail_cleaning
from integritas.core.files.intake import upload_cleaned

from .samples import CANARY, cleaned, jpeg, pdf, upload

TRANSPORT = (
    b"Received: from laptop-jan.thuis.example (81.2.69.160) by mx.example.org\r\n"
    b"\twith ESMTPSA id 4F3A; Mon, 2 Mar 2026 09:15:01 +0100\r\n"
    b"Return-Path: <jan.melder@thuis.example>\r\n"
    b"X-Originating-IP: [81.2.69.160]\r\n"
    b"Message-ID: <1234@laptop-jan.thuis.example>\r\n"
    b"User-Agent: Thunderbird 128 on laptop-jan\r\n"
)
TRACES = (b"laptop-jan", b"81.2.69.160", b"thuis.example", b"Thunderbird", CANARY)


_BASE64_BLOCK = re.compile(rb"(?:^[A-Za-z0-9+/=]{16,}\r?\n)+", re.MULTILINE)


def _everything(data: bytes, depth: int = 0) -> bytes:
    """The bytes with every base64 block in them decoded as well, for looking for traces."""
    found = [data]
    for block in _BASE64_BLOCK.finditer(data) if depth < 4 else ():
        try:
            found.append(_everything(base64.b64decode(block.group(0)), depth + 1))
        except binascii.Error:
            continue
    return b"".join(found)


def _message(subject: str, body: str) -> EmailMessage:
    message = EmailMessage(policy=default.clone(linesep="\r\n"))
    message["From"] = "Wethouder X <wethouder@leiderdorp.example>"
    message["To"] = "Aannemer Y <info@aannemer.example>"
    message["Date"] = "Mon, 02 Mar 2026 09:14:00 +0100"
    message["Subject"] = subject
    message.set_content(body)
    return message


def _with_transport(message: EmailMessage) -> bytes:
    return TRANSPORT + message.as_bytes()


def _original() -> EmailMessage:
    """The e-mail that shows the wrongdoing, with a photo and a PDF attached."""
    original = _message("Over de gunning", "De opdracht is voor u.")
    original.add_attachment(jpeg(), maintype="image", subtype="jpeg", filename="bouwplaats.jpg")
    original.add_attachment(pdf(), maintype="application", subtype="pdf", filename="offerte.pdf")
    return original


def _forwarded(inner: bytes) -> bytes:
    """The reporter's own e-mail, forwarding `inner` as an attachment (message/rfc822)."""
    outer = _message("Fwd: Over de gunning", "Zie de bijlage.")
    outer.add_attachment(email.message_from_bytes(inner, policy=default))
    return _with_transport(outer)


def _parts(result: bytes) -> list[EmailMessage]:
    parsed = email.message_from_bytes(result, policy=default)
    return list(parsed.walk())


@pytest.fixture
def nested():
    data = _forwarded(_with_transport(_original()))
    assert all(trace in _everything(data) for trace in TRACES)  # the sample holds them all
    return cleaned("doorgestuurd.eml", data)


def test_attached_message_loses_its_transport_trail_too(nested):
    for trace in TRACES:
        assert trace not in _everything(nested), trace
    messages = [part for part in _parts(nested) if part["Subject"]]
    assert [m["Subject"] for m in messages] == ["Fwd: Over de gunning", "Over de gunning"]
    for message in messages:  # who wrote to whom, when: the evidence, stays
        assert message["From"] == "Wethouder X <wethouder@leiderdorp.example>"
        assert message["Date"] == "Mon, 02 Mar 2026 09:14:00 +0100"
        assert message["Received"] is None and message["Message-ID"] is None


def test_photo_inside_an_attached_message_loses_exif_and_keeps_its_pixels(nested):
    (photo,) = [p for p in _parts(nested) if p.get_content_type() == "image/jpeg"]
    assert photo.get_filename() == "bouwplaats.jpg"
    with Image.open(io.BytesIO(photo.get_content())) as image:
        assert image.size == (8, 4)
        assert not image.getexif()  # no camera, no GPS position
        left = image.convert("RGB").getpixel((0, 0))
        assert isinstance(left, tuple) and left[0] > 200 and left[2] < 60  # still red


def test_pdf_inside_an_attached_message_loses_its_author(nested):
    (document,) = [p for p in _parts(nested) if p.get_content_type() == "application/pdf"]
    with pikepdf.open(io.BytesIO(document.get_content())) as opened:
        assert "/Author" not in opened.docinfo
        assert len(opened.pages) == 1


@pytest.mark.parametrize("declared", ["message/rfc822", "application/octet-stream"])
def test_message_attached_in_base64_is_cleaned_as_well(declared):
    # Some mail clients attach a saved .eml as a file, in base64.
    original = _with_transport(_original())
    outer = _message("Fwd: Over de gunning", "Zie de bijlage.")
    maintype, subtype = declared.split("/")
    outer.add_attachment(
        original, maintype=maintype, subtype=subtype, cte="base64", filename="origineel.eml"
    )
    data = _with_transport(outer)
    assert all(trace in _everything(data) for trace in TRACES)
    result = cleaned("fwd.eml", data)
    for trace in TRACES:
        assert trace not in _everything(result), trace
    block = _BASE64_BLOCK.search(result, result.index(b'filename="origineel.eml"'))
    assert block is not None
    inner = base64.b64decode(block.group(0))
    assert inner.startswith(b"From: Wethouder X")
    assert b"Subject: Over de gunning" in inner


def test_text_parts_are_kept_byte_for_byte():
    # The cleaner rewrites headers and attached files; the words of the e-mail stay exact.
    message = _message("Over de gunning", "Regel één.\r\nReceived: in de tekst blijft.\r\n")
    message.add_alternative("<p>Regel één.</p>", subtype="html")
    data = _with_transport(message)
    result = cleaned("m.eml", data)
    assert result == message.as_bytes()  # exactly the message without the transport lines


def test_text_attachment_that_looks_like_mail_stays_as_sent():
    note = TRANSPORT + b"From: iemand\r\nSubject: notitie\r\n\r\ntekst\r\n"
    message = _message("Notitie", "Zie bijlage.")
    message.add_attachment(note, maintype="text", subtype="plain", filename="notitie.txt")
    data = _with_transport(message)
    result = cleaned("m.eml", data)
    (attached,) = [p for p in _parts(result) if p.get_filename() == "notitie.txt"]
    assert attached.get_payload(decode=True) == note


def test_very_long_lines_pass_through():
    long_line = b"x" * (3 * mail_cleaning.LINE_BYTES) + b"\r\n"
    data = (
        TRANSPORT + b"From: a@example.org\r\nSubject: lang\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
        b"\r\nbegin\r\n" + long_line + b"Received: x\r\neinde\r\n"
    )
    result = cleaned("lang.eml", data)
    assert result == data[len(TRANSPORT) :]


@pytest.mark.parametrize(
    "body",
    [
        # A bomb: parts nested deeper than any mail client writes.
        b"".join(
            b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
            for i in range(mail_cleaning.MAX_DEPTH + 5)
        ),
        # A photo whose base64 is cut off: it cannot be promised to be clean.
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"/9j/4AAQS\r\n--b--\r\n",
    ],
    ids=["nesting-bomb", "broken-base64"],
)
def test_mail_that_cannot_be_cleaned_is_refused(body):
    data = TRANSPORT + b"From: a@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n" + body
    with pytest.raises(ValidationError, match="kan niet worden gelezen"):
        upload_cleaned(upload("bom.eml", data))

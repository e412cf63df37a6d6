"""The type of an upload from its content, and the reasons one may not be stored.

Issue 3 "Attachments"; R-WBK-2 (voice messages).
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from integritas.core.files.intake import upload_cleaned
from integritas.core.files.validation import attachment_validate

from .samples import EML, M4A, MP3, WAV, gif, jpeg, msg, odf, ooxml, pdf, png, upload, webp

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
def test_allowed_types_pass_and_are_recognised_by_content(name, content, content_type):
    assert attachment_validate([upload(name, content)]) == []
    assert upload_cleaned(upload(name, content)).file_type.content_type == content_type


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
def test_disguised_and_unknown_files_are_refused(name, content):
    errors = attachment_validate([upload(name, content)])
    assert len(errors) == 1
    assert "niet is toegestaan" in errors[0] and name in errors[0]
    with pytest.raises(ValidationError):
        upload_cleaned(upload(name, content))


def test_text_that_looks_like_mail_headers_is_text():
    note = upload("aantekening.txt", b"From: mijn leidinggevende\nSubject: de reis\n\nTekst")
    assert attachment_validate([note]) == []
    assert upload_cleaned(note).file_type.content_type == "text/plain"


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


def test_oversize_refused_while_reading_whatever_the_size_claims(settings):
    settings.INTEGRITAS_ATTACHMENT_MAX_BYTES = 1000
    assert attachment_validate([upload("groot.txt", b"a" * 1000)]) == []
    honest = upload("groot.txt", b"a" * 1001)
    assert attachment_validate([honest]) == ['Het bestand "groot.txt" is groter dan 1 kB.']
    lying = upload("groot.txt", b"a" * 5000)
    lying.size = 10  # the declared size is not trusted
    assert attachment_validate([lying]) == ['Het bestand "groot.txt" is groter dan 1 kB.']
    with pytest.raises(ValidationError, match="groter dan"):
        upload_cleaned(lying)
    # An archive, whose reader seeks to the end first, is caught the same way.
    zipped = upload("groot.docx", ooxml("word") + b"\x00" * 2000)
    zipped.size = 10
    assert "groter dan" in attachment_validate([zipped])[0]


def test_file_names_are_sanitised_in_messages():
    errors = attachment_validate([upload('../../etc/"pass\nwd".exe', b"MZ")])
    assert errors and "../" not in errors[0] and "\n" not in errors[0]

"""Outlook messages (.msg): the mailbox they were saved from leaves no mark.

Issue 3 "metadata stripped"; R-WBK-7 (the reporter's identity stays protected). Municipal
employees use Outlook: dragging the e-mail that shows the wrongdoing to the desktop makes
a .msg that names the mailbox it was delivered to (the reporter's) and the route it took.
"""

import io

import olefile
import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from integritas.core.files.intake import upload_cleaned

from .compound_file import compound_file
from .samples import CANARY, jpeg, upload

ATTACHED_PHOTO = "__attach_version1.0_#00000000/__substg1.0_37010102"
ATTACHED_MESSAGE = "__attach_version1.0_#00000001/__substg1.0_3701000D"
TRACES = ("laptop-jan", "81.2.69.160", "jan.melder", "Jan Melder", "pc-jan-thuis")


def _text(value: str) -> bytes:
    return value.encode("utf-16-le") + b"\x00\x00"


# What the message says: it must survive the cleaning unchanged.
CONTENT = {
    "__properties_version1.0": b"\x00" * 32,
    "__substg1.0_0037001F": _text("Over de gunning"),
    "__substg1.0_0C1A001F": _text("Wethouder X"),
    "__substg1.0_0C1F001F": _text("wethouder@leiderdorp.example"),
    "__substg1.0_0E04001F": _text("Aannemer Y"),
    "__substg1.0_1000001F": _text("De opdracht is voor u."),
    "__recip_version1.0_#00000000/__substg1.0_3001001F": _text("Aannemer Y"),
    "__attach_version1.0_#00000000/__substg1.0_3707001F": _text("bouwplaats.jpg"),
    f"{ATTACHED_MESSAGE}/__substg1.0_0037001F": _text("Het origineel"),
}
# What points at the reporter's mailbox or computer.
MARKS = {
    # Long enough to sit in regular sectors; the others are in the mini stream.
    "__substg1.0_007D001F": _text(
        "Received: from laptop-jan.thuis.example (81.2.69.160) by mx.example.org\r\n" * 40
    ),
    "__substg1.0_1035001F": _text("<1234@laptop-jan.thuis.example>"),
    "__substg1.0_0040001F": _text("Jan Melder"),
    "__substg1.0_0076001F": _text("jan.melder@leiderdorp.example"),
    "__substg1.0_5D07001F": _text("jan.melder@leiderdorp.example"),
    "__substg1.0_0E02001F": _text("Jan Melder"),
    "__substg1.0_3FFA001F": _text("Jan Melder"),
    "__substg1.0_8005001F": _text("x-originating-ip: [81.2.69.160]"),
    f"{ATTACHED_MESSAGE}/__substg1.0_007D001F": _text("Received: from pc-jan-thuis\r\n"),
}


def outlook_message() -> bytes:
    return compound_file({**CONTENT, **MARKS, ATTACHED_PHOTO: jpeg()})


@pytest.fixture
def cleaned() -> bytes:
    data = outlook_message()
    assert all(_text(trace)[:-2] in data for trace in TRACES)  # the sample holds them all
    taken_in = upload_cleaned(upload("bericht.msg", data))
    assert taken_in.file_type.content_type == "application/vnd.ms-outlook"
    return taken_in.stream.read()


def _streams(data: bytes) -> dict[str, bytes]:
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}


def test_receiving_mailbox_and_transport_trail_are_gone(cleaned):
    for trace in TRACES:
        assert _text(trace)[:-2] not in cleaned, trace
    streams = _streams(cleaned)
    for name, value in MARKS.items():
        assert streams[name] == bytes(len(value)), name  # blanked, same size: layout kept


def test_what_the_message_says_stays(cleaned):
    streams = _streams(cleaned)
    for name, value in CONTENT.items():
        assert streams[name] == value, name
    assert set(streams) == {*CONTENT, *MARKS, ATTACHED_PHOTO}


def test_photo_inside_loses_exif_and_keeps_its_pixels(cleaned):
    photo = _streams(cleaned)[ATTACHED_PHOTO]
    assert len(photo) == len(jpeg())
    assert CANARY not in photo and b"KanarieCam" not in photo
    with Image.open(io.BytesIO(photo)) as image:
        assert image.size == (8, 4)
        assert not image.getexif()
        left = image.convert("RGB").getpixel((0, 0))
        assert isinstance(left, tuple) and left[0] > 200 and left[2] < 60


def test_message_that_only_looks_like_outlook_is_refused():
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + _text("__properties_version1.0")
    with pytest.raises(ValidationError, match="kan niet worden gelezen"):
        upload_cleaned(upload("bericht.msg", fake))

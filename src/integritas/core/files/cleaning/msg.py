"""An Outlook message (.msg) without the marks of the mailbox it was saved from.

A .msg is a compound file: every property of the message is a stream named after its
property tag (`__substg1.0_TTTTYYYY`), and attachments and attached messages are storages
with the same layout inside. olefile can only overwrite a stream with data of the same
size, so the cleaner blanks streams in place (zeros read as an empty value) and leaves the
layout alone:

- the transport trail and the client's marks: the internet headers (Received,
  X-Originating-IP), Message-ID, In-Reply-To and References, the conversation index;
- who received it: the name, address and entry id of the receiving mailbox, which is
  the reporter's own when the message was sent to them (also as Bcc);
- who last changed it, and the Bcc line;
- every named property (ids 0x8000 and up): Outlook keeps extra internet headers and
  its own client data there.

What the message says stays: sender, To and Cc, date, subject, body and recipients. A
JPEG attached inside loses its EXIF, XMP, IPTC, ICC and comment segments, zeroed in
place; other attached files stay as they are (the intake page asks the reporter to check
what a file says about them).
"""

import io
import re
import struct
from typing import IO, Any

import olefile

from integritas.core.files.streams import StreamView

# Property ids (the first four hex digits of the tag) whose values are blanked.
DROPPED_PROPERTIES = frozenset(
    {
        0x007D,  # PidTagTransportMessageHeaders: the whole internet header block
        0x1035,  # PidTagInternetMessageId
        0x1039,  # PidTagInternetReferences
        0x1042,  # PidTagInReplyToId
        0x0071,  # PidTagConversationIndex (Thread-Index)
        0x3013,  # PidTagConversationId
        0x0E02,  # PidTagDisplayBcc
        0x003F,  # PidTagReceivedByEntryId
        0x0040,  # PidTagReceivedByName
        0x0043,  # PidTagReceivedRepresentingEntryId
        0x0044,  # PidTagReceivedRepresentingName
        0x0051,  # PidTagReceivedBySearchKey
        0x0052,  # PidTagReceivedRepresentingSearchKey
        0x0075,  # PidTagReceivedByAddressType
        0x0076,  # PidTagReceivedByEmailAddress
        0x0077,  # PidTagReceivedRepresentingAddressType
        0x0078,  # PidTagReceivedRepresentingEmailAddress
        0x5D07,  # PidTagReceivedBySmtpAddress
        0x5D08,  # PidTagReceivedRepresentingSmtpAddress
        0x3FFA,  # PidTagLastModifierName
        0x3FFB,  # PidTagLastModifierEntryId
    }
)
FIRST_NAMED_PROPERTY = 0x8000
ATTACHMENT_DATA = 0x3701  # PidTagAttachDataBinary
_PROPERTY_STREAM = re.compile(r"^__substg1\.0_([0-9A-Fa-f]{4})([0-9A-Fa-f]{4})$")

# JPEG segments that describe the maker rather than the picture. APP0 (JFIF) and APP14
# (Adobe, how to decode the colours) stay.
_JPEG_BLANKED = frozenset({0xFE, *range(0xE1, 0xEE), 0xEF})
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


class UnreadableMsgError(ValueError):
    """The file cannot be read as a compound file."""


def _property(stream_name: str) -> tuple[int, int] | None:
    match = _PROPERTY_STREAM.match(stream_name)
    return (int(match.group(1), 16), int(match.group(2), 16)) if match else None


def blank_jpeg_metadata(data: bytearray) -> bool:
    """Zero the metadata segments of a JPEG in place; True when anything was zeroed."""
    if not data.startswith(b"\xff\xd8"):
        return False
    changed = False
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan, end of image: no metadata after this
            break
        (length,) = struct.unpack_from(">H", data, position + 2)
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise UnreadableMsgError
        if marker in _JPEG_BLANKED and any(data[position + 4 : end]):
            data[position + 4 : end] = bytes(end - position - 4)
            changed = True
        position = end
    return changed


# What olefile raises on a damaged compound file besides OSError and ValueError.
_DAMAGED = (OSError, ValueError, IndexError, KeyError, TypeError, struct.error)


class _InPlace(StreamView):
    """The file as olefile sees it: written only within its size.

    A damaged sector number in the file would otherwise make olefile write far beyond
    its end, growing the copy to any size it names.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(raw)
        self.size = raw.seek(0, io.SEEK_END)
        raw.seek(0)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.raw.tell() + len(data) > self.size:
            raise UnreadableMsgError("a write beyond the end of the file")
        return self.raw.write(data)


def clean_msg(stream: IO[bytes]) -> None:
    """Blank the identifying properties of the .msg in `stream`, in place."""
    try:
        ole = olefile.OleFileIO(_InPlace(stream), write_mode=True)
    except _DAMAGED as exc:
        raise UnreadableMsgError from exc
    try:
        for path in ole.listdir(streams=True, storages=False):
            tag = _property(path[-1])
            if tag is None:
                continue
            property_id, _type = tag
            if property_id in DROPPED_PROPERTIES or property_id >= FIRST_NAMED_PROPERTY:
                ole.write_stream(path, bytes(ole.get_size(path)))
            elif property_id == ATTACHMENT_DATA:
                data = bytearray(ole.openstream(path).read())
                if blank_jpeg_metadata(data):
                    ole.write_stream(path, bytes(data))
    except _DAMAGED as exc:
        raise UnreadableMsgError from exc
    finally:
        ole.close()
    stream.seek(0)

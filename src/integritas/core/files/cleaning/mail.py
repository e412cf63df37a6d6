"""A forwarded e-mail without the marks of the mailbox it came from, down to its attachments.

Every message keeps only its content headers: the top message and every message attached
inside it (message/rfc822, however deep). The transport trail (Received, Return-Path,
X-Originating-IP, DKIM/ARC signatures) and the client's marks (Message-ID with its host
name, User-Agent, X-Mailer, Thread-Index) go, because they could point at the mailbox or
computer the reporter used. The MIME headers of the parts stay: they describe the content.

A file attached in base64 is decoded, cleaned by the cleaner an upload of that type gets
(a photo loses its EXIF and GPS position, a PDF its document information) and encoded
again; every other line is copied byte for byte. The message is rewritten as a stream:
memory holds one line of at most `LINE_BYTES` and one header block of at most
`MAX_HEADER_BYTES`; an attached file's body passes through spool files.
"""

import binascii
import re
from collections.abc import Callable
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import IO

# The headers of a message that belong to its content: who wrote to whom, when, about
# what, and how the body is encoded.
KEEP_HEADERS = frozenset(
    {
        b"from",
        b"to",
        b"cc",
        b"date",
        b"subject",
        b"mime-version",
        b"content-type",
        b"content-transfer-encoding",
        b"content-disposition",
        b"content-language",
    }
)
MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})
MAX_HEADER_BYTES = 1024 * 1024
LINE_BYTES = 64 * 1024
MAX_DEPTH = 32  # nested parts and messages; deeper is a bomb, not a forwarded e-mail
_BASE64_LINE = 76
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]")

# Cleans the decoded content of an attached file. It gets the declared content type and
# the nesting depth; it answers the cleaned content, or None to keep the part as it was.
PartCleaner = Callable[[IO[bytes], str, int], IO[bytes] | None]
Spool = Callable[[], IO[bytes]]


class UnreadableMailError(ValueError):
    """The message cannot be read well enough to promise that its marks are gone."""


class _Lines:
    """The lines of a stream; a line longer than LINE_BYTES comes in pieces.

    Only a piece that starts a line can be a MIME boundary or a header.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._at_start = True
        self.starts = True

    def read(self) -> bytes:
        line = self._stream.readline(LINE_BYTES)
        self.starts = self._at_start
        self._at_start = line.endswith(b"\n")
        return line


class _Walk:
    def __init__(self, lines: _Lines, out: IO[bytes], clean_part: PartCleaner, spool: Spool):
        self.lines = lines
        self.out = out
        self.clean_part = clean_part
        self.spool = spool

    # --- boundaries --------------------------------------------------------------

    def _match(self, line: bytes, starts: bool, boundaries: tuple[bytes, ...]) -> int | None:
        """The index of the boundary this line delimits (innermost first), else None."""
        if not starts or not line.startswith(b"--"):
            return None
        bare = line.rstrip(b" \t\r\n")
        for index in range(len(boundaries) - 1, -1, -1):
            delimiter = b"--" + boundaries[index]
            if bare in (delimiter, delimiter + b"--"):
                return index
        return None

    def _copy_until(self, target: IO[bytes], boundaries: tuple[bytes, ...]) -> bytes:
        """Copy lines to `target` up to a boundary line of `boundaries`; return that line."""
        while True:
            line = self.lines.read()
            if not line:
                return b""
            if self._match(line, self.lines.starts, boundaries) is not None:
                return line
            target.write(line)

    # --- entities ----------------------------------------------------------------

    def _headers(self, boundaries: tuple[bytes, ...]) -> tuple[list[bytes], bytes, bytes]:
        """The header lines, the blank line after them, and a boundary that cut them short."""
        headers: list[bytes] = []
        size = 0
        while True:
            line = self.lines.read()
            size += len(line)
            if size > MAX_HEADER_BYTES:
                raise UnreadableMailError
            if not line:
                return headers, b"", b""
            if not self.lines.starts:  # the rest of a very long header line
                headers[-1] += line
                continue
            if line in (b"\r\n", b"\n"):
                return headers, line, b""
            if self._match(line, True, boundaries) is not None:
                return headers, b"", line
            headers.append(line)

    def entity(self, boundaries: tuple[bytes, ...], *, message: bool, depth: int) -> bytes:
        """Rewrite one message or MIME part; return the boundary line that ended it."""
        if depth > MAX_DEPTH:
            raise UnreadableMailError
        headers, blank, cut = self._headers(boundaries)
        self.out.write(b"".join(_kept(headers) if message else headers))
        if cut:
            return cut
        self.out.write(blank or b"\r\n")
        parsed = BytesHeaderParser(policy=compat32).parsebytes(b"".join(headers) + b"\r\n")
        content_type = parsed.get_content_type()
        encoding = str(parsed.get("content-transfer-encoding", "7bit")).strip().lower()
        boundary = parsed.get_boundary()
        if content_type.startswith("multipart/") and boundary:
            delimiter = boundary.rstrip().encode("ascii", "surrogateescape")
            return self._multipart(boundaries, delimiter, depth)
        if content_type in MESSAGE_TYPES and encoding in ("7bit", "8bit", "binary"):
            return self.entity(boundaries, message=True, depth=depth + 1)
        if encoding == "base64":
            return self._base64_part(boundaries, content_type, depth)
        return self._copy_until(self.out, boundaries)

    def _multipart(self, outer: tuple[bytes, ...], boundary: bytes, depth: int) -> bytes:
        inner = (*outer, boundary)
        line = self._copy_until(self.out, inner)  # the preamble
        while line:
            if self._match(line, True, inner) != len(outer):
                return line  # an enclosing boundary: this multipart was never closed
            self.out.write(line)
            if line.rstrip(b" \t\r\n") == b"--" + boundary + b"--":
                return self._copy_until(self.out, outer)  # the epilogue
            line = self.entity(inner, message=False, depth=depth + 1)
        return b""

    def _base64_part(self, boundaries: tuple[bytes, ...], content_type: str, depth: int) -> bytes:
        raw = self.spool()
        end = self._copy_until(raw, boundaries)
        decoded = _decode_base64(raw, self.spool())
        cleaned = self.clean_part(decoded, content_type, depth + 1)
        if cleaned is None:
            raw.seek(0)
            _copy(raw, self.out)
        else:
            raw.seek(0)
            newline = b"\r\n" if b"\r\n" in raw.readline(LINE_BYTES) else b"\n"
            _encode_base64(cleaned, self.out, newline)
        return end


def _kept(headers: list[bytes]) -> list[bytes]:
    """The content headers among `headers`, each with its folded continuation lines."""
    kept: list[bytes] = []
    keep = False
    for index, line in enumerate(headers):
        if line[:1] in (b" ", b"\t") and index:
            if keep:
                kept.append(line)  # a folded continuation of the header before
            continue
        if b":" not in line:
            raise UnreadableMailError  # not a header: not an e-mail we can read
        keep = line.split(b":", 1)[0].strip().lower() in KEEP_HEADERS
        if keep:
            kept.append(line)
    return kept


def _copy(source: IO[bytes], target: IO[bytes]) -> None:
    for chunk in iter(lambda: source.read(LINE_BYTES), b""):
        target.write(chunk)


def _decode_base64(raw: IO[bytes], target: IO[bytes]) -> IO[bytes]:
    raw.seek(0)
    carry = b""
    for chunk in iter(lambda: raw.read(LINE_BYTES), b""):
        data = carry + _NOT_BASE64.sub(b"", chunk)
        whole = len(data) - len(data) % 4
        carry = data[whole:]
        try:
            target.write(binascii.a2b_base64(data[:whole]))
        except binascii.Error as exc:
            raise UnreadableMailError from exc
    if carry:
        raise UnreadableMailError  # cut off in the middle of a group
    target.seek(0)
    return target


def _encode_base64(source: IO[bytes], target: IO[bytes], newline: bytes) -> None:
    source.seek(0)
    block = _BASE64_LINE // 4 * 3  # the bytes of one output line
    for chunk in iter(lambda: source.read(block * 1024), b""):
        for start in range(0, len(chunk), block):
            target.write(binascii.b2a_base64(chunk[start : start + block], newline=False))
            target.write(newline)


def clean_mail(
    stream: IO[bytes], out: IO[bytes], *, clean_part: PartCleaner, spool: Spool, depth: int = 0
) -> None:
    """Write the message in `stream` to `out` without the marks of where it came from."""
    stream.seek(0)
    _Walk(_Lines(stream), out, clean_part, spool).entity((), message=True, depth=depth)

"""The virus scan: the plaintext streamed to clamd (INSTREAM) while it is stored."""

import logging
import socket
import struct
from enum import StrEnum

from django.conf import settings

logger = logging.getLogger(__name__)

_LENGTH = struct.Struct(">I")  # clamd INSTREAM: every chunk after its 4-byte length


class Verdict(StrEnum):
    """What the scan found; the values an app stores (the cases app's ScanStatus)."""

    PENDING = "pending"  # not scanned (yet): no clamd configured, reachable or decisive
    CLEAN = "clean"
    INFECTED = "infected"


class Scanner:
    """Streams the plaintext to clamd while it is stored; the verdict comes at the end.

    Without INTEGRITAS_CLAMD_SOCKET, or when clamd cannot be reached, the verdict stays
    pending: the app keeps the file marked so (and scans it later, as
    `scan_pending_attachments` does for cases).
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
            self.close()

    @property
    def connected(self) -> bool:
        """Whether clamd is listening: False without one, or when it cannot be reached."""
        return self.sock is not None

    def send(self, chunk: bytes) -> None:
        if self.sock is None:
            return
        try:
            for start in range(0, len(chunk), 64 * 1024):
                part = chunk[start : start + 64 * 1024]
                self.sock.sendall(_LENGTH.pack(len(part)) + part)
        except OSError:
            logger.warning("clamd closed the stream; attachment scan stays pending")
            self.close()

    def verdict(self) -> Verdict:
        if self.sock is None:
            return Verdict.PENDING
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
            return Verdict.PENDING
        finally:
            self.close()
        return _clamd_status(reply)

    def close(self) -> None:
        """Give up the scan (the verdict stays pending)."""
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


def _clamd_status(reply: bytes) -> Verdict:
    text = reply.rstrip(b"\0").strip()
    if text.endswith(b" FOUND"):
        return Verdict.INFECTED
    if text.endswith(b": OK"):
        return Verdict.CLEAN
    logger.warning("clamd could not scan an attachment; scan stays pending")
    return Verdict.PENDING

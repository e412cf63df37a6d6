"""A clamd that speaks INSTREAM on 127.0.0.1, for the virus-scan tests."""

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .samples import EICAR


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

    @classmethod
    @contextmanager
    def serving(cls, settings: Any, connections: int = 1) -> Iterator["FakeClamd"]:
        """A fake clamd, set as INTEGRITAS_CLAMD_SOCKET in pytest-django's `settings`."""
        fake = cls(connections)
        settings.INTEGRITAS_CLAMD_SOCKET = f"127.0.0.1:{fake.port}"
        settings.INTEGRITAS_CLAMD_TIMEOUT = 5
        try:
            yield fake
        finally:
            fake.close()

"""The backup file format: a stream encrypted in chunks, with a checksum at the end.

See docs/adr/0004-encrypted-streaming-backup.md. In short:

    header   b"IGBACKUP" | version (1 byte) | salt (32) | key commitment (32)
    records  flag (1 byte: 0 more, 1 final) | length (4, big-endian) | AES-256-GCM ciphertext
    trailer  SHA-256 of every byte before it (32)

The archive key and the commitment are derived from INTEGRITAS_BACKUP_KEY and the random
salt with HKDF-SHA256, so every archive has its own key. Each record is one chunk of the
plaintext (1 MiB), sealed with a nonce made of its index and the final flag and with the
header as associated data (the STREAM construction): reordering, dropping, truncating or
splicing records from another archive fails to authenticate. The commitment tells a wrong
key apart from damage before anything is decrypted; the trailer lets anyone check a copy
for damage without the key. Memory stays bounded by the chunk size both ways.
"""

import base64
import binascii
import hashlib
import hmac
import io
import os
import re
import struct
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import ArchiveDamagedError, ArchiveForeignError, BackupKeyError

MAGIC = b"IGBACKUP"
VERSION = 1
SALT_BYTES = 32
COMMIT_BYTES = 32
HEADER = struct.Struct(f">{len(MAGIC)}sB{SALT_BYTES}s{COMMIT_BYTES}s")
RECORD = struct.Struct(">BI")  # final flag, ciphertext length
CHUNK_BYTES = 1024 * 1024
TAG_BYTES = 16
CHECKSUM_BYTES = 32
_MORE, _FINAL = 0, 1
_INFO_KEY = b"integritas-backup-v1:archive-key"
_INFO_COMMIT = b"integritas-backup-v1:key-commitment"


def decode_backup_key(value: str, *, master_key: str = "") -> bytes:
    """The 32 raw bytes of INTEGRITAS_BACKUP_KEY, or a Dutch reason why not."""
    if not value:
        raise BackupKeyError(
            "INTEGRITAS_BACKUP_KEY is niet ingesteld. Zet een eigen back-upsleutel (32 "
            "willekeurige bytes, url-safe base64; `make setup` schrijft er een in .env) in "
            "de omgeving. Gebruik nooit de hoofdsleutel. Zie docs/operations.md, "
            "'Back-up en herstel'."
        )
    if not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", value):
        raise BackupKeyError("INTEGRITAS_BACKUP_KEY is geen url-safe base64.")
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii") + b"=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BackupKeyError("INTEGRITAS_BACKUP_KEY is geen url-safe base64.") from exc
    if len(raw) != 32:
        raise BackupKeyError("INTEGRITAS_BACKUP_KEY moet precies 32 bytes zijn (base64).")
    if master_key and value.rstrip("=") == master_key.rstrip("="):
        raise BackupKeyError(
            "INTEGRITAS_BACKUP_KEY is gelijk aan de hoofdsleutel. Gebruik een eigen "
            "back-upsleutel: de hoofdsleutel hoort nooit bij een back-up."
        )
    return raw


def _derive(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)


def _nonce(index: int, final: bool) -> bytes:
    return b"\x00\x00\x00" + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


class ArchiveWriter(io.RawIOBase):
    """A write-only stream that encrypts what it is given into `out`, chunk by chunk.

    `close()` writes the final record and the checksum; without it the archive is
    incomplete and a restore refuses it.
    """

    def __init__(self, out: IO[bytes], key: bytes) -> None:
        super().__init__()
        salt = os.urandom(SALT_BYTES)
        self._out = out
        self._aead = AESGCM(_derive(key, salt, _INFO_KEY))
        self._header = HEADER.pack(MAGIC, VERSION, salt, _derive(key, salt, _INFO_COMMIT))
        self._digest = hashlib.sha256()
        self._buffer = bytearray()
        self._index = 0
        self._emit(self._header)

    def writable(self) -> bool:
        return True

    def _emit(self, data: bytes) -> None:
        self._digest.update(data)
        self._out.write(data)

    def _seal(self, chunk: bytes, final: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._index, final), chunk, self._header)
        self._emit(RECORD.pack(_FINAL if final else _MORE, len(sealed)) + sealed)
        self._index += 1

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("write to a closed archive")
        self._buffer += data
        # Strictly more than a chunk: the last chunk is always sealed by close(), as final.
        while len(self._buffer) > CHUNK_BYTES:
            self._seal(bytes(self._buffer[:CHUNK_BYTES]), final=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def close(self) -> None:
        if self.closed:
            return
        self._seal(bytes(self._buffer), final=True)
        self._buffer.clear()
        self._out.write(self._digest.digest())
        self._out.flush()
        super().close()


def _read_exact(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise ArchiveDamagedError(
            "Het archief is afgebroken (onvolledig gekopieerd of beschadigd)."
        )
    return data


def _header(stream: IO[bytes], key: bytes) -> tuple[bytes, bytes]:
    """The header bytes and the archive key; refuses what is no archive or another key's."""
    raw = stream.read(HEADER.size)
    if len(raw) != HEADER.size or not raw.startswith(MAGIC):
        raise ArchiveDamagedError("Dit bestand is geen Integritas-back-up (of is beschadigd).")
    _, version, salt, commitment = HEADER.unpack(raw)
    if version != VERSION:
        raise ArchiveDamagedError(
            f"Onbekende versie {version} van het back-upformaat; deze software leest versie "
            f"{VERSION}."
        )
    if not hmac.compare_digest(commitment, _derive(key, salt, _INFO_COMMIT)):
        raise ArchiveForeignError(
            "Dit archief is met een andere back-upsleutel versleuteld: het hoort bij een "
            "andere installatie, of INTEGRITAS_BACKUP_KEY is niet de sleutel waarmee het "
            "is gemaakt."
        )
    return raw, _derive(key, salt, _INFO_KEY)


class ArchiveReader(io.RawIOBase):
    """A read-only stream of the decrypted content of an archive.

    Raises ArchiveForeignError at once for another key, and ArchiveDamagedError (possibly
    part-way) when a record does not authenticate, the end is missing or the checksum
    differs. Nothing is returned that has not been authenticated.
    """

    def __init__(self, stream: IO[bytes], key: bytes) -> None:
        super().__init__()
        self._in = stream
        self._header, archive_key = _header(stream, key)
        self._aead = AESGCM(archive_key)
        self._digest = hashlib.sha256(self._header)
        self._buffer = b""
        self._position = 0
        self._index = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _next(self) -> bytes:
        prefix = _read_exact(self._in, RECORD.size)
        flag, length = RECORD.unpack(prefix)
        if flag not in (_MORE, _FINAL) or not TAG_BYTES <= length <= CHUNK_BYTES + TAG_BYTES:
            raise ArchiveDamagedError("Het archief is beschadigd (ongeldig blok).")
        sealed = _read_exact(self._in, length)
        self._digest.update(prefix + sealed)
        final = flag == _FINAL
        try:
            chunk = self._aead.decrypt(_nonce(self._index, final), sealed, self._header)
        except InvalidTag as exc:
            raise ArchiveDamagedError(
                f"Het archief is beschadigd: blok {self._index} is niet echt "
                "(controle van de authenticatiecode mislukt)."
            ) from exc
        self._index += 1
        if final:
            self._finish()
        return chunk

    def _finish(self) -> None:
        checksum = self._in.read(CHECKSUM_BYTES + 1)
        if len(checksum) != CHECKSUM_BYTES or not hmac.compare_digest(
            checksum, self._digest.digest()
        ):
            raise ArchiveDamagedError("Het archief is beschadigd: de controlesom klopt niet.")
        self._done = True

    def read(self, size: int | None = -1) -> bytes:
        wanted = None if size is None or size < 0 else size
        while not self._done and (wanted is None or len(self._buffer) - self._position < wanted):
            self._buffer = self._buffer[self._position :] + self._next()
            self._position = 0
        end = len(self._buffer) if wanted is None else self._position + wanted
        data = self._buffer[self._position : end]
        self._position += len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def drain(self) -> None:
        """Read to the end, so that the final record and the checksum are checked."""
        while self.read(CHUNK_BYTES):
            pass


def archive_checksum_ok(path: Path) -> bool:
    """Whether the trailer matches the bytes before it: damage shows without the key."""
    size = path.stat().st_size
    if size < HEADER.size + RECORD.size + TAG_BYTES + CHECKSUM_BYTES:
        return False
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        left = size - CHECKSUM_BYTES
        while left:
            block = stream.read(min(CHUNK_BYTES, left))
            if not block:
                return False
            digest.update(block)
            left -= len(block)
        return hmac.compare_digest(stream.read(), digest.digest())

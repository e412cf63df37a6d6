"""Files sealed in chunks under a key holder's data key, scanned while they are stored.

Issue 3 "Attachments": chunked encryption and the virus-scan hook; any key holder (here a
plain object, in the Meldpunt a case) can keep files this way.
"""

import hashlib
import socket
import struct
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from integritas.core.encryption.sealing import Sealer
from integritas.core.files.intake import upload_store
from integritas.core.files.scanning import Verdict
from integritas.core.files.storage import SealedFile, SealedFileError, sealed_file_open

from .clamd import FakeClamd
from .samples import CANARY, EICAR, upload


@dataclass
class Holder:
    number: str
    key_id: str = ""
    wrapped_key: bytes = b""


SEALER = Sealer[Holder](label="test", identity=lambda h: h.number, organisation=lambda h: 1)


@pytest.fixture
def holder() -> Holder:
    made = Holder("T-1")
    SEALER.new_key(made)
    return made


def store(holder: Holder, name: str, content: bytes) -> SealedFile:
    stored = upload_store(
        upload(name, content),
        prefix="tests/",
        seal=lambda chunk, row: SEALER.seal_bytes(holder, "file", chunk, row=row),
    )
    return stored.file


def opened(holder: Holder, stored: SealedFile) -> Iterator[bytes]:
    return sealed_file_open(
        stored.storage_name,
        unseal=lambda blob, row: SEALER.unseal_bytes(holder, "file", blob, row=row),
    )


def read_back(holder: Holder, stored: SealedFile) -> bytes:
    return b"".join(opened(holder, stored))


def stored_bytes(stored: SealedFile) -> bytes:
    with default_storage.open(stored.storage_name, "rb") as handle:
        return handle.read()


def replace_stored(stored: SealedFile, data: bytes) -> None:
    default_storage.delete(stored.storage_name)
    assert default_storage.save(stored.storage_name, ContentFile(data)) == stored.storage_name


def records(data: bytes) -> list[bytes]:
    out, pos = [], 4
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        out.append(data[pos : pos + 4 + length])
        pos += 4 + length
    return out


# --- encryption -------------------------------------------------------------------


def test_stored_bytes_hold_no_content_and_describe_the_cleaned_file(holder):
    content = b"Wat er gebeurde: " + CANARY + b"\n"
    stored = store(holder, "klacht-over-jansen.txt", content)
    assert CANARY not in stored_bytes(stored)
    assert stored.storage_name.startswith("tests/") and "jansen" not in stored.storage_name
    assert read_back(holder, stored) == content
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()


@pytest.fixture
def big(holder):
    # Three chunks: 1 MiB, 1 MiB and the rest, so memory stays bounded per chunk.
    content = (b"regel met tekst " * 65536 * 2) + b"einde"
    return store(holder, "groot.txt", content), content


def test_round_trip_in_chunks(holder, big):
    stored, content = big
    chunks = list(opened(holder, stored))
    assert [len(c) for c in chunks] == [1024 * 1024, 1024 * 1024, 5]
    assert b"".join(chunks) == content


def test_tampered_chunk_is_detected(holder, big):
    stored, _ = big
    raw = bytearray(stored_bytes(stored))
    raw[100] ^= 0x01
    replace_stored(stored, bytes(raw))
    with pytest.raises(SealedFileError):
        read_back(holder, stored)


def test_reordered_and_truncated_chunks_are_detected(holder, big):
    stored, _ = big
    raw = stored_bytes(stored)
    first, second, third = records(raw)
    replace_stored(stored, raw[:4] + second + first + third)
    with pytest.raises(SealedFileError):
        read_back(holder, stored)
    replace_stored(stored, raw[:4] + first + second)  # last chunk dropped
    with pytest.raises(SealedFileError):
        read_back(holder, stored)


def test_chunks_are_bound_to_their_holder_and_file(holder):
    one = store(holder, "a.txt", b"eerste bestand")
    two = store(holder, "b.txt", b"tweede bestand")
    replace_stored(two, stored_bytes(one))
    with pytest.raises(SealedFileError):
        read_back(holder, two)
    other = Holder("T-2", key_id=holder.key_id, wrapped_key=holder.wrapped_key)  # same key
    with pytest.raises(SealedFileError):
        read_back(other, one)


def test_a_missing_or_foreign_file_is_refused(holder):
    with pytest.raises(SealedFileError):
        opened(holder, SealedFile("tests/niet-er", 0, "", Verdict.PENDING))
    default_storage.save("tests/vreemd", ContentFile(b"geen verzegeld bestand"))
    with pytest.raises(SealedFileError):
        read_back(holder, SealedFile("tests/vreemd", 0, "", Verdict.PENDING))


# --- virus scan -------------------------------------------------------------------


@pytest.fixture
def clamd(settings) -> Iterator[FakeClamd]:
    with FakeClamd.serving(settings) as fake:
        yield fake


def test_clamd_clean(holder, clamd):
    stored = store(holder, "notitie.txt", b"schoon bestand")
    assert stored.scan_status == Verdict.CLEAN
    assert clamd.received == b"schoon bestand"  # the plaintext, scanned before encryption


def test_clamd_infected(holder, clamd):
    assert store(holder, "eicar.txt", EICAR).scan_status == Verdict.INFECTED


def test_without_clamd_status_stays_pending(holder, settings):
    assert settings.INTEGRITAS_CLAMD_SOCKET == ""
    assert store(holder, "notitie.txt", b"tekst").scan_status == Verdict.PENDING


def test_unreachable_clamd_leaves_pending(holder, settings):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    settings.INTEGRITAS_CLAMD_SOCKET = f"127.0.0.1:{port}"
    assert store(holder, "notitie.txt", b"tekst").scan_status == Verdict.PENDING

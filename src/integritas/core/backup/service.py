"""One archive of an installation, and its careful way back (docs/operations.md).

The archive is a tar stream, encrypted by `archive.ArchiveWriter`, holding in this order:

    manifest.json     format, software version, database kind, applied migrations, the ids
                      of the master keys in use (never a key), checks for the keys and the
                      pepper that a restore needs
    database.*        the SQLite copy or the pg_dump
    media/<name>      every stored file, still sealed under its key holder's data key
    checksums.json    SHA-256 of every member before it

A restore checks everything before it changes anything: the archive's checksum, the
backup key, the manifest against this installation's keys and software, that the target
is empty, and then every member against its checksum; only then does it write. Memory
stays flat: the database goes through a temporary file, files stream through.
"""

import base64
import hashlib
import hmac
import io
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import IO, Any, cast

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count
from django.utils import timezone

from integritas.core import crypto
from integritas.core.encryption.keys import key_holders

from . import files, postgres, sqlite
from .archive import ArchiveReader, ArchiveWriter, archive_checksum_ok, decode_backup_key
from .errors import ArchiveDamagedError, ArchiveForeignError, BackupError, TargetNotEmptyError

FORMAT = "integritas-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKSUMS = "checksums.json"
MEDIA_PREFIX = "media/"
# Tables that `migrate` fills by itself: a target holding rows only there counts as empty.
# Tables `migrate` fills by itself: Django's own, and reference data that a data migration
# loads (the dilemma library of awareness). Both restores replace the whole database.
MIGRATE_FILLS = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "awareness_dilemma"}
)
_PEPPER_CHECK = b"integritas:backup:pepper-check:v1"
_TAR_MEMBERS_KEPT = 1000  # tarfile remembers every member; forget them in batches

Progress = Callable[[str], None]


@dataclass
class Summary:
    files: int = 0
    file_bytes: int = 0
    database_bytes: int = 0
    skipped: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)


def _backup_key() -> bytes:
    return decode_backup_key(
        settings.INTEGRITAS_BACKUP_KEY, master_key=settings.INTEGRITAS_MASTER_KEY
    )


def _engine(vendor: str) -> ModuleType:
    if vendor == "sqlite":
        return sqlite
    if vendor == "postgresql":
        return postgres
    raise BackupError(f"Back-up van een {vendor}-database wordt niet ondersteund.")


def software_version() -> str:
    try:
        return version("integritas")
    except PackageNotFoundError:  # pragma: no cover - a source tree without install
        return "onbekend"


def pepper_check() -> str:
    """A keyed value that shows whether two installations share the receipt pepper."""
    pepper = settings.INTEGRITAS_RECEIPT_PEPPER.encode()
    return hmac.new(pepper, _PEPPER_CHECK, hashlib.sha256).hexdigest()


def _key_ids() -> tuple[dict[str, int], dict[str, str]]:
    """Rows per master key id over every key holder model, and one wrapped data key per id.

    A wrapped data key is what the database dump holds anyway; a restore unwraps it to
    prove the master key in its environment is the one the archive needs.
    """
    in_use: dict[str, int] = {}
    checks: dict[str, str] = {}
    for holder in key_holders():
        manager = holder.model._default_manager
        for key_id, rows in manager.values_list("key_id").annotate(n=Count("pk")).order_by():
            in_use[key_id] = in_use.get(key_id, 0) + rows
            if key_id not in checks:
                wrapped = manager.filter(key_id=key_id).values_list("wrapped_key", flat=True)[0]
                checks[key_id] = base64.b64encode(bytes(wrapped)).decode("ascii")
    return in_use, checks


def _manifest(member: str) -> dict[str, Any]:
    applied = MigrationRecorder(connection).applied_migrations()
    in_use, checks = _key_ids()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "software_version": software_version(),
        "database": {"vendor": connection.vendor, "member": member},
        "migrations": sorted(f"{app}.{name}" for app, name in applied),
        "master_keys": {"current": settings.INTEGRITAS_MASTER_KEY_ID, "in_use": in_use},
        "key_checks": checks,
        "pepper_check": pepper_check(),
    }


class _Hashing(io.RawIOBase):
    """Reads through `raw` and hashes what passed."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self.raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self.raw.read(-1 if size is None else size)
        self.digest.update(data)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _add(tar: tarfile.TarFile, name: str, stream: IO[bytes], size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    hashing = _Hashing(stream)
    tar.addfile(info, hashing)
    _forget(tar)
    return hashing.digest.hexdigest()


def _forget(tar: tarfile.TarFile) -> None:
    """Drop the members tarfile remembers (for extraction and hard links, neither ours),
    so that 50,000 files do not pile up in memory."""
    members: list[tarfile.TarInfo] = cast(Any, tar).members
    if len(members) > _TAR_MEMBERS_KEPT:
        members.clear()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> str:
    return _add(tar, name, io.BytesIO(data), len(data))


@contextmanager
def _new_file(path: Path) -> Iterator[IO[bytes]]:
    """Create `path` for the owner only, refusing to overwrite anything."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise BackupError(f"{path} bestaat al; kies een nieuwe bestandsnaam.") from exc
    with os.fdopen(descriptor, "wb") as stream:
        yield stream


def backup_create(output: Path, *, progress: Progress | None = None) -> Summary:
    """Write the archive to `output` (created new, readable by its owner only).

    The database is copied first, then the files: a file stored after the copy is an
    orphan that purge_expired removes; a file deleted meanwhile (by purge_expired) is
    skipped and counted, and its row goes at the next purge after a restore.
    """
    key = _backup_key()
    engine = _engine(connection.vendor)
    say = progress or (lambda _: None)
    summary = Summary(manifest=_manifest(engine.MEMBER))
    partial = output.with_name(output.name + ".part")
    with tempfile.TemporaryDirectory(prefix="integritas-backup-", dir=output.parent) as tmp:
        database = Path(tmp) / engine.MEMBER
        say("Database kopiëren…")
        engine.dump(database)
        summary.database_bytes = database.stat().st_size
        try:
            with _new_file(partial) as out:
                writer = ArchiveWriter(out, key)
                with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                    checksums = {MANIFEST: _add_bytes(tar, MANIFEST, _json(summary.manifest))}
                    with database.open("rb") as stream:
                        checksums[engine.MEMBER] = _add(
                            tar, engine.MEMBER, stream, summary.database_bytes
                        )
                    database.unlink()
                    say("Bestanden kopiëren…")
                    for name in files.stored_files():
                        try:
                            size = files.stored_size(name)
                            stream = files.stored_open(name)
                        except FileNotFoundError:
                            summary.skipped += 1
                            continue
                        with stream:
                            checksums[MEDIA_PREFIX + name] = _add(
                                tar, MEDIA_PREFIX + name, stream, size
                            )
                        summary.files += 1
                        summary.file_bytes += size
                    _add_bytes(tar, CHECKSUMS, _json(checksums))
                writer.close()
            partial.rename(output)
        finally:
            partial.unlink(missing_ok=True)
    return summary


def _json(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=True).encode("ascii")


# --- restore ------------------------------------------------------------------------


@contextmanager
def _open_archive(path: Path, key: bytes) -> Iterator[tarfile.TarFile]:
    with path.open("rb") as raw:
        reader = ArchiveReader(raw, key)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                yield tar
            reader.drain()
        except tarfile.TarError as exc:
            raise ArchiveDamagedError("Het archief is beschadigd (ongeldige inhoud).") from exc


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """The members not read yet (iterating the TarFile would start over from its list)."""
    while (member := tar.next()) is not None:
        if not member.isfile():
            raise ArchiveDamagedError("Het archief bevat iets anders dan bestanden.")
        yield member
        _forget(tar)


def _read_manifest(tar: tarfile.TarFile) -> tuple[dict[str, Any], str]:
    member = tar.next()
    stream = tar.extractfile(member) if member and member.name == MANIFEST else None
    if stream is None:
        raise ArchiveDamagedError("Het archief begint niet met een manifest.")
    data = stream.read()
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise ArchiveDamagedError("Het manifest van het archief is onleesbaar.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveDamagedError("Het archief heeft geen Integritas-manifest.")
    return manifest, hashlib.sha256(data).hexdigest()


def check_manifest(manifest: dict[str, Any]) -> None:
    """Refuse an archive this installation cannot take: other database, newer software,
    missing or different master keys, another receipt pepper."""
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveDamagedError(
            f"Onbekende manifestversie {manifest.get('format_version')!r}; deze software leest "
            f"versie {FORMAT_VERSION}."
        )
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise ArchiveForeignError(
            f"Dit archief bevat een {vendor}-database; deze installatie gebruikt "
            f"{connection.vendor}. Herstel in een installatie met hetzelfde soort database."
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise ArchiveForeignError(
            f"Dit archief is gemaakt door nieuwere software (versie "
            f"{manifest.get('software_version')}); deze software kent {len(unknown)} "
            f"migratie(s) niet, bv. {unknown[0]}. Installeer eerst die versie."
        )
    configured = crypto.master_keys()
    for key_id, wrapped in sorted(manifest["key_checks"].items()):
        if key_id not in configured:
            raise ArchiveForeignError(
                f"De hoofdsleutel met id {key_id} ontbreekt. Zet hem als "
                "INTEGRITAS_MASTER_KEY (met INTEGRITAS_MASTER_KEY_ID) of in "
                "INTEGRITAS_PREVIOUS_MASTER_KEYS (id:sleutel); zonder hem is de inhoud "
                "onleesbaar."
            )
        try:
            crypto.unwrap_data_key(crypto.WrappedKey(key_id, base64.b64decode(wrapped)))
        except (crypto.DecryptionError, ValueError) as exc:
            raise ArchiveForeignError(
                f"De ingestelde hoofdsleutel met id {key_id} past niet bij dit archief: het "
                "komt van een andere installatie, of de sleutel is een andere dan toen."
            ) from exc
    if not hmac.compare_digest(str(manifest.get("pepper_check", "")), pepper_check()):
        raise ArchiveForeignError(
            "INTEGRITAS_RECEIPT_PEPPER verschilt van die van de installatie die dit archief "
            "maakte: ontvangstcodes zouden niet meer werken. Zet dezelfde pepper."
        )


def tables_with_data() -> list[str]:
    """The tables of the target database that hold rows `migrate` did not put there."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        filled = []
        for name in sorted(set(names) - MIGRATE_FILLS):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                filled.append(name)
    return filled


def check_target_empty(engine: ModuleType) -> None:
    """An empty target: no database yet, or one holding no rows beyond what `migrate`
    writes itself (MIGRATE_FILLS); and no stored file at all."""
    if engine.target_exists():
        filled = tables_with_data()
        connection.close()
        if filled:
            raise TargetNotEmptyError(
                f"De doeldatabase bevat al gegevens ({len(filled)} tabel(len), bv. "
                f"{filled[0]}). Herstel alleen in een nieuwe of lege database; er is niets "
                "gewijzigd."
            )
    if not files.storage_is_empty():
        raise TargetNotEmptyError(
            "De map met bestanden (MEDIA_ROOT) is niet leeg. Herstel alleen in een lege map; "
            "er is niets gewijzigd."
        )


def _verify(tar: tarfile.TarFile, manifest_sum: str, engine: ModuleType, database: Path) -> Summary:
    """Read every member, hash it against checksums.json and keep the database aside."""
    summary = Summary()
    seen = {MANIFEST: manifest_sum}
    checksums: dict[str, str] | None = None
    for member in _members(tar):
        if checksums is not None:
            raise ArchiveDamagedError("Het archief gaat door na de lijst met controlesommen.")
        stream = tar.extractfile(member)
        assert stream is not None  # noqa: S101 - a regular file, checked in _members
        if member.name == CHECKSUMS:
            checksums = json.loads(stream.read())
            continue
        hashing = _Hashing(stream)
        if member.name == engine.MEMBER:
            with database.open("wb") as out:
                while block := hashing.read(1024 * 1024):
                    out.write(block)
            summary.database_bytes = member.size
        elif member.name.startswith(MEDIA_PREFIX):
            files.safe_name(member.name.removeprefix(MEDIA_PREFIX))
            while hashing.read(1024 * 1024):
                pass
            summary.files += 1
            summary.file_bytes += member.size
        else:
            raise ArchiveDamagedError(f"Onverwacht onderdeel in het archief: {member.name}.")
        seen[member.name] = hashing.digest.hexdigest()
    if checksums is None or engine.MEMBER not in seen:
        raise ArchiveDamagedError(
            "Het archief is onvolledig (controlesommen of database ontbreken)."
        )
    if checksums != seen:
        raise ArchiveDamagedError("Het archief is beschadigd: een controlesom klopt niet.")
    engine.check_dump(database)
    return summary


def backup_restore(
    path: Path, *, check_only: bool = False, progress: Progress | None = None
) -> Summary:
    """Restore the archive at `path` into this installation's empty database and media.

    `check_only` checks the archive completely against this installation and writes
    nothing. Refusals raise a BackupError subclass with a Dutch message.
    """
    key = _backup_key()
    say = progress or (lambda _: None)
    if not path.is_file():
        raise BackupError(f"{path} bestaat niet of is geen bestand.")
    say("Controlesom van het archief controleren…")
    if not archive_checksum_ok(path):
        raise ArchiveDamagedError(
            "Het archief is beschadigd of onvolledig: de controlesom klopt niet. Gebruik een "
            "andere kopie."
        )
    engine = _engine(connection.vendor)
    with tempfile.TemporaryDirectory(prefix="integritas-restore-") as tmp:
        database = Path(tmp) / engine.MEMBER
        with _open_archive(path, key) as tar:
            manifest, manifest_sum = _read_manifest(tar)
            check_manifest(manifest)
            if not check_only:
                check_target_empty(engine)
            say("Inhoud van het archief controleren…")
            summary = _verify(tar, manifest_sum, engine, database)
        summary.manifest = manifest
        if check_only:
            return summary
        say("Database terugzetten…")
        engine.prepare_target()
        engine.restore(database)
        database.unlink()
    say("Bestanden terugzetten…")
    with _open_archive(path, key) as tar:
        for member in _members(tar):
            if member.name.startswith(MEDIA_PREFIX):
                stream = tar.extractfile(member)
                assert stream is not None  # noqa: S101
                files.stored_save(files.safe_name(member.name.removeprefix(MEDIA_PREFIX)), stream)
    connections.close_all()
    return summary

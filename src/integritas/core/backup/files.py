"""The stored files (MEDIA_ROOT, through `default_storage`), listed, checked and put back.

Every file there is already sealed under its key holder's data key (core/files/storage.py),
so the backup copies the bytes as they are and never decrypts them.
"""

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

from .errors import ArchiveDamagedError, BackupError


def _walk(directory: str) -> Iterator[str]:
    try:
        directories, files = default_storage.listdir(directory)
    except FileNotFoundError:  # no MEDIA_ROOT yet: nothing stored
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from _walk(f"{directory}/{name}" if directory else name)


def stored_files() -> Iterator[str]:
    """Every stored file's name, in a stable order (a generator: 50,000 names are fine)."""
    return _walk("")


def storage_is_empty() -> bool:
    return next(stored_files(), None) is None


def stored_size(name: str) -> int:
    return int(default_storage.size(name))


def stored_open(name: str) -> IO[bytes]:
    return default_storage.open(name, "rb")


def safe_name(name: str) -> str:
    """A storage name from an archive, refused when it could leave the media folder."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        raise ArchiveDamagedError("Het archief bevat een ongeldige bestandsnaam.")
    return name


def stored_save(name: str, stream: IO[bytes]) -> None:
    saved = default_storage.save(name, File(stream, name=name))
    if saved != name:
        raise BackupError(
            f"Bestand {name} kon niet onder zijn eigen naam worden teruggezet; de map met "
            "bestanden (MEDIA_ROOT) is niet leeg."
        )

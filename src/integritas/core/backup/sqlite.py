"""SQLite through its online backup API: a consistent copy while the application runs.

The same API restores: it replaces every page of the target database, so a target that
was only migrated ends up exactly as the backup, WAL mode included.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from django.db import connection

from .errors import ArchiveDamagedError

MEMBER = "database.sqlite3"
_PAGES_PER_STEP = 4096


def _path() -> Path:
    return Path(connection.settings_dict["NAME"])


def dump(target: Path) -> None:
    """Copy the live database into `target`, a step at a time (the writers keep going)."""
    source_uri = _path().resolve().as_uri() + "?mode=ro"
    with (
        closing(sqlite3.connect(source_uri, uri=True)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy, pages=_PAGES_PER_STEP)


def check_dump(path: Path) -> None:
    """Refuse a database file that SQLite itself finds broken."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            result = db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ArchiveDamagedError(
            "De database in het archief is geen geldige SQLite-database."
        ) from exc
    if result is None or result[0] != "ok":
        raise ArchiveDamagedError("De database in het archief is beschadigd (quick_check).")


def target_exists() -> bool:
    path = _path()
    return path.is_file() and path.stat().st_size > 0


def prepare_target() -> None:
    _path().parent.mkdir(parents=True, exist_ok=True)


def restore(source: Path) -> None:
    """Replace the target database by `source`; no other connection may be open."""
    connection.close()
    with (
        closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as copy,
        closing(sqlite3.connect(_path())) as target,
    ):
        copy.backup(target, pages=_PAGES_PER_STEP)

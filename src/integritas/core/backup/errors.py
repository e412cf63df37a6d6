"""Why a backup or a restore stops; the message is shown to the operator as is (Dutch)."""


class BackupError(Exception):
    """A backup or restore cannot go on; `str()` is a Dutch message without content."""


class BackupKeyError(BackupError):
    """INTEGRITAS_BACKUP_KEY is missing or unusable."""


class ArchiveDamagedError(BackupError):
    """The archive is truncated, altered or not an Integritas backup at all."""


class ArchiveForeignError(BackupError):
    """The archive is intact but belongs to another key or installation."""


class TargetNotEmptyError(BackupError):
    """The database or the media folder to restore into already holds data."""

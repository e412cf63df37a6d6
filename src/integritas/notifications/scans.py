"""The one reminder run and the one retention run, filled by the apps that need them.

`integritas send_reminders` and `integritas purge_expired` run every scan registered here.
A domain app registers its scans in its ``AppConfig.ready()``; the commands know no app.
Scans must be idempotent (a reminder goes out once, a purged row is gone), so running the
commands twice, or after a crash half-way, is safe.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ScanReport:
    """What one scan did, ready to print: a line per item, warnings, and a summary line."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Number of reminders sent (reminder scans); retention scans put theirs in `summary`.
    count: int = 0
    summary: str = ""


ReminderScan = Callable[[], ScanReport]
RetentionScan = Callable[[bool], ScanReport]  # argument: dry_run

_reminder_scans: dict[str, ReminderScan] = {}
_retention_scans: dict[str, RetentionScan] = {}


def register_reminder_scan(name: str, scan: ReminderScan) -> None:
    _reminder_scans[name] = scan


def register_retention_scan(name: str, scan: RetentionScan) -> None:
    _retention_scans[name] = scan


def reminder_scans() -> dict[str, ReminderScan]:
    return dict(_reminder_scans)


def retention_scans() -> dict[str, RetentionScan]:
    return dict(_retention_scans)

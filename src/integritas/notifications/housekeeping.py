"""Retention of the shared machinery below the domain apps, run by `purge_expired`."""

from django.utils.translation import gettext as _

from integritas.audit.denials import denied_counters_purge
from integritas.core import throttle

from .scans import ScanReport


def throttle_purge_scan(dry_run: bool) -> ScanReport:
    """Throttle counters older than every window are useless: without this run the table
    would grow by a row per client key and window forever. The same holds for the
    counters of refused access (audit/denials.py), one row per refused user."""
    if dry_run:
        return ScanReport()
    deleted = throttle.purge_old() + denied_counters_purge()
    # Shown only when something went: the command's output stays what operators know.
    summary = _("%(count)d verlopen tellers van de pogingenteller opgeruimd.") % {"count": deleted}
    return ScanReport(count=deleted, summary=summary if deleted else "")

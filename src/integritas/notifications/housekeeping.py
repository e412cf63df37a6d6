"""Retention of the shared machinery below the domain apps, run by `purge_expired`."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integritas.accounts.api_tokens.services import api_calls_purge
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


def api_call_purge_scan(dry_run: bool) -> ScanReport:
    """The HR API's call records (accounts.api_tokens.ApiCall: ids and counts) go after
    INTEGRITAS_API_CALL_RETENTION_DAYS; their audit events stay in the audit log."""
    days = settings.INTEGRITAS_API_CALL_RETENTION_DAYS
    cutoff = timezone.now() - datetime.timedelta(days=days)
    count = api_calls_purge(older_than=cutoff, dry_run=dry_run)
    if not count:
        return ScanReport()
    if dry_run:
        summary = ngettext(
            "%(count)d API-aanroep ouder dan %(days)d dagen zou worden opgeruimd.",
            "%(count)d API-aanroepen ouder dan %(days)d dagen zouden worden opgeruimd.",
            count,
        )
    else:
        summary = ngettext(
            "%(count)d API-aanroep ouder dan %(days)d dagen opgeruimd.",
            "%(count)d API-aanroepen ouder dan %(days)d dagen opgeruimd.",
            count,
        )
    return ScanReport(count=count, summary=summary % {"count": count, "days": days})

"""Scanning again what came in while clamd could not be reached."""

import logging

from django.conf import settings
from django.db import transaction

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.cases.constants import ScanStatus
from integritas.cases.models import Attachment
from integritas.core.files.scanning import Scanner

from .storage import AttachmentError, attachment_open

logger = logging.getLogger(__name__)


def attachments_scan_pending() -> dict[str, int]:
    """Scan again every attachment still pending because clamd was down when it came in.

    Returns how many ended up in each state. Stops as soon as clamd cannot be reached, so
    the next run tries again; a file that fails to decrypt is left pending and logged by
    id only. Every verdict is an audit event without a name or content.
    """
    tally: dict[str, int] = {}
    if not settings.INTEGRITAS_CLAMD_SOCKET:
        return tally
    pending = Attachment.objects.filter(scan_status=ScanStatus.PENDING).select_related(
        "case", "case__organisation"
    )
    for attachment in pending.order_by("pk").iterator():
        scanner = Scanner()
        if not scanner.connected:  # clamd unreachable: the rest waits for the next run
            left = pending.filter(pk__gte=attachment.pk).count()
            tally[ScanStatus.PENDING] = tally.get(ScanStatus.PENDING, 0) + left
            break
        try:
            for chunk in attachment_open(case=attachment.case, attachment=attachment):
                scanner.send(chunk)
        except AttachmentError:
            scanner.close()
            logger.warning("Attachment %d could not be decrypted for a scan.", attachment.pk)
            continue
        status = ScanStatus(scanner.verdict())
        tally[status] = tally.get(status, 0) + 1
        if status == ScanStatus.PENDING:
            continue
        with transaction.atomic():
            updated = Attachment.objects.filter(
                pk=attachment.pk, scan_status=ScanStatus.PENDING
            ).update(scan_status=status)
            if updated:
                audit_record(
                    action=f"attachment.scan_{status}",
                    object_type="cases.attachment",
                    object_id=attachment.pk,
                    organisation=attachment.case.organisation,
                    origin=Origin.SYSTEM,
                )
    return tally

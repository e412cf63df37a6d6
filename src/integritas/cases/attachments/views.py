"""Downloading an attachment: only for who may view the case, always as a download.

The file is decrypted chunk by chunk into a streaming response. It is never shown in the
browser (`Content-Disposition: attachment`, `application/octet-stream`, nosniff and a
sandboxing CSP), every download is an audit event (R-BIO-1), files found infected are
refused, and files not scanned yet get a warning page first.
"""

from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.audit.denials import audit_denied
from integritas.audit.services import audit_record
from integritas.cases.access import case_access, cases_visible_to
from integritas.cases.constants import ScanStatus
from integritas.cases.models import Attachment
from integritas.core.files.download import download_response

from .storage import attachment_filename, attachment_open

ACTION = "case.attachment_download"


@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    attachment = (
        Attachment.objects.select_related("case", "case__organisation").filter(pk=pk).first()
    )
    if attachment is None:
        raise Http404
    case = attachment.case
    if not cases_visible_to(request.user).filter(pk=case.pk).exists():
        raise Http404
    access = case_access(request.user, case)
    if not request.user.has_perm("cases.view_case", access):
        raise Http404
    if attachment.scan_status == ScanStatus.INFECTED:
        audit_denied(
            action=ACTION, actor=request.user, obj=attachment, organisation=case.organisation
        )
        return render(
            request,
            "cases/attachment_download.html",
            {"attachment": attachment, "infected": True},
            status=403,
        )
    if attachment.scan_status == ScanStatus.PENDING and request.GET.get("bevestigd") != "1":
        return render(
            request, "cases/attachment_download.html", {"attachment": attachment, "infected": False}
        )
    filename = attachment_filename(case=case, attachment=attachment)
    chunks = attachment_open(case=case, attachment=attachment)
    audit_record(action=ACTION, actor=request.user, obj=attachment, organisation=case.organisation)
    return download_response(chunks, filename=filename, size=attachment.size)

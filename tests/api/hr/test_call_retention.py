"""The HR API's call records are purged after INTEGRITAS_API_CALL_RETENTION_DAYS by the
one retention run (`purge_expired`), idempotently; their audit events stay."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from integritas.accounts.api_tokens.models import ApiCall, ApiToken
from integritas.audit.models import AuditEvent
from integritas.notifications import scans
from integritas.organisations.models import Organisation

from .conftest import Caller

pytestmark = pytest.mark.django_db


def _purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_expired", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _aged(days: int) -> None:
    """Make the newest call record `days` days old."""
    call = ApiCall.objects.latest("pk")
    ApiCall.objects.filter(pk=call.pk).update(
        timestamp=timezone.now() - datetime.timedelta(days=days)
    )


def test_the_retention_run_knows_the_api_calls() -> None:
    assert "api_calls" in scans.retention_scans()


def test_calls_older_than_the_window_go_once_and_the_rest_stays(
    reader: Caller, organisation: Organisation
) -> None:
    for days in (400, 366, 364, 0):
        assert reader.get("functies/").status_code == 200
        _aged(days)
    events = AuditEvent.objects.filter(action="api.hr.functions_read").count()
    assert ApiCall.objects.count() == 4

    preview = _purge("--dry-run")
    assert "2 API-aanroepen ouder dan 365 dagen zouden worden opgeruimd." in preview
    assert ApiCall.objects.count() == 4

    assert "2 API-aanroepen ouder dan 365 dagen opgeruimd." in _purge()
    left = timezone.now() - ApiCall.objects.order_by("timestamp").first().timestamp
    assert ApiCall.objects.count() == 2 and left < datetime.timedelta(days=365)
    # Idempotent: a second run finds nothing and says nothing about it.
    assert "API-aanroep" not in _purge()
    assert ApiCall.objects.count() == 2
    # The audit events of the calls stay, and so does the token.
    assert AuditEvent.objects.filter(action="api.hr.functions_read").count() == events
    assert ApiToken.objects.filter(organisation=organisation).exists()


def test_the_window_is_configurable(reader: Caller, settings: object) -> None:
    reader.get("functies/")
    _aged(31)
    reader.get("functies/")
    settings.INTEGRITAS_API_CALL_RETENTION_DAYS = 30  # type: ignore[attr-defined]
    assert "1 API-aanroep ouder dan 30 dagen opgeruimd." in _purge()
    assert ApiCall.objects.count() == 1

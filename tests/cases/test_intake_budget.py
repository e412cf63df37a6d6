"""A ceiling on new reports per hour over all public channels, counted without addresses.

A per-sender count would store, to the minute of each report, a keyed hash of the
sender's address; the ceiling counts reports over everyone, so it ties none to a sender
(R-WBK-7, R-WBK-9: anonymous must stay anonymous).
"""

import datetime
import json
import re

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from integritas.cases.constants import IdentityMode, Kind
from integritas.cases.intake import formtoken
from integritas.cases.models import Case
from integritas.core.models import ThrottleCounter

INTAKE = "/meldpunt/"
API = "/api/v1/meldpunt/meldingen/"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ceiling_of_two")]


@pytest.fixture
def ceiling_of_two():
    with override_settings(INTEGRITAS_INTAKE_REPORTS_PER_HOUR=2):
        yield


def web_report(organisation, description: str, token: str | None = None) -> dict:
    return {
        "organisation": organisation.slug,
        "kind": Kind.INTEGRITY_VIOLATION,
        "description": description,
        "identity_mode": IdentityMode.ANONYMOUS,
        "form_token": token or formtoken.form_token_new(),
        "step": "send",
    }


def api_report(client: Client, organisation, description: str):  # type: ignore[no-untyped-def]
    body = {
        "organisation": organisation.slug,
        "kind": "integrity_violation",
        "description": description,
        "identity_mode": "anonymous",
    }
    return client.post(API, data=json.dumps(body), content_type="application/json")


def test_web_intake_refuses_above_the_ceiling_and_keeps_what_was_typed(organisation):
    client = Client()
    assert client.post(INTAKE, web_report(organisation, "Eerste melding")).status_code == 303
    assert api_report(client, organisation, "Tweede melding").status_code == 201
    refused = client.post(INTAKE, web_report(organisation, "Derde melding <b>vet</b>"))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    html = refused.content.decode()
    assert "neemt tijdelijk geen nieuwe aan" in html
    assert "Uw melding is niet verstuurd" in html
    # Everything typed is still on the page, escaped, ready to send again later.
    assert re.search(r'name="description" value="Derde melding &lt;b&gt;vet&lt;/b&gt;"', html)
    assert "Huis voor Klokkenluiders" in html  # the other routes are offered
    assert Case.objects.count() == 2


def test_api_refuses_above_the_ceiling_with_429(organisation):
    client = Client()
    assert api_report(client, organisation, "Een").status_code == 201
    assert api_report(client, organisation, "Twee").status_code == 201
    refused = api_report(client, organisation, "Drie")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "neemt tijdelijk geen nieuwe aan" in refused.json()["detail"]
    assert Case.objects.count() == 2


def test_a_repeat_of_an_accepted_report_still_gets_its_receipt_at_the_ceiling(organisation):
    client = Client()
    token = formtoken.form_token_new()
    first = client.post(INTAKE, web_report(organisation, "Eerste melding", token))
    assert first.status_code == 303  # to the receipt page
    assert client.post(INTAKE, web_report(organisation, "Tweede melding")).status_code == 303
    again = client.post(INTAKE, web_report(organisation, "Eerste melding", token))
    assert again.status_code == 303  # the double click, not a new report: to its receipt
    assert Case.objects.count() == 2


@pytest.mark.requirement("R-WBK-7", "R-WBK-9")
def test_the_ceiling_lifts_after_an_hour_and_counts_no_address(organisation):
    client = Client(REMOTE_ADDR="198.51.100.77")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for text in ("Een", "Twee"):
            assert client.post(INTAKE, web_report(organisation, text)).status_code == 303
        assert client.post(INTAKE, web_report(organisation, "Drie")).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert client.post(INTAKE, web_report(organisation, "Drie")).status_code == 303
    assert Case.objects.count() == 3
    # One global key; nothing derived from the sender.
    assert set(ThrottleCounter.objects.values_list("key", flat=True)) == {"global:meldpunt-intake"}

"""seed_scale's counsellor log: bulk, encrypted as the app encrypts, idempotent."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from integritas.counsel import vault
from integritas.counsel.models import ConsultationEntry
from integritas.demo.scale.counsel_log import entries_bulk

pytestmark = pytest.mark.django_db

SMALL = {
    "organisations": 5,
    "employees": 2000,
    "cases_per_year": 20,
    "years": 2,
    "audit_events": 1000,
}


def test_seed_scale_writes_the_log(db: Any) -> None:
    call_command("seed_scale", stdout=StringIO(), stderr=StringIO(), **SMALL)
    total = ConsultationEntry.objects.count()
    # Half an entry per employee, except in organisations without a counsellor.
    assert 0 < total <= 1000
    per_org = dict(ConsultationEntry.objects.values_list("organisation_id").annotate(n=Count("pk")))
    assert len(per_org) >= 4
    entry = ConsultationEntry.objects.exclude(note_enc=b"").select_related("log").first()
    assert entry is not None
    assert vault.unseal_note(entry.log, entry)
    assert all(
        e.counsellor_id == e.log.counsellor_id
        for e in ConsultationEntry.objects.select_related("log")[:50]
    )
    # A second pass over the same organisations writes nothing (seed_scale itself runs once).
    counsellors = {
        org: [user]
        for org, user in ConsultationEntry.objects.values_list("organisation_id", "counsellor_id")
    }
    assert entries_bulk(counsellors, dict.fromkeys(counsellors, 10), years=1, seed=1) == 0
    assert ConsultationEntry.objects.count() == total

"""The scale phase of the document centre: acknowledgements for a share of employees."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from integritas.demo.scale.organisations import Slot
from integritas.demo.scale.policies import acknowledgements_bulk
from integritas.organisations.models import Organisation
from integritas.policies.constants import VersionStatus
from integritas.policies.models import Acknowledgement, DocumentVersion

pytestmark = pytest.mark.django_db

SMALL = {
    "organisations": 3,
    "employees": 300,
    "cases_per_year": 10,
    "years": 1,
    "audit_events": 100,
}


def test_scale_acknowledges_for_a_share_and_is_idempotent(db: Any) -> None:
    call_command("seed_scale", stdout=StringIO(), stderr=StringIO(), **SMALL)
    current = DocumentVersion.objects.get(status=VersionStatus.ADOPTED, document__base=None,
                                          document__kind="code_of_conduct")  # fmt: skip
    acknowledged = Acknowledgement.objects.filter(version=current).count()
    assert 0.4 * 300 < acknowledged < 0.7 * 300
    assert Acknowledgement.objects.exclude(version=current).exists()  # version 1 too
    total = Acknowledgement.objects.count()
    slots = [
        Slot(organisation=org, size=0, existing=False)
        for org in Organisation.objects.filter(employees__isnull=False).distinct()
    ]
    acknowledgements_bulk(slots, seed=2026)
    assert Acknowledgement.objects.count() == total

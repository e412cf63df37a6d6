"""The demo's counsellor log: through the services, idempotent, with counts both small
("< 5") and real on the central counsellor's figures."""

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.counsel.models import (
    ConsultationEntry,
    CounsellorAppointment,
    CounsellorSession,
)
from integritas.counsel.selectors import region_figures
from integritas.demo import counsel_log
from integritas.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db: Any) -> None:
    call_command("seed_demo", "--no-reports", stdout=None)


def test_the_demo_logs_consultations_and_trainings(seeded: None) -> None:
    counsellor = User.objects.get(email__startswith="vertrouwenspersoon@")
    entries = ConsultationEntry.objects.filter(counsellor=counsellor)
    assert entries.count() == 15
    assert {e.organisation.slug for e in entries} == {"leiderdorp"}
    assert CounsellorAppointment.objects.filter(employee__user=counsellor).exists()
    training = CounsellorSession.objects.get(kind="training")
    assert list(training.attendees.all()) == [counsellor]
    assert CounsellorSession.objects.filter(held_on__gt=timezone.localdate()).exists()
    # Both kinds of count show for the year of the entries.
    central = User.objects.get(email__startswith="centrale-vertrouwenspersoon@")
    year = entries.order_by("-consulted_on").first().consulted_on.year
    shown = [total for _label, _counts, total in region_figures(central, year).by_theme]
    assert "< 5" in shown
    assert any(value.isdigit() and int(value) >= 5 for value in shown)
    # A second run makes nothing.
    orgs = {org.slug: org for org in Organisation.objects.all()}
    assert counsel_log.seed(orgs, {"central_counsellor": central}) == {}
    assert not User.objects.filter(
        assignments__role=Role.CONFIDENTIAL_COUNSELLOR, pk=central.pk
    ).exists()

"""The demo's counsellor log: through the services, idempotent, with counts both small
("< 5") and real on the central counsellor's figures."""

from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.accounts.selectors import user_roles
from integritas.counsel.models import (
    ConsultationEntry,
    CounsellorAppointment,
    CounsellorListing,
    CounsellorSession,
)
from integritas.counsel.selectors import region_figures
from integritas.demo import counsel_log, data
from integritas.organisations.models import Organisation
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db: Any) -> None:
    call_command("seed_demo", "--no-reports", stdout=None)


@pytest.mark.requirement("R-WBK-6")
def test_every_organisation_has_a_counsellor_who_logs_in_and_sees_their_log(
    seeded: None, client: Client
) -> None:
    counsellors = []
    for org in Organisation.objects.filter(region__slug=data.REGION_SLUG).order_by("pk"):
        account = next(
            a for a in data.accounts_of(org.slug) if a.role == Role.CONFIDENTIAL_COUNSELLOR
        )
        counsellor = User.objects.get(email=account.email)
        counsellors.append(counsellor)
        assert check_password(data.DEMO_PASSWORD, counsellor.password)
        assert user_roles(counsellor).has(Role.CONFIDENTIAL_COUNSELLOR, org.pk)
        entries = ConsultationEntry.objects.filter(counsellor=counsellor)
        assert entries.count() == (15 if org.slug == "leiderdorp" else 11), org.slug
        assert {e.organisation_id for e in entries} == {org.pk}
        assert CounsellorAppointment.objects.filter(employee__user=counsellor).exists()
        # The directory's internal vertrouwenspersoon is the account that logs in.
        internal = CounsellorListing.objects.get(organisation=org, is_external=False)
        assert internal.name == account.full_name, org.slug
        login_with_second_factor(client, counsellor)
        page = client.get(reverse("counsel_log:entry_list"))
        assert page.status_code == 200
        assert len(page.context["rows"]) > 0, org.slug
        client.logout()
    assert (
        CounsellorListing.objects.get(organisation__slug="leiderdorp", is_external=False).name
        == data.account("confidential_counsellor").full_name
    )
    training = CounsellorSession.objects.get(kind="training")
    assert set(training.attendees.all()) == set(counsellors)
    assert CounsellorSession.objects.filter(held_on__gt=timezone.localdate()).exists()
    entries = ConsultationEntry.objects.all()
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

"""The dilemma library and the manager's team discussion (R-AW-2)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.awareness import services
from integritas.awareness.constants import DilemmaTheme, VulnerableActivity
from integritas.awareness.models import Dilemma, DilemmaDiscussion
from integritas.organisations import events
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory

from .factories import manager_with_team

pytestmark = pytest.mark.django_db


def test_the_library_exists_on_a_fresh_install():
    dilemmas = list(Dilemma.objects.all())
    assert len(dilemmas) >= 30
    assert {d.theme for d in dilemmas} == set(DilemmaTheme.values)
    tagged = {d.activity for d in dilemmas if d.activity}
    assert tagged == set(VulnerableActivity.values)  # every vulnerable activity has some
    assert all(d.situation and d.question.endswith("?") for d in dilemmas)


@pytest.mark.requirement("R-AW-2")
def test_discussed_dilemma_records_integrity_on_the_team_agenda(organisation):
    manager, team = manager_with_team(organisation)
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    events.integrity_discussed.connect(receiver, dispatch_uid="test-discussed")
    try:
        client = login_with_second_factor(Client(), manager.user)
        dilemma = Dilemma.objects.get(slug="kerstpakket-aannemer")
        today = timezone.localdate()
        response = client.post(
            reverse("awareness:dilemma_detail", args=[dilemma.slug]),
            {"discussed_on": today.isoformat(), "attendees": [team[0].pk, team[1].pk]},
        )
    finally:
        events.integrity_discussed.disconnect(dispatch_uid="test-discussed")
    assert response.status_code == 302
    discussion = DilemmaDiscussion.objects.get()
    assert set(discussion.attendees.values_list("pk", flat=True)) == {team[0].pk, team[1].pk}
    assert received == [
        {
            "signal": events.integrity_discussed,
            "employee_ids": sorted([team[0].pk, team[1].pk]),
            "discussed_on": today,
        }
    ]
    listing = client.get(reverse("awareness:discussion_list")).content.decode()
    assert "Het kerstpakket van de aannemer" in listing


def test_only_the_own_team_and_not_in_the_future(organisation):
    manager, team = manager_with_team(organisation)
    stranger = EmployeeFactory(organisation=organisation)
    dilemma = Dilemma.objects.first()
    with pytest.raises(ValidationError):
        services.dilemma_discuss(
            actor=manager.user,
            dilemma=dilemma,
            discussed_on=timezone.localdate(),
            employee_ids=[team[0].pk, stranger.pk],
        )
    with pytest.raises(ValidationError):
        services.dilemma_discuss(
            actor=manager.user,
            dilemma=dilemma,
            discussed_on=timezone.localdate() + datetime.timedelta(days=1),
            employee_ids=[team[0].pk],
        )
    with pytest.raises(PermissionDenied):
        services.dilemma_discuss(
            actor=stranger.user,
            dilemma=dilemma,
            discussed_on=timezone.localdate(),
            employee_ids=[team[0].pk],
        )
    assert not DilemmaDiscussion.objects.exists()
    # On the page: the form names the error and offers only the team.
    client = login_with_second_factor(Client(), manager.user)
    url = reverse("awareness:dilemma_detail", args=[dilemma.slug])
    page = client.post(url, {"discussed_on": timezone.localdate().isoformat()}).content.decode()
    assert "Kies wie er bij het gesprek waren." in page
    assert stranger.full_name not in page and team[0].full_name in page
    assert not DilemmaDiscussion.objects.exists()


def test_library_filters(organisation):
    manager, _team = manager_with_team(organisation)
    client = login_with_second_factor(Client(), manager.user)
    page = client.get(reverse("awareness:dilemma_list"), {"activiteit": "vastgoed"})
    body = page.content.decode()
    assert "Grond voor een vriend" in body and "Het kerstpakket van de aannemer" not in body

"""Every page of `awareness` as every role: 200 allowed, 403 forbidden, 404 invisible."""

import pytest
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.awareness.models import Dilemma
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES

from .factories import activity, manager_with_team

MANAGE = {Role.HRM, Role.INTEGRITY_OFFICER}
READ = MANAGE | {Role.SECRETARY, Role.MANAGEMENT_BOARD}
REGIONAL = {Role.WORKING_GROUP, Role.INTEGRITY_COORDINATOR}
ROLES = [None, *ALL_ASSIGNABLE_ROLES]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_every_page_per_role(client_for, organisation, other_organisation, role):
    own = activity(organisation)
    foreign = activity(other_organisation)
    dilemma = Dilemma.objects.first()
    client = client_for(role, organisation)
    readers = READ | REGIONAL

    def expect(url, allowed):
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 403), (url, role, status)

    expect(reverse("awareness:activity_list"), readers)
    expect(reverse("awareness:activity_detail", args=[own.pk]), readers)
    expect(reverse("awareness:activity_create", args=[organisation.slug]), MANAGE)
    expect(reverse("awareness:dilemma_list"), readers)
    expect(reverse("awareness:dilemma_detail", args=[dilemma.slug]), readers)
    expect(reverse("awareness:discussion_list"), readers)
    # Another organisation of the region: the regional roles read it, the roles of one
    # organisation find nothing there.
    status = client.get(reverse("awareness:activity_detail", args=[foreign.pk])).status_code
    assert status == (200 if role in REGIONAL else 404 if role in READ else 403), role
    create_other = client.get(reverse("awareness:activity_create", args=[other_organisation.slug]))
    assert create_other.status_code == (404 if role in MANAGE else 403)
    for name in ("attendance_add", "attendance_upload", "activity_complete"):
        response = client.post(reverse(f"awareness:{name}", args=[foreign.pk]), {})
        assert response.status_code == (404 if role in MANAGE else 403), (name, role)
        # The own organisation's activity: a manager's empty post is a form with its
        # errors (nothing written), anyone else is refused.
        response = client.post(reverse(f"awareness:{name}", args=[own.pk]), {})
        assert response.status_code == (200 if role in MANAGE else 403), (name, role)
    own.refresh_from_db()
    assert not own.attendances.exists() and own.completed_on is None


def test_a_manager_reads_the_library_and_own_discussions_only(organisation):
    manager, _team = manager_with_team(organisation)
    client = login_with_second_factor(Client(), manager.user)
    assert client.get(reverse("awareness:dilemma_list")).status_code == 200
    assert client.get(reverse("awareness:discussion_list")).status_code == 200
    assert client.get(reverse("awareness:activity_list")).status_code == 403
    own = activity(organisation)
    assert client.get(reverse("awareness:activity_detail", args=[own.pk])).status_code == 403

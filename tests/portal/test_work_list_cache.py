"""The home page keeps a user's work lists briefly (core/work_cache.py).

Kept per user and language for INTEGRITAS_WORK_LISTS_SECONDS: a second view within that
time builds no work-list query; another user never gets them; what the user does
themselves (any form they send) shows on their next home page at once; what others do
shows once the time is over. The test settings build the lists on every view; these
tests switch the cache on as production has it.
"""

import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.cases.models import Case
from tests.cases.factories import submit_case
from tests.conftest import login_with_second_factor

ACKNOWLEDGE = "Ontvangst te bevestigen"


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.INTEGRITAS_WORK_LISTS_SECONDS = 30


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


def _case(organisation):
    return submit_case(organisation, description="Werklijst-cache", cheap_receipt=True).case


def _to_acknowledge(client):
    """The count in the row "Ontvangst te bevestigen" of the page the client gets."""
    response = client.get(reverse("home"))
    assert response.status_code == 200
    for work_list in response.context["work_lists"]:
        for row in work_list.rows:
            if str(row.label) == ACKNOWLEDGE:
                return row.count
    raise AssertionError("no row to acknowledge")


def _home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_a_second_view_builds_no_work_list(coordinator, organisation, settings):
    _case(organisation)
    client = login_with_second_factor(Client(), coordinator)
    client.get(reverse("home"))  # the first view builds and keeps them
    kept = _home_queries(client)
    settings.INTEGRITAS_WORK_LISTS_SECONDS = 0
    built = _home_queries(client)
    # The Meldpunt's six rows alone are five queries; the kept lists ask none of them.
    assert kept <= built - 5


def test_others_work_shows_when_the_time_is_over(coordinator, organisation, settings):
    settings.INTEGRITAS_WORK_LISTS_SECONDS = 1
    _case(organisation)
    client = login_with_second_factor(Client(), coordinator)
    assert _to_acknowledge(client) == 1
    _case(organisation)  # a reporter sends a report: not this user's form
    assert _to_acknowledge(client) == 1
    time.sleep(1.1)
    assert _to_acknowledge(client) == 2


def test_the_users_own_form_shows_at_once(coordinator, organisation):
    case = _case(organisation)
    _case(organisation)
    client = login_with_second_factor(Client(), coordinator)
    assert _to_acknowledge(client) == 2
    response = client.post(
        reverse("cases:transition", args=[case.case_number]), {"name": "acknowledge"}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).acknowledged_at is not None
    assert _to_acknowledge(client) == 1


def test_a_refused_form_renews_the_mark_as_well(coordinator, organisation):
    """Whatever the form did, the next home page is built anew: cheaper than knowing."""
    _case(organisation)
    client = login_with_second_factor(Client(), coordinator)
    assert _to_acknowledge(client) == 1
    _case(organisation)
    client.post(reverse("cases:transition", args=["ONBEKEND-1"]), {"name": "acknowledge"})
    assert _to_acknowledge(client) == 2


def test_another_user_never_gets_the_lists_kept_for_someone(coordinator, organisation, make_user):
    _case(organisation)
    assert _to_acknowledge(login_with_second_factor(Client(), coordinator)) == 1
    colleague = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    client = login_with_second_factor(Client(), colleague)
    _case(organisation)
    assert _to_acknowledge(client) == 2


def test_the_lists_are_kept_per_language(coordinator, organisation):
    _case(organisation)
    client = login_with_second_factor(Client(), coordinator)
    assert ACKNOWLEDGE in client.get(reverse("home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("home")).content.decode()
    assert "Receipt to acknowledge" in page
    assert ACKNOWLEDGE not in page

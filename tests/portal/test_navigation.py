"""The navigation is collected from the apps' contributions and guarded by their rules.

Each role sees exactly the entries of the pages it may open (the permission matrix in
tests/test_permission_matrix.py proves the pages themselves); a new app plugs in by
registering a contribution, without a change to the portal.
"""

import datetime

import pytest
import rules
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.core import contributions
from integritas.core.contributions import Contribution, NavEntry, WorkList, WorkSummary
from integritas.portal.navigation import navigation_for
from tests.factories import ALL_ASSIGNABLE_ROLES

EVERYONE = [
    "home",
    "meldpunt:intake",
    "policies:document_list",
    "policies:code_of_conduct",
    "registers:mine",
]
ADMIN = [
    "accounts:user_list",
    "accounts:assignment_list",
    "accounts:access_review",
    "organisations:organisation_list",
    "counsel:listing_list",
    "substitutes:list",
    "audit:event_list",
]
RISKS_AND_AWARENESS = ["risks:overview", "awareness:activity_list", "awareness:dilemma_list"]
EXPECTED: dict[str | None, list[str]] = {
    None: EVERYONE,
    Role.HRM: [
        *EVERYONE,
        "registers:register",
        "registers:campaigns",
        "registers:signals",
        "policies:acknowledgements",
        *RISKS_AND_AWARENESS,
        "organisations:employee_list",
        "organisations:hr_import",
        "obligations:duty_list",
        "counsel_training:appointment_list",
    ],
    Role.INTEGRITY_OFFICER: [
        *EVERYONE,
        "registers:queue",
        "cases:figures",
        "registers:register",
        "registers:campaigns",
        "registers:signals",
        "policies:acknowledgements",
        *RISKS_AND_AWARENESS,
    ],
    Role.INTEGRITY_COORDINATOR: [
        "home",
        "meldpunt:intake",
        "policies:document_list",
        "policies:code_of_conduct",
        "cases:record",
        "registers:mine",
        "cases:inbox",
        *RISKS_AND_AWARENESS,
    ],
    Role.INVESTIGATOR: [*EVERYONE, "cases:inbox"],
    Role.SECRETARY: [*EVERYONE, "cases:inbox", *RISKS_AND_AWARENESS],
    Role.MAYOR: [*EVERYONE, "registers:queue"],
    Role.CONFIDENTIAL_COUNSELLOR: [*EVERYONE, "counsel_log:entry_list"],
    Role.CENTRAL_COUNSELLOR: [*EVERYONE, "counsel_log:figures", "counsel_training:session_list"],
    Role.MANAGEMENT_BOARD: [*EVERYONE, *RISKS_AND_AWARENESS],
    Role.WORKING_GROUP: [*EVERYONE, *RISKS_AND_AWARENESS],
    Role.ADMINISTRATOR: [*EVERYONE, *ADMIN],
}


@pytest.mark.parametrize("role", [None, *ALL_ASSIGNABLE_ROLES], ids=lambda r: r or "employee")
def test_each_role_sees_its_entries_once_and_in_order(make_user, organisation, role):
    user = make_user(role, organisation)
    names = [entry.url_name for entry in navigation_for(user)]
    assert names == EXPECTED.get(role, EVERYONE)


def test_anonymous_visitors_get_no_navigation():
    from django.contrib.auth.models import AnonymousUser

    assert navigation_for(AnonymousUser()) == []


def test_the_navigation_is_rendered_on_every_page(client_for, organisation):
    html = client_for(Role.HRM, organisation).get(reverse("trivial")).content.decode()
    assert f'href="{reverse("organisations:employee_list")}"' in html
    assert f'href="{reverse("accounts:user_list")}"' not in html


@pytest.fixture
def plugged_in_app():
    """A new app registering a navigation entry and a work list, as registers will."""
    rules.add_perm("newapp.use", rules.predicates.is_authenticated & rules.is_group_member("x"))
    rules.add_perm("newapp.see", rules.predicates.is_authenticated)

    def work_lists(user):
        yield WorkList(
            title="Te beoordelen nevenwerkzaamheden",
            rows=[WorkSummary("Nevenwerkzaamheden", 3, datetime.date(2026, 3, 2), "/x/")],
            empty_text="Niets te beoordelen.",
        )

    contributions.register(
        Contribution(
            app="newapp",
            navigation=(
                NavEntry("Verborgen", "trivial", "newapp.use", 10),
                NavEntry("Zichtbaar", "trivial", "newapp.see", 20),
            ),
            work_lists=work_lists,
        )
    )
    yield
    contributions._registry.pop("newapp")
    rules.remove_perm("newapp.use")
    rules.remove_perm("newapp.see")


@pytest.mark.usefixtures("plugged_in_app")
def test_a_new_app_plugs_in_by_registering(client_for, make_user, organisation):
    user = make_user(None, organisation)
    labels = [str(entry.label) for entry in navigation_for(user)]
    # Its rule decides, and its order puts it between the home page and the Meldpunt.
    assert labels[:3] == ["Mijn integriteit", "Zichtbaar", "Melding doen"]
    assert "Verborgen" not in labels
    html = client_for(None, organisation).get(reverse("home")).content.decode()
    assert "Te beoordelen nevenwerkzaamheden" in html
    assert '<a class="utrecht-link" href="/x/">Nevenwerkzaamheden</a>' in html
    assert "2 maart 2026" in html

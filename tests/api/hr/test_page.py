"""The token page: role x action (only administrators of that organisation), the value
shown once, four eyes on the page."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from integritas.accounts.api_tokens.constants import TokenScope
from integritas.accounts.api_tokens.models import ApiToken
from integritas.accounts.api_tokens.services import (
    api_token_decide,
    api_token_issue,
    api_token_revoke,
)
from integritas.accounts.constants import AssignmentStatus, Role
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES

pytestmark = pytest.mark.django_db


def page(org: Any) -> str:
    return f"/organisaties/{org.slug}/api-sleutels/"


def _pending(admin: Any, organisation: Any) -> ApiToken:
    return api_token_issue(
        actor=admin, organisation=organisation, name="AFAS", scope=TokenScope.WRITE
    ).token


ACTIONS = ("list", "issue", "decide", "revoke")


def _act(client: Client, action: str, organisation: Any, token: ApiToken) -> int:
    base = page(organisation)
    if action == "list":
        return client.get(base).status_code
    if action == "issue":
        return client.post(base, {"name": "Koppeling", "scope": "read"}).status_code
    if action == "decide":
        return client.post(f"{base}{token.pk}/beoordelen/", {"decision": "approve"}).status_code
    return client.post(f"{base}{token.pk}/intrekken/").status_code


ALLOWED = {"list": 200, "issue": 200, "decide": 302, "revoke": 302}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [None, *ALL_ASSIGNABLE_ROLES])
def test_role_by_action(
    role: Any, action: str, client_for: Any, admin: Any, organisation: Any
) -> None:
    token = _pending(admin, organisation)
    client = client_for(role, organisation)
    expected = ALLOWED[action] if role == Role.ADMINISTRATOR else 403
    assert _act(client, action, organisation, token) == expected
    if expected == 403:
        assert ApiToken.objects.get(pk=token.pk).status == AssignmentStatus.PENDING
        assert ApiToken.objects.count() == 1


@pytest.mark.parametrize("action", ACTIONS)
def test_an_administrator_of_another_organisation_gets_404(
    action: str, client_for: Any, admin: Any, organisation: Any, other_organisation: Any
) -> None:
    token = _pending(admin, organisation)
    client = client_for(Role.ADMINISTRATOR, other_organisation)
    assert _act(client, action, organisation, token) == 404
    # Nor through their own organisation's address with this organisation's token.
    if action in ("decide", "revoke"):
        assert _act(client, action, other_organisation, token) == 404
    assert ApiToken.objects.get(pk=token.pk).status == AssignmentStatus.PENDING
    assert ApiToken.objects.count() == 1


def test_the_requester_cannot_approve_on_the_page(admin: Any, organisation: Any) -> None:
    token = _pending(admin, organisation)
    client = login_with_second_factor(Client(), admin)
    listing = client.get(page(organisation)).content.decode()
    assert "Een andere beheerder beoordeelt dit." in listing
    assert f"{token.pk}/beoordelen/" not in listing
    response = client.post(f"{page(organisation)}{token.pk}/beoordelen/", {"decision": "approve"})
    assert response.status_code == 403
    assert ApiToken.objects.get().status == AssignmentStatus.PENDING


def test_the_value_is_shown_once(admin: Any, second_admin: Any, organisation: Any) -> None:
    client = login_with_second_factor(Client(), admin)
    response = client.post(page(organisation), {"name": "AFAS", "scope": "write"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    token = ApiToken.objects.get()
    start = html.index(f"itg_{token.key_id}_")
    value = html[start : html.index("<", start)]
    assert "werkt pas nadat een tweede beheerder" in html
    assert f"itg_{token.key_id}_" not in client.get(page(organisation)).content.decode()
    # The second administrator approves on the page; then the value works.
    other = login_with_second_factor(Client(), second_admin)
    assert (
        other.post(
            f"{page(organisation)}{token.pk}/beoordelen/", {"decision": "approve"}
        ).status_code
        == 302
    )
    answer = Client().get("/api/v1/hr/medewerkers/", HTTP_AUTHORIZATION=f"Bearer {value}")
    assert answer.status_code == 200


def test_an_empty_name_keeps_the_form(admin: Any, organisation: Any) -> None:
    client = login_with_second_factor(Client(), admin)
    response = client.post(page(organisation), {"name": "", "scope": "write"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert response.context["form"].errors["name"]
    assert response.context["form"]["scope"].value() == "write"  # what was typed is kept


def test_the_organisation_pages_link_to_the_token_page(
    admin: Any, organisation: Any, other_organisation: Any
) -> None:
    client = login_with_second_factor(Client(), admin)
    target = page(organisation)
    listing = client.get("/organisaties/").content.decode()
    assert f'href="{target}"' in listing
    assert page(other_organisation) not in listing
    settings_page = client.get(f"/organisaties/{organisation.slug}/").content.decode()
    assert f'href="{target}"' in settings_page
    assert client.get(target).status_code == 200


@pytest.mark.requirement("R-BIO-2")
def test_the_access_review_lists_every_write_token_and_who_approved_it(
    admin: Any, second_admin: Any, organisation: Any, other_organisation: Any, issue: Any
) -> None:
    approved = api_token_issue(
        actor=admin, organisation=organisation, name="AFAS schrijven", scope=TokenScope.WRITE
    ).token
    api_token_decide(actor=second_admin, token=approved, approve=True)
    pending = _pending(admin, organisation)
    reading = api_token_issue(
        actor=admin, organisation=organisation, name="Alleen lezen", scope=TokenScope.READ
    ).token
    revoked = api_token_issue(
        actor=admin, organisation=organisation, name="Oud", scope=TokenScope.WRITE
    ).token
    api_token_decide(actor=second_admin, token=revoked, approve=True)
    api_token_revoke(actor=admin, token=revoked)
    issue(other_organisation, TokenScope.WRITE)  # another organisation's: not for this admin

    response = login_with_second_factor(Client(), admin).get(reverse("accounts:access_review"))
    assert response.status_code == 200
    listed = response.context["write_tokens"]
    assert [t.pk for t in listed] == [pending.pk, approved.pk]
    body = response.content.decode()
    row = body[body.index("AFAS schrijven") :].split("</tr>")[0]
    assert admin.full_name in row and second_admin.full_name in row
    assert "Alleen lezen" not in body and ">Oud<" not in body
    assert reading.pk not in {t.pk for t in listed}

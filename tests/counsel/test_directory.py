"""The directory of vertrouwenspersonen, kept by administrators per organisation (R-WBK-6)."""

import pytest
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.counsel.models import CounsellorListing
from integritas.portal.navigation import navigation_for
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES, EmployeeFactory, grant

ROLES = [None, *ALL_ASSIGNABLE_ROLES]
VALID = {
    "name": "Anna de Wit",
    "is_external": "on",
    "phone": "071 123 4567",
    "email": "anna@vertrouwen.example",
    "availability": "dinsdag",
    "introduction": "Ik luister naar wie twijfelt, en denk mee over wat u kunt doen.",
    "position": "1",
}


@pytest.fixture
def own_listing(organisation):
    return CounsellorListing.objects.create(
        organisation=organisation, name="Piet Jansen", email="piet@leiderdorp.example"
    )


@pytest.fixture
def foreign_listing(other_organisation):
    return CounsellorListing.objects.create(
        organisation=other_organisation, name="Klaas Visser", email="klaas@oegstgeest.example"
    )


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_every_page_per_role(client_for, organisation, own_listing, foreign_listing, role):
    # R-BIO-2 / R-DP-3: only an administrator of the organisation keeps its directory.
    client = client_for(role, organisation)
    pages = {
        "list": reverse("counsel:listing_list"),
        "create": reverse("counsel:listing_create", args=[organisation.slug]),
        "edit": reverse("counsel:listing_edit", args=[own_listing.pk]),
        "delete": reverse("counsel:listing_delete", args=[own_listing.pk]),
    }
    foreign = {
        "create": reverse("counsel:listing_create", args=[foreign_listing.organisation.slug]),
        "edit": reverse("counsel:listing_edit", args=[foreign_listing.pk]),
        "delete": reverse("counsel:listing_delete", args=[foreign_listing.pk]),
    }
    for name, url in pages.items():
        expected = 200 if role == Role.ADMINISTRATOR else 403
        assert client.get(url).status_code == expected, (name, role)
    for name, url in foreign.items():
        expected = 404 if role == Role.ADMINISTRATOR else 403
        assert client.get(url).status_code == expected, (name, role)
        assert client.post(url, VALID).status_code == expected, (name, role)
    assert CounsellorListing.objects.filter(pk=foreign_listing.pk).exists()
    assert CounsellorListing.objects.count() == 2


def test_list_shows_only_the_administered_organisations(
    client_for, organisation, own_listing, foreign_listing
):
    content = (
        client_for(Role.ADMINISTRATOR, organisation)
        .get(reverse("counsel:listing_list"))
        .content.decode()
    )
    assert "Piet Jansen" in content
    assert "Klaas Visser" not in content


def test_add_edit_and_delete_are_audited(client_for, organisation):
    client = client_for(Role.ADMINISTRATOR, organisation)
    response = client.post(reverse("counsel:listing_create", args=[organisation.slug]), VALID)
    assert response.status_code == 302
    listing = CounsellorListing.objects.get()
    assert listing.organisation == organisation
    assert listing.is_external and listing.email == "anna@vertrouwen.example"

    response = client.post(
        reverse("counsel:listing_edit", args=[listing.pk]),
        {**VALID, "name": "Anna  de  Wit-Bos", "is_external": ""},
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.name == "Anna de Wit-Bos" and not listing.is_external

    response = client.post(reverse("counsel:listing_delete", args=[listing.pk]))
    assert response.status_code == 302
    assert not CounsellorListing.objects.exists()

    events = AuditEvent.objects.filter(action__startswith="counsel.").order_by("sequence")
    assert [e.action for e in events] == [
        "counsel.listing_create",
        "counsel.listing_update",
        "counsel.listing_delete",
    ]
    assert {e.object_id for e in events} == {str(listing.pk)}
    assert {e.organisation_id for e in events} == {organisation.pk}


@pytest.mark.requirement("R-WBK-6")
def test_the_directory_with_its_introduction_is_on_the_public_meldpunt_page(
    client, client_for, organisation
):
    """The administrator's listing (contact, availability, a short introduction) is what
    a reporter without an account sees on the Meldpunt, and every employee through
    "Melding doen"."""
    admin = client_for(Role.ADMINISTRATOR, organisation)
    assert (
        admin.post(reverse("counsel:listing_create", args=[organisation.slug]), VALID).status_code
        == 302
    )
    listing = CounsellorListing.objects.get()
    assert listing.introduction == VALID["introduction"]
    for viewer in (client, client_for(None, organisation)):
        html = viewer.get(reverse("meldpunt:intake")).content.decode()
        for value in ("Anna de Wit", "071 123 4567", "anna@vertrouwen.example", "dinsdag"):
            assert value in html
        assert "Ik luister naar wie twijfelt, en denk mee over wat u kunt doen." in html
    too_long = {**VALID, "introduction": "x" * 501}
    response = admin.post(reverse("counsel:listing_edit", args=[listing.pk]), too_long)
    assert response.status_code == 200
    listing.refresh_from_db()
    assert listing.introduction == VALID["introduction"]


def test_a_listing_needs_a_way_to_reach_the_person(client_for, organisation):
    client = client_for(Role.ADMINISTRATOR, organisation)
    response = client.post(
        reverse("counsel:listing_create", args=[organisation.slug]),
        {**VALID, "phone": "", "email": ""},
    )
    assert response.status_code == 200
    assert "telefoonnummer of een e-mailadres" in response.content.decode()
    assert not CounsellorListing.objects.exists()
    response = client.post(
        reverse("counsel:listing_create", args=[organisation.slug]),
        {**VALID, "email": "geen-adres"},
    )
    assert response.status_code == 200
    assert not CounsellorListing.objects.exists()


def test_get_on_delete_asks_first(client_for, organisation, own_listing):
    client = client_for(Role.ADMINISTRATOR, organisation)
    response = client.get(reverse("counsel:listing_delete", args=[own_listing.pk]))
    assert "Piet Jansen" in response.content.decode()
    assert CounsellorListing.objects.filter(pk=own_listing.pk).exists()


def test_regional_administrator_keeps_every_directory(
    client, organisation, other_organisation, foreign_listing
):
    admin = EmployeeFactory(organisation=organisation).user
    grant(admin, Role.ADMINISTRATOR, None)
    login_with_second_factor(client, admin)
    assert client.get(reverse("counsel:listing_edit", args=[foreign_listing.pk])).status_code == 200
    url = reverse("counsel:listing_create", args=[other_organisation.slug])
    assert client.post(url, VALID).status_code == 302


def test_navigation_item_for_administrators_only(make_user, organisation):
    admin = make_user(Role.ADMINISTRATOR, organisation)
    hrm = make_user(Role.HRM, organisation)
    assert "counsel:listing_list" in [i.url_name for i in navigation_for(admin)]
    assert "counsel:listing_list" not in [i.url_name for i in navigation_for(hrm)]

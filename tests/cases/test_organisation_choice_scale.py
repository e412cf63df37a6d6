"""Choosing the organisation in a region of many (the Meldpunt, recording a report).

Up to ORGANISATION_SELECT_LIMIT organisations the forms offer them in a <select>; beyond
that the organisation is chosen first, by name, and the form carries it as a hidden field.
So the anonymous Meldpunt form does not grow with the region (355 organisations made it
1.1 MB per request; docs/performance.md), and it still works without JavaScript and
without a session.
"""

import re

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment
from integritas.cases.models import Case
from integritas.counsel.models import CounsellorListing
from integritas.organisations.models import Organisation
from integritas.organisations.selectors import (
    ORGANISATION_SEARCH_RESULTS,
    ORGANISATION_SELECT_LIMIT,
)
from tests.cases.test_intake_views import INTAKE, intake_data, receipt_code_in, token_from
from tests.conftest import login_with_second_factor
from tests.factories import OrganisationFactory, RegionFactory, UserFactory

MANY = ORGANISATION_SELECT_LIMIT + 5


def _organisations(count: int, start: int = 0) -> list[Organisation]:
    region = RegionFactory()
    made = [
        OrganisationFactory(region=region, slug=f"schaal-{n:04d}", name=f"Gemeente Veld {n:04d}")
        for n in range(start, start + count)
    ]
    CounsellorListing.objects.bulk_create(
        CounsellorListing(organisation=org, name=f"Vertrouwenspersoon {org.slug}") for org in made
    )
    return made


def _get(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    assert "no-store" in response["Cache-Control"]
    return len(captured.captured_queries), response.content.decode()


def test_a_few_organisations_are_offered_in_a_select(db):
    organisations = _organisations(3)
    html = Client().get(INTAKE).content.decode()
    for org in organisations:
        assert f'<option value="{org.slug}"' in html
        assert f"Vertrouwenspersoon {org.slug}" in html


def test_the_anonymous_form_does_not_grow_with_the_number_of_organisations(db):
    first = _organisations(MANY)
    sizes = {}
    for total in (MANY, 4 * MANY):
        if total > MANY:
            _organisations(total - MANY, start=MANY)
        queries, chooser = _get(Client(), INTAKE)
        form_queries, form = _get(
            Client(), reverse("meldpunt:intake_organisation", args=[first[1].slug])
        )
        # No <select> of organisations and no list of every organisation's counsellors.
        assert "<option" not in chooser
        assert f'<option value="{first[2].slug}"' not in form
        assert f"Vertrouwenspersoon {first[1].slug}" in form
        assert f"Vertrouwenspersoon {first[2].slug}" not in form
        assert first[2].name not in form
        sizes[total] = (queries, len(chooser), form_queries, len(form))
    small, large = sizes[MANY], sizes[4 * MANY]
    assert small[0] == large[0] and small[2] == large[2], sizes
    assert abs(small[1] - large[1]) < 100 and abs(small[3] - large[3]) < 100, sizes
    assert large[1] < 10_000 and large[3] < 40_000, sizes


def test_the_organisation_is_found_by_part_of_its_name_without_javascript(db):
    _organisations(MANY)
    response = Client().get(INTAKE, {"zoek": "veld 0007"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{INTAKE}?organisatie=schaal-0007"' in html
    assert "schaal-0008" not in html
    many = Client().get(INTAKE, {"zoek": "gemeente"}).content.decode()
    assert many.count("?organisatie=schaal-") == ORGANISATION_SEARCH_RESULTS
    assert "Typ een groter deel van de naam" in many
    none = Client().get(INTAKE, {"zoek": "atlantis"}).content.decode()
    assert "Geen organisatie gevonden" in none
    empty = Client().get(INTAKE, {"zoek": ""}).content.decode()
    assert "Typ de naam van de organisatie, of een deel ervan." in empty


def test_a_report_in_a_large_region_goes_through_review_to_the_chosen_organisation(db):
    organisations = _organisations(MANY)
    chosen = organisations[7]
    client = Client()
    page = client.get(reverse("meldpunt:intake_organisation", args=[chosen.slug]))
    html = page.content.decode()
    assert f'<input type="hidden" name="organisation" value="{chosen.slug}"' in html
    assert chosen.name in html
    data = intake_data(chosen, form_token=token_from(page))
    # An error keeps the chosen organisation and everything typed.
    error = client.post(INTAKE, {**data, "description": "", "step": "review"})
    assert error.status_code == 400
    assert f'name="organisation" value="{chosen.slug}"' in error.content.decode()
    assert '<option value="schaal-' not in error.content.decode()
    review = client.post(INTAKE, {**data, "step": "review"})
    assert review.status_code == 200 and chosen.name in review.content.decode()
    back = client.post(INTAKE, {**data, "step": "edit"})
    assert f'name="organisation" value="{chosen.slug}"' in back.content.decode()
    sent = client.post(INTAKE, {**data, "step": "send"}, follow=True)
    assert receipt_code_in(sent)
    assert Case.objects.get().organisation == chosen
    # Sessionless, as the rest of the Meldpunt: no session cookie on any step.
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_a_report_without_a_valid_organisation_asks_for_it(db):
    organisations = _organisations(MANY)
    client = Client()
    data = intake_data(organisations[0], organisation="atlantis")
    response = client.post(INTAKE, {**data, "step": "review"})
    assert response.status_code == 400
    assert "Kies de organisatie waar uw melding over gaat." in response.content.decode()
    assert not Case.objects.exists()
    assert client.get(reverse("meldpunt:intake_organisation", args=["atlantis"])).status_code == 404


def _regional_coordinator(organisation: Organisation) -> Client:
    user = UserFactory(full_name="Coördinator Regio")
    RoleAssignment.objects.create(
        user=user,
        role=Role.INTEGRITY_COORDINATOR,
        region=organisation.region,
        status=AssignmentStatus.ACTIVE,
    )
    return login_with_second_factor(Client(), user)


def test_a_regional_coordinator_chooses_the_organisation_before_recording(db):
    organisations = _organisations(MANY)
    chosen = organisations[3]
    client = _regional_coordinator(chosen)
    url = reverse("cases:record")
    queries, chooser = [], []
    for total in (MANY, 3 * MANY):
        if total > MANY:
            _organisations(total - MANY, start=MANY)
        client.get(url, {"organisatie": chosen.slug})  # warm: the session's first reads
        with CaptureQueriesContext(connection) as captured:
            form = client.get(url, {"organisatie": chosen.slug})
        queries.append(len(captured.captured_queries))
        chooser.append(client.get(url).content.decode())
        html = form.content.decode()
        assert form.status_code == 200
        assert organisations[4].name not in html
        assert re.search(rf'<input type="hidden" name="organisation" value="{chosen.pk}"', html)
    assert queries[0] == queries[1], queries
    assert all(organisations[4].name not in page for page in chooser)
    found = client.get(url, {"zoek": "veld 0003"}).content.decode()
    assert f"?organisatie={chosen.slug}" in found
    response = client.post(
        url,
        {
            "organisation": chosen.pk,
            "channel": "phone",
            "kind": "integrity_violation",
            "description": "Telefonisch gemeld.",
            "identity_mode": "anonymous",
            "form_token": "tok-1",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert Case.objects.get().organisation == chosen


def test_a_regional_coordinators_inbox_filters_on_an_organisation_typed_by_name(db):
    """Beyond 25 organisations the inbox's organisation filter is typed (name or code):
    no list of the region's organisations on every page, the same number of queries for
    a region of 30 and of 90, and a Dutch error for one outside the coordinator's reach."""
    from tests.cases.factories import submit_case

    organisations = _organisations(MANY)
    chosen, other = organisations[3], organisations[4]
    client = _regional_coordinator(chosen)
    number = submit_case(chosen, cheap_receipt=True).case.case_number
    elsewhere = submit_case(other, cheap_receipt=True).case.case_number
    url = reverse("cases:inbox")
    queries = []
    for total in (MANY, 3 * MANY):
        if total > MANY:
            _organisations(total - MANY, start=MANY)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        queries.append(len(captured.captured_queries))
        assert other.name not in html.split("<table")[0]  # no <option> per organisation
    assert queries[0] == queries[1], queries

    for typed in (chosen.name.upper(), chosen.slug):
        page = client.get(url, {"organisation": typed}).content.decode()
        assert number in page and elsewhere not in page, typed
    outside = OrganisationFactory(
        slug="elders", name="Elders", region=RegionFactory(slug="elders", name="Elders")
    )
    refused = client.get(url, {"organisation": outside.name}).content.decode()
    assert "Geen organisatie met deze naam of code bij uw meldingen." in refused
    assert 'value="Elders"' in refused

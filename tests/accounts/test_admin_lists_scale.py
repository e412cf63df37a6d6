"""The administrators' lists at the size of a country: pages with a constant number of queries.

A regional administrator keeps 350 organisations nationally (docs/performance.md). Each
list is read in pages, so a region of 60 organisations costs the same queries as one of 3,
and a page holds a bounded number of rows.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.cases.constants import SubstituteRole
from integritas.cases.models import Substitute
from integritas.counsel.models import CounsellorListing
from integritas.organisations.models import Employee, Organisation
from tests.conftest import login_with_second_factor
from tests.factories import OrganisationFactory, RegionFactory, UserFactory

PRIVILEGED = (Role.SECRETARY, Role.HRM, Role.INTEGRITY_COORDINATOR)
SMALL, LARGE = 3, 60

PAGES = {
    "access review": "accounts:access_review",
    "organisations": "organisations:organisation_list",
    "counsellors": "counsel:listing_list",
    "substitutes": "substitutes:list",
    "role assignments": "accounts:assignment_list",
    "users": "accounts:user_list",
}


def _region_of(size: int, start: int = 0) -> list[Organisation]:
    """Organisations `start` to `size`, each with three role holders, two
    vertrouwenspersonen and an active substitute, as seed_scale makes them (in bulk)."""
    region = RegionFactory()
    organisations = [
        OrganisationFactory(region=region, slug=f"schaal-{n:04d}", name=f"Gemeente Schaal {n:04d}")
        for n in range(start, size)
    ]
    users = User.objects.bulk_create(
        User(email=f"rol{org.pk}-{n}@schaal.example", full_name=f"Rolhouder {org.pk} {n}")
        for org in organisations
        for n in range(len(PRIVILEGED))
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user=users[i * len(PRIVILEGED) + n],
            role=role,
            organisation=org,
            status=AssignmentStatus.ACTIVE,
        )
        for i, org in enumerate(organisations)
        for n, role in enumerate(PRIVILEGED)
    )
    CounsellorListing.objects.bulk_create(
        CounsellorListing(organisation=org, name=f"Vertrouwenspersoon {n}", position=n)
        for org in organisations
        for n in range(2)
    )
    Substitute.objects.bulk_create(
        Substitute(
            organisation=org,
            replaces_role=SubstituteRole.INTEGRITY_COORDINATOR,
            user=users[i * len(PRIVILEGED)],
            status=AssignmentStatus.ACTIVE,
        )
        for i, org in enumerate(organisations)
    )
    return organisations


def _regional_administrator(organisation: Organisation) -> Client:
    admin = UserFactory(full_name="Beheerder Regio")
    RoleAssignment.objects.create(
        user=admin, role=Role.ADMINISTRATOR, region=organisation.region, status="active"
    )
    return login_with_second_factor(Client(), admin)


def _queries(client: Client, url: str) -> tuple[int, int]:
    """(queries, bytes) of a page, after a first request has warmed the caches."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), len(response.content)


def _measure(client: Client) -> dict[str, tuple[int, int]]:
    """{page: (queries, bytes)} of every list."""
    return {name: _queries(client, reverse(url)) for name, url in PAGES.items()}


def test_admin_lists_issue_the_same_queries_for_3_and_60_organisations(db):
    organisations = _region_of(SMALL)
    client = _regional_administrator(organisations[0])
    small = _measure(client)
    _region_of(LARGE, start=SMALL)
    large = _measure(client)
    for page in PAGES:
        assert large[page][0] == small[page][0], (page, small[page], large[page])
    # 60 organisations with 180 role holders: no page lists them all.
    for name, url in PAGES.items():
        body = client.get(reverse(url)).content.decode()
        shown = sum(f"Schaal {n:04d}" in body for n in range(LARGE))
        assert shown <= LARGE // 2, (name, shown)


@pytest.mark.requirement("R-BIO-2")
def test_later_pages_of_the_access_review_cost_the_same_and_list_every_assignment(db):
    organisations = _region_of(LARGE)
    client = _regional_administrator(organisations[0])
    url = reverse("accounts:access_review")
    first = client.get(url)
    pages = first.context["page"].paginator.num_pages
    assert pages > 1
    listed = set()
    counts = set()
    for number in range(1, pages + 1):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"pagina": number})
        counts.add(len(captured.captured_queries))
        listed |= {a.pk for group in response.context["groups"].values() for a in group}
    assert len(counts) == 1, counts
    # R-BIO-2: over its pages, the review still lists every privileged assignment.
    expected = set(
        RoleAssignment.objects.filter(
            status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.PENDING]
        ).values_list("pk", flat=True)
    )
    assert listed == expected


def test_later_pages_of_the_counsellor_and_substitute_lists_show_the_rest(db):
    organisations = _region_of(LARGE)
    client = _regional_administrator(organisations[0])
    last = organisations[-1].name
    for name in ("counsel:listing_list", "substitutes:list", "organisations:organisation_list"):
        url = reverse(name)
        assert last not in client.get(url).content.decode(), name
        assert last in client.get(url, {"pagina": 3}).content.decode(), name


def test_an_organisation_administrator_sees_only_his_organisation_in_the_lists(db):
    organisations = _region_of(SMALL)
    own, other = organisations[0], organisations[1]
    admin = UserFactory(full_name="Beheerder Eigen")
    Employee.objects.create(
        organisation=own,
        personnel_number="B1",
        first_name="Bea",
        last_name="Heer",
        start_date="2020-01-01",
        user=admin,
    )
    RoleAssignment.objects.create(
        user=admin, role=Role.ADMINISTRATOR, organisation=own, status="active"
    )
    client = login_with_second_factor(Client(), admin)
    for url in PAGES.values():
        if url == "accounts:user_list":
            continue
        page = client.get(reverse(url)).content.decode()
        assert own.name in page, url
        assert other.name not in page, url


def _sql_length(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return sum(len(query["sql"]) for query in captured.captured_queries)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_regional_administrators_queries_do_not_list_the_regions_organisations(db, page):
    """A regional role is written as its region in the queries, not as the list of the
    region's organisations: with 355 of them the database parses and plans that list
    again in every query (the access review's count and page, 3 ms each)."""
    organisations = _region_of(SMALL)
    client = _regional_administrator(organisations[0])
    url = reverse(PAGES[page])
    few = _sql_length(client, url)
    _region_of(LARGE, start=SMALL)
    # A page of 25 organisations names the 22 it did not hold before (about 90
    # characters); the region's 57 more organisations in a list would add at least 57
    # ids of three or four characters each, to every query that lists them.
    assert _sql_length(client, url) - few < 150

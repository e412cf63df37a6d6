"""Roltoewijzingen in keyset pages by the user's name: every active assignment once, in
order, forwards and backwards, at the same number of queries on every page."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.accounts.views import LIST_PAGE_SIZE
from tests.conftest import login_with_second_factor
from tests.factories import OrganisationFactory, UserFactory

ROLES = (Role.HRM, Role.SECRETARY)


def _setup(holders: int) -> tuple[Client, list[int]]:
    """A regional administrator and `holders` users with two roles each (some names
    alike, so that the role and the id decide the order); the assignments' ids in the
    list's order."""
    organisation = OrganisationFactory()
    users = User.objects.bulk_create(
        User(email=f"houder{n}@lijst.example", full_name=f"Houder {n // 2:03d}")
        for n in range(holders)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, organisation=organisation, status="active")
        for user in users
        for role in ROLES
    )
    admin = UserFactory(full_name="Zz Beheerder")
    RoleAssignment.objects.create(
        user=admin, role=Role.ADMINISTRATOR, region=organisation.region, status="active"
    )
    order = list(
        RoleAssignment.objects.filter(status=AssignmentStatus.ACTIVE)
        .order_by("user__full_name", "role", "pk")
        .values_list("pk", flat=True)
    )
    return login_with_second_factor(Client(), admin), order


def _shown(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r"/beheer/rollen/(\d+)/intrekken/", body)]


def _link(body: str, rel: str) -> str | None:
    found = re.search(rf'href="(\?[^"]*)" rel="{rel}"', body)
    return found.group(1) if found else None


def test_forward_and_back_every_assignment_once_in_order_at_constant_queries(db):
    client, order = _setup(130)  # 261 active assignments: six pages
    url = reverse("accounts:assignment_list")
    client.get(url)  # warm up: the session, the templates
    seen: list[int] = []
    counts = []
    pages = []
    query: str | None = ""
    last = ""
    while query is not None:
        last = query
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url + query)
        counts.append(len(captured.captured_queries))
        body = response.content.decode()
        rows = _shown(body)
        assert 0 < len(rows) <= LIST_PAGE_SIZE
        pages.append(rows)
        seen += rows
        query = _link(body, "next")
    assert seen == order
    assert len(pages) == 6
    # A later page reads its anchor's sort keys: one query more than the first, and the
    # same on every later page (no count, no offset).
    assert len(set(counts[1:])) == 1
    assert counts[1] == counts[0] + 1
    # Back from the last page, page by page, to the first.
    body = client.get(url + last).content.decode()
    back = [_shown(body)]
    while (query := _link(body, "prev")) is not None:
        body = client.get(url + query).content.decode()
        back.append(_shown(body))
    assert back[::-1] == pages
    assert _link(body, "prev") is None


def test_an_anchor_that_is_not_a_row_shows_the_first_page(db):
    client, order = _setup(10)
    url = reverse("accounts:assignment_list")
    for query in ("?na=999999", "?voor=abc", f"?voor={order[0]}", "?na=-1"):
        assert _shown(client.get(url + query).content.decode()) == order[:LIST_PAGE_SIZE]

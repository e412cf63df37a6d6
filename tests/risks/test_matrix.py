"""Every page of `risks` as every role: 200 allowed, 403 forbidden, 404 invisible
(another organisation's rows). See risks/permissions.py for who does what."""

import pytest
from django.urls import reverse

from integritas.accounts.constants import Role
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES, EmployeeFactory, OrgUnitFactory

from .factories import assessment, hrm_user, measure

EDIT = {Role.HRM, Role.INTEGRITY_OFFICER}
READ = EDIT | {Role.SECRETARY, Role.MANAGEMENT_BOARD}
REGIONAL = {Role.WORKING_GROUP, Role.INTEGRITY_COORDINATOR}
ROLES = [None, *ALL_ASSIGNABLE_ROLES]


@pytest.fixture
def world(organisation, other_organisation):
    own = assessment(organisation, geld=2)
    foreign = assessment(other_organisation, innen=3)
    owner = hrm_user(organisation)
    return {
        "own": own,
        "foreign": foreign,
        "own_measure": measure(organisation, owner, function=own.function),
        "foreign_measure": measure(other_organisation, hrm_user(other_organisation)),
    }


def _pages(organisation, other_organisation, world):
    own, foreign = world["own"], world["foreign"]
    read = READ | REGIONAL
    return [
        # (url, roles with 200 on their own organisation, roles with 403 else 404?)
        (reverse("risks:overview"), read, None),
        (reverse("risks:region"), REGIONAL, None),
        (reverse("risks:region_export", args=["csv"]), REGIONAL, None),
        (reverse("risks:measure_list"), "everyone", None),
        (reverse("risks:organisation", args=[organisation.slug]), read, None),
        (reverse("risks:heatmap", args=[organisation.slug]), read, None),
        (reverse("risks:export", args=[organisation.slug, "xlsx"]), read, None),
        (reverse("risks:factors", args=[organisation.slug]), read, None),
        (reverse("risks:assessment", args=[own.pk]), read, None),
        (reverse("risks:assess", args=[own.function.pk]), EDIT, None),
        (reverse("risks:override", args=[own.pk]), EDIT, None),
        (reverse("risks:measure_create", args=[organisation.slug]), EDIT, None),
        (reverse("risks:measure_edit", args=[world["own_measure"].pk]), EDIT, "hidden"),
        # Another organisation of the region: regional roles read it, others see nothing.
        (reverse("risks:organisation", args=[other_organisation.slug]), REGIONAL, "foreign"),
        (reverse("risks:heatmap", args=[other_organisation.slug]), REGIONAL, "foreign"),
        (reverse("risks:assessment", args=[foreign.pk]), REGIONAL, "foreign"),
        (reverse("risks:assess", args=[foreign.function.pk]), set(), "foreign-edit"),
        (reverse("risks:override", args=[foreign.pk]), set(), "foreign-edit"),
        (reverse("risks:measure_create", args=[other_organisation.slug]), set(), "foreign-edit"),
        (
            reverse("risks:measure_edit", args=[world["foreign_measure"].pk]),
            set(),
            "foreign-measure",
        ),
    ]


def _expected(role, allowed, kind):
    if allowed == "everyone" or role in allowed:
        return 200
    if kind == "hidden":  # a measure: invisible to who reads nothing of the organisation
        return 403 if role in READ | REGIONAL else 404
    if kind == "foreign":  # readers of their own organisation only: 404
        return 404 if role in READ else 403
    if kind == "foreign-measure":  # read regionally, never changed; else invisible
        return 403 if role in REGIONAL else 404
    if kind == "foreign-edit":
        if role in EDIT:
            return 404
        return 403
    return 403


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_every_page_per_role(client_for, organisation, other_organisation, world, role):
    client = client_for(role, organisation)
    for url, allowed, kind in _pages(organisation, other_organisation, world):
        status = client.get(url).status_code
        assert status == _expected(role, allowed, kind), (url, role, status)


def test_manager_reads_the_functions_of_their_team(organisation, other_organisation, world):
    from django.test import Client

    manager = EmployeeFactory(organisation=organisation)
    unit = OrgUnitFactory(organisation=organisation)
    unit.managers.add(manager)
    EmployeeFactory(organisation=organisation, org_unit=unit, function=world["own"].function)
    other = assessment(organisation, innen=1)  # not in the team
    client = login_with_second_factor(Client(), manager.user)
    assert client.get(reverse("risks:overview")).status_code == 200
    assert world["own"].function.name in client.get(reverse("risks:overview")).content.decode()
    assert client.get(reverse("risks:assessment", args=[world["own"].pk])).status_code == 200
    assert client.get(reverse("risks:assessment", args=[other.pk])).status_code == 404
    assert client.get(reverse("risks:assessment", args=[world["foreign"].pk])).status_code == 404
    assert client.get(reverse("risks:organisation", args=[organisation.slug])).status_code == 403
    assert client.get(reverse("risks:assess", args=[other.function.pk])).status_code == 403


@pytest.mark.parametrize("role", [Role.HRM, Role.SECRETARY, None], ids=str)
def test_posts_follow_the_matrix(client_for, organisation, other_organisation, world, role):
    client = client_for(role, organisation)
    foreign = world["foreign"]
    for name in ("confirm", "apply"):
        response = client.post(reverse(f"risks:{name}", args=[foreign.pk]))
        assert response.status_code == (404 if role == Role.HRM else 403)
    response = client.post(reverse("risks:confirm", args=[world["own"].pk]))
    assert response.status_code == (302 if role == Role.HRM else 403)
    foreign.refresh_from_db()
    assert foreign.status == "draft"

"""Every page of the app as every role: allowed (200), forbidden (403) or invisible (404).

This matrix grows with each app. A regional role (coordinator, central counsellor,
working group) is granted for the region; every other role for one organisation.
R-BIO-2 (privileged pages only for their role), R-DP-3 (role segregation).
"""

import pytest
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.organisations.models import OrgUnit

from .conftest import login_with_second_factor
from .factories import (
    ALL_ASSIGNABLE_ROLES,
    EmployeeFactory,
    FunctionFactory,
    OrgUnitFactory,
    grant,
)

EVERYONE = "everyone"

# url name (or callable building the url) -> roles that get 200; everyone else 403.
PAGES: dict[str, object] = {
    "home": EVERYONE,
    "trivial": EVERYONE,
    "accounts:user_list": {Role.ADMINISTRATOR},
    "accounts:user_create": {Role.ADMINISTRATOR},
    "accounts:assignment_list": {Role.ADMINISTRATOR},
    "accounts:assignment_create": {Role.ADMINISTRATOR},
    "accounts:access_review": {Role.ADMINISTRATOR},
    "audit:event_list": {Role.ADMINISTRATOR},
    "organisations:organisation_list": {Role.ADMINISTRATOR},
    "organisations:employee_list": {Role.HRM},
    "organisations:hr_import": {Role.HRM},
    "organisations:employee_create": {Role.HRM},
    "registers:signals": {Role.HRM, Role.INTEGRITY_OFFICER},
    "registers:counterparties_import": {Role.INTEGRITY_OFFICER},
}

ROLES = [None, *ALL_ASSIGNABLE_ROLES]


def _expected(allowed: object, role: str | None) -> int:
    if allowed == EVERYONE:
        return 200
    return 200 if role in allowed else 403  # type: ignore[operator]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
@pytest.mark.parametrize("url_name", list(PAGES))
def test_page_access_per_role(client_for, organisation, role, url_name):
    client = client_for(role, organisation)
    response = client.get(reverse(url_name))
    assert response.status_code == _expected(PAGES[url_name], role), (url_name, role)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_organisation_settings_page(client_for, organisation, other_organisation, role):
    """An organisation administrator edits their own organisation; another one is 404."""
    client = client_for(role, organisation)
    own = client.get(reverse("organisations:organisation_edit", args=[organisation.slug]))
    other = client.get(reverse("organisations:organisation_edit", args=[other_organisation.slug]))
    if role == Role.ADMINISTRATOR:
        assert own.status_code == 200
        assert other.status_code == 404
    else:
        assert own.status_code == 403
        assert other.status_code == 403


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_user_detail_page(client_for, make_user, organisation, other_organisation, role):
    """Administrators see users of their own organisation only; others are refused."""
    client = client_for(role, organisation)
    own = make_user(None, organisation)
    foreign = make_user(None, other_organisation)
    own_status = client.get(reverse("accounts:user_detail", args=[own.pk])).status_code
    foreign_status = client.get(reverse("accounts:user_detail", args=[foreign.pk])).status_code
    if role == Role.ADMINISTRATOR:
        assert (own_status, foreign_status) == (200, 404)
    else:
        assert (own_status, foreign_status) == (403, 403)


def test_regional_administrator_sees_every_organisation(client, organisation, other_organisation):

    admin = EmployeeFactory(organisation=organisation).user
    grant(admin, Role.ADMINISTRATOR, None)  # region-wide
    assert admin.assignments.get().region == organisation.region
    login_with_second_factor(client, admin)
    for org in (organisation, other_organisation):
        url = reverse("organisations:organisation_edit", args=[org.slug])
        assert client.get(url).status_code == 200


def test_hrm_sees_only_own_organisation_employees(client_for, organisation, other_organisation):
    EmployeeFactory(organisation=organisation, last_name="Bakker-Eigen")
    EmployeeFactory(organisation=other_organisation, last_name="Jansen-Ander")
    client = client_for(Role.HRM, organisation)
    content = client.get(reverse("organisations:employee_list")).content.decode()
    assert "Bakker-Eigen" in content
    assert "Jansen-Ander" not in content


def test_employee_list_query_count_is_constant(
    client_for, organisation, django_assert_max_num_queries
):
    """The HRM list costs the same number of queries for 5 or 45 employees (STYLE habit 9)."""
    unit = OrgUnitFactory(organisation=organisation)
    function = FunctionFactory(organisation=organisation)
    client = client_for(Role.HRM, organisation)
    url = reverse("organisations:employee_list")
    EmployeeFactory.create_batch(5, organisation=organisation, org_unit=unit, function=function)
    client.get(url)  # warm caches (session, content types)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    EmployeeFactory.create_batch(40, organisation=organisation, org_unit=unit, function=function)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    assert OrgUnit.objects.count() == 1


@pytest.mark.requirement("R-DP-2")
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_employee_legal_hold_page(client_for, organisation, other_organisation, role):
    """HRM and the integrity officer put their own organisation's employees under a legal
    hold (R-DP-2); another organisation's employee is 404, everyone else is refused (403)
    and nothing changes."""
    own = EmployeeFactory(organisation=organisation)
    foreign = EmployeeFactory(organisation=other_organisation)
    client = client_for(role, organisation)
    holders = {Role.HRM, Role.INTEGRITY_OFFICER}
    for employee, expected in (
        (own, 200 if role in holders else 403),
        (foreign, 404 if role in holders else 403),
    ):
        url = reverse("organisations:employee_legal_hold", args=[employee.pk])
        assert client.get(url).status_code == expected, (role, employee == own)
        posted = client.post(url, {"action": "set", "reason": "Rechtszaak"})
        assert posted.status_code == (302 if expected == 200 else expected)
        employee.refresh_from_db()
        assert employee.legal_hold is (expected == 200)

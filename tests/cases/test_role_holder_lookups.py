"""Every "who holds role R for this organisation" of the Meldpunt asks role_holders().

One rule for all of them: a holder for the organisation itself and a regional holder both
count, a neighbour organisation's holder does not. The pick list of investigators, the
deadline reminders, the notices and the routing to substitutes each answer the same.
"""

import pytest

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.cases.access import person_index
from integritas.cases.clock.reminders import coordinator_recipients
from integritas.cases.constants import SubstituteRole
from integritas.cases.handling.selectors import investigators_for
from integritas.cases.models import InvolvedPerson
from integritas.cases.notices.notifications import _emails_of_role
from integritas.cases.services import substitute_request
from integritas.organisations.models import Employee

from .factories import submit_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def holders(make_user, organisation, other_organisation):
    """(own, regional, neighbour) holders of `role`: for the organisation, for its region,
    for the other organisation of the same region."""

    def _holders(role: str) -> tuple[User, User, User]:
        own = make_user(None, organisation)
        regional = make_user(None, other_organisation)
        neighbour = make_user(None, other_organisation)
        for user, scope in (
            (own, {"organisation": organisation}),
            (regional, {"region": organisation.region}),
            (neighbour, {"organisation": other_organisation}),
        ):
            RoleAssignment.objects.create(
                user=user, role=role, status=AssignmentStatus.ACTIVE, **scope
            )
        return own, regional, neighbour

    return _holders


def test_investigators_to_pick_from(holders, organisation):
    own, regional, _neighbour = holders(Role.INVESTIGATOR)
    assert set(investigators_for(organisation)) == {own, regional}


def test_deadline_reminders_and_notices_reach_own_and_regional_coordinators(holders, organisation):
    own, regional, _neighbour = holders(Role.INTEGRITY_COORDINATOR)
    case = submit_case(organisation).case
    expected = sorted([own.email, regional.email])
    assert sorted(coordinator_recipients(case)) == expected
    assert _emails_of_role(Role.INTEGRITY_COORDINATOR, case) == expected


def test_a_report_about_the_coordinator_names_every_holder_as_involved(
    holders, make_user, organisation
):
    own, regional, neighbour = holders(Role.INTEGRITY_COORDINATOR)
    # A holder whose login is switched off is named too: it may be switched on again.
    User.objects.filter(pk=own.pk).update(is_active=False)
    substitute_request(
        actor=None,
        organisation=organisation,
        replaces_role=SubstituteRole.INTEGRITY_COORDINATOR,
        user=make_user(None, organisation),
    )
    case = submit_case(organisation, concerns_role=SubstituteRole.INTEGRITY_COORDINATOR).case

    def index(user: User) -> str:
        employee = Employee.objects.select_related("organisation").get(user=user)
        return person_index(employee.organisation.slug, employee.personnel_number)

    named = set(InvolvedPerson.objects.filter(case=case).values_list("blind_index", flat=True))
    assert named == {index(own), index(regional)}
    assert index(neighbour) not in named

"""role_holders(role, organisation): the one answer to "who holds R for O".

The rule: an active assignment for O itself, or a regional one for O's region (which
covers every organisation of that region, as user_roles() and so every permission check
has it). Not: a neighbour's holders, another region's, revoked or pending assignments,
or inactive logins (unless asked for).
"""

import pytest

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.accounts.selectors import role_holders, user_roles
from tests.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holders(make_user, organisation, other_organisation):
    """Investigators of every kind around `organisation`, by name."""
    elsewhere = RegionFactory(slug="elders", name="Elders")
    far_org = OrganisationFactory(region=elsewhere, slug="ver-weg", case_prefix="VWG")

    def hold(user: User, status: str = AssignmentStatus.ACTIVE, **scope: object) -> User:
        RoleAssignment.objects.create(user=user, role=Role.INVESTIGATOR, status=status, **scope)
        return user

    region = organisation.region
    people = {
        "own": hold(make_user(None, organisation), organisation=organisation),
        "regional": hold(make_user(None, other_organisation), region=region),
        "neighbour": hold(make_user(None, other_organisation), organisation=other_organisation),
        "other_region": hold(make_user(None, far_org), region=elsewhere),
        "revoked": hold(
            make_user(None, organisation), AssignmentStatus.REVOKED, organisation=organisation
        ),
        "pending": hold(make_user(None, organisation), AssignmentStatus.PENDING, region=region),
        "inactive": hold(make_user(None, organisation), organisation=organisation),
    }
    User.objects.filter(pk=people["inactive"].pk).update(is_active=False)
    # Holds another role here and the investigator role only as a revoked regional grant:
    # the role, the scope and the status must be one and the same assignment.
    mixed = make_user(Role.HRM, organisation)
    hold(mixed, AssignmentStatus.REVOKED, region=region)
    people["mixed"] = mixed
    return people


def _names(users, people) -> set[str]:
    by_pk = {user.pk: name for name, user in people.items()}
    return {by_pk[user.pk] for user in users}


def test_own_and_regional_holders_count(holders, organisation):
    assert _names(role_holders(Role.INVESTIGATOR, organisation), holders) == {"own", "regional"}
    # By id as well as by object.
    by_id = role_holders(Role.INVESTIGATOR, organisation.pk)
    assert _names(by_id, holders) == {"own", "regional"}


def test_the_same_answer_as_the_permission_checks(holders, organisation):
    """A notice or a pick list never names someone the permission checks would refuse."""
    for name, user in holders.items():
        fresh = User.objects.get(pk=user.pk)
        holds = fresh.is_active and user_roles(fresh).has(Role.INVESTIGATOR, organisation)
        assert holds == (name in {"own", "regional"}), name


def test_own_holders_only_and_inactive_logins_on_request(holders, organisation):
    own = role_holders(Role.INVESTIGATOR, organisation, regional=False)
    assert _names(own, holders) == {"own"}
    everyone = role_holders(Role.INVESTIGATOR, organisation, include_inactive_logins=True)
    assert _names(everyone, holders) == {"own", "regional", "inactive"}


def test_a_neighbour_sees_only_the_regional_holder(holders, other_organisation):
    names = _names(role_holders(Role.INVESTIGATOR, other_organisation), holders)
    assert names == {"regional", "neighbour"}

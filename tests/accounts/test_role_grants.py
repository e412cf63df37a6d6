"""Four-eyes role grants, their audit trail, and no all-powerful accounts (R-BIO-2)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from integritas.accounts import services
from integritas.accounts.constants import (
    CONTENT_ROLES,
    FOUR_EYES_ROLES,
    PRIVILEGED_ROLES,
    REGIONAL_ROLES,
    AssignmentStatus,
    Role,
)
from integritas.accounts.models import RoleAssignment, User
from integritas.accounts.selectors import user_roles
from integritas.audit.constants import Result
from integritas.audit.models import AuditEvent
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES, grant

# Content roles granted per organisation; the coordinator is a regional role.
ORG_CONTENT_ROLES = sorted(CONTENT_ROLES - REGIONAL_ROLES)


def _scope(role, organisation):
    if role in REGIONAL_ROLES:
        return {"region": organisation.region}
    return {"organisation": organisation}


@pytest.fixture
def admins(make_user, organisation):
    """Two administrators of the same organisation."""
    return make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR)


@pytest.fixture
def regional_admins(make_user, organisation):
    """Two administrators for the whole region."""
    pair = make_user(), make_user()
    for admin in pair:
        RoleAssignment.objects.create(
            user=admin,
            role=Role.ADMINISTRATOR,
            region=organisation.region,
            status=AssignmentStatus.ACTIVE,
        )
    return pair


def _events(action, assignment=None, **filters):
    qs = AuditEvent.objects.filter(action=action, **filters)
    if assignment is not None:
        qs = qs.filter(object_type="accounts.roleassignment", object_id=str(assignment.pk))
    return qs


@pytest.mark.requirement("R-BIO-2")
@pytest.mark.parametrize("role", ORG_CONTENT_ROLES)
def test_content_role_waits_for_a_second_administrator(admins, make_user, organisation, role):
    first, second = admins
    target = make_user()
    assignment = services.role_assignment_request(
        actor=first, user=target, role=role, organisation=organisation, reason="Nodig"
    )
    assert assignment.status == AssignmentStatus.PENDING
    assert not user_roles(User.objects.get(pk=target.pk)).has(role)
    assert _events("role.request", assignment, actor_id=first.pk).count() == 1

    # The requester cannot approve his own request ...
    with pytest.raises(PermissionDenied):
        services.role_assignment_decide(actor=first, assignment=assignment, approve=True)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING
    denied = _events("role.approve", assignment, actor_id=first.pk)
    assert denied.get().result == Result.DENIED

    # ... a second administrator can.
    services.role_assignment_decide(actor=second, assignment=assignment, approve=True)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
    assert assignment.requested_by == first
    assert assignment.decided_by == second
    assert user_roles(User.objects.get(pk=target.pk)).has(role, organisation)
    approved = _events("role.approve", assignment, actor_id=second.pk).get()
    assert approved.result == Result.SUCCESS
    assert approved.organisation_id == organisation.pk
    assert approved.actor_role == Role.ADMINISTRATOR


def test_regional_coordinator_also_needs_four_eyes(regional_admins, make_user, organisation):
    first, second = regional_admins
    target = make_user()
    assignment = services.role_assignment_request(
        actor=first,
        user=target,
        role=Role.INTEGRITY_COORDINATOR,
        region=organisation.region,
    )
    assert assignment.status == AssignmentStatus.PENDING
    services.role_assignment_decide(actor=second, assignment=assignment, approve=True)
    assert user_roles(User.objects.get(pk=target.pk)).has(Role.INTEGRITY_COORDINATOR)


@pytest.mark.requirement("R-BIO-2")
def test_rejected_grant_gives_nothing_and_is_audited(admins, make_user, organisation):
    first, second = admins
    target = make_user()
    assignment = services.role_assignment_request(
        actor=first, user=target, role=Role.INVESTIGATOR, organisation=organisation
    )
    services.role_assignment_decide(actor=second, assignment=assignment, approve=False)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REJECTED
    assert not user_roles(User.objects.get(pk=target.pk)).roles
    assert _events("role.reject", assignment, actor_id=second.pk).exists()
    # A decided request cannot be decided again.
    with pytest.raises(PermissionDenied):
        services.role_assignment_decide(actor=second, assignment=assignment, approve=True)


def test_target_cannot_approve_his_own_grant(admins, make_user, organisation):
    first, second = admins
    assignment = services.role_assignment_request(
        actor=first, user=second, role=Role.SECRETARY, organisation=organisation
    )
    with pytest.raises(PermissionDenied):
        services.role_assignment_decide(actor=second, assignment=assignment, approve=True)


@pytest.mark.requirement("R-BIO-2")
@pytest.mark.parametrize("role", sorted(set(ALL_ASSIGNABLE_ROLES) - FOUR_EYES_ROLES))
def test_other_roles_are_granted_at_once_and_audited(
    admins, regional_admins, make_user, organisation, role
):
    # Regional roles are granted by a regional administrator, the others per organisation.
    actor = regional_admins[0] if role in REGIONAL_ROLES else admins[0]
    target = make_user()
    assignment = services.role_assignment_request(
        actor=actor, user=target, role=role, **_scope(role, organisation)
    )
    assert assignment.status == AssignmentStatus.ACTIVE
    assert user_roles(User.objects.get(pk=target.pk)).has(role)
    assert _events("role.grant", assignment, actor_id=actor.pk).exists()


@pytest.mark.parametrize("role", sorted(REGIONAL_ROLES))
def test_org_administrator_cannot_grant_a_regional_role(admins, make_user, organisation, role):
    with pytest.raises(PermissionDenied):
        services.role_assignment_request(
            actor=admins[0], user=make_user(), role=role, region=organisation.region
        )
    assert not RoleAssignment.objects.filter(role=role).exists()


@pytest.mark.requirement("R-BIO-2")
def test_revoke_takes_the_role_away_and_is_audited(admins, make_user, organisation):
    _first, second = admins
    target = make_user(Role.HRM)
    assignment = RoleAssignment.objects.get(user=target)
    services.role_assignment_revoke(actor=second, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REVOKED
    assert not user_roles(User.objects.get(pk=target.pk)).has(Role.HRM)
    assert _events("role.revoke", assignment, actor_id=second.pk).exists()


def test_administrator_cannot_grant_himself_a_role(admins, organisation):
    first, _second = admins
    with pytest.raises(PermissionDenied):
        services.role_assignment_request(
            actor=first, user=first, role=Role.INVESTIGATOR, organisation=organisation
        )
    with pytest.raises(PermissionDenied):
        services.role_assignment_request(
            actor=first, user=first, role=Role.HRM, organisation=organisation
        )
    assert not RoleAssignment.objects.filter(user=first).exclude(role=Role.ADMINISTRATOR)
    assert _events("role.request", actor_id=first.pk, result=Result.DENIED).count() == 2


def test_org_administrator_cannot_act_in_another_organisation(
    admins, make_user, organisation, other_organisation
):
    first, _second = admins
    outsider = make_user(None, other_organisation)
    with pytest.raises(PermissionDenied):
        services.role_assignment_request(
            actor=first, user=outsider, role=Role.HRM, organisation=other_organisation
        )
    # Nor approve or revoke there.
    other_admin_1 = make_user(Role.ADMINISTRATOR, other_organisation)
    pending = services.role_assignment_request(
        actor=other_admin_1,
        user=outsider,
        role=Role.INVESTIGATOR,
        organisation=other_organisation,
    )
    with pytest.raises(PermissionDenied):
        services.role_assignment_decide(actor=first, assignment=pending, approve=True)
    active = grant(outsider, Role.HRM, other_organisation)
    with pytest.raises(PermissionDenied):
        services.role_assignment_revoke(actor=first, assignment=active)
    active.refresh_from_db()
    assert active.status == AssignmentStatus.ACTIVE
    assert not RoleAssignment.objects.filter(
        user=outsider, organisation=other_organisation, role=Role.HRM
    ).exclude(pk=active.pk)
    assert _events("role.revoke", actor_id=first.pk, result=Result.DENIED).exists()


def test_non_administrator_cannot_grant(make_user, organisation):
    hrm = make_user(Role.HRM)
    with pytest.raises(PermissionDenied):
        services.role_assignment_request(
            actor=hrm, user=make_user(), role=Role.HRM, organisation=organisation
        )


# --- through the pages --------------------------------------------------------------


def _client(user, client: Client) -> Client:
    """A browser of `user`, logged in with 2FA passed."""
    return login_with_second_factor(client, user)


def test_four_eyes_through_the_pages(admins, make_user, organisation):
    first, second = admins
    target = make_user()
    first_client = _client(first, Client())
    response = first_client.post(
        reverse("accounts:assignment_create"),
        {
            "user": target.pk,
            "role": Role.CONFIDENTIAL_COUNSELLOR,
            "organisation": organisation.pk,
            "region": "",
            "reason": "Nieuwe vertrouwenspersoon",
        },
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=target)
    assert assignment.status == AssignmentStatus.PENDING
    listing = first_client.get(reverse("accounts:assignment_list")).content.decode()
    assert "Een andere beheerder beoordeelt dit." in listing
    # The requester's POST is refused even without the button.
    decide = reverse("accounts:assignment_decide", args=[assignment.pk])
    assert first_client.post(decide, {"decision": "approve"}).status_code == 403
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING

    second_client = _client(second, Client())
    assert "Goedkeuren" in second_client.get(reverse("accounts:assignment_list")).content.decode()
    assert second_client.post(decide, {"decision": "approve"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
    assert assignment.decided_by == second


def test_pages_refuse_other_organisations(admins, make_user, organisation, other_organisation):
    first, _second = admins
    outsider = make_user(None, other_organisation)
    client = _client(first, Client())
    response = client.post(
        reverse("accounts:assignment_create"),
        {
            "user": outsider.pk,
            "role": Role.HRM,
            "organisation": other_organisation.pk,
            "region": "",
            "reason": "x",
        },
    )
    assert response.status_code == 200  # the form again, with errors
    assert not RoleAssignment.objects.filter(user=outsider).exists()
    foreign = grant(outsider, Role.HRM, other_organisation)
    revoke = reverse("accounts:assignment_revoke", args=[foreign.pk])
    assert client.post(revoke).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == AssignmentStatus.ACTIVE


def test_non_administrators_cannot_reach_the_grant_pages(client_for):
    for role in sorted(PRIVILEGED_ROLES - {Role.ADMINISTRATOR}):
        client = client_for(role)
        for name in ("accounts:assignment_list", "accounts:assignment_create"):
            assert client.get(reverse(name)).status_code == 403, (role, name)
        assert client.get(reverse("accounts:access_review")).status_code == 403, role


@pytest.mark.requirement("R-BIO-2")
def test_access_review_lists_every_privileged_assignment_per_organisation(
    make_user, organisation, other_organisation, regional_admins
):
    reviewer, _second = regional_admins
    here = [make_user(role) for role in (Role.HRM, Role.INVESTIGATOR, Role.SECRETARY)]
    there = [make_user(role, other_organisation) for role in (Role.HRM, Role.WORKS_COUNCIL)]
    pending = services.role_assignment_request(
        actor=reviewer,
        user=make_user(),
        role=Role.CONFIDENTIAL_COUNSELLOR,
        organisation=organisation,
    )
    revoked = grant(make_user(), Role.MANAGEMENT_BOARD, organisation)
    RoleAssignment.objects.filter(pk=revoked.pk).update(status=AssignmentStatus.REVOKED)

    client = _client(reviewer, Client())
    response = client.get(reverse("accounts:access_review"))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert set(groups) == {organisation.name, other_organisation.name, organisation.region.name}
    listed = {a.pk for assignments in groups.values() for a in assignments}
    expected = set(
        RoleAssignment.objects.filter(
            status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.PENDING]
        ).values_list("pk", flat=True)
    )
    assert listed == expected
    assert pending.pk in listed and revoked.pk not in listed
    for assignment in groups[organisation.name]:
        assert assignment.organisation_id == organisation.pk
    for assignment in groups[other_organisation.name]:
        assert assignment.organisation_id == other_organisation.pk
    page = response.content.decode()
    for user in here + there:
        assert user.full_name in page


def test_org_administrator_reviews_only_his_organisation(
    admins, make_user, organisation, other_organisation
):
    first, _second = admins
    make_user(Role.HRM, other_organisation)
    client = _client(first, Client())
    groups = client.get(reverse("accounts:access_review")).context["groups"]
    assert set(groups) == {organisation.name}


# --- no all-powerful accounts -------------------------------------------------------


def test_no_account_is_superuser_or_staff(make_user, organisation):
    users = [make_user(role) for role in ALL_ASSIGNABLE_ROLES] + [make_user()]
    for user in User.objects.all():
        assert user.is_superuser is False
        assert user.is_staff is False
        assert user.has_module_perms("accounts") is False
    field_names = {f.name for f in User._meta.get_fields()}
    assert not field_names & {"is_superuser", "is_staff", "user_permissions", "groups"}
    assert not hasattr(User.objects, "create_superuser")
    assert len(users) == len(ALL_ASSIGNABLE_ROLES) + 1


def test_has_perm_is_false_without_a_rule(make_user):
    admin = make_user(Role.ADMINISTRATOR)
    for perm in ("anything", "cases.view_case", "auth.add_user", "accounts.delete_user", ""):
        assert admin.has_perm(perm) is False, perm
    assert admin.has_perm("accounts.manage_users") is True
    assert make_user(Role.HRM).has_perm("accounts.manage_users") is False


def test_inactive_administrator_has_no_permissions(make_user):
    admin = make_user(Role.ADMINISTRATOR)
    admin.is_active = False
    admin.save()
    assert admin.has_perm("accounts.manage_users") is False


def test_granting_administrator_needs_a_second_administrator(admins, make_user, organisation):
    """One administrator cannot mint a second administrator account to approve himself."""
    first, second = admins[0], admins[1]
    target = make_user()
    assignment = services.role_assignment_request(
        actor=first, user=target, role=Role.ADMINISTRATOR, organisation=organisation
    )
    assert assignment.status == AssignmentStatus.PENDING
    assert not user_roles(User.objects.get(pk=target.pk)).has(Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        services.role_assignment_decide(actor=first, assignment=assignment, approve=True)
    services.role_assignment_decide(actor=second, assignment=assignment, approve=True)
    assert user_roles(User.objects.get(pk=target.pk)).has(Role.ADMINISTRATOR, organisation)

"""The one four-eyes grant (accounts.grants), proved once for every kind that uses it.

A role grant and a substitute's designation differ only in what they grant; who may ask,
decide and revoke, and what the database refuses, is the same rule (R-BIO-2).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.grants.services import (
    FourEyes,
    grant_decide,
    grant_request,
    grant_revoke,
)
from integritas.accounts.models import RoleAssignment
from integritas.accounts.services import ROLE_GRANT
from integritas.audit.constants import Result
from integritas.audit.models import AuditEvent
from integritas.cases.constants import SubstituteRole
from integritas.cases.models import Substitute
from integritas.cases.substitutes.services import SUBSTITUTE_GRANT
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Kind:
    """One kind of grant: its policy, a new row of it, and its two shared pages."""

    policy: FourEyes
    build: Callable[[Any, Any], Any]  # (organisation, user) -> an unsaved grant
    urls: str  # "<namespace>:<prefix>" of the decide and revoke pages

    def request(self, actor: Any, organisation: Any, user: Any) -> Any:
        return grant_request(kind=self.policy, actor=actor, grant=self.build(organisation, user))

    def decide(self, actor: Any, grant: Any, approve: bool) -> Any:
        return grant_decide(kind=self.policy, actor=actor, grant=grant, approve=approve)

    def revoke(self, actor: Any, grant: Any) -> Any:
        return grant_revoke(kind=self.policy, actor=actor, grant=grant)

    @property
    def action(self) -> str:
        return self.policy.action

    @property
    def model(self) -> type:
        return self.policy.model

    def url(self, step: str, grant: Any) -> str:
        return reverse(f"{self.urls}{step}", args=[grant.pk])


ROLE = Kind(
    ROLE_GRANT,
    lambda org, user: RoleAssignment(user=user, role=Role.INVESTIGATOR, organisation=org),
    "accounts:assignment_",
)
SUBSTITUTE = Kind(
    SUBSTITUTE_GRANT,
    lambda org, user: Substitute(
        organisation=org, replaces_role=SubstituteRole.SECRETARY, user=user
    ),
    "substitutes:",
)
KINDS = pytest.mark.parametrize("kind", [ROLE, SUBSTITUTE], ids=["role", "substitute"])


@pytest.fixture
def admins(make_user, organisation):
    return make_user(Role.ADMINISTRATOR, organisation), make_user(Role.ADMINISTRATOR, organisation)


def _events(kind: Kind, step: str, grant: Any = None, **filters: Any):
    events = AuditEvent.objects.filter(action=f"{kind.action}.{step}", **filters)
    if grant is not None:
        events = events.filter(object_id=str(grant.pk))
    return events


@pytest.mark.requirement("R-BIO-2")
@KINDS
def test_the_requester_cannot_approve_his_own_request(kind, admins, make_user, organisation):
    first, second = admins
    grant = kind.request(first, organisation, make_user(None, organisation))
    assert grant.status == AssignmentStatus.PENDING
    assert grant.requested_by == first
    assert _events(kind, "request", grant, actor_id=first.pk).get().result == Result.SUCCESS

    with pytest.raises(PermissionDenied):
        kind.decide(first, grant, True)
    grant.refresh_from_db()
    assert grant.status == AssignmentStatus.PENDING
    assert _events(kind, "approve", grant, actor_id=first.pk).get().result == Result.DENIED

    kind.decide(second, grant, True)
    grant.refresh_from_db()
    assert grant.status == AssignmentStatus.ACTIVE
    assert (grant.requested_by, grant.decided_by) == (first, second)
    assert grant.decided_at is not None
    assert _events(kind, "approve", grant, actor_id=second.pk).get().result == Result.SUCCESS


@pytest.mark.requirement("R-BIO-2")
@KINDS
def test_the_person_who_gains_cannot_decide(kind, admins, organisation):
    first, second = admins
    grant = kind.request(first, organisation, second)
    with pytest.raises(PermissionDenied):
        kind.decide(second, grant, True)
    with pytest.raises(PermissionDenied):
        kind.request(first, organisation, first)  # nor ask for himself
    grant.refresh_from_db()
    assert grant.status == AssignmentStatus.PENDING
    assert _events(kind, "request", actor_id=first.pk, result=Result.DENIED).count() == 1


@pytest.mark.requirement("R-BIO-2")
@KINDS
def test_another_scopes_administrator_cannot_decide_or_revoke(
    kind, admins, make_user, organisation, other_organisation
):
    first, second = admins
    elsewhere = make_user(Role.ADMINISTRATOR, other_organisation)
    pending = kind.request(first, organisation, make_user(None, organisation))
    with pytest.raises(PermissionDenied):
        kind.decide(elsewhere, pending, True)
    with pytest.raises(PermissionDenied):
        kind.revoke(elsewhere, pending)
    with pytest.raises(PermissionDenied):
        kind.request(elsewhere, organisation, make_user(None, organisation))
    pending.refresh_from_db()
    assert pending.status == AssignmentStatus.PENDING
    for step in ("approve", "revoke", "request"):
        assert _events(kind, step, actor_id=elsewhere.pk).get().result == Result.DENIED

    # Through the shared pages the row is not even there for him.
    client = login_with_second_factor(Client(), elsewhere)
    decide = kind.url("decide", pending)
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    assert client.post(kind.url("revoke", pending)).status_code == 404
    # The requester is refused (403); the second administrator of the scope decides.
    mine = login_with_second_factor(Client(), first)
    assert mine.post(decide, {"decision": "approve"}).status_code == 403
    theirs = login_with_second_factor(Client(), second)
    assert theirs.post(decide, {"decision": "reject"}).status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (AssignmentStatus.REJECTED, second)


@pytest.mark.requirement("R-BIO-2")
@KINDS
def test_the_system_actor_grants_at_once(kind, make_user, organisation):
    grant = kind.request(None, organisation, make_user(None, organisation))
    assert grant.status == AssignmentStatus.ACTIVE
    assert grant.requested_by is None and grant.decided_by is None
    event = _events(kind, "grant", grant).get()
    assert (event.actor_id, event.actor_role, event.result) == (None, "", Result.SUCCESS)
    assert event.organisation_id == organisation.pk
    # An open grant is not granted twice.
    with pytest.raises(ValidationError):
        kind.request(None, organisation, grant.user)


@pytest.mark.requirement("R-BIO-2")
@KINDS
def test_revoke_ends_the_grant_once_and_is_audited(kind, admins, make_user, organisation):
    first, second = admins
    grant = kind.request(first, organisation, make_user(None, organisation))
    kind.decide(second, grant, True)

    kind.revoke(first, grant)
    grant.refresh_from_db()
    assert grant.status == AssignmentStatus.REVOKED
    # The requester revoked it: nobody else "decided", so the four-eyes constraint holds.
    assert grant.decided_by is None
    assert _events(kind, "revoke", grant, actor_id=first.pk).get().result == Result.SUCCESS
    with pytest.raises(ValidationError):
        kind.revoke(second, grant)

    # A pending request withdrawn by the other administrator records who did it.
    pending = kind.request(first, organisation, make_user(None, organisation))
    client = login_with_second_factor(Client(), second)
    assert client.post(kind.url("revoke", pending)).status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (AssignmentStatus.REVOKED, second)
    # Revoking again through the page says so instead of failing.
    response = client.post(kind.url("revoke", pending), follow=True)
    assert "niet meer actief" in response.content.decode()


@pytest.mark.requirement("R-BIO-2")
@KINDS
def test_the_database_refuses_a_decision_by_the_requester(kind, admins, make_user, organisation):
    first, _second = admins
    grant = kind.request(first, organisation, make_user(None, organisation))
    with pytest.raises(IntegrityError), transaction.atomic():
        kind.model.objects.filter(pk=grant.pk).update(
            status=AssignmentStatus.ACTIVE, decided_by=first, decided_at=timezone.now()
        )

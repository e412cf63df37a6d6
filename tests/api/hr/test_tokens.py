"""Tokens: issued per organisation and scope, shown once, stored hashed, revocable; a
write token works only after a second administrator approved it (four eyes)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from integritas.accounts.api_tokens.constants import TokenScope
from integritas.accounts.api_tokens.models import ApiToken
from integritas.accounts.api_tokens.services import (
    api_token_check,
    api_token_decide,
    api_token_issue,
    api_token_revoke,
)
from integritas.accounts.constants import AssignmentStatus, Role
from integritas.audit.constants import Result
from integritas.audit.models import AuditEvent

from .conftest import Caller

pytestmark = pytest.mark.django_db


def test_a_read_token_is_active_at_once_and_its_value_is_not_stored(
    admin: Any, organisation: Any
) -> None:
    issued = api_token_issue(
        actor=admin, organisation=organisation, name="AFAS", scope=TokenScope.READ
    )
    token = ApiToken.objects.get()
    assert token.status == AssignmentStatus.ACTIVE
    assert token.organisation == organisation
    prefix, key_id, secret = issued.value.split("_", 2)
    assert (prefix, key_id) == ("itg", token.key_id)
    assert len(secret) >= 43  # 32 random bytes
    # Only a keyed digest is kept, never the secret.
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get())
    assert secret not in stored
    assert token.digest != secret
    assert len(token.digest) == 64
    assert api_token_check(issued.value) == token
    assert api_token_check(issued.value[:-1] + ("A" if issued.value[-1] != "A" else "B")) is None
    assert api_token_check(f"itg_{'0' * 16}_{secret}") is None
    assert api_token_check("garbage") is None


@pytest.mark.requirement("R-BIO-2")
def test_a_write_token_needs_a_second_administrator(
    admin: Any, second_admin: Any, organisation: Any
) -> None:
    issued = api_token_issue(
        actor=admin, organisation=organisation, name="AFAS", scope=TokenScope.WRITE
    )
    token = issued.token
    assert token.status == AssignmentStatus.PENDING
    # Not usable while pending.
    assert Caller(issued.value).get("medewerkers/").status_code == 401
    # The requester cannot approve their own request; the refusal is recorded.
    with pytest.raises(PermissionDenied):
        api_token_decide(actor=admin, token=token, approve=True)
    token.refresh_from_db()
    assert token.status == AssignmentStatus.PENDING
    assert AuditEvent.objects.filter(
        action="api_token.approve", result=Result.DENIED, actor=admin
    ).exists()
    api_token_decide(actor=second_admin, token=token, approve=True)
    token.refresh_from_db()
    assert token.status == AssignmentStatus.ACTIVE
    assert token.decided_by == second_admin
    actions = list(
        AuditEvent.objects.filter(
            object_id=str(token.pk),
            object_type="accounts.apitoken",
            action__startswith="api_token.",
        )
        .order_by("sequence")
        .values_list("action", "result", "actor_id")
    )
    assert actions == [
        ("api_token.request", Result.SUCCESS, admin.pk),
        ("api_token.approve", Result.DENIED, admin.pk),
        ("api_token.approve", Result.SUCCESS, second_admin.pk),
    ]
    # The refused call with the pending token is in the organisation's chain as well.
    assert AuditEvent.objects.filter(
        action="api.hr.employees_read", result=Result.DENIED, object_id=str(token.pk)
    ).exists()


def test_an_administrator_of_another_organisation_can_neither_issue_nor_decide(
    admin: Any, make_user: Any, organisation: Any, other_organisation: Any
) -> None:
    outsider = make_user(Role.ADMINISTRATOR, other_organisation)
    with pytest.raises(PermissionDenied):
        api_token_issue(actor=outsider, organisation=organisation, name="X", scope=TokenScope.READ)
    issued = api_token_issue(
        actor=admin, organisation=organisation, name="AFAS", scope=TokenScope.WRITE
    )
    with pytest.raises(PermissionDenied):
        api_token_decide(actor=outsider, token=issued.token, approve=True)
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=outsider, token=issued.token)
    assert ApiToken.objects.get().status == AssignmentStatus.PENDING


def test_a_hrm_officer_cannot_issue(make_user: Any, organisation: Any) -> None:
    hrm = make_user(Role.HRM, organisation)
    with pytest.raises(PermissionDenied):
        api_token_issue(actor=hrm, organisation=organisation, name="X", scope=TokenScope.READ)
    assert not ApiToken.objects.exists()


def test_a_rejected_write_token_never_works(
    admin: Any, second_admin: Any, organisation: Any
) -> None:
    issued = api_token_issue(
        actor=admin, organisation=organisation, name="AFAS", scope=TokenScope.WRITE
    )
    api_token_decide(actor=second_admin, token=issued.token, approve=False)
    assert Caller(issued.value).get("medewerkers/").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.reject", actor=second_admin).exists()


def test_a_revoked_token_stops_working_and_revoking_twice_is_refused(
    admin: Any, organisation: Any
) -> None:
    issued = api_token_issue(
        actor=admin, organisation=organisation, name="AFAS", scope=TokenScope.READ
    )
    caller = Caller(issued.value)
    assert caller.get("medewerkers/").status_code == 200
    api_token_revoke(actor=admin, token=issued.token)
    assert caller.get("medewerkers/").status_code == 401
    with pytest.raises(ValidationError):
        api_token_revoke(actor=admin, token=issued.token)
    assert (
        AuditEvent.objects.filter(action="api_token.revoke", object_id=str(issued.token.pk)).count()
        == 1
    )


def test_every_issue_is_audited(admin: Any, organisation: Any) -> None:
    issued = api_token_issue(
        actor=admin, organisation=organisation, name="AFAS", scope=TokenScope.READ
    )
    event = AuditEvent.objects.get(action="api_token.grant")
    assert (event.actor_id, event.organisation_id, event.object_id) == (
        admin.pk,
        organisation.pk,
        str(issued.token.pk),
    )


def test_last_used_is_recorded(reader: Caller) -> None:
    assert ApiToken.objects.get().last_used_at is None
    assert reader.get("afdelingen/").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None

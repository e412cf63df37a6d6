"""Request, decide and revoke a four-eyes grant: atomic, permission-checked, audited."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.audit.constants import Result
from integritas.audit.denials import audit_denied
from integritas.audit.services import audit_record

from .models import OPEN_STATUSES, FourEyesGrant
from .permissions import administers, can_decide_grant

# A message for the person: a str, or a lazily translated msgid.
type Text = str | Promise


_CANNOT_DECIDE = _("U kunt deze aanvraag niet beoordelen.")


@dataclass(frozen=True)
class GrantTexts:
    """What the person is told when a step is refused (Dutch msgids, lazily translated).

    An empty `outside_scope` raises a bare PermissionDenied: the page says it its own way.
    """

    to_self: Text  # the requester would gain by the grant
    duplicate: Text  # the same grant is already open
    not_open: Text  # revoking what is no longer pending or active
    outside_scope: Text = ""  # not an administrator of the grant's scope
    cannot_decide: Text = _CANNOT_DECIDE


@dataclass(frozen=True)
class FourEyes[G: FourEyesGrant]:
    """One kind of grant: its model, its audit actions and what differs per kind."""

    model: type[G]
    action: str  # audit prefix: <action>.request / .grant / .approve / .reject / .revoke
    texts: GrantTexts
    # False: the grant is in force at once (a role that opens no content).
    second_approval: Callable[[G], bool] = lambda grant: True
    # Inside the revoking transaction, with whether the grant was active: undo its effects.
    on_revoke: Callable[[G, bool], None] | None = None
    # After every successful write, outside the transaction (e.g. drop a cached role set).
    after_write: Callable[[G], None] | None = None


def _audit(
    action: str, actor: Any, obj: Any, organisation: Any, result: str = Result.SUCCESS
) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=Role.ADMINISTRATOR if actor is not None else "",
        obj=obj,
        organisation=organisation,
        result=result,
    )


def _deny(action: str, actor: Any, obj: Any, organisation: Any, message: Text) -> None:
    """Record a refused attempt (R-BIO-2; bounded, as every refusal), then refuse it."""
    audit_denied(
        action=action,
        actor=actor,
        actor_role=Role.ADMINISTRATOR if actor is not None else "",
        obj=obj,
        organisation=organisation,
    )
    raise PermissionDenied(str(message)) if message else PermissionDenied


def _written[G: FourEyesGrant](kind: FourEyes[G], grant: G) -> G:
    if kind.after_write is not None:
        kind.after_write(grant)
    return grant


def grant_request[G: FourEyesGrant](*, kind: FourEyes[G], actor: Any, grant: G) -> G:
    """Save `grant` (unsaved, its own fields set and validated by the caller) as a request.

    It waits for a second administrator, unless the system asks (`actor=None`) or the
    kind needs no second approval for it: then it is granted at once.
    """
    action = f"{kind.action}.request"
    organisation = grant.grant_organisation()
    if actor is not None:
        subject = grant.grant_beneficiary() or organisation
        if not administers(actor, grant.grant_organisation_id()):
            _deny(action, actor, subject, organisation, kind.texts.outside_scope)
        if grant.grant_beneficiary_id() == actor.pk:
            _deny(action, actor, subject, organisation, kind.texts.to_self)
    pending = actor is not None and kind.second_approval(grant)
    with transaction.atomic():
        if kind.model._default_manager.filter(
            **grant.grant_identity(), status__in=OPEN_STATUSES
        ).exists():
            raise ValidationError(str(kind.texts.duplicate))
        grant.status = AssignmentStatus.PENDING if pending else AssignmentStatus.ACTIVE
        grant.requested_by = actor
        grant.save()
        _audit(action if pending else f"{kind.action}.grant", actor, grant, organisation)
    return _written(kind, grant)


def grant_decide[G: FourEyesGrant](*, kind: FourEyes[G], actor: Any, grant: G, approve: bool) -> G:
    """A second administrator of the scope approves or rejects a pending request."""
    action = f"{kind.action}.approve" if approve else f"{kind.action}.reject"
    with transaction.atomic():
        locked = kind.model._default_manager.select_for_update().get(pk=grant.pk)
        allowed = can_decide_grant(actor, locked)
        if allowed:
            locked.status = AssignmentStatus.ACTIVE if approve else AssignmentStatus.REJECTED
            locked.decided_by = actor
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
            _audit(action, actor, locked, locked.grant_organisation())
    if not allowed:
        _deny(action, actor, locked, locked.grant_organisation(), kind.texts.cannot_decide)
    return _written(kind, locked)


def grant_revoke[G: FourEyesGrant](*, kind: FourEyes[G], actor: Any, grant: G) -> G:
    """End a grant, or withdraw a pending request; an administrator of the scope does it.

    The requester may withdraw their own request: then nobody "decided" it.
    """
    action = f"{kind.action}.revoke"
    if not administers(actor, grant.grant_organisation_id()):
        _deny(action, actor, grant, grant.grant_organisation(), kind.texts.outside_scope)
    with transaction.atomic():
        locked = kind.model._default_manager.select_for_update().get(pk=grant.pk)
        if locked.status not in OPEN_STATUSES:
            raise ValidationError(str(kind.texts.not_open))
        was_active = locked.status == AssignmentStatus.ACTIVE
        locked.status = AssignmentStatus.REVOKED
        locked.decided_by = None if locked.requested_by_id == actor.pk else actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        if kind.on_revoke is not None:
            kind.on_revoke(locked, was_active)
        _audit(action, actor, locked, locked.grant_organisation())
    return _written(kind, locked)

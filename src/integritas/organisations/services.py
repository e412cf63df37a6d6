"""Writes for organisations: settings changes are audited; the HR import is the other."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.audit.services import audit_record

from .hr_import import COLUMNS as HR_IMPORT_COLUMNS
from .hr_import import OPTIONAL_COLUMNS as HR_IMPORT_OPTIONAL_COLUMNS
from .hr_import import RowError, hr_employee_add, hr_file_import
from .models import Employee, Organisation

__all__ = [
    "HR_IMPORT_COLUMNS",
    "HR_IMPORT_OPTIONAL_COLUMNS",
    "RowError",
    "employee_lift_legal_hold",
    "employee_set_legal_hold",
    "hr_employee_add",
    "hr_file_import",
    "organisation_update_settings",
]


def organisation_update_settings(*, actor: Any, actor_role: str, form: Any) -> Organisation:
    """Save the organisation's settings form; `actor_role` is the role the actor used."""
    with transaction.atomic():
        organisation = form.save()
        audit_record(
            action="organisation.settings",
            actor=actor,
            actor_role=actor_role,
            obj=organisation,
            organisation=organisation,
        )
    return organisation


def function_update_integrity_profile(
    *,
    actor: Any,
    actor_role: str,
    function: Any,
    vulnerable_activities: list[str],
    screening_profile: str,
    designated_financial_interests: bool,
    designated_side_activity_publication: bool,
) -> Any:
    """Set a function's integrity profile (seed 3.2.4), as confirmed by a person after a
    risk analysis; the registers and duties read these fields. The caller checks that
    `actor` may do so for the function's organisation. Atomic, audited (ids only)."""
    from .constants import ScreeningProfile, VulnerableActivity
    from .models import Function

    known = {choice.value for choice in VulnerableActivity}
    if not set(vulnerable_activities) <= known:
        raise ValueError("unknown vulnerable activity")
    if screening_profile not in ScreeningProfile.values:
        raise ValueError("unknown screening profile")
    order = [choice.value for choice in VulnerableActivity]
    with transaction.atomic():
        locked = Function.objects.select_for_update().get(pk=function.pk)
        locked.vulnerable_activities = sorted(set(vulnerable_activities), key=order.index)
        locked.screening_profile = screening_profile
        locked.designated_financial_interests = designated_financial_interests
        locked.designated_side_activity_publication = designated_side_activity_publication
        locked.save(
            update_fields=[
                "vulnerable_activities",
                "screening_profile",
                "designated_financial_interests",
                "designated_side_activity_publication",
                "updated_at",
            ]
        )
        audit_record(
            action="function.integrity_profile",
            actor=actor,
            actor_role=actor_role,
            obj=locked,
            organisation=locked.organisation,
        )
    return locked


# --------------------------------------------------------------------------- legal hold

#: The longest reason kept with a legal hold.
LEGAL_HOLD_REASON_MAX_LENGTH = 1000


def _require_legal_hold_permission(actor: Any, employee: Employee) -> None:
    # The rule lives with the roles (accounts.permissions): HRM or the integrity officer
    # of the employee's organisation.
    if not actor.has_perm("organisations.set_legal_hold", employee.organisation_id):
        raise PermissionDenied


def employee_set_legal_hold(
    *, actor: Any, actor_role: str, employee: Employee, reason: str
) -> Employee:
    """R-DP-2: keep the employee's personnel records (registrations, duties and signed
    forms, acknowledgements of the gedragscode) from the retention run, for a dispute, an
    investigation or a court case. The reason is required and stays with the employee,
    never in the audit event (ids only). Setting it again updates the reason. Atomic."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Geef de reden van de bewaarplicht op, bijvoorbeeld het geschil of de zaak."
                )
            }
        )
    if len(reason) > LEGAL_HOLD_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("De reden is te lang: hooguit %(max)d tekens.")
                % {"max": LEGAL_HOLD_REASON_MAX_LENGTH}
            }
        )
    with transaction.atomic():
        locked = Employee.objects.select_for_update().get(pk=employee.pk)
        _require_legal_hold_permission(actor, locked)
        was_held = locked.legal_hold
        locked.legal_hold = True
        locked.legal_hold_reason = reason
        if not was_held:
            locked.legal_hold_set_by = actor
            locked.legal_hold_set_at = timezone.now()
        locked.save(
            update_fields=[
                "legal_hold",
                "legal_hold_reason",
                "legal_hold_set_by",
                "legal_hold_set_at",
                "updated_at",
            ]
        )
        audit_record(
            action="employee.legal_hold_changed" if was_held else "employee.legal_hold_set",
            actor=actor,
            actor_role=actor_role,
            obj=locked,
            organisation=locked.organisation,
        )
    return locked


def employee_lift_legal_hold(*, actor: Any, actor_role: str, employee: Employee) -> Employee:
    """R-DP-2: lift the legal hold; the next retention run deletes what has expired. The
    reason goes with it (the audit log keeps who set and lifted it, and when). Atomic."""
    with transaction.atomic():
        locked = Employee.objects.select_for_update().get(pk=employee.pk)
        _require_legal_hold_permission(actor, locked)
        if locked.legal_hold:
            locked.legal_hold = False
            locked.legal_hold_reason = ""
            locked.legal_hold_set_by = None
            locked.legal_hold_set_at = None
            locked.save(
                update_fields=[
                    "legal_hold",
                    "legal_hold_reason",
                    "legal_hold_set_by",
                    "legal_hold_set_at",
                    "updated_at",
                ]
            )
            audit_record(
                action="employee.legal_hold_lifted",
                actor=actor,
                actor_role=actor_role,
                obj=locked,
                organisation=locked.organisation,
            )
    return locked

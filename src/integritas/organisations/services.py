"""Writes for organisations: settings changes are audited; the HR import is the other."""

from typing import Any

from django.db import transaction

from integritas.audit.services import audit_record

from .hr_import import COLUMNS as HR_IMPORT_COLUMNS
from .hr_import import OPTIONAL_COLUMNS as HR_IMPORT_OPTIONAL_COLUMNS
from .hr_import import RowError, hr_employee_add, hr_file_import
from .models import Organisation

__all__ = [
    "HR_IMPORT_COLUMNS",
    "HR_IMPORT_OPTIONAL_COLUMNS",
    "RowError",
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

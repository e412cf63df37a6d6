"""Writes for organisations: settings changes are audited; the HR import is the other."""

from typing import Any

from django.db import transaction

from integritas.audit.services import audit_record

from .hr_import import COLUMNS as HR_IMPORT_COLUMNS
from .hr_import import OPTIONAL_COLUMNS as HR_IMPORT_OPTIONAL_COLUMNS
from .hr_import import RowError, hr_file_import
from .models import Organisation

__all__ = [
    "HR_IMPORT_COLUMNS",
    "HR_IMPORT_OPTIONAL_COLUMNS",
    "RowError",
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

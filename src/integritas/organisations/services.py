"""Writes for organisations: settings changes are audited."""

from typing import Any

from django.db import transaction

from integritas.accounts.constants import Role
from integritas.audit.services import audit_record

from .models import Organisation


def organisation_update_settings(*, actor: Any, form: Any) -> Organisation:
    with transaction.atomic():
        organisation = form.save()
        audit_record(
            action="organisation.settings",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            obj=organisation,
            organisation=organisation,
        )
    return organisation

"""Reads of Beheer > Vervangers, scoped to the organisations the administrator manages;
and where a user stands in as substitute themselves."""

from typing import Any

from django.db.models import QuerySet

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import User
from integritas.accounts.selectors import in_organisations_for_role, organisations_for_role
from integritas.cases.access import users_named_involved
from integritas.cases.constants import CLOSED_STATUSES
from integritas.cases.models import InvolvedPerson, Substitute
from integritas.organisations.models import Organisation


def substitute_organisations(viewer: Any) -> QuerySet[Organisation]:
    """The organisations whose substitutes `viewer` manages (administrator there)."""
    return organisations_for_role(viewer, Role.ADMINISTRATOR)


def substitutes_for_administration(viewer: Any) -> QuerySet[Substitute]:
    """Designations in the organisations the administrator manages; nothing else."""
    return (
        Substitute.objects.filter(in_organisations_for_role(viewer, Role.ADMINISTRATOR))
        .select_related("organisation", "user", "requested_by", "decided_by")
        .order_by("organisation__name", "replaces_role", "user__full_name")
    )


def substitute_candidates(viewer: Any) -> QuerySet[User]:
    """Active users who work for an organisation the administrator manages; never one
    named as involved in an open case there (a substitute takes over such cases)."""
    users = (
        User.objects.filter(
            in_organisations_for_role(viewer, Role.ADMINISTRATOR, "employee__organisation_id"),
            is_active=True,
        )
        .distinct()
        .order_by("full_name")
    )
    involved = InvolvedPerson.objects.filter(
        in_organisations_for_role(viewer, Role.ADMINISTRATOR, "case__organisation_id")
    ).exclude(case__status__in=CLOSED_STATUSES)
    named = users_named_involved(users, involved)
    return users.exclude(pk__in=named) if named else users


def organisations_substituted_by(user: Any) -> QuerySet[Organisation]:
    """The organisations where `user` holds an active designation as substitute: the
    inbox offers them in its organisation filter."""
    designations = Substitute.objects.filter(user=user, status=AssignmentStatus.ACTIVE)
    return Organisation.objects.filter(pk__in=designations.values("organisation_id"))

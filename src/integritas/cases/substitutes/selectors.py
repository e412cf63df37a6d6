"""Reads of Beheer > Vervangers, scoped to the organisations the administrator manages;
and where a user stands in as substitute themselves."""

from typing import Any

from django.db.models import QuerySet

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import User
from integritas.accounts.selectors import user_roles
from integritas.cases.access import users_named_involved
from integritas.cases.constants import CLOSED_STATUSES
from integritas.cases.models import InvolvedPerson, Substitute
from integritas.organisations.models import Organisation


def substitute_organisations(viewer: Any) -> QuerySet[Organisation]:
    """The organisations whose substitutes `viewer` manages (administrator there)."""
    ids = user_roles(viewer).organisation_ids(Role.ADMINISTRATOR)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def substitutes_for_administration(viewer: Any) -> QuerySet[Substitute]:
    """Designations in the organisations the administrator manages; nothing else."""
    ids = user_roles(viewer).organisation_ids(Role.ADMINISTRATOR)
    return (
        Substitute.objects.filter(organisation_id__in=ids)
        .select_related("organisation", "user", "requested_by", "decided_by")
        .order_by("organisation__name", "replaces_role", "user__full_name")
    )


def substitute_candidates(viewer: Any) -> QuerySet[User]:
    """Active users who work for an organisation the administrator manages; never one
    named as involved in an open case there (a substitute takes over such cases)."""
    ids = user_roles(viewer).organisation_ids(Role.ADMINISTRATOR)
    users = (
        User.objects.filter(is_active=True, employee__organisation_id__in=ids)
        .distinct()
        .order_by("full_name")
    )
    involved = InvolvedPerson.objects.filter(case__organisation_id__in=ids).exclude(
        case__status__in=CLOSED_STATUSES
    )
    named = users_named_involved(users, involved)
    return users.exclude(pk__in=named) if named else users


def organisations_substituted_by(user: Any) -> QuerySet[Organisation]:
    """The organisations where `user` holds an active designation as substitute: the
    inbox offers them in its organisation filter."""
    designations = Substitute.objects.filter(user=user, status=AssignmentStatus.ACTIVE)
    return Organisation.objects.filter(pk__in=designations.values("organisation_id"))

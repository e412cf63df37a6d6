"""Every read of cases goes through here, scoped by organisation and need to know."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.core import crypto

from .constants import Status
from .models import Case, CaseHandler, InvolvedPerson
from .permissions import SECRETARY_STATUSES, CaseAccess


def person_index(organisation_slug: str, personnel_number: str) -> str:
    """The blind index of an employee, as stored for involved persons."""
    return crypto.blind_index(f"{organisation_slug}:{personnel_number}")


def user_person_index(user: Any) -> str | None:
    employee = user_roles(user).employee
    if employee is None:
        return None
    return person_index(employee.organisation.slug, employee.personnel_number)


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Cases this user may open; never one that names them as involved."""
    roles = user_roles(user)
    if not user.is_authenticated:
        return Case.objects.none()
    handled = CaseHandler.objects.filter(user=user, active=True).values("case_id")
    condition = Q(pk__in=handled)
    coordinator_orgs = roles.organisation_ids(Role.INTEGRITY_COORDINATOR)
    if coordinator_orgs:
        condition |= Q(organisation_id__in=coordinator_orgs)
    secretary_orgs = roles.organisation_ids(Role.SECRETARY)
    if secretary_orgs:
        condition |= Q(organisation_id__in=secretary_orgs) & (
            Q(status__in=SECRETARY_STATUSES) | Q(investigation_decided_at__isnull=False)
        )
    qs = Case.objects.filter(condition)
    index = user_person_index(user)
    if index is not None:
        qs = qs.exclude(
            Exists(InvolvedPerson.objects.filter(case=OuterRef("pk"), blind_index=index))
        )
    return qs


def case_access(user: Any, case: Case) -> CaseAccess:
    roles = user_roles(user)
    index = user_person_index(user)
    involved = index is not None and case.involved.filter(blind_index=index).exists()
    handler_roles = frozenset(
        CaseHandler.objects.filter(case=case, user=user, active=True).values_list("role", flat=True)
    )
    return CaseAccess(
        involved=involved,
        coordinator=roles.has(Role.INTEGRITY_COORDINATOR, case.organisation_id),
        secretary=roles.has(Role.SECRETARY, case.organisation_id),
        handler_roles=handler_roles,
        status=case.status,
        secretary_involved_before=case.investigation_decided_at is not None,
    )


def case_get(*, user: Any, case_number: str) -> tuple[Case, CaseAccess]:
    """The case and the user's access to it, or 404 for anything they may not see."""
    case = (
        cases_visible_to(user)
        .select_related("organisation")
        .filter(case_number=case_number)
        .first()
    )
    if case is None:
        raise Http404
    return case, case_access(user, case)


def cases_for_inbox(user: Any, filters: dict[str, Any]) -> QuerySet[Case]:
    qs = cases_visible_to(user).select_related("organisation")
    if filters.get("organisation"):
        qs = qs.filter(organisation__slug=filters["organisation"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("open_only"):
        qs = qs.exclude(status__in=[Status.CLOSED, Status.CLOSED_WITHOUT_INVESTIGATION])
    return qs.order_by("-received_at", "-pk")


def case_by_receipt(receipt_code: str) -> Case | None:
    """Find a case by its receipt code (slow keyed hash, compared in constant time)."""
    lookup = crypto.receipt_lookup_hash(receipt_code)
    case = Case.objects.select_related("organisation").filter(receipt_lookup=lookup).first()
    if case is None or not crypto.constant_time_equal(case.receipt_lookup or "", lookup):
        return None
    return case


def secretary_tasks(user: Any) -> QuerySet[Case]:
    """Cases waiting for this secretary's approval or decision."""
    return cases_visible_to(user).filter(
        status__in=[Status.AWAITING_APPROVAL, Status.REPORTED_TO_SECRETARY]
    )

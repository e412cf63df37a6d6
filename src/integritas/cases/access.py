"""Who may see which case: the need-to-know rules of permissions.py, per case and in SQL.

Every room reads cases through here: `cases_visible_to` for lists, `case_get` and
`case_access` for one case. A case that names the user as involved is never theirs.
"""

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.selectors import user_roles
from integritas.core import crypto
from integritas.organisations.models import Organisation

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


def _in_organisations(ids: frozenset[int]) -> Exists:
    """`organisation_id IN ids`, written as a correlated EXISTS on purpose.

    A plain IN lets both databases answer "pk IN handled OR organisation IN ids" by
    collecting every matching row and sorting them all (SQLite's MULTI-INDEX OR, a
    PostgreSQL seq scan), ~100 ms at 50,000 cases. As EXISTS, the inbox's
    ORDER BY pk DESC LIMIT 51 walks the primary key backwards and stops after a page.
    """
    return Exists(Organisation.objects.filter(pk=OuterRef("organisation_id"), id__in=ids))


def _secretary_stage(path: str = "") -> Q:
    """Cases a secretary, or a substitute for one, may see (CaseAccess.as_secretary in SQL):
    from the approval step on, or once a possible crime is flagged (R-EXT-3)."""
    return (
        Q(**{f"{path}status__in": SECRETARY_STATUSES})
        | Q(**{f"{path}investigation_decided_at__isnull": False})
        | Q(**{f"{path}is_possible_offence": True})
    )


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Cases this user may open; never one that names them as involved."""
    roles = user_roles(user)
    if not user.is_authenticated:
        return Case.objects.none()
    handled = CaseHandler.objects.filter(user=user, active=True).exclude(
        Q(role=Role.SECRETARY) & ~_secretary_stage("case__")
    )
    condition = Q(pk__in=handled.values("case_id"))
    coordinator_orgs = roles.organisation_ids(Role.INTEGRITY_COORDINATOR)
    if coordinator_orgs:
        condition |= Q(_in_organisations(coordinator_orgs))
    secretary_orgs = roles.organisation_ids(Role.SECRETARY)
    if secretary_orgs:
        condition |= Q(_in_organisations(secretary_orgs)) & _secretary_stage()
    qs = Case.objects.filter(condition)
    index = user_person_index(user)
    if index is not None:
        qs = qs.exclude(
            Exists(InvolvedPerson.objects.filter(case=OuterRef("pk"), blind_index=index))
        )
    return qs


def case_access(user: Any, case: Case, *, handlers: list[CaseHandler] | None = None) -> CaseAccess:
    """What `user` is to `case`; `handlers`, when given, are the case's active handlers.

    A case read by case_get carries `user_involved` already (one query less)."""
    roles = user_roles(user)
    involved = getattr(case, "user_involved", None)
    if involved is None:
        index = user_person_index(user)
        involved = index is not None and case.involved.filter(blind_index=index).exists()
    if handlers is None:
        handler_roles = frozenset(
            CaseHandler.objects.filter(case=case, user=user, active=True).values_list(
                "role", flat=True
            )
        )
    else:
        handler_roles = frozenset(h.role for h in handlers if h.user_id == user.pk)
    return CaseAccess(
        involved=involved,
        coordinator=roles.has(Role.INTEGRITY_COORDINATOR, case.organisation_id),
        secretary=roles.has(Role.SECRETARY, case.organisation_id),
        handler_roles=handler_roles,
        status=case.status,
        secretary_involved_before=case.investigation_decided_at is not None,
        possible_offence=case.is_possible_offence,
    )


def case_get(*, user: Any, case_number: str) -> tuple[Case, CaseAccess]:
    """The case and the user's access to it, or 404 for anything they may not see.

    Three small queries (the case, its involved persons, its active handlers) and the
    predicates of permissions.py decide, exactly as cases_visible_to does in SQL for
    lists (tests/cases/test_case_matrix.py holds both to the same answers). Whether the
    user is involved is read from the involved persons' blind indexes; those rows and the
    handlers are kept on the case for the page (case_content), which needs them too.
    """
    if not user.is_authenticated:
        raise Http404
    case = (
        Case.objects.select_related("organisation")
        .annotate(
            # Who received and who decided (R-WBK-5), read with the case: names only.
            acknowledged_by_name=F("acknowledged_by__full_name"),
            investigation_decided_by_name=F("investigation_decided_by__full_name"),
            decided_by_name=F("decided_by__full_name"),
        )
        .filter(case_number=case_number)
        .first()
    )
    if case is None:
        raise Http404
    involved = list(InvolvedPerson.objects.filter(case=case).order_by("pk"))
    index = user_person_index(user)
    case.user_involved = index is not None and any(  # type: ignore[attr-defined]
        person.blind_index == index for person in involved
    )
    handlers = list(
        CaseHandler.objects.filter(case=case, active=True)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    access = case_access(user, case, handlers=handlers)
    if not (access.as_coordinator or access.as_secretary or access.as_investigator):
        raise Http404
    case.involved_rows = involved  # type: ignore[attr-defined]
    case.active_handlers = handlers  # type: ignore[attr-defined]
    return case, access


def user_handles_cases(user: Any) -> bool:
    """An active substitute designation or case handler row: reads case content, so the
    login counts as privileged (second factor, short idle timeout)."""
    from .models import Substitute

    return (
        CaseHandler.objects.filter(user=user, active=True).exists()
        or Substitute.objects.filter(user=user, status=AssignmentStatus.ACTIVE).exists()
    )

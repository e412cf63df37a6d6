"""Who may see which case: the need-to-know rules of permissions.py, per case and in SQL.

Every room reads cases through here: `cases_visible_to` for lists, `case_get` and
`case_access` for one case. A case that names the user as involved is never theirs.
"""

import operator
from functools import reduce
from typing import Any, NamedTuple

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.http import Http404

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.selectors import user_roles
from integritas.core import crypto
from integritas.organisations.models import Employee, Organisation

from .models import Case, CaseHandler, InvolvedPerson, secretary_stage
from .permissions import CaseAccess, handler_standing


def person_index(organisation_slug: str, personnel_number: str) -> str:
    """The blind index of an employee, as stored for involved persons."""
    return crypto.blind_index(f"{organisation_slug}:{personnel_number}")


def users_named_involved(users: QuerySet[Any], involved: QuerySet[InvolvedPerson]) -> list[int]:
    """The ids of those of `users` whom one of the `involved` rows names (by blind
    index): for the pickers, which never offer someone named as involved."""
    named = set(involved.exclude(blind_index="").values_list("blind_index", flat=True))
    if not named:
        return []
    rows = Employee.objects.filter(user__in=users).values_list(
        "user_id", "organisation__slug", "personnel_number"
    )
    return [user_id for user_id, slug, number in rows if person_index(slug, number) in named]


def user_person_index(user: Any) -> str | None:
    employee = user_roles(user).employee
    if employee is None:
        return None
    return person_index(employee.organisation.slug, employee.personnel_number)


def _in_organisations(regions: frozenset[int], ids: frozenset[int]) -> Exists:
    """The case's organisation lies in one of `regions` or is one of `ids`, written as a
    correlated EXISTS on purpose.

    A plain IN lets both databases answer "pk IN handled OR organisation IN ids" by
    collecting every matching row and sorting them all (SQLite's MULTI-INDEX OR, a
    PostgreSQL seq scan), ~100 ms at 50,000 cases. As EXISTS, the inbox's
    ORDER BY pk DESC LIMIT 51 walks the primary key backwards and stops after a page.
    A regional role is "in this region", not a list of its 355 organisations, which
    every query of the home page would otherwise carry (and compile) again.
    """
    if not regions and not ids:
        raise ValueError("a scope of no organisation at all: the caller holds no such role")
    scope = Q(region_id__in=regions) if regions else Q(id__in=ids)
    if regions and ids:
        scope |= Q(id__in=ids)
    return Exists(Organisation.objects.filter(scope, pk=OuterRef("organisation_id")))


#: read_case_ties reads at most this many rows; a user tied to more cases (an
#: investigator with a long history) gets None, and the subqueries of cases_visible_to.
READ_IDS_LIMIT = 100
_DESIGNATION = "designation"  # a row of read_case_ties that is a substitute's designation


class CaseTies(NamedTuple):
    """What a user is to the Meldpunt's cases, read in one query (read_case_ties)."""

    handled: list[int]  # the cases they handle in any role but the secretary's
    handler_roles: frozenset[str]  # the roles they handle cases in
    involved: list[int]  # the cases that name them
    designated: bool  # an active designation as substitute


def read_case_ties(user: Any) -> CaseTies | None:
    """The user's active handler rows, the cases that name them and whether they are a
    designated substitute: one query of plain index lookups. None when there are more
    than READ_IDS_LIMIT rows."""
    from .models import Substitute

    handled = CaseHandler.objects.filter(user=user, active=True).values_list("case_id", "role")
    designated = Substitute.objects.filter(user=user, status=AssignmentStatus.ACTIVE)
    others: list[QuerySet[Any, Any]] = [
        designated.values_list("organisation_id", Value(_DESIGNATION))
    ]
    index = user_person_index(user)
    if index is not None:
        named = InvolvedPerson.objects.filter(blind_index=index)
        others.append(named.values_list("case_id", Value("")))
    found = list(handled.union(*others, all=True)[: READ_IDS_LIMIT + 1])
    if len(found) > READ_IDS_LIMIT:
        return None
    roles = {role for _case_id, role in found if role and role != _DESIGNATION}
    return CaseTies(
        handled=[case_id for case_id, role in found if role in roles - {Role.SECRETARY}],
        handler_roles=frozenset(roles),
        involved=[case_id for case_id, role in found if not role],
        designated=any(role == _DESIGNATION for _case_id, role in found),
    )


def cases_visible_to(user: Any, *, ties: CaseTies | None = None) -> QuerySet[Case]:
    """Cases this user may open; never one that names them as involved.

    With `ties` (read_case_ties), the cases the user handles and those that name them
    enter the conditions as lists: the same cases, in a query that costs far less to
    build, for a page that filters them several times over (the home page's work lists,
    benchmarks/home.py).
    """
    roles = user_roles(user)
    if not user.is_authenticated:
        return Case.objects.none()

    def handled(role: str = "") -> Q:
        """The cases the user handles (in `role`), as a subquery."""
        rows = CaseHandler.objects.filter(user=user, active=True)
        if role:
            rows = rows.filter(role=role)
        rows = rows.exclude(Q(role=Role.SECRETARY) & ~secretary_stage("case__"))
        return Q(pk__in=rows.values("case_id"))

    branches = []
    if ties is None:
        branches.append(handled())
    else:
        if ties.handled:
            branches.append(Q(pk__in=ties.handled))
        if Role.SECRETARY in ties.handler_roles:  # their cases depend on the stage
            branches.append(handled(Role.SECRETARY))
    coordinator_orgs = roles.organisation_ids(Role.INTEGRITY_COORDINATOR)
    secretary_orgs = roles.organisation_ids(Role.SECRETARY)
    # One organisation and nothing else to see (the secretary of a municipality, known
    # from `ties` to handle no case): a plain IN, so that the database reads that
    # organisation's cases along its index, newest first, and stops after a page. Walking
    # the whole region's cases (the EXISTS form) would pass every other organisation's
    # cases first: 99 ms instead of 0.4 ms for Leiderdorp among 150,000 cases.
    alone = ties is not None and not branches and len(coordinator_orgs | secretary_orgs) == 1
    alone = alone and not (coordinator_orgs and secretary_orgs)

    def in_scope(role: str) -> Q:
        if alone:
            return Q(organisation_id__in=roles.organisation_ids(role))
        return Q(_in_organisations(roles.region_ids(role), roles.direct_organisation_ids(role)))

    if coordinator_orgs:
        branches.append(in_scope(Role.INTEGRITY_COORDINATOR))
    if secretary_orgs:
        branches.append(in_scope(Role.SECRETARY) & secretary_stage())
    if not branches:
        # Nothing to see but what they handle, and they handle nothing now. Asked of the
        # database all the same: an empty list would skip the query, and the number of
        # queries of a page would then depend on the data.
        branches.append(handled())
    qs = Case.objects.filter(reduce(operator.or_, branches))
    if ties is not None:
        return qs.exclude(pk__in=ties.involved) if ties.involved else qs
    index = user_person_index(user)
    if index is not None:
        qs = qs.exclude(
            Exists(InvolvedPerson.objects.filter(case=OuterRef("pk"), blind_index=index))
        )
    return qs


def cases_handled_by(user: Any, role: str) -> QuerySet[Case]:
    """The cases `user` handles as investigator or coordinator (an active handler row in
    `role`), never one that names them: what CaseAccess.as_investigator and
    as_coordinator grant a handler, a part of cases_visible_to, for a list of one role's
    cases that should not build all the rest (the investigator's work list)."""
    if role == Role.SECRETARY:
        raise ValueError("a secretary's cases depend on their stage: use cases_visible_to")
    qs = Case.objects.filter(
        pk__in=CaseHandler.objects.filter(user=user, active=True, role=role).values("case_id")
    )
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
    login counts as privileged (second factor, short idle timeout). Read as the
    handler's standing (permissions.handler_standing): one query, kept on the user for
    the request, which the navigation's "Meldingen" entry and the home page's work lists
    ask as well; its number does not change with the reports
    (tests/portal/test_work_lists.py)."""
    standing = handler_standing(user)
    return standing.designated or standing.handles

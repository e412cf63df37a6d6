"""Every read of duties, scoped by organisation and need-to-know (404 outside).

Other apps and the HR API read an employee's duties through `employee_duties` (ids in,
plain records out); HRM's lists through `duties_for_hrm` and `duties_page`.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.http import Http404
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.organisations.models import Employee
from integritas.organisations.selectors import headed_unit_ids

from .constants import DUE_SOON_DAYS, DutyFilter, DutyKind, DutyStatus
from .models import Duty, ObligationSettings, SignedForm

PAGE_SIZE = 50
COUNT_CAP = 1000
_ORDER = ("due_date", "pk")
_LIST_FIELDS = (
    "organisation_id",
    "employee_id",
    "kind",
    "status",
    "period",
    "due_date",
    "completed_on",
    "closed_on",
    "screening_profile",
    "employee__personnel_number",
    "employee__first_name",
    "employee__last_name",
    "employee__employment_type",
)


def settings_for(organisation_id: int) -> ObligationSettings:
    """The organisation's rules; the defaults (unsaved) when it has not set any."""
    found = ObligationSettings.objects.filter(organisation_id=organisation_id).first()
    return found or ObligationSettings(organisation_id=organisation_id)


def settings_by_organisation(organisation_ids: Iterable[int]) -> dict[int, ObligationSettings]:
    ids = set(organisation_ids)
    found = {
        s.organisation_id: s for s in ObligationSettings.objects.filter(organisation_id__in=ids)
    }
    return {pk: found.get(pk) or ObligationSettings(organisation_id=pk) for pk in ids}


# --------------------------------------------------------------------------- public face


@dataclass(frozen=True)
class DutyRecord:
    """An employee's duty as other apps and the HR API see it (no evidence, no names)."""

    id: int
    employee_id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    period: int
    due_date: datetime.date
    completed_on: datetime.date | None
    overdue: bool


def employee_duties(
    *, organisation_id: int, employee_ids: Sequence[int], today: datetime.date | None = None
) -> list[DutyRecord]:
    """The duties of these employees of one organisation, by employee and due date.

    The one read for other apps and the HR API: the caller has checked that it may read
    the organisation's duties (an HRM user, an API token of that organisation); duties
    of another organisation are never returned, whatever ids are given. One query.
    """
    today = today or timezone.localdate()
    rows = Duty.objects.filter(
        organisation_id=organisation_id, employee_id__in=list(employee_ids)
    ).order_by("employee_id", "due_date", "pk")
    return [
        DutyRecord(
            id=duty.pk,
            employee_id=duty.employee_id,
            kind=duty.kind,
            kind_label=str(duty.get_kind_display()),
            status=duty.status,
            status_label=str(duty.get_status_display()),
            period=duty.period,
            due_date=duty.due_date,
            completed_on=duty.completed_on,
            overdue=duty.status == DutyStatus.OPEN and duty.due_date < today,
        )
        for duty in rows.only("employee_id", "kind", "status", "period", "due_date", "completed_on")
    ]


# --------------------------------------------------------------------------- scoping


def hrm_organisation_ids(user: Any) -> list[int]:
    return sorted(user_roles(user).organisation_ids(Role.HRM))


def duties_for_hrm(user: Any) -> QuerySet[Duty]:
    """Every duty of the organisations `user` is HRM of (ids as values: index order)."""
    return Duty.objects.filter(organisation_id__in=hrm_organisation_ids(user))


def team_employee_filter(user: Any) -> Q | None:
    """The employees a manager sees the duties of: their direct reports, and the people
    of the units they head who have no manager named in the HR data. None: no team."""
    roles = user_roles(user)
    employee = roles.employee
    if employee is None or not roles.is_manager:
        return None
    units = headed_unit_ids(employee)
    team = Q(employee__manager_id=employee.pk) | Q(
        employee__manager__isnull=True, employee__org_unit_id__in=units
    )
    return team & ~Q(employee_id=employee.pk) & Q(organisation_id=employee.organisation_id)


def duties_for_team(user: Any) -> QuerySet[Duty]:
    team = team_employee_filter(user)
    if team is None:
        return Duty.objects.none()
    return Duty.objects.filter(team)


def duties_of_user(user: Any) -> QuerySet[Duty]:
    employee = user_roles(user).employee
    if employee is None:
        return Duty.objects.none()
    return Duty.objects.filter(employee_id=employee.pk, organisation_id=employee.organisation_id)


def duty_get_for_hrm(user: Any, pk: int) -> Duty:
    duty = (
        duties_for_hrm(user)
        .select_related("employee", "employee__function", "employee__organisation", "function")
        .filter(pk=pk)
        .first()
    )
    if duty is None:
        raise Http404
    return duty


def duty_get(user: Any, pk: int) -> Duty:
    """A duty `user` may see: HRM of its organisation, the employee, or their manager."""
    scope = Q(organisation_id__in=hrm_organisation_ids(user))
    employee = user_roles(user).employee
    if employee is not None:
        scope |= Q(employee_id=employee.pk)
    team = team_employee_filter(user)
    if team is not None:
        scope |= team
    duty = (
        Duty.objects.filter(scope, pk=pk)
        .select_related("employee", "employee__organisation", "function")
        .first()
    )
    if duty is None:
        raise Http404
    return duty


def interview_get_for_manager(user: Any, pk: int) -> Duty:
    """An HRM-cycle duty of a member of `user`'s team (any status); 404 for anything else."""
    duty = (
        duties_for_team(user)
        .filter(pk=pk, kind=DutyKind.INTEGRITY_INTERVIEW)
        .select_related("employee", "employee__organisation")
        .first()
    )
    if duty is None:
        raise Http404
    return duty


def declaration_get_own(user: Any, pk: int) -> Duty:
    """The user's own integriteitsverklaring duty (any status); 404 for anything else."""
    duty = (
        duties_of_user(user)
        .filter(pk=pk, kind=DutyKind.DECLARATION)
        .select_related("employee", "employee__organisation")
        .first()
    )
    if duty is None:
        raise Http404
    return duty


def employee_get_for_hrm(user: Any, personnel_number: str) -> Employee | None:
    return (
        Employee.objects.filter(
            organisation_id__in=hrm_organisation_ids(user),
            personnel_number=personnel_number.strip(),
        )
        .select_related("organisation", "function")
        .first()
    )


# --------------------------------------------------------------------------- lists


def duties_filter(
    duties: QuerySet[Duty],
    *,
    state: str = "",
    kind: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Duty]:
    """HRM's filters: a state (DutyFilter) and a kind; each served by an index."""
    today = today or timezone.localdate()
    if state == DutyFilter.OVERDUE:
        duties = duties.filter(status=DutyStatus.OPEN, due_date__lt=today)
    elif state == DutyFilter.DUE_SOON:
        duties = duties.filter(
            status=DutyStatus.OPEN,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
    elif state in (DutyFilter.OPEN, DutyFilter.DONE, DutyFilter.CLOSED):
        duties = duties.filter(status=state)
    if kind in DutyKind.values:
        duties = duties.filter(kind=kind)
    return duties


def duties_for_list(duties: QuerySet[Duty]) -> QuerySet[Duty]:
    return duties.select_related("employee").only(*_LIST_FIELDS)


@dataclass(frozen=True)
class DutyPage:
    object_list: Sequence[Duty]
    previous_before: int | None
    next_after: int | None
    cursor_lost: bool

    def __iter__(self) -> Iterator[Duty]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def duties_page(
    duties: QuerySet[Duty],
    *,
    scope: QuerySet[Duty],
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> DutyPage:
    """`size` duties by due date after (or before) the duty with that pk: one query of
    at most size + 1 rows, the cursor read in a subquery limited to `scope`."""
    key = Tuple(*(F(name) for name in _ORDER))
    duties = duties_for_list(duties)
    if before is not None:
        ref = scope.filter(pk=before).order_by().values_list(*_ORDER).query
        rows = list(duties.filter(TupleLessThan(key, ref)).order_by("-due_date", "-pk")[: size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        return DutyPage(
            rows,
            previous_before=rows[0].pk if rows and more else None,
            next_after=rows[-1].pk if rows else None,
            cursor_lost=not rows,
        )
    if after is not None:
        ref = scope.filter(pk=after).order_by().values_list(*_ORDER).query
        duties = duties.filter(TupleGreaterThan(key, ref))
    rows = list(duties.order_by(*_ORDER)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return DutyPage(
        rows,
        previous_before=rows[0].pk if rows and after is not None else None,
        next_after=rows[-1].pk if rows and more else None,
        cursor_lost=after is not None and not rows,
    )


def duties_count_capped(duties: QuerySet[Duty], cap: int = COUNT_CAP) -> int:
    """How many, counted up to cap + 1 (the page says "meer dan 1000")."""
    return duties.order_by(*_ORDER)[: cap + 1].count()


def duty_find(*, employee_id: int, kind: str, period: int = 0) -> Duty | None:
    """The employee's duty of `kind` for `period` (0: one-off), if any (the demo, tests)."""
    return Duty.objects.filter(employee_id=employee_id, kind=kind, period=period).first()


def dossier_duties(employee: Employee) -> list[Duty]:
    """The employee's own duties that are not closed, by due date: one query."""
    return list(
        Duty.objects.filter(employee_id=employee.pk, organisation_id=employee.organisation_id)
        .exclude(status=DutyStatus.CLOSED)
        .only("kind", "status", "period", "due_date", "completed_on", "organisation_id")
        .order_by("due_date", "pk")[:100]
    )


def signed_form_of(duty: Duty) -> SignedForm | None:
    """The signed form of a duty the caller already read through a scoped selector."""
    return SignedForm.objects.filter(duty=duty).first()


# --------------------------------------------------------------------------- HR API


@dataclass(frozen=True)
class ApiDutyPage:
    """One page of the HR API's duty list: plain rows and the cursor after the last."""

    rows: list[DutyRecord]
    personnel_numbers: dict[int, str]  # employee id -> personnel number, for these rows
    last_key: str | None  # "<due date>.<id>" to continue after; None on the last page


def api_cursor_decode(value: str | None) -> tuple[datetime.date, int] | None:
    """(due date, id) from "YYYY-MM-DD.<id>"; None for anything else (first page)."""
    if not value or len(value) > 40:
        return None
    day, _dot, pk = value.partition(".")
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        return None
    try:
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def duties_for_api(
    *,
    organisation_id: int,
    personnel_number: str = "",
    status: str = "",
    overdue: bool | None = None,
    kind: str = "",
    after: str | None = None,
    limit: int = PAGE_SIZE,
    today: datetime.date | None = None,
) -> ApiDutyPage:
    """The duties of one organisation for its HR system, by due date and id.

    The caller (the HR API) has authenticated a token of `organisation_id`; nothing of
    another organisation is ever read. Filters: one employee by personnel number, a
    status, overdue (open and past its due date) or not, a kind. One query of at most
    limit + 1 rows along an index that starts with the organisation (duty_org_status_idx
    serves the overdue filter: status = open, due date below today, in key order).
    """
    today = today or timezone.localdate()
    duties = Duty.objects.filter(organisation_id=organisation_id)
    if personnel_number:
        duties = duties.filter(
            employee_id__in=Employee.objects.filter(
                organisation_id=organisation_id, personnel_number=personnel_number
            ).values("pk")
        )
    if status in DutyStatus.values:
        duties = duties.filter(status=status)
    if overdue is True:
        duties = duties.filter(status=DutyStatus.OPEN, due_date__lt=today)
    elif overdue is False:
        duties = duties.exclude(status=DutyStatus.OPEN, due_date__lt=today)
    if kind in DutyKind.values:
        duties = duties.filter(kind=kind)
    cursor = api_cursor_decode(after)
    if cursor is not None:
        duties = duties.filter(TupleGreaterThan(Tuple(F("due_date"), F("pk")), cursor))
    found = list(
        duties.order_by(*_ORDER).values_list(
            "pk",
            "employee_id",
            "employee__personnel_number",
            "kind",
            "status",
            "period",
            "due_date",
            "completed_on",
        )[: limit + 1]
    )
    more = len(found) > limit
    found = found[:limit]
    kinds, statuses = dict(DutyKind.choices), dict(DutyStatus.choices)
    rows = [
        DutyRecord(
            id=pk,
            employee_id=employee_id,
            kind=kind_,
            kind_label=str(kinds[kind_]),
            status=status_,
            status_label=str(statuses[status_]),
            period=period,
            due_date=due_date,
            completed_on=completed_on,
            overdue=status_ == DutyStatus.OPEN and due_date < today,
        )
        for pk, employee_id, _number, kind_, status_, period, due_date, completed_on in found
    ]
    numbers = {row[1]: row[2] for row in found}
    last = found[-1] if more else None
    return ApiDutyPage(
        rows, numbers, f"{last[6].isoformat()}.{last[0]}" if last is not None else None
    )

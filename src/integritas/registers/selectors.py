"""Every read of the registers, scoped by organisation and need-to-know (None → 404)."""

import base64
import datetime
import heapq
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.core.contributions import WORK_COUNT_CAP
from integritas.core.keyset import Cursor, KeysetPage, keyset_page
from integritas.organisations.models import Employee, Organisation

from .constants import PAGE_SIZE, PUBLISHABLE_STATUSES, Kind, Route, SignalState, Status
from .models import ConflictSignal, Counterparty, Decision, Registration, SideActivity
from .permissions import keeps_register, may_view, may_view_outcome

_DETAILS = ("side_activity", "gift", "conflict", "contract")
#: Lines on a page of the public register (a municipality publishes a few dozen).
PUBLIC_PAGE_SIZE = 100
#: Lines read at a time by the public register's streamed open-data export.
PUBLIC_CHUNK = 500


def _with_details(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    return queryset.select_related(*_DETAILS)


def registration_get(user: Any, pk: int) -> Registration | None:
    """A registration the user may see (own, deciding, register keeper), else None.
    The manager of a financial interest's holder gets it too, to read the outcome only
    (the view shows nothing else: `outcome_only`)."""
    registration = (
        _with_details(Registration.objects.filter(pk=pk))
        .select_related("employee__function", "employee__org_unit", "organisation")
        .first()
    )
    if registration is None:
        return None
    if may_view(user, registration) or may_view_outcome(user, registration):
        return registration
    return None


def outcome_only(user: Any, registration: Registration) -> bool:
    return not may_view(user, registration) and may_view_outcome(user, registration)


def decisions_of(registration: Registration) -> list[Decision]:
    return list(
        registration.decisions.select_related("decided_by").order_by("-created_at", "-pk")[:20]
    )


#: What a row of the employee's own registrations shows (registers/jinja2/registers/_rows.html).
_OWN_ROW_FIELDS = (
    "id",
    "created_at",
    "organisation_id",
    "employee_id",
    "kind",
    "title",
    "status",
    "reassessment",
)


def registrations_of_employee(employee: Any, limit: int = PAGE_SIZE) -> list[Registration]:
    """The employee's own registrations, newest first (one query): the columns of their
    rows only, on "Mijn registraties" and in the dossier of "Mijn integriteit"."""
    return list(
        Registration.objects.filter(employee=employee)
        .only(*_OWN_ROW_FIELDS)
        .order_by("-created_at", "-pk")[:limit]
    )


# --------------------------------------------------------------------------- decision queue


def _queue_routes(user: Any) -> list[Q]:
    """The routes on which `user` decides, one condition each: their own employees'
    (manager), the organisations where they are burgemeester or integrity officer."""
    roles = user_roles(user)
    routes = []
    if roles.employee is not None:
        routes.append(Q(route=Route.MANAGER, decider_id=roles.employee.pk))
    mayor_orgs = roles.organisation_ids(Role.MAYOR)
    if mayor_orgs:
        routes.append(Q(route=Route.MAYOR, organisation_id__in=sorted(mayor_orgs)))
    officer_orgs = roles.organisation_ids(Role.INTEGRITY_OFFICER)
    if officer_orgs:
        routes.append(Q(route=Route.INTEGRITY_OFFICER, organisation_id__in=sorted(officer_orgs)))
    return routes


def queue_for(user: Any, size: int = PAGE_SIZE) -> tuple[list[Registration], bool]:
    """The pending registrations the user decides on, oldest first: (rows, more).

    One query per route, each read along its index (decider or organisation and route,
    then status and time) and stopped after a page; the pages are merged here. One query
    with the routes OR-ed made SQLite collect every pending registration of all routes
    and sort them (a burgemeester of 200,000 employees: 40 ms)."""
    own = user_roles(user).employee
    pages = []
    for route in _queue_routes(user):
        rows = Registration.objects.filter(route, status=Status.PENDING)
        if own is not None:
            rows = rows.exclude(employee_id=own.pk)
            if own.manager_id is not None:
                rows = rows.exclude(Q(employee_id=own.manager_id) & ~Q(route=Route.MAYOR))
        pages.append(
            list(
                rows.select_related("employee__function")
                .only(*_LIST_FIELDS, "employee__function__name")
                .order_by("created_at", "pk")[: size + 1]
            )
        )
    found = list(
        itertools.islice(
            heapq.merge(
                *pages, key=lambda registration: (registration.created_at, registration.pk)
            ),
            size + 1,
        )
    )
    return found[:size], len(found) > size


@dataclass(frozen=True)
class QueueCount:
    count: int
    oldest: datetime.date | None


def queue_count(user: Any, route: str) -> QueueCount:
    """Pending registrations on one route for the user: one query, capped."""
    roles = user_roles(user)
    if route == Route.MANAGER:
        if roles.employee is None:
            return QueueCount(0, None)
        rows = Registration.objects.filter(
            decider_id=roles.employee.pk, route=Route.MANAGER, status=Status.PENDING
        )
    else:
        role = Role.MAYOR if route == Route.MAYOR else Role.INTEGRITY_OFFICER
        orgs = sorted(roles.organisation_ids(role))
        if not orgs:
            return QueueCount(0, None)
        rows = Registration.objects.filter(
            organisation_id__in=orgs, route=route, status=Status.PENDING
        )
    if roles.employee is not None:
        rows = rows.exclude(employee_id=roles.employee.pk)
    stamps = list(rows.order_by("created_at").values_list("created_at", flat=True)[:WORK_COUNT_CAP])
    if not stamps:
        return QueueCount(0, None)
    return QueueCount(len(stamps), timezone.localdate(stamps[0]))


# --------------------------------------------------------------------------- the register


def register_organisations(user: Any) -> list[Organisation]:
    """The organisations whose register the user keeps (HRM, integrity officer)."""
    roles = user_roles(user)
    ids = roles.organisation_ids(Role.HRM) | roles.organisation_ids(Role.INTEGRITY_OFFICER)
    return list(Organisation.objects.filter(pk__in=sorted(ids)).order_by("name"))


@dataclass(frozen=True)
class RegisterFilter:
    kind: str = ""
    status: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None


def register_rows(organisation: Organisation, filters: RegisterFilter) -> QuerySet[Registration]:
    rows = Registration.objects.filter(organisation=organisation)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.start:
        rows = rows.filter(created_at__date__gte=filters.start)
    if filters.end:
        rows = rows.filter(created_at__date__lte=filters.end)
    return rows


#: What a list row shows: the registration's own columns and the employee's name.
_LIST_FIELDS = (
    "created_at",
    "organisation_id",
    "employee_id",
    "kind",
    "title",
    "status",
    "route",
    "decider_id",
    "reassessment",
    "employee__first_name",
    "employee__last_name",
    "employee__function_id",
)


def register_export_rows(
    organisation: Organisation, filters: RegisterFilter
) -> QuerySet[Registration]:
    """The register with every detail, for the CSV/XLSX export."""
    return _with_details(register_rows(organisation, filters)).select_related(
        "employee__function", "financial_interest"
    )


def register_page(
    organisation: Organisation,
    filters: RegisterFilter,
    *,
    older: str | None = None,
    newer: str | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage[Registration]:
    return keyset_page(
        register_rows(organisation, filters).select_related("employee").only(*_LIST_FIELDS),
        field="created_at",
        size=size,
        older_than=Cursor.decode(older),
        newer_than=Cursor.decode(newer),
    )


@dataclass(frozen=True)
class GiverTotal:
    giver_organisation: str
    count: int
    value_cents: int

    @property
    def euros(self) -> str:
        return f"{self.value_cents / 100:.2f}"


def _month_after(day: datetime.date) -> datetime.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def gift_totals(
    organisation: Organisation,
    start: datetime.date | None,
    end: datetime.date | None,
    limit: int = 50,
) -> Sequence[GiverTotal]:
    """Gifts and invitations per giver in a period, largest total first (two queries).

    The whole months of the period come from the maintained totals per giver and month
    (`GiftTotal`); the days of a month that the period cuts (its first and last month
    when the period does not start on the 1st or end on a month's last day) from the
    gifts of those days, along the gifts' (organisation, date) index. Both queries run
    always, so the register has the same number of queries with and without a period."""
    from .models import Gift, GiftTotal

    first_whole = start if start is None or start.day == 1 else _month_after(start)
    after_whole = None if end is None else end.replace(day=1)
    if end is not None and _month_after(end) - datetime.timedelta(days=1) == end:
        after_whole = _month_after(end)
    # The cut days: [start, first_whole) and [after_whole, end]; empty ranges stay empty.
    head = (start, first_whole - datetime.timedelta(days=1)) if start and first_whole else None
    tail = (after_whole, end) if after_whole is not None and end is not None else None
    if start and end and first_whole and after_whole and first_whole >= after_whole:
        # The period holds no whole month (it lies within one or two cut months): only
        # days; the filter on the months below then finds none.
        head, tail = (start, end), None
    edges = [r for r in (head, tail) if r is not None and r[0] <= r[1]]

    months = GiftTotal.objects.filter(organisation=organisation)
    if first_whole is not None:
        months = months.filter(month__gte=first_whole)
    if after_whole is not None:
        months = months.filter(month__lt=after_whole)
    grouped = (
        months.values("giver_organisation")
        .annotate(n=Sum("count"), total=Sum("value_cents"))
        .order_by("-total", "giver_organisation")
    )
    sums: dict[str, list[int]] = {}
    for row in grouped if edges else grouped[:limit]:
        sums[row["giver_organisation"]] = [row["n"] or 0, row["total"] or 0]
    # No cut days: a query that finds nothing at once along the index (constant count).
    days = Q(given_on__gt=datetime.date.max)
    for number, (low, high) in enumerate(edges):
        cut = Q(given_on__gte=low, given_on__lte=high)
        days = cut if number == 0 else days | cut
    for giver, n, total in (
        Gift.objects.filter(organisation=organisation)
        .filter(days)
        .values_list("giver_organisation")
        .annotate(n=Count("pk"), total=Sum("value_cents"))
        .order_by()
    ):
        before = sums.setdefault(giver, [0, 0])
        before[0] += n
        before[1] += total or 0
    ranked = sorted(sums.items(), key=lambda item: (-item[1][1], item[0]))
    return [GiverTotal(giver, n, total) for giver, (n, total) in ranked[:limit] if n]


# --------------------------------------------------------------------------- public register


def public_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name").only("slug", "name")


def _public_queryset(organisation: Organisation, today: datetime.date) -> QuerySet[SideActivity]:
    """Read from the current holders of designated functions (a few functions, their
    holders by the function index) to their registrations, not from every side activity
    of the organisation to the few that qualify: 2.5x faster with 200,000 registrations
    in the organisation."""
    designated = (
        Employee.objects.filter(
            organisation=organisation, function__designated_side_activity_publication=True
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("pk")
    )
    return (
        SideActivity.objects.filter(
            registration__employee_id__in=designated,
            registration__organisation=organisation,
            registration__kind=Kind.SIDE_ACTIVITY,
            registration__status__in=PUBLISHABLE_STATUSES,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(start_date__lte=today)
        .order_by(
            "registration__employee__last_name",
            "registration__employee__first_name",
            "registration_id",
        )
    )


def public_side_activities(
    organisation: Organisation, today: datetime.date | None = None
) -> list[SideActivity]:
    """R-AW-7: the approved, current side activities of current holders of a function
    designated for publication. Nothing else, ever. (Every one of them: for tests and
    checks; the pages and the open data read `public_page` and `public_rows`.)"""
    today = today or timezone.localdate()
    return list(
        _public_queryset(organisation, today).select_related(
            "registration__employee__function", "registration"
        )
    )


@dataclass(frozen=True)
class PublicRow:
    """One line of the public register: only what R-AW-7 publishes."""

    name: str
    function: str
    activity: str
    organisation: str
    paid: bool
    restrictions: str
    since: datetime.date


#: What a line of the public register reads, in this order (then the keyset's own keys).
_PUBLIC_VALUES = (
    "registration__employee__first_name",
    "registration__employee__last_name",
    "registration__employee__function__name",
    "registration__title",
    "client_name",
    "paid",
    "registration__conditions",
    "start_date",
    "registration_id",
)


def _public_row(values: Sequence[Any]) -> PublicRow:
    first, last, function, title, client, paid, limits, since = values[:8]
    return PublicRow(f"{first} {last}".strip(), function or "", title, client, paid, limits, since)


def public_rows(
    organisation: Organisation, today: datetime.date | None = None
) -> Iterator[PublicRow]:
    """Every line of the public register, by name, as plain values read in chunks (for the
    open-data export, which streams them: one query, never all rows in memory)."""
    today = today or timezone.localdate()
    values = _public_queryset(organisation, today).values_list(*_PUBLIC_VALUES)
    for row in values.iterator(chunk_size=PUBLIC_CHUNK):
        yield _public_row(row)


@dataclass(frozen=True)
class NameCursor:
    """A position in the public register, which is ordered by name: the last line shown
    (the holder's last and first name, the registration's pk to break ties)."""

    last_name: str
    first_name: str
    pk: int

    def encode(self) -> str:
        text = json.dumps([self.last_name, self.first_name, self.pk], ensure_ascii=False)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str | None) -> "NameCursor | None":
        """The cursor in `value`, or None for anything that is not one (first page)."""
        if not value or len(value) > 1000:
            return None
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            last, first, pk = json.loads(raw)
        except (ValueError, TypeError):
            return None
        if not (isinstance(last, str) and isinstance(first, str) and isinstance(pk, int)):
            return None
        return cls(last, first, pk)


@dataclass(frozen=True)
class PublicPage:
    rows: list[PublicRow]
    #: The cursor of the next page (None: this is the last page).
    next: NameCursor | None
    is_first: bool
    #: The cursor of the page before (None: this is the first page, or it follows
    #: from the first page, which "Eerste" shows).
    previous: NameCursor | None = None


_NAME_KEYS = ("registration__employee__last_name", "registration__employee__first_name")


def _beyond(cursor: NameCursor, direction: str) -> Q:
    """The lines after (`gt`) or before (`lt`) `cursor` in the register's order."""
    last, first = _NAME_KEYS
    return (
        Q(**{f"{last}__{direction}": cursor.last_name})
        | Q(**{last: cursor.last_name, f"{first}__{direction}": cursor.first_name})
        | Q(
            **{last: cursor.last_name, first: cursor.first_name},
            **{f"registration_id__{direction}": cursor.pk},
        )
    )


def _cursor_of(values: Sequence[Any]) -> NameCursor:
    first_name, last_name, *_rest, pk = values
    return NameCursor(last_name, first_name, pk)


def public_page(
    organisation: Organisation,
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = PUBLIC_PAGE_SIZE,
    today: datetime.date | None = None,
) -> PublicPage:
    """One page of the public register by name, from a cursor either way: the lines
    after `after`, or the lines before `before` (one query of at most size + 1 rows,
    whatever the page)."""
    today = today or timezone.localdate()
    rows = _public_queryset(organisation, today)
    back = NameCursor.decode(before)
    if back is not None:
        found = list(
            rows.filter(_beyond(back, "lt"))
            .order_by(*(f"-{key}" for key in _NAME_KEYS), "-registration_id")
            .values_list(*_PUBLIC_VALUES)[: size + 1]
        )
        more_before = len(found) > size
        found = found[:size][::-1]
        return PublicPage(
            [_public_row(values) for values in found],
            next=back,
            is_first=not more_before,
            previous=_cursor_of(found[0]) if more_before and found else None,
        )
    cursor = NameCursor.decode(after)
    if cursor is not None:
        rows = rows.filter(_beyond(cursor, "gt"))
    found = list(rows.values_list(*_PUBLIC_VALUES)[: size + 1])
    more = len(found) > size
    found = found[:size]
    return PublicPage(
        [_public_row(values) for values in found],
        next=_cursor_of(found[-1]) if more and found else None,
        is_first=cursor is None,
        previous=_cursor_of(found[0]) if cursor is not None and found else None,
    )


# --------------------------------------------------------------------------- conflict signals


SIGNALS_PAGE_SIZE = PAGE_SIZE


@dataclass(frozen=True)
class SignalFilter:
    state: str = ""  # "open", "weighed" or ""
    reason: str = ""


def _signal_rows(organisation: Organisation, filters: SignalFilter) -> QuerySet[ConflictSignal]:
    rows = ConflictSignal.objects.filter(organisation=organisation)
    if filters.state == "open":
        rows = rows.filter(state=SignalState.OPEN)
    elif filters.state == "weighed":
        rows = rows.exclude(state=SignalState.OPEN)
    if filters.reason:
        rows = rows.filter(reason=filters.reason)
    return rows


def signals_page(
    organisation: Organisation,
    filters: SignalFilter,
    *,
    older: str | None = None,
    newer: str | None = None,
    size: int | None = None,
) -> KeysetPage[ConflictSignal]:
    """One page of the organisation's signals, newest first (one query)."""
    return keyset_page(
        _signal_rows(organisation, filters)
        .select_related("registration__employee", "weighed_by")
        .only(
            "created_at",
            "organisation_id",
            "registration_id",
            "reason",
            "match_by",
            "party_name",
            "party_kind",
            "counterparty_id",
            "state",
            "note",
            "weighed_at",
            "registration__kind",
            "registration__status",
            "registration__employee__first_name",
            "registration__employee__last_name",
            "weighed_by__email",
        ),
        field="created_at",
        size=size or SIGNALS_PAGE_SIZE,
        older_than=Cursor.decode(older),
        newer_than=Cursor.decode(newer),
    )


def signal_get(user: Any, pk: int) -> ConflictSignal | None:
    """A signal of an organisation whose register the user keeps, else None (404)."""
    signal = (
        ConflictSignal.objects.filter(pk=pk)
        .select_related("registration__employee", "organisation", "weighed_by")
        .first()
    )
    if signal is None or not keeps_register(user, signal.organisation_id):
        return None
    return signal


def open_signals_count(user: Any) -> QueueCount:
    """Open signals in the organisations whose register the user keeps: one query, capped."""
    roles = user_roles(user)
    orgs = sorted(roles.organisation_ids(Role.HRM) | roles.organisation_ids(Role.INTEGRITY_OFFICER))
    if not orgs:
        return QueueCount(0, None)
    stamps = list(
        ConflictSignal.objects.filter(organisation_id__in=orgs, state=SignalState.OPEN)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:WORK_COUNT_CAP]
    )
    if not stamps:
        return QueueCount(0, None)
    return QueueCount(len(stamps), timezone.localdate(stamps[0]))


def counterparty_summary(organisation: Organisation) -> dict[str, int]:
    """How many parties of each kind the organisation's list holds (one query)."""
    return dict(
        Counterparty.objects.filter(organisation=organisation)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("kind", "n")
    )

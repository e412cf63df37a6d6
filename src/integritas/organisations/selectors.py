"""Reads of organisations and people. Other apps import from here, not from models."""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.functions import Upper

from .models import Employee, EmployeeQuerySet, Organisation, OrgUnit, Region


def organisation_get_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def employee_manager(employee: Employee) -> Employee | None:
    """The manager of an employee (DESIGN §1).

    The one the HR data names wins; otherwise the first manager of their unit who is not
    the employee themself, walking up the unit tree (a unit head reports to the head of
    the parent unit).
    """
    if employee.manager_id is not None:
        return employee.manager
    unit: OrgUnit | None = employee.org_unit
    seen: set[int] = set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        for candidate in unit.managers.order_by("pk"):
            if candidate.pk != employee.pk:
                return candidate
        unit = unit.parent
    return None


# --------------------------------------------------------------------------- employee list
#
# The HRM employee list at national scale (40,000 people in one organisation): a search
# that an index serves, a count that stops at EMPLOYEE_COUNT_CAP, and keyset pages in the
# order of the index (organisation, last_name, first_name, id), so page 500 costs what
# page 1 costs. The caller scopes the queryset to the organisations the user may see.

EMPLOYEE_PAGE_SIZE = 50
EMPLOYEE_COUNT_CAP = 1000
EMPLOYEE_SEARCH_WORDS = 5
_ORDER = ("last_name", "first_name", "pk")
# What the list shows: reading only these keeps 50 rows cheap (no settings, no JSON).
_LIST_FIELDS = (
    "organisation__name",
    "personnel_number",
    "first_name",
    "last_name",
    "employment_type",
    "start_date",
    "end_date",
    "legal_hold",
    "org_unit__name",
    "function__name",
)
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


_HEADED_UNITS_ATTR = "_headed_unit_ids"


def headed_unit_ids(employee: Employee) -> list[int]:
    """The ids of the units `employee` heads, read once per employee object.

    A list, not a subquery: a manager's team is `manager = e OR org_unit IN (…)`, and with
    a subquery PostgreSQL plans a hashed SubPlan that no index serves and scans every
    employee (25 ms at 200,000); with the ids, the OR is a BitmapOr of two indexes.
    """
    cached = getattr(employee, _HEADED_UNITS_ATTR, None)
    if cached is None:
        cached = list(OrgUnit.objects.filter(managers=employee).values_list("pk", flat=True))
        setattr(employee, _HEADED_UNITS_ATTR, cached)
    return cached


def employees_of(organisation_ids: Iterable[int]) -> EmployeeQuerySet:
    """The employees of these organisations, for the HRM list.

    The ids are given as values, not as a subquery: with `organisation_id IN (5)` the
    database walks the (organisation, last name, first name, id) index in order and stops
    after a page; with `IN (SELECT …)` SQLite sorts the whole organisation first.
    """
    return (
        Employee.objects.filter(organisation_id__in=sorted(organisation_ids))
        .select_related("organisation", "org_unit", "function")
        .only(*_LIST_FIELDS)
    )


def employees_search(employees: EmployeeQuerySet, query: str) -> EmployeeQuerySet:
    """What HRM finds by typing in the search field (docs: benchmarks/README.md).

    - A search term with a digit in it is a personnel number: the numbers that start with
      it, upper or lower case alike ("10" finds 1001 and 1042, "p-10" finds P-1001).
    - Otherwise each word is part of a name: every word must occur, upper or lower case
      alike, in the first or the last name ("berg" finds Van den Berg and Bergsma; "jan
      berg" finds Jan van den Berg).

    On PostgreSQL trigram (GIN) indexes on UPPER(name) and UPPER(personnel number) serve
    both; on SQLite the personnel number is a range on the index on UPPER(personnel
    number), and a name is looked for in the organisation's index on (last name, first
    name), which holds both names. SQLite compares upper and lower case alike for a-z
    only; PostgreSQL for every letter.
    """
    query = query.strip()
    if not query:
        return employees
    if any(char.isdigit() for char in query):
        if connection.vendor == "postgresql":
            return employees.filter(personnel_number__istartswith=query)
        prefix = query.translate(_ASCII_UPPER)
        return employees.alias(number_upper=Upper("personnel_number")).filter(
            number_upper__gte=prefix, number_upper__lt=prefix + "\U0010ffff"
        )
    for word in query.split()[:EMPLOYEE_SEARCH_WORDS]:
        employees = employees.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
    return employees


@dataclass(frozen=True)
class CappedCount:
    """How many rows, counted up to a cap: "more than 1,000" instead of COUNT(*)."""

    value: int
    cap: int

    @property
    def capped(self) -> bool:
        return self.value > self.cap


def employees_count_capped(
    employees: QuerySet[Employee], cap: int = EMPLOYEE_COUNT_CAP
) -> CappedCount:
    """Counts at most cap + 1 rows, so the count never scans an organisation of 40,000.

    In the list's order, so that the database counts along the name index it pages with.
    """
    return CappedCount(employees.order_by(*_ORDER)[: cap + 1].count(), cap)


def employees_count_of_page(page: "EmployeePage") -> CappedCount:
    """A search's count, without a query: the hits when they fit on one page, otherwise
    "more than one page". Counting the hits of a name search would read the names of the
    whole organisation on SQLite, and a person being looked for is on the first page."""
    if page.has_other_pages:
        return CappedCount(EMPLOYEE_PAGE_SIZE + 1, EMPLOYEE_PAGE_SIZE)
    return CappedCount(len(page), EMPLOYEE_PAGE_SIZE)


@dataclass(frozen=True)
class EmployeePage:
    """One keyset page: its rows and the employees the neighbouring pages start from."""

    object_list: Sequence[Employee]
    previous_before: int | None  # the previous page holds the rows before this one
    next_after: int | None  # the next page holds the rows after this one
    cursor_lost: bool  # a cursor was given, but names no row in scope (a stale link)

    def __iter__(self) -> Iterator[Employee]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.previous_before is not None or self.next_after is not None


def employees_page(
    employees: QuerySet[Employee],
    *,
    scope: QuerySet[Employee],
    after: int | None = None,
    before: int | None = None,
    size: int = EMPLOYEE_PAGE_SIZE,
) -> EmployeePage:
    """`size` employees of `employees` by name after (or before) the employee with that pk.

    One query of at most size + 1 rows: the cursor's (last name, first name, id) is read
    in a subquery that is itself limited to `scope` (the employees the user may see), so a
    cursor naming someone elsewhere yields nothing instead of a position among hidden
    names. The row comparison starts the index scan at the cursor.
    """
    key = Tuple(*(F(name) for name in _ORDER))
    if before is not None:
        ref = scope.filter(pk=before).order_by().values_list(*_ORDER).query
        rows = list(
            employees.filter(TupleLessThan(key, ref)).order_by(*(f"-{n}" for n in _ORDER))[
                : size + 1
            ]
        )
        more = len(rows) > size
        rows = rows[:size][::-1]
        return EmployeePage(
            rows,
            previous_before=rows[0].pk if rows and more else None,
            next_after=rows[-1].pk if rows else None,
            cursor_lost=not rows,
        )
    if after is not None:
        ref = scope.filter(pk=after).order_by().values_list(*_ORDER).query
        employees = employees.filter(TupleGreaterThan(key, ref))
    rows = list(employees.order_by(*_ORDER)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return EmployeePage(
        rows,
        previous_before=rows[0].pk if rows and after is not None else None,
        next_after=rows[-1].pk if rows and more else None,
        cursor_lost=after is not None and not rows,
    )


# --------------------------------------------------------------------------- choosing one
#
# Where a form asks for an organisation (the Meldpunt, recording a report), a region of
# 350 organisations makes a <select> of 350 options on every request (1.1 MB). Up to
# ORGANISATION_SELECT_LIMIT they are offered in a select; beyond that the form asks for
# the organisation first, by name, and shows at most ORGANISATION_SEARCH_RESULTS hits.

ORGANISATION_SELECT_LIMIT = 25
ORGANISATION_SEARCH_RESULTS = 20
ORGANISATION_SEARCH_WORDS = 5


def public_organisations() -> QuerySet[Organisation]:
    """Every organisation that takes reports: the public Meldpunt lets a reporter (who
    need not be signed in) choose any of them."""
    return Organisation.objects.all()


def regions_by_name() -> list[Region]:
    """Every region by name (the public Meldpunt's search narrows by region)."""
    return list(Region.objects.order_by("name"))


def organisations_for_select(
    organisations: QuerySet[Organisation], limit: int = ORGANISATION_SELECT_LIMIT
) -> list[Organisation] | None:
    """The organisations by name when there are at most `limit`, else None (ask first).

    One query of at most limit + 1 rows."""
    rows = list(organisations.order_by("name")[: limit + 1])
    return rows if len(rows) <= limit else None


@dataclass(frozen=True)
class OrganisationHits:
    """The organisations a name search found, at most `ORGANISATION_SEARCH_RESULTS`."""

    organisations: Sequence[Organisation]
    more: bool  # more organisations match than are shown: type more of the name


def organisations_search(
    organisations: QuerySet[Organisation],
    query: str,
    *,
    region: Region | None = None,
    size: int = ORGANISATION_SEARCH_RESULTS,
) -> OrganisationHits:
    """Organisations whose name holds every word of `query` (upper or lower case alike),
    by name; one query of at most size + 1 rows. An empty query finds nothing."""
    words = query.split()[:ORGANISATION_SEARCH_WORDS]
    if not words:
        return OrganisationHits([], more=False)
    for word in words:
        organisations = organisations.filter(name__icontains=word)
    if region is not None:
        organisations = organisations.filter(region=region)
    rows = list(organisations.order_by("name")[: size + 1])
    return OrganisationHits(rows[:size], more=len(rows) > size)


# --------------------------------------------------------------------------- retention


def personnel_records_expired(cutoff: datetime.date, *, via: str = "employee") -> Q:
    """R-DP-2: a filter for the personnel records (reached through `via`, the path to
    their employee) of people whose employment ended before `cutoff` and who are not
    under a legal hold: what the retention runs of the domain apps delete."""
    return Q(**{f"{via}__end_date__lt": cutoff, f"{via}__legal_hold": False})


def personnel_records_held(cutoff: datetime.date, *, via: str = "employee") -> Q:
    """R-DP-2: the records that would have expired but a legal hold keeps (counted)."""
    return Q(**{f"{via}__end_date__lt": cutoff, f"{via}__legal_hold": True})

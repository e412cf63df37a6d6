"""Every read of `risks`, scoped by organisation and need to know (404 outside).

The heat maps aggregate in the database: one query for an organisation's page of
functions, one GROUP BY for a whole region (organisations x activities), whatever the
number of functions behind them.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from integritas.accounts.selectors import user_roles
from integritas.organisations.models import Employee, Function, Organisation, OrgUnit
from integritas.organisations.selectors import headed_unit_ids

from .constants import ACTIVITIES, AssessmentStatus, MeasureStatus, RiskLevel
from .derivation import VULNERABLE_FROM
from .models import AmplifyingFactors, Measure, RiskAssessment
from .permissions import (
    READ_ROLES,
    REGIONAL_READ_ROLES,
    edit_organisation_ids,
    read_organisation_ids,
)

#: Rows of one page of the organisation heat map and of the lists.
PAGE_SIZE = 50
#: Organisations per page of the regional heat map.
REGION_PAGE_SIZE = 25
#: The most rows an export writes.
EXPORT_CAP = 50_000


def organisations_readable(user: Any) -> QuerySet[Organisation]:
    """The organisations whose analysis the user reads. A regional role says "in this
    region" rather than listing its 350 organisations' ids."""
    roles = user_roles(user)
    regions = frozenset().union(*(roles.region_ids(role) for role in REGIONAL_READ_ROLES))
    if not regions:
        return Organisation.objects.filter(pk__in=read_organisation_ids(user)).order_by("name")
    own = frozenset().union(
        *(roles.direct_organisation_ids(role) for role in (*READ_ROLES, *REGIONAL_READ_ROLES))
    )
    return Organisation.objects.filter(Q(region_id__in=regions) | Q(pk__in=own)).order_by("name")


def organisations_editable(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=edit_organisation_ids(user)).order_by("name")


def organisation_readable(user: Any, slug: str) -> Organisation | None:
    return organisations_readable(user).filter(slug=slug).first()


def team_function_ids(user: Any) -> QuerySet[Any, Any]:
    """The functions of the manager's team: the employees they manage directly or in the
    units they head (as a subquery)."""
    manager = user_roles(user).employee
    if manager is None:
        return Employee.objects.none().values("function_id")
    units = headed_unit_ids(manager)
    return (
        Employee.objects.current()
        .filter(Q(manager=manager) | Q(org_unit__in=units), function__isnull=False)
        .values("function_id")
    )


def assessments_visible_to(user: Any) -> QuerySet[RiskAssessment]:
    condition = Q(organisation_id__in=read_organisation_ids(user))
    if user_roles(user).is_manager:
        condition |= Q(function_id__in=team_function_ids(user))
    return RiskAssessment.objects.filter(condition)


def assessment_get(user: Any, pk: int) -> RiskAssessment | None:
    return (
        assessments_visible_to(user)
        .select_related("function", "organisation", "org_unit")
        .filter(pk=pk)
        .first()
    )


def function_for_assessment(user: Any, pk: int) -> Function | None:
    """A function the user may assess (HRM / functionaris integriteit of its organisation)."""
    return (
        Function.objects.filter(organisation_id__in=edit_organisation_ids(user), pk=pk)
        .select_related("organisation")
        .first()
    )


def functions_page(organisation: Organisation, number: Any) -> Any:
    """A page of the organisation's functions with their assessment (one query + count)."""
    from django.core.paginator import Paginator

    functions = (
        Function.objects.filter(organisation=organisation)
        .select_related("risk_assessment")
        .only(
            "pk",
            "name",
            "code",
            "risk_assessment__id",
            "risk_assessment__level",
            "risk_assessment__status",
        )
        .order_by("name", "pk")
    )
    page = Paginator(functions, PAGE_SIZE).get_page(number)
    # The labels once per page, not a translated lookup of every choice per row.
    levels = {value: str(label) for value, label in RiskLevel.choices}
    statuses = {value: str(label) for value, label in AssessmentStatus.choices}
    for function in page:
        assessment = getattr(function, "risk_assessment", None)
        function.assessment_row = (  # type: ignore[attr-defined]
            (assessment.pk, levels[assessment.level], statuses[assessment.status])
            if assessment is not None
            else None
        )
    return page


def team_assessments(user: Any) -> QuerySet[RiskAssessment]:
    return (
        RiskAssessment.objects.filter(function_id__in=team_function_ids(user))
        .select_related("function", "organisation")
        .order_by("function__name", "pk")
    )


def factors_for(organisation: Organisation, org_unit: OrgUnit | None) -> AmplifyingFactors | None:
    """The factors of the unit where it has them, else those of the organisation."""
    if org_unit is not None:
        unit = AmplifyingFactors.objects.filter(org_unit=org_unit).first()
        if unit is not None:
            return unit
    return AmplifyingFactors.objects.filter(
        organisation=organisation, org_unit__isnull=True
    ).first()


def factors_of(organisation: Organisation) -> list[AmplifyingFactors]:
    return list(
        AmplifyingFactors.objects.filter(organisation=organisation)
        .select_related("org_unit")
        .order_by("org_unit__name", "pk")
    )


def units_of(organisation: Organisation) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(organisation=organisation).order_by("name")


# --------------------------------------------------------------------------- heat maps


@dataclass(frozen=True)
class HeatRow:
    """One row of a heat map: a label, a value per activity (in ACTIVITIES order), and for
    an organisation row the number of functions per risk level."""

    label: str
    values: tuple[int, ...]
    level: int | None = None
    key: str = ""
    total: int = 0
    levels: tuple[int, ...] = ()
    level_label: str = ""


def organisation_heat_rows(organisation: Organisation, number: Any) -> tuple[Any, list[HeatRow]]:
    """Functions x activities for one page of the organisation's assessed functions."""
    from django.core.paginator import Paginator

    assessments = (
        RiskAssessment.objects.filter(organisation=organisation)
        .order_by("function__name", "pk")
        .values("pk", "function__name", "level", *(f"score_{a.value}" for a in ACTIVITIES))
    )
    page = Paginator(assessments, PAGE_SIZE).get_page(number)
    rows = [
        HeatRow(
            label=row["function__name"],
            values=tuple(row[f"score_{a.value}"] for a in ACTIVITIES),
            level=row["level"],
            level_label=str(RiskLevel(row["level"]).label),
            key=str(row["pk"]),
        )
        for row in page
    ]
    return page, rows


def region_heat_page(user: Any, number: Any) -> tuple[Any, list[HeatRow]]:
    """One page of organisations (by name) with their row of the regional heat map: the
    count, the page of organisations, and one GROUP BY over those organisations' functions
    only (never over the whole region's)."""
    from django.core.paginator import Paginator

    page = Paginator(
        organisations_readable(user).only("pk", "name", "slug"), REGION_PAGE_SIZE
    ).get_page(number)
    organisations = list(page)
    found = {row.key: row for row in region_heat_rows(user, [o.pk for o in organisations])}
    empty = tuple(0 for _ in ACTIVITIES)
    rows = [
        found.get(o.slug)
        or HeatRow(label=o.name, key=o.slug, values=empty, levels=tuple(0 for _ in RiskLevel))
        for o in organisations
    ]
    return page, rows


def region_heat_rows(user: Any, organisation_ids: list[int] | None = None) -> list[HeatRow]:
    """Organisations x activities over the organisations the user reads (or these of
    them): per activity the number of functions scored aanzienlijk or groot, and per risk
    level the number of functions. One GROUP BY query."""
    aggregates: dict[str, Any] = {
        f"a_{a.value}": Count("pk", filter=Q(**{f"score_{a.value}__gte": VULNERABLE_FROM}))
        for a in ACTIVITIES
    }
    aggregates |= {f"l_{level.value}": Count("pk", filter=Q(level=level)) for level in RiskLevel}
    aggregates["total"] = Count("pk")
    ids = read_organisation_ids(user)
    if organisation_ids is not None:
        ids = ids & frozenset(organisation_ids)
    grouped: Any = (
        RiskAssessment.objects.filter(organisation_id__in=ids)
        .values("organisation__name", "organisation__slug")
        .annotate(**aggregates)
        .order_by("organisation__name")
    )
    return [
        HeatRow(
            label=row["organisation__name"],
            key=row["organisation__slug"],
            values=tuple(row[f"a_{a.value}"] for a in ACTIVITIES),
            total=row["total"],
            levels=tuple(row[f"l_{level.value}"] for level in RiskLevel),
        )
        for row in grouped
    ]


def export_rows(organisation: Organisation) -> Any:
    return (
        RiskAssessment.objects.filter(organisation=organisation)
        .order_by("function__name", "pk")
        .values_list(
            "function__code",
            "function__name",
            *(f"score_{a.value}" for a in ACTIVITIES),
            "level",
            "status",
        )[:EXPORT_CAP]
    )


# --------------------------------------------------------------------------- measures


def measures_visible_to(user: Any) -> QuerySet[Measure]:
    """Measures of the organisations the user reads, and those the user owns."""
    return Measure.objects.filter(
        Q(organisation_id__in=read_organisation_ids(user)) | Q(owner=user)
    )


def measure_get(user: Any, pk: int) -> Measure | None:
    return (
        measures_visible_to(user)
        .select_related("function", "owner", "organisation")
        .filter(pk=pk)
        .first()
    )


def measures_page(user: Any, *, overdue_only: bool, number: Any) -> Any:
    from django.core.paginator import Paginator

    measures = measures_visible_to(user).select_related("function", "owner", "organisation")
    if overdue_only:
        measures = measures.filter(overdue_filter())
    return Paginator(measures.order_by("review_date", "pk"), PAGE_SIZE).get_page(number)


def overdue_filter(today: datetime.date | None = None) -> Q:
    """A review date before today of a measure that has not ended."""
    return Q(review_date__lt=today or timezone.localdate()) & ~Q(status=MeasureStatus.ENDED)


def owner_by_personnel_number(organisation: Organisation, number: str) -> Any:
    """The account of the organisation's current employee with this personnel number."""
    employee = (
        Employee.objects.current()
        .filter(organisation=organisation, personnel_number=number.strip(), user__isnull=False)
        .select_related("user")
        .first()
    )
    return employee.user if employee is not None else None


def assessment_of(function: Function) -> RiskAssessment | None:
    """The assessment of a function the caller already read through a scoped selector."""
    return RiskAssessment.objects.filter(function=function).first()

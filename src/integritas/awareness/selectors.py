"""Every read of `awareness`, scoped by organisation and need to know (404 outside)."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from integritas.accounts.selectors import user_roles
from integritas.organisations.models import Employee, Organisation
from integritas.organisations.selectors import headed_unit_ids

from .constants import ActivityKind, TrainingTopic
from .models import Activity, Attendance, Dilemma, DilemmaDiscussion
from .permissions import manage_organisation_ids, read_organisation_ids

PAGE_SIZE = 25
#: The most team members the discussion form offers at once.
TEAM_CAP = 250


def organisations_managed(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=manage_organisation_ids(user)).order_by("name")


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(organisation_id__in=read_organisation_ids(user))


def activities_page(user: Any, number: Any) -> Page:
    """A page of activities, newest first, each with `attendee_count`: the count of the
    page, its rows, and one grouped count over the attendance of those rows only."""
    activities = activities_visible_to(user).select_related("organisation").order_by("-date", "-pk")
    page = Paginator(activities, PAGE_SIZE).get_page(number)
    counts = attendee_counts([activity.pk for activity in page])
    # The labels once per page, not a translated lookup of every choice per row.
    kinds = {value: str(label) for value, label in ActivityKind.choices}
    topics = {value: str(label) for value, label in TrainingTopic.choices}
    for activity in page:
        activity.attendee_count = counts.get(activity.pk, 0)  # type: ignore[attr-defined]
        activity.kind_label = kinds.get(activity.kind, activity.kind)  # type: ignore[attr-defined]
        activity.topic_label = topics.get(activity.topic, activity.topic)  # type: ignore[attr-defined]
    return page


def attendee_counts(activity_ids: list[int]) -> dict[int, int]:
    """Attendees per activity, for these activities (one grouped query on the index)."""
    if not activity_ids:
        return {}
    return dict(
        Attendance.objects.filter(activity_id__in=activity_ids)
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values_list("activity_id", "n")
    )


def activity_get(user: Any, pk: int) -> Activity | None:
    activity = activities_visible_to(user).select_related("organisation").filter(pk=pk).first()
    if activity is not None:
        activity.attendee_count = attendee_counts([activity.pk]).get(activity.pk, 0)  # type: ignore[attr-defined]
    return activity


def attendees_page(activity: Activity, number: Any) -> Page:
    attendances = (
        Attendance.objects.filter(activity=activity)
        .select_related("employee")
        .order_by("employee__last_name", "employee__first_name", "pk")
    )
    return Paginator(attendances, 100).get_page(number)


def employees_by_number(organisation: Organisation, numbers: list[str]) -> dict[str, int]:
    """Personnel number -> employee id, for the organisation's employees among `numbers`."""
    return dict(
        Employee.objects.filter(
            organisation=organisation, personnel_number__in=numbers
        ).values_list("personnel_number", "pk")
    )


def dilemmas(*, theme: str = "", activity: str = "") -> QuerySet[Dilemma]:
    found = Dilemma.objects.all()
    if theme:
        found = found.filter(theme=theme)
    if activity:
        found = found.filter(activity=activity)
    return found.order_by("title")


def dilemma_get(slug: str) -> Dilemma | None:
    return Dilemma.objects.filter(slug=slug).first()


def team_of(user: Any) -> QuerySet[Employee]:
    """The manager's current team: those who report to them directly or work in a unit
    they head (themselves left out)."""
    manager = user_roles(user).employee
    if manager is None:
        return Employee.objects.none()
    units = headed_unit_ids(manager)
    return (
        Employee.objects.current()
        .filter(Q(manager=manager) | Q(org_unit__in=units))
        .exclude(pk=manager.pk)
        .order_by("last_name", "first_name", "pk")
    )


def discussions_of(user: Any) -> QuerySet[DilemmaDiscussion]:
    """The manager's own discussions, and those of the organisations the user reads."""
    manager = user_roles(user).employee
    condition = Q(organisation_id__in=read_organisation_ids(user))
    if manager is not None:
        condition |= Q(manager=manager)
    return DilemmaDiscussion.objects.filter(condition)


def discussions_page(user: Any, number: Any) -> Page:
    """A page of discussions with `attendee_count`: the count, the rows, one grouped count."""
    discussions = (
        discussions_of(user)
        .select_related("dilemma", "manager", "organisation")
        .order_by("-discussed_on", "-pk")
    )
    page = Paginator(discussions, PAGE_SIZE).get_page(number)
    through: Any = DilemmaDiscussion.attendees.through
    counts: dict[int, int] = dict(
        through.objects.filter(dilemmadiscussion_id__in=[d.pk for d in page])
        .values("dilemmadiscussion_id")
        .annotate(n=Count("pk"))
        .values_list("dilemmadiscussion_id", "n")
    )
    for discussion in page:
        discussion.attendee_count = counts.get(discussion.pk, 0)  # type: ignore[attr-defined]
    return page

"""The yearly re-confirmation (issue 11): writes and reads of the campaign.

The integrity officer opens a campaign per organisation and year with a period; every
current employee of the organisation confirms within it that their registrations
(side activities, R-AW-5; financial interests for designated functions, R-AW-8) are
complete, after updating them where needed. HRM and the integrity officer follow the
completion per org unit. Reminders: `campaign_reminders.py`.

Who takes part: employees of the organisation whose employment started on or before the
close date and has not ended on the reference day (today while the campaign runs, the
close date after it), so the figures of a closed campaign stay put.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.audit.services import audit_record
from integritas.organisations.models import Employee, Organisation

from .constants import TEXT_MAX_LENGTH, Kind, Status
from .models import Reconfirmation, ReconfirmationCampaign, Registration
from .permissions import current_employee

#: A campaign may be opened for this year or the next one.
YEARS_AHEAD = 1
#: The second reminder goes out this many days before the close date.
LAST_REMINDER_DAYS = 7
#: Side activities and financial interests shown on the confirmation page (a person has a few).
SHOWN_LIMIT = 100


def _date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


# --------------------------------------------------------------------------- who takes part


def reference_day(campaign: ReconfirmationCampaign, today: datetime.date) -> datetime.date:
    return min(today, campaign.closes_on)


def participants(campaign: ReconfirmationCampaign, today: datetime.date) -> QuerySet[Employee]:
    """The employees who confirm in this campaign (see the module's docstring)."""
    day = reference_day(campaign, today)
    return Employee.objects.filter(
        organisation_id=campaign.organisation_id, start_date__lte=campaign.closes_on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


def takes_part(campaign: ReconfirmationCampaign, employee: Employee, today: datetime.date) -> bool:
    day = reference_day(campaign, today)
    return (
        employee.organisation_id == campaign.organisation_id
        and employee.start_date <= campaign.closes_on
        and (employee.end_date is None or employee.end_date >= day)
    )


# --------------------------------------------------------------------------- opening


def campaign_open(
    *,
    actor: Any,
    organisation: Organisation,
    year: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    today: datetime.date | None = None,
) -> ReconfirmationCampaign:
    """The integrity officer of the organisation opens the year's campaign."""
    if not user_roles(actor).has(Role.INTEGRITY_OFFICER, organisation):
        raise PermissionDenied
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not today.year <= year <= today.year + YEARS_AHEAD:
        errors["year"] = _("Kies dit jaar of volgend jaar (%(this)d of %(next)d).") % {
            "this": today.year,
            "next": today.year + YEARS_AHEAD,
        }
    if opens_on < today:
        errors["opens_on"] = _("De begindatum ligt in het verleden.")
    if closes_on <= opens_on:
        errors["closes_on"] = _("De sluitingsdatum moet na de begindatum liggen.")
    if (
        "year" not in errors
        and ReconfirmationCampaign.objects.filter(organisation=organisation, year=year).exists()
    ):
        errors["year"] = _(
            "Voor %(year)d is er al een herbevestiging in deze organisatie. Er is één per jaar."
        ) % {"year": year}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            campaign = ReconfirmationCampaign.objects.create(
                organisation=organisation,
                year=year,
                opens_on=opens_on,
                closes_on=closes_on,
                opened_by=actor,
            )
            audit_record(
                action="registers.campaign.opened",
                actor=actor,
                actor_role=Role.INTEGRITY_OFFICER,
                obj=campaign,
                organisation=organisation,
            )
    except IntegrityError as error:  # opened at the same moment by a colleague
        raise ValidationError(
            {
                "year": _("Voor %(year)d is er al een herbevestiging in deze organisatie.")
                % {"year": year}
            }
        ) from error
    return campaign


# --------------------------------------------------------------------------- confirming


def is_designated(employee: Employee) -> bool:
    """R-AW-8: the employee's function is designated for financial interests."""
    function = employee.function if employee.function_id is not None else None
    return bool(function is not None and function.designated_financial_interests)


def _shown_registrations(employee: Employee, today: datetime.date) -> QuerySet[Registration]:
    """What the employee confirms: current and planned side activities (R-AW-5) that are
    not refused, and financial interests when their function is designated (R-AW-8)."""
    kinds = [Kind.SIDE_ACTIVITY]
    if is_designated(employee):
        kinds.append(Kind.FINANCIAL_INTEREST)
    return (
        Registration.objects.filter(employee=employee, kind__in=kinds)
        .exclude(status=Status.REFUSED)
        .exclude(side_activity__end_date__lt=today)
    )


def campaign_confirm(
    *,
    actor: Any,
    campaign: ReconfirmationCampaign,
    note: str = "",
    today: datetime.date | None = None,
) -> Reconfirmation:
    """The employee confirms that their registrations are complete: once, within the
    period, in one transaction with its audit event."""
    employee = current_employee(actor)
    today = today or timezone.localdate()
    if employee is None or not takes_part(campaign, employee, today):
        raise PermissionDenied
    if today < campaign.opens_on:
        raise ValidationError(
            _("De herbevestiging begint op %(date)s. Bevestigen kan vanaf die dag.")
            % {"date": _date(campaign.opens_on)}
        )
    if today > campaign.closes_on:
        raise ValidationError(
            _(
                "De herbevestiging is gesloten op %(date)s. Bevestigen kan niet meer; "
                "neem contact op met de functionaris integriteit."
            )
            % {"date": _date(campaign.closes_on)}
        )
    note = note.strip()
    if len(note) > TEXT_MAX_LENGTH:
        raise ValidationError({"note": _("Hooguit %(limit)d tekens.") % {"limit": TEXT_MAX_LENGTH}})
    try:
        with transaction.atomic():
            confirmation = Reconfirmation.objects.create(
                campaign=campaign,
                employee=employee,
                confirmed_at=timezone.now(),
                confirmed_by=actor,
                registration_ids=sorted(
                    _shown_registrations(employee, today).values_list("pk", flat=True)
                ),
                note=note,
            )
            audit_record(
                action="registers.campaign.confirmed",
                actor=actor,
                obj=confirmation,
                organisation=campaign.organisation,
            )
            forget_progress(campaign, today)
    except IntegrityError as error:
        raise ValidationError(_("U hebt deze herbevestiging al gedaan.")) from error
    return confirmation


# --------------------------------------------------------------------------- the employee


@dataclass(frozen=True)
class OwnCampaign:
    """The newest opened campaign of the employee's organisation and their confirmation."""

    campaign: ReconfirmationCampaign
    confirmed_at: datetime.datetime | None
    today: datetime.date

    @property
    def is_open(self) -> bool:
        return self.campaign.opens_on <= self.today <= self.campaign.closes_on

    @property
    def is_closed(self) -> bool:
        return self.today > self.campaign.closes_on

    @property
    def to_do(self) -> bool:
        return self.is_open and self.confirmed_at is None

    @property
    def closes_soon(self) -> bool:
        return self.campaign.closes_on - self.today <= datetime.timedelta(days=LAST_REMINDER_DAYS)


_OWN_ATTR = "_registers_own_campaign"


def own_campaign(user: Any, employee: Employee | None) -> OwnCampaign | None:
    """The employee's current campaign (one query, read once per request for the work
    list, the dossier and the page). None without one or when they do not take part."""
    if employee is None:
        return None
    cached = getattr(user, _OWN_ATTR, None)
    if cached is not None and cached[0] == employee.pk:
        return cached[1]
    today = timezone.localdate()
    campaign = (
        ReconfirmationCampaign.objects.filter(
            organisation_id=employee.organisation_id, opens_on__lte=today
        )
        .annotate(
            confirmed=Subquery(
                Reconfirmation.objects.filter(
                    campaign=OuterRef("pk"), employee_id=employee.pk
                ).values("confirmed_at")[:1]
            )
        )
        .order_by("-opens_on", "-pk")
        .first()
    )
    found = None
    if campaign is not None and takes_part(campaign, employee, today):
        found = OwnCampaign(campaign, campaign.confirmed, today)
    setattr(user, _OWN_ATTR, (employee.pk, found))
    return found


@dataclass(frozen=True)
class ShownRegistration:
    registration: Registration
    #: Registered (or shown) after last year's confirmation.
    new_since_last_year: bool


@dataclass(frozen=True)
class ConfirmationPage:
    side_activities: list[ShownRegistration]
    financial_interests: list[ShownRegistration]
    designated: bool
    last_year: Reconfirmation | None
    #: Confirmed last year and no longer current (ended or refused since).
    gone_since_last_year: int


def confirmation_page(employee: Employee, campaign: ReconfirmationCampaign) -> ConfirmationPage:
    """What the confirmation page shows, pre-filled from what is registered and from last
    year's confirmation (two queries)."""
    today = timezone.localdate()
    last_year = (
        Reconfirmation.objects.filter(
            employee=employee,
            campaign__organisation_id=campaign.organisation_id,
            campaign__year__lt=campaign.year,
        )
        .order_by("-campaign__year")
        .first()
    )
    previous = set(last_year.registration_ids) if last_year is not None else set()
    rows = list(
        _shown_registrations(employee, today)
        .select_related("side_activity", "financial_interest")
        .order_by("kind", "-created_at", "-pk")[:SHOWN_LIMIT]
    )
    shown = [ShownRegistration(r, last_year is not None and r.pk not in previous) for r in rows]
    designated = is_designated(employee)
    return ConfirmationPage(
        side_activities=[s for s in shown if s.registration.kind == Kind.SIDE_ACTIVITY],
        financial_interests=[s for s in shown if s.registration.kind == Kind.FINANCIAL_INTEREST],
        designated=designated,
        last_year=last_year,
        gone_since_last_year=len(previous - {r.pk for r in rows}),
    )


# --------------------------------------------------------------------------- progress


def campaign_organisations(user: Any) -> list[Organisation]:
    """The organisations whose campaigns the user follows (HRM, integrity officer)."""
    roles = user_roles(user)
    ids = roles.organisation_ids(Role.HRM) | roles.organisation_ids(Role.INTEGRITY_OFFICER)
    return list(
        Organisation.objects.filter(pk__in=sorted(ids)).only("slug", "name").order_by("name")
    )


def campaigns_of(organisation: Organisation) -> list[ReconfirmationCampaign]:
    return list(ReconfirmationCampaign.objects.filter(organisation=organisation).order_by("-year"))


@dataclass(frozen=True)
class UnitProgress:
    unit: str
    confirmed: int
    total: int

    @property
    def percentage(self) -> int:
        # Rounded half up, in whole numbers: 1 of 8 is 13%.
        return (200 * self.confirmed + self.total) // (2 * self.total) if self.total else 0


@dataclass(frozen=True)
class Progress:
    units: list[UnitProgress]
    totals: UnitProgress
    #: When the figures were counted (they are kept for PROGRESS_SECONDS).
    as_of: datetime.datetime


#: The figures of a campaign are counted at most once per this many seconds per process,
#: and again after every confirmation; a change in HR data shows within this long.
PROGRESS_SECONDS = 60

#: (unit name or None, confirmed, total) per org unit, as counted.
_Counted = list[tuple[str | None, int, int]]


def _progress_key(campaign: ReconfirmationCampaign, day: datetime.date) -> str:
    return f"integritas:campaign-progress:{campaign.pk}:{day.isoformat()}"


def _count(campaign: ReconfirmationCampaign, today: datetime.date) -> _Counted:
    """Confirmed / total per org unit: one aggregate query, grouped in the database."""
    grouped = (
        participants(campaign, today)
        .alias(
            this_year=FilteredRelation(
                "reconfirmations", condition=Q(reconfirmations__campaign_id=campaign.pk)
            )
        )
        # The unit's name in the same query: the join also leads SQLite to the
        # organisation's index rather than a scan of every employee along the unit index.
        .values("org_unit_id", "org_unit__name")
        .annotate(total=Count("pk"), confirmed=Count("this_year__pk"))
        .order_by()
    )
    return [(row["org_unit__name"], row["confirmed"], row["total"]) for row in grouped]


def campaign_progress(
    campaign: ReconfirmationCampaign, today: datetime.date | None = None, *, fresh: bool = True
) -> Progress:
    """Confirmed / total per org unit and for the organisation. `fresh=False` (the page)
    takes the figures counted in the last PROGRESS_SECONDS when there are any."""
    today = today or timezone.localdate()
    key = _progress_key(campaign, reference_day(campaign, today))
    cached = None if fresh else cache.get(key)
    if cached is None:
        cached = (timezone.now(), _count(campaign, today))
        cache.set(key, cached, PROGRESS_SECONDS)
    as_of, counted = cached
    without_unit = _("Zonder afdeling")
    units = sorted(
        (
            UnitProgress(name or without_unit, confirmed, total)
            for name, confirmed, total in counted
        ),
        key=lambda unit: (unit.unit == without_unit, unit.unit.casefold()),
    )
    totals = UnitProgress(_("Totaal"), sum(u.confirmed for u in units), sum(u.total for u in units))
    return Progress(units, totals, as_of)


def forget_progress(campaign: ReconfirmationCampaign, today: datetime.date) -> None:
    """After a confirmation has committed, the page counts again."""
    key = _progress_key(campaign, reference_day(campaign, today))
    transaction.on_commit(lambda: cache.delete(key))

"""Scale data: the year's re-confirmation campaign in every organisation, with about
CONFIRMED_PERCENT of the current employees confirmed, written in bulk.

Which employee has confirmed follows from their id and the seed, so a second run (or the
demo seed, which uses this for the people without an account) writes nothing new. The
campaign opens today and closes after CAMPAIGN_DAYS; an organisation that already has
a campaign for the year keeps it (the demo's, opened through the service).
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.organisations.models import Employee
from integritas.registers.models import Reconfirmation, ReconfirmationCampaign

from .domains import DomainPhase
from .organisations import Slot
from .people import People
from .plan import ScaleOptions

BATCH = 5000
CAMPAIGN_DAYS = 42
CONFIRMED_PERCENT = 60


def confirms(employee_id: int, seed: int, percent: int = CONFIRMED_PERCENT) -> bool:
    """Whether the generated employee has confirmed: fixed by id and seed."""
    return (employee_id * 2654435761 + seed) % 100 < percent


def campaign_for_year(organisation_id: int, today: datetime.date) -> ReconfirmationCampaign:
    campaign, _made = ReconfirmationCampaign.objects.get_or_create(
        organisation_id=organisation_id,
        year=today.year,
        defaults={
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=CAMPAIGN_DAYS),
        },
    )
    return campaign


def confirmations_bulk(
    organisation_ids: list[int],
    *,
    seed: int,
    percent: int = CONFIRMED_PERCENT,
    without_account_only: bool = False,
    tick: Callable[[int], None] = lambda n: None,
) -> int:
    """The year's campaign per organisation and its confirmations; returns rows written."""
    today = timezone.localdate()
    now = timezone.now()
    written = 0
    for organisation_id in organisation_ids:
        campaign = campaign_for_year(organisation_id, today)
        if campaign.opens_on > today:
            continue  # not open yet: nobody can have confirmed
        people = Employee.objects.filter(
            organisation_id=organisation_id, start_date__lte=campaign.closes_on
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        if without_account_only:
            people = people.filter(user__isnull=True)
        ids = [
            pk
            for pk in people.order_by("pk").values_list("pk", flat=True)
            if confirms(pk, seed, percent)
        ]
        for begin in range(0, len(ids), BATCH):
            chunk = ids[begin : begin + BATCH]
            done = set(
                Reconfirmation.objects.filter(campaign=campaign, employee_id__in=chunk).values_list(
                    "employee_id", flat=True
                )
            )
            rows = [
                Reconfirmation(
                    campaign=campaign,
                    employee_id=pk,
                    confirmed_at=now - datetime.timedelta(minutes=pk % 1440),
                )
                for pk in chunk
                if pk not in done
            ]
            with transaction.atomic():
                Reconfirmation.objects.bulk_create(rows, batch_size=1000)
            written += len(rows)
            tick(len(rows))
    return written


def _run(
    slots: list[Slot], people: People, options: ScaleOptions, tick: Callable[[int], None]
) -> int:
    return confirmations_bulk(
        [slot.organisation.pk for slot in slots], seed=options.seed, tick=tick
    )


PHASES: tuple[DomainPhase, ...] = (
    DomainPhase(
        key="campaigns",
        label=_("Herbevestigingen"),
        rows=lambda options: options.employees * CONFIRMED_PERCENT // 100,
        weight=8.0,
        run=_run,
    ),
)

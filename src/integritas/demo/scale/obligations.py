"""Scale data at national size: duties of every employee, in every state.

Every generated employee gets the duties the organisation's rules give them (the same
planner the HR events use, obligations.services.duties_for_employee), written with
bulk_create. Someone who started more than two months ago has fulfilled most of their
onboarding duties (a few stay open and overdue); recent starters have theirs open, due
soon or overdue; the year's HRM-cycle duty is done for about half.
"""

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.obligations.constants import DutyKind, DutyStatus, OathForm
from integritas.obligations.models import Duty
from integritas.obligations.selectors import settings_by_organisation
from integritas.obligations.services import duties_for_employee
from integritas.organisations.models import Employee

from .domains import DomainPhase
from .organisations import Slot
from .people import People
from .plan import ScaleOptions

BATCH = 5000
#: Duties per employee on average (an employee gets five, a hired worker four, a VOG for
#: a share of the functions).
DUTIES_PER_EMPLOYEE = 5


def _settle(duty: Duty, start: datetime.date, rng: random.Random, today: datetime.date) -> None:
    """Give a planned duty a realistic state."""
    if duty.kind == DutyKind.INTEGRITY_INTERVIEW:
        done_on = datetime.date(duty.period, 1, 15) + datetime.timedelta(days=rng.randrange(300))
        if done_on <= today and rng.random() < 0.5:
            duty.status = DutyStatus.DONE
            duty.completed_on = done_on
        return
    if duty.due_date >= today - datetime.timedelta(days=60) or rng.random() < 0.04:
        return  # recent, or one of the few that stayed overdue
    duty.status = DutyStatus.DONE
    duty.completed_on = min(
        today, max(start, duty.due_date - datetime.timedelta(days=rng.randrange(20)))
    )
    if duty.kind == DutyKind.OATH:
        duty.oath_form = rng.choice([OathForm.EED, OathForm.BELOFTE])
        duty.administered_by = "De gemeentesecretaris"
    elif duty.kind == DutyKind.VOG:
        duty.vog_issued_on = start - datetime.timedelta(days=rng.randrange(10, 80))


def duties_bulk(
    organisation_ids: list[int], *, seed: int, tick: Callable[[int], None] = lambda n: None
) -> int:
    """Plan and settle the duties of every employee of these organisations, in bulk
    (also used by benchmarks/obligations.py). Idempotent: what exists is skipped."""
    today = timezone.localdate()
    written = 0
    rules = settings_by_organisation(organisation_ids)
    for organisation_id in organisation_ids:
        rng = random.Random(f"{seed}:obligations:{organisation_id}")  # noqa: S311
        ids = list(
            Employee.objects.filter(organisation_id=organisation_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for begin in range(0, len(ids), BATCH):
            employees = (
                Employee.objects.filter(pk__in=ids[begin : begin + BATCH])
                .select_related("function")
                .only(
                    "organisation_id",
                    "employment_type",
                    "start_date",
                    "end_date",
                    "function__screening_profile",
                    "function__vulnerable_activities",
                )
            )
            duties = []
            for employee in employees:
                for duty in duties_for_employee(employee, rules[organisation_id], today=today):
                    _settle(duty, employee.start_date, rng, today)
                    duties.append(duty)
            with transaction.atomic():
                Duty.objects.bulk_create(duties, batch_size=1000, ignore_conflicts=True)
            written += len(duties)
            tick(len(duties))
    return written


def _run(
    slots: list[Slot], people: People, options: ScaleOptions, tick: Callable[[int], None]
) -> int:
    return duties_bulk([slot.organisation.pk for slot in slots], seed=options.seed, tick=tick)


PHASES: tuple[DomainPhase, ...] = (
    DomainPhase(
        key="obligations",
        label=_("Verplichtingen"),
        rows=lambda options: options.employees * DUTIES_PER_EMPLOYEE,
        weight=25.0,
        run=_run,
    ),
)

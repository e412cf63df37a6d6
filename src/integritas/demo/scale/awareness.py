"""Scale data at national size: trainings, attendance and discussed dilemmas.

Every organisation gets one activity per 200 employees (at least three) over the last
two years, each attended by up to 40 of its employees, most of them completed; and per
unit head one dilemma discussed with up to 8 members of the unit. Written with
bulk_create (no events: the duties of the scale data are settled by their own phase);
idempotent per organisation (one that has activities is skipped).
"""

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.awareness.constants import ActivityKind, TrainingTopic
from integritas.awareness.models import Activity, Attendance, Dilemma, DilemmaDiscussion
from integritas.organisations.models import Employee, OrgUnit

from .domains import DomainPhase
from .organisations import Slot
from .people import People
from .plan import ScaleOptions

EMPLOYEES_PER_ACTIVITY = 200
ATTENDEES = 40
TEAM = 8


def awareness_bulk(
    organisation_ids: list[int], *, seed: int, tick: Callable[[int], None] = lambda n: None
) -> int:
    today = timezone.localdate()
    dilemmas = list(Dilemma.objects.values_list("pk", flat=True))
    written = 0
    for organisation_id in organisation_ids:
        if Activity.objects.filter(organisation_id=organisation_id).exists():
            continue
        rng = random.Random(f"{seed}:awareness:{organisation_id}")  # noqa: S311
        employees = list(
            Employee.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
        )
        count = max(3, len(employees) // EMPLOYEES_PER_ACTIVITY)
        with transaction.atomic():
            activities = []
            for n in range(count):
                date = today - datetime.timedelta(days=rng.randrange(-30, 730))
                topic = rng.choice(TrainingTopic.values)
                activities.append(
                    Activity(
                        organisation_id=organisation_id,
                        kind=rng.choice(ActivityKind.values),
                        title=f"{TrainingTopic(topic).label} {n + 1}",
                        topic=topic,
                        date=date,
                        audience="Medewerkers",
                        completed_on=date if date < today and rng.random() < 0.9 else None,
                    )
                )
            Activity.objects.bulk_create(activities, batch_size=1000)
            attendance = [
                Attendance(activity_id=activity.pk, employee_id=employee)
                for activity in activities
                for employee in rng.sample(employees, min(ATTENDEES, len(employees)))
            ]
            Attendance.objects.bulk_create(attendance, batch_size=2000, ignore_conflicts=True)
            discussions = 0
            if dilemmas:
                heads = OrgUnit.managers.through.objects.filter(
                    orgunit__organisation_id=organisation_id
                ).values_list("orgunit_id", "employee_id")
                members: dict[int, list[int]] = {}
                for unit_id, employee_id in Employee.objects.filter(
                    organisation_id=organisation_id, org_unit__isnull=False
                ).values_list("org_unit_id", "pk"):
                    members.setdefault(unit_id, []).append(employee_id)
                links = []
                for unit_id, head in heads:
                    team = [e for e in members.get(unit_id, []) if e != head][:TEAM]
                    if not team:
                        continue
                    discussion = DilemmaDiscussion.objects.create(
                        organisation_id=organisation_id,
                        dilemma_id=rng.choice(dilemmas),
                        manager_id=head,
                        discussed_on=today - datetime.timedelta(days=rng.randrange(365)),
                    )
                    links += [
                        DilemmaDiscussion.attendees.through(
                            dilemmadiscussion_id=discussion.pk, employee_id=e
                        )
                        for e in team
                    ]
                    discussions += 1
                DilemmaDiscussion.attendees.through.objects.bulk_create(links, batch_size=2000)
        rows = len(activities) + len(attendance) + discussions
        written += rows
        tick(rows)
    return written


def _run(
    slots: list[Slot], people: People, options: ScaleOptions, tick: Callable[[int], None]
) -> int:
    return awareness_bulk([slot.organisation.pk for slot in slots], seed=options.seed, tick=tick)


PHASES: tuple[DomainPhase, ...] = (
    DomainPhase(
        key="awareness",
        label=_("Bewustwording"),
        rows=lambda options: options.employees // EMPLOYEES_PER_ACTIVITY * (ATTENDEES + 1),
        weight=30.0,
        run=_run,
    ),
)

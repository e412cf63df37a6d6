"""Demo data: trainings with attendance and discussed dilemmas.

Idempotent, through the app's services; called by seed.py after the people exist (and
after the duties: the completed information-security training fulfils them through the
training_completed event). Every organisation gets a completed information-security
training with attendance, a theme meeting that was held but not yet completed (on HRM's
work list), a planned dilemma session, and per unit manager one dilemma discussed with
their team.
"""

import datetime

from django.db.models import F
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.accounts.selectors import role_holders
from integritas.awareness import selectors, services
from integritas.awareness.attendance_file import NumberRow
from integritas.awareness.constants import ActivityKind, TrainingTopic
from integritas.awareness.models import Activity, Dilemma, DilemmaDiscussion
from integritas.organisations.models import Employee, Organisation, OrgUnit

#: (kind, title, topic, days from today, audience, attendees, complete)
ACTIVITIES = (
    (
        ActivityKind.E_LEARNING,
        "Training informatiebeveiliging (BIO)",
        TrainingTopic.INFORMATION_SECURITY,
        -30,
        "Nieuwe medewerkers",
        6,
        True,
    ),
    (
        ActivityKind.THEME_MEETING,
        "Themabijeenkomst ongewenst gedrag",
        TrainingTopic.UNWANTED_BEHAVIOUR,
        -7,
        "Alle medewerkers",
        4,
        False,
    ),
    (
        ActivityKind.DILEMMA_SESSION,
        "Dilemmasessie geschenken en uitnodigingen",
        TrainingTopic.INTEGRITY,
        21,
        "Teams Inkoop en Vergunningen",
        0,
        False,
    ),
)
DILEMMAS = ("kerstpakket-aannemer", "brp-nieuwsgierig", "vergunning-buurman")


def _seed_activities(org: Organisation, actor: User, today: datetime.date) -> dict[str, int]:
    made: dict[str, int] = {}
    people = list(
        Employee.objects.current(today)
        .filter(organisation=org)
        .order_by(F("user_id").asc(nulls_last=True), "personnel_number")
        .values_list("personnel_number", flat=True)[:10]
    )
    for kind, title, topic, days, audience, attendees, complete in ACTIVITIES:
        if Activity.objects.filter(organisation=org, title=title).exists():
            continue
        activity = services.activity_create(
            actor=actor,
            organisation=org,
            kind=kind,
            title=title,
            topic=topic,
            date=today + datetime.timedelta(days=days),
            audience=audience,
        )
        made["awareness.activities"] = made.get("awareness.activities", 0) + 1
        rows = [NumberRow(i, n) for i, n in enumerate(people[:attendees], 1)]
        if rows:
            made["awareness.attendance"] = made.get("awareness.attendance", 0) + (
                services.attendance_add(actor=actor, activity=activity, rows=rows)
            )
        if complete:
            services.activity_complete(actor=actor, activity=activity, completed_on=activity.date)
    return made


def _seed_discussions(org: Organisation, today: datetime.date) -> int:
    made = 0
    units = OrgUnit.objects.filter(organisation=org).prefetch_related("managers").order_by("code")
    for position, unit in enumerate(units):
        for manager in unit.managers.all():
            if manager.user is None or DilemmaDiscussion.objects.filter(manager=manager).exists():
                continue
            team = list(selectors.team_of(manager.user).values_list("pk", flat=True)[:8])
            dilemma = Dilemma.objects.filter(slug=DILEMMAS[position % len(DILEMMAS)]).first()
            if not team or dilemma is None:
                continue
            services.dilemma_discuss(
                actor=manager.user,
                dilemma=dilemma,
                discussed_on=today - datetime.timedelta(days=10 + position),
                employee_ids=team,
            )
            made += 1
    return made


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """Make what is missing; return the number of rows made per label."""
    today = timezone.localdate()
    made: dict[str, int] = {}
    for org in orgs.values():
        actor = role_holders(Role.HRM, org, regional=False).first()
        if actor is not None:
            for label, number in _seed_activities(org, actor, today).items():
                made[label] = made.get(label, 0) + number
        discussed = _seed_discussions(org, today)
        if discussed:
            made["awareness.discussions"] = made.get("awareness.discussions", 0) + discussed
    return made

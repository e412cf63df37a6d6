"""Demo data: the counsellors' name-free consultation log and their trainings.

Idempotent, through the app's services; called by seed.py after the people exist. Every
organisation's own vertrouwenspersoon (demo/data.py has one in each) gets a log
spread over this year and last: some themes often enough to show a real number on the
central counsellor's figures, others only one to four times, so they show as "< 5". The
region gets a training and an intervisie session with the counsellors attending, and
HRM records each counsellor's appointment (trained).
"""

import datetime
from collections import Counter

from django.db.models import F
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.accounts.selectors import role_holders, user_roles
from integritas.counsel import selectors, services
from integritas.counsel.constants import Channel, FollowUp, SessionKind, Theme
from integritas.organisations.models import Employee, Organisation, Region

from . import data

# (theme, how many, channel, what followed, note): 15 consultations for the Leiderdorp
# counsellor, so that integrity and bullying reach a real number and the others show as
# "< 5"; the counsellors elsewhere log only the first two themes (_COMMON), so that the
# region's counts of the rare themes stay small.
_PLAN: tuple[tuple[str, int, str, tuple[str, ...], str], ...] = (
    (
        Theme.INTEGRITY,
        6,
        Channel.OWN_INITIATIVE,
        (FollowUp.LISTENED, FollowUp.ADVICE),
        "Twijfel over een aangeboden relatiegeschenk; advies over de regeling.",
    ),
    (
        Theme.BULLYING,
        5,
        Channel.COLLEAGUE,
        (FollowUp.LISTENED, FollowUp.REFERRAL_MANAGER),
        "Terugkerende opmerkingen in het team; met toestemming naar de leidinggevende.",
    ),
    (
        Theme.AGGRESSION,
        2,
        Channel.MANAGER,
        (FollowUp.LISTENED, FollowUp.COMPANY_DOCTOR),
        "Bedreiging aan de balie; nazorg en verwijzing naar de bedrijfsarts.",
    ),
    (
        Theme.SEXUAL_INTIMIDATION,
        1,
        Channel.OWN_INITIATIVE,
        (FollowUp.LISTENED, FollowUp.ADVICE, FollowUp.REFERRAL_MELDPUNT),
        "Ongewenste opmerkingen; uitleg over melden bij het Meldpunt.",
    ),
    (
        Theme.DISCRIMINATION,
        1,
        Channel.HRM,
        (FollowUp.ADVICE, FollowUp.MEDIATION),
        "",
    ),
)


_COMMON = 2


def _consultation_days(today: datetime.date, number: int) -> list[datetime.date]:
    """`number` days, four days apart, back from the day before yesterday (within the
    last two months: mostly in this year, as the figures show a year)."""
    return [today - datetime.timedelta(days=2 + 4 * i) for i in range(number)]


def _seed_log(counsellor: User, org: Organisation, today: datetime.date) -> int:
    if selectors.entries_of(counsellor).filter(organisation=org).exists():
        return 0
    plan = _PLAN if org.slug == data.DEMO_ORGANISATION else _PLAN[:_COMMON]
    days = iter(_consultation_days(today, sum(n for _t, n, *_rest in plan)))
    made = 0
    for theme, number, channel, follow_ups, note in plan:
        for _ in range(number):
            services.entry_create(
                actor=counsellor,
                organisation=org,
                data={
                    "consulted_on": next(days),
                    "theme": theme,
                    "channel": channel,
                    "follow_ups": list(follow_ups),
                    "note": note,
                },
            )
            made += 1
    return made


def _seed_appointment(counsellor: User, org: Organisation) -> int:
    hrm = role_holders(Role.HRM, org, regional=False).first()
    employee = Employee.objects.filter(user=counsellor, organisation=org).first()
    if hrm is None or employee is None:
        return 0
    if selectors.appointments_for_hrm(hrm).filter(employee=employee).exists():
        return 0
    start = employee.start_date or datetime.date(2015, 1, 1)
    services.appointment_save(
        actor=hrm,
        organisation=org,
        employee=employee,
        data={
            "recruited_on": start + datetime.timedelta(days=365),
            "trained_on": start + datetime.timedelta(days=430),
            "appointed_on": start + datetime.timedelta(days=450),
            "ended_on": None,
        },
    )
    return 1


def _seed_sessions(central: User, counsellors: list[User], today: datetime.date) -> int:
    region_ids = sorted(user_roles(central).region_ids(Role.CENTRAL_COUNSELLOR))
    if not region_ids:
        return 0
    region = Region.objects.get(pk=region_ids[0])
    existing = selectors.sessions_for_central(central)
    made = 0
    plan = (
        (SessionKind.TRAINING, "Basistraining vertrouwenspersoon", today - datetime.timedelta(60)),
        (SessionKind.INTERVISION, "Intervisie vertrouwenspersonen", today + datetime.timedelta(21)),
    )
    for kind, title, held_on in plan:
        if existing.filter(kind=kind, title=title).exists():
            continue
        session = services.session_save(
            actor=central,
            region=region,
            data={"kind": kind, "title": title, "held_on": held_on},
        )
        if held_on <= today:
            services.session_set_attendance(actor=central, session=session, attendees=counsellors)
        made += 1
    return made


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """Make what is missing; return the number of rows made per label."""
    today = timezone.localdate()
    made: Counter[str] = Counter()
    counsellors: list[User] = []
    for org in sorted(orgs.values(), key=lambda o: o.pk):
        holders = role_holders(Role.CONFIDENTIAL_COUNSELLOR, org, regional=False).order_by(
            F("pk").asc()
        )
        for counsellor in holders:
            counsellors.append(counsellor)
            made["counsel_entries"] += _seed_log(counsellor, org, today)
            made["counsel_appointments"] += _seed_appointment(counsellor, org)
    central = users.get("central_counsellor")
    if central is not None:
        made["counsel_sessions"] += _seed_sessions(central, counsellors, today)
    return {label: n for label, n in made.items() if n}

"""Demo data: onboarding and yearly duties in every state.

Idempotent, through the app's services; called by seed.py after the people exist. Every
organisation gets the year's HRM-cycle duty for everyone and, for four of its people
(demo accounts first): duties done (the oath with its signed form, the integrity
discussion), due soon (the security training), overdue (the handbook), closed by HRM
(vervallen: a handbook duty that no longer applies) and a VOG whose certificate was too
old at the start date (refused, so it stays open, with a note).
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.accounts.selectors import role_holders
from integritas.obligations import selectors, services
from integritas.obligations.constants import DutyKind, DutyStatus, OathForm
from integritas.organisations.models import Employee, Organisation

CLOSED_NOTE = "Handboek al ontvangen bij de vorige aanstelling."
TOO_OLD_NOTE = "Ingeleverde VOG was te oud bij de datum in dienst; nieuwe VOG aangevraagd."


def _duty(
    actor: User, employee: Employee, kind: str, due: datetime.date, note: str = ""
) -> tuple[Any, bool]:
    """The demo's duty of `kind` for `employee`, made by HRM when missing."""
    period = due.year if kind in (DutyKind.VOG, DutyKind.INTEGRITY_INTERVIEW) else 0
    found = selectors.duty_find(employee_id=employee.pk, kind=kind, period=period)
    if found is not None:
        return found, False
    try:
        return (
            services.duty_create(
                actor=actor, employee=employee, kind=kind, due_date=due, note=note
            ),
            True,
        )
    except ValidationError:
        return None, False


def _seed_organisation(org: Organisation, today: datetime.date) -> dict[str, int]:
    made: dict[str, int] = {}
    actor = role_holders(Role.HRM, org, regional=False).first()
    people = list(
        Employee.objects.current(today)
        .filter(organisation=org, function__isnull=False)
        .select_related("function", "organisation")
        .order_by(F("user_id").asc(nulls_last=True), "personnel_number")[:4]
    )
    if actor is None or len(people) < 4:
        return made
    done, soon, late, vog = people

    def count(label: str, new: bool) -> None:
        if new:
            made[label] = made.get(label, 0) + 1

    # Done: the eed or belofte with its signed form, and integrity discussed this year.
    oath, new = _duty(actor, done, DutyKind.OATH, today - datetime.timedelta(days=20))
    count("obligations.duty", new)
    if oath is not None and oath.status == DutyStatus.OPEN:
        form = SimpleUploadedFile(
            "eed-of-belofte-ondertekend.pdf", services.oath_form_render(actor=actor, duty=oath)
        )
        services.oath_record(
            actor=actor,
            duty=oath,
            taken_on=today - datetime.timedelta(days=25),
            oath_form=OathForm.BELOFTE,
            administered_by="De gemeentesecretaris",
            upload=form,
        )
        count("obligations.signed_form", True)
    interview, new = _duty(
        actor, done, DutyKind.INTEGRITY_INTERVIEW, datetime.date(today.year, 12, 31)
    )
    count("obligations.duty", new)
    if interview is not None and interview.status == DutyStatus.OPEN:
        services.duties_fulfil(
            kind=DutyKind.INTEGRITY_INTERVIEW,
            employee_ids=[done.pk],
            completed_on=max(datetime.date(today.year, 1, 2), today - datetime.timedelta(days=30)),
        )
    # Due soon: the security training (R-BIO-3).
    _found, new = _duty(
        actor, soon, DutyKind.SECURITY_TRAINING, today + datetime.timedelta(days=10)
    )
    count("obligations.duty", new)
    # Overdue: the handbook information.
    _found, new = _duty(actor, late, DutyKind.HANDBOOK, today - datetime.timedelta(days=12))
    count("obligations.duty", new)
    # No longer applies (vervallen): HRM closed the handbook duty of someone who had it.
    handbook, new = _duty(actor, soon, DutyKind.HANDBOOK, today + datetime.timedelta(days=20))
    count("obligations.duty", new)
    if handbook is not None and handbook.status == DutyStatus.OPEN:
        services.duty_close(actor=actor, duty=handbook, note=CLOSED_NOTE)
        count("obligations.closed", True)
    # A VOG too old at the start date: refused, the duty stays open.
    vog_duty, new = _duty(
        actor, vog, DutyKind.VOG, today + datetime.timedelta(days=7), TOO_OLD_NOTE
    )
    count("obligations.duty", new)
    if vog_duty is not None and new:
        try:
            services.vog_record(
                actor=actor, duty=vog_duty, issued_on=today - datetime.timedelta(days=200)
            )
        except ValidationError:
            count("obligations.vog_refused", True)
    return made


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """Make what is missing; return the number of rows made per label."""
    today = timezone.localdate()
    made: dict[str, int] = {}
    yearly = services.yearly_duties_plan(today=today)
    if yearly:
        made["obligations.yearly"] = yearly
    for org in orgs.values():
        for label, number in _seed_organisation(org, today).items():
            made[label] = made.get(label, 0) + number
    return made

"""Every write of `awareness`: keyword-only, atomic, permission-checked, audited (ids only).

Events (organisations.events) are sent inside the transaction: completing an activity
sends training_completed for its attendees (obligations fulfils the information-security
duty from topic "information_security"); a discussed dilemma sends integrity_discussed
for the attendees of the team (R-AW-2).
"""

import datetime
import importlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.audit.services import audit_record
from integritas.organisations import events
from integritas.organisations.models import Organisation

from .attendance_file import NumberRow
from .models import Activity, Attendance, Dilemma, DilemmaDiscussion
from .selectors import employees_by_number, team_of


def _role(user: Any, organisation_id: int) -> str:
    if not user.has_perm("awareness.manage", organisation_id):
        raise PermissionDenied
    roles = user_roles(user)
    return Role.HRM if roles.has(Role.HRM, organisation_id) else Role.INTEGRITY_OFFICER


def activity_create(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    title: str,
    topic: str,
    date: datetime.date,
    audience: str,
    description: str = "",
) -> Activity:
    role = _role(actor, organisation.pk)
    with transaction.atomic():
        activity = Activity.objects.create(
            organisation=organisation,
            kind=kind,
            title=title.strip(),
            topic=topic,
            date=date,
            audience=audience.strip(),
            description=description,
            created_by=actor,
        )
        audit_record(
            action="awareness_activity.create",
            actor=actor,
            actor_role=role,
            obj=activity,
            organisation=organisation,
        )
    return activity


def attendance_add(*, actor: Any, activity: Activity, rows: list[NumberRow]) -> int:
    """Record the employees with these personnel numbers as attendees. All or nothing: an
    unknown number refuses the whole list and names its rows. Returns how many were new.
    On a completed activity the new attendees complete the training at once."""
    role = _role(actor, activity.organisation_id)
    known = employees_by_number(activity.organisation, [row.number for row in rows])
    unknown = [row for row in rows if row.number not in known]
    if unknown:
        shown = ", ".join(
            _("regel %(line)d (%(number)s)") % {"line": row.line, "number": row.number}
            for row in unknown[:20]
        )
        raise ValidationError(
            ngettext(
                "Onbekend personeelsnummer in deze organisatie: %(rows)s. Er is niets ingelezen.",
                "Onbekende personeelsnummers in deze organisatie: %(rows)s. Er is niets ingelezen.",
                len(unknown),
            )
            % {"rows": shown}
        )
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        wanted = set(known.values())
        present = set(
            Attendance.objects.filter(activity=locked, employee_id__in=wanted).values_list(
                "employee_id", flat=True
            )
        )
        new = sorted(wanted - present)
        Attendance.objects.bulk_create([Attendance(activity=locked, employee_id=pk) for pk in new])
        audit_record(
            action="awareness_attendance.add",
            actor=actor,
            actor_role=role,
            obj=locked,
            organisation=activity.organisation,
        )
        if locked.completed_on is not None and new:
            events.training_completed.send(
                sender=Activity,
                employee_ids=new,
                topic=locked.topic,
                completed_on=locked.completed_on,
            )
    return len(new)


def attendance_remove(*, actor: Any, activity: Activity, employee_id: int) -> None:
    role = _role(actor, activity.organisation_id)
    with transaction.atomic():
        if activity.completed_on is not None:
            raise ValidationError(
                _("De activiteit is afgerond; de aanwezigheid kan niet meer worden gewijzigd.")
            )
        Attendance.objects.filter(activity=activity, employee_id=employee_id).delete()
        audit_record(
            action="awareness_attendance.remove",
            actor=actor,
            actor_role=role,
            obj=activity,
            organisation=activity.organisation,
        )


def activity_complete(
    *, actor: Any, activity: Activity, completed_on: datetime.date | None = None
) -> Activity:
    """Mark the activity as held and completed by its attendees; sends training_completed
    with their ids and the topic, in this transaction."""
    role = _role(actor, activity.organisation_id)
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError(_("De datum van afronding ligt in de toekomst."))
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.completed_on is not None:
            raise ValidationError(_("Deze activiteit is al afgerond."))
        locked.completed_on = completed_on
        locked.save(update_fields=["completed_on", "updated_at"])
        employee_ids = list(
            Attendance.objects.filter(activity=locked)
            .order_by("employee_id")
            .values_list("employee_id", flat=True)
        )
        audit_record(
            action="awareness_activity.complete",
            actor=actor,
            actor_role=role,
            obj=locked,
            organisation=activity.organisation,
        )
        if employee_ids:
            events.training_completed.send(
                sender=Activity,
                employee_ids=employee_ids,
                topic=locked.topic,
                completed_on=completed_on,
            )
    return locked


def dilemma_discuss(
    *,
    actor: Any,
    dilemma: Dilemma,
    discussed_on: datetime.date,
    employee_ids: list[int],
) -> DilemmaDiscussion:
    """A manager records that they discussed `dilemma` with these members of their team
    (R-AW-2: integrity on the team's agenda); sends integrity_discussed for them."""
    if not actor.has_perm("awareness.discuss"):
        raise PermissionDenied
    manager = user_roles(actor).employee
    if manager is None:
        raise PermissionDenied
    if discussed_on > timezone.localdate():
        raise ValidationError({"discussed_on": _("De datum ligt in de toekomst.")})
    if not employee_ids:
        raise ValidationError({"attendees": _("Kies wie er bij het gesprek waren.")})
    team = set(team_of(actor).filter(pk__in=employee_ids).values_list("pk", flat=True))
    if team != set(employee_ids):
        raise ValidationError({"attendees": _("Kies alleen medewerkers uit uw eigen team.")})
    with transaction.atomic():
        discussion = DilemmaDiscussion.objects.create(
            organisation_id=manager.organisation_id,
            dilemma=dilemma,
            manager=manager,
            discussed_on=discussed_on,
        )
        discussion.attendees.set(sorted(team))
        audit_record(
            action="awareness_dilemma.discussed",
            actor=actor,
            actor_role="manager",
            obj=discussion,
            organisation=manager.organisation,
        )
        events.integrity_discussed.send(
            sender=DilemmaDiscussion, employee_ids=sorted(team), discussed_on=discussed_on
        )
    return discussion


def dilemma_library_restore() -> int:
    """Put back every dilemma of the product's library that is missing (after a flush of
    the database, or a demo rebuilt from scratch): the library is product content, loaded
    by migration 0002, not demo data. Existing dilemmas are left as they are; returns how
    many were made. Idempotent; no actor (the system itself), nothing to audit but rows
    that `migrate` would have made."""
    library = importlib.import_module("integritas.awareness.migrations.0002_dilemma_library")
    present = set(Dilemma.objects.values_list("slug", flat=True))
    missing = [
        Dilemma(
            slug=slug,
            title=title,
            situation=situation,
            question=question,
            theme=theme,
            activity=activity,
        )
        for slug, title, situation, question, theme, activity in library.DILEMMAS
        if slug not in present
    ]
    with transaction.atomic():
        Dilemma.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)

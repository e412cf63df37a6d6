"""Every write of duties: keyword-only, atomic, permission-checked, audited (ids only).

Duties are made from the organisation's rules when someone starts (receivers.py, from
the HR events) or by HRM by hand; they are fulfilled by HRM (VOG, eed of belofte with
the signed form, a declaration ...) or by the events of other apps (the gedragscode
acknowledged, the security training done, integrity discussed in the HRM cycle).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.core.files.detection import detect_named, display_name
from integritas.core.files.streams import TooLargeError, bounded
from integritas.core.files.validation import upload_problem
from integritas.organisations.constants import ScreeningProfile
from integritas.organisations.models import Employee, Organisation

from . import deadlines
from .constants import DutyKind, DutyStatus, OathForm
from .models import Duty, ObligationSettings
from .pdf import declaration_form_pdf, oath_form_pdf
from .selectors import duties_for_team, settings_by_organisation, settings_for
from .vault import signed_form_store

BATCH_SIZE = 2000


def _today() -> datetime.date:
    return timezone.localdate()


def _org(organisation_id: int) -> Organisation:
    """A reference to the organisation for the audit chain, without reading it."""
    return Organisation(pk=organisation_id)


def _update_per_organisation(
    duties: Any, *, action: str, changes: dict[str, Any], origin: str = Origin.SYSTEM
) -> int:
    """Apply `changes` to `duties`, one audit event (with the count) per organisation."""
    by_org: dict[int, list[int]] = defaultdict(list)
    for pk, organisation_id in duties.values_list("pk", "organisation_id"):
        by_org[organisation_id].append(pk)
    total = 0
    for organisation_id, pks in sorted(by_org.items()):
        for start in range(0, len(pks), BATCH_SIZE):
            total += Duty.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).update(**changes)
        audit_record(
            action=action,
            object_type="obligations.duty",
            object_id=len(pks),
            organisation=_org(organisation_id),
            origin=origin,
        )
    return total


def _require_hrm(actor: Any, organisation_id: int) -> None:
    if not actor.has_perm("obligations.manage_duty", organisation_id):
        raise PermissionDenied


# --------------------------------------------------------------------------- planning


def duties_for_employee(
    employee: Employee,
    rules: ObligationSettings,
    *,
    today: datetime.date,
    function_change: bool = False,
) -> list[Duty]:
    """The duties that fit `employee` under the organisation's rules (not saved).

    Per kind the employment types that get it (ObligationSettings.rules); a VOG only
    for a function with a screening profile, with the screening areas its vulnerable
    activities call for. After a change of function the new function's VOG is due
    within the onboarding days from today (the start date lies behind them).
    """
    if employee.end_date is not None and employee.end_date < today:
        return []
    duties = []
    for kind in DutyKind.values:
        if employee.employment_type not in rules.rules.get(kind, []):
            continue
        extra: dict[str, Any] = {}
        due = deadlines.due_date(
            kind,
            employee.start_date,
            training_window_months=rules.training_window_months,
            onboarding_days=rules.onboarding_days,
        )
        period = 0
        if kind == DutyKind.VOG:
            function = employee.function
            if function is None or function.screening_profile == ScreeningProfile.NONE:
                continue
            extra = {
                "function_id": function.pk,
                "screening_profile": function.screening_profile,
                "screening_areas": sorted(function.vulnerable_activities or []),
            }
            if function_change and employee.start_date < today:
                due = today + datetime.timedelta(days=rules.onboarding_days)
        elif kind == DutyKind.INTEGRITY_INTERVIEW:
            period = max(employee.start_date.year, today.year)
            due = deadlines.due_date(
                kind,
                employee.start_date,
                training_window_months=rules.training_window_months,
                onboarding_days=rules.onboarding_days,
                year=period,
            )
        duties.append(
            Duty(
                organisation_id=employee.organisation_id,
                employee_id=employee.pk,
                kind=kind,
                period=period,
                due_date=due,
                **extra,
            )
        )
    return duties


def duties_plan(
    *,
    employee_ids: Sequence[int],
    actor: Any = None,
    origin: str = Origin.SYSTEM,
    function_change: bool = False,
    today: datetime.date | None = None,
) -> int:
    """Make the duties that fit these employees and that they do not have yet.

    Idempotent (the unique constraints skip what exists); one audit event per
    organisation. Returns the number of duties offered for insertion.
    """
    today = today or _today()
    planned = 0
    with transaction.atomic():
        for start in range(0, len(employee_ids), BATCH_SIZE):
            ids = list(employee_ids[start : start + BATCH_SIZE])
            employees = list(
                Employee.objects.filter(pk__in=ids)
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
            rules = settings_by_organisation(e.organisation_id for e in employees)
            per_org: dict[int, int] = defaultdict(int)
            duties: list[Duty] = []
            for employee in employees:
                found = duties_for_employee(
                    employee,
                    rules[employee.organisation_id],
                    today=today,
                    function_change=function_change,
                )
                per_org[employee.organisation_id] += len(found)
                duties.extend(found)
            Duty.objects.bulk_create(duties, batch_size=500, ignore_conflicts=True)
            planned += len(duties)
            for organisation_id, count in sorted(per_org.items()):
                if count:
                    audit_record(
                        action="obligations.duties_planned",
                        actor=actor,
                        object_type="obligations.duty",
                        object_id=count,
                        organisation=_org(organisation_id),
                        origin=origin,
                    )
    return planned


def duties_close_for_leavers(
    *, employee_ids: Sequence[int] | None = None, today: datetime.date | None = None
) -> int:
    """Close the open duties that a leaver can no longer fulfil: all of them once the
    end date has passed, before that those due after the end date. Without ids: every
    employee whose end date has passed (the daily scan)."""
    today = today or _today()
    duties = Duty.objects.filter(status=DutyStatus.OPEN, employee__end_date__isnull=False)
    if employee_ids is not None:
        duties = duties.filter(employee_id__in=list(employee_ids)).filter(
            Q(employee__end_date__lt=today) | Q(due_date__gt=F("employee__end_date"))
        )
    else:
        duties = duties.filter(employee__end_date__lt=today)
    with transaction.atomic():
        return _update_per_organisation(
            duties,
            action="obligations.duties_closed",
            changes={"status": DutyStatus.CLOSED, "closed_on": today},
        )


def vogs_close_for_previous_function(
    *, employee_ids: Sequence[int], today: datetime.date | None = None
) -> int:
    """After a change of function: the open VOG of a function the employee no longer
    holds closes (vervallen); it screened for the old function's activities. The new
    function's VOG is planned by duties_plan."""
    today = today or _today()
    duties = Duty.objects.filter(
        employee_id__in=list(employee_ids), kind=DutyKind.VOG, status=DutyStatus.OPEN
    ).exclude(function_id=F("employee__function_id"))
    # exclude() over the nullable columns also keeps (so closes) the VOGs of an employee
    # left without a function: there is nothing left to screen for.
    with transaction.atomic():
        return _update_per_organisation(
            duties,
            action="obligations.vogs_closed_function_changed",
            changes={"status": DutyStatus.CLOSED, "closed_on": today},
        )


def yearly_duties_plan(*, today: datetime.date | None = None) -> int:
    """The yearly duties of the current year (R-AW-2: integrity in the HRM cycle) and,
    where an organisation asks for it, the re-screening VOG of vulnerable functions.
    Idempotent: run by the daily reminder scan; what exists is skipped."""
    today = today or _today()
    year = today.year
    ids = list(
        Employee.objects.current(today)
        .filter(start_date__lte=today)
        .exclude(
            Exists(
                Duty.objects.filter(
                    employee_id=OuterRef("pk"), kind=DutyKind.INTEGRITY_INTERVIEW, period=year
                )
            )
        )
        .values_list("pk", flat=True)
    )
    made = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        employees = Employee.objects.filter(pk__in=batch).only("organisation_id", "employment_type")
        rules = settings_by_organisation(e.organisation_id for e in employees)
        duties = [
            Duty(
                organisation_id=e.organisation_id,
                employee_id=e.pk,
                kind=DutyKind.INTEGRITY_INTERVIEW,
                period=year,
                due_date=datetime.date(year, 12, 31),
            )
            for e in employees
            if e.employment_type
            in rules[e.organisation_id].rules.get(DutyKind.INTEGRITY_INTERVIEW, [])
        ]
        Duty.objects.bulk_create(duties, batch_size=500, ignore_conflicts=True)
        made += len(duties)
    made += _rescreening_plan(today)
    return made


def _rescreening_plan(today: datetime.date) -> int:
    """A new VOG for vulnerable functions whose last VOG is older than the
    organisation's re-screening term (ObligationSettings.vog_rescreen_years > 0)."""
    made = 0
    for rules in ObligationSettings.objects.filter(vog_rescreen_years__gt=0):
        cutoff = deadlines.add_months(today, -12 * rules.vog_rescreen_years)
        vogs = Duty.objects.filter(employee_id=OuterRef("employee_id"), kind=DutyKind.VOG)
        stale = (
            Duty.objects.filter(
                organisation_id=rules.organisation_id,
                kind=DutyKind.VOG,
                status=DutyStatus.DONE,
                vog_issued_on__lt=cutoff,
                function_id=F("employee__function_id"),
                employee__end_date__isnull=True,
            )
            .exclude(Exists(vogs.filter(vog_issued_on__gte=cutoff)))
            .exclude(Exists(vogs.filter(period=today.year)))
        )
        duties = [
            Duty(
                organisation_id=old.organisation_id,
                employee_id=old.employee_id,
                kind=DutyKind.VOG,
                period=today.year,
                due_date=today + datetime.timedelta(days=rules.onboarding_days),
                function_id=old.function_id,
                screening_profile=old.screening_profile,
                screening_areas=old.screening_areas,
            )
            for old in stale
        ]
        Duty.objects.bulk_create(duties, ignore_conflicts=True)
        made += len(duties)
    return made


# --------------------------------------------------------------------------- fulfilled by events


def duties_fulfil(
    *,
    kind: str,
    employee_ids: Iterable[int],
    completed_on: datetime.date,
    version_id: int | None = None,
) -> int:
    """Mark the open duties of `kind` of these employees done (from another app's event).

    The gedragscode: any version fulfils it (the version is kept). Integrity discussed:
    the HRM-cycle duty of that year, made done when the employee has none yet (an
    employee of a type the rules give it to).
    """
    ids = sorted(set(employee_ids))
    if not ids:
        return 0
    with transaction.atomic():
        duties = Duty.objects.filter(employee_id__in=ids, kind=kind, status=DutyStatus.OPEN)
        if kind == DutyKind.INTEGRITY_INTERVIEW:
            duties = duties.filter(period=completed_on.year)
            _interviews_ensure(ids, completed_on.year)
        changes: dict[str, Any] = {"status": DutyStatus.DONE, "completed_on": completed_on}
        if version_id is not None:
            changes["code_of_conduct_version_id"] = version_id
        return _update_per_organisation(
            duties, action=f"obligations.{kind}_fulfilled", changes=changes
        )


def _interviews_ensure(employee_ids: list[int], year: int) -> None:
    employees = Employee.objects.filter(pk__in=employee_ids).only(
        "organisation_id", "employment_type"
    )
    rules = settings_by_organisation(e.organisation_id for e in employees)
    Duty.objects.bulk_create(
        [
            Duty(
                organisation_id=e.organisation_id,
                employee_id=e.pk,
                kind=DutyKind.INTEGRITY_INTERVIEW,
                period=year,
                due_date=datetime.date(year, 12, 31),
            )
            for e in employees
            if e.employment_type
            in rules[e.organisation_id].rules.get(DutyKind.INTEGRITY_INTERVIEW, [])
        ],
        ignore_conflicts=True,
    )


# --------------------------------------------------------------------------- by hand (HRM)


def duty_create(
    *,
    actor: Any,
    employee: Employee,
    kind: str,
    due_date: datetime.date,
    note: str = "",
) -> Duty:
    """A duty HRM adds by hand. Refused (Dutch, on the field) when due before the start
    date or when the employee already has it."""
    _require_hrm(actor, employee.organisation_id)
    if due_date < employee.start_date:
        raise ValidationError(
            {
                "due_date": _(
                    "De uiterste datum ligt vóór de datum in dienst (%(start)s). Kies een "
                    "datum op of na de datum in dienst."
                )
                % {"start": employee.start_date.strftime("%d-%m-%Y")}
            }
        )
    extra: dict[str, Any] = {}
    period = 0
    if kind == DutyKind.VOG:
        function = employee.function
        if function is None:
            raise ValidationError(
                {"kind": _("Een VOG hoort bij een functie: deze medewerker heeft geen functie.")}
            )
        period = due_date.year
        extra = {
            "function_id": function.pk,
            "screening_profile": function.screening_profile,
            "screening_areas": sorted(function.vulnerable_activities or []),
        }
    elif kind == DutyKind.INTEGRITY_INTERVIEW:
        period = due_date.year
    try:
        with transaction.atomic():
            duty = Duty.objects.create(
                organisation_id=employee.organisation_id,
                employee=employee,
                kind=kind,
                period=period,
                due_date=due_date,
                note=note,
                recorded_by=actor,
                **extra,
            )
            audit_record(
                action="obligations.duty_created",
                actor=actor,
                actor_role=Role.HRM,
                obj=duty,
                organisation=_org(employee.organisation_id),
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"kind": _("Deze medewerker heeft deze verplichting al (voor deze periode).")}
        ) from exc
    return duty


def _require_open(duty: Duty, kind: str | None = None) -> None:
    if kind is not None and duty.kind != kind:
        raise ValidationError(_("Deze verplichting is van een andere soort."))
    if duty.status != DutyStatus.OPEN:
        raise ValidationError(_("Deze verplichting is niet meer open."))


def _not_future(day: datetime.date, field: str) -> None:
    if day > _today():
        raise ValidationError({field: _("Deze datum ligt in de toekomst.")})


def _complete(duty: Duty, *, actor: Any, action: str, on: datetime.date, **fields: Any) -> Duty:
    duty.status = DutyStatus.DONE
    duty.completed_on = on
    duty.recorded_by = actor
    for name, value in fields.items():
        setattr(duty, name, value)
    duty.save()
    audit_record(
        action=action,
        actor=actor,
        actor_role=Role.HRM,
        obj=duty,
        organisation=_org(duty.organisation_id),
    )
    return duty


def vog_record(*, actor: Any, duty: Duty, issued_on: datetime.date, note: str = "") -> Duty:
    """HRM records the VOG the employee handed in. A VOG issued more than the
    organisation's validity window (default 3 months) before the start date is refused;
    for a re-screening the window counts back from the duty's due date."""
    _require_hrm(actor, duty.organisation_id)
    _require_open(duty, DutyKind.VOG)
    _not_future(issued_on, "issued_on")
    rules = settings_for(duty.organisation_id)
    reference = duty.employee.start_date if duty.period == 0 else duty.due_date
    oldest = deadlines.vog_oldest_allowed(reference, rules.vog_validity_months)
    if issued_on < oldest:
        raise ValidationError(
            {
                "issued_on": _(
                    "Deze VOG is afgegeven op %(issued)s. Dat is meer dan %(months)d "
                    "maanden vóór %(reference)s: de VOG moet op of na %(oldest)s zijn "
                    "afgegeven. Vraag de medewerker een nieuwe VOG aan te vragen."
                )
                % {
                    "issued": issued_on.strftime("%d-%m-%Y"),
                    "months": rules.vog_validity_months,
                    "reference": reference.strftime("%d-%m-%Y"),
                    "oldest": oldest.strftime("%d-%m-%Y"),
                }
            }
        )
    with transaction.atomic():
        locked = Duty.objects.select_for_update().get(pk=duty.pk)
        _require_open(locked)
        return _complete(
            duty,
            actor=actor,
            action="obligations.vog_recorded",
            on=_today(),
            vog_issued_on=issued_on,
            note=note,
        )


def signed_form_problem(upload: UploadedFile) -> str | None:
    """The Dutch reason a signed form may not be stored: too large, unreadable, not a PDF."""
    problem = upload_problem(upload)
    if problem:
        return problem
    try:
        file_type = detect_named(bounded(upload), upload.name or "")
    except TooLargeError:  # pragma: no cover - upload_problem() said otherwise
        file_type = None
    finally:
        upload.seek(0)
    if file_type is None or file_type.key != "pdf":
        return _(
            'Het bestand "%(name)s" is geen PDF-bestand. Scan het ondertekende formulier '
            "als PDF en voeg dat toe."
        ) % {"name": display_name(upload.name)}
    return None


def oath_record(
    *,
    actor: Any,
    duty: Duty,
    taken_on: datetime.date,
    oath_form: str,
    administered_by: str,
    upload: UploadedFile,
) -> Duty:
    """R-AW-4: HRM records the eed or belofte (date, which of the two, who administered
    it) with the form signed by both, as a PDF through the shared file intake."""
    _require_hrm(actor, duty.organisation_id)
    _require_open(duty, DutyKind.OATH)
    _not_future(taken_on, "taken_on")
    if oath_form not in OathForm.values:
        raise ValidationError({"oath_form": _("Kies eed of belofte.")})
    administered_by = administered_by.strip()
    if not administered_by:
        raise ValidationError({"administered_by": _("Vul in wie de eed of belofte afnam.")})
    problem = signed_form_problem(upload)
    if problem:
        raise ValidationError({"signed_form": problem})
    with transaction.atomic():
        locked = Duty.objects.select_for_update().get(pk=duty.pk)
        _require_open(locked)
        try:
            signed_form_store(duty=duty, upload=upload, actor=actor)
        except ValidationError as exc:
            raise ValidationError({"signed_form": exc.messages}) from exc
        return _complete(
            duty,
            actor=actor,
            action="obligations.oath_recorded",
            on=taken_on,
            oath_form=oath_form,
            administered_by=administered_by,
        )


def duty_complete(
    *,
    actor: Any,
    duty: Duty,
    completed_on: datetime.date,
    note: str = "",
    upload: UploadedFile | None = None,
) -> Duty:
    """HRM records a duty done by hand (a declaration signed on paper, the handbook
    handed over, ...), optionally with the signed form as a PDF."""
    _require_hrm(actor, duty.organisation_id)
    _require_open(duty)
    if duty.kind in (DutyKind.VOG, DutyKind.OATH):
        raise ValidationError(_("Leg een VOG of een eed of belofte vast met het eigen formulier."))
    _not_future(completed_on, "completed_on")
    if upload is not None:
        problem = signed_form_problem(upload)
        if problem:
            raise ValidationError({"signed_form": problem})
    with transaction.atomic():
        locked = Duty.objects.select_for_update().get(pk=duty.pk)
        _require_open(locked)
        if upload is not None:
            try:
                signed_form_store(duty=duty, upload=upload, actor=actor)
            except ValidationError as exc:
                raise ValidationError({"signed_form": exc.messages}) from exc
        return _complete(
            duty, actor=actor, action="obligations.duty_completed", on=completed_on, note=note
        )


def declaration_acknowledge(*, actor: Any, duty: Duty, version: int) -> Duty:
    """R-AW-4: the hired worker or intern acknowledges the integriteitsverklaring in the
    application ("ontvangen, gelezen en ik houd mij eraan"), besides signing it on paper.

    Only the employee whose duty it is; the date and the version of the organisation's
    text that they read are recorded. A version that is no longer current (the text
    changed while they read) is refused, as is a duty that is no longer open.
    """
    if not actor.has_perm("obligations.acknowledge_declaration", duty):
        raise PermissionDenied
    _require_open(duty, DutyKind.DECLARATION)
    current = settings_for(duty.organisation_id).declaration_version
    if version != current:
        raise ValidationError(
            _(
                "De tekst van de integriteitsverklaring is intussen gewijzigd. Lees de "
                "nieuwe tekst en bevestig opnieuw."
            )
        )
    with transaction.atomic():
        locked = Duty.objects.select_for_update().get(pk=duty.pk)
        _require_open(locked)
        duty.status = DutyStatus.DONE
        duty.completed_on = _today()
        duty.declaration_version = version
        duty.recorded_by = actor
        duty.save(update_fields=["status", "completed_on", "declaration_version", "recorded_by"])
        audit_record(
            action="obligations.declaration_acknowledged",
            actor=actor,
            actor_role=Role.EMPLOYEE,
            obj=duty,
            organisation=_org(duty.organisation_id),
        )
    return duty


def interview_record(
    *, actor: Any, duty: Duty, discussed_on: datetime.date, note: str = ""
) -> Duty:
    """R-AW-2: the manager records that integrity was discussed with a member of their
    team in the HRM cycle of the duty's year. Only for their own team; the date may not
    lie in the future, before the start date or outside the duty's year."""
    if not actor.has_perm("obligations.record_interview"):
        raise PermissionDenied
    if not duties_for_team(actor).filter(pk=duty.pk).exists():
        raise PermissionDenied
    _require_open(duty, DutyKind.INTEGRITY_INTERVIEW)
    _not_future(discussed_on, "discussed_on")
    if duty.period and discussed_on.year != duty.period:
        raise ValidationError(
            {
                "discussed_on": _(
                    "Deze verplichting hoort bij %(year)d: kies een datum in %(year)d."
                )
                % {"year": duty.period}
            }
        )
    if discussed_on < duty.employee.start_date:
        raise ValidationError(
            {"discussed_on": _("De datum ligt vóór de datum in dienst van de medewerker.")}
        )
    with transaction.atomic():
        locked = Duty.objects.select_for_update().get(pk=duty.pk)
        _require_open(locked)
        duty.status = DutyStatus.DONE
        duty.completed_on = discussed_on
        duty.recorded_by = actor
        duty.note = note.strip()
        duty.save(update_fields=["status", "completed_on", "recorded_by", "note"])
        audit_record(
            action="obligations.interview_recorded",
            actor=actor,
            actor_role="manager",
            obj=duty,
            organisation=_org(duty.organisation_id),
        )
    return duty


def duty_close(*, actor: Any, duty: Duty, note: str = "") -> Duty:
    """HRM closes a duty that no longer applies (vervallen)."""
    _require_hrm(actor, duty.organisation_id)
    _require_open(duty)
    with transaction.atomic():
        duty.status = DutyStatus.CLOSED
        duty.closed_on = _today()
        duty.recorded_by = actor
        if note:
            duty.note = note
        duty.save()
        audit_record(
            action="obligations.duty_closed",
            actor=actor,
            actor_role=Role.HRM,
            obj=duty,
            organisation=_org(duty.organisation_id),
        )
    return duty


def settings_update(
    *, actor: Any, organisation_id: int, changes: dict[str, Any]
) -> ObligationSettings:
    """HRM sets the organisation's rules (windows, terms, which duty for whom, texts)."""
    _require_hrm(actor, organisation_id)
    allowed = {f.name for f in ObligationSettings._meta.fields} - {"id", "organisation"}
    with transaction.atomic():
        rules, _created = ObligationSettings.objects.select_for_update().get_or_create(
            organisation_id=organisation_id
        )
        for name, value in changes.items():
            if name not in allowed - {"declaration_version"}:
                raise ValueError(name)
            if name == "declaration_text" and value != rules.declaration_text:
                # A new text is a new version: acknowledgements name the one they read.
                rules.declaration_version += 1
            setattr(rules, name, value)
        rules.full_clean()
        rules.save()
        audit_record(
            action="obligations.settings_changed",
            actor=actor,
            actor_role=Role.HRM,
            obj=rules,
            organisation=_org(organisation_id),
        )
    return rules


def oath_form_render(*, actor: Any, duty: Duty) -> bytes:
    """The oath form as a PDF for HRM to print and sign; the printing is audited."""
    _require_hrm(actor, duty.organisation_id)
    if duty.kind != DutyKind.OATH:
        raise ValidationError(_("Deze verplichting is van een andere soort."))
    content = oath_form_pdf(duty)
    oath_form_printed(actor=actor, duty=duty)
    return content


def oath_form_printed(*, actor: Any, duty: Duty) -> None:
    """Audit the printing of an oath form (it carries the employee's details)."""
    _require_hrm(actor, duty.organisation_id)
    with transaction.atomic():
        audit_record(
            action="obligations.oath_form_printed",
            actor=actor,
            actor_role=Role.HRM,
            obj=duty,
            organisation=_org(duty.organisation_id),
        )


def declaration_form_render(*, actor: Any, duty: Duty) -> bytes:
    """The integriteitsverklaring as a PDF for HRM to print and have signed (R-AW-4,
    seed 3.2.5: "signed the same way" as the oath form); the printing is audited."""
    _require_hrm(actor, duty.organisation_id)
    if duty.kind != DutyKind.DECLARATION:
        raise ValidationError(_("Deze verplichting is van een andere soort."))
    content = declaration_form_pdf(duty)
    with transaction.atomic():
        audit_record(
            action="obligations.declaration_form_printed",
            actor=actor,
            actor_role=Role.HRM,
            obj=duty,
            organisation=_org(duty.organisation_id),
        )
    return content

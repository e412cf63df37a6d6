"""Every write of the Meldpunt: one transaction each, permission-checked and audited.

Content never reaches the audit log, an exception message or an e-mail: events name the
case, e-mails say only that there is news (STYLE habit 5).
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.audit.constants import Origin, Result
from integritas.audit.services import audit_record
from integritas.core import crypto
from integritas.organisations.models import Employee, Organisation

from . import tasks, vault
from .constants import (
    CLOSED_STATUSES,
    Channel,
    DisclosureGround,
    DisclosureRecipient,
    IdentityMode,
    MessageDirection,
    Status,
    SubstituteRole,
)
from .models import (
    Attachment,
    Case,
    CaseHandler,
    CaseMessage,
    CaseNote,
    EvidenceItem,
    IntakeSubmission,
    IntervieweeRole,
    InvestigationKind,
    InvestigationRecord,
    InvolvedPerson,
    ProtectionLogEntry,
    Referral,
    ReporterIdentity,
    Substitute,
)
from .permissions import CaseAccess
from .selectors import case_access, person_index
from .workflow import TRANSITIONS

RECEIPT_DIGITS = 16
RECEIPT_KEEP = datetime.timedelta(minutes=30)


@dataclass(frozen=True)
class Submission:
    case: Case
    receipt_code: str | None  # None when a repeated submit comes after the reporter saved it
    repeated: bool = False


def receipt_code_new() -> str:
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def receipt_code_normalise(value: str) -> str | None:
    """Digits only, exactly 16 of them; anything else is malformed (None)."""
    digits = "".join(ch for ch in value if ch not in " -")
    if len(digits) != RECEIPT_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def _token_hash(form_token: str) -> str:
    return hashlib.sha256(form_token.encode()).hexdigest()


def _next_sequence(organisation: Organisation, year: int) -> int:
    # The organisation row lock serialises numbering per organisation.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    last = (
        Case.objects.filter(organisation=organisation, year=year)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    return (last or 0) + 1


def _create_sealed[Sealed: models.Model](
    model: type[Sealed], case: Case, sealed: dict[str, tuple[str, str]], **fields: Any
) -> Sealed:
    """Create a row of `case` whose encrypted fields are bound to the row itself.

    The associated data of each ciphertext names the row's primary key, so the row is
    written first with empty ciphertexts and sealed right after, in the caller's
    transaction. `sealed` maps each encrypted field to (vault context, plaintext).
    """
    row = model._default_manager.create(case=case, **fields, **dict.fromkeys(sealed, b""))
    for name, (context, text) in sealed.items():
        setattr(row, name, vault.seal(case, context, text, row=row.pk))
    row.save(update_fields=list(sealed))
    return row


def form_token_used(form_token: str | None) -> bool:
    """Whether a case was made with this form token already (a repeat, not a new report)."""
    return bool(form_token) and (
        IntakeSubmission.objects.filter(token_hash=_token_hash(form_token or "")).exists()
    )


def _repeated_submission(form_token: str) -> Submission | None:
    existing = (
        IntakeSubmission.objects.select_related("case", "case__organisation")
        .filter(token_hash=_token_hash(form_token))
        .first()
    )
    if existing is None:
        return None
    receipt = None
    if existing.receipt_enc and existing.expires_at > timezone.now():
        receipt = vault.unseal(existing.case, "intake_receipt", existing.receipt_enc)
    return Submission(case=existing.case, receipt_code=receipt, repeated=True)


def case_submit(
    *,
    organisation: Organisation,
    kind: str,
    description: str,
    identity_mode: str,
    channel: str = Channel.WEB,
    category: str = "",
    reporter_relation: str = "",
    details: dict[str, str] | None = None,
    involved: list[str] | None = None,
    identity: dict[str, str] | None = None,
    notify_email: str = "",
    consent_investigators: bool = False,
    consent_secretary: bool = False,
    form_token: str | None = None,
    recorded_by: Any = None,
    cheap_receipt: bool = False,
    concerns_role: str = "",
) -> Submission:
    """Receive a report. The receipt code exists in clear only in the return value.

    `recorded_by` is the manager or coordinator who records an oral, phone or e-mail report;
    web and API reports have no actor, so nothing links an anonymous report to a login.
    `concerns_role` is the reporter's word that the report concerns a holder of that role
    (a SubstituteRole): the organisation's substitute receives it instead (seed 5.2).
    """
    if identity_mode == IdentityMode.ANONYMOUS and not organisation.anonymous_reporting_enabled:
        raise ValidationError(
            {"identity_mode": _("Anoniem melden is bij deze organisatie niet mogelijk.")}
        )
    if not description.strip():
        raise ValidationError({"description": _("Beschrijf wat er is gebeurd.")})
    if concerns_role and not substitutes_designated(organisation, concerns_role):
        raise ValidationError(
            {"concerns_role": _("Voor deze organisatie is daarvoor geen vervanger aangewezen.")}
        )
    if identity_mode == IdentityMode.ANONYMOUS:
        identity, consent_investigators, consent_secretary = None, False, False
    if form_token:
        repeated = _repeated_submission(form_token)
        if repeated is not None:
            return repeated
    now = timezone.now()
    intake_receipts_expire(now)
    receipt = receipt_code_new()
    try:
        with transaction.atomic():
            case = Case(
                organisation=organisation,
                year=now.year,
                sequence=_next_sequence(organisation, now.year),
                kind=kind,
                category=category,
                identity_mode=identity_mode,
                reporter_relation=reporter_relation,
                channel=channel,
                received_at=now,
                receipt_lookup=crypto.receipt_lookup_hash(receipt, cheap=cheap_receipt),
            )
            case.case_number = f"{organisation.case_prefix}-{case.year}-{case.sequence:04d}"
            vault.case_new_key(case)
            case.description_enc = vault.seal(case, "description", description)
            case.details_enc = vault.seal_json(case, "details", details or {})
            case.save(force_insert=True)
            ReporterIdentity.objects.create(
                case=case,
                identity_enc=vault.seal_json(case, "identity", identity or {}),
                notify_email_enc=vault.seal(case, "notify_email", notify_email.strip()),
                consent_investigators=consent_investigators,
                consent_secretary=consent_secretary,
            )
            for text in involved or []:
                if text.strip():
                    _create_sealed(InvolvedPerson, case, {"description_enc": ("involved", text)})
            if concerns_role:
                _route_to_substitutes(case, concerns_role)
            if form_token:
                IntakeSubmission.objects.create(
                    token_hash=_token_hash(form_token),
                    case=case,
                    receipt_enc=vault.seal(case, "intake_receipt", receipt),
                    expires_at=now + RECEIPT_KEEP,
                )
            audit_record(
                action="case.submit",
                actor=recorded_by,
                obj=case,
                organisation=organisation,
                origin=Origin.API if channel == Channel.API else Origin.WEB,
            )
            # Robust: the case is committed; a failing queue or e-mail must not cost the
            # reporter the answer that carries their receipt code.
            tasks.enqueue_on_commit(tasks.notify_new_case, case.pk)
    except IntegrityError:
        if form_token:
            repeated = _repeated_submission(form_token)
            if repeated is not None:
                return repeated
        raise
    return Submission(case=case, receipt_code=receipt)


def intake_receipt_forget(*, form_token: str) -> None:
    """The reporter confirmed they saved the code: drop the only other copy."""
    IntakeSubmission.objects.filter(token_hash=_token_hash(form_token)).update(receipt_enc=b"")


def intake_receipts_expire(now: datetime.datetime | None = None) -> int:
    """Drop every copy of a receipt code whose time for a repeated submit is up.

    A copy whose reporter never confirmed must not outlive `RECEIPT_KEEP`: with the master
    key and the database it would open the reporter's mailbox. Runs on every submit and in
    `purge_expired`, so no copy depends on a scheduled job alone.
    """
    expired = IntakeSubmission.objects.filter(expires_at__lte=now or timezone.now())
    return expired.exclude(receipt_enc=b"").update(receipt_enc=b"")


# --- workflow -----------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _locked(case: Case) -> Case:
    locked = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    # Keep the unwrapped data key of the caller's object.
    if hasattr(case, "_integritas_data_key"):
        locked._integritas_data_key = case._integritas_data_key  # type: ignore[attr-defined]
    return locked


def _require_investigation_complete(case: Case) -> None:
    """Before the report goes to the secretary: the report is recorded, and a person
    concerned who is known has been heard on the findings (hoor en wederhoor)."""
    records = InvestigationRecord.objects.filter(case=case)
    problems = []
    if not records.filter(kind=InvestigationKind.REPORT).exists():
        problems.append(
            _(
                "Leg eerst het onderzoeksrapport vast: een onderzoeksstuk van de soort "
                "'Onderzoeksrapport'."
            )
        )
    heard = records.filter(
        kind=InvestigationKind.INTERVIEW,
        interviewee_role=IntervieweeRole.SUBJECT,
        hoor_en_wederhoor=True,
    )
    if case.involved.exists() and not heard.exists():
        problems.append(
            _(
                "De betrokkene is nog niet gehoord met hoor en wederhoor: leg eerst het "
                "verslag van dat gehoor vast."
            )
        )
    if problems:
        raise ValidationError(problems)


def case_transition(*, actor: Any, case: Case, name: str) -> Case:
    """Move a case along the table in workflow.py; validated, locked, audited."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(_("Onbekende stap."))
    with transaction.atomic():
        locked = _locked(case)
        access = case_access(actor, locked)
        if transition.role == Role.SECRETARY:
            _require(access.as_secretary)
        else:
            _require(access.as_coordinator)
        if locked.status not in transition.sources:
            raise ValidationError(
                _("Deze stap kan niet vanuit de status '%(status)s'.")
                % {"status": locked.get_status_display()}
            )
        if transition.needs_feedback and locked.feedback_given_at is None:
            raise ValidationError(_("Sluit pas af nadat de melder terugkoppeling heeft gekregen."))
        if transition.needs_report:
            _require_investigation_complete(locked)
        now = timezone.now()
        locked.status = transition.target
        if name == "acknowledge":
            locked.acknowledged_at = now
            locked.acknowledged_by = actor
        elif name in ("approve_investigation", "reject_investigation"):
            locked.investigation_decided_by = actor
            locked.investigation_decided_at = now
        elif name == "decide":
            if not locked.finding:
                raise ValidationError(_("Leg eerst de bevinding en maatregelen vast."))
            locked.decided_by = actor
            locked.decided_at = now
        if transition.target in CLOSED_STATUSES:
            locked.closed_at = now
            locked.retain_until = retention_until(locked, now.date())
        locked.save()
        audit_record(
            action=f"case.{name}",
            actor=actor,
            actor_role=transition.role,
            obj=locked,
            organisation=locked.organisation,
        )
        if name == "request_approval":
            tasks.enqueue_on_commit(tasks.notify_approval_requested, locked.pk)
    return locked


def retention_years(case: Case) -> int:
    """R-DP-2: configurable per outcome and type of case (see conf/base.py).

    A disciplinary measure keeps the case WITH_MEASURE years (10 by default), whatever
    else is set. Otherwise the period for the finding (`none`: closed without an
    investigation) applies, then the one for the kind, then WITHOUT_MEASURE (5)."""
    if any(m not in ("none", "") for m in case.measures):
        return int(settings.INTEGRITAS_RETENTION_YEARS_WITH_MEASURE)
    by_finding = settings.INTEGRITAS_RETENTION_YEARS_BY_FINDING
    by_kind = settings.INTEGRITAS_RETENTION_YEARS_BY_KIND
    finding = case.finding or "none"
    if finding in by_finding:
        return int(by_finding[finding])
    if case.kind in by_kind:
        return int(by_kind[case.kind])
    return int(settings.INTEGRITAS_RETENTION_YEARS_WITHOUT_MEASURE)


def retention_until(case: Case, closed_on: datetime.date) -> datetime.date:
    """The date after which `integritas purge_expired` may delete the closed case."""
    years = retention_years(case)
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:  # 29 February
        return closed_on.replace(year=closed_on.year + years, day=28)


def case_record_decision(
    *, actor: Any, case: Case, finding: str, measures: list[str], note: str = ""
) -> Case:
    """The secretary's finding and measures; then the 'decide' transition records it."""
    with transaction.atomic():
        locked = _locked(case)
        _require(case_access(actor, locked).as_secretary)
        if locked.status != Status.REPORTED_TO_SECRETARY:
            raise ValidationError(_("Een besluit volgt op het onderzoeksrapport."))
        locked.finding = finding
        locked.measures = sorted(set(measures)) or ["none"]
        locked.decision_note_enc = vault.seal(locked, "decision_note", note)
        locked.save(update_fields=["finding", "measures", "decision_note_enc", "updated_at"])
        audit_record(
            action="case.decision",
            actor=actor,
            actor_role=Role.SECRETARY,
            obj=locked,
            organisation=locked.organisation,
        )
    return case_transition(actor=actor, case=locked, name="decide")


def case_assess(
    *,
    actor: Any,
    case: Case,
    category: str,
    is_wbk_wrongdoing: bool,
    is_eu_law_breach: bool,
    is_possible_offence: bool,
    concerns_political_office_holder: bool,
) -> Case:
    """The coordinator's classification, independent of the reporter's own kind."""
    with transaction.atomic():
        locked = _locked(case)
        _require(case_access(actor, locked).as_coordinator)
        newly_possible_offence = is_possible_offence and not locked.is_possible_offence
        locked.category = category
        locked.is_wbk_wrongdoing = is_wbk_wrongdoing
        locked.is_eu_law_breach = is_eu_law_breach
        locked.is_possible_offence = is_possible_offence
        locked.concerns_political_office_holder = concerns_political_office_holder
        locked.save()
        audit_record(
            action="case.assess",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
        if newly_possible_offence:
            tasks.enqueue_on_commit(tasks.notify_aangifte_decision_needed, locked.pk)
    return locked


# --- messages and notes -------------------------------------------------------------


def case_message_to_reporter(
    *,
    actor: Any,
    case: Case,
    body: str,
    is_feedback: bool = False,
    needs_approval: bool = False,
) -> CaseMessage:
    """A message the reporter reads in the mailbox; `is_feedback` records R-WBK-4 feedback.

    `needs_approval` marks it as minutes (verslag) the reporter may approve (R-WBK-8). New
    minutes replace earlier ones that still await approval: those stay in the mailbox,
    marked as replaced, and can no longer be approved.
    """
    if not body.strip():
        raise ValidationError({"body": _("Schrijf een bericht.")})
    with transaction.atomic():
        locked = _locked(case)
        _require(case_access(actor, locked).as_coordinator)
        if needs_approval:
            CaseMessage.objects.filter(
                case=locked,
                needs_approval=True,
                approved_at__isnull=True,
                superseded_at__isnull=True,
            ).update(superseded_at=timezone.now())
        message = _create_sealed(
            CaseMessage,
            locked,
            {"body_enc": ("message", body)},
            direction=MessageDirection.TO_REPORTER,
            author=actor,
            needs_approval=needs_approval,
        )
        if is_feedback and locked.feedback_given_at is None:
            locked.feedback_given_at = message.created_at
            locked.save(update_fields=["feedback_given_at", "updated_at"])
        audit_record(
            action="case.feedback" if is_feedback else "case.message",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
        tasks.enqueue_on_commit(tasks.notify_news_for_reporter, locked.pk)
    return message


def case_reporter_reply(*, case: Case, body: str, is_correction: bool = False) -> CaseMessage:
    """The reporter answers from the mailbox: no actor, nothing about the client kept.

    `is_correction` labels the reply as a correction of the minutes (R-WBK-8).
    """
    if not body.strip():
        raise ValidationError({"body": _("Schrijf een bericht.")})
    with transaction.atomic():
        message = _create_sealed(
            CaseMessage,
            case,
            {"body_enc": ("message", body)},
            direction=MessageDirection.FROM_REPORTER,
            is_correction=is_correction,
        )
        audit_record(action="case.reporter_reply", obj=case, organisation=case.organisation)
        tasks.enqueue_on_commit(tasks.notify_reporter_replied, case.pk)
    return message


def case_minutes_approve(*, case: Case, message: CaseMessage) -> CaseMessage:
    """The reporter approves the minutes of their oral report from the mailbox (R-WBK-8).

    Only minutes of this case that await approval; approving twice is refused. No actor
    and nothing about the client is kept; the audit event names only the case.
    """
    with transaction.atomic():
        locked = (
            CaseMessage.objects.select_for_update()
            .filter(pk=message.pk, case=case, direction=MessageDirection.TO_REPORTER)
            .first()
        )
        if locked is None or not locked.needs_approval:
            raise ValidationError(_("Dit bericht is geen verslag om goed te keuren."))
        if locked.approved_at is not None:
            raise ValidationError(_("U heeft dit verslag al goedgekeurd."))
        if locked.superseded_at is not None:
            raise ValidationError(
                _("Dit verslag is vervangen door een nieuwere versie; keur die versie goed.")
            )
        locked.approved_at = timezone.now()
        locked.save(update_fields=["approved_at", "updated_at"])
        audit_record(action="case.minutes_approved", obj=case, organisation=case.organisation)
        tasks.enqueue_on_commit(tasks.notify_reporter_replied, case.pk)
    return locked


def case_add_note(*, actor: Any, case: Case, body: str) -> CaseNote:
    if not body.strip():
        raise ValidationError({"body": _("Schrijf een notitie.")})
    with transaction.atomic():
        _require(_any_handler(case_access(actor, case)))
        note = _create_sealed(CaseNote, case, {"body_enc": ("note", body)}, author=actor)
        audit_record(action="case.note", actor=actor, obj=case, organisation=case.organisation)
    return note


def _any_handler(access: CaseAccess) -> bool:
    return access.as_coordinator or access.as_secretary or access.as_investigator


# --- people -------------------------------------------------------------------------


def case_link_involved(
    *, actor: Any, case: Case, employee: Employee, description: str
) -> InvolvedPerson:
    """Name an employee as involved. Stored as a blind index: who it is stays unreadable.

    When the person holds a role that would handle the case, the organisation's
    designated substitute takes over (seed 5.2) and the person loses sight of it.
    """
    with transaction.atomic():
        locked = _locked(case)
        _require(case_access(actor, locked).as_coordinator)
        person = _create_sealed(
            InvolvedPerson,
            locked,
            {"description_enc": ("involved", description)},
            blind_index=person_index(employee.organisation.slug, employee.personnel_number),
        )
        if employee.user_id is not None:
            CaseHandler.objects.filter(case=locked, user_id=employee.user_id).update(active=False)
            _assign_substitutes(locked, employee)
        audit_record(
            action="case.involved_linked",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
    return person


def substitutes_designated(organisation: Organisation, role: str) -> bool:
    """Whether the organisation has an active substitute for `role` (a SubstituteRole)."""
    return Substitute.objects.filter(
        organisation=organisation, replaces_role=role, status=AssignmentStatus.ACTIVE
    ).exists()


def _route_to_substitutes(case: Case, role: str) -> None:
    """The reporter says the report concerns a holder of `role`; not knowing which one,
    every holder for the organisation is named as involved (a blind index, as always),
    so none of them sees the case, and the organisation's substitutes take it over.
    case_submit has checked that there is a substitute."""
    from integritas.accounts.models import RoleAssignment

    holders = RoleAssignment.objects.filter(
        models.Q(organisation=case.organisation) | models.Q(region_id=case.organisation.region_id),
        role=role,
        status=AssignmentStatus.ACTIVE,
    ).values("user_id")
    label = _("%(role)s, volgens de melder") % {"role": SubstituteRole(role).label}
    employees = Employee.objects.filter(user_id__in=holders).select_related("organisation")
    for employee in employees:
        _create_sealed(
            InvolvedPerson,
            case,
            {"description_enc": ("involved", label)},
            blind_index=person_index(employee.organisation.slug, employee.personnel_number),
        )
    for substitute in Substitute.objects.filter(
        organisation=case.organisation, replaces_role=role, status=AssignmentStatus.ACTIVE
    ):
        CaseHandler.objects.get_or_create(
            case=case, user=substitute.user, role=_substitute_handler_role(role), active=True
        )


def _assign_substitutes(case: Case, employee: Employee) -> None:
    from integritas.accounts.selectors import user_roles

    roles = user_roles(employee.user)
    for role in (Role.INTEGRITY_COORDINATOR, Role.SECRETARY, Role.INTEGRITY_OFFICER):
        if not roles.has(role, case.organisation_id):
            continue
        for substitute in Substitute.objects.filter(
            organisation=case.organisation, replaces_role=role, status=AssignmentStatus.ACTIVE
        ).exclude(user=employee.user):
            handler_role = _substitute_handler_role(role)
            CaseHandler.objects.get_or_create(
                case=case, user=substitute.user, role=handler_role, active=True
            )


def case_assign_investigator(*, actor: Any, case: Case, user: Any) -> CaseHandler:
    """Assign an investigator; never someone named as involved (R-WBK-7)."""
    from integritas.accounts.selectors import user_roles

    with transaction.atomic():
        locked = _locked(case)
        _require(case_access(actor, locked).as_coordinator)
        if not user_roles(user).has(Role.INVESTIGATOR, locked.organisation_id):
            raise ValidationError(_("Deze persoon heeft geen rol als onderzoeker hier."))
        if case_access(user, locked).involved:
            raise ValidationError(
                _("Deze persoon is betrokken bij de melding en kan er niet aan werken.")
            )
        handler, _created = CaseHandler.objects.get_or_create(
            case=locked, user=user, role=Role.INVESTIGATOR, active=True
        )
        audit_record(
            action="case.assign_investigator",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
    return handler


def case_reveal_identity(*, actor: Any, case: Case, reason: str) -> dict[str, Any]:
    """Open the identity vault: the coordinator only, with a reason, always audited."""
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": _("Geef een reden (minstens 10 tekens).")})
    with transaction.atomic():
        _require(case_access(actor, case).as_coordinator)
        identity = ReporterIdentity.objects.get(case=case)
        reveal_note = _("Identiteit ingezien. Reden: %(reason)s") % {"reason": reason}
        _create_sealed(CaseNote, case, {"body_enc": ("note", reveal_note)}, author=actor)
        audit_record(
            action="case.identity_reveal",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=case,
            organisation=case.organisation,
        )
    data = vault.unseal_json(case, "identity", identity.identity_enc)
    data["consent_investigators"] = identity.consent_investigators
    data["consent_secretary"] = identity.consent_secretary
    return data


# --- records at any point -----------------------------------------------------------


def case_record_aangifte(
    *, actor: Any, case: Case, decision: bool, date: datetime.date | None, reference: str
) -> Case:
    """R-EXT-3: the decision on aangifte, its date and the police reference."""
    with transaction.atomic():
        locked = _locked(case)
        access = case_access(actor, locked)
        _require(access.as_secretary or access.as_coordinator)
        if decision and date is None:
            raise ValidationError({"aangifte_date": _("Vul de datum van de aangifte in.")})
        locked.aangifte_decision = decision
        locked.aangifte_date = date if decision else None
        locked.police_reference = reference.strip() if decision else ""
        locked.save()
        audit_record(
            action="case.aangifte", actor=actor, obj=locked, organisation=locked.organisation
        )
    return locked


def case_record_referral(
    *, actor: Any, case: Case, body: str, referred_on: datetime.date, notes: str = ""
) -> Referral:
    """R-EXT-1, R-EXT-2: a referral to an external body, at any point."""
    with transaction.atomic():
        _require(case_access(actor, case).as_coordinator)
        referral = _create_sealed(
            Referral,
            case,
            {"notes_enc": ("referral", notes)},
            body=body,
            referred_on=referred_on,
            recorded_by=actor,
        )
        audit_record(action="case.referral", actor=actor, obj=case, organisation=case.organisation)
    return referral


def case_record_referral_outcome(
    *,
    actor: Any,
    case: Case,
    referral: Referral,
    advice_on: datetime.date | None,
    advice: str,
    decision_on: datetime.date | None,
    decision: str,
) -> Referral:
    """R-EXT-1: the advice that came back (LKOG) and the employer's decision on it.

    Added to the referral when it arrives, weeks or months later; an empty field keeps
    what was recorded before."""
    errors: dict[str, str] = {}
    if advice.strip() and advice_on is None:
        errors["advice_on"] = _("Vul de datum van het advies in.")
    if decision.strip() and decision_on is None:
        errors["employer_decision_on"] = _("Vul de datum van het besluit in.")
    if not (advice.strip() or decision.strip()):
        errors["advice"] = _("Vul het advies of het besluit van de werkgever in.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(case)
        _require(case_access(actor, locked).as_coordinator)
        row = Referral.objects.select_for_update().filter(pk=referral.pk, case=locked).first()
        if row is None:
            raise ValidationError(_("Deze doorverwijzing hoort niet bij deze melding."))
        fields = []
        if advice.strip():
            row.advice_on = advice_on
            row.advice_enc = vault.seal(locked, "referral_advice", advice, row=row.pk)
            fields += ["advice_on", "advice_enc"]
        if decision.strip():
            row.employer_decision_on = decision_on
            row.employer_decision_enc = vault.seal(
                locked, "referral_decision", decision, row=row.pk
            )
            fields += ["employer_decision_on", "employer_decision_enc"]
        row.save(update_fields=[*fields, "updated_at"])
        audit_record(
            action="case.referral_outcome",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
    return row


def case_protection_log_add(
    *, actor: Any, case: Case, occurred_on: datetime.date, measure: str, reason: str
) -> ProtectionLogEntry:
    """R-WBK-12: a measure concerning a named or confidential reporter, with its reason."""
    if case.identity_mode == IdentityMode.ANONYMOUS:
        raise ValidationError(_("Bij een anonieme melding is de melder niet bekend."))
    if not measure.strip() or not reason.strip():
        raise ValidationError(_("Vul de maatregel en de reden in."))
    with transaction.atomic():
        _require(case_access(actor, case).as_coordinator)
        entry = _create_sealed(
            ProtectionLogEntry,
            case,
            {
                "measure_enc": ("protection_measure", measure),
                "reason_enc": ("protection_reason", reason),
            },
            occurred_on=occurred_on,
            recorded_by=actor,
        )
        audit_record(
            action="case.protection_log", actor=actor, obj=case, organisation=case.organisation
        )
    return entry


# --- retention ----------------------------------------------------------------------


def case_set_legal_hold(*, actor: Any, case: Case, on: bool) -> Case:
    """R-DP-2: a legal hold keeps a case from `integritas purge_expired`; the coordinator's."""
    with transaction.atomic():
        locked = _locked(case)
        _require(case_access(actor, locked).as_coordinator)
        if locked.legal_hold != on:
            locked.legal_hold = on
            locked.save(update_fields=["legal_hold", "updated_at"])
            audit_record(
                action="case.legal_hold_set" if on else "case.legal_hold_lifted",
                actor=actor,
                actor_role=Role.INTEGRITY_COORDINATOR,
                obj=locked,
                organisation=locked.organisation,
            )
    return locked


# --- other channels (R-WBK-2, R-WBK-8) ----------------------------------------------

RECORDING_CHANNELS = frozenset({Channel.PHONE, Channel.EMAIL, Channel.IN_PERSON})


def case_record_report(
    *,
    actor: Any,
    organisation: Organisation,
    channel: str,
    minutes: str = "",
    **intake: Any,
) -> Submission:
    """A report received orally, by phone, e-mail or in person, recorded by a person.

    A manager records what an employee told them (channel "manager", R-LR-2) for their
    own organisation and never sees the case afterwards. The coordinator records phone,
    e-mail and in-person reports; their minutes (verslag) become the first internal note
    and a message in the reporter's mailbox, so the reporter can check, correct and
    approve them (R-WBK-8). One transaction: no case without its minutes.
    """
    from integritas.accounts.selectors import user_roles

    roles = user_roles(actor)
    if channel == Channel.MANAGER:
        employee = roles.employee
        own_organisation = employee is not None and employee.organisation_id == organisation.pk
        _require(roles.is_manager and own_organisation)
        minutes = ""
    elif channel in RECORDING_CHANNELS:
        _require(roles.has(Role.INTEGRITY_COORDINATOR, organisation))
    else:
        raise ValidationError({"channel": _("Kies hoe de melding binnenkwam.")})
    with transaction.atomic():
        submission = case_submit(
            organisation=organisation, channel=channel, recorded_by=actor, **intake
        )
        if minutes.strip() and not submission.repeated:
            case_add_note(actor=actor, case=submission.case, body=minutes)
            case_message_to_reporter(
                actor=actor,
                case=submission.case,
                needs_approval=True,
                body=_(
                    "Verslag van uw melding. Controleer het verslag en laat hier weten of het "
                    "klopt of wat er anders moet.\n\n%(minutes)s"
                )
                % {"minutes": minutes},
            )
    return submission


# --- disclosing the reporter's identity (R-WBK-7) -----------------------------------

DISCLOSURE_MIN_REASON = 10


def _consent_covers(identity: ReporterIdentity, recipient_kind: str) -> bool:
    if recipient_kind == DisclosureRecipient.INVESTIGATORS:
        return identity.consent_investigators
    if recipient_kind == DisclosureRecipient.SECRETARY:
        return identity.consent_secretary
    return False  # an external party is never covered by the consent the intake asks


def case_disclose_identity(
    *,
    actor: Any,
    case: Case,
    recipient_kind: str,
    recipient: str,
    ground: str,
    reason: str,
    notice_to_reporter: str = "",
) -> CaseNote:
    """Record that the coordinator shares the reporter's identity with someone (R-WBK-7).

    Only with the reporter's explicit consent for that kind of recipient, or under a legal
    duty; then the reporter is first told, with reasons, through the mailbox: the notice
    is written before the disclosure in the same transaction, and its e-mail goes out on
    commit. The disclosure is an encrypted note; the audit event names only the case.
    """
    errors: dict[str, str] = {}
    if recipient_kind not in DisclosureRecipient.values:
        errors["recipient_kind"] = _("Kies met wie de identiteit wordt gedeeld.")
    if not recipient.strip():
        errors["recipient"] = _("Vul in met wie de identiteit wordt gedeeld.")
    if ground not in DisclosureGround.values:
        errors["ground"] = _("Kies de grond: toestemming of een wettelijke plicht.")
    if len(reason.strip()) < DISCLOSURE_MIN_REASON:
        errors["reason"] = _("Geef een reden (minstens 10 tekens).")
    if ground == DisclosureGround.LEGAL_DUTY and not notice_to_reporter.strip():
        errors["notice_to_reporter"] = _(
            "Bij een wettelijke plicht moet de melder vooraf met redenen worden ingelicht: "
            "schrijf het bericht aan de melder."
        )
    with transaction.atomic():
        locked = _locked(case)
        _require(case_access(actor, locked).as_coordinator)
        if locked.identity_mode == IdentityMode.ANONYMOUS:
            raise ValidationError(_("Bij een anonieme melding is geen identiteit vastgelegd."))
        if errors:
            raise ValidationError(errors)
        identity = ReporterIdentity.objects.get(case=locked)
        if ground == DisclosureGround.CONSENT and not _consent_covers(identity, recipient_kind):
            raise ValidationError(
                {
                    "ground": _(
                        "De melder heeft hiervoor geen toestemming gegeven. Delen kan dan "
                        "alleen bij een wettelijke plicht, na het vooraf inlichten van de melder."
                    )
                }
            )
        if notice_to_reporter.strip():
            # First the reporter is told (R-WBK-7), then the disclosure is recorded.
            case_message_to_reporter(actor=actor, case=locked, body=notice_to_reporter)
        text = _(
            "Identiteit gedeeld met %(recipient)s (%(kind)s), grond: %(ground)s. Reden: %(reason)s"
        ) % {
            "recipient": recipient.strip(),
            "kind": DisclosureRecipient(recipient_kind).label,
            "ground": DisclosureGround(ground).label,
            "reason": reason.strip(),
        }
        if notice_to_reporter.strip():
            text += "\n" + _("De melder is vooraf via het postvak ingelicht.")
        note = _create_sealed(CaseNote, locked, {"body_enc": ("note", text)}, author=actor)
        audit_record(
            action="case.identity_disclose",
            actor=actor,
            actor_role=Role.INTEGRITY_COORDINATOR,
            obj=locked,
            organisation=locked.organisation,
        )
    return note


# --- the formal investigation -------------------------------------------------------

INVESTIGATION_STATUSES = frozenset({Status.INVESTIGATION, Status.REPORTED_TO_SECRETARY})
SHA256_LENGTH = 64


def _investigating(actor: Any, case: Case) -> Case:
    """Lock the case and check that `actor` may record investigation work on it now."""
    locked = _locked(case)
    access = case_access(actor, locked)
    _require(access.as_coordinator or access.as_investigator)
    if locked.status not in INVESTIGATION_STATUSES:
        raise ValidationError(
            _("Dit kan alleen tijdens het onderzoek; de status is nu '%(status)s'.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _investigation_role(actor: Any, case: Case) -> str:
    access = case_access(actor, case)
    return Role.INTEGRITY_COORDINATOR if access.as_coordinator else Role.INVESTIGATOR


def case_add_investigation_record(
    *,
    actor: Any,
    case: Case,
    kind: str,
    occurred_on: datetime.date,
    body: str,
    hoor_en_wederhoor: bool = False,
    interviewee_role: str = "",
) -> InvestigationRecord:
    """A plan, the record of a hearing or the report; the text is stored encrypted."""
    if kind not in InvestigationKind.values:
        raise ValidationError({"kind": _("Kies het soort stuk.")})
    if not body.strip():
        raise ValidationError({"body": _("Vul de tekst van het stuk in.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("De datum ligt in de toekomst.")})
    if kind == InvestigationKind.INTERVIEW:
        if interviewee_role not in IntervieweeRole.values:
            raise ValidationError({"interviewee_role": _("Kies wie er is gehoord.")})
    else:
        hoor_en_wederhoor, interviewee_role = False, ""
    with transaction.atomic():
        locked = _investigating(actor, case)
        record = _create_sealed(
            InvestigationRecord,
            locked,
            {"body_enc": ("investigation_record", body)},
            kind=kind,
            occurred_on=occurred_on,
            recorded_by=actor,
            hoor_en_wederhoor=hoor_en_wederhoor,
            interviewee_role=interviewee_role,
        )
        audit_record(
            action=f"case.investigation_{kind}",
            actor=actor,
            actor_role=_investigation_role(actor, locked),
            obj=locked,
            organisation=locked.organisation,
        )
    return record


def case_add_evidence(
    *,
    actor: Any,
    case: Case,
    description: str,
    sha256: str = "",
    attachment: Attachment | None = None,
    recorded_on: datetime.date | None = None,
) -> EvidenceItem:
    """Evidence fixed by its SHA-256; an uploaded attachment of the case gives its own hash."""
    if not description.strip():
        raise ValidationError({"description": _("Beschrijf het bewijsstuk.")})
    given = sha256.strip().lower()
    if attachment is not None:
        if attachment.case_id != case.pk:
            raise ValidationError({"attachment": _("Deze bijlage hoort niet bij de melding.")})
        if given and given != attachment.sha256:
            raise ValidationError(
                {"sha256": _("De SHA-256 komt niet overeen met die van de bijlage.")}
            )
        given = attachment.sha256
    if len(given) != SHA256_LENGTH or any(ch not in "0123456789abcdef" for ch in given):
        raise ValidationError(
            {"sha256": _("Een SHA-256 bestaat uit 64 hexadecimale tekens (0-9, a-f).")}
        )
    recorded_on = recorded_on or timezone.localdate()
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("De datum ligt in de toekomst.")})
    with transaction.atomic():
        locked = _investigating(actor, case)
        item = _create_sealed(
            EvidenceItem,
            locked,
            {"description_enc": ("evidence", description)},
            sha256=given,
            attachment=attachment,
            recorded_by=actor,
            recorded_on=recorded_on,
        )
        audit_record(
            action="case.evidence",
            actor=actor,
            actor_role=_investigation_role(actor, locked),
            obj=locked,
            organisation=locked.organisation,
        )
    return item


def case_record_subject_informed(
    *,
    actor: Any,
    case: Case,
    informed_on: datetime.date | None,
    how: str = "",
    deferred_reason: str = "",
) -> Case:
    """AVG art. 14: the person concerned was informed (date and how), or informing them is
    deferred, with the reason, while it would harm the investigation (art. 14(5)(b) AVG,
    art. 41 UAVG). A deferral stays on record once they are informed."""
    if informed_on is not None:
        if not how.strip():
            raise ValidationError({"how": _("Vul in hoe de betrokkene is geïnformeerd.")})
        if informed_on > timezone.localdate():
            raise ValidationError({"informed_on": _("De datum ligt in de toekomst.")})
    elif not deferred_reason.strip():
        raise ValidationError(
            _(
                "Vul de datum in waarop de betrokkene is geïnformeerd en hoe, of de reden "
                "om het informeren uit te stellen."
            )
        )
    with transaction.atomic():
        locked = _investigating(actor, case)
        if informed_on is not None:
            locked.subject_informed_on = informed_on
            locked.subject_informed_how_enc = vault.seal(locked, "subject_informed_how", how)
            action = "case.subject_informed"
        else:
            if locked.subject_informed_on is not None:
                raise ValidationError(_("De betrokkene is al geïnformeerd."))
            locked.subject_information_deferred_reason_enc = vault.seal(
                locked, "subject_information_deferred_reason", deferred_reason
            )
            action = "case.subject_information_deferred"
        locked.save(
            update_fields=[
                "subject_informed_on",
                "subject_informed_how_enc",
                "subject_information_deferred_reason_enc",
                "updated_at",
            ]
        )
        audit_record(
            action=action,
            actor=actor,
            actor_role=_investigation_role(actor, locked),
            obj=locked,
            organisation=locked.organisation,
        )
    return locked


# --- substitutes (seed 5.2) ---------------------------------------------------------
#
# A substitute reads the cases that concern the person they replace, so designating one
# follows the four-eyes rule of the content roles (DESIGN §2, R-BIO-2): one administrator
# requests, another approves.


def _substitute_handler_role(replaces_role: str) -> str:
    return Role.SECRETARY if replaces_role == Role.SECRETARY else Role.INTEGRITY_COORDINATOR


def _administers(actor: Any, organisation_id: int) -> bool:
    from integritas.accounts.selectors import user_roles

    return user_roles(actor).has(Role.ADMINISTRATOR, organisation_id)


def _substitute_deny(action: str, actor: Any, obj: Any, organisation: Any, message: str) -> None:
    audit_record(
        action=action,
        actor=actor,
        actor_role=Role.ADMINISTRATOR,
        obj=obj,
        organisation=organisation,
        result=Result.DENIED,
    )
    raise PermissionDenied(message)


def substitute_request(
    *, actor: Any, organisation: Organisation, replaces_role: str, user: Any
) -> Substitute:
    """An administrator of the organisation proposes a substitute; it waits for a second."""
    if replaces_role not in SubstituteRole.values:
        raise ValidationError({"replaces_role": _("Kies een rol die vervangen kan worden.")})
    if not _administers(actor, organisation.pk):
        _substitute_deny(
            "substitute.request",
            actor,
            user,
            organisation,
            _("U beheert deze organisatie niet."),
        )
    if actor.pk == user.pk:
        _substitute_deny(
            "substitute.request",
            actor,
            user,
            organisation,
            _("U kunt uzelf niet als vervanger aanwijzen."),
        )
    with transaction.atomic():
        exists = Substitute.objects.filter(
            organisation=organisation,
            replaces_role=replaces_role,
            user=user,
            status__in=[AssignmentStatus.PENDING, AssignmentStatus.ACTIVE],
        ).exists()
        if exists:
            raise ValidationError(
                _("Deze persoon is hier al vervanger voor deze rol (of wacht op goedkeuring).")
            )
        substitute = Substitute.objects.create(
            organisation=organisation,
            replaces_role=replaces_role,
            user=user,
            status=AssignmentStatus.PENDING,
            requested_by=actor,
        )
        audit_record(
            action="substitute.request",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            obj=substitute,
            organisation=organisation,
        )
    return substitute


def can_decide_substitute(actor: Any, substitute: Substitute) -> bool:
    """Four eyes: another administrator of the organisation, not the designated person."""
    return (
        substitute.status == AssignmentStatus.PENDING
        and substitute.requested_by_id != actor.pk
        and substitute.user_id != actor.pk
        and _administers(actor, substitute.organisation_id)
    )


def substitute_decide(*, actor: Any, substitute: Substitute, approve: bool) -> Substitute:
    """The second administrator approves or rejects a pending designation."""
    action = "substitute.approve" if approve else "substitute.reject"
    with transaction.atomic():
        locked = Substitute.objects.select_for_update().get(pk=substitute.pk)
        allowed = can_decide_substitute(actor, locked)
        if allowed:
            locked.status = AssignmentStatus.ACTIVE if approve else AssignmentStatus.REJECTED
            locked.decided_by = actor
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
            audit_record(
                action=action,
                actor=actor,
                actor_role=Role.ADMINISTRATOR,
                obj=locked,
                organisation=locked.organisation,
            )
    if not allowed:
        _substitute_deny(
            action, actor, locked, locked.organisation, _("U kunt deze aanwijzing niet beoordelen.")
        )
    return locked


def substitute_revoke(*, actor: Any, substitute: Substitute) -> Substitute:
    """End a designation (or withdraw a pending one). The substitute loses the cases they
    handled only as substitute."""
    from integritas.accounts.selectors import user_roles

    if not _administers(actor, substitute.organisation_id):
        _substitute_deny(
            "substitute.revoke",
            actor,
            substitute,
            substitute.organisation,
            _("U beheert deze organisatie niet."),
        )
    with transaction.atomic():
        locked = Substitute.objects.select_for_update().get(pk=substitute.pk)
        if locked.status not in (AssignmentStatus.ACTIVE, AssignmentStatus.PENDING):
            raise ValidationError(_("Deze aanwijzing is niet meer actief."))
        was_active = locked.status == AssignmentStatus.ACTIVE
        locked.status = AssignmentStatus.REVOKED
        locked.decided_by = None if locked.requested_by_id == actor.pk else actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        handler_role = _substitute_handler_role(locked.replaces_role)
        same_handler_roles = [
            r for r in SubstituteRole.values if _substitute_handler_role(r) == handler_role
        ]
        still_substitute = Substitute.objects.filter(
            organisation_id=locked.organisation_id,
            user_id=locked.user_id,
            replaces_role__in=same_handler_roles,
            status=AssignmentStatus.ACTIVE,
        ).exists()
        holds_role = user_roles(locked.user).has(handler_role, locked.organisation_id)
        if was_active and not still_substitute and not holds_role:
            CaseHandler.objects.filter(
                user_id=locked.user_id,
                case__organisation_id=locked.organisation_id,
                role=handler_role,
                active=True,
            ).update(active=False)
        audit_record(
            action="substitute.revoke",
            actor=actor,
            actor_role=Role.ADMINISTRATOR,
            obj=locked,
            organisation=locked.organisation,
        )
    return locked

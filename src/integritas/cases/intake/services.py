"""Receiving a report: the case, its receipt code and the copy kept for one answer.

The receipt code exists in clear only in the return value of case_submit, and sealed in
IntakeSubmission until one answer has taken it (`intake_receipt_take`, at most
`RECEIPT_KEEP`): the web's receipt page or the API's reply, whichever comes first after a
lost answer or a double click. A repeated submit never gets the code back by itself
(docs/adr/0005-receipt-code-shown-once.md).
`intake_submit` is the public Meldpunt's whole intake (files, flood defence, repeat,
case), the same for the web page and the API, which only turn its result into an answer.
"""

import datetime
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.cases import vault
from integritas.cases.attachments.storage import attachment_store
from integritas.cases.constants import Channel, IdentityMode, IntakeHold
from integritas.cases.models import Case, IntakeSubmission, InvolvedPerson, ReporterIdentity
from integritas.cases.notices import tasks
from integritas.cases.substitutes.services import route_to_substitutes, substitutes_designated
from integritas.cases.writes import create_sealed
from integritas.core import crypto
from integritas.core.files.validation import attachment_validate
from integritas.organisations.models import Organisation

from . import budget

RECEIPT_DIGITS = 16
# How long the sealed copy waits for the one answer that shows the code: the reporter's
# browser follows the redirect at once; this only covers a retry after a lost answer.
RECEIPT_KEEP = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Submission:
    case: Case
    # In clear only for the submit that made the case; a repeat gets None, and only
    # `intake_receipt_take` hands out the kept copy, once.
    receipt_code: str | None
    repeated: bool = False


@dataclass(frozen=True)
class IntakeRefused:
    """The report or a file is not acceptable; nothing was stored.

    `errors` has an error_dict (per field of case_submit) or a plain list (the files).
    """

    errors: ValidationError


@dataclass(frozen=True)
class IntakeProofRefused:
    """The proof of work sent with the report is forged, expired or used; nothing stored.

    Only a source over its budget is asked for one (budget.py); without any proof its
    report would have gone to the held queue instead.
    """


PROOF_REFUSED_MESSAGE = _(
    "De controle van uw browser is niet gelukt of verlopen. Uw melding is niet verstuurd; "
    "alles wat u invulde staat er nog. Verstuur opnieuw."
)


type IntakeResult = Submission | IntakeRefused | IntakeProofRefused


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


def form_token_used(form_token: str | None) -> bool:
    """Whether a case was made with this form token already (a repeat, not a new report)."""
    return bool(form_token) and (
        IntakeSubmission.objects.filter(token_hash=_token_hash(form_token or "")).exists()
    )


def _repeated_submission(form_token: str) -> Submission | None:
    """The case this token made already: a repeat, which never carries the code itself."""
    existing = (
        IntakeSubmission.objects.select_related("case", "case__organisation")
        .filter(token_hash=_token_hash(form_token))
        .first()
    )
    if existing is None:
        return None
    return Submission(case=existing.case, receipt_code=None, repeated=True)


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
    intake_hold: str = IntakeHold.NONE,
) -> Submission:
    """Receive a report. The receipt code exists in clear only in the return value.

    `recorded_by` is the manager or coordinator who records an oral, phone or e-mail report;
    web and API reports have no actor, so nothing links an anonymous report to a login.
    `concerns_role` is the reporter's word that the report concerns a holder of that role
    (a SubstituteRole): the organisation's substitute receives it instead (seed 5.2).
    `intake_hold`: the flood defence put the report in the held queue (budget.py).
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
                intake_hold=intake_hold,
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
                    create_sealed(InvolvedPerson, case, {"description_enc": ("involved", text)})
            if concerns_role:
                route_to_substitutes(case, concerns_role)
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
            # In the case's transaction: no case without its notice. The e-mail itself goes
            # out later, from the worker, so a failing mail server cannot cost the
            # reporter the answer that carries their receipt code.
            tasks.enqueue_in_transaction(tasks.notify_new_case, case.pk)
    except IntegrityError:
        if form_token:
            repeated = _repeated_submission(form_token)
            if repeated is not None:
                return repeated
        raise
    return Submission(case=case, receipt_code=receipt)


def intake_submit(
    *,
    report: Mapping[str, Any],
    channel: str = Channel.WEB,
    uploads: Sequence[UploadedFile] = (),
    keep_filenames: bool = False,
    source: str = "",
    proof: str = "",
) -> IntakeResult:
    """A report from the public Meldpunt (web page or API), with its files if any.

    The files get neutral names unless the reporter chose to keep theirs
    (`keep_filenames`; cases/attachments/storage.py).

    `report` holds the keyword arguments of `case_submit` from the channel's validated
    input, its `form_token` included. `source` is the client's address, only ever hashed
    for the flood defence's per-source budget (budget.py); `proof` the altcha payload.

    The order is part of the contract: the files are checked first, then the flood
    defence (a repeat of a report received before is not counted: it makes no new case),
    which never refuses: a report over budget without proof of work is held for the
    coordinator; only a proof that is forged or used before is refused, keeping what was
    typed. Then the case and its files in one transaction, so that a file that cannot be
    stored leaves no case behind.
    """
    files = list(uploads)
    problems = attachment_validate(files) if files else []
    if problems:
        return IntakeRefused(ValidationError(problems))
    hold = IntakeHold.NONE
    if not form_token_used(report.get("form_token")):
        admission = budget.admit(source, proof)
        if admission is budget.Admission.PROOF_REFUSED:
            return IntakeProofRefused()
        if admission is budget.Admission.HELD:
            hold = IntakeHold.HELD
    try:
        with transaction.atomic():
            submission = case_submit(channel=channel, intake_hold=hold, **report)
            if not submission.repeated:
                for upload in files:
                    attachment_store(case=submission.case, upload=upload, keep_name=keep_filenames)
    except ValidationError as exc:
        return IntakeRefused(exc)
    return submission


def intake_receipt_waiting(*, form_token: str) -> bool:
    """Whether the code of this token's report still waits for its one answer."""
    return (
        IntakeSubmission.objects.filter(
            token_hash=_token_hash(form_token), expires_at__gt=timezone.now()
        )
        .exclude(receipt_enc=b"")
        .exists()
    )


def intake_receipt_take(*, form_token: str) -> str | None:
    """The receipt code for the one answer that shows it, and then never again.

    The sealed copy is read and cleared in one conditional update: of two requests that
    race for it (a double click, a retry next to a late answer), exactly one gets the
    code; every later request, from any tab or client, gets None. An expired copy is
    cleared and not shown. The caller shows the code in the answer it builds right away.
    """
    row = (
        IntakeSubmission.objects.select_related("case", "case__organisation")
        .filter(token_hash=_token_hash(form_token))
        .exclude(receipt_enc=b"")
        .first()
    )
    if row is None:
        return None
    taken = (
        IntakeSubmission.objects.filter(pk=row.pk).exclude(receipt_enc=b"").update(receipt_enc=b"")
    )
    if not taken or row.expires_at <= timezone.now():
        return None
    return vault.unseal(row.case, "intake_receipt", bytes(row.receipt_enc))


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

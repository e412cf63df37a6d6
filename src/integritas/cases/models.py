"""The Meldpunt's data. Content is stored only encrypted (fields ending in `_enc`).

Encrypted fields hold nonce || AES-256-GCM ciphertext under the case's own data key,
which is stored wrapped by the master key (`wrapped_key`, `key_id`); see core/crypto.py
and cases/vault.py. Unencrypted fields are the ones the workflow, the deadlines and the
annual report count: status, dates, kind, category, flags and outcome.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integritas.accounts.grants.models import FourEyesGrant, four_eyes_constraint
from integritas.core.models import BaseModel

from .constants import (
    SECRETARY_STATUSES,
    Category,
    Channel,
    Finding,
    IdentityMode,
    IntakeHold,
    Kind,
    MessageDirection,
    ReferralBody,
    ReporterRelation,
    ScanStatus,
    Status,
    SubstituteRole,
)


def secretary_stage(path: str = "") -> Q:
    """Cases a secretary, or a substitute for one, may see (CaseAccess.as_secretary in SQL):
    from the approval step on, or once a possible crime is flagged (R-EXT-3). The statuses
    in a fixed order, so that the SQL is the same in every process and PostgreSQL matches
    it to the partial index case_secretary_stage_idx."""
    return (
        Q(**{f"{path}status__in": sorted(SECRETARY_STATUSES)})
        | Q(**{f"{path}investigation_decided_at__isnull": False})
        | Q(**{f"{path}is_possible_offence": True})
    )


class Case(BaseModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    case_number = models.CharField(_("zaaknummer"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("jaar"))
    sequence = models.PositiveIntegerField(_("volgnummer"))
    kind = models.CharField(_("soort melding"), max_length=32, choices=Kind.choices)
    category = models.CharField(_("categorie"), max_length=4, choices=Category.choices, blank=True)
    identity_mode = models.CharField(
        _("wijze van melden"), max_length=16, choices=IdentityMode.choices
    )
    reporter_relation = models.CharField(
        _("relatie melder"), max_length=32, choices=ReporterRelation.choices, blank=True
    )
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("ontvangen op"))
    # The flood defence (ADR 0006): held for review, or set aside; never refused.
    intake_hold = models.CharField(
        _("vastgehouden"), max_length=16, choices=IntakeHold.choices, blank=True, default=""
    )
    acknowledged_at = models.DateTimeField(_("ontvangst bevestigd op"), null=True, blank=True)
    # The designated recipient who received the report (R-WBK-5).
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback_given_at = models.DateTimeField(_("terugkoppeling gegeven op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)

    # The coordinator's assessment, independent of the reporter's `kind`.
    is_wbk_wrongdoing = models.BooleanField(_("misstand in de zin van de Wbk"), default=False)
    is_eu_law_breach = models.BooleanField(_("inbreuk op Unierecht"), default=False)
    is_possible_offence = models.BooleanField(_("mogelijk strafbaar feit"), default=False)
    concerns_political_office_holder = models.BooleanField(
        _("betreft politiek ambtsdrager (doorverwijzen)"), default=False
    )

    # Secretary's approval of a formal investigation (seed 3.2.11, R-LR-2).
    investigation_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    investigation_decided_at = models.DateTimeField(null=True, blank=True)

    # Decision by the secretary.
    finding = models.CharField(_("bevinding"), max_length=32, choices=Finding.choices, blank=True)
    measures = models.JSONField(_("maatregelen"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("besluit genomen op"), null=True, blank=True)

    # Art. 162 Sv (R-EXT-3).
    aangifte_decision = models.BooleanField(_("aangifte gedaan"), null=True, blank=True)
    aangifte_date = models.DateField(_("datum aangifte"), null=True, blank=True)
    police_reference = models.CharField(_("kenmerk politie"), max_length=64, blank=True)

    # Retention (R-DP-2).
    legal_hold = models.BooleanField(_("bewaarplicht (legal hold)"), default=False)
    retain_until = models.DateField(_("bewaren tot"), null=True, blank=True)

    # Envelope encryption.
    key_id = models.CharField(max_length=32)
    wrapped_key = models.BinaryField()
    description_enc = models.BinaryField()
    details_enc = models.BinaryField(blank=True, default=b"")
    decision_note_enc = models.BinaryField(blank=True, default=b"")

    # AVG art. 14: the person concerned is informed, or that is deferred (with a reason)
    # for as long as informing them would harm the investigation.
    subject_informed_on = models.DateField(_("betrokkene geïnformeerd op"), null=True, blank=True)
    subject_informed_how_enc = models.BinaryField(blank=True, default=b"")
    subject_information_deferred_reason_enc = models.BinaryField(blank=True, default=b"")

    # Slow keyed hash of the receipt code (never the code itself).
    receipt_lookup = models.CharField(max_length=80, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"], name="case_sequence_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["closed", "closed_without_investigation"])
                | Q(feedback_given_at__isnull=False),
                name="case_closed_needs_feedback",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-received_at"]),
            models.Index(fields=["organisation", "status", "-received_at"]),
            models.Index(fields=["kind", "-received_at"]),
            # The integrity officer's figures count per status and kind from the index
            # alone, in one pass (handling/selectors.case_figures).
            models.Index(
                fields=["organisation", "status", "kind"], name="case_org_status_kind_idx"
            ),
            models.Index(fields=["category", "-received_at"]),
            models.Index(fields=["acknowledged_at", "received_at"]),
            # The work lists on the home page and the inbox's filters behind them
            # (worklists.py, clock/conditions.py, handling/waiting.py): each reads only the
            # cases it counts, oldest first, without sorting.
            models.Index(
                fields=["received_at"],
                condition=Q(status=Status.RECEIVED),
                name="case_to_acknowledge_idx",
            ),
            models.Index(
                fields=["received_at", "acknowledged_at"],
                condition=Q(feedback_given_at__isnull=True),
                name="case_feedback_pending_idx",
            ),
            models.Index(
                fields=["acknowledged_at", "received_at"],
                condition=Q(feedback_given_at__isnull=True),
                name="case_feedback_start_idx",
            ),
            models.Index(
                fields=["received_at"],
                condition=Q(is_possible_offence=True, aangifte_decision__isnull=True),
                name="case_aangifte_pending_idx",
            ),
            # The inbox of a secretary (and its capped counts on the home page): their
            # organisation's cases from the approval step on, newest first. Without it
            # PostgreSQL walks the primary key backwards over every case of a large
            # organisation to find a page of the few in this stage (35 ms at 20,000
            # employees). The condition is secretary_stage() as cases_visible_to writes it.
            models.Index(
                fields=["organisation", "-id"],
                condition=Q(intake_hold=IntakeHold.NONE) & secretary_stage(),
                name="case_secretary_stage_idx",
            ),
            # The held reports of the flood defence (worklists.py, intake/held.py): few
            # among many, read oldest first.
            models.Index(
                fields=["received_at"],
                condition=Q(intake_hold=IntakeHold.HELD),
                name="case_held_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number


class ReporterIdentity(BaseModel):
    """The identity vault: only the coordinator sees it, and only as consented (R-WBK-7)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    identity_enc = models.BinaryField(blank=True, default=b"")
    notify_email_enc = models.BinaryField(blank=True, default=b"")
    consent_investigators = models.BooleanField(
        _("toestemming: naam delen met onderzoekers"), default=False
    )
    consent_secretary = models.BooleanField(
        _("toestemming: naam delen met de gemeentesecretaris"), default=False
    )

    class Meta:
        verbose_name = _("identiteit melder")


class InvolvedPerson(BaseModel):
    """Someone named as involved. Matching uses a keyed blind index, never the name.

    A linked employee (blind index set) is named once per case (the constraint). Who it is
    is kept only sealed under the case's key (`link_enc`: the employee's id, and the
    handler rows the link ended, so that undoing it restores them): the handlers' page
    names the person, the database alone does not.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involved")
    blind_index = models.CharField(max_length=64, blank=True, db_index=True)
    description_enc = models.BinaryField()
    link_enc = models.BinaryField(blank=True, default=b"")

    class Meta:
        verbose_name = _("betrokkene")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "blind_index"],
                condition=~Q(blind_index=""),
                name="involved_person_unique",
            )
        ]


class CaseHandler(BaseModel):
    """Designated recipients and follow-up officials per case (R-WBK-5)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handlers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rol"), max_length=32)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("behandelaar")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "role"],
                condition=Q(active=True),
                name="case_handler_unique",
            )
        ]
        indexes = [models.Index(fields=["user", "active"])]


class CaseMessage(BaseModel):
    """Two-way messages with the reporter, seen in the mailbox."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=16, choices=MessageDirection.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body_enc = models.BinaryField()
    # R-WBK-8: minutes (verslag) of an oral report, for the reporter to check and approve.
    needs_approval = models.BooleanField(_("verslag ter goedkeuring"), default=False)
    approved_at = models.DateTimeField(_("akkoord van de melder op"), null=True, blank=True)
    # Minutes replaced by a newer version before the reporter approved them (R-WBK-8):
    # kept, as the record of what was sent, but no longer open for approval.
    superseded_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)
    # The reporter's reply is a correction of the minutes (sent from the approval block).
    is_correction = models.BooleanField(_("correctie op het verslag"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # Replies waiting for an answer (handling/waiting.py): the reporters' messages
            # oldest first, and per case the messages around each one.
            models.Index(fields=["direction", "created_at"], name="message_direction_idx"),
            models.Index(fields=["case", "created_at"], name="message_case_created_idx"),
        ]


class CaseNote(BaseModel):
    """Internal notes; never shown to the reporter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body_enc = models.BinaryField()

    class Meta:
        ordering = ["created_at", "pk"]


class Referral(BaseModel):
    """External referral (R-EXT-1, R-EXT-2), at any point of the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    body = models.CharField(_("instantie"), max_length=16, choices=ReferralBody.choices)
    referred_on = models.DateField(_("datum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes_enc = models.BinaryField(blank=True, default=b"")
    # What came back (R-EXT-1): the body's advice and the employer's decision on it.
    advice_on = models.DateField(_("datum advies"), null=True, blank=True)
    advice_enc = models.BinaryField(blank=True, default=b"")
    employer_decision_on = models.DateField(_("datum besluit werkgever"), null=True, blank=True)
    employer_decision_enc = models.BinaryField(blank=True, default=b"")


class ProtectionLogEntry(BaseModel):
    """A measure concerning a named or confidential reporter (R-WBK-12, burden of proof)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="protection_log")
    occurred_on = models.DateField(_("datum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    measure_enc = models.BinaryField()
    reason_enc = models.BinaryField()


class Attachment(BaseModel):
    """An uploaded file, stored encrypted in chunks; only metadata in clear."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        CaseMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    filename_enc = models.BinaryField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, unique=True)
    scan_status = models.CharField(
        max_length=16, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )


class IntakeSubmission(models.Model):
    """Makes a submit idempotent without a session: one row per signed form token.

    A repeated submit (refresh, back, double click) with the same token finds this row and
    makes no second case. The receipt code is kept here sealed only until one answer takes
    it (`intake_receipt_take`: the receipt page, or the API's reply), or until
    `expires_at` (then `intake_receipts_expire` clears it): it is shown once.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="+")
    receipt_enc = models.BinaryField(blank=True, default=b"")
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"intake {self.token_hash[:8]}"


class CaseTombstone(models.Model):
    """What the annual report still counts after a case was purged (R-DP-2)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    category = models.CharField(max_length=4, choices=Category.choices, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    final_status = models.CharField(max_length=32, choices=Status.choices)
    finding = models.CharField(max_length=32, choices=Finding.choices, blank=True)
    measures = models.JSONField(default=list)
    acknowledged_on_time = models.BooleanField(null=True)
    feedback_on_time = models.BooleanField(null=True)
    purged_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"tombstone {self.organisation_id}/{self.year}"


class Substitute(FourEyesGrant):
    """Who handles a report that concerns the coordinator, an integrity officer or the
    secretary who would approve: designated per organisation (seed 5.2)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    replaces_role = models.CharField(
        _("vervangt rol"), max_length=32, choices=SubstituteRole.choices
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Designating a substitute opens case content to them: four eyes, as for role grants
    # (status, requested_by, decided_by and decided_at come from FourEyesGrant).
    four_eyes_scope = "organisation"
    four_eyes_beneficiary = "user"
    four_eyes_identity = ("organisation", "replaces_role", "user")

    class Meta:
        verbose_name = _("vervanger")
        verbose_name_plural = _("vervangers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "replaces_role", "user"],
                condition=Q(status__in=["pending", "active"]),
                name="substitute_unique",
            ),
            four_eyes_constraint("substitute_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"{self.get_replaces_role_display()} ({self.organisation_id})"


class ReminderSent(models.Model):
    """One deadline reminder that went out (R-WBK-3, R-WBK-4).

    The unique constraint makes `integritas send_reminders` idempotent: a reminder is
    recorded in the same transaction in which it is sent, so a second run finds the row
    and sends nothing. `kind` is the deadline ("acknowledgement" or "feedback"), `stage`
    the number of days before the due date (deadlines.DEFAULT_REMINDER_STAGES).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16)
    stage = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("verstuurde herinnering")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "stage"], name="case_reminder_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.kind}/{self.stage}"


class InvestigationKind(models.TextChoices):
    PLAN = "plan", _("Onderzoeksplan")
    INTERVIEW = "interview", _("Verslag van gehoor")
    REPORT = "report", _("Onderzoeksrapport")


class IntervieweeRole(models.TextChoices):
    SUBJECT = "subject", _("Betrokkene")
    WITNESS = "witness", _("Getuige")
    REPORTER = "reporter", _("Melder")
    OTHER = "other", _("Anders")


class InvestigationRecord(BaseModel):
    """A record of the formal investigation: the plan, a hearing, the report."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="investigation_records")
    kind = models.CharField(_("soort"), max_length=16, choices=InvestigationKind.choices)
    occurred_on = models.DateField(_("datum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body_enc = models.BinaryField()
    # Interviews only: the person concerned was heard on the findings (hoor en wederhoor).
    hoor_en_wederhoor = models.BooleanField(_("hoor en wederhoor toegepast"), default=False)
    interviewee_role = models.CharField(
        _("gehoorde"), max_length=16, choices=IntervieweeRole.choices, blank=True
    )

    class Meta:
        verbose_name = _("onderzoeksstuk")
        verbose_name_plural = _("onderzoeksstukken")
        ordering = ["occurred_on", "pk"]


class EvidenceItem(BaseModel):
    """A piece of evidence, fixed by its SHA-256; an uploaded attachment gives its own."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    description_enc = models.BinaryField()
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        validators=[
            RegexValidator(r"^[0-9a-f]{64}$", _("Een SHA-256 bestaat uit 64 hexadecimale tekens."))
        ],
    )
    attachment = models.ForeignKey(
        Attachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField(_("vastgelegd op"))

    class Meta:
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        ordering = ["recorded_on", "pk"]


class CaseStatusChange(models.Model):
    """One step of the workflow taken (workflow.py): from which status to which, by whom,
    when. Names and ids only, never content; case_transition writes it in the step's
    transaction, next to the audit event."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("van status"), max_length=32, choices=Status.choices)
    to_status = models.CharField(_("naar status"), max_length=32, choices=Status.choices)
    transition = models.CharField(_("stap"), max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("op"))

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} -> {self.to_status}"

"""Reports in every stage of the workflow, for every organisation of the demo.

Every report is made the way the application makes it: through the Meldpunt's public
services (`integritas.cases.services`): the web intake or a report recorded by the
coordinator or a manager, the acknowledgement, the assessment, messages both ways (the
reporter answers from the mailbox, opened with the receipt code), notes, people linked as
involved, the secretary's decisions, the investigation and its records, the decision on
aangifte, referrals and closing. So the cases are encrypted under their own keys, their
audit events are real links of the hash chain, and the notices are queued as usual.

How the demo lives (idempotency and time):

- Each demo report has a stable key (`integritas-demo:<organisation>:<scenario>`), passed
  to the intake as its form token. The intake keeps the token's hash to recognise a
  repeated submit; `form_token_used(key)` therefore tells whether the demo made this report
  already. A report that exists is never touched again: the demo is seeded once and then
  lives. Someone may acknowledge, answer or close it, and a later `seed_demo` leaves that
  alone, adds nothing and reports nothing new. A report someone deleted is made again.
- The Wbk clocks (7 days for the acknowledgement, 3 months for feedback) run from the
  report's own dates, and the demo must show some deadlines overdue and some nearly due
  *today*. So, unlike the rest of the demo (fixed dates, DEMO_REFERENCE_DATE), reports are
  dated relative to the moment of the run that made them: each step of a scenario says how
  many days ago it happened. The services stamp the real moment; after a case's steps the
  seed moves the case's own moments (received, acknowledged, feedback, decisions, closing,
  its messages, notes, records and status changes) back onto the scenario's days, keeping
  their order. The audit trail is not moved: it is append-only and says truthfully when
  the demo recorded each step. Case numbers and the case's `year` are those of the run.
- Receipt codes exist in clear only during the run (they are never printed or stored).
  Reports whose mailbox the seed opens use the intake's real, slow receipt hash; the others
  the cheap one the intake offers for generated cases nobody opens, which keeps the run fast.
"""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from integritas.accounts.models import User
from integritas.cases.clock.deadlines import LOCAL_TZ, add_months
from integritas.cases.constants import (
    Category,
    Channel,
    Finding,
    IdentityMode,
    Kind,
    Measure,
    ReferralBody,
    ReporterRelation,
    SubstituteRole,
)
from integritas.cases.models import (
    Case,
    CaseHandler,
    CaseMessage,
    CaseNote,
    CaseStatusChange,
    EvidenceItem,
    IntervieweeRole,
    InvestigationKind,
    InvestigationRecord,
    InvolvedPerson,
    ProtectionLogEntry,
    Referral,
    ReporterIdentity,
)
from integritas.cases.selectors import case_for_form_token
from integritas.cases.services import (
    MailboxSession,
    Submission,
    case_add_evidence,
    case_add_investigation_record,
    case_add_note,
    case_assess,
    case_assign_investigator,
    case_link_involved,
    case_message_to_reporter,
    case_minutes_approve,
    case_protection_log_add,
    case_record_aangifte,
    case_record_decision,
    case_record_referral,
    case_record_referral_outcome,
    case_record_report,
    case_record_subject_informed,
    case_reporter_reply,
    case_transition,
    form_token_used,
    intake_submit,
    mailbox_open,
    mailbox_read,
    retention_until,
)
from integritas.organisations.models import Employee, Organisation

from . import data

KEY_PREFIX = "integritas-demo"
# The mailbox throttle counts attempts per client key; the seed is one client.
MAILBOX_CLIENT = "integritas-demo-seed"


def report_key(slug: str, scenario: str) -> str:
    """The stable key of one demo report (its intake form token)."""
    return f"{KEY_PREFIX}:{slug}:{scenario}"


def demo_case(slug: str, scenario: str) -> Case | None:
    """The demo report of organisation `slug` made by `scenario` (a name in SCENARIOS),
    e.g. demo_case("leiden", "onderzoek"); None before seed_demo made it."""
    return case_for_form_token(report_key(slug, scenario))


# ---------------------------------------------------------------------------------------
# The clock: the real moments of the services, moved onto the scenario's days


@dataclass
class _Clock:
    """Which demo moment each stretch of real time stands for.

    `at(moment)` starts a step: everything the services stamp from now until the next step
    belongs to `moment` (plus the few milliseconds the step took, to keep the order).
    """

    marks: list[tuple[datetime.datetime, datetime.datetime]] = field(default_factory=list)

    def at(self, moment: datetime.datetime) -> None:
        if self.marks and moment <= self.marks[-1][1]:
            raise ValueError("demo steps must move forward in time")
        self.marks.append((timezone.now(), moment))

    def map(self, value: datetime.datetime | None) -> datetime.datetime | None:
        if value is None or not self.marks or value < self.marks[0][0]:
            return value
        real, moment = next(m for m in reversed(self.marks) if m[0] <= value)
        return moment + (value - real)


_CASE_MOMENTS = (
    "received_at",
    "acknowledged_at",
    "feedback_given_at",
    "closed_at",
    "decided_at",
    "investigation_decided_at",
    "created_at",
    "updated_at",
)
_ROW_MOMENTS: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (ReporterIdentity, ("created_at", "updated_at")),
    (InvolvedPerson, ("created_at", "updated_at")),
    (CaseHandler, ("created_at", "updated_at")),
    (CaseMessage, ("created_at", "updated_at", "approved_at", "superseded_at")),
    (CaseNote, ("created_at", "updated_at")),
    (Referral, ("created_at", "updated_at")),
    (ProtectionLogEntry, ("created_at", "updated_at")),
    (InvestigationRecord, ("created_at", "updated_at")),
    (EvidenceItem, ("created_at", "updated_at")),
    (CaseStatusChange, ("at",)),
)


def _backdate(case: Case, clock: _Clock) -> None:
    """Move the case's own moments onto the scenario's days (the audit trail stays)."""
    row = Case.objects.get(pk=case.pk)
    values: dict[str, Any] = {name: clock.map(getattr(row, name)) for name in _CASE_MOMENTS}
    closed_at = values["closed_at"]
    if closed_at is not None:
        values["retain_until"] = retention_until(row, closed_at.astimezone(LOCAL_TZ).date())
    Case.objects.filter(pk=row.pk).update(**values)
    for model, names in _ROW_MOMENTS:
        rows = list(model._default_manager.filter(case=row))
        for obj in rows:
            for name in names:
                setattr(obj, name, clock.map(getattr(obj, name)))
        if rows:
            model._default_manager.bulk_update(rows, list(names))


# ---------------------------------------------------------------------------------------
# One scenario being played


@dataclass
class _Cast:
    """Who acts in the reports of one organisation."""

    organisation: Organisation
    coordinator: User
    secretary: User
    substitute: User
    investigator: User
    manager: User
    people: list[Employee]  # generated employees, to name as involved (never an account)


@dataclass
class _Run:
    """One scenario of one organisation: its clock, its case and its receipt code."""

    cast: _Cast
    key: str
    variant: int  # the organisation's position, to vary the texts
    now: datetime.datetime
    clock: _Clock = field(default_factory=_Clock)
    case: Case | None = None
    receipt: str | None = None
    mailbox: Case | None = None

    # -- time -------------------------------------------------------------------------

    def day(self, days_ago: float) -> None:
        """The next step happens `days_ago` days before the run."""
        self.clock.at(self.now - datetime.timedelta(days=days_ago))

    def today(self) -> datetime.date:
        """The local date of the step in progress (for the dates a service asks for)."""
        return self.clock.marks[-1][1].astimezone(LOCAL_TZ).date()

    def text(self, options: tuple[str, ...]) -> str:
        return options[self.variant % len(options)]

    @property
    def c(self) -> Case:
        if self.case is None:
            raise ValueError("the scenario has not made its report yet")
        return self.case

    # -- the intake -------------------------------------------------------------------

    def _report(self, **report: Any) -> dict[str, Any]:
        return {
            "organisation": self.cast.organisation,
            "form_token": self.key,
            "reporter_relation": ReporterRelation.EMPLOYEE,
            **report,
        }

    def web(self, *, opens_mailbox: bool = False, **report: Any) -> None:
        """A report through the public Meldpunt, counted against its hourly ceiling."""
        result = intake_submit(report=self._report(cheap_receipt=not opens_mailbox, **report))
        if not isinstance(result, Submission):
            raise ValidationError(f"demo report {self.key} refused: {result!r}")
        self._received(result)

    def recorded(
        self,
        *,
        actor: User,
        channel: str,
        minutes: str = "",
        opens_mailbox: bool = False,
        **report: Any,
    ) -> None:
        """A report told to the coordinator (phone, e-mail, in person) or to a manager."""
        submission = case_record_report(
            actor=actor,
            channel=channel,
            minutes=minutes,
            **self._report(cheap_receipt=not opens_mailbox, **report),
        )
        self._received(submission)

    def _received(self, submission: Submission) -> None:
        self.case, self.receipt = submission.case, submission.receipt_code

    # -- the coordinator ----------------------------------------------------------------

    def step(self, name: str, actor: User | None = None) -> None:
        self.case = case_transition(actor=actor or self.cast.coordinator, case=self.c, name=name)

    def assess(self, category: str, **flags: bool) -> None:
        self.case = case_assess(
            actor=self.cast.coordinator,
            case=self.c,
            category=category,
            is_wbk_wrongdoing=flags.get("wbk", False),
            is_eu_law_breach=False,
            is_possible_offence=flags.get("offence", False),
            concerns_political_office_holder=flags.get("political", False),
        )

    def message(self, body: str, *, feedback: bool = False) -> None:
        case_message_to_reporter(
            actor=self.cast.coordinator, case=self.c, body=body, is_feedback=feedback
        )

    def note(self, body: str, actor: User | None = None) -> None:
        case_add_note(actor=actor or self.cast.coordinator, case=self.c, body=body)

    def involve(self, person: int, description: str) -> Employee:
        employee = self.cast.people[person % len(self.cast.people)]
        case_link_involved(
            actor=self.cast.coordinator, case=self.c, employee=employee, description=description
        )
        return employee

    # -- the reporter -------------------------------------------------------------------

    def _mailbox(self) -> Case:
        """The reporter's mailbox, opened with the receipt code once per scenario (the
        slow receipt hash is the dearest step of the seed), read at every visit."""
        if self.mailbox is None:
            opened = mailbox_open(receipt_code=self.receipt, client_key=MAILBOX_CLIENT)
            if not isinstance(opened, MailboxSession):
                raise ValidationError(f"demo mailbox {self.key} did not open: {opened!r}")
            self.mailbox = opened.case
        mailbox_read(case=self.mailbox)
        return self.mailbox

    def reply(self, body: str) -> None:
        case_reporter_reply(case=self._mailbox(), body=body)

    def approve_minutes(self) -> None:
        case = self._mailbox()
        minutes = CaseMessage.objects.filter(case=case, needs_approval=True).latest("pk")
        case_minutes_approve(case=case, message=minutes)

    # -- the investigation --------------------------------------------------------------

    def record(self, kind: str, body: str, *, role: str = "", heard: bool = False) -> None:
        case_add_investigation_record(
            actor=self.cast.investigator,
            case=self.c,
            kind=kind,
            occurred_on=self.today(),
            body=body,
            hoor_en_wederhoor=heard,
            interviewee_role=role,
        )

    def evidence(self, description: str) -> None:
        digest = hashlib.sha256(f"{self.key}:{description}".encode()).hexdigest()
        case_add_evidence(
            actor=self.cast.investigator,
            case=self.c,
            description=description,
            sha256=digest,
            recorded_on=self.today(),
        )


# ---------------------------------------------------------------------------------------
# The scenarios: one per stage of the workflow (and two for the deadlines)


def _days_since_months_ago(now: datetime.datetime, months: int, plus_days: int) -> int:
    """How many days ago lies the day `months` months before today, plus `plus_days`."""
    today = now.astimezone(LOCAL_TZ).date()
    return (today - (add_months(today, -months) + datetime.timedelta(days=plus_days))).days


def _received_anonymous_ack_nearly_due(run: _Run) -> None:
    """Ontvangen, anoniem via het webformulier; de ontvangstbevestiging moet morgen uit."""
    run.day(6)
    run.web(
        kind=Kind.INTEGRITY_VIOLATION,
        category=Category.MISUSE_OF_RESOURCES,
        identity_mode=IdentityMode.ANONYMOUS,
        description=run.text(
            (
                "Op de afdeling worden dienstauto's in het weekend gebruikt voor privéritten. "
                "In het rittenregister staan die ritten niet.",
                "Een collega neemt regelmatig kantoorartikelen en een laptop van de zaak mee "
                "naar huis voor zijn eigen bedrijf.",
                "Er wordt op de werkplek gegokt om geld tijdens werktijd, ook met klanten aan "
                "de balie erbij.",
            )
        ),
        details={"when": "De afgelopen maanden", "where": "Parkeergarage stadskantoor"},
    )


def _received_via_manager_ack_overdue(run: _Run) -> None:
    """Ontvangen via de leidinggevende, tien dagen geleden: de bevestiging is te laat."""
    run.day(10)
    run.recorded(
        actor=run.cast.manager,
        channel=Channel.MANAGER,
        kind=Kind.UNWANTED_BEHAVIOUR,
        category=Category.BULLYING,
        identity_mode=IdentityMode.CONFIDENTIAL,
        identity={"name": "Medewerker van het team (naam bekend bij de coördinator)"},
        description=run.text(
            (
                "Een medewerker vertelde mij dat een collega haar al maanden buitensluit en in "
                "het teamoverleg belachelijk maakt.",
                "Een medewerker meldde mij mondeling dat hij door een vaste collega wordt "
                "uitgescholden als er geen anderen in de buurt zijn.",
            )
        ),
    )


def _triage_with_messages(run: _Run) -> None:
    """Vooronderzoek: telefonisch gemeld, verslag goedgekeurd, vraag en antwoord via het
    postvak, een betrokkene, een notitie. Het antwoord van de melder wacht op reactie."""
    run.day(21)
    run.recorded(
        actor=run.cast.coordinator,
        channel=Channel.PHONE,
        opens_mailbox=True,
        kind=Kind.INTEGRITY_VIOLATION,
        category=Category.CONFLICT_OF_INTEREST,
        identity_mode=IdentityMode.CONFIDENTIAL,
        identity={"name": "Rosalie Wentink", "email": "r.wentink@voorbeeld.example"},
        notify_email="r.wentink@voorbeeld.example",
        minutes=run.text(
            (
                "De melder belde na het werk. Zij ziet dat een vergunningverlener aanvragen "
                "beoordeelt van het aannemersbedrijf van zijn zwager.",
                "De melder belde over de aanbesteding van het groenonderhoud: een lid van de "
                "beoordelingscommissie heeft aandelen in een van de inschrijvers.",
            )
        ),
        description=run.text(
            (
                "Een vergunningverlener beoordeelt aanvragen van het aannemersbedrijf van zijn "
                "zwager, zonder dat te melden.",
                "Bij de aanbesteding van het groenonderhoud zat een medewerker in de "
                "beoordelingscommissie die aandelen heeft in een van de inschrijvers.",
            )
        ),
        details={"when": "Sinds het voorjaar", "others_aware": "Twee collega's weten ervan"},
    )
    run.day(20)
    run.approve_minutes()
    run.step("acknowledge")
    run.day(18)
    run.assess(Category.CONFLICT_OF_INTEREST)
    run.day(16)
    run.message(
        "Dank voor uw melding. Kunt u aangeven om welke aanvragen het gaat en sinds wanneer "
        "u dit ziet gebeuren?"
    )
    run.day(14)
    run.involve(0, "De medewerker die de aanvragen beoordeelde")
    run.note("Dossiers opvragen bij het team; eerst het antwoord van de melder afwachten.")
    run.day(3)
    run.reply(
        "Het gaat om minstens drie aanvragen sinds april. De dossiernummers kan ik u "
        "doorgeven als u dat wilt."
    )


def _triage_feedback_nearly_due(run: _Run) -> None:
    """Vooronderzoek; de terugkoppeling (3 maanden) moet over vier dagen gegeven zijn."""
    acknowledged = _days_since_months_ago(run.now, 3, 4)
    run.day(acknowledged + 2)
    run.recorded(
        actor=run.cast.coordinator,
        channel=Channel.EMAIL,
        kind=Kind.IRREGULARITY,
        category=Category.FINANCIAL,
        identity_mode=IdentityMode.NAMED,
        identity={"name": "Gerard Plomp", "email": "g.plomp@voorbeeld.example"},
        description=run.text(
            (
                "Per e-mail: declaraties voor dienstreizen worden dubbel ingediend, één keer "
                "op papier en één keer digitaal.",
                "Per e-mail: er worden facturen van een leverancier betaald voor werk dat "
                "volgens de melder nooit is uitgevoerd.",
            )
        ),
    )
    run.day(acknowledged)
    run.step("acknowledge")
    run.day(acknowledged - 10)
    run.assess(Category.FINANCIAL)
    run.note("Overzicht van de declaraties opgevraagd bij de financiële administratie.")


def _awaiting_approval_feedback_overdue(run: _Run) -> None:
    """Wacht op de secretaris; de terugkoppeling is acht dagen over tijd; het verslag van
    het telefoongesprek wacht nog op het akkoord van de melder."""
    acknowledged = _days_since_months_ago(run.now, 3, -8)
    run.day(acknowledged + 1)
    run.recorded(
        actor=run.cast.coordinator,
        channel=Channel.PHONE,
        kind=Kind.INTEGRITY_VIOLATION,
        category=Category.INFORMATION,
        identity_mode=IdentityMode.NAMED,
        identity={"name": "Marco Leeflang", "phone": "06 0000 0000"},
        minutes=run.text(
            (
                "De melder belde op maandagochtend. Hij zag dat een collega persoonsgegevens "
                "uit de basisregistratie doorstuurde naar een privé-e-mailadres.",
                "De melder vertelde telefonisch dat vertrouwelijke stukken over een "
                "grondaankoop vóór het collegebesluit bij een projectontwikkelaar lagen.",
            )
        ),
        description=run.text(
            (
                "Persoonsgegevens uit de basisregistratie worden naar een privé-adres gestuurd.",
                "Vertrouwelijke stukken over een grondaankoop zijn uitgelekt.",
            )
        ),
    )
    run.day(acknowledged)
    run.step("acknowledge")
    run.day(acknowledged - 7)
    run.assess(Category.INFORMATION, wbk=True)
    run.involve(1, "De medewerker die de gegevens zou hebben doorgestuurd")
    run.day(10)
    run.note("Voorstel: formeel onderzoek. Voorgelegd aan de secretaris.")
    run.step("request_approval")


def _awaiting_substitute(run: _Run) -> None:
    """Gaat over de secretaris zelf: de vervanger beslist over het onderzoek."""
    run.day(12)
    run.recorded(
        actor=run.cast.coordinator,
        channel=Channel.IN_PERSON,
        kind=Kind.INTEGRITY_VIOLATION,
        category=Category.GIFTS,
        identity_mode=IdentityMode.CONFIDENTIAL,
        identity={"name": "Esmée Kortekaas"},
        concerns_role=SubstituteRole.SECRETARY,
        minutes="Gesprek op het kantoor van de coördinator; de melder bracht een kopie "
        "van een uitnodiging mee.",
        description=run.text(
            (
                "De leiding van de organisatie nam een meerdaagse reis naar een "
                "voetbalwedstrijd aan van een ICT-leverancier die meedingt naar een contract.",
                "Er is een dure fles wijn en een weekendverblijf aangenomen van een "
                "projectontwikkelaar, ruim boven de grens voor geschenken.",
            )
        ),
    )
    run.day(11)
    run.step("acknowledge")
    run.day(9)
    run.assess(Category.GIFTS)
    run.day(3)
    run.note("De melding betreft de secretaris: de vervanger beslist over een onderzoek.")
    run.step("request_approval")


def _start_investigation(run: _Run, received: int, category: str, **flags: bool) -> Employee:
    """Received, acknowledged, assessed, approved by the secretary, investigator assigned."""
    run.day(received)
    run.recorded(
        actor=run.cast.coordinator,
        channel=Channel.EMAIL,
        kind=Kind.INTEGRITY_VIOLATION,
        category=category,
        identity_mode=IdentityMode.NAMED,
        identity={"name": "Hester Bloemendaal", "email": "h.bloemendaal@voorbeeld.example"},
        consent_investigators=True,
        description=run.text(
            (
                "Een medewerker van de balie vraagt geld aan burgers om hun aanvraag sneller "
                "te behandelen.",
                "Een inkoper laat opdrachten steeds net onder de aanbestedingsgrens blijven en "
                "gunt ze aan dezelfde bekende.",
                "Een handhaver zou boetes laten vallen in ruil voor gratis werk aan zijn huis.",
            )
        ),
    )
    run.day(received - 1)
    run.step("acknowledge")
    run.message("Wij hebben uw melding ontvangen en nemen die in behandeling.")
    run.day(received - 3)
    run.assess(category, **flags)
    subject = run.involve(2, "De medewerker over wie de melding gaat")
    run.day(received - 6)
    run.step("request_approval")
    run.day(received - 8)
    run.step("approve_investigation", run.cast.secretary)
    run.day(received - 9)
    case_assign_investigator(actor=run.cast.coordinator, case=run.c, user=run.cast.investigator)
    run.day(received - 11)
    run.record(
        InvestigationKind.PLAN,
        "Onderzoeksplan: dossieronderzoek, gesprekken met de melder, twee getuigen en de "
        "betrokkene. Doorlooptijd zes weken.",
    )
    run.day(received - 18)
    run.record(
        InvestigationKind.INTERVIEW,
        "Verslag van het gesprek met een getuige: bevestigt de gang van zaken bij twee aanvragen.",
        role=IntervieweeRole.WITNESS,
    )
    run.evidence("Uitdraai van het zaaksysteem met de behandelde aanvragen")
    run.day(received - 20)
    run.message(
        "Er loopt een onderzoek naar aanleiding van uw melding. Wij verwachten u binnen "
        "twee maanden meer te kunnen vertellen.",
        feedback=True,
    )
    case_protection_log_add(
        actor=run.cast.coordinator,
        case=run.c,
        occurred_on=run.today(),
        measure="Overplaatsing van de melder naar een ander team besproken en afgewezen.",
        reason="De melder wil blijven; er zijn geen signalen van benadeling.",
    )
    return subject


def _finish_investigation(run: _Run, done: int) -> None:
    run.day(done + 6)
    run.record(
        InvestigationKind.INTERVIEW,
        "Verslag van het gehoor van de betrokkene, met hoor en wederhoor op de bevindingen.",
        role=IntervieweeRole.SUBJECT,
        heard=True,
    )
    case_record_subject_informed(
        actor=run.cast.investigator,
        case=run.c,
        informed_on=run.today(),
        how="Schriftelijk en mondeling bij de uitnodiging voor het gehoor.",
    )
    run.day(done + 2)
    run.record(
        InvestigationKind.REPORT,
        "Onderzoeksrapport: de feiten zijn grotendeels vastgesteld; zie de bijlagen.",
    )
    run.note("Rapport klaar voor de secretaris.", run.cast.investigator)
    run.day(done)
    run.step("report_to_secretary")


def _investigation(run: _Run) -> None:
    """Onderzoek: plan, getuigenverhoor, bewijsstuk, tussentijdse terugkoppeling."""
    _start_investigation(run, 50, Category.ABUSE_OF_POWERS)
    run.day(26)
    run.note("Tweede getuige is met verlof; gesprek over twee weken.", run.cast.investigator)


def _reported_with_aangifte(run: _Run) -> None:
    """Rapport bij de secretaris; mogelijk strafbaar feit, aangifte gedaan (art. 162 Sv)."""
    _start_investigation(run, 80, Category.FINANCIAL, offence=True)
    run.day(55)
    case_record_aangifte(
        actor=run.cast.secretary,
        case=run.c,
        decision=True,
        date=run.today(),
        reference=f"PL1500-{run.today().year}-{4210 + run.variant:06d}",
    )
    _finish_investigation(run, 4)


def _decided(run: _Run) -> None:
    """Besluit: gegrond, met een schriftelijke berisping; de melder is ingelicht."""
    _start_investigation(run, 120, Category.ABUSE_OF_POWERS)
    _finish_investigation(run, 20)
    run.day(10)
    case_record_decision(
        actor=run.cast.secretary,
        case=run.c,
        finding=Finding.FOUNDED,
        measures=[Measure.WRITTEN_WARNING, Measure.CONVERSATION],
        note="De betrokkene heeft zijn bevoegdheden gebruikt voor eigen gewin.",
    )
    run.day(8)
    run.message("Het onderzoek is afgerond en er is een besluit genomen. Dank voor uw melding.")


def _referred(run: _Run) -> None:
    """Doorverwezen: het gaat om een politiek ambtsdrager (Huis voor Klokkenluiders)."""
    run.day(35)
    run.recorded(
        actor=run.cast.coordinator,
        channel=Channel.PHONE,
        kind=Kind.WRONGDOING,
        category=Category.CONFLICT_OF_INTEREST,
        identity_mode=IdentityMode.ANONYMOUS,
        description="Een wethouder zou bij een bestemmingsplan een belang hebben in grond "
        "van een familielid.",
    )
    run.day(34)
    run.step("acknowledge")
    run.day(31)
    run.assess(Category.CONFLICT_OF_INTEREST, wbk=True, political=True)
    run.day(30)
    case_record_referral(
        actor=run.cast.coordinator,
        case=run.c,
        body=ReferralBody.HUIS,
        referred_on=run.today(),
        notes="Politiek ambtsdrager: buiten de ambtelijke regeling. Melder geïnformeerd.",
    )
    run.step("refer")
    run.day(29)
    run.message(
        "Uw melding gaat over een bestuurder; daarvoor is het Huis voor Klokkenluiders de "
        "aangewezen instantie. Wij hebben de melding doorverwezen.",
        feedback=True,
    )


def _closed_without_investigation(run: _Run) -> None:
    """Afgesloten zonder onderzoek: opgelost in een gesprek, terugkoppeling gegeven."""
    run.day(60)
    run.recorded(
        actor=run.cast.coordinator,
        channel=Channel.IN_PERSON,
        kind=Kind.IRREGULARITY,
        category=Category.MISUSE_OF_RESOURCES,
        identity_mode=IdentityMode.NAMED,
        identity={"name": "Jolanda Stigter"},
        minutes="De melder maakte zich zorgen over het gebruik van de printer voor een vereniging.",
        description="De printer van de afdeling wordt gebruikt voor drukwerk van een "
        "sportvereniging.",
    )
    run.day(59)
    run.step("acknowledge")
    run.day(55)
    run.assess(Category.MISUSE_OF_RESOURCES)
    run.note("Besproken met de leidinggevende; de afspraken zijn aangescherpt.")
    run.day(52)
    run.message(
        "Uw melding is besproken met de leidinggevende en er zijn afspraken gemaakt. Een "
        "onderzoek is niet nodig.",
        feedback=True,
    )
    run.day(50)
    run.step("close_without_investigation")


def _closed_after_referral(run: _Run) -> None:
    """Afgesloten: doorverwezen naar de LKOG, advies ontvangen en opgevolgd."""
    run.day(140)
    run.recorded(
        actor=run.cast.coordinator,
        channel=Channel.IN_PERSON,
        kind=Kind.UNWANTED_BEHAVIOUR,
        category=Category.SEXUAL_HARASSMENT,
        identity_mode=IdentityMode.CONFIDENTIAL,
        identity={"name": "Nadine Hoefnagel"},
        minutes="Gesprek met de melder, samen met de vertrouwenspersoon.",
        description="Een collega maakt seksueel getinte opmerkingen en stuurt ongewenste "
        "berichten.",
    )
    run.day(139)
    run.step("acknowledge")
    run.day(136)
    run.assess(Category.SEXUAL_HARASSMENT)
    run.involve(3, "De collega over wie de melding gaat")
    run.day(133)
    referral = case_record_referral(
        actor=run.cast.coordinator,
        case=run.c,
        body=ReferralBody.LKOG,
        referred_on=run.today(),
        notes="Klacht ongewenst gedrag: advies gevraagd aan de LKOG.",
    )
    run.step("refer")
    run.day(70)
    case_record_referral_outcome(
        actor=run.cast.coordinator,
        case=run.c,
        referral=referral,
        advice_on=run.today() - datetime.timedelta(days=5),
        advice="De LKOG acht de klacht gegrond en adviseert een maatregel.",
        decision_on=run.today(),
        decision="De werkgever volgt het advies; de collega krijgt een berisping.",
    )
    run.day(68)
    run.message(
        "De klachtencommissie heeft advies gegeven en de werkgever volgt dat advies. Wij "
        "sluiten uw melding hiermee af.",
        feedback=True,
    )
    run.day(66)
    run.step("close")


#: Each scenario under its stable name, in the order they are made.
SCENARIOS: tuple[tuple[str, Callable[[_Run], None]], ...] = (
    ("ontvangen-anoniem", _received_anonymous_ack_nearly_due),
    ("ontvangen-via-leidinggevende", _received_via_manager_ack_overdue),
    ("vooronderzoek-berichten", _triage_with_messages),
    ("vooronderzoek-terugkoppeling", _triage_feedback_nearly_due),
    ("wacht-op-besluit", _awaiting_approval_feedback_overdue),
    ("wacht-op-vervanger", _awaiting_substitute),
    ("onderzoek", _investigation),
    ("rapport-aangifte", _reported_with_aangifte),
    ("besluit", _decided),
    ("doorverwezen", _referred),
    ("afgesloten-zonder-onderzoek", _closed_without_investigation),
    ("afgesloten", _closed_after_referral),
)


# ---------------------------------------------------------------------------------------
# Seeding


def _cast(organisation: Organisation, users: dict[str, User]) -> _Cast:
    slug = organisation.slug
    mine = {a.persona: a for a in data.accounts_of(slug)}
    investigator = mine.get("investigator") or data.account("investigator:region")
    substitute = next(a for a in data.accounts_of(slug) if a.substitutes_secretary)
    people = list(
        Employee.objects.filter(
            organisation=organisation, user__isnull=True, end_date__isnull=True
        ).order_by("personnel_number")[:8]
    )
    return _Cast(
        organisation=organisation,
        coordinator=users[data.account("integrity_coordinator").key],
        secretary=users[mine["secretary"].key],
        substitute=users[substitute.key],
        investigator=users[investigator.key],
        manager=users[mine["manager"].key],
        people=people,
    )


def seed_reports(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    """Make every demo report that does not exist yet; returns how many were made."""
    now = timezone.now()
    made = 0
    for variant, spec in enumerate(data.ORGANISATIONS):
        organisation = orgs[spec.slug]
        cast: _Cast | None = None
        for name, scenario in SCENARIOS:
            key = report_key(spec.slug, name)
            if form_token_used(key):
                continue
            cast = cast or _cast(organisation, users)
            run = _Run(cast=cast, key=key, variant=variant, now=now)
            scenario(run)
            _backdate(run.c, run.clock)
            made += 1
    return made

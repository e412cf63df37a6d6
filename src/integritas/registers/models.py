"""The registers of one organisation: side activities, financial interests, gifts and
invitations, conflicts of interest and contract permissions, and their decisions.

Every registration is one `Registration` row (who, what kind, its status and who decides)
with its details in a one-to-one row of its kind; lists, queues and the dossier read the
one table along its indexes. Financial interests keep their details sealed under their
own data key (R-AW-8): the database holds no readable text of them.
"""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from integritas.core.models import BaseModel, OrganisationOwned

from .constants import (
    MAX_HOURS_PER_MONTH,
    MAX_VALUE_CENTS,
    CounterpartyKind,
    Criterion,
    GiftDirection,
    GiftKind,
    InterestKind,
    InvitationKind,
    Kind,
    MatchBy,
    Measure,
    Outcome,
    Route,
    SignalReason,
    SignalState,
    Status,
)


def _in(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


class Registration(OrganisationOwned):
    """One registration by an employee, with its current status and who decides."""

    employee = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("medewerker"),
        # The registrations are the employee's personnel data: they go with the person.
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    kind = models.CharField(_("soort"), max_length=32, choices=Kind.choices)
    #: A short name for lists; always empty for a financial interest (R-AW-8).
    title = models.CharField(_("omschrijving"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    route = models.CharField(_("besluit door"), max_length=24, choices=Route.choices)
    #: The manager who decides (route manager), fixed at submission and re-assessment.
    decider = models.ForeignKey(
        "organisations.Employee",
        verbose_name=_("beslist door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The assessment was re-opened after a change of function (R-AW-6).
    reassessment = models.BooleanField(_("opnieuw te beoordelen"), default=False)
    conditions = models.TextField(_("voorwaarden"), blank=True)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("registratie")
        verbose_name_plural = _("registraties")
        constraints = [
            models.CheckConstraint(condition=_in("kind", Kind), name="registration_kind_valid"),
            models.CheckConstraint(
                condition=_in("status", Status), name="registration_status_valid"
            ),
            models.CheckConstraint(condition=_in("route", Route), name="registration_route_valid"),
            models.CheckConstraint(
                condition=~Q(decider=F("employee")), name="registration_not_own_decider"
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.FINANCIAL_INTEREST) | Q(title=""),
                name="registration_financial_no_title",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.FINANCIAL_INTEREST) | Q(route__in=[Route.INTEGRITY_OFFICER]),
                name="registration_financial_by_officer",
            ),
        ]
        indexes = [
            # The register of one organisation, newest first, with its filters.
            models.Index(
                fields=["organisation", "created_at", "id"], name="registration_org_time_idx"
            ),
            models.Index(
                fields=["organisation", "kind", "status", "created_at"],
                name="registration_org_kind_idx",
            ),
            # The manager's queue.
            models.Index(
                fields=["decider", "status", "created_at"], name="registration_decider_idx"
            ),
            # The mayor's and the integrity officer's queues.
            models.Index(
                fields=["organisation", "route", "status", "created_at"],
                name="registration_route_idx",
            ),
            # The employee's dossier.
            models.Index(fields=["employee", "created_at"], name="registration_employee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class SideActivity(models.Model):
    """A nevenwerkzaamheid (R-AW-5, R-AW-6)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, primary_key=True, related_name="side_activity"
    )
    client_name = models.CharField(_("voor welke organisatie"), max_length=200)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    paid = models.BooleanField(_("betaald"))
    hours_per_month = models.DecimalField(
        _("uren per maand"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS_PER_MONTH)],
    )
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    relation_to_work = models.TextField(_("relatie met het eigen werk"), blank=True)
    relation_to_parties = models.TextField(
        _("relatie met partijen waarmee de gemeente zaken doet"), blank=True
    )

    class Meta:
        verbose_name = _("nevenwerkzaamheid")
        verbose_name_plural = _("nevenwerkzaamheden")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="side_activity_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__gte=0, hours_per_month__lte=MAX_HOURS_PER_MONTH),
                name="side_activity_hours_range",
            ),
        ]
        indexes = [
            # The daily run of the signals: what started or ended since its previous run.
            models.Index(fields=["start_date"], name="side_activity_start_idx"),
            models.Index(fields=["end_date"], name="side_activity_end_idx"),
        ]

    def __str__(self) -> str:
        return self.client_name


class FinancialInterest(models.Model):
    """A financial interest or securities holding/transaction (R-AW-8), sealed under its
    own data key: only the integrity officer and HRM read it, nobody publishes it."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="financial_interest",
    )
    interest_kind = models.CharField(_("soort"), max_length=16, choices=InterestKind.choices)
    #: The identity in the sealed data's associated data, fixed at creation.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key_id = models.CharField(max_length=32)
    wrapped_key = models.BinaryField()
    details_enc = models.BinaryField()
    #: Keyed blind indexes of the company's normalised name and of its KvK number
    #: (vault.blind_keys: HMAC-SHA256 under a key that is not in the database, bound to
    #: the organisation), so the supplier list is matched without unsealing the details.
    #: Empty when the detail was not given. Never the name itself (R-AW-8).
    name_index = models.CharField(max_length=64, blank=True, default="", editable=False)
    kvk_index = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("financieel belang")
        verbose_name_plural = _("financiële belangen")
        constraints = [
            models.CheckConstraint(
                condition=_in("interest_kind", InterestKind),
                name="financial_interest_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return str(self.token)


class Gift(models.Model):
    """A gift, payment, reward, promise or invitation (R-AW-10, R-GC-1, R-GC-2)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, primary_key=True, related_name="gift"
    )
    #: The registration's organisation again, for the totals per giver and period.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    gift_kind = models.CharField(_("soort"), max_length=16, choices=GiftKind.choices)
    invitation_kind = models.CharField(
        _("soort uitnodiging"), max_length=16, choices=InvitationKind.choices, blank=True
    )
    direction = models.CharField(
        _("aangeboden of ontvangen"), max_length=16, choices=GiftDirection.choices
    )
    giver_name = models.CharField(_("naam van de gever"), max_length=200)
    giver_organisation = models.CharField(_("organisatie van de gever"), max_length=200)
    relation = models.CharField(_("relatie met de gever"), max_length=200)
    value_cents = models.PositiveIntegerField(
        _("geschatte waarde (eurocent)"), validators=[MaxValueValidator(MAX_VALUE_CENTS)]
    )
    #: The organisation's threshold when the gift was registered (R-GC-1).
    threshold_cents = models.PositiveIntegerField(_("grens (eurocent)"))
    given_on = models.DateField(_("datum"))
    accepted = models.BooleanField(_("aangenomen"))
    description = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("geschenk of uitnodiging")
        verbose_name_plural = _("geschenken en uitnodigingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(value_cents__gte=0, value_cents__lte=MAX_VALUE_CENTS),
                name="gift_value_range",
            ),
            models.CheckConstraint(condition=_in("gift_kind", GiftKind), name="gift_kind_valid"),
            models.CheckConstraint(
                condition=(Q(gift_kind=GiftKind.INVITATION) & ~Q(invitation_kind=""))
                | (~Q(gift_kind=GiftKind.INVITATION) & Q(invitation_kind="")),
                name="gift_invitation_kind_iff_invitation",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "given_on", "giver_organisation"],
                name="gift_org_period_idx",
            )
        ]

    def __str__(self) -> str:
        return self.giver_organisation

    @property
    def value(self) -> Decimal:
        return Decimal(self.value_cents) / 100

    @property
    def above_threshold(self) -> bool:
        return self.value_cents > self.threshold_cents


class GiftTotal(models.Model):
    """Gifts and invitations of one organisation per giver and month: their number and
    total value. Written by the services in the transaction that writes or removes the
    gift (`services.gift_totals_add`), so the register's totals per giver and period read
    a few hundred of these rows instead of grouping every gift of the organisation."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    giver_organisation = models.CharField(_("organisatie van de gever"), max_length=200)
    #: The first day of the month of the gifts (`Gift.given_on`).
    month = models.DateField(_("maand"))
    count = models.PositiveIntegerField(_("aantal"), default=0)
    value_cents = models.PositiveBigIntegerField(_("totale waarde (eurocent)"), default=0)

    class Meta:
        verbose_name = _("totaal per gever en maand")
        verbose_name_plural = _("totalen per gever en maand")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "giver_organisation"],
                name="gift_total_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.giver_organisation} {self.month:%Y-%m}: {self.count}"


class ConflictOfInterest(models.Model):
    """A possible conflict of interest in one dossier, with the measure taken."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, primary_key=True, related_name="conflict"
    )
    dossier = models.CharField(_("dossier"), max_length=200)
    description = models.TextField(_("wat is het belang"))
    measure = models.CharField(_("maatregel"), max_length=16, choices=Measure.choices)
    measure_text = models.TextField(_("toelichting op de maatregel"), blank=True)

    class Meta:
        verbose_name = _("mogelijk belangenconflict")
        verbose_name_plural = _("mogelijke belangenconflicten")
        constraints = [
            models.CheckConstraint(condition=_in("measure", Measure), name="conflict_measure_valid")
        ]

    def __str__(self) -> str:
        return self.dossier


class ContractPermission(models.Model):
    """A request to take part in a contract or supply for the municipality (R-AW-9)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, primary_key=True, related_name="contract"
    )
    party_name = models.CharField(_("partij"), max_length=200)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    description = models.TextField(_("opdracht of levering"))
    own_role = models.TextField(_("uw rol"))

    class Meta:
        verbose_name = _("verzoek deelname aan opdracht")
        verbose_name_plural = _("verzoeken deelname aan opdrachten")

    def __str__(self) -> str:
        return self.party_name


class Decision(BaseModel):
    """A decision on a registration; the newest one is the registration's status."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="decisions"
    )
    outcome = models.CharField(_("besluit"), max_length=16, choices=Outcome.choices)
    route = models.CharField(_("besluit door"), max_length=24, choices=Route.choices)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    #: R-GC-3: the criteria the decision weighed (Criterion values).
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    reasons = models.TextField(_("motivering"), blank=True)
    conditions = models.TextField(_("voorwaarden"), blank=True)

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        constraints = [
            models.CheckConstraint(
                condition=_in("outcome", Outcome), name="decision_outcome_valid"
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=[Outcome.CONDITIONAL, Outcome.MEASURE])
                | ~Q(conditions=""),
                name="decision_conditions_given",
            ),
        ]
        indexes = [
            models.Index(fields=["registration", "created_at"], name="decision_registration_idx")
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()

    @property
    def criteria_labels(self) -> list[str]:
        labels = dict(Criterion.choices)
        return [str(labels.get(value, value)) for value in self.criteria]


class PurgedRegistrationTally(models.Model):
    """R-DP-2: how many registrations the retention run removed, per organisation, year
    and kind — the counted tombstone of what is gone."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind"], name="purged_registration_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year} {self.kind}: {self.count}"


class Counterparty(OrganisationOwned):
    """One line of the organisation's list of suppliers, subsidy recipients and running
    tenders, as the integrity officer imported it; an import replaces the whole list."""

    name = models.CharField(_("naam"), max_length=200)
    #: The normalised name (registers/matching.py), for matching one registration.
    name_key = models.CharField(max_length=200)
    #: The party's identity across imports (matching.Party.key), as its signals hold it.
    party_key = models.CharField(max_length=120)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    kind = models.CharField(_("soort"), max_length=24, choices=CounterpartyKind.choices)
    tender_start = models.DateField(_("aanbesteding loopt van"), null=True, blank=True)
    tender_end = models.DateField(_("aanbesteding loopt tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("partij op de lijst")
        verbose_name_plural = _("partijen op de lijst")
        constraints = [
            models.CheckConstraint(
                condition=_in("kind", CounterpartyKind), name="counterparty_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=CounterpartyKind.TENDER) | Q(tender_start__isnull=False),
                name="counterparty_tender_has_start",
            ),
            models.CheckConstraint(
                condition=Q(tender_end__isnull=True)
                | Q(tender_start__isnull=True)
                | Q(tender_end__gte=F("tender_start")),
                name="counterparty_tender_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "kvk_number"], name="counterparty_org_kvk_idx"),
            models.Index(fields=["organisation", "name_key"], name="counterparty_org_name_idx"),
            models.Index(fields=["organisation", "party_key"], name="counterparty_org_party_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class ConflictSignal(OrganisationOwned):
    """A registration that touches a party on the list: a signal with its reason, for a
    person to weigh (relevant or not, with a note). Never a verdict.

    A weighed signal outlives the list: when its party leaves the list at a re-import,
    `counterparty` becomes empty ("no longer on the list") and the weighing stays.
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="signals")
    reason = models.CharField(_("reden"), max_length=24, choices=SignalReason.choices)
    match_by = models.CharField(_("gevonden op"), max_length=8, choices=MatchBy.choices)
    #: The party's identity across imports: "kvk:<number>" or "name:<normalised name>".
    party_key = models.CharField(max_length=120)
    #: The party as the list named it when the signal was raised.
    party_name = models.CharField(_("partij"), max_length=200)
    party_kind = models.CharField(
        _("soort partij"), max_length=24, choices=CounterpartyKind.choices
    )
    #: Empty once the party is no longer on the list. An import replaces the list (the
    #: links go empty) and links the signals again by `party_key` in one statement.
    counterparty = models.ForeignKey(
        Counterparty, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals"
    )
    state = models.CharField(
        _("weging"), max_length=16, choices=SignalState.choices, default=SignalState.OPEN
    )
    note = models.TextField(_("toelichting bij de weging"), blank=True)
    weighed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    weighed_at = models.DateTimeField(_("gewogen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "reason", "party_key"], name="conflict_signal_unique"
            ),
            models.CheckConstraint(
                condition=_in("reason", SignalReason), name="conflict_signal_reason_valid"
            ),
            models.CheckConstraint(
                condition=_in("state", SignalState), name="conflict_signal_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=SignalState.OPEN)
                | (Q(weighed_by__isnull=False) & Q(weighed_at__isnull=False)),
                name="conflict_signal_weighed_by_someone",
            ),
        ]
        indexes = [
            # The signals page, newest first, and its filters; the work list (open ones).
            models.Index(
                fields=["organisation", "created_at", "id"], name="conflict_signal_org_time_idx"
            ),
            models.Index(
                fields=["organisation", "state", "created_at"],
                name="conflict_signal_org_state_idx",
            ),
            models.Index(
                fields=["organisation", "reason", "state", "created_at"],
                name="conflict_signal_org_reason_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.pk}"

    @property
    def on_list(self) -> bool:
        return self.counterparty_id is not None


class SignalRefresh(models.Model):
    """One day on which the daily run brought the signals in line with the calendar:
    side activities that started or ended since the previous such day were matched
    again (signalling.refresh_signals). The newest row says where the next run starts."""

    day = models.DateField(unique=True)
    raised = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.day.isoformat()


# The yearly re-confirmation lives in its own module; imported here to be registered.
from .campaign_models import (  # noqa: E402, F401
    Reconfirmation,
    ReconfirmationCampaign,
    ReconfirmationReminder,
)

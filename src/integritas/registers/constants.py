"""Kinds, statuses and outcomes of the registers (seed 3.2.6, 3.2.8, 3.2.9; R-AW-5 … R-AW-10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: Longest free text in a registration; enough for a paragraph, not for a document.
TEXT_MAX_LENGTH = 2000
#: Hours a month cannot exceed the hours in a month.
MAX_HOURS_PER_MONTH = 744
#: A gift worth more than this is absurd for the form (€ 1,000,000.00 in cents).
MAX_VALUE_CENTS = 100_000_000
#: R-DP-2: personnel registrations are kept until 2 years after employment ends.
RETENTION_YEARS_AFTER_EMPLOYMENT = 2
#: Rows per page in the lists.
PAGE_SIZE = 50


class Kind(models.TextChoices):
    SIDE_ACTIVITY = "side_activity", _("Nevenwerkzaamheid")
    FINANCIAL_INTEREST = "financial_interest", _("Financieel belang")
    GIFT = "gift", _("Geschenk of uitnodiging")
    CONFLICT = "conflict", _("Mogelijk belangenconflict")
    CONTRACT = "contract", _("Deelname aan opdracht of levering")


class Status(models.TextChoices):
    PENDING = "pending", _("Wacht op besluit")
    APPROVED = "approved", _("Toegestaan")
    CONDITIONAL = "conditional", _("Toegestaan onder voorwaarden")
    REFUSED = "refused", _("Niet toegestaan")
    NOTED = "noted", _("Geregistreerd")


#: Statuses in which a side activity may be published (R-AW-7).
PUBLISHABLE_STATUSES = (Status.APPROVED, Status.CONDITIONAL)
#: Statuses of a registration whose assessment is done.
DECIDED_STATUSES = (Status.APPROVED, Status.CONDITIONAL, Status.REFUSED, Status.NOTED)


class Route(models.TextChoices):
    """Who decides on a registration."""

    MANAGER = "manager", _("Leidinggevende")
    MAYOR = "mayor", _("Burgemeester")
    INTEGRITY_OFFICER = "integrity_officer", _("Functionaris integriteit")
    NONE = "none", _("Geen besluit nodig")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Toegestaan")
    CONDITIONAL = "conditional", _("Toegestaan onder voorwaarden")
    REFUSED = "refused", _("Niet toegestaan")
    # Gifts above the threshold (R-GC-1)
    GIFT_RETURN = "gift_return", _("Teruggeven")
    GIFT_HAND_OVER = "gift_hand_over", _("Afgeven aan de organisatie")
    GIFT_DONATE = "gift_donate", _("Schenken aan een goed doel")
    GIFT_ACCEPT = "gift_accept", _("Aannemen met toestemming")
    # Financial interests (R-AW-8): the manager learns only this
    NO_OBJECTION = "no_objection", _("Geen bezwaar")
    MEASURE = "measure", _("Maatregel die het werk raakt")


GENERAL_OUTCOMES = (Outcome.APPROVED, Outcome.CONDITIONAL, Outcome.REFUSED)
GIFT_OUTCOMES = (
    Outcome.GIFT_RETURN,
    Outcome.GIFT_HAND_OVER,
    Outcome.GIFT_DONATE,
    Outcome.GIFT_ACCEPT,
)
FINANCIAL_OUTCOMES = (Outcome.NO_OBJECTION, Outcome.MEASURE)

#: The status a registration gets from its decision's outcome.
OUTCOME_STATUS = {
    Outcome.APPROVED: Status.APPROVED,
    Outcome.CONDITIONAL: Status.CONDITIONAL,
    Outcome.REFUSED: Status.REFUSED,
    Outcome.GIFT_RETURN: Status.REFUSED,
    Outcome.GIFT_HAND_OVER: Status.REFUSED,
    Outcome.GIFT_DONATE: Status.REFUSED,
    Outcome.GIFT_ACCEPT: Status.APPROVED,
    Outcome.NO_OBJECTION: Status.APPROVED,
    Outcome.MEASURE: Status.CONDITIONAL,
}


class Criterion(models.TextChoices):
    """R-GC-3: what a side activity is assessed against."""

    EMPLOYER_INTEREST = "employer_interest", _("Strijd met de belangen van de werkgever")
    REPUTATION = "reputation", _("Reputatie van de organisatie")
    FUNCTIONING = "functioning", _("Invloed op het functioneren en de werktijd")
    INFORMATION = "information", _("Gebruik van informatie of middelen van de werkgever")
    RELATIONS = "relations", _("Relaties met partijen waarmee de gemeente zaken doet")


class GiftKind(models.TextChoices):
    GIFT = "gift", _("Geschenk")
    PAYMENT = "payment", _("Betaling of geld")
    REWARD = "reward", _("Beloning")
    PROMISE = "promise", _("Belofte")
    INVITATION = "invitation", _("Uitnodiging")


class InvitationKind(models.TextChoices):
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Diner")
    EVENT = "event", _("Evenement")
    TRIP = "trip", _("Reis of verblijf")


class GiftDirection(models.TextChoices):
    OFFERED = "offered", _("Aangeboden")
    RECEIVED = "received", _("Ontvangen")


class Measure(models.TextChoices):
    OTHER_HANDLER = "other_handler", _("Een andere behandelaar")
    FOUR_EYES = "four_eyes", _("Vier ogen")
    WITHDRAWN = "withdrawn", _("Ik trek mij terug uit het dossier")
    OTHER = "other", _("Anders (toelichting)")


class InterestKind(models.TextChoices):
    INTEREST = "interest", _("Financieel belang")
    HOLDING = "holding", _("Bezit van effecten")
    TRANSACTION = "transaction", _("Transactie in effecten")


# --------------------------------------------------------------------------- conflict signals

#: The most rows one counterparty list may hold.
COUNTERPARTY_MAX_ROWS = 20_000
#: The largest counterparty file accepted (bytes).
COUNTERPARTY_MAX_BYTES = 10 * 1024 * 1024


class CounterpartyKind(models.TextChoices):
    """What a party on the organisation's list is to the municipality."""

    SUPPLIER = "supplier", _("Leverancier")
    SUBSIDY_RECIPIENT = "subsidy_recipient", _("Subsidieontvanger")
    TENDER = "tender", _("Lopende aanbesteding")


class SignalReason(models.TextChoices):
    """Why a registration was flagged: a signal for a person to weigh, never a verdict."""

    SIDE_ACTIVITY = "side_activity", _("Nevenwerkzaamheid bij een partij op de lijst")
    FINANCIAL_INTEREST = "financial_interest", _("Financieel belang bij een partij op de lijst")
    TENDER_GIFT = (
        "tender_gift",
        _("Geschenk of uitnodiging van een partij met een lopende aanbesteding"),
    )


class MatchBy(models.TextChoices):
    KVK = "kvk", _("gelijk KvK-nummer")
    NAME = "name", _("gelijke naam")


class SignalState(models.TextChoices):
    OPEN = "open", _("Nog te wegen")
    RELEVANT = "relevant", _("Relevant")
    NOT_RELEVANT = "not_relevant", _("Niet relevant")


#: Registrations in these statuses are no longer live: they raise no signal.
NOT_LIVE_STATUSES = (Status.REFUSED,)

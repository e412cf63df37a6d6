"""Choices of the Meldpunt: English values, the policy's Dutch as labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The reporter's own word for what they report (R-WBK-10)."""

    INTEGRITY_VIOLATION = "integrity_violation", _("Integriteitsschending")
    WRONGDOING = (
        "wrongdoing",
        _("Misstand (maatschappelijk belang, Wet bescherming klokkenluiders)"),
    )
    IRREGULARITY = "irregularity", _("Onregelmatigheid")
    UNWANTED_BEHAVIOUR = "unwanted_behaviour", _("Ongewenst gedrag")


class Category(models.TextChoices):
    """The categories of REQUIREMENTS.md; 8a-8e are the kinds of unwanted behaviour."""

    FINANCIAL = (
        "1",
        _("1 Financiële schendingen (fraude, diefstal, verduistering, omkoping, declaraties)"),
    )
    CONFLICT_OF_INTEREST = "2", _("2 Belangenverstrengeling / misbruik van positie")
    GIFTS = "3", _("3 Geschenken, giften en uitnodigingen")
    INFORMATION = "4", _("4 Lekken en misbruik van informatie")
    ABUSE_OF_POWERS = "5", _("5 Misbruik van bevoegdheden")
    ABUSE_OF_FORCE = "6", _("6 Misbruik van geweldsbevoegdheden")
    MISUSE_OF_RESOURCES = (
        "7",
        _("7 Oneigenlijk gebruik van dienstmiddelen / verspilling / overtreding interne regels"),
    )
    BULLYING = "8a", _("8a Pesten")
    SEXUAL_HARASSMENT = "8b", _("8b Seksuele intimidatie")
    AGGRESSION = "8c", _("8c Agressie en geweld")
    DISCRIMINATION = "8d", _("8d Discriminatie")
    OTHER_HARASSMENT = "8e", _("8e Overige intimidatie")
    PRIVATE_MISCONDUCT = "9", _("9 Misdragingen in de privésfeer")
    OTHER = "10", _("10 Overig / geen integriteitskwestie")


class IdentityMode(models.TextChoices):
    NAMED = "named", _("Met naam")
    CONFIDENTIAL = (
        "confidential",
        _("Vertrouwelijk (alleen de integriteitscoördinator kent mijn naam)"),
    )
    ANONYMOUS = "anonymous", _("Anoniem")


class ReporterRelation(models.TextChoices):
    """R-WBK-10: who may report."""

    EMPLOYEE = "employee", _("Medewerker")
    FORMER_EMPLOYEE = "former_employee", _("Oud-medewerker")
    HIRED = "hired", _("Inhuur / uitzendkracht")
    SELF_EMPLOYED = "self_employed", _("Zzp'er")
    INTERN = "intern", _("Stagiair")
    VOLUNTEER = "volunteer", _("Vrijwilliger")
    SUPPLIER = "supplier", _("Leverancier")
    APPLICANT = "applicant", _("Sollicitant")
    OTHER = "other", _("Anders")


class Channel(models.TextChoices):
    WEB = "web", _("Webformulier")
    API = "api", _("Ander kanaal (API)")
    MANAGER = "manager", _("Via leidinggevende (mondeling)")
    PHONE = "phone", _("Telefoon")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("Persoonlijk gesprek")


class IntakeHold(models.TextChoices):
    """Where a report stands in the flood defence (cases/intake/budget.py, ADR 0006).

    Held: it came without proof of work from a source over its budget (or while many
    sources flooded together); the coordinator reviews it. Set aside: the coordinator
    judged it part of a flood. The statutory clock runs from receipt either way.
    """

    NONE = "", _("Gewoon ontvangen")
    HELD = "held", _("Vastgehouden")
    SET_ASIDE = "set_aside", _("Terzijde gelegd")


class Status(models.TextChoices):
    """DESIGN §4."""

    RECEIVED = "received", _("Ontvangen")
    TRIAGE = "triage", _("Vooronderzoek")
    AWAITING_APPROVAL = "awaiting_approval", _("Wacht op besluit gemeentesecretaris")
    INVESTIGATION = "investigation", _("Onderzoek")
    REPORTED_TO_SECRETARY = "reported_to_secretary", _("Rapport bij gemeentesecretaris")
    DECIDED = "decided", _("Besluit genomen")
    REFERRED = "referred", _("Doorverwezen")
    CLOSED_WITHOUT_INVESTIGATION = "closed_without_investigation", _("Afgesloten zonder onderzoek")
    CLOSED = "closed", _("Afgesloten")


# What the reporter sees in the mailbox: plain Dutch, no internal detail.
STATUS_FOR_REPORTER = {
    Status.RECEIVED: _("Uw melding is ontvangen en wordt binnenkort bevestigd."),
    Status.TRIAGE: _("Uw melding wordt beoordeeld."),
    Status.AWAITING_APPROVAL: _("Uw melding wordt beoordeeld."),
    Status.INVESTIGATION: _("Naar aanleiding van uw melding loopt een onderzoek."),
    Status.REPORTED_TO_SECRETARY: _("Naar aanleiding van uw melding loopt een onderzoek."),
    Status.DECIDED: _("Er is een besluit genomen over uw melding."),
    Status.REFERRED: _("Uw melding is doorverwezen naar een andere instantie."),
    Status.CLOSED_WITHOUT_INVESTIGATION: _("Uw melding is afgehandeld."),
    Status.CLOSED: _("Uw melding is afgehandeld."),
}

# The stages of DESIGN §4 as sets of statuses, declared once, here. workflow.py holds the
# transitions between the statuses and derives what it can from its table (the steps
# waiting for the secretary); tests/cases/test_workflow_contract.py holds these sets and
# the table to one picture.

#: Where the workflow ends: no transition leaves these (closing stamps closed_at). Open
#: is everything else: the inbox's "open only", the deadline filters, the reminders.
CLOSED_STATUSES = frozenset({Status.CLOSED, Status.CLOSED_WITHOUT_INVESTIGATION})
#: The formal investigation runs: its records and evidence may be added.
INVESTIGATION_STATUSES = frozenset({Status.INVESTIGATION, Status.REPORTED_TO_SECRETARY})
#: The secretary's stage (R-WBK-7): from the approval step up to the decision.
SECRETARY_STATUSES = frozenset({Status.AWAITING_APPROVAL, *INVESTIGATION_STATUSES, Status.DECIDED})
#: The case page shows the decision section: from the investigation report on.
DECISION_STATUSES = frozenset({Status.REPORTED_TO_SECRETARY, Status.DECIDED, Status.CLOSED})


class Finding(models.TextChoices):
    FOUNDED = "founded", _("Gegrond")
    PARTLY_FOUNDED = "partly_founded", _("Deels gegrond")
    UNFOUNDED = "unfounded", _("Ongegrond")
    NOT_ASSESSABLE = "not_assessable", _("Niet vast te stellen")


class Measure(models.TextChoices):
    NONE = "none", _("Geen maatregel")
    CONVERSATION = "conversation", _("Gesprek")
    WRITTEN_WARNING = "written_warning", _("Schriftelijke berisping")
    TRANSFER = "transfer", _("Overplaatsing")
    SUSPENSION = "suspension", _("Schorsing")
    DISMISSAL = "dismissal", _("Ontslag")
    OTHER = "other", _("Andere maatregel")


class MessageDirection(models.TextChoices):
    TO_REPORTER = "to_reporter", _("Aan de melder")
    FROM_REPORTER = "from_reporter", _("Van de melder")


class ReferralBody(models.TextChoices):
    LKOG = "lkog", _("LKOG (Landelijke Klachtencommissie Ongewenst Gedrag)")
    HUIS = "huis", _("Huis voor Klokkenluiders")
    POLICE_OM = "police_om", _("Rijksrecherche / Openbaar Ministerie")
    OTHER = "other", _("Andere instantie")


class ScanStatus(models.TextChoices):
    PENDING = "pending", _("Wordt gecontroleerd")
    CLEAN = "clean", _("Schoon")
    INFECTED = "infected", _("Besmet")


class DisclosureRecipient(models.TextChoices):
    """With whom the reporter's identity is shared (R-WBK-7); external needs a legal duty."""

    INVESTIGATORS = "investigators", _("Onderzoekers")
    SECRETARY = "secretary", _("De gemeentesecretaris")
    EXTERNAL = "external", _("Een externe partij (bijv. politie, OM of rechter)")


class DisclosureGround(models.TextChoices):
    CONSENT = "consent", _("Toestemming van de melder")
    LEGAL_DUTY = "legal_duty", _("Wettelijke plicht (onderzoek of gerechtelijke procedure)")


class SubstituteRole(models.TextChoices):
    """Roles a designated substitute takes over when the holder is involved (seed 5.2)."""

    INTEGRITY_COORDINATOR = "integrity_coordinator", _("Integriteitscoördinator")
    SECRETARY = "secretary", _("Gemeentesecretaris")
    INTEGRITY_OFFICER = "integrity_officer", _("Functionaris integriteit")

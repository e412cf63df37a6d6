"""Choices of the obligations app: English values, Dutch labels; the default rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from integritas.organisations.constants import EmploymentType


class DutyKind(models.TextChoices):
    """The onboarding and yearly duties of seed 3.2.3, 3.2.5, 3.2.7 and 5.1."""

    VOG = "vog", _("Verklaring omtrent het gedrag (VOG)")
    OATH = "oath", _("Eed of belofte")
    DECLARATION = "declaration", _("Integriteitsverklaring")
    CODE_OF_CONDUCT = "code_of_conduct", _("Gedragscode ontvangen en gelezen")
    HANDBOOK = "handbook", _("Informatie personeelshandboek ontvangen")
    SECURITY_TRAINING = "security_training", _("Training informatiebeveiliging")
    INTEGRITY_INTERVIEW = "integrity_interview", _("Integriteit besproken in de HRM-cyclus")


class DutyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Afgerond")
    #: Nothing left to do: the employee left, or HRM closed the duty.
    CLOSED = "closed", _("Vervallen")


class OathForm(models.TextChoices):
    """Ambtenarenwet 2017, art. 7: the eed (oath) or the belofte (affirmation)."""

    EED = "eed", _("Eed")
    BELOFTE = "belofte", _("Belofte")


class DutyFilter(models.TextChoices):
    """What HRM's list filters on: a status, or "overdue" (open and past its date)."""

    OPEN = "open", _("Open")
    OVERDUE = "overdue", _("Te laat")
    DUE_SOON = "due_soon", _("Binnen 14 dagen")
    DONE = "done", _("Afgerond")
    CLOSED = "closed", _("Vervallen")
    ALL = "all", _("Alle")


#: The topic of awareness's training that fulfils the onboarding training (R-BIO-3).
SECURITY_TRAINING_TOPIC = "information_security"
#: Duties due within this many days count as "due soon" (work lists, reminders).
DUE_SOON_DAYS = 14
#: Personnel-file retention (R-DP-2): duty records and signed forms are purged this many
#: years after employment ends.
RETENTION_YEARS = 2

_ALL = [EmploymentType.EMPLOYED, EmploymentType.HIRED, EmploymentType.INTERN]

#: Which duty for which employment type unless the organisation decided otherwise
#: (seed 3.2.5: the eed or belofte for employees, the integriteitsverklaring for hired
#: workers and interns; R-BIO-3: the training for everyone using the systems). The VOG
#: further depends on the function's screening profile.
DEFAULT_RULES: dict[str, list[str]] = {
    DutyKind.VOG: list(_ALL),
    DutyKind.OATH: [EmploymentType.EMPLOYED],
    DutyKind.DECLARATION: [EmploymentType.HIRED, EmploymentType.INTERN],
    DutyKind.CODE_OF_CONDUCT: list(_ALL),
    DutyKind.HANDBOOK: list(_ALL),
    DutyKind.SECURITY_TRAINING: list(_ALL),
    DutyKind.INTEGRITY_INTERVIEW: [EmploymentType.EMPLOYED],
}

# The texts of the eed and the belofte as the seed policy's organisations use them
# (Ambtenarenwet 2017, art. 7). Not translated: a legal text, printed as the organisation
# keeps it (ObligationSettings.oath_text_eed / oath_text_belofte may replace it).
DEFAULT_OATH_TEXT = (
    "Ik zweer dat ik mij als ambtenaar loyaal zal inzetten voor de publieke zaak, dat ik "
    "de Grondwet en alle andere wetten zal naleven en de belangen van de burgers zal "
    "respecteren. Ik zweer dat ik mijn functie integer, zorgvuldig en onpartijdig zal "
    "uitoefenen, dat ik geheim zal houden wat mij in mijn functie als vertrouwelijk ter "
    "kennis komt, en dat ik geen geschenken, beloningen of beloften zal aannemen die mijn "
    "onafhankelijkheid kunnen aantasten.\n\nZo waarlijk helpe mij God almachtig."
)
DEFAULT_AFFIRMATION_TEXT = (
    "Ik beloof dat ik mij als ambtenaar loyaal zal inzetten voor de publieke zaak, dat ik "
    "de Grondwet en alle andere wetten zal naleven en de belangen van de burgers zal "
    "respecteren. Ik beloof dat ik mijn functie integer, zorgvuldig en onpartijdig zal "
    "uitoefenen, dat ik geheim zal houden wat mij in mijn functie als vertrouwelijk ter "
    "kennis komt, en dat ik geen geschenken, beloningen of beloften zal aannemen die mijn "
    "onafhankelijkheid kunnen aantasten.\n\nDat verklaar en beloof ik."
)

# The integriteitsverklaring that hired workers and interns sign or acknowledge (seed
# 3.2.5): "ontvangen, gelezen en ik houd mij eraan". The organisation's own text
# (ObligationSettings.declaration_text) replaces it; each change is a new version.
DEFAULT_DECLARATION_TEXT = (
    "Ik verklaar dat ik de gedragscode en het integriteitsbeleid van de organisatie heb "
    "ontvangen en gelezen, en dat ik mij daaraan houd zolang ik voor de organisatie werk. "
    "Ik ga zorgvuldig om met de informatie, de middelen en de bevoegdheden die ik bij mijn "
    "werk krijg, ik houd geheim wat mij als vertrouwelijk ter kennis komt, ook na afloop "
    "van mijn opdracht of stage, en ik neem geen geschenken, beloningen of beloften aan "
    "die mijn onafhankelijkheid kunnen aantasten. Een vermoeden van een "
    "integriteitsschending meld ik volgens de regeling van de organisatie."
)


def default_rules() -> dict[str, list[str]]:
    return {kind: list(types) for kind, types in DEFAULT_RULES.items()}

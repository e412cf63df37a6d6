"""Choices of the counsellors' log and coordination (seed 3.2.10, 4; R-GC-4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    """What a consultation was about: integrity, or one kind of unwanted behaviour of the
    Arbowet's psychosociale arbeidsbelasting and BW 7:646 (R-GC-4)."""

    INTEGRITY = "integrity", _("Integriteit")
    SEXUAL_INTIMIDATION = "sexual_intimidation", _("Seksuele intimidatie")
    AGGRESSION = "aggression", _("Agressie en geweld")
    BULLYING = "bullying", _("Pesten")
    DISCRIMINATION = "discrimination", _("Discriminatie")
    OTHER = "other", _("Anders")


class Channel(models.TextChoices):
    """How the person came to the counsellor."""

    OWN_INITIATIVE = "own_initiative", _("Op eigen initiatief")
    MANAGER = "manager", _("Via de leidinggevende")
    COLLEAGUE = "colleague", _("Via een collega")
    HRM = "hrm", _("Via HRM")
    COMPANY_DOCTOR = "company_doctor", _("Via de bedrijfsarts")
    OTHER = "other", _("Anders")


class FollowUp(models.TextChoices):
    """What followed the consultation (several may apply)."""

    LISTENED = "listened", _("Geluisterd")
    ADVICE = "advice", _("Advies gegeven")
    REFERRAL_MELDPUNT = "referral_meldpunt", _("Verwezen naar het Meldpunt (met toestemming)")
    REFERRAL_MANAGER = "referral_manager", _("Verwezen naar de leidinggevende (met toestemming)")
    MEDIATION = "mediation", _("Bemiddeling")
    LKOG = "lkog", _("Verwezen naar de LKOG")
    COMPANY_DOCTOR = "company_doctor", _("Verwezen naar de bedrijfsarts")


class SessionKind(models.TextChoices):
    TRAINING = "training", _("Training")
    INTERVISION = "intervision", _("Intervisie")


#: The longest free text of an entry: a reminder for oneself, never an account.
NOTE_MAX_LENGTH = 280

#: Counts from 1 up to this number are shown as "< 5" (never an entry, never a small
#: number that could point to a person).
SMALL_COUNT_LIMIT = 4

#: R-DP-2: an entry is kept until the end of the fifth year after the year of the
#: consultation (counsellor logs: 5 years), and purged on 1 January after that.
RETENTION_YEARS = 5

"""Choices of `awareness`: English values, Dutch labels (seed 2.1, 5.1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from integritas.organisations.constants import VulnerableActivity

__all__ = ["ActivityKind", "DilemmaTheme", "TrainingTopic", "VulnerableActivity"]


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    WORKSHOP = "workshop", _("Workshop")
    THEME_MEETING = "theme_meeting", _("Themabijeenkomst")
    DILEMMA_SESSION = "dilemma_session", _("Dilemmasessie")
    E_LEARNING = "e_learning", _("E-learning")


class TrainingTopic(models.TextChoices):
    """The topic of an activity. `information_security` fulfils the onboarding duty of the
    BIO awareness training (obligations subscribes to training_completed)."""

    INTEGRITY = "integrity", _("Integriteit algemeen")
    INFORMATION_SECURITY = "information_security", _("Informatiebeveiliging")
    CODE_OF_CONDUCT = "code_of_conduct", _("Gedragscode")
    UNWANTED_BEHAVIOUR = "unwanted_behaviour", _("Ongewenst gedrag")
    REPORTING = "reporting", _("Melden van vermoedens van misstanden")
    CONFLICTS_OF_INTEREST = "conflicts_of_interest", _("Belangenverstrengeling")


class DilemmaTheme(models.TextChoices):
    CONFLICT_OF_INTEREST = "conflict_of_interest", _("Belangenverstrengeling")
    GIFTS = "gifts", _("Geschenken en uitnodigingen")
    SIDE_ACTIVITIES = "side_activities", _("Nevenwerkzaamheden")
    INFORMATION = "information", _("Omgaan met informatie")
    RESOURCES = "resources", _("Gebruik van middelen en tijd")
    CONDUCT = "conduct", _("Omgangsvormen en ongewenst gedrag")
    LOYALTY = "loyalty", _("Loyaliteit en melden")
    SOCIAL_MEDIA = "social_media", _("Sociale media en privéleven")

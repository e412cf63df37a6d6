"""Choices of `risks`: English values, Dutch labels (seed 3.2.4, Modelaanpak Basisnormen).

The nine vulnerable activities are organisations' VulnerableActivity (one list for the
function profile, the registers and this analysis).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from integritas.organisations.constants import ScreeningProfile, VulnerableActivity

__all__ = [
    "ACTIVITIES",
    "FACTOR_FIELDS",
    "AmplifyingFactor",
    "AssessmentStatus",
    "MeasureKind",
    "MeasureStatus",
    "RiskLevel",
    "Score",
    "ScreeningProfile",
    "VulnerableActivity",
]

#: The activities in the order of the policy; each has a score column `score_<value>`.
ACTIVITIES: tuple[VulnerableActivity, ...] = tuple(VulnerableActivity)


class Score(models.IntegerChoices):
    """How strongly a function carries out a vulnerable activity."""

    NONE = 0, _("Niet")
    LIMITED = 1, _("Beperkt")
    CONSIDERABLE = 2, _("Aanzienlijk")
    HIGH = 3, _("Groot")


class RiskLevel(models.IntegerChoices):
    """The risk level of a function; ordered, so the database can compare and count."""

    NONE = 0, _("Geen")
    LOW = 1, _("Laag")
    MEDIUM = 2, _("Midden")
    HIGH = 3, _("Hoog")


class AmplifyingFactor(models.TextChoices):
    """Factors that raise the risk, judged for the organisation or a unit — never for a
    person: personal circumstances of an employee are not recorded here (seed 3.2.4)."""

    COMPLEXITY = "complexity", _("Complexiteit")
    CHANGES = "changes", _("Veranderingen")
    PROBLEM_HISTORY = "problem_history", _("Probleemhistorie")
    MANAGEMENT_STYLE = "management_style", _("Managementstijl")
    CIRCUMSTANCES = "circumstances", _("Omstandigheden in de organisatie")
    LOW_SOCIAL_COHESION = "low_social_cohesion", _("Weinig sociale binding")


#: The boolean column of each factor on AmplifyingFactors.
FACTOR_FIELDS: dict[str, str] = {factor.value: factor.value for factor in AmplifyingFactor}


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    CONFIRMED = "confirmed", _("Vastgesteld")


class MeasureKind(models.TextChoices):
    FRAUD_RISK_ANALYSIS = "fraud_risk_analysis", _("Frauderisicoanalyse")
    SEGREGATION = "segregation", _("Functiescheiding")
    ROTATION = "rotation", _("Roulatie")
    FOUR_EYES = "four_eyes", _("Vier-ogenprincipe")
    RULES_ATTENTION = "rules_attention", _("Aandacht voor regels")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    ACTIVE = "active", _("Ingevoerd")
    ENDED = "ended", _("Beëindigd")

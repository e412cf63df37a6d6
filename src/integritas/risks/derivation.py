"""The risk level of a function and the profile it leads to: pure functions, no database.

The level follows from the scores of the nine vulnerable activities, raised by the
amplifying factors of the organisation or unit (seed 3.2.4):

- the highest score sets the base: groot → hoog, aanzienlijk → midden, beperkt → laag,
  nothing → geen;
- three or more activities scored aanzienlijk or groot raise the level by one;
- two or more amplifying factors raise the level by one (they never make a function
  that carries out no vulnerable activity vulnerable);
- the level never exceeds hoog.

Every step that applied is returned as a reason, so the page shows why.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .constants import ACTIVITIES, RiskLevel, Score, ScreeningProfile, VulnerableActivity

#: Activities scored at least this count as the function's vulnerable activities.
VULNERABLE_FROM = Score.CONSIDERABLE
#: This many vulnerable activities raise the level by one.
MANY_ACTIVITIES = 3
#: This many amplifying factors raise the level by one.
MANY_FACTORS = 2
#: Activities that make a function with a high risk designated for financial interests.
FINANCIAL_ACTIVITIES = frozenset(
    {
        VulnerableActivity.MONEY,
        VulnerableActivity.REAL_ESTATE,
        VulnerableActivity.OUTSOURCING,
        VulnerableActivity.GRANTING,
        VulnerableActivity.COLLECTING,
        VulnerableActivity.PAYING_OUT,
    }
)

_BASE = {
    Score.NONE: RiskLevel.NONE,
    Score.LIMITED: RiskLevel.LOW,
    Score.CONSIDERABLE: RiskLevel.MEDIUM,
    Score.HIGH: RiskLevel.HIGH,
}


@dataclass(frozen=True)
class Reason:
    text: str | Promise
    level: RiskLevel


@dataclass(frozen=True)
class Derivation:
    level: RiskLevel
    reasons: tuple[Reason, ...]


def derive_risk_level(scores: Mapping[str, int], factors: Collection[str]) -> Derivation:
    """The level for these activity scores (value -> 0..3) and present factor values."""
    top = Score(max((int(scores.get(a.value, 0)) for a in ACTIVITIES), default=0))
    level = _BASE[top]
    reasons = [
        Reason(
            _("Hoogste score op een kwetsbare activiteit: %(score)s.")
            % {"score": top.label.lower()},
            level,
        )
    ]
    many = sum(1 for a in ACTIVITIES if int(scores.get(a.value, 0)) >= VULNERABLE_FROM)
    if many >= MANY_ACTIVITIES and level < RiskLevel.HIGH:
        level = RiskLevel(level + 1)
        reasons.append(
            Reason(
                _("%(count)d activiteiten scoren aanzienlijk of groot: één niveau hoger.")
                % {"count": many},
                level,
            )
        )
    if len(factors) >= MANY_FACTORS and RiskLevel.NONE < level < RiskLevel.HIGH:
        level = RiskLevel(level + 1)
        reasons.append(
            Reason(
                ngettext_lazy(
                    "%(count)d versterkende factor aanwezig: één niveau hoger.",
                    "%(count)d versterkende factoren aanwezig: één niveau hoger.",
                    "count",
                )
                % {"count": len(factors)},
                level,
            )
        )
    elif factors and level == RiskLevel.NONE:
        reasons.append(
            Reason(
                _(
                    "Versterkende factoren verhogen het risico niet van een functie "
                    "zonder kwetsbare activiteiten."
                ),
                level,
            )
        )
    return Derivation(level=level, reasons=tuple(reasons))


@dataclass(frozen=True)
class Profile:
    """The integrity profile fields of organisations' Function."""

    vulnerable_activities: tuple[str, ...]
    screening_profile: str
    designated_financial_interests: bool
    designated_side_activity_publication: bool


def propose_profile(scores: Mapping[str, int], level: int) -> Profile:
    """The consequences of an assessment for the function's profile, as a proposal that a
    person confirms: the activities scored aanzienlijk or groot; a VOG with the specific
    screening profile for hoog, the general one for midden; a high risk with financial
    activities is designated for financial interests, and every high risk for the
    publication of side activities."""
    activities = tuple(
        a.value for a in ACTIVITIES if int(scores.get(a.value, 0)) >= VULNERABLE_FROM
    )
    if level >= RiskLevel.HIGH:
        screening = ScreeningProfile.SPECIFIC
    elif level >= RiskLevel.MEDIUM:
        screening = ScreeningProfile.GENERAL
    else:
        screening = ScreeningProfile.NONE
    high = level >= RiskLevel.HIGH
    return Profile(
        vulnerable_activities=activities,
        screening_profile=str(screening),
        designated_financial_interests=high and bool(FINANCIAL_ACTIVITIES & set(activities)),
        designated_side_activity_publication=high,
    )

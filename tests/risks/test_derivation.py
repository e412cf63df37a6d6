"""The risk level of a function, derived from its scores and the amplifying factors."""

import pytest

from integritas.risks.constants import RiskLevel, ScreeningProfile
from integritas.risks.derivation import derive_risk_level, propose_profile

F2 = ["complexity", "changes"]

CASES = [
    # (scores, factors, expected level)
    ({}, [], RiskLevel.NONE),
    ({}, F2, RiskLevel.NONE),  # factors never make a function vulnerable
    ({"innen": 1}, [], RiskLevel.LOW),
    ({"innen": 1}, ["complexity"], RiskLevel.LOW),  # one factor is not enough
    ({"innen": 1}, F2, RiskLevel.MEDIUM),
    ({"geld": 2}, [], RiskLevel.MEDIUM),
    ({"geld": 2}, F2, RiskLevel.HIGH),
    ({"vastgoed": 3}, [], RiskLevel.HIGH),
    ({"vastgoed": 3}, F2, RiskLevel.HIGH),  # never above hoog
    ({"innen": 2, "uitkeren": 2}, [], RiskLevel.MEDIUM),
    ({"innen": 2, "uitkeren": 2, "verlenen": 2}, [], RiskLevel.HIGH),  # three activities
    ({"innen": 1, "uitkeren": 1, "verlenen": 1}, [], RiskLevel.LOW),  # only beperkt
    ({"innen": 2, "uitkeren": 2, "informatie": 2}, F2, RiskLevel.HIGH),
]


@pytest.mark.parametrize(("scores", "factors", "expected"), CASES)
def test_level_is_derived(scores, factors, expected):
    derivation = derive_risk_level(scores, factors)
    assert derivation.level == expected
    assert derivation.reasons, "the reasoning is always shown"
    assert derivation.reasons[-1].level == expected


def test_reasons_name_each_step():
    derivation = derive_risk_level({"innen": 2, "uitkeren": 2, "verlenen": 1}, F2)
    texts = [str(r.text) for r in derivation.reasons]
    assert "aanzienlijk" in texts[0]
    assert "2 versterkende factoren" in texts[1]


PROFILES = [
    (RiskLevel.NONE, {}, (), ScreeningProfile.NONE, False, False),
    (RiskLevel.LOW, {"innen": 1}, (), ScreeningProfile.NONE, False, False),
    (RiskLevel.MEDIUM, {"informatie": 2}, ("informatie",), ScreeningProfile.GENERAL, False, False),
    (RiskLevel.HIGH, {"informatie": 3}, ("informatie",), ScreeningProfile.SPECIFIC, False, True),
    (
        RiskLevel.HIGH,
        {"geld": 3, "innen": 2},
        ("innen", "geld"),
        ScreeningProfile.SPECIFIC,
        True,
        True,
    ),
]


@pytest.mark.parametrize(
    ("level", "scores", "activities", "screening", "financial", "publication"), PROFILES
)
def test_profile_proposal(level, scores, activities, screening, financial, publication):
    profile = propose_profile(scores, level)
    assert profile.vulnerable_activities == activities
    assert profile.screening_profile == screening
    assert profile.designated_financial_interests is financial
    assert profile.designated_side_activity_publication is publication

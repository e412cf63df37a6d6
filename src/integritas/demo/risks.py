"""Demo data: risk assessments of functions with measures (one review overdue).

Idempotent, through the app's services; called by seed.py after the people exist. Every
organisation gets its amplifying factors, an assessment of up to eight of its functions
(from a table of realistic profiles: some drafts, some confirmed with their consequences
proposed and waiting for a person, one overridden with a reason; the demo never applies
them, because the functions' profiles come from functies.csv and seed.py restores them)
and three measures, one of which has a review date that passed: it was entered three
months ago, so the demo ages it after entry (a past date cannot be entered), and it shows
on the HRM account's work list.
"""

import datetime

from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.accounts.selectors import role_holders
from integritas.organisations.models import Function, Organisation
from integritas.risks import services
from integritas.risks.constants import MeasureKind, MeasureStatus, RiskLevel
from integritas.risks.models import AmplifyingFactors, Measure, RiskAssessment

#: Scores per activity for the demo's functions, in turn.
PROFILES: tuple[dict[str, int], ...] = (
    {"uitbesteden": 3, "geld": 2},
    {"verlenen": 2, "handhaven": 1, "informatie": 2},
    {"uitkeren": 3, "informatie": 2, "innen": 1},
    {"informatie": 1},
    {"vastgoed": 3, "uitbesteden": 2, "geld": 2},
    {"handhaven": 3},
    {},
    {"innen": 2, "geld": 2, "informatie": 2},
)
FACTORS: tuple[list[str], ...] = (
    ["changes", "complexity"],
    ["management_style"],
    [],
    ["problem_history", "changes"],
)
OVERRIDE_REASON = "De functie beheert ook de toegang tot de BRP; het afgeleide niveau is te laag."
MEASURES = (
    (MeasureKind.FOUR_EYES, "", "Betalingen boven 10.000 euro door twee personen akkoord.", 120),
    (MeasureKind.ROTATION, "", "Roulatie van dossiers elke drie jaar.", 200),
    (
        MeasureKind.FRAUD_RISK_ANALYSIS,
        "Inkoop en aanbesteding",
        "Jaarlijkse frauderisicoanalyse.",
        1,
    ),
)


def _functions(org: Organisation) -> list[Function]:
    return list(Function.objects.filter(organisation=org).order_by("code")[: len(PROFILES)])


def _seed_organisation(org: Organisation, index: int) -> dict[str, int]:
    made: dict[str, int] = {}
    actor = role_holders(Role.HRM, org, regional=False).first()
    if actor is None:
        return made
    if not AmplifyingFactors.objects.filter(organisation=org, org_unit__isnull=True).exists():
        services.factors_save(
            actor=actor, organisation=org, org_unit=None, present=FACTORS[index % len(FACTORS)]
        )
        made["risks.factors"] = 1
    functions = _functions(org)
    for position, function in enumerate(functions):
        if RiskAssessment.objects.filter(function=function).exists():
            continue
        assessment = services.assessment_save(
            actor=actor,
            function=function,
            scores=PROFILES[position],
            note="Beoordeeld in het overleg van HRM en de functionaris integriteit.",
        )
        made["risks.assessments"] = made.get("risks.assessments", 0) + 1
        if position == 3:
            assessment = services.assessment_override(
                actor=actor, assessment=assessment, level=RiskLevel.MEDIUM, reason=OVERRIDE_REASON
            )
        if position % 4 != 1:  # every fourth stays a draft, on HRM's work list
            services.assessment_confirm(actor=actor, assessment=assessment)
    if functions and not Measure.objects.filter(organisation=org).exists():
        today = timezone.localdate()
        for number, (kind, process, description, days) in enumerate(MEASURES):
            measure = services.measure_create(
                actor=actor,
                organisation=org,
                function=None if process else functions[number % len(functions)],
                process=process,
                kind=kind,
                description=description,
                owner=actor,
                status=MeasureStatus.ACTIVE,
                review_date=today + datetime.timedelta(days=days),
            )
            if number == len(MEASURES) - 1:
                # Entered three months ago; its review date has passed since.
                Measure.objects.filter(pk=measure.pk).update(
                    review_date=today - datetime.timedelta(days=14)
                )
        made["risks.measures"] = len(MEASURES)
    return made


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    """Make what is missing; return the number of rows made per label."""
    made: dict[str, int] = {}
    for index, org in enumerate(sorted(orgs.values(), key=lambda o: o.slug)):
        for label, number in _seed_organisation(org, index).items():
            made[label] = made.get(label, 0) + number
    return made

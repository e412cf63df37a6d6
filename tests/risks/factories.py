"""Factories of `risks` tests."""

import datetime

from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.risks import services
from integritas.risks.constants import MeasureKind, MeasureStatus
from integritas.risks.models import Measure, RiskAssessment
from tests.factories import EmployeeFactory, FunctionFactory, grant


def hrm_user(organisation):
    user = EmployeeFactory(organisation=organisation).user
    grant(user, Role.HRM, organisation)
    return user


def assessment(organisation, actor=None, **scores) -> RiskAssessment:
    actor = actor or hrm_user(organisation)
    function = FunctionFactory(organisation=organisation)
    return services.assessment_save(actor=actor, function=function, scores=scores)


def measure(organisation, owner, *, days: int = 30, function=None, **fields) -> Measure:
    """A measure written directly (a review date in the past cannot be entered)."""
    return Measure.objects.create(
        organisation=organisation,
        function=function,
        process="" if function else "Inkoop",
        kind=fields.get("kind", MeasureKind.FOUR_EYES),
        owner=owner,
        status=fields.get("status", MeasureStatus.ACTIVE),
        review_date=timezone.localdate() + datetime.timedelta(days=days),
    )

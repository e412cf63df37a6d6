"""The scale phases of risks and awareness: valid rows in bulk, idempotent, sized from
the options (a small run of seed_scale)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from integritas.awareness.models import Activity, Attendance, DilemmaDiscussion
from integritas.demo.scale.risks import FUNCTIONS_PER_EMPLOYEE, assessments_bulk
from integritas.organisations.models import Function
from integritas.risks.derivation import derive_risk_level
from integritas.risks.models import Measure, RiskAssessment
from integritas.risks.selectors import factors_for
from integritas.risks.services import present_factors

pytestmark = pytest.mark.django_db

SMALL = {
    "organisations": 4,
    "employees": 2000,
    "cases_per_year": 50,
    "years": 1,
    "audit_events": 1000,
}


def test_seed_scale_writes_assessments_and_awareness():
    call_command("seed_scale", stdout=StringIO(), stderr=StringIO(), **SMALL)
    functions = Function.objects.count()
    assert functions >= 2000 * FUNCTIONS_PER_EMPLOYEE * 0.9
    assert RiskAssessment.objects.count() == functions  # every function assessed
    # The stored level is the derivation's, with the organisation's factors.
    for assessment in RiskAssessment.objects.select_related("organisation")[:200]:
        factors = present_factors(factors_for(assessment.organisation, None))
        assert assessment.level == derive_risk_level(assessment.scores, factors).level
    assert Measure.objects.exists()
    per_org = Activity.objects.values("organisation").annotate(n=Count("pk"))
    assert all(row["n"] >= 3 for row in per_org)
    assert Attendance.objects.exists() and DilemmaDiscussion.objects.exists()
    before = (RiskAssessment.objects.count(), Activity.objects.count(), Measure.objects.count())
    assessed = RiskAssessment.objects.values_list("organisation_id", flat=True)
    organisation_ids = list(assessed.distinct())
    assessments_bulk(organisation_ids, functions_per_organisation={}, owners={}, seed=1)
    assert RiskAssessment.objects.count() == before[0]

"""The demo's risk analysis: every organisation assessed, with measures and one overdue
review on HRM's work list; a second run makes nothing."""

import pytest
from django.utils import timezone

from integritas.demo import risks as demo
from integritas.risks.constants import AssessmentStatus
from integritas.risks.contributions import work_lists
from integritas.risks.models import Measure, RiskAssessment
from tests.factories import FunctionFactory

from .factories import hrm_user

pytestmark = pytest.mark.django_db


def test_demo_assesses_and_runs_twice(organisation, other_organisation):
    for org in (organisation, other_organisation):
        for _ in range(9):
            FunctionFactory(organisation=org)
    hrm = hrm_user(organisation)
    hrm_user(other_organisation)
    orgs = {"leiderdorp": organisation, "oegstgeest": other_organisation}
    made = demo.seed(orgs, {})
    assert made["risks.assessments"] == 16 and made["risks.measures"] == 6
    assessments = RiskAssessment.objects.filter(organisation=organisation)
    assert assessments.filter(status=AssessmentStatus.DRAFT).exists()
    # Consequences wait for a person: the demo's function profiles come from functies.csv.
    assert not assessments.filter(profile_applied_on__isnull=False).exists()
    assert assessments.filter(override_level__isnull=False).exclude(override_reason="").exists()
    today = timezone.localdate()
    overdue = Measure.objects.filter(organisation=organisation, review_date__lt=today)
    assert overdue.count() == 1
    (work,) = [wl for wl in work_lists(hrm) if wl.rows]
    assert work.rows[0].count == 1 and work.rows[0].urgent
    assert demo.seed(orgs, {}) == {}
    assert RiskAssessment.objects.count() == 16

"""The writes of `risks`: assessment, override with reason, confirm, apply profile,
factors, measures; refused input leaves nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.organisations.constants import ScreeningProfile
from integritas.risks import services
from integritas.risks.constants import AssessmentStatus, MeasureKind, MeasureStatus, RiskLevel
from integritas.risks.models import Measure, RiskAssessment
from tests.factories import EmployeeFactory, FunctionFactory, OrgUnitFactory, grant

from .factories import hrm_user

pytestmark = pytest.mark.django_db


def test_save_derives_and_audits(organisation):
    hrm = hrm_user(organisation)
    function = FunctionFactory(organisation=organisation)
    assessment = services.assessment_save(
        actor=hrm, function=function, scores={"geld": 2, "innen": 1}
    )
    assert assessment.derived_level == RiskLevel.MEDIUM == assessment.level
    assert assessment.status == AssessmentStatus.DRAFT
    assert AuditEvent.objects.filter(
        action="risk_assessment.create", object_id=str(assessment.pk)
    ).exists()
    # Saving again changes the same assessment.
    again = services.assessment_save(actor=hrm, function=function, scores={"geld": 3})
    assert again.pk == assessment.pk and again.level == RiskLevel.HIGH


def test_integrity_officer_edits_other_roles_do_not(organisation, other_organisation):
    function = FunctionFactory(organisation=organisation)
    officer = EmployeeFactory(organisation=organisation).user
    grant(officer, Role.INTEGRITY_OFFICER, organisation)
    services.assessment_save(actor=officer, function=function, scores={"innen": 1})
    for role in (
        Role.SECRETARY,
        Role.WORKING_GROUP,
        Role.INTEGRITY_COORDINATOR,
        Role.ADMINISTRATOR,
    ):
        user = EmployeeFactory(organisation=organisation).user
        grant(user, role, organisation)
        with pytest.raises(PermissionDenied):
            services.assessment_save(actor=user, function=function, scores={})
    foreign = hrm_user(other_organisation)
    with pytest.raises(PermissionDenied):
        services.assessment_save(actor=foreign, function=function, scores={})


def test_override_needs_a_reason(organisation):
    hrm = hrm_user(organisation)
    assessment = services.assessment_save(
        actor=hrm, function=FunctionFactory(organisation=organisation), scores={"innen": 1}
    )
    with pytest.raises(ValidationError) as refused:
        services.assessment_override(actor=hrm, assessment=assessment, level=3, reason="  ")
    assert "reden" in str(refused.value)
    assessment.refresh_from_db()
    assert assessment.override_level is None and assessment.level == RiskLevel.LOW
    services.assessment_override(
        actor=hrm, assessment=assessment, level=RiskLevel.HIGH, reason="Grote budgetten"
    )
    assessment.refresh_from_db()
    assert assessment.level == RiskLevel.HIGH and assessment.derived_level == RiskLevel.LOW
    # Clearing the override returns to the derived level.
    services.assessment_override(actor=hrm, assessment=assessment, level=None, reason="")
    assessment.refresh_from_db()
    assert assessment.level == RiskLevel.LOW and assessment.override_reason == ""


def test_confirm_then_apply_updates_the_function_profile(organisation):
    hrm = hrm_user(organisation)
    function = FunctionFactory(organisation=organisation)
    assessment = services.assessment_save(
        actor=hrm, function=function, scores={"geld": 3, "vastgoed": 2}
    )
    with pytest.raises(ValidationError):  # not before it is confirmed
        services.assessment_apply_profile(actor=hrm, assessment=assessment)
    function.refresh_from_db()
    assert function.vulnerable_activities == []
    services.assessment_confirm(actor=hrm, assessment=assessment)
    services.assessment_apply_profile(actor=hrm, assessment=assessment)
    function.refresh_from_db()
    assert function.vulnerable_activities == ["geld", "vastgoed"]
    assert function.screening_profile == ScreeningProfile.SPECIFIC
    assert function.designated_financial_interests is True
    assert function.designated_side_activity_publication is True
    assessment.refresh_from_db()
    assert assessment.profile_applied_on == timezone.localdate()
    assert AuditEvent.objects.filter(
        action="function.integrity_profile", object_id=str(function.pk)
    ).exists()


def test_factors_of_the_unit_raise_the_level(organisation):
    hrm = hrm_user(organisation)
    unit = OrgUnitFactory(organisation=organisation)
    in_unit = services.assessment_save(
        actor=hrm,
        function=FunctionFactory(organisation=organisation),
        scores={"innen": 2},
        org_unit=unit,
    )
    elsewhere = services.assessment_save(
        actor=hrm, function=FunctionFactory(organisation=organisation), scores={"innen": 2}
    )
    services.factors_save(
        actor=hrm, organisation=organisation, org_unit=unit, present=["changes", "complexity"]
    )
    in_unit.refresh_from_db()
    elsewhere.refresh_from_db()
    assert in_unit.level == RiskLevel.HIGH
    assert elsewhere.level == RiskLevel.MEDIUM
    services.factors_save(
        actor=hrm,
        organisation=organisation,
        org_unit=None,
        present=["management_style", "low_social_cohesion"],
    )
    elsewhere.refresh_from_db()
    assert elsewhere.level == RiskLevel.HIGH


def test_measure_review_date_in_the_past_is_refused(organisation):
    hrm = hrm_user(organisation)
    with pytest.raises(ValidationError) as refused:
        services.measure_create(
            actor=hrm,
            organisation=organisation,
            kind=MeasureKind.ROTATION,
            owner=hrm,
            status=MeasureStatus.PLANNED,
            review_date=timezone.localdate() - datetime.timedelta(days=1),
            process="Inkoop",
        )
    assert "evaluatiedatum ligt in het verleden" in str(refused.value)
    assert not Measure.objects.exists()
    measure = services.measure_create(
        actor=hrm,
        organisation=organisation,
        kind=MeasureKind.ROTATION,
        owner=hrm,
        status=MeasureStatus.PLANNED,
        review_date=timezone.localdate(),
        process="Inkoop",
    )
    assert measure.pk


def test_measure_needs_function_or_process(organisation):
    hrm = hrm_user(organisation)
    with pytest.raises(ValidationError):
        services.measure_create(
            actor=hrm,
            organisation=organisation,
            kind=MeasureKind.ROTATION,
            owner=hrm,
            status=MeasureStatus.PLANNED,
            review_date=timezone.localdate(),
        )
    assert not RiskAssessment.objects.exists() and not Measure.objects.exists()

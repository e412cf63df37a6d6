"""Every write of `risks`: keyword-only, atomic, permission-checked, audited (ids only).

A confirmed assessment's consequences for the function's profile are applied through
organisations' service, so the registers and duties keep reading one source.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.audit.services import audit_record
from integritas.organisations.models import Function, Organisation, OrgUnit
from integritas.organisations.services import function_update_integrity_profile

from .constants import ACTIVITIES, FACTOR_FIELDS, AssessmentStatus, RiskLevel
from .derivation import Derivation, Profile, derive_risk_level, propose_profile
from .models import AmplifyingFactors, Measure, RiskAssessment
from .selectors import factors_for


def acting_role(user: Any, organisation_id: int) -> str:
    """The role under which `user` edits this organisation's analysis (for the audit)."""
    roles = user_roles(user)
    for role in (Role.HRM, Role.INTEGRITY_OFFICER):
        if roles.has(role, organisation_id):
            return role
    raise PermissionDenied


def _check(user: Any, organisation_id: int) -> str:
    if not user.has_perm("risks.edit", organisation_id):
        raise PermissionDenied
    return acting_role(user, organisation_id)


def present_factors(factors: AmplifyingFactors | None) -> list[str]:
    if factors is None:
        return []
    return [value for value, field in FACTOR_FIELDS.items() if getattr(factors, field)]


def assessment_derivation(assessment: RiskAssessment) -> Derivation:
    """The derivation of the assessment's level from its scores and the factors that apply."""
    factors = factors_for(assessment.organisation, assessment.org_unit)
    return derive_risk_level(assessment.scores, present_factors(factors))


def assessment_proposal(assessment: RiskAssessment) -> Profile:
    return propose_profile(assessment.scores, assessment.level)


def _apply_level(assessment: RiskAssessment, factors: list[str] | None = None) -> None:
    """Recompute the derived level (with `factors`, the present factor values, when the
    caller knows which apply) and the level that counts."""
    if factors is None:
        assessment.derived_level = assessment_derivation(assessment).level
    else:
        assessment.derived_level = derive_risk_level(assessment.scores, factors).level
    assessment.level = (
        assessment.override_level
        if assessment.override_level is not None
        else assessment.derived_level
    )


def assessment_save(
    *,
    actor: Any,
    function: Function,
    scores: dict[str, int],
    org_unit: OrgUnit | None = None,
    note: str = "",
) -> RiskAssessment:
    """Create or change the assessment of `function`; a change makes it a draft again
    (to be confirmed anew). The derived level is recomputed."""
    role = _check(actor, function.organisation_id)
    if org_unit is not None and org_unit.organisation_id != function.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        assessment = RiskAssessment.objects.select_for_update().filter(function=function).first()
        created = assessment is None
        if assessment is None:
            assessment = RiskAssessment(organisation_id=function.organisation_id, function=function)
        assessment.organisation = function.organisation
        for activity in ACTIVITIES:
            setattr(assessment, f"score_{activity.value}", int(scores.get(activity.value, 0)))
        assessment.org_unit = org_unit
        assessment.note = note
        assessment.assessed_by = actor
        assessment.status = AssessmentStatus.DRAFT
        assessment.confirmed_by = None
        assessment.confirmed_on = None
        assessment.profile_applied_on = None
        _apply_level(assessment)
        assessment.save()
        audit_record(
            action="risk_assessment.create" if created else "risk_assessment.update",
            actor=actor,
            actor_role=role,
            obj=assessment,
            organisation=function.organisation,
        )
    return assessment


def assessment_override(
    *, actor: Any, assessment: RiskAssessment, level: int | None, reason: str
) -> RiskAssessment:
    """Set (or, with level None, clear) a person's level over the derived one. A reason
    is mandatory for an override; the assessment becomes a draft again."""
    role = _check(actor, assessment.organisation_id)
    reason = reason.strip()
    if level is not None and not reason:
        raise ValidationError(
            {"reason": _("Geef een reden op waarom u het afgeleide risiconiveau aanpast.")}
        )
    if level is not None and level not in RiskLevel.values:
        raise ValidationError({"level": _("Kies een risiconiveau.")})
    with transaction.atomic():
        locked = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
        locked.override_level = level
        locked.override_reason = reason if level is not None else ""
        locked.status = AssessmentStatus.DRAFT
        locked.confirmed_by = None
        locked.confirmed_on = None
        locked.profile_applied_on = None
        _apply_level(locked)
        locked.save()
        audit_record(
            action="risk_assessment.override",
            actor=actor,
            actor_role=role,
            obj=locked,
            organisation=assessment.organisation,
        )
    return locked


def assessment_confirm(
    *, actor: Any, assessment: RiskAssessment, on: datetime.date | None = None
) -> RiskAssessment:
    """Confirm the assessment (vaststellen); its consequences are then proposed."""
    role = _check(actor, assessment.organisation_id)
    with transaction.atomic():
        locked = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status == AssessmentStatus.CONFIRMED:
            return locked
        _apply_level(locked)
        locked.status = AssessmentStatus.CONFIRMED
        locked.confirmed_by = actor
        locked.confirmed_on = on or timezone.localdate()
        locked.save()
        audit_record(
            action="risk_assessment.confirm",
            actor=actor,
            actor_role=role,
            obj=locked,
            organisation=assessment.organisation,
        )
    return locked


def assessment_apply_profile(
    *, actor: Any, assessment: RiskAssessment, on: datetime.date | None = None
) -> Profile:
    """Apply the proposed consequences of a confirmed assessment to the function's
    profile, through organisations' service, in one transaction."""
    role = _check(actor, assessment.organisation_id)
    with transaction.atomic():
        locked = (
            RiskAssessment.objects.select_for_update(of=("self",))
            .select_related("function", "organisation")
            .get(pk=assessment.pk)
        )
        if locked.status != AssessmentStatus.CONFIRMED:
            raise ValidationError(
                _("Stel de risicoanalyse eerst vast; daarna kunt u de gevolgen doorvoeren.")
            )
        profile = propose_profile(locked.scores, locked.level)
        function_update_integrity_profile(
            actor=actor,
            actor_role=role,
            function=locked.function,
            vulnerable_activities=list(profile.vulnerable_activities),
            screening_profile=profile.screening_profile,
            designated_financial_interests=profile.designated_financial_interests,
            designated_side_activity_publication=profile.designated_side_activity_publication,
        )
        locked.profile_applied_on = on or timezone.localdate()
        locked.save(update_fields=["profile_applied_on", "updated_at"])
        audit_record(
            action="risk_assessment.apply_profile",
            actor=actor,
            actor_role=role,
            obj=locked,
            organisation=locked.organisation,
        )
    return profile


def factors_save(
    *,
    actor: Any,
    organisation: Organisation,
    org_unit: OrgUnit | None,
    present: list[str],
) -> AmplifyingFactors:
    """Record which amplifying factors are present for the organisation or a unit; the
    derived level of the assessments they apply to is recomputed in the same transaction."""
    role = _check(actor, organisation.pk)
    if org_unit is not None and org_unit.organisation_id != organisation.pk:
        raise PermissionDenied
    unknown = set(present) - set(FACTOR_FIELDS)
    if unknown:
        raise ValidationError(_("Onbekende versterkende factor."))
    with transaction.atomic():
        factors, _created = AmplifyingFactors.objects.select_for_update().get_or_create(
            organisation=organisation, org_unit=org_unit
        )
        for value, field in FACTOR_FIELDS.items():
            setattr(factors, field, value in present)
        factors.save()
        affected = RiskAssessment.objects.select_for_update().filter(organisation=organisation)
        affected = (
            affected.filter(org_unit=org_unit)
            if org_unit is not None
            else affected.exclude(org_unit__in=_units_with_factors(organisation))
        )
        changed = []
        now_present = present_factors(factors)
        for assessment in affected:
            before = (assessment.derived_level, assessment.level)
            _apply_level(assessment, now_present)
            if (assessment.derived_level, assessment.level) != before:
                changed.append(assessment)
        RiskAssessment.objects.bulk_update(changed, ["derived_level", "level"])
        audit_record(
            action="risk_factors.update",
            actor=actor,
            actor_role=role,
            obj=factors,
            organisation=organisation,
        )
    return factors


def _units_with_factors(organisation: Organisation) -> Any:
    return AmplifyingFactors.objects.filter(
        organisation=organisation, org_unit__isnull=False
    ).values("org_unit_id")


def _check_review_date(review_date: datetime.date) -> None:
    if review_date < timezone.localdate():
        raise ValidationError(
            {"review_date": _("De evaluatiedatum ligt in het verleden. Kies vandaag of later.")}
        )


def measure_create(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    owner: Any,
    review_date: datetime.date,
    status: str,
    function: Function | None = None,
    process: str = "",
    description: str = "",
) -> Measure:
    role = _check(actor, organisation.pk)
    if function is not None and function.organisation_id != organisation.pk:
        raise PermissionDenied
    _check_review_date(review_date)
    if function is None and not process.strip():
        raise ValidationError({"process": _("Kies een functie of noem het proces.")})
    with transaction.atomic():
        measure = Measure.objects.create(
            organisation=organisation,
            function=function,
            process=process.strip(),
            kind=kind,
            description=description,
            owner=owner,
            status=status,
            review_date=review_date,
        )
        audit_record(
            action="risk_measure.create",
            actor=actor,
            actor_role=role,
            obj=measure,
            organisation=organisation,
        )
    return measure


def measure_update(
    *,
    actor: Any,
    measure: Measure,
    owner: Any,
    review_date: datetime.date,
    status: str,
    description: str,
) -> Measure:
    """Change owner, status, review date (not in the past) or description."""
    role = _check(actor, measure.organisation_id)
    if review_date != measure.review_date:
        _check_review_date(review_date)
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        locked.owner = owner
        locked.review_date = review_date
        locked.status = status
        locked.description = description
        locked.save()
        audit_record(
            action="risk_measure.update",
            actor=actor,
            actor_role=role,
            obj=locked,
            organisation=measure.organisation,
        )
    return locked

"""organisations.services.function_update_integrity_profile: the one write of a
function's integrity profile (risks applies a confirmed assessment through it)."""

import pytest

from integritas.audit.models import AuditEvent
from integritas.organisations.constants import ScreeningProfile
from integritas.organisations.services import function_update_integrity_profile
from tests.factories import EmployeeFactory, FunctionFactory

pytestmark = pytest.mark.django_db


def test_sets_the_four_fields_and_audits(organisation):
    function = FunctionFactory(organisation=organisation, notes="blijft")
    actor = EmployeeFactory(organisation=organisation).user
    function_update_integrity_profile(
        actor=actor,
        actor_role="hrm",
        function=function,
        vulnerable_activities=["informatie", "geld", "geld"],
        screening_profile=ScreeningProfile.GENERAL,
        designated_financial_interests=True,
        designated_side_activity_publication=False,
    )
    function.refresh_from_db()
    assert function.vulnerable_activities == ["geld", "informatie"]  # policy order, once
    assert function.screening_profile == ScreeningProfile.GENERAL
    assert function.designated_financial_interests is True
    assert function.designated_side_activity_publication is False
    assert function.notes == "blijft"
    event = AuditEvent.objects.get(action="function.integrity_profile")
    assert event.object_id == str(function.pk) and event.organisation_id == organisation.pk


@pytest.mark.parametrize(
    ("activities", "screening"), [(["onbekend"], "none"), (["geld"], "strenger")]
)
def test_refuses_unknown_values(organisation, activities, screening):
    function = FunctionFactory(organisation=organisation)
    with pytest.raises(ValueError):
        function_update_integrity_profile(
            actor=None,
            actor_role="",
            function=function,
            vulnerable_activities=activities,
            screening_profile=screening,
            designated_financial_interests=True,
            designated_side_activity_publication=True,
        )
    function.refresh_from_db()
    assert function.vulnerable_activities == [] and not function.designated_financial_interests
    assert not AuditEvent.objects.filter(action="function.integrity_profile").exists()

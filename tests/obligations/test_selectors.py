"""The public read for other apps and the HR API, and the settings service."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from integritas.accounts.constants import Role
from integritas.obligations import services
from integritas.obligations.constants import DutyKind
from integritas.obligations.selectors import employee_duties, settings_for
from tests.obligations.factories import starter

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 11, 2)


def test_employee_duties_never_cross_the_organisation(
    organisation, other_organisation, django_assert_num_queries
):
    mine = starter(organisation, START)
    theirs = starter(other_organisation, START)
    with django_assert_num_queries(1):
        records = employee_duties(
            organisation_id=organisation.pk,
            employee_ids=[mine.pk, theirs.pk],
            today=datetime.date(2026, 12, 6),
        )
    assert {r.employee_id for r in records} == {mine.pk}
    oath = next(r for r in records if r.kind == DutyKind.OATH)
    assert oath.overdue
    assert oath.kind_label == "Eed of belofte"


def test_settings_update_by_hrm_of_the_organisation_only(
    organisation, other_organisation, make_user
):
    hrm = make_user(Role.HRM)
    services.settings_update(
        actor=hrm, organisation_id=organisation.pk, changes={"vog_validity_months": 6}
    )
    assert settings_for(organisation.pk).vog_validity_months == 6
    assert settings_for(other_organisation.pk).vog_validity_months == 3
    with pytest.raises(PermissionDenied):
        services.settings_update(
            actor=hrm, organisation_id=other_organisation.pk, changes={"vog_validity_months": 1}
        )
    with pytest.raises(ValidationError):
        services.settings_update(
            actor=hrm, organisation_id=organisation.pk, changes={"training_window_months": 0}
        )
    assert settings_for(organisation.pk).training_window_months == 3

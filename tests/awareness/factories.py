"""Helpers of `awareness` tests."""

import datetime

from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.awareness import services
from integritas.awareness.constants import ActivityKind, TrainingTopic
from tests.factories import EmployeeFactory, OrgUnitFactory, grant


def hrm_user(organisation):
    user = EmployeeFactory(organisation=organisation).user
    grant(user, Role.HRM, organisation)
    return user


def activity(organisation, actor=None, *, topic=TrainingTopic.INFORMATION_SECURITY, days=-1):
    return services.activity_create(
        actor=actor or hrm_user(organisation),
        organisation=organisation,
        kind=ActivityKind.TRAINING,
        title="Training informatiebeveiliging",
        topic=topic,
        date=timezone.localdate() + datetime.timedelta(days=days),
        audience="Nieuwe medewerkers",
    )


def manager_with_team(organisation, size=3):
    """A manager heading a unit with `size` employees."""
    manager = EmployeeFactory(organisation=organisation)
    unit = OrgUnitFactory(organisation=organisation)
    unit.managers.add(manager)
    team = [EmployeeFactory(organisation=organisation, org_unit=unit) for _ in range(size)]
    return manager, team

"""The demo's awareness: trainings with attendance and a discussed dilemma per unit
manager; a second run makes nothing."""

import pytest

from integritas.awareness.models import Activity, Attendance, DilemmaDiscussion
from integritas.demo import awareness as demo
from tests.factories import EmployeeFactory

from .factories import hrm_user, manager_with_team

pytestmark = pytest.mark.django_db


def test_demo_trains_discusses_and_runs_twice(organisation):
    hrm_user(organisation)
    for _ in range(8):
        EmployeeFactory(organisation=organisation)
    manager, team = manager_with_team(organisation, size=3)
    made = demo.seed({"leiderdorp": organisation}, {})
    assert made["awareness.activities"] == 3
    assert made["awareness.attendance"] == 10
    assert made["awareness.discussions"] == 1
    security = Activity.objects.get(topic="information_security")
    assert security.completed_on is not None
    assert Attendance.objects.filter(activity=security).count() == 6
    discussion = DilemmaDiscussion.objects.get()
    assert discussion.manager == manager
    assert set(discussion.attendees.values_list("pk", flat=True)) == {e.pk for e in team}
    assert demo.seed({"leiderdorp": organisation}, {}) == {}

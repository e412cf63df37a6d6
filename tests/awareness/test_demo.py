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


@pytest.mark.requirement("R-AW-2")
def test_the_dilemma_library_survives_a_flushed_database_and_seed_demo():
    """The library is product content: a flush (or a demo rebuilt from scratch) loses
    it, `integritas seed_demo` puts it back (at least 30), and a second run changes
    nothing. An edited dilemma is not overwritten."""
    from integritas.awareness.models import Dilemma
    from integritas.awareness.services import dilemma_library_restore
    from integritas.demo.seed import seed_demo

    # As after `flush` (which PostgreSQL's audit guard refuses in a test): no library.
    Dilemma.objects.all().delete()
    assert not Dilemma.objects.exists()
    seed_demo(reports=False)
    assert Dilemma.objects.count() >= 30
    assert DilemmaDiscussion.objects.exists()  # the demo's managers could pick one
    first = Dilemma.objects.order_by("pk").first()
    Dilemma.objects.filter(pk=first.pk).update(title="Eigen titel")
    Dilemma.objects.exclude(pk=first.pk).filter(discussions__isnull=True)[:1].get().delete()
    assert dilemma_library_restore() == 1
    assert Dilemma.objects.get(pk=first.pk).title == "Eigen titel"
    assert dilemma_library_restore() == 0

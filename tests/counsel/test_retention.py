"""R-DP-2: consultation entries expire at the end of the fifth year after the year of the
consultation; the purge leaves a counted tally so the yearly counts stay right."""

import datetime

import pytest
from django.core.management import call_command

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.counsel import services
from integritas.counsel.models import ConsultationCount, ConsultationEntry
from integritas.counsel.selectors import consultation_counts
from integritas.notifications.scans import retention_scans

from .factories import make_entry


@pytest.fixture
def counsellor(make_user, organisation):
    return make_user(Role.CONFIDENTIAL_COUNSELLOR, organisation)


def test_the_term_is_the_end_of_the_fifth_year_after():
    assert services.retention_date(datetime.date(2020, 3, 1)) == datetime.date(2025, 12, 31)
    assert services.retention_date(datetime.date(2020, 12, 31)) == datetime.date(2025, 12, 31)


@pytest.mark.requirement("R-DP-2")
def test_expired_entries_are_purged_and_counted(counsellor, organisation):
    old = [
        make_entry(counsellor, organisation, consulted_on=datetime.date(2019, 2, 1)),
        make_entry(counsellor, organisation, consulted_on=datetime.date(2019, 11, 1)),
    ]
    kept = make_entry(counsellor, organisation, consulted_on=datetime.date(2021, 5, 1))
    assert services.purge_expired_entries(today=datetime.date(2025, 1, 1)).count == 2
    assert list(ConsultationEntry.objects.all()) == [kept]
    assert not ConsultationEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    counts = set(ConsultationCount.objects.values_list("year", "quarter", "count"))
    assert counts == {(2019, 1, 1), (2019, 4, 1), (2021, 2, 1)}
    # The yearly counts still know 2019.
    rows = consultation_counts(organisation_ids=[organisation.pk], year=2019)
    assert sum(r.count for r in rows) == 2
    # Idempotent: nothing left to purge.
    assert services.purge_expired_entries(today=datetime.date(2025, 1, 1)).count == 0
    assert ConsultationCount.objects.get(year=2019, quarter=1).count == 1
    event = AuditEvent.objects.get(action="counsel.entries_purged")
    assert event.object_id == "2"


@pytest.mark.requirement("R-DP-2")
def test_an_entry_is_kept_through_its_last_year(counsellor, organisation):
    make_entry(counsellor, organisation, consulted_on=datetime.date(2019, 2, 1))
    assert services.purge_expired_entries(today=datetime.date(2024, 12, 31)).count == 0
    assert ConsultationEntry.objects.count() == 1


def test_the_scan_is_registered_and_dry_runs(counsellor, organisation):
    make_entry(counsellor, organisation, consulted_on=datetime.date(2010, 2, 1))
    scan = retention_scans()["counsel"]
    report = scan(True)
    assert report.count == 1
    assert "Proefrun" in report.summary
    assert ConsultationEntry.objects.count() == 1
    report = scan(False)
    assert report.count == 1
    assert not ConsultationEntry.objects.exists()


def test_purge_expired_runs_the_scan(counsellor, organisation):
    make_entry(counsellor, organisation, consulted_on=datetime.date(2010, 2, 1))
    call_command("purge_expired")
    assert not ConsultationEntry.objects.exists()

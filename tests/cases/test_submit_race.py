"""Reports sent at the same moment (PostgreSQL, real concurrent transactions).

Issue 3 "Bad input": a double submit (refresh, back, double click) creates exactly one
case, even when both requests arrive together; and two different reports sent together
get two different case numbers.
"""

import pytest
from django.db import connection

from integritas.cases.models import Case
from tests.concurrency import run_together
from tests.factories import OrganisationFactory

from .factories import submit_case

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent PostgreSQL transactions"
)
THREADS = 4


def test_the_same_report_sent_four_times_at_once_makes_one_case(transactional_db):
    organisation = OrganisationFactory(slug="tegelijk", anonymous_reporting_enabled=True)
    submissions = run_together(
        THREADS,
        lambda _i: submit_case(organisation, form_token="een-en-dezelfde", cheap_receipt=True),
    )
    assert Case.objects.count() == 1
    assert {s.case.pk for s in submissions} == {Case.objects.get().pk}
    assert sum(not s.repeated for s in submissions) == 1
    # Only the submit that made the case holds the code; the repeats never carry it
    # (the kept copy goes to one answer only: test_receipt_shown_once.py).
    assert sum(s.receipt_code is not None for s in submissions) == 1


def test_different_reports_sent_at_once_get_different_numbers(transactional_db):
    organisation = OrganisationFactory(slug="tegelijk", anonymous_reporting_enabled=True)
    submissions = run_together(
        THREADS, lambda i: submit_case(organisation, form_token=f"melding-{i}", cheap_receipt=True)
    )
    numbers = [s.case.case_number for s in submissions]
    assert len(set(numbers)) == THREADS == Case.objects.count()

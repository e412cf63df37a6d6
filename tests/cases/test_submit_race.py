"""Reports sent at the same moment (PostgreSQL, real concurrent transactions).

Issue 3 "Bad input": a double submit (refresh, back, double click) creates exactly one
case, even when both requests arrive together; and two different reports sent together
get two different case numbers.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from integritas.cases.models import Case
from tests.factories import OrganisationFactory

from .factories import submit_case

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent PostgreSQL transactions"
)
THREADS = 4


def _together(work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in THREADS threads released at the same instant; return the results."""
    barrier = threading.Barrier(THREADS)
    results: list[Any] = [None] * THREADS
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_the_same_report_sent_four_times_at_once_makes_one_case(transactional_db):
    organisation = OrganisationFactory(slug="tegelijk", anonymous_reporting_enabled=True)
    submissions = _together(
        lambda _i: submit_case(organisation, form_token="een-en-dezelfde", cheap_receipt=True)
    )
    assert Case.objects.count() == 1
    assert {s.case.pk for s in submissions} == {Case.objects.get().pk}
    assert sum(not s.repeated for s in submissions) == 1
    # Every answer carries the same receipt code: the one the reporter will keep.
    assert len({s.receipt_code for s in submissions}) == 1


def test_different_reports_sent_at_once_get_different_numbers(transactional_db):
    organisation = OrganisationFactory(slug="tegelijk", anonymous_reporting_enabled=True)
    submissions = _together(
        lambda i: submit_case(organisation, form_token=f"melding-{i}", cheap_receipt=True)
    )
    numbers = [s.case.case_number for s in submissions]
    assert len(set(numbers)) == THREADS == Case.objects.count()

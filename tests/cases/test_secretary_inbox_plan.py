"""The secretary's inbox in a large organisation: a page of the few cases in the
secretary's stage, newest first, read along the partial index case_secretary_stage_idx
instead of walking every case of the organisation backwards (issue 9: 10x the trivial view
on PostgreSQL at 20,000 employees)."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integritas.accounts.constants import Role
from integritas.cases.constants import Status
from integritas.cases.handling.selectors import cases_for_inbox
from integritas.cases.models import Case
from tests.cases.factories import submit_case

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plan")


def _copies(case: Case, count: int, status: str, start: int) -> list[Case]:
    """`count` copies of `case` (same sealed content) with their own numbers."""
    fields = {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields}
    del fields["id"]
    return [
        Case(
            **{
                **fields,
                "status": status,
                "sequence": start + i,
                "case_number": f"{case.case_number}-{start + i}",
                "receipt_lookup": None,
            }
        )
        for i in range(count)
    ]


@pytest.fixture
def busy_organisation(organisation: Any) -> Any:
    """An organisation with thousands of reports, a few of them before the secretary."""
    case = submit_case(organisation, cheap_receipt=True).case
    Case.objects.bulk_create(_copies(case, 4000, Status.RECEIVED, 1000), batch_size=1000)
    Case.objects.bulk_create(_copies(case, 30, Status.AWAITING_APPROVAL, 9000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    return organisation


def test_the_secretary_inbox_reads_its_stage_along_the_partial_index(
    busy_organisation: Any, make_user: Any
) -> None:
    secretary = make_user(Role.SECRETARY, busy_organisation)
    with CaptureQueriesContext(connection) as captured:
        page = list(cases_for_inbox(secretary, {})[:51])
    assert len(page) == 30
    assert {case.status for case in page} == {Status.AWAITING_APPROVAL}
    sql = captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "case_secretary_stage_idx" in plan, plan
    assert "Sort" not in plan, plan

"""GET /api/v1/hr/verplichtingen/: an organisation's duties and their status for its HR
system — filtered, keyset-paged, scoped to the token's organisation, audited."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integritas.accounts.api_tokens.constants import TokenScope
from integritas.accounts.api_tokens.models import ApiCall
from integritas.audit.constants import Origin, Result
from integritas.audit.models import AuditEvent
from integritas.obligations.constants import DutyKind, DutyStatus
from integritas.obligations.models import Duty
from integritas.obligations.selectors import api_cursor_decode, duties_for_api
from integritas.organisations.models import Organisation

from .conftest import Caller, row

pytestmark = pytest.mark.django_db

PATH = "verplichtingen/"


def _all(caller: Caller, **params: Any) -> list[dict[str, Any]]:
    """Every row of the list, following `next` page by page."""
    response = caller.get(PATH, **params)
    seen: list[dict[str, Any]] = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        seen += body["results"]
        if body["next"] is None:
            return seen
        response = caller.client.get(body["next"], HTTP_AUTHORIZATION=f"Bearer {caller.value}")


@pytest.fixture
def staffed(writer: Caller, organisation: Organisation) -> list[Duty]:
    """Three starters (an employee, a hired worker, an intern) with their duties: one
    done, one closed, one open and overdue, the rest open and due in the future."""
    today = timezone.localdate()
    future = (today + datetime.timedelta(days=40)).isoformat()
    response = writer.upsert(
        [
            row("D1", datum_in_dienst=future),
            row("D2", dienstverband="inhuur", datum_in_dienst=future),
            row("D3", dienstverband="stagiair", datum_in_dienst=future),
        ]
    )
    assert response.status_code == 200, response.content
    duties = list(
        Duty.objects.filter(organisation=organisation).exclude(kind=DutyKind.OATH).order_by("pk")
    )
    assert len(duties) >= 6
    Duty.objects.filter(pk=duties[0].pk).update(
        status=DutyStatus.DONE, completed_on=today, due_date=today
    )
    Duty.objects.filter(pk=duties[1].pk).update(status=DutyStatus.CLOSED, closed_on=today)
    Duty.objects.filter(pk=duties[2].pk).update(due_date=today - datetime.timedelta(days=1))
    return list(Duty.objects.filter(organisation=organisation).order_by("due_date", "pk"))


def test_the_list_pages_every_duty_of_the_organisation_by_due_date(
    staffed: list[Duty], reader: Caller
) -> None:
    seen = _all(reader, limit=2)
    assert [d["id"] for d in seen] == [d.pk for d in staffed]
    first = staffed[0]
    assert seen[0] == {
        "id": first.pk,
        "personeelsnummer": first.employee.personnel_number,
        "soort": first.kind,
        "soort_naam": str(first.get_kind_display()),
        "status": first.status,
        "status_naam": str(first.get_status_display()),
        "jaar": first.period,
        "uiterlijk": first.due_date.isoformat(),
        "afgerond_op": first.completed_on and first.completed_on.isoformat(),
        "te_laat": True,
    }


def test_filters(staffed: list[Duty], reader: Caller, writer: Caller) -> None:
    today = timezone.localdate()

    def ids(**params: Any) -> set[int]:
        return {d["id"] for d in _all(reader, **params)}

    assert ids(personeelsnummer="D2") == {
        d.pk for d in staffed if d.employee.personnel_number == "D2"
    }
    assert ids(personeelsnummer=" D2 ") == ids(personeelsnummer="D2")
    assert ids(personeelsnummer="ONBEKEND") == set()
    for status in DutyStatus.values:
        assert ids(status=status) == {d.pk for d in staffed if d.status == status}
    overdue = {d.pk for d in staffed if d.status == DutyStatus.OPEN and d.due_date < today}
    assert len(overdue) == 1
    assert ids(te_laat="true") == overdue
    assert ids(te_laat="false") == {d.pk for d in staffed} - overdue
    assert all(d["te_laat"] for d in _all(reader, te_laat="true"))
    assert ids(soort=DutyKind.DECLARATION) == {
        d.pk for d in staffed if d.kind == DutyKind.DECLARATION
    }
    assert ids(soort=DutyKind.OATH, personeelsnummer="D2") == set()  # hired: no oath
    assert ids(status="open", soort=DutyKind.VOG) == {
        d.pk for d in staffed if d.kind == DutyKind.VOG and d.status == DutyStatus.OPEN
    }
    assert _all(writer) == _all(reader)


@pytest.mark.parametrize("params", [{"status": "klaar"}, {"soort": "x"}, {"te_laat": "misschien"}])
def test_a_wrong_filter_value_is_refused(reader: Caller, params: dict[str, str]) -> None:
    response = reader.get(PATH, **params)
    assert response.status_code == 400
    assert next(iter(params)) in response.json()


def test_bad_paging_parameters_fall_back(staffed: list[Duty], reader: Caller) -> None:
    for after in ("x" * 500, "2024-13-01.5", "2024-01-01.abc", "2024-01-01", ".", "-1.-1"):
        response = reader.get(PATH, after=after)
        assert response.status_code == 200
        assert len(response.json()["results"]) == len(staffed)
    assert api_cursor_decode("2024-02-29.7") == (datetime.date(2024, 2, 29), 7)


def test_another_organisations_token_never_sees_them(
    staffed: list[Duty],
    issue: Callable[..., str],
    other_organisation: Organisation,
) -> None:
    other_writer = Caller(issue(other_organisation, TokenScope.WRITE))
    assert other_writer.upsert([row("X1")]).status_code == 200
    other_reader = Caller(issue(other_organisation, TokenScope.READ))
    theirs = _all(other_reader)
    assert theirs
    assert {d["id"] for d in theirs}.isdisjoint({d.pk for d in staffed})
    assert {d["personeelsnummer"] for d in theirs} == {"X1"}
    # Their personnel numbers and a cursor of ours find nothing of ours.
    assert _all(other_reader, personeelsnummer="D1") == []
    cursor = f"{staffed[0].due_date.isoformat()}.{staffed[0].pk}"
    assert {d["id"] for d in _all(other_reader, after=cursor)} <= {d["id"] for d in theirs}


def test_without_a_token_nothing(staffed: list[Duty]) -> None:
    assert Caller(None).get(PATH).status_code == 401
    assert Caller("itg_niet-echt").get(PATH).status_code == 401


def test_every_call_is_audited_with_ids_and_counts(
    staffed: list[Duty], reader: Caller, organisation: Organisation
) -> None:
    reader.get(PATH, limit=3)
    reader.get(PATH, status="klaar")
    events = list(AuditEvent.objects.filter(action="api.hr.duties_read").order_by("sequence"))
    assert [(e.result, e.origin, e.organisation_id) for e in events] == [
        (Result.SUCCESS, Origin.API, organisation.pk),
        (Result.FAILURE, Origin.API, organisation.pk),
    ]
    calls = list(ApiCall.objects.filter(operation="duties_read").order_by("pk"))
    assert [(c.status_code, c.rows) for c in calls] == [(200, 3), (400, 0)]


def test_a_page_costs_the_same_queries_whatever_its_size(
    staffed: list[Duty], reader: Caller, django_assert_max_num_queries: Any
) -> None:
    reader.get(PATH)  # last_used_at written once
    with django_assert_max_num_queries(12) as small:
        reader.get(PATH, limit=1)
    for params in ({}, {"te_laat": "true"}, {"personeelsnummer": "D1", "soort": "vog"}):
        with django_assert_max_num_queries(len(small.captured_queries)):
            reader.get(PATH, limit=1000, **params)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plan")
def test_the_overdue_filter_reads_along_an_index_without_sorting(
    staffed: list[Duty], organisation: Organisation
) -> None:
    with CaptureQueriesContext(connection) as captured:
        duties_for_api(organisation_id=organisation.pk, overdue=True, limit=100)
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    # (organisation, status, due_date, id) or (organisation, due_date, id): both read the
    # page in key order, so no new index is needed and nothing is sorted.
    assert "Index Scan using duty_org_" in plan, plan
    assert "Sort" not in plan and "Seq Scan" not in plan, plan

"""The bulk upsert: the HR import's own service behind a write token. Idempotent,
all-or-nothing with the bad row named, events sent, every call audited."""

from typing import Any

import pytest
from django.db.models import Max

from integritas.accounts.api_tokens.models import ApiCall, ApiToken
from integritas.audit.constants import Origin, Result
from integritas.audit.models import AuditEvent
from integritas.organisations import events
from integritas.organisations.models import Employee, Function, OrgUnit

from .conftest import Caller, row

pytestmark = pytest.mark.django_db


def imported() -> Any:
    """The employees the API wrote (the administrators' own records have numeric numbers)."""
    return Employee.objects.exclude(personnel_number__regex=r"^[0-9]+$")


def batch() -> list[dict[str, Any]]:
    return [
        row(
            "B1", afdeling="DIR", afdeling_naam="Directie", functie="DIR", functie_naam="Directeur"
        ),
        row("B2", bovenliggende_afdeling="DIR", leidinggevende="B3"),
        row("B3", bovenliggende_afdeling="DIR", dienstverband="inhuur"),
    ]


def test_a_batch_creates_employees_units_and_functions(writer: Caller, organisation: Any) -> None:
    response = writer.upsert(batch())
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "units_created": 2,
        "units_updated": 0,
        "functions_created": 2,
        "functions_updated": 0,
        "unit_managers_changed": 1,
        "dry_run": False,
    }
    b2 = Employee.objects.get(organisation=organisation, personnel_number="B2")
    assert b2.manager is not None and b2.manager.personnel_number == "B3"
    assert b2.org_unit is not None and b2.org_unit.parent is not None
    assert b2.org_unit.parent.code == "DIR"
    assert set(OrgUnit.objects.values_list("code", flat=True)) == {"DIR", "FIN"}
    assert set(Function.objects.values_list("code", flat=True)) == {"DIR", "ADV"}


def test_the_same_batch_twice_changes_nothing(writer: Caller) -> None:
    assert writer.upsert(batch()).status_code == 200
    stamp = imported().aggregate(m=Max("updated_at"))["m"]
    second = writer.upsert(batch()).json()
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 3)
    assert second["units_created"] == second["units_updated"] == 0
    assert second["functions_created"] == second["functions_updated"] == 0
    assert second["unit_managers_changed"] == 0
    assert imported().aggregate(m=Max("updated_at"))["m"] == stamp
    assert imported().count() == 3


def test_a_batch_with_one_bad_row_imports_nothing_and_names_it(writer: Caller) -> None:
    rows = batch()
    rows.append(row("B4", datum_in_dienst="31-02-2024", bovenliggende_afdeling="DIR"))
    rows.append(row("B5", bovenliggende_afdeling="DIR"))
    response = writer.upsert(rows)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "De lijst bevat 1 fout; er is niets opgeslagen.", body
    (error,) = body["errors"]
    assert error["index"] == 3  # the fourth employee of the list
    assert error["row"] == 5  # as in the HR file: the header is row 1
    assert error["field"] == "datum_in_dienst"
    assert "31-02-2024" in error["message"]
    assert error["text"].startswith("Rij 5, veld datum_in_dienst:")
    assert not imported().exists()
    assert not OrgUnit.objects.exists()
    assert not Function.objects.exists()


def test_a_duplicate_number_and_an_unknown_manager_are_named(writer: Caller) -> None:
    response = writer.upsert([row("C1"), row("C1"), row("C2", leidinggevende="ZZ")])
    assert response.status_code == 400
    errors = {(e["index"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(1, "personeelsnummer"), (2, "leidinggevende")}
    assert not imported().exists()


def test_malformed_bodies_are_400(writer: Caller) -> None:
    assert writer.upsert([]).status_code == 400
    assert writer.post("medewerkers/", {"employees": "nee"}).status_code == 400
    assert writer.post("medewerkers/", {"employees": [["lijst"]]}).status_code == 400
    response = writer.client.post(
        "/api/v1/hr/medewerkers/",
        data="{niet json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {writer.value}",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "De inhoud is geen geldige JSON."
    assert not imported().exists()


def test_a_dry_run_saves_nothing(writer: Caller) -> None:
    body = writer.upsert(batch(), dry_run=True).json()
    assert body["created"] == 3 and body["dry_run"] is True
    assert not imported().exists()


def test_new_employees_are_announced_in_the_transaction(writer: Caller) -> None:
    received: list[list[int]] = []

    def started(sender: Any, employee_ids: list[int], **kwargs: Any) -> None:
        received.append(employee_ids)

    events.employee_started.connect(started)
    try:
        writer.upsert(batch())
        writer.upsert(batch())  # nothing new: no event
    finally:
        events.employee_started.disconnect(started)
    assert received == [sorted(imported().values_list("pk", flat=True))]


def test_leaving_and_moving_are_announced(writer: Caller) -> None:
    writer.upsert(batch())
    left: list[list[int]] = []
    moved: list[list[int]] = []

    def on_left(sender: Any, employee_ids: list[int], **kwargs: Any) -> None:
        left.append(employee_ids)

    def on_moved(sender: Any, employee_ids: list[int], **kwargs: Any) -> None:
        moved.append(employee_ids)

    events.employee_left.connect(on_left)
    events.function_changed.connect(on_moved)
    try:
        rows = batch()
        rows[1]["datum_uit_dienst"] = "2025-06-30"
        rows[2]["functie"] = "DIR"
        rows[2]["functie_naam"] = "Directeur"
        assert writer.upsert(rows).status_code == 200
    finally:
        events.employee_left.disconnect(on_left)
        events.function_changed.disconnect(on_moved)
    b2 = Employee.objects.get(personnel_number="B2")
    b3 = Employee.objects.get(personnel_number="B3")
    assert left == [[b2.pk]]
    assert moved == [[b3.pk]]


@pytest.mark.requirement("R-BIO-1")
def test_every_call_is_audited_with_ids_and_counts_only(
    writer: Caller, reader: Caller, organisation: Any
) -> None:
    rows = batch()
    assert writer.upsert(rows).status_code == 200
    assert (
        writer.upsert([*rows, row("B9", dienstverband="vast", bovenliggende_afdeling="DIR")])
    ).status_code == 400
    assert reader.get("medewerkers/").status_code == 200
    assert reader.upsert(rows).status_code == 403
    write_token = ApiToken.objects.get(scope="write")
    read_token = ApiToken.objects.get(scope="read")
    calls = AuditEvent.objects.filter(action__startswith="api.hr.").order_by("sequence")
    assert list(calls.values_list("action", "result", "object_id", "origin")) == [
        ("api.hr.employees_upsert", Result.SUCCESS, str(write_token.pk), Origin.API),
        ("api.hr.employees_upsert", Result.FAILURE, str(write_token.pk), Origin.API),
        ("api.hr.employees_read", Result.SUCCESS, str(read_token.pk), Origin.API),
        ("api.hr.employees_upsert", Result.DENIED, str(read_token.pk), Origin.API),
    ]
    assert set(calls.values_list("organisation_id", "actor_id", "object_type")) == {
        (organisation.pk, None, "accounts.apitoken")
    }
    # The import itself is recorded once, as the file import records it.
    assert AuditEvent.objects.filter(action="hr.import", origin=Origin.API).count() == 1
    # No personal data anywhere in the audit log: no names, numbers or e-mail addresses.
    personal = {
        value
        for r in rows
        for key, value in r.items()
        if key in ("personeelsnummer", "voornaam", "achternaam", "email") and value
    }
    for event in AuditEvent.objects.values():
        text = " ".join(str(v) for v in event.values())
        assert not any(value in text for value in personal), event
    # The counts are kept beside the event.
    assert list(
        ApiCall.objects.order_by("pk").values_list(
            "operation", "status_code", "rows", "created", "updated"
        )
    ) == [
        ("employees_upsert", 200, 3, 3, 0),
        ("employees_upsert", 400, 4, 0, 0),
        ("employees_read", 200, 3 + 2, 0, 0),  # and the two administrators
        ("employees_upsert", 403, 0, 0, 0),
    ]

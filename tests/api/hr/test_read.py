"""Reads: one organisation's org units, functions and employees in keyset pages, with a
constant number of queries per page."""

from typing import Any

import pytest

from integritas.organisations.models import Employee

from .conftest import Caller, row

pytestmark = pytest.mark.django_db


def test_employees_come_in_keyset_pages_with_their_codes(
    writer: Caller, reader: Caller, organisation: Any
) -> None:
    rows = [
        row(f"E{n:02d}", bovenliggende_afdeling="", leidinggevende="E00" if n else "")
        for n in range(7)
    ]
    assert writer.upsert(rows).status_code == 200
    wanted = sorted(
        Employee.objects.filter(organisation=organisation).values_list(
            "personnel_number", flat=True
        )
    )
    seen: list[str] = []
    response = reader.get("medewerkers/", limit=3)
    pages = 0
    while True:
        body = response.json()
        seen += [e["personeelsnummer"] for e in body["results"]]
        pages += 1
        if body["next"] is None:
            break
        assert "after=" in body["next"]
        response = reader.client.get(body["next"], HTTP_AUTHORIZATION=f"Bearer {reader.value}")
    assert seen == wanted
    assert pages == -(-len(wanted) // 3)
    e01 = next(
        e
        for e in reader.get("medewerkers/", after="E00", limit=1).json()["results"]
        if e["personeelsnummer"] == "E01"
    )
    assert e01 == {
        "personeelsnummer": "E01",
        "voornaam": "Anna",
        "achternaam": "Jansen E01",
        "email": "pe01@example.nl",
        "afdeling": "FIN",
        "functie": "ADV",
        "dienstverband": "in_dienst",
        "datum_in_dienst": "2024-01-15",
        "datum_uit_dienst": None,
        "leidinggevende": "E00",
    }


def test_units_and_functions(writer: Caller, reader: Caller) -> None:
    writer.upsert(
        [
            row("U1", afdeling="DIR", afdeling_naam="Directie"),
            row("U2", bovenliggende_afdeling="DIR"),
        ]
    )
    units = reader.get("afdelingen/").json()
    assert units == {
        "results": [
            {"code": "DIR", "naam": "Directie", "bovenliggende_afdeling": None},
            {"code": "FIN", "naam": "Financiën", "bovenliggende_afdeling": "DIR"},
        ],
        "next": None,
    }
    assert reader.get("functies/").json()["results"] == [{"code": "ADV", "naam": "Adviseur"}]
    page = reader.get("afdelingen/", limit=1).json()
    assert [u["code"] for u in page["results"]] == ["DIR"] and page["next"]


@pytest.mark.parametrize("path", ["afdelingen/", "functies/", "medewerkers/"])
def test_a_page_costs_the_same_queries_whatever_its_size(
    writer: Caller, reader: Caller, path: str, django_assert_max_num_queries: Any
) -> None:
    writer.upsert([row(f"Q{n:03d}") for n in range(60)])
    reader.get(path)  # last_used_at written once
    # token (1), throttle (2-3), the page (1), audit (3-4), the call's counts (1)
    with django_assert_max_num_queries(12) as small:
        reader.get(path, limit=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        reader.get(path, limit=1000)


def test_bad_paging_parameters_fall_back(writer: Caller, reader: Caller) -> None:
    writer.upsert([row("P1")])
    for params in ({"limit": "abc"}, {"limit": "-1"}, {"limit": "99999999"}, {"after": "x" * 500}):
        assert reader.get("medewerkers/", **params).status_code == 200

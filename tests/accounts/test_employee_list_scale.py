"""The HRM employee list at scale: search, capped count, keyset pages, constant queries.

Runs on SQLite and PostgreSQL alike (DATABASE_URL); the search semantics are the same on
both (organisations.selectors.employees_search).
"""

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.organisations import selectors
from integritas.organisations.models import Employee
from tests.factories import EmployeeFactory

URL = "organisations:employee_list"


def names(response: Any) -> list[str]:
    """The personnel numbers in the table, in order."""
    return re.findall(r'<td class="utrecht-table__cell">(B\d+)</td>', response.content.decode())


def make(organisation: Any, count: int, **values: Any) -> list[Employee]:
    rows = [
        Employee(
            organisation=organisation,
            personnel_number=f"B{i:05d}",
            first_name=values.get("first_name", "Piet"),
            last_name=values.get("last_name", f"Naam{i:05d}"),
            employment_type="internal",
            start_date=datetime.date(2020, 1, 1),
        )
        for i in range(count)
    ]
    return Employee.objects.bulk_create(rows)


@pytest.fixture
def hrm(client_for: Any, organisation: Any) -> Any:
    return client_for(Role.HRM, organisation)


def test_search_finds_part_of_a_last_name_case_insensitive(hrm, organisation):
    EmployeeFactory(organisation=organisation, last_name="van den Berg", personnel_number="B1")
    EmployeeFactory(organisation=organisation, last_name="Bergsma", personnel_number="B2")
    EmployeeFactory(organisation=organisation, last_name="Jansen", personnel_number="B3")
    response = hrm.get(reverse(URL), {"q": "BERG"})
    assert sorted(names(response)) == ["B1", "B2"]
    assert sorted(names(hrm.get(reverse(URL), {"q": "berg"}))) == ["B1", "B2"]


def test_search_with_two_words_needs_both(hrm, organisation):
    EmployeeFactory(
        organisation=organisation, first_name="Jan", last_name="de Berg", personnel_number="B1"
    )
    EmployeeFactory(
        organisation=organisation, first_name="Anna", last_name="de Berg", personnel_number="B2"
    )
    assert names(hrm.get(reverse(URL), {"q": "jan berg"})) == ["B1"]


def test_search_by_personnel_number_exact_and_prefix(hrm, organisation):
    for number in ("B10071", "B10072", "B20071"):
        EmployeeFactory(organisation=organisation, personnel_number=number)
    assert names(hrm.get(reverse(URL), {"q": "B10071"})) == ["B10071"]
    assert sorted(names(hrm.get(reverse(URL), {"q": "b1007"}))) == ["B10071", "B10072"]


def test_search_never_returns_another_organisations_employees(
    hrm, organisation, other_organisation
):
    EmployeeFactory(organisation=organisation, last_name="Eigenberg", personnel_number="B1")
    EmployeeFactory(organisation=other_organisation, last_name="Anderberg", personnel_number="B2")
    EmployeeFactory(organisation=other_organisation, last_name="Xander", personnel_number="B10")
    assert names(hrm.get(reverse(URL), {"q": "berg"})) == ["B1"]
    assert names(hrm.get(reverse(URL), {"q": "B10"})) == []
    assert names(hrm.get(reverse(URL))) == ["B1"]


def test_a_page_link_naming_another_organisations_employee_shows_nothing(
    hrm, organisation, other_organisation
):
    make(organisation, 3)
    foreign = EmployeeFactory(organisation=other_organisation, last_name="Aaa")
    response = hrm.get(reverse(URL), {"na": foreign.pk})
    assert response.status_code == 200
    assert names(response) == []
    assert "Deze pagina bestaat niet (meer)." in response.content.decode()


def test_count_is_capped(hrm, organisation, monkeypatch):
    make(organisation, 12)
    monkeypatch.setattr(selectors, "EMPLOYEE_COUNT_CAP", 10)
    monkeypatch.setattr(
        selectors.employees_count_capped, "__defaults__", (selectors.EMPLOYEE_COUNT_CAP,)
    )
    content = hrm.get(reverse(URL)).content.decode()
    # The HRM's own employee record counts too: 13 people, shown as "more than 10".
    assert "Meer dan 10 medewerkers" in content


def test_count_exact_below_the_cap(hrm, organisation):
    make(organisation, 3)
    assert "4 medewerkers" in hrm.get(reverse(URL)).content.decode()


def test_pages_forward_and_back_are_stable(hrm, organisation):
    make(organisation, 120)
    everyone = list(
        Employee.objects.filter(organisation=organisation)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", flat=True)
    )
    assert len(everyone) == 121
    first = hrm.get(reverse(URL))
    second = hrm.get(reverse(URL), {"na": everyone[49]})
    third = hrm.get(reverse(URL), {"na": everyone[99]})
    back = hrm.get(reverse(URL), {"voor": everyone[100]})
    seen = names(first) + names(second) + names(third)
    assert len(seen) == len(set(seen)) == 120  # the HRM's own record has another number
    assert names(back) == names(second)
    assert f"na={everyone[99]}" in second.content.decode()
    assert f"voor={everyone[50]}" in second.content.decode()
    assert "Volgende" not in third.content.decode()


def test_page_one_and_a_deep_page_cost_the_same_queries(hrm, organisation):
    make(organisation, 300)
    deep = (
        Employee.objects.filter(organisation=organisation)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", flat=True)[249]
    )
    hrm.get(reverse(URL))  # warm caches (session, content types)
    counts = []
    for params in ({}, {"na": deep}, {"voor": deep}):
        with CaptureQueriesContext(connection) as captured:
            assert hrm.get(reverse(URL), params).status_code == 200
        counts.append(len(captured.captured_queries))
    searches = []
    for params in ({"q": "naam"}, {"q": "naam", "na": deep}, {"q": "B001"}):
        with CaptureQueriesContext(connection) as captured:
            hrm.get(reverse(URL), params)
        searches.append(len(captured.captured_queries))
    assert len(set(counts)) == 1
    assert len(set(searches)) == 1
    assert searches[0] == counts[0] - 1  # a search does not count beyond its page


def test_the_list_never_counts_the_whole_organisation(hrm, organisation):
    make(organisation, 5)
    with CaptureQueriesContext(connection) as captured:
        hrm.get(reverse(URL))
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts
    assert all("LIMIT" in sql.upper() for sql in counts)


@pytest.mark.parametrize(
    "params",
    [
        {"na": "abc"},
        {"voor": "-1"},
        {"na": "9" * 40},
        {"na": "١٢"},
        {"voor": "999999999"},
        {"pagina": "x"},
        {"q": "x" * 500},
    ],
)
def test_bad_page_parameters_give_a_clean_dutch_answer(hrm, organisation, params):
    make(organisation, 3)
    response = hrm.get(reverse(URL), params)
    assert response.status_code == 200
    content = response.content.decode()
    if "q" not in params and "pagina" not in params:
        assert "Deze pagina bestaat niet (meer)." in content
        assert "Naar de eerste pagina" in content

"""The public register in pages by name, and its open data streamed complete (R-AW-7)."""

import csv
import io
import json

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.registers import selectors, services
from integritas.registers.constants import Outcome
from integritas.registers.selectors import NameCursor
from tests.factories import EmployeeFactory

from .helpers import side_activity

pytestmark = pytest.mark.django_db

NAMES = ("Bakker", "de Jong", "Jansen", "Visser", "Smit")


@pytest.fixture
def published(org):
    """Five holders of the designated function with an approved side activity each (two
    for the first), an ordinary employee's approved one, and a pending one of a holder."""
    titles = []
    for number, last_name in enumerate(NAMES):
        holder = EmployeeFactory(
            organisation=org.organisation,
            org_unit=org.team,
            function=org.designated,
            first_name="Kim",
            last_name=last_name,
        )
        for extra in range(2 if number == 0 else 1):
            title = f"Bestuurder {last_name} {extra}"
            registration = side_activity(holder, description=title)
            services.registration_decide(
                actor=org.manager.user, registration=registration, outcome=Outcome.APPROVED
            )
            titles.append(title)
        if number == 1:
            side_activity(holder, description="Nog niet besloten")
    hidden = side_activity(org.employee, description="Penningmeester buurtvereniging")
    services.registration_decide(
        actor=org.manager.user, registration=hidden, outcome=Outcome.APPROVED
    )
    return titles


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        body = (
            b"".join(response.streaming_content)
            if isinstance(response, StreamingHttpResponse)
            else response.content
        )
    return len(captured.captured_queries), body.decode()


@pytest.mark.requirement("R-AW-7")
def test_the_pages_by_name_hold_every_published_line_once_in_constant_queries(
    org, client, public_paths, published, monkeypatch
):
    monkeypatch.setattr(selectors, "PUBLIC_PAGE_SIZE", 2)
    url = reverse("public_register:organisation", args=[org.organisation.slug])
    client.get(url)
    seen: list[str] = []
    counts = []
    after = None
    for _page in range(10):
        count, text = _queries(client, url + (f"?vanaf={after}" if after else ""))
        counts.append(count)
        page = selectors.public_page(org.organisation, after=after, size=2)
        seen += [row.activity for row in page.rows]
        for row in page.rows:
            assert row.activity in text
        if page.next is None:
            assert ">Volgende</a>" not in text
            break
        assert f'href="?vanaf={page.next.encode()}">Volgende</a>' in text
        after = page.next.encode()
    assert sorted(seen) == sorted(published)
    assert len(seen) == len(set(seen))
    assert "Penningmeester" not in "".join(seen) and "Nog niet besloten" not in "".join(seen)
    assert len(set(counts)) == 1, counts
    # Ordered by name: Bakker's two first, Smit last (whatever the database's collation
    # does with "de Jong", the pages follow the same order as one list of everything).
    everything = [row.activity for row in selectors.public_rows(org.organisation)]
    assert seen == everything


def test_the_pages_go_back_as_they_came_in_constant_queries(
    org, client, public_paths, published, monkeypatch
):
    """ "Vorige" on every page gives back the page before it, line for line, in the same
    number of queries; the first page reached backwards is the first page."""
    monkeypatch.setattr(selectors, "PUBLIC_PAGE_SIZE", 2)
    url = reverse("public_register:organisation", args=[org.organisation.slug])
    client.get(url)
    forward = [selectors.public_page(org.organisation, size=2)]
    while forward[-1].next is not None:
        forward.append(
            selectors.public_page(org.organisation, after=forward[-1].next.encode(), size=2)
        )
    assert len(forward) >= 3, "the test needs at least three pages"
    assert forward[0].previous is None
    cursor = forward[0].next
    for shown in forward[1:]:  # every later page links back
        _count, text = _queries(client, f"{url}?vanaf={cursor.encode()}")
        assert f'href="?tot={shown.previous.encode()}">Vorige</a>' in text
        cursor = shown.next
    counts = []
    page = forward[-1]
    for expected in reversed(forward[:-1]):
        assert page.previous is not None
        count, text = _queries(client, f"{url}?tot={page.previous.encode()}")
        counts.append(count)
        page = selectors.public_page(org.organisation, before=page.previous.encode(), size=2)
        assert page.rows == expected.rows
        for row in page.rows:
            assert row.activity in text
    assert page.is_first and page.previous is None
    assert ">Vorige</a>" not in text
    assert len(set(counts)) == 1, counts


def test_a_broken_cursor_shows_the_first_page(org, published):
    first = selectors.public_page(org.organisation, size=2)
    for broken in ("", "xyz", "W10", NameCursor("a", "b", 1).encode()[:-3], "%%%"):
        page = selectors.public_page(org.organisation, after=broken, size=2)
        assert page.rows == first.rows and page.is_first


@pytest.mark.requirement("R-AW-7")
def test_the_open_data_is_streamed_complete_in_constant_queries(
    org, client, public_paths, published, monkeypatch
):
    monkeypatch.setattr(selectors, "PUBLIC_PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "PUBLIC_CHUNK", 2)
    slug = org.organisation.slug
    csv_url = reverse("public_register:csv", args=[slug])
    json_url = reverse("public_register:json", args=[slug])
    client.get(csv_url)
    assert isinstance(client.get(csv_url), StreamingHttpResponse)
    csv_queries, csv_text = _queries(client, csv_url)
    json_queries, json_text = _queries(client, json_url)
    lines = list(csv.DictReader(io.StringIO(csv_text)))
    assert sorted(line["nevenwerkzaamheid"] for line in lines) == sorted(published)
    assert {line["functie"] for line in lines} == {org.designated.name}
    data = json.loads(json_text)
    assert data["organisatie"] == org.organisation.name
    assert [row["nevenwerkzaamheid"] for row in data["nevenwerkzaamheden"]] == [
        line["nevenwerkzaamheid"] for line in lines
    ]
    # One more holder's line costs no query more.
    holder = EmployeeFactory(
        organisation=org.organisation, org_unit=org.team, function=org.designated
    )
    registration = side_activity(holder, description="Voorzitter koor")
    services.registration_decide(
        actor=org.manager.user, registration=registration, outcome=Outcome.APPROVED
    )
    assert _queries(client, csv_url)[0] == csv_queries
    assert _queries(client, json_url)[0] == json_queries
    assert "Voorzitter koor" in _queries(client, json_url)[1]

"""The PDF of a version (its text extracted), and constant query counts of the pages."""

import re
import shutil
import subprocess
from typing import Any

import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.policies import services
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory

from .factories import local_keeper, regional_code, regional_keeper

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_holds_the_text_and_the_adoption_trail(client_for: Any, organisation: Any) -> None:
    code, (v1,) = regional_code(organisation)
    client = client_for(None, organisation)
    response = client.get(reverse("policies:version_pdf", args=[code.pk, v1.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    info = subprocess.run(
        ["pdfinfo", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info  # PDF/UA-1: tagged
    assert re.search(r"^Title:\s+Gedragscode Leidse regio$", info, re.MULTILINE), info
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    words = " ".join(text.split())
    for expected in (
        "Gedragscode Leidse regio",
        "Inhoudsopgave",
        "Geschenken tot een waarde van 50 euro",
        "College van burgemeester",
        "B&W",
        "Vastgesteld",
    ):
        assert expected in words, expected


def test_print_view_has_the_document(client_for: Any, organisation: Any) -> None:
    code, (v1,) = regional_code(organisation)
    page = client_for(None, organisation).get(
        reverse("policies:version_print", args=[code.pk, v1.number])
    )
    assert "Gebruik de afdrukfunctie" in page.content.decode()
    assert 'id="h-geschenken"' in page.content.decode()


def _many_documents(organisation: Any, count: int) -> None:
    keeper = regional_keeper(organisation)
    officer = local_keeper(organisation)
    for number in range(count):
        document, _versions = regional_code(organisation, keeper)
        addition = services.document_create(
            actor=officer,
            kind=document.kind,
            title=f"Aanvulling {number}",
            organisation=organisation,
            base=document,
        )
        services.version_create(actor=officer, document=addition, content="# Eigen\n\nTekst")


def test_pages_keep_a_constant_query_count(organisation: Any) -> None:
    """The same number of queries with one document and a few employees as with seven
    documents (with local additions) and many employees: nothing runs a query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import grant

    code, (v1,) = regional_code(organisation)
    employee = EmployeeFactory(organisation=organisation)
    client = login_with_second_factor(Client(), employee.user)
    hrm = EmployeeFactory(organisation=organisation).user
    grant(hrm, Role.HRM, organisation)
    hrm_client = login_with_second_factor(Client(), hrm)
    pages = [
        (client, reverse("policies:document_list")),
        (client, reverse("policies:document_list") + "?q=geschenken"),
        (client, reverse("policies:document_detail", args=[code.pk])),
        (client, reverse("policies:code_of_conduct")),
        (client, reverse("policies:acknowledge", args=[code.pk, v1.number])),
        (hrm_client, reverse("policies:acknowledgements")),
        (hrm_client, reverse("policies:acknowledgements_pending", args=[organisation.slug, v1.pk])),
    ]

    def counts() -> list[int]:
        found = []
        for user_client, url in pages:
            user_client.get(url)  # warm the session
            with CaptureQueriesContext(connection) as queries:
                assert user_client.get(url).status_code == 200, url
            found.append(len(queries))
        return found

    small = counts()
    _many_documents(organisation, 6)
    for _number in range(60):
        colleague = EmployeeFactory(organisation=organisation)
        services.code_of_conduct_acknowledge(actor=colleague.user, version=v1)
    assert counts() == small
    assert max(small) <= 20, small


def test_postgresql_searches_along_the_gin_index(organisation: Any) -> None:
    from django.db import connection

    from integritas.policies.models import DocumentVersion
    from integritas.policies.selectors import search_current

    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    regional_code(organisation, versions=2)
    employee = EmployeeFactory(organisation=organisation)
    assert [hit.version.number for hit in search_current(employee.user, "stagiairs")] == [2]
    expression = "to_tsvector('dutch'::regconfig, COALESCE(content, ''::text))"
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'policies_version_fts'")
        (definition,) = cursor.fetchone()
        query = (
            DocumentVersion.objects.filter(status="adopted")
            .annotate(search=SearchVector("content", config="dutch"))
            .filter(search=SearchQuery("stagiairs", config="dutch", search_type="websearch"))
        )
        sql, params = query.values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # The index is on exactly the expression the search filters, for current versions.
    assert "USING gin" in definition and expression in definition, definition
    assert "WHERE ((status)::text = 'adopted'::text)" in definition, definition
    assert expression in plan, plan


def test_a_regional_readers_queries_do_not_grow_with_the_region(organisation: Any) -> None:
    """A regional role reads the documents of every organisation of its region: the
    gedragscode page writes that as the region, not as the list of its organisations,
    which a national region (355) would put into every query of the page again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganisationFactory

    regional_code(organisation)
    client = login_with_second_factor(Client(), regional_keeper(organisation))
    url = reverse("policies:code_of_conduct")

    def sql_length() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return sum(len(query["sql"]) for query in queries.captured_queries)

    few = sql_length()
    for number in range(60):
        OrganisationFactory(region=organisation.region, slug=f"regio-{number}")
    # Sixty more organisations would add at least 60 ids to each query that lists them.
    assert sql_length() - few < 60

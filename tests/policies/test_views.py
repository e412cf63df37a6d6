"""Every page of the document centre as every role, and the flows behind the forms."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.policies import services
from integritas.policies.constants import AdoptionBody, DocumentKind, VersionStatus
from integritas.policies.models import Acknowledgement, AdoptionStep, Document, DocumentVersion
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES, EmployeeFactory

from .factories import CODE_V2, adopt, local_keeper, regional_code, regional_keeper

pytestmark = pytest.mark.django_db

ROLES = [None, *ALL_ASSIGNABLE_ROLES]
KEEP_REGIONAL = {Role.WORKING_GROUP, Role.INTEGRITY_COORDINATOR}
KEEP_LOCAL = {Role.INTEGRITY_OFFICER, Role.HRM}
REGIONAL_READERS = {Role.WORKING_GROUP, Role.INTEGRITY_COORDINATOR, Role.CENTRAL_COUNSELLOR}
ACK_VIEW = {Role.HRM, Role.INTEGRITY_OFFICER}


@pytest.fixture
def world(organisation: Any, other_organisation: Any) -> dict[str, Any]:
    keeper = regional_keeper(organisation)
    code, (_v1, v2) = regional_code(organisation, keeper, versions=2)
    concept = services.version_create(actor=keeper, document=code, content=CODE_V2 + "\n# Extra\n")
    officer = local_keeper(organisation)
    handbook = services.document_create(
        actor=officer, kind=DocumentKind.STAFF_HANDBOOK, title="Handboek", organisation=organisation
    )
    adopt(officer, handbook, "# Verlof\n\nRegels.")
    other_officer = local_keeper(other_organisation)
    foreign = services.document_create(
        actor=other_officer,
        kind=DocumentKind.STAFF_HANDBOOK,
        title="Handboek Oegstgeest",
        organisation=other_organisation,
    )
    adopt(other_officer, foreign, "# Verlof\n\nAndere regels.")
    return {"code": code, "v2": v2, "concept": concept, "handbook": handbook, "foreign": foreign}


def _expected_pages(world: dict[str, Any], organisation: Any, other: Any) -> dict[str, Any]:
    code, v2, concept = world["code"], world["v2"], world["concept"]
    handbook, foreign = world["handbook"], world["foreign"]
    everyone = set(ROLES)

    def only(allowed: set[Any], otherwise: int = 403) -> dict[Any, int]:
        return {role: 200 if role in allowed else otherwise for role in ROLES}

    return {
        reverse("policies:document_list"): only(everyone),
        reverse("policies:code_of_conduct"): only(everyone),
        reverse("policies:document_detail", args=[code.pk]): only(everyone),
        reverse("policies:version_detail", args=[code.pk, v2.number]): only(everyone),
        reverse("policies:version_print", args=[code.pk, v2.number]): only(everyone),
        reverse("policies:version_changes", args=[code.pk, v2.number]): only(everyone),
        reverse("policies:acknowledge", args=[code.pk, v2.number]): only(everyone),
        reverse("policies:document_detail", args=[handbook.pk]): only(everyone),
        # Concept versions only for those who keep the document.
        reverse("policies:version_detail", args=[code.pk, concept.number]): only(
            KEEP_REGIONAL, 404
        ),
        reverse("policies:step_add", args=[code.pk, concept.number]): only(KEEP_REGIONAL, 404),
        reverse("policies:version_adopt", args=[code.pk, concept.number]): only(KEEP_REGIONAL, 404),
        reverse("policies:version_edit", args=[code.pk, concept.number]): only(KEEP_REGIONAL, 404),
        reverse("policies:version_pdf", args=[code.pk, concept.number]): only(KEEP_REGIONAL, 404),
        # Another organisation's document: invisible, except to the region's roles.
        reverse("policies:document_detail", args=[foreign.pk]): only(REGIONAL_READERS, 404),
        reverse("policies:version_print", args=[foreign.pk, 1]): only(REGIONAL_READERS, 404),
        reverse("policies:version_pdf", args=[foreign.pk, 1]): only(REGIONAL_READERS, 404),
        # The local addition to the regional text: its organisation's keepers only.
        reverse("policies:addition_create", args=[code.pk, organisation.slug]): only(
            KEEP_LOCAL, 404
        ),
        reverse("policies:addition_create", args=[code.pk, other.slug]): only(set(), 404),
        reverse("policies:version_create", args=[foreign.pk]): {
            role: 403 if role in REGIONAL_READERS else 404 for role in ROLES
        },
        reverse("policies:document_create"): only(KEEP_LOCAL | KEEP_REGIONAL),
        reverse("policies:version_create", args=[code.pk]): only(KEEP_REGIONAL),
        reverse("policies:version_create", args=[handbook.pk]): only(KEEP_LOCAL),
        reverse("policies:acknowledgements"): only(ACK_VIEW),
        reverse("policies:acknowledgements_pending", args=[organisation.slug, v2.pk]): only(
            ACK_VIEW
        ),
        reverse("policies:acknowledgements_pending", args=[other.slug, v2.pk]): {
            role: 404 if role in ACK_VIEW else 403 for role in ROLES
        },
    }


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_every_page_per_role(
    client_for: Any, organisation: Any, other_organisation: Any, world: dict[str, Any], role: Any
) -> None:
    client = client_for(role, organisation)
    for url, expected in _expected_pages(world, organisation, other_organisation).items():
        assert client.get(url).status_code == expected[role], (url, role)


@pytest.mark.parametrize("role", [None, Role.ADMINISTRATOR, Role.INTEGRITY_OFFICER])
def test_refused_posts_save_nothing(
    client_for: Any, organisation: Any, world: dict[str, Any], role: Any
) -> None:
    client = client_for(role, organisation)
    code, concept = world["code"], world["concept"]
    counts = (DocumentVersion.objects.count(), AdoptionStep.objects.count())
    response = client.post(
        reverse("policies:step_add", args=[code.pk, concept.number]),
        {"body": "college", "decided_on": "2024-01-01", "decided_by": "X"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("policies:version_create", args=[code.pk]), {"content": "# Nieuw"}
    )
    assert response.status_code == 403
    assert (DocumentVersion.objects.count(), AdoptionStep.objects.count()) == counts


def test_anonymous_is_sent_to_login(client: Client, world: dict[str, Any]) -> None:
    response = client.get(reverse("policies:document_detail", args=[world["code"].pk]))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "account" in response["Location"]


def test_keeper_writes_a_version_and_adopts_it(organisation: Any, world: dict[str, Any]) -> None:
    officer = local_keeper(organisation)
    client = login_with_second_factor(Client(), officer)
    handbook = world["handbook"]
    url = reverse("policies:version_create", args=[handbook.pk])
    # Bad input: a Dutch message, the text kept, nothing saved.
    response = client.post(url, {"content": "   ", "change_summary": "Nieuw verlof"})
    assert response.status_code == 200
    assert "Dit veld is vereist." in response.content.decode()
    assert 'value="Nieuw verlof"' in response.content.decode()
    assert handbook.versions.count() == 1
    response = client.post(url, {"content": "# Verlof\n\nNieuwe regels.", "change_summary": ""})
    assert response.status_code == 302
    version = handbook.versions.get(number=2)
    step_url = reverse("policies:step_add", args=[handbook.pk, 2])
    response = client.post(
        step_url, {"body": AdoptionBody.MT, "decided_on": "2099-01-01", "decided_by": "MT"}
    )
    page = response.content.decode()
    assert "Een besluit kan niet in de toekomst liggen." in page
    assert 'value="MT"' in page
    assert not version.adoption_steps.exists()
    response = client.post(
        step_url, {"body": AdoptionBody.MT, "decided_on": "2025-03-01", "decided_by": "MT"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("policies:version_adopt", args=[handbook.pk, 2]), {"effective_date": "2025-04-01"}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.ADOPTED
    assert handbook.versions.get(number=1).status == VersionStatus.EXPIRED
    page = client.get(reverse("policies:document_detail", args=[handbook.pk])).content.decode()
    assert "Nieuwe regels." in page


def test_reporting_regulation_refused_without_consent_shows_the_reason(
    organisation: Any,
) -> None:
    officer = local_keeper(organisation)
    document = services.document_create(
        actor=officer,
        kind=DocumentKind.REPORTING_REGULATION,
        title="Meldregeling",
        organisation=organisation,
    )
    version = services.version_create(actor=officer, document=document, content="# Melden")
    services.adoption_step_add(
        actor=officer,
        version=version,
        body=AdoptionBody.COUNCIL_EXECUTIVE,
        decided_on=datetime.date(2024, 1, 1),
        decided_by="College",
    )
    client = login_with_second_factor(Client(), officer)
    response = client.post(
        reverse("policies:version_adopt", args=[document.pk, 1]), {"effective_date": "2024-02-01"}
    )
    assert response.status_code == 200
    assert "De ondernemingsraad moet met deze regeling instemmen" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.CONCEPT


@pytest.mark.requirement("R-AW-1")
def test_employee_reads_the_changes_and_acknowledges(organisation: Any) -> None:
    keeper = regional_keeper(organisation)
    code, (v1,) = regional_code(organisation, keeper)
    employee = EmployeeFactory(organisation=organisation)
    services.code_of_conduct_acknowledge(actor=employee.user, version=v1)
    v2 = adopt(keeper, code, CODE_V2)
    client = login_with_second_factor(Client(), employee.user)
    home = client.get(reverse("home")).content.decode()
    assert "Nieuwe gedragscode lezen en bevestigen" in home
    url = reverse("policies:acknowledge", args=[code.pk, v2.number])
    page = client.get(url).content.decode()
    assert "U heeft versie 1 al bevestigd" in page
    assert "<ins>" in page and "ook inhuur en stagiairs" in page
    assert "Ongewenst gedrag" in page and "Nevenwerkzaamheden" in page
    # Without the tick: a Dutch message and nothing saved.
    response = client.post(url, {})
    assert "Vink aan dat u de gedragscode heeft ontvangen" in response.content.decode()
    assert not Acknowledgement.objects.filter(version=v2).exists()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    ack = Acknowledgement.objects.get(version=v2)
    assert ack.employee == employee
    home = client.get(reverse("home")).content.decode()
    assert "Nieuwe gedragscode lezen en bevestigen" not in home
    assert "versie 2, bevestigd op" in home
    # A second time: told so, nothing doubled.
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(version=v2).count() == 1


def test_first_acknowledgement_shows_the_whole_text(organisation: Any) -> None:
    code, (_v1,) = regional_code(organisation)
    employee = EmployeeFactory(organisation=organisation)
    client = login_with_second_factor(Client(), employee.user)
    page = client.get(reverse("policies:acknowledge", args=[code.pk, 1])).content.decode()
    assert "Inhoudsopgave" in page and 'id="h-geschenken"' in page
    assert "Ik heb de gedragscode ontvangen en gelezen, en ik houd mij eraan." in page


def test_hrm_sees_who_has_not_acknowledged(
    client_for: Any, organisation: Any, other_organisation: Any
) -> None:
    _code, (v1,) = regional_code(organisation)
    done = EmployeeFactory(organisation=organisation, last_name="Aarts")
    waiting = EmployeeFactory(organisation=organisation, last_name="Bakker")
    elsewhere = EmployeeFactory(organisation=other_organisation, last_name="Elders")
    services.code_of_conduct_acknowledge(actor=done.user, version=v1)
    services.code_of_conduct_acknowledge(actor=elsewhere.user, version=v1)
    client = client_for(Role.HRM, organisation)
    page = client.get(reverse("policies:acknowledgements")).content.decode()
    assert "versie 1" in page
    assert [
        t.acknowledged for t in client.get(reverse("policies:acknowledgements")).context["tallies"]
    ] == [1]
    page = client.get(
        reverse("policies:acknowledgements_pending", args=[organisation.slug, v1.pk])
    ).content.decode()
    assert waiting.last_name in page
    assert done.last_name not in page
    assert elsewhere.last_name not in page


def test_pending_list_pages_by_name(client_for: Any, organisation: Any, monkeypatch: Any) -> None:
    from integritas.policies import selectors

    monkeypatch.setattr(selectors, "PENDING_PAGE_SIZE", 2)
    _code, (v1,) = regional_code(organisation)
    for name in ("Cees", "Anton", "Bert", "Dirk"):
        EmployeeFactory(organisation=organisation, last_name=name)
    client = client_for(Role.HRM, organisation)
    url = reverse("policies:acknowledgements_pending", args=[organisation.slug, v1.pk])
    first = client.get(url)
    names = [e.last_name for e in first.context["page"].employees]
    assert names == ["Anton", "Bert"]
    second = client.get(first.context["next_url"])
    assert [e.last_name for e in second.context["page"].employees][:2] == ["Cees", "Dirk"]


def test_search_finds_current_text_only(client_for: Any, organisation: Any) -> None:
    keeper = regional_keeper(organisation)
    code, _versions = regional_code(organisation, keeper, versions=2)
    services.version_create(actor=keeper, document=code, content="# Geheim\n\nconceptwoord")
    client = client_for(None, organisation)
    page = client.get(reverse("policies:document_list"), {"q": "stagiairs"})
    assert [hit.version.number for hit in page.context["hits"]] == [2]
    assert not client.get(reverse("policies:document_list"), {"q": "conceptwoord"}).context["hits"]
    # v1's "Nevenwerkzaamheden" is vervallen: not found any more.
    assert not client.get(reverse("policies:document_list"), {"q": "Nevenwerkzaamheden"}).context[
        "hits"
    ]


def test_search_stays_in_scope(client_for: Any, organisation: Any, world: dict[str, Any]) -> None:
    client = client_for(None, organisation)
    hits = client.get(reverse("policies:document_list"), {"q": "regels"}).context["hits"]
    assert [hit.document.title for hit in hits] == ["Handboek"]


def test_local_addition_shows_under_the_regional_text(
    organisation: Any, other_organisation: Any
) -> None:
    code, _versions = regional_code(organisation)
    officer = local_keeper(organisation)
    addition = services.document_create(
        actor=officer, kind=code.kind, title="Aanvulling", organisation=organisation, base=code
    )
    adopt(officer, addition, "# Kernwaarden Leiderdorp\n\nOpen en betrouwbaar.")
    own = login_with_second_factor(Client(), EmployeeFactory(organisation=organisation).user)
    page = own.get(reverse("policies:document_detail", args=[code.pk])).content.decode()
    assert "Aanvulling van Gemeente Leiderdorp" in page and "Open en betrouwbaar." in page
    other = login_with_second_factor(
        Client(), EmployeeFactory(organisation=other_organisation).user
    )
    page = other.get(reverse("policies:document_detail", args=[code.pk])).content.decode()
    assert "Open en betrouwbaar." not in page
    assert other.get(reverse("policies:document_detail", args=[addition.pk])).status_code == 404


def test_officer_starts_an_addition(organisation: Any) -> None:
    code, _versions = regional_code(organisation)
    client = login_with_second_factor(Client(), local_keeper(organisation))
    url = reverse("policies:addition_create", args=[code.pk, organisation.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Eigen inkleuring"})
    assert response.status_code == 302
    addition = Document.objects.get(base=code)
    assert addition.organisation == organisation
    assert client.get(url).status_code == 404  # one addition per organisation


def test_document_create_page(organisation: Any) -> None:
    client = login_with_second_factor(Client(), regional_keeper(organisation))
    url = reverse("policies:document_create")
    response = client.post(url, {"kind": "code_of_conduct", "title": " ", "scope": ""})
    assert response.status_code == 200
    assert not Document.objects.exists()
    region = organisation.region
    response = client.post(
        url, {"kind": "it_regulation", "title": "IT-regeling", "scope": f"region-{region.pk}"}
    )
    assert response.status_code == 302
    assert Document.objects.get().region == region


def test_script_in_the_markdown_is_inert_on_every_page_that_shows_it(organisation: Any) -> None:
    """Bad input: a keeper's Markdown with script, handlers and javascript: links. The
    version page, the print view and the changes between versions show it as text."""
    from tests.policies.test_rendering import HOSTILE, elements

    from .factories import adopt

    officer = local_keeper(organisation)
    handbook = services.document_create(
        actor=officer, kind=DocumentKind.STAFF_HANDBOOK, title="Handboek", organisation=organisation
    )
    adopt(officer, handbook, "# Titel\n\nRustige tekst.")
    adopt(officer, handbook, HOSTILE)
    client = login_with_second_factor(Client(), EmployeeFactory(organisation=organisation).user)
    for name in ("version_detail", "version_print", "version_changes"):
        page = client.get(reverse(f"policies:{name}", args=[handbook.pk, 2]))
        assert page.status_code == 200, name
        html = page.content.decode()
        assert "alert(" in html, name  # the text is there ...
        for tag, attrs in elements(html):  # ... but nothing of it runs
            assert not (tag == "script" and not attrs.get("src")), (name, tag, attrs)
            assert tag not in {"iframe", "object", "embed"}, (name, tag)
            assert not [a for a in attrs if a.startswith("on")], (name, tag, attrs)
            for link in ("href", "src"):
                value = (attrs.get(link) or "").strip().lower()
                assert not value.startswith("javascript:"), (name, tag, attrs)

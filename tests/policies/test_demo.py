"""The demo of the document centre: the seed policy, the gedragscode in two versions."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from integritas.accounts.models import User
from integritas.demo import policies as demo_policies
from integritas.organisations.models import Organisation
from integritas.policies import selectors
from integritas.policies.constants import AdoptionBody, DocumentKind, VersionStatus
from integritas.policies.diff import Change, diff_sections
from integritas.policies.models import Acknowledgement, Document, DocumentVersion
from integritas.policies.rendering import split_sections
from tests.conftest import built_once_per_class, login_with_second_factor

pytestmark = pytest.mark.django_db


def _seed() -> None:
    call_command("seed_demo", "--no-reports", stdout=StringIO())


# Seeded once for the tests of TestTheSeededDemo (tests/conftest.py); what a test changes
# is rolled back after it.
_seeded_once = built_once_per_class(_seed)


@pytest.fixture
def seeded(_seeded_once: None, db: Any) -> None:
    return _seeded_once


def test_seed_policy_becomes_sections() -> None:
    markdown = demo_policies.seed_policy_markdown(
        demo_policies.SEED_POLICY.read_text(encoding="utf-8")
    )
    titles = [s.title for s in split_sections(markdown) if s.level == 1]
    assert titles == [
        "1 Inleiding",
        "2 Definitie en doelstelling",
        "3 Waarden en normen",
        "4 Rollen en verantwoordelijkheden",
        "5 Invoering, borging en handhaving",
        "6 Monitoren en evalueren",
    ]
    instruments = [s.title for s in split_sections(markdown) if s.level == 3]
    assert len(instruments) == 11
    assert instruments[0] == "1. Beleidsdocument"
    assert "Integriteitsbeleid" not in markdown.splitlines()  # page headers gone


class TestTheSeededDemo:
    """The demo seeded once (--no-reports): its documents, a second run, an employee's view."""

    def test_demo_documents(self, seeded: None) -> None:
        leiderdorp = Organisation.objects.get(slug="leiderdorp")
        policy = Document.objects.get(title=demo_policies.POLICY_TITLE)
        assert (policy.organisation, policy.kind) == (leiderdorp, DocumentKind.INTEGRITY_POLICY)
        assert "Kernwaarden van de gemeente Leiderdorp" in selectors.current_version(policy).content
        code = Document.objects.get(title=demo_policies.CODE_TITLE)
        assert code.region == leiderdorp.region
        assert list(code.versions.order_by("number").values_list("status", flat=True)) == [
            VersionStatus.EXPIRED,
            VersionStatus.ADOPTED,
        ]
        v1, v2 = code.versions.order_by("number")
        changes = {c.change for c in diff_sections(v1.content, v2.content)}
        assert {Change.ADDED, Change.CHANGED, Change.UNCHANGED} <= changes
        assert Document.objects.filter(base=code).count() >= 2
        regulation = Document.objects.get(title=demo_policies.REGULATION_TITLE)
        step = selectors.current_version(regulation).adoption_steps.get(
            body=AdoptionBody.WORKS_COUNCIL
        )
        assert step.consent_reference == demo_policies.CONSENT_REFERENCE
        employee = User.objects.get(email__startswith="medewerker@").employee
        assert Acknowledgement.objects.filter(employee=employee, version=v1).exists()
        assert list(selectors.pending_code_versions(employee)) == [v2]

    def test_demo_is_idempotent(self, seeded: None) -> None:
        counts = (Document.objects.count(), DocumentVersion.objects.count())
        acks = Acknowledgement.objects.count()
        orgs = {org.slug: org for org in Organisation.objects.all()}
        from integritas.demo import data

        users = {
            a.key: User.objects.get(
                employee__organisation__slug=a.organisation,
                employee__first_name=a.first_name,
                employee__last_name=a.last_name,
            )
            for a in data.DEMO_ACCOUNTS
        }
        assert demo_policies.seed(orgs, users) == {}
        assert (Document.objects.count(), DocumentVersion.objects.count()) == counts
        assert Acknowledgement.objects.count() == acks

    def test_demo_employee_sees_the_new_version_waiting(self, seeded: None) -> None:
        user = User.objects.get(email__startswith="medewerker@")
        client = login_with_second_factor(Client(), user)
        home = client.get(reverse("home")).content.decode()
        assert "Nieuwe gedragscode lezen en bevestigen" in home
        assert "versie 1, bevestigd op" in home

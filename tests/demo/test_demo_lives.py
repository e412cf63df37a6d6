"""The demo that lives: accounts in every organisation, each with its own substitute, and
reports in every stage of the workflow, made through the Meldpunt's services."""

import datetime
import hashlib
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.accounts.selectors import user_roles
from integritas.audit.models import AuditEvent
from integritas.cases import vault
from integritas.cases.access import cases_visible_to
from integritas.cases.clock.deadlines import acknowledgement_due, days_left, feedback_due
from integritas.cases.constants import CLOSED_STATUSES, MessageDirection, Status
from integritas.cases.models import (
    Case,
    CaseMessage,
    CaseNote,
    CaseStatusChange,
    InvestigationKind,
    InvestigationRecord,
    InvolvedPerson,
    Referral,
    Substitute,
)
from integritas.demo import data
from integritas.demo.logins import current_totp_code
from integritas.demo.reports import SCENARIOS, demo_case
from integritas.demo.seed import seed_demo
from integritas.organisations.models import Organisation
from tests.conftest import built_once_per_class

pytestmark = pytest.mark.django_db

SLUGS = [spec.slug for spec in data.ORGANISATIONS]
# What every organisation has, at the least (DESIGN §1; the list).
REQUIRED_PERSONAS = {
    "secretary",
    "integrity_officer",
    "hrm",
    "manager",
    "employee",
    "confidential_counsellor",
}
APPS = ("organisations", "accounts", "cases", "counsel", "audit", "mfa", "account")


def _counts() -> dict[str, int]:
    """Rows per model of the apps the demo writes to."""
    return {
        model._meta.label: model._default_manager.count()
        for label in APPS
        for model in apps.get_app_config(label).get_models()
    }


def _fingerprint() -> str:
    """What the demo's reports and accounts are, as one digest that moves when a row does."""
    cases = Case.objects.select_related("organisation").annotate(
        n_messages=Count("messages", distinct=True),
        n_notes=Count("notes", distinct=True),
        n_involved=Count("involved", distinct=True),
        n_records=Count("investigation_records", distinct=True),
        n_referrals=Count("referrals", distinct=True),
        n_steps=Count("status_changes", distinct=True),
    )
    rows: list[Any] = [
        (
            case.case_number,
            case.organisation.slug,
            case.status,
            case.kind,
            case.category,
            case.channel,
            case.received_at,
            case.acknowledged_at,
            case.feedback_given_at,
            case.closed_at,
            case.decided_at,
            case.finding,
            case.aangifte_decision,
            case.updated_at,
            case.n_messages,
            case.n_notes,
            case.n_involved,
            case.n_records,
            case.n_referrals,
            case.n_steps,
        )
        for case in cases.order_by("case_number")
    ]
    rows += sorted(User.objects.values_list("email", "full_name", "password", "updated_at"))
    rows += sorted(
        RoleAssignment.objects.values_list(
            "user__email", "role", "organisation_id", "region_id", "status", "updated_at"
        )
    )
    rows += sorted(
        Substitute.objects.values_list("organisation_id", "user__email", "status", "updated_at")
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


# The demo with its sixty reports, seeded once for the tests of TestTheSeededDemo
# (tests/conftest.py); what a test changes is rolled back after it.
_seeded_once = built_once_per_class(_seed)


@pytest.fixture
def seeded(_seeded_once: str, db: Any) -> str:
    return _seeded_once


def test_seeding_twice_gives_the_same_data(db: Any, django_assert_max_num_queries: Any) -> None:
    # Sixty reports through the services: about 140 queries each, audit and notices
    # included; a second run only looks each report up by its key.
    out = StringIO()
    with django_assert_max_num_queries(10_000):
        call_command("seed_demo", stdout=out)
    assert "meldingen 60" in out.getvalue()
    counts, fingerprint = _counts(), _fingerprint()
    # Even days later: the reports made the first time are not made or moved again.
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=3)),
        django_assert_max_num_queries(150),
    ):
        out = StringIO()
        call_command("seed_demo", stdout=out)
    assert "niets gewijzigd" in out.getvalue()
    assert _counts() == counts
    assert _fingerprint() == fingerprint


def test_every_organisation_has_each_role_and_its_own_substitute(db: Any) -> None:
    seed_demo(reports=False)
    for slug in SLUGS:
        org = Organisation.objects.get(slug=slug)
        accounts = data.accounts_of(slug)
        personas = {a.persona for a in accounts}
        assert personas >= REQUIRED_PERSONAS, slug
        for account in accounts:
            user = User.objects.get(email=account.email)
            assert user.employee.organisation == org
            assert account.email.endswith("@demo.integritas.example")
            roles = user_roles(user)
            if account.persona == "manager":
                assert roles.is_manager, account.key
            if account.role is not None:
                assert roles.has(account.role, org.pk), account.key
        # The secretary (the director at the shared service centre) holds the role here.
        secretary = next(a for a in accounts if a.persona == "secretary")
        assert secretary.role == Role.SECRETARY
        # Its own substitute, someone who works there (seed 5.2).
        substitutes = Substitute.objects.filter(
            organisation=org, replaces_role="secretary", status=AssignmentStatus.ACTIVE
        )
        assert [s.user.employee.organisation_id for s in substitutes] == [org.pk]
        assert substitutes.get().user.email != secretary.email
    assert str(data.account("secretary:servicecentrum").label) == "Directeur"
    # The regional roles act in every organisation.
    for key in ("integrity_coordinator", "central_counsellor", "investigator:region"):
        account = data.account(key)
        roles = user_roles(User.objects.get(email=account.email))
        for org in Organisation.objects.all():
            assert roles.has(account.role, org.pk), key
    # Every address is unique and names are not repeated.
    assert len({a.email for a in data.DEMO_ACCOUNTS}) == len(data.DEMO_ACCOUNTS)
    assert len({a.full_name for a in data.DEMO_ACCOUNTS}) == len(data.DEMO_ACCOUNTS)


def _due_in(case: Case, now: datetime.datetime) -> tuple[int | None, int | None]:
    """Days left for the acknowledgement and the feedback (None: given already)."""
    ack = None if case.acknowledged_at else days_left(acknowledgement_due(case.received_at), now)
    feedback = None
    if case.feedback_given_at is None and case.status not in CLOSED_STATUSES:
        feedback = days_left(feedback_due(case.received_at, case.acknowledged_at), now)
    return ack, feedback


class TestTheSeededDemo:
    """The demo with its reports, seeded once: what each test finds, changes and reseeds."""

    def test_a_demo_report_lives_on_and_a_deleted_one_comes_back(self, seeded: str) -> None:
        # Someone acknowledges a demo report: the next run leaves it as it is.
        case = demo_case("leiden", "ontvangen-anoniem")
        assert case is not None
        assert case.status == Status.RECEIVED
        Case.objects.filter(pk=case.pk).update(status=Status.TRIAGE)
        assert not seed_demo().changed
        case.refresh_from_db()
        assert case.status == Status.TRIAGE
        # A demo report someone removed is made again, once.
        Case.objects.filter(pk=case.pk).delete()
        result = seed_demo()
        assert result.created == {"meldingen": 1}
        assert demo_case("leiden", "ontvangen-anoniem") is not None
        assert not seed_demo().changed

    def test_reports_in_every_stage_for_every_organisation(self, seeded: str) -> None:
        now = timezone.now()
        for slug in SLUGS:
            cases = list(Case.objects.filter(organisation__slug=slug))
            assert len(cases) == len(SCENARIOS), slug
            assert {c.status for c in cases} == set(Status), slug
            dues = [_due_in(c, now) for c in cases]
            acks = [ack for ack, _f in dues if ack is not None]
            feedbacks = [f for _a, f in dues if f is not None]
            # Some deadlines overdue, some nearly due (the Wbk clocks: 7 days, 3 months).
            assert any(d < 0 for d in acks), slug
            assert any(0 <= d <= 2 for d in acks), slug
            assert any(d < 0 for d in feedbacks), slug
            assert any(0 <= d <= 7 for d in feedbacks), slug
            # Messages both ways, notes, people linked by their blind index.
            messages = CaseMessage.objects.filter(case__organisation__slug=slug)
            assert messages.filter(direction=MessageDirection.TO_REPORTER).exists()
            assert messages.filter(direction=MessageDirection.FROM_REPORTER).exists()
            assert messages.filter(needs_approval=True, approved_at__isnull=False).exists()
            assert CaseNote.objects.filter(case__organisation__slug=slug).exists()
            involved = InvolvedPerson.objects.filter(case__organisation__slug=slug)
            assert involved.exclude(blind_index="").exists()
            # An investigation with its records, an aangifte decision and a referral.
            records = InvestigationRecord.objects.filter(case__organisation__slug=slug)
            assert set(records.values_list("kind", flat=True)) == set(InvestigationKind)
            assert Case.objects.filter(organisation__slug=slug, aangifte_decision=True).exists()
            assert Referral.objects.filter(case__organisation__slug=slug).count() >= 2
            # Closing needs feedback; every step is on the case's timeline, in order.
            for case in cases:
                if case.status in CLOSED_STATUSES:
                    assert case.feedback_given_at and case.closed_at and case.retain_until
                steps = list(CaseStatusChange.objects.filter(case=case).order_by("at", "pk"))
                assert all(case.received_at <= s.at <= now for s in steps)
                if steps:
                    assert steps[-1].to_status == case.status
                if case.acknowledged_at:
                    assert case.received_at <= case.acknowledged_at <= now

    def test_the_demo_reports_are_sealed_and_their_audit_chain_verifies(self, seeded: str) -> None:
        case = demo_case("oegstgeest", "besluit")
        assert case is not None
        assert case.status == Status.DECIDED
        text = vault.unseal(case, "description", case.description_enc)
        assert text.strip()
        assert text.encode() not in bytes(case.description_enc)  # stored only encrypted
        # The steps were audited as they were taken, in each organisation's own chain.
        assert AuditEvent.objects.filter(action="case.submit").count() == Case.objects.count()
        assert AuditEvent.objects.filter(action="case.decide").exists()
        assert AuditEvent.objects.filter(action="case.reporter_reply").exists()
        out = StringIO()
        call_command("audit_verify", stdout=out)
        assert "Auditlog intact" in out.getvalue()

    def test_need_to_know_holds_in_the_demo(self, seeded: str) -> None:
        # The report about Leiden's secretary: the substitute handles it, she never sees it.
        case = demo_case("leiden", "wacht-op-vervanger")
        assert case is not None
        assert case.status == Status.AWAITING_APPROVAL
        secretary = User.objects.get(email=data.account("secretary:leiden").email)
        substitute = User.objects.get(email=data.account("substitute:leiden").email)
        assert not cases_visible_to(secretary).filter(pk=case.pk).exists()
        assert cases_visible_to(substitute).filter(pk=case.pk).exists()
        # The secretary sees her own organisation's cases from the approval step on, no others.
        visible = cases_visible_to(secretary)
        assert visible.filter(organisation__slug="leiden", status=Status.DECIDED).exists()
        assert not visible.exclude(organisation__slug="leiden").exists()
        assert not visible.filter(status=Status.RECEIVED).exists()
        # The regional coordinator sees every organisation's reports.
        coordinator = User.objects.get(email=data.account("integrity_coordinator").email)
        assert cases_visible_to(coordinator).count() == Case.objects.count()


def test_demo_logins_prints_a_table_with_organisation_and_current_code(db: Any) -> None:
    seed_demo(reports=False)
    with time_machine.travel(timezone.now(), tick=False):
        out = StringIO()
        call_command("demo_logins", stdout=out)
        output = out.getvalue()
        header = output.splitlines()[2]
        assert re.split(r"\s{2,}", header) == [
            "Rol",
            "Organisatie of regio",
            "E-mailadres",
            "Wachtwoord",
            "TOTP-geheim",
            "Code nu",
        ]
        names = {spec.slug: spec.name for spec in data.ORGANISATIONS}
        for account in data.DEMO_ACCOUNTS:
            line = next(row for row in output.splitlines() if account.email in row.split())
            cells = re.split(r"\s{2,}", line)
            assert cells[0] == str(account.label)
            assert cells[1] == (
                data.REGION_NAME if account.regional else names[account.organisation]
            )
            assert cells[3] == data.DEMO_PASSWORD
            if account.totp_secret:
                assert cells[4:] == [account.totp_secret, current_totp_code(account.totp_secret)]
            else:
                assert cells[4:] == ["niet nodig", "-"]
    out = StringIO()
    call_command("demo_logins", "--organisation", "zoeterwoude", stdout=out)
    emails = set(re.findall(r"\S+@demo\.integritas\.example", out.getvalue()))
    assert emails == {a.email for a in data.accounts_of("zoeterwoude", with_regional=True)}


@pytest.mark.ci_run("sqlite")  # a subprocess with its own SQLite file
def test_seed_demo_is_refused_with_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "integritas.conf.production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "SECRET_KEY": "p" * 60,
        "INTEGRITAS_MASTER_KEY": "dHR0dHR0dHR0dHR0dHR0dHR0dHR0dHR0dHR0dHR0dHQ=",
        "INTEGRITAS_RECEIPT_PEPPER": "q" * 40,
        "ALLOWED_HOSTS": "integritas.example",
    }
    command = [sys.executable, "-m", "integritas.manage"]
    result = subprocess.run(
        [*command, "seed_demo"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "INTEGRITAS_DEMO_ALLOWED" in result.stderr
    assert "Traceback" not in result.stderr

"""`integritas seed_scale`: a national installation in bulk that is still valid data."""

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.test import override_settings

from integritas.accounts.constants import Role
from integritas.accounts.models import RoleAssignment, User
from integritas.audit.models import AuditEvent
from integritas.cases import vault
from integritas.cases.models import Case
from integritas.demo.scale import plan
from integritas.demo.scale.organisations import region
from integritas.obligations.models import Duty
from integritas.organisations.models import Employee, Organisation, OrgUnit
from tests.conftest import built_once_per_class

pytestmark = pytest.mark.django_db

SMALL = {
    "organisations": 5,
    "employees": 2000,
    "cases_per_year": 200,
    "years": 2,
    "audit_events": 20_000,
}


def seed(**options: Any) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("seed_scale", stdout=out, stderr=err, **{**SMALL, **options})
    return out.getvalue(), err.getvalue()


def _seed() -> str:
    return seed()[0]


# Seeded once for the tests of TestTheSeededScale (tests/conftest.py); what a test changes
# is rolled back after it.
_seeded_once = built_once_per_class(_seed)


@pytest.fixture
def seeded(_seeded_once: str, db: Any) -> str:
    return _seeded_once


def test_national_sizes_run_from_a_few_dozen_to_twenty_thousand() -> None:
    sizes = plan.organisation_sizes(200_000, 350)
    assert sum(sizes) == 200_000
    assert max(sizes) == 20_000
    assert 20 <= min(sizes) <= 50
    assert sorted(sizes)[175] < 1000  # most organisations are small


@override_settings(INTEGRITAS_DEMO_ALLOWED=False)
def test_refuses_in_production_settings(db: Any) -> None:
    with pytest.raises(CommandError, match="niet toegestaan"):
        seed()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("real", ["user", "organisation", "employee"])
def test_refuses_a_database_with_real_data(db: Any, real: str) -> None:
    if real == "user":
        User.objects.create_user(email="jan.jansen@gemeente.nl", full_name="Jan Jansen")
    else:
        org = Organisation.objects.create(
            region=region(),
            slug="utrecht" if real == "organisation" else f"{plan.SLUG_PREFIX}9999",
            name="Gemeente Utrecht",
            kind="municipality",
            case_prefix="UTR",
            contact_email="integriteit@utrecht.example",
        )
        if real == "employee":
            Employee.objects.create(
                organisation=org,
                personnel_number="1",
                first_name="Jan",
                last_name="Jansen",
                email="jan@utrecht.nl",
                employment_type="in_dienst",
                start_date="2020-01-01",
            )
    before = Organisation.objects.count()
    with pytest.raises(CommandError, match="niet gegenereerd"):
        seed()
    assert Organisation.objects.count() == before
    assert not Case.objects.exists()


class TestTheSeededScale:
    """A small national seed made once: what each test finds in it."""

    def test_makes_the_counts_asked_for(self, seeded: str) -> None:
        assert Organisation.objects.filter(slug__startswith=plan.SLUG_PREFIX).count() == 5
        assert Employee.objects.count() == 2000
        assert Case.objects.count() == 400
        # The events asked for, plus the one that records the run itself.
        assert AuditEvent.objects.filter(chain__startswith="org-").count() == 20_000
        assert AuditEvent.objects.filter(action="demo.seed_scale").count() == 1
        assert "5 organisaties, 2000 medewerkers" in seeded

    def test_organisation_sizes_are_skewed_and_cases_follow_them(self, seeded: str) -> None:
        sizes = dict(
            Employee.objects.values_list("organisation__slug")
            .annotate(n=Count("pk"))
            .values_list("organisation__slug", "n")
        )
        assert sorted(sizes.values(), reverse=True) == plan.organisation_sizes(2000, 5)
        largest, smallest = max(sizes, key=sizes.__getitem__), min(sizes, key=sizes.__getitem__)
        assert sizes[largest] >= 10 * sizes[smallest]
        cases = Counter(Case.objects.values_list("organisation__slug", flat=True))
        assert cases[largest] == max(cases.values())
        assert cases[largest] > cases[smallest]
        years = Counter(Case.objects.values_list("year", flat=True))
        assert sorted(years.values()) == [200, 200]

    def test_everyone_has_a_manager_who_heads_their_unit(self, seeded: str) -> None:
        tops = OrgUnit.objects.filter(parent=None)
        assert not OrgUnit.objects.filter(managers=None).exists()
        without_manager = Employee.objects.filter(manager=None)
        assert set(without_manager.values_list("org_unit", flat=True)) == set(
            tops.values_list("pk", flat=True)
        )
        heads = {
            (u, e)
            for u, e in OrgUnit.managers.through.objects.values_list("orgunit_id", "employee_id")
        }
        staff = Employee.objects.exclude(managed_units__isnull=False).values_list(
            "org_unit_id", "manager_id"
        )
        assert all(pair in heads for pair in staff)

    def test_accounts_roles_and_addresses_are_recognisably_fake(self, seeded: str) -> None:
        users = User.objects.all()
        assert 300 < users.count() < 1000  # a share of the 2000 employees
        assert all(email.endswith(".example") for email in users.values_list("email", flat=True))
        assert not any(user.has_usable_password() for user in users[:50])
        assert not Employee.objects.exclude(email__endswith=".example").exists()
        for org in Organisation.objects.all():
            roles = set(
                RoleAssignment.objects.filter(organisation=org).values_list("role", flat=True)
            )
            assert {Role.SECRETARY, Role.HRM, Role.INTEGRITY_OFFICER} <= roles
        assert RoleAssignment.objects.filter(
            role=Role.INTEGRITY_COORDINATOR, region__isnull=False
        ).exists()

    def test_the_planner_knows_the_generated_sizes(self, seeded: str) -> None:
        """The seed leaves statistics (ANALYZE), so that pages measured on it are planned
        as on a kept database (PostgreSQL's autovacuum gathers them)."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT relname, reltuples FROM pg_class WHERE relname IN (%s, %s)",
                    [Organisation._meta.db_table, Employee._meta.db_table],
                )
                estimates = dict(cursor.fetchall())
            else:
                # SQLite: sqlite_stat1 holds "<rows> <rows per key> ..." per index.
                cursor.execute(
                    "SELECT tbl, max(CAST(stat AS INTEGER)) FROM sqlite_stat1 "
                    "WHERE tbl IN (%s, %s) GROUP BY tbl",
                    [Organisation._meta.db_table, Employee._meta.db_table],
                )
                estimates = dict(cursor.fetchall())
        # Never analysed, a table's estimate is -1 (unknown, PostgreSQL) or missing.
        assert estimates[Employee._meta.db_table] >= 2000
        assert estimates[Organisation._meta.db_table] >= 5

    def test_sqlite_plans_a_team_from_its_people(self, seeded: str) -> None:
        """With statistics SQLite reads one employee's duties along the employee index,
        not the organisation's duties in due-date order (the dossier on every home page)."""
        if connection.vendor != "sqlite":
            pytest.skip("the SQLite planner without statistics")
        employee = Employee.objects.filter(duties__isnull=False).first()
        assert employee is not None
        query = (
            Duty.objects.filter(employee_id=employee.pk, organisation_id=employee.organisation_id)
            .exclude(status="closed")
            .order_by("due_date", "pk")[:100]
        )
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "employee_id=?" in plan, plan

    def test_audit_chains_verify(self, seeded: str) -> None:
        out = StringIO()
        call_command("audit_verify", "--no-progress", stdout=out)
        assert "Auditlog intact: 6 ketens gecontroleerd." in out.getvalue()

    def test_case_content_decrypts(self, seeded: str) -> None:
        for case in Case.objects.select_related("identity").order_by("?")[:20]:
            assert vault.unseal(case, "description", case.description_enc).startswith(
                "Gegenereerde melding"
            )
            assert "where" in vault.unseal_json(case, "details", case.details_enc)
            identity = vault.unseal_json(case, "identity", case.identity.identity_enc)
            assert identity.get("email", "melder@melder.example").endswith(".example")

    def test_closed_cases_carry_their_dates(self, seeded: str) -> None:
        closed = Case.objects.filter(status__in=["closed", "closed_without_investigation"])
        assert closed.exists()
        assert not closed.filter(feedback_given_at=None).exists()
        assert not closed.filter(closed_at=None).exists()
        assert not Case.objects.exclude(status="received").filter(acknowledged_at=None).exists()

    def test_a_second_run_refuses_and_changes_nothing(self, seeded: str) -> None:
        with pytest.raises(CommandError, match="al gegevens van seed_scale"):
            seed()
        assert Employee.objects.count() == 2000


def test_on_top_of_the_demo_the_demo_organisation_takes_the_largest_size(db: Any) -> None:
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    leiderdorp = Organisation.objects.get(slug="leiderdorp")
    demo_staff = Employee.objects.filter(organisation=leiderdorp).count()
    events_before = AuditEvent.objects.count()
    seed(organisations=3, employees=1000, audit_events=5000)
    sizes = plan.organisation_sizes(1000, 3)
    assert Employee.objects.filter(organisation=leiderdorp).count() == demo_staff + sizes[0]
    assert Organisation.objects.filter(slug__startswith=plan.SLUG_PREFIX).count() == 2
    assert Case.objects.filter(organisation=leiderdorp, case_number__startswith="LDP-").count() > 0
    assert AuditEvent.objects.count() == events_before + 5000 + 1
    call_command("audit_verify", "--no-progress", stdout=StringIO())
    # The demo's regional coordinator sees the generated organisations: same region.
    assert len({o.region_id for o in Organisation.objects.all()}) == 1


TINY = {"organisations": 2, "employees": 100, "cases_per_year": 10, "audit_events": 100}


def audit_indexes() -> dict[str, str]:
    """Every index of the audit table by name, with its definition, from the catalogue."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table]
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
                [table],
            )
        return dict(cursor.fetchall())


def test_the_audit_table_keeps_the_indexes_of_a_migrated_database(db: Any) -> None:
    """The audit phase drops the indexes that enforce nothing and builds them again: after
    the run the table has exactly the indexes (names and definitions) of the migrations."""
    migrated = audit_indexes()
    # Fifteen on PostgreSQL; thirteen on SQLite (no LIKE copy of the hash, the key is the rowid).
    assert len(migrated) >= 13
    seed(**{**TINY, "audit_events": 2000})
    assert audit_indexes() == migrated


@pytest.mark.parametrize("interruption", [RuntimeError, KeyboardInterrupt])
def test_an_interrupted_audit_phase_leaves_the_indexes_and_chains_that_verify(
    db: Any, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:
    """An exception or Ctrl-C half-way through the events: the dropped indexes are built
    again, and the batches written so far verify."""
    from integritas.demo.scale import audit

    migrated = audit_indexes()
    unique = {name for name, sql in migrated.items() if "UNIQUE" in (sql or "UNIQUE")}
    during: list[set[str]] = []
    real_writer = audit._writer

    def writer() -> Any:
        write = real_writer()
        calls = 0

        def interrupted(rows: Any, chains: Any) -> None:
            nonlocal calls
            calls += 1
            during.append(set(audit_indexes()))
            if calls == 3:
                raise interruption("interrupted")
            write(rows, chains)

        return interrupted

    monkeypatch.setattr(audit, "BATCH", 1000)
    monkeypatch.setattr(audit, "_writer", writer)
    with pytest.raises(interruption):
        seed(**{**TINY, "audit_events": 5000})
    # While the events went in, only the unique indexes (and the primary key) were there.
    assert during[0] == unique
    assert audit_indexes() == migrated
    assert AuditEvent.objects.filter(chain__startswith="org-").count() == 2000
    call_command("audit_verify", "--no-progress", stdout=StringIO())


def test_progress_goes_to_stderr(db: Any) -> None:
    _, err = seed(**TINY)
    assert "auditgebeurtenissen: klaar in" in err


def test_no_progress_silences_stderr(db: Any) -> None:
    _, err = seed(**TINY, no_progress=True)
    assert err == ""

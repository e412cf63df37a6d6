"""`integritas seed_demo` and `integritas demo_logins`: the demo of the Leidse regio."""

import csv
import datetime
import re
import time
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from allauth.mfa.utils import decrypt
from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import (
    PRIVILEGED_ROLES,
    REGIONAL_ROLES,
    AssignmentStatus,
    Role,
)
from integritas.accounts.models import RoleAssignment, User
from integritas.accounts.selectors import user_roles
from integritas.audit.models import AuditEvent
from integritas.awareness.models import Activity, Attendance, DilemmaDiscussion
from integritas.cases.models import Substitute
from integritas.counsel.models import ConsultationEntry, CounsellorListing, CounsellorSession
from integritas.demo import data
from integritas.demo.seed import seed_demo
from integritas.organisations.constants import (
    EmploymentType,
    OrganisationKind,
    ScreeningProfile,
)
from integritas.organisations.models import (
    CoreValue,
    Employee,
    Function,
    Organisation,
    OrgUnit,
    Region,
)
from integritas.risks.models import Measure, RiskAssessment
from tests.conftest import built_once_per_class

pytestmark = pytest.mark.django_db

SLUGS = {"leiden", "leiderdorp", "oegstgeest", "zoeterwoude", "servicecentrum"}
CSV_PATH = data.FUNCTIONS_CSV
QUERY_CEILING = 850


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    """allauth remembers used TOTP codes in the cache."""
    cache.clear()
    yield
    cache.clear()


def _seed() -> str:
    out = StringIO()
    # The organisations, people and accounts; the reports are tested in test_demo_lives.py.
    call_command("seed_demo", "--no-reports", stdout=out)
    return out.getvalue()


# Seeded once for the tests of TestTheSeededDemo (tests/conftest.py); what a test changes
# is rolled back after it.
_seeded_once = built_once_per_class(_seed)


@pytest.fixture
def seeded(_seeded_once: str, db: Any) -> str:
    return _seeded_once


def _csv_rows() -> dict[str, dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def _snapshot() -> dict[str, Any]:
    state: dict[str, Any] = {}
    for model in (
        Region,
        Organisation,
        CoreValue,
        OrgUnit,
        Function,
        Employee,
        User,
        CounsellorListing,
        Substitute,
    ):
        state[model.__name__] = (
            model._default_manager.count(),
            model._default_manager.aggregate(m=Max("updated_at"))["m"],
        )
    state["RoleAssignment"] = (
        RoleAssignment.objects.count(),
        RoleAssignment.objects.aggregate(m=Max("updated_at"))["m"],
    )
    state["Authenticator"] = sorted(
        Authenticator.objects.values_list("pk", "user_id", "type", "data")
    )
    state["managers"] = sorted(OrgUnit.managers.through.objects.values_list("pk", flat=True))
    state["passwords"] = sorted(User.objects.values_list("pk", "password"))
    state["audit"] = AuditEvent.objects.count()
    return state


def test_seed_demo_refuses_where_demo_data_is_not_allowed(settings: Any) -> None:
    settings.INTEGRITAS_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="INTEGRITAS_DEMO_ALLOWED"):
        call_command("seed_demo", stdout=StringIO())
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
    with pytest.raises(CommandError, match="INTEGRITAS_DEMO_ALLOWED"):
        call_command("demo_logins", stdout=StringIO())


def test_demo_logins_before_seeding_says_what_to_do(db: Any) -> None:
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("demo_logins", stdout=StringIO())


def _line_for(output: str, email: str) -> str:
    return next(line for line in output.splitlines() if email in line.split())


class TestTheSeededDemo:
    """The demo seeded once (--no-reports): what each test finds, changes and reseeds."""

    def test_seed_creates_the_region_and_its_five_organisations(self, seeded: str) -> None:
        assert "Demogegevens geladen" in seeded
        region = Region.objects.get(slug="leidse-regio")
        assert region.name == "Leidse regio"
        orgs = {o.slug: o for o in Organisation.objects.filter(region=region)}
        assert set(orgs) == SLUGS
        assert {o.case_prefix for o in orgs.values()} == {"LEI", "LDP", "OGG", "ZTW", "SLR"}
        assert orgs["servicecentrum"].kind == OrganisationKind.SHARED_SERVICE
        assert orgs["servicecentrum"].name == "Servicecentrum Leidse Regio"
        for org in orgs.values():
            # The intake page offers anonymous reporting for every organisation.
            assert org.anonymous_reporting_enabled, org.slug
            assert org.gift_threshold == 50
            assert org.contact_email.endswith(".example")
            assert org.reporting_regulation_name.startswith("Regeling melding")
            assert org.reporting_regulation_year
            # R-WBK-1: the worker count is the number of people currently working there.
            assert org.worker_count == Employee.objects.filter(organisation=org).current().count()
            assert org.internal_procedure_required
        leiderdorp = orgs["leiderdorp"]
        assert leiderdorp.reporting_regulation_name == (
            "Regeling melding vermoeden integriteitsschending Leiderdorp"
        )
        assert leiderdorp.reporting_regulation_year == 2024
        values = list(CoreValue.objects.filter(organisation=leiderdorp).order_by("position"))
        assert [v.name for v in values] == [
            "Vertrouwen",
            "Respect",
            "Lef",
            "Bevlogen",
            "Eigenaarschap",
            "Nieuwsgierig",
            "Behulpzaam",
        ]
        assert values[0].text.startswith(
            "Vertrouwen is voor mij een basis om te kunnen samenwerken."
        )
        assert "fouten maken mag" in values[2].text

    def test_every_organisation_has_a_unit_tree_with_managers_and_60_to_150_people(
        self,
        seeded: str,
    ) -> None:
        today = timezone.localdate()
        for org in Organisation.objects.filter(slug__in=SLUGS):
            units = list(OrgUnit.objects.filter(organisation=org).prefetch_related("managers"))
            roots = [u for u in units if u.parent_id is None]
            assert [u.name for u in roots] == ["Directie"], org.slug
            afdelingen = [u for u in units if u.parent_id == roots[0].pk]
            assert 3 <= len(afdelingen) <= 5, org.slug
            assert any(u.parent_id not in (None, roots[0].pk) for u in units), "teams exist"
            for unit in units:
                managers = list(unit.managers.all())
                assert len(managers) == 1, unit
                assert managers[0].organisation_id == org.pk
                assert managers[0].end_date is None  # a former employee heads nothing

            people = list(Employee.objects.filter(organisation=org).select_related("function"))
            assert 60 <= len(people) <= 150, org.slug
            types = {p.employment_type for p in people}
            assert types == set(EmploymentType), org.slug
            employed = sum(p.employment_type == EmploymentType.EMPLOYED for p in people)
            assert employed > len(people) / 2  # mostly in dienst
            for person in people:
                if person.employment_type == EmploymentType.INTERN:
                    assert person.function.code == "STG"
                assert person.start_date <= today
                assert person.org_unit_id is not None
                assert person.email.endswith(".example")
            former = [p for p in people if p.is_former]
            assert former, org.slug
            assert all(p.end_date > p.start_date for p in former)
            # Everyone but the top of the organisation has a manager, a unit head.
            heads = {m.pk for u in units for m in u.managers.all()}
            without_manager = [p for p in people if p.manager_id is None]
            assert [p.org_unit_id for p in without_manager] == [roots[0].pk]
            assert {p.manager_id for p in people if p.manager_id} <= heads
            assert len({p.personnel_number for p in people}) == len(people)
        names = set(Employee.objects.values_list("last_name", flat=True))
        assert any(n.startswith(("van der ", "van den ")) for n in names)
        assert any(n.startswith("de ") for n in names)

    def test_the_functions_of_functies_csv_with_their_integrity_flags(self, seeded: str) -> None:
        rows = _csv_rows()
        for org in Organisation.objects.filter(slug__in=SLUGS):
            functions = {f.code: f for f in Function.objects.filter(organisation=org)}
            assert set(functions) == set(rows), org.slug
            for code, row in rows.items():
                function = functions[code]
                assert function.name == row["functie"]
                expected = [a for a in row["kwetsbare_activiteiten"].split(";") if a]
                assert function.vulnerable_activities == expected
                # R-AW-7 and R-AW-8: designated functions.
                assert function.designated_side_activity_publication == (
                    row["aangewezen_publicatie_nevenwerkzaamheden"] == "ja"
                )
                assert function.designated_financial_interests == (
                    row["aangewezen_financiele_belangen"] == "ja"
                )
                assert function.notes == row["toelichting"]
                if row["vog"] == "nee":
                    assert function.screening_profile == ScreeningProfile.NONE
        leiden = {f.code: f for f in Function.objects.filter(organisation__slug="leiden")}
        # R-BIO-3: the VOG screening profile per function.
        assert leiden["GS"].screening_profile == ScreeningProfile.SPECIFIC
        assert leiden["TRE"].screening_profile == ScreeningProfile.SPECIFIC
        assert leiden["BZ"].screening_profile == ScreeningProfile.GENERAL
        assert leiden["STG"].screening_profile == ScreeningProfile.NONE
        assert leiden["GS"].designated_side_activity_publication
        assert not leiden["STG"].is_vulnerable

    def test_every_role_has_a_demo_account_the_original_fourteen_at_leiderdorp(
        self,
        seeded: str,
    ) -> None:
        region = Region.objects.get(slug="leidse-regio")
        orgs = {o.slug: o for o in Organisation.objects.filter(region=region)}
        leiderdorp = orgs["leiderdorp"]
        users = {
            u.email: u for u in User.objects.filter(email__endswith="@demo.integritas.example")
        }
        assert len(users) == len(data.DEMO_ACCOUNTS)
        for account in data.DEMO_ACCOUNTS:
            user = users[account.email]
            assert user.employee.organisation == orgs[account.organisation], account.key
            assert user.employee.employment_type == EmploymentType.EMPLOYED
            assert check_password(data.DEMO_PASSWORD, user.password)
            assert not user.is_superuser
        # The fourteen logins of the first demo keep their addresses and their organisation.
        original = {
            "medewerker", "leidinggevende", "hrm", "functionaris", "coordinator", "onderzoeker",
            "secretaris", "vertrouwenspersoon", "centrale-vertrouwenspersoon", "directie",
            "or-lid", "werkgroep", "beheerder", "beheerder2",
        }  # fmt: skip
        for local in original:
            assert users[f"{local}@demo.integritas.example"].employee.organisation == leiderdorp

        assignments = RoleAssignment.objects.filter(
            user__in=users.values(), status=AssignmentStatus.ACTIVE
        ).select_related("user")
        holders: dict[str, list[RoleAssignment]] = {}
        for assignment in assignments:
            holders.setdefault(assignment.role, []).append(assignment)
        assert set(holders) == set(Role) - {Role.EMPLOYEE}
        by_email = {a.email: a for a in data.DEMO_ACCOUNTS}
        for role, granted in holders.items():
            for assignment in granted:
                account = by_email[assignment.user.email]
                if account.regional:
                    assert role in REGIONAL_ROLES | {Role.ADMINISTRATOR, Role.INVESTIGATOR}
                    assert assignment.region == region, role
                else:
                    assert assignment.organisation == orgs[account.organisation], role
        # Two administrators, so a four-eyes approval can be shown.
        assert len(holders[Role.ADMINISTRATOR]) == 2

        employee = users["medewerker@demo.integritas.example"]
        roles = user_roles(employee)
        assert not roles.roles
        assert not roles.is_manager
        manager = users["leidinggevende@demo.integritas.example"]
        roles = user_roles(manager)
        assert not roles.roles  # manager is no assignment: it follows from the unit tree
        assert roles.is_manager
        assert manager.employee.managed_units.get().name == "Team Burgerzaken"

        # Privileged accounts carry a TOTP authenticator with the documented secret.
        for account in data.DEMO_ACCOUNTS:
            user = users[account.email]
            totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            if account.role in PRIVILEGED_ROLES:
                assert totp is not None, account.key
                assert decrypt(totp.data["secret"]) == account.totp_secret
                assert Authenticator.objects.filter(
                    user=user, type=Authenticator.Type.RECOVERY_CODES
                ).exists()
            else:
                assert totp is None, account.key

    def test_every_organisation_lists_two_vertrouwenspersonen(self, seeded: str) -> None:
        # R-WBK-6: the intake page can point every reporter to a vertrouwenspersoon.
        for org in Organisation.objects.filter(slug__in=SLUGS):
            listings = list(CounsellorListing.objects.filter(organisation=org))
            assert len(listings) == 2, org.slug
            assert {listing.is_external for listing in listings} == {False, True}
            assert all(listing.email.endswith(".example") for listing in listings)
        # An administrator's own listing survives a reseed, a changed demo one is restored.
        leiden = Organisation.objects.get(slug="leiden")
        CounsellorListing.objects.filter(organisation=leiden, is_external=False).update(phone="1")
        CounsellorListing.objects.create(
            organisation=leiden, name="Eigen", email="e@leiden.example"
        )
        assert seed_demo(reports=False).changed
        assert CounsellorListing.objects.filter(organisation=leiden).count() == 3
        assert not CounsellorListing.objects.filter(phone="1").exists()
        assert not seed_demo(reports=False).changed

    def test_every_organisation_has_counsel_risks_and_awareness_at_work(self, seeded: str) -> None:
        # Issue 13's demo: for every organisation counsellor log entries and trainings,
        # risk assessments with measures (one review overdue), trainings with attendance
        # and discussed dilemmas, so that every role sees those pages at work.
        today = timezone.localdate()
        sessions = CounsellorSession.objects.all()
        assert sessions.filter(held_on__lte=today).exists()
        for org in Organisation.objects.filter(slug__in=SLUGS):
            assert ConsultationEntry.objects.filter(organisation=org).exists(), org.slug
            trained = CounsellorSession.attendees.through.objects.filter(
                counsellorsession__in=sessions,
                user__assignments__role=Role.CONFIDENTIAL_COUNSELLOR,
                user__assignments__organisation=org,
            )
            assert trained.exists(), org.slug
            assessments = RiskAssessment.objects.filter(organisation=org)
            assert assessments.count() >= 5, org.slug
            measures = Measure.objects.filter(organisation=org)
            assert measures.count() >= 2, org.slug
            assert measures.filter(review_date__lt=today).count() == 1, org.slug
            assert Attendance.objects.filter(activity__organisation=org).exists(), org.slug
            assert Activity.objects.filter(organisation=org, completed_on__isnull=False).exists(), (
                org.slug
            )
            assert DilemmaDiscussion.objects.filter(organisation=org).exists(), org.slug

    def test_every_organisation_has_its_own_active_loco_secretary(self, seeded: str) -> None:
        # Seed 5.2: a report about the secretary goes to the designated substitute, someone
        # who works in the same organisation.
        for org in Organisation.objects.filter(slug__in=SLUGS):
            substitute = Substitute.objects.get(organisation=org, replaces_role="secretary")
            assert substitute.status == AssignmentStatus.ACTIVE
            assert substitute.user.employee.organisation == org
        assert Substitute.objects.get(organisation__slug="leiderdorp").user.email == (
            "directie@demo.integritas.example"
        )
        # One an administrator revoked is restored by the next run, as a new designation.
        Substitute.objects.filter(organisation__slug="leiden").update(
            status=AssignmentStatus.REVOKED
        )
        assert seed_demo(reports=False).changed
        assert Substitute.objects.filter(
            organisation__slug="leiden", status=AssignmentStatus.ACTIVE
        ).exists()
        assert not seed_demo(reports=False).changed

    def test_the_earlier_demo_one_substitute_for_all_five_is_replaced(self, seeded: str) -> None:
        # The first demo made the Directie account of Leiderdorp the substitute everywhere.
        directie = User.objects.get(email="directie@demo.integritas.example")
        leiden = Organisation.objects.get(slug="leiden")
        Substitute.objects.filter(organisation=leiden).delete()
        Substitute.objects.create(
            organisation=leiden,
            replaces_role="secretary",
            user=directie,
            status=AssignmentStatus.ACTIVE,
        )
        assert seed_demo(reports=False).changed
        active = Substitute.objects.filter(organisation=leiden, status=AssignmentStatus.ACTIVE)
        assert [s.user.email for s in active] == ["vervanger.leiden@demo.integritas.example"]

    def test_every_organisation_has_duties_in_every_state_and_reminders_to_send(
        self, seeded: str, mailoutbox: list[Any]
    ) -> None:
        """Issue 12: done, due soon, overdue, vervallen and a VOG too old at the start
        date in each of the five organisations; `send_reminders` has something to send
        once, and nothing on a second run the same day."""
        from integritas.demo.obligations import TOO_OLD_NOTE
        from integritas.obligations.constants import DutyKind, DutyStatus
        from integritas.obligations.models import Duty, SignedForm
        from integritas.obligations.reminders import send_reminders
        from integritas.obligations.selectors import duties_filter

        for organisation in Organisation.objects.all():
            duties = Duty.objects.filter(organisation=organisation)
            states = {
                state: duties_filter(duties, state=state).exists()
                for state in ("done", "due_soon", "overdue", "closed")
            }
            assert all(states.values()), (organisation.slug, states)
            refused = duties.get(kind=DutyKind.VOG, note=TOO_OLD_NOTE)
            assert (refused.status, refused.vog_issued_on) == (DutyStatus.OPEN, None)
            oath = duties.get(kind=DutyKind.OATH, status=DutyStatus.DONE)
            assert SignedForm.objects.filter(duty=oath).exists()
        first = send_reminders()
        assert first.mails > 0 and len(mailoutbox) == first.mails
        assert send_reminders().mails == 0

    def test_a_second_run_changes_nothing(self, seeded: str) -> None:
        before = _snapshot()
        # Even a day later: nothing in the demo depends on today's date.
        with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
            out = StringIO()
            call_command("seed_demo", "--no-reports", stdout=out)
        assert "niets gewijzigd" in out.getvalue()
        assert _snapshot() == before

    def test_a_run_restores_what_someone_changed_in_the_demo(self, seeded: str) -> None:
        leiderdorp = Organisation.objects.get(slug="leiderdorp")
        Organisation.objects.filter(pk=leiderdorp.pk).update(
            gift_threshold=10, anonymous_reporting_enabled=False
        )
        coordinator = User.objects.get(email="coordinator@demo.integritas.example")
        coordinator.set_password("iets-anders-2026")
        coordinator.save()
        Employee.objects.filter(organisation=leiderdorp, personnel_number="100001").delete()

        result = seed_demo(reports=False)

        assert result.changed
        leiderdorp.refresh_from_db()
        assert leiderdorp.gift_threshold == 50
        assert leiderdorp.anonymous_reporting_enabled
        coordinator.refresh_from_db()
        assert check_password(data.DEMO_PASSWORD, coordinator.password)
        restored = Employee.objects.get(organisation=leiderdorp, personnel_number="100001")
        assert restored.user.email == "medewerker@demo.integritas.example"
        assert not seed_demo(reports=False).changed

    def test_demo_logins_prints_password_secret_and_a_valid_current_code(self, seeded: str) -> None:
        with time_machine.travel(timezone.now(), tick=False):
            out = StringIO()
            call_command("demo_logins", stdout=out)
            output = out.getvalue()
            coordinator = User.objects.get(email="coordinator@demo.integritas.example")
            totp = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)
            secret = decrypt(totp.data["secret"])
            line = _line_for(output, coordinator.email)
            assert "Integriteitscoördinator" in line
            assert data.DEMO_PASSWORD in line
            assert secret in line
            code = re.findall(r"\b\d{6}\b", line)[-1]
            assert validate_totp_code(secret, code)
            assert TOTP(totp).validate_code(code)
        assert "integritas demo_logins" in output  # how to get a fresh code
        for account in data.DEMO_ACCOUNTS:
            line = _line_for(output, account.email)
            assert str(account.label) in line
            assert data.DEMO_PASSWORD in line
        assert "niet nodig" in _line_for(output, "medewerker@demo.integritas.example")

    def test_a_demo_account_logs_in_with_the_printed_password_and_code(self, seeded: str) -> None:
        # R-BIO-2: the demo passes the second factor the way a real user does.
        client = Client()
        email = "beheerder@demo.integritas.example"
        response = client.post(reverse("account_login"), {"login": email, "password": "fout"})
        assert "_auth_user_id" not in client.session
        response = client.post(
            reverse("account_login"), {"login": email, "password": data.DEMO_PASSWORD}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_authenticate")
        out = StringIO()
        call_command("demo_logins", stdout=out)
        code = re.findall(r"\b\d{6}\b", _line_for(out.getvalue(), email))[-1]
        response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)
        assert client.get("/").status_code == 200


def test_seeding_is_fast_and_uses_bulk_writes(db: Any, django_assert_max_num_queries: Any) -> None:
    started = time.monotonic()
    # About 500 employees, 150 functions and 60 units: a per-row save would need thousands.
    # The accounts (48, about 17 queries each: created, granted and given a second factor
    # through the services) take most of the queries; the reports are measured in
    # test_demo_lives.py.
    with django_assert_max_num_queries(QUERY_CEILING):
        seed_demo(reports=False, domains=False)
    assert time.monotonic() - started < 10
    assert Employee.objects.count() > 400

"""The demo's registrations: in every organisation, published where they should be and
never where they should not; a second run makes nothing."""

from typing import Any

import pytest

from integritas.accounts.models import User
from integritas.demo import data
from integritas.demo import registers as demo_registers
from integritas.demo.seed import seed_demo
from integritas.organisations.models import Organisation
from integritas.registers import selectors
from integritas.registers.constants import Kind, Status
from integritas.registers.models import Registration
from tests.conftest import built_once_per_class

pytestmark = pytest.mark.django_db


def _seed() -> None:
    seed_demo(reports=False)


# Seeded once for the tests of TestTheSeededDemo (tests/conftest.py); what a test changes
# is rolled back after it.
_seeded_once = built_once_per_class(_seed)


@pytest.fixture
def seeded(_seeded_once: None, db: Any) -> None:
    return _seeded_once


def _context():
    orgs = {o.slug: o for o in Organisation.objects.all()}
    users = {a.key: User.objects.get(email=a.email) for a in data.DEMO_ACCOUNTS}
    return orgs, users


def slug_key(persona: str, slug: str) -> str:
    return persona if slug == data.DEMO_ORGANISATION else f"{persona}:{slug}"


class TestTheSeededDemo:
    """The demo seeded once (--no-reports): its registrations and its supplier lists."""

    @pytest.mark.requirement("R-AW-7")
    def test_demo_registrations_in_every_organisation_and_idempotent(self, seeded):
        orgs, users = _context()
        for slug, organisation in orgs.items():
            assert Registration.objects.filter(organisation=organisation).count() >= 9, slug
            names = {
                a.registration.employee.user.email
                for a in selectors.public_side_activities(organisation)
            }
            employee = users[slug_key("employee", slug)]
            assert employee.email not in names  # an ordinary employee is never published
            # Decided by the burgemeester; at the service centre by the chair of its board.
            assert users[slug_key("secretary", slug)].email in names, slug
            director = users["management_board" if slug == "leiderdorp" else f"substitute:{slug}"]
            if director.employee.function.designated_side_activity_publication:
                assert director.email in names, slug
            manager = users[slug_key("manager", slug)]
            rows, _more = selectors.queue_for(manager)
            assert rows, slug  # the manager has work
            assert (
                Registration.objects.filter(
                    organisation=organisation, kind=Kind.GIFT, status=Status.NOTED
                ).count()
                == 2
            )
        assert demo_registers.seed(orgs, users) == {}

    @pytest.mark.requirement("R-AW-5")
    def test_demo_supplier_list_raises_a_few_signals_in_every_organisation(self, seeded):
        from integritas.registers.constants import SignalReason
        from integritas.registers.models import ConflictSignal, Counterparty

        orgs, users = _context()
        for slug, organisation in orgs.items():
            assert Counterparty.objects.filter(organisation=organisation).exists(), slug
            reasons = set(
                ConflictSignal.objects.filter(organisation=organisation).values_list(
                    "reason", flat=True
                )
            )
            assert SignalReason.SIDE_ACTIVITY in reasons, slug
            assert SignalReason.TENDER_GIFT in reasons, slug
            assert SignalReason.FINANCIAL_INTEREST in reasons, slug
        leiderdorp = orgs[data.DEMO_ORGANISATION]
        assert Counterparty.objects.filter(organisation=leiderdorp).count() == 7
        assert demo_registers.seed(orgs, users) == {}

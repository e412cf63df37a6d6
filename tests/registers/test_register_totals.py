"""The register's totals per giver and period: maintained per giver and month by the
services, read from those totals and the cut days; and the queries of the register page
and of the dossier."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.core.keyset import Cursor
from integritas.registers import selectors, services
from integritas.registers.models import Gift, GiftTotal, Registration
from integritas.registers.selectors import RegisterFilter

from .helpers import TODAY, gift, side_activity

pytestmark = pytest.mark.django_db

STEEN = "Bouwbedrijf De Steen B.V."
WATERWEG = "Adviesbureau Waterweg"


def _totals(org, start=None, end=None):
    return [
        (t.giver_organisation, t.count, t.value_cents)
        for t in selectors.gift_totals(org.organisation, start, end)
    ]


def _grouped(org, start=None, end=None):
    """The same figures straight from the gifts (the slow way, for comparison)."""
    rows = Gift.objects.filter(organisation=org.organisation)
    if start:
        rows = rows.filter(given_on__gte=start)
    if end:
        rows = rows.filter(given_on__lte=end)
    grouped = (
        rows.values_list("giver_organisation")
        .annotate(n=Count("pk"), total=Sum("value_cents"))
        .order_by()
    )
    return sorted(grouped, key=lambda row: (-row[2], row[0]))


@pytest.mark.requirement("R-AW-10")
def test_a_registered_gift_counts_in_the_totals_of_its_organisation_only(org, other):
    gift(org.employee, 7000)
    gift(org.colleague, 3000)
    gift(org.employee, 2500, giver_organisation=WATERWEG)
    gift(other.employee, 99900)
    assert _totals(org) == [(STEEN, 2, 10000), (WATERWEG, 1, 2500)]
    assert _totals(other) == [(STEEN, 1, 99900)]
    month = TODAY.replace(day=1)
    assert (
        GiftTotal.objects.get(
            organisation=org.organisation, giver_organisation=STEEN, month=month
        ).count
        == 2
    )


def test_purged_gifts_leave_the_totals(org):
    gift(org.employee, 7000)
    gift(org.colleague, 3000, given_on=TODAY - datetime.timedelta(days=40))
    type(org.employee).objects.filter(pk=org.employee.pk).update(
        start_date=TODAY - datetime.timedelta(days=10 * 366),
        end_date=TODAY - datetime.timedelta(days=3 * 366),
    )
    result = services.purge_expired_registrations(today=TODAY)
    assert result.count == 1
    assert _totals(org) == [(STEEN, 1, 3000)]
    assert _totals(org) == _grouped(org)
    # The month that lost its only gift has no total row left.
    assert GiftTotal.objects.filter(organisation=org.organisation).count() == 1


def test_totals_of_any_period_equal_the_gifts_of_that_period(org):
    base = datetime.date(2026, 3, 14)
    for offset, cents, giver in [
        (-45, 1000, STEEN),
        (-14, 2000, WATERWEG),
        (-13, 3000, STEEN),
        (0, 4000, STEEN),
        (17, 5000, WATERWEG),
        (18, 6000, STEEN),
        (50, 7000, WATERWEG),
    ]:
        gift(
            org.employee,
            cents,
            giver_organisation=giver,
            given_on=base + datetime.timedelta(days=offset),
        )
    days = [
        None,
        datetime.date(2026, 1, 1),
        datetime.date(2026, 1, 29),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 14),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 4, 30),
        datetime.date(2026, 5, 3),
    ]
    for start in days:
        for end in days:
            assert _totals(org, start, end) == _grouped(org, start, end), (start, end)


def test_the_migration_back_fills_the_totals(org):
    gift(org.employee, 7000)
    gift(org.colleague, 3000, given_on=TODAY - datetime.timedelta(days=40))
    expected = sorted(
        GiftTotal.objects.values_list("giver_organisation", "month", "count", "value_cents")
    )
    GiftTotal.objects.all().delete()
    migration = importlib.import_module("integritas.registers.migrations.0004_gift_totals")
    migration.backfill(django_apps, None)
    assert (
        sorted(GiftTotal.objects.values_list("giver_organisation", "month", "count", "value_cents"))
        == expected
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_register_has_the_same_queries_with_filters_periods_and_deep_pages(org, login):
    for number in range(6):
        gift(org.employee, 1000 * number, given_on=TODAY - datetime.timedelta(days=20 * number))
        side_activity(org.colleague)
    client = login(org.hrm)
    url = reverse("registers:register")
    client.get(url)  # the session's first request does more (its login, once)
    first = _count(client, url)
    oldest = (
        Registration.objects.filter(organisation=org.organisation)
        .order_by("created_at", "pk")
        .first()
    )
    newest_but_one = selectors.register_page(org.organisation, RegisterFilter(), size=1)
    assert newest_but_one.older is not None
    period = (TODAY - datetime.timedelta(days=50)).isoformat()
    for variant in (
        "?soort=gift",
        "?status=pending",
        f"?van={period}&tot={TODAY.isoformat()}",
        f"?ouder={newest_but_one.older.encode()}",
        f"?nieuwer={Cursor.of(oldest, 'created_at').encode()}",
    ):
        assert _count(client, url + variant) == first, variant
    assert first == 9


def test_the_dossier_on_the_home_page_has_the_same_queries_with_more_registrations(org, login):
    side_activity(org.employee)
    client = login(org.employee.user)
    client.get(reverse("home"))
    few = _count(client, reverse("home"))
    for number in range(5):
        gift(org.employee, 1000 * number)
        side_activity(org.employee, description=f"Bestuurslid {number}")
    page = client.get(reverse("home")).content.decode()
    assert "Bestuurslid 4" in page
    assert _count(client, reverse("home")) == few

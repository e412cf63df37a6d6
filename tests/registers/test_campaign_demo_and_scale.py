"""The demo's open campaign in every organisation, and the scale generator's campaign
confirmations with the progress page's query count at two volumes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.models import User
from integritas.demo import campaigns as demo_campaigns
from integritas.demo import data
from integritas.demo.scale.campaigns import confirmations_bulk
from integritas.demo.seed import seed_demo
from integritas.organisations.models import Organisation
from integritas.registers import campaigns
from integritas.registers.models import Reconfirmation, ReconfirmationCampaign
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_demo_has_an_open_campaign_in_every_organisation_partly_confirmed():
    seed_demo(reports=False)
    orgs = {o.slug: o for o in Organisation.objects.all()}
    users = {a.key: User.objects.get(email=a.email) for a in data.DEMO_ACCOUNTS}
    today = timezone.localdate()
    for slug, organisation in orgs.items():
        campaign = ReconfirmationCampaign.objects.get(organisation=organisation)
        assert campaign.opens_on <= today <= campaign.closes_on, slug
        totals = campaigns.campaign_progress(campaign).totals
        assert 0 < totals.confirmed < totals.total, slug
    # The demo employee still has the confirmation to do.
    employee = users["employee"]
    own = campaigns.own_campaign(employee, employee.employee)
    assert own is not None and own.to_do
    count = Reconfirmation.objects.count()
    assert demo_campaigns.seed(orgs, users) == {}
    assert Reconfirmation.objects.count() == count


def test_scale_confirmations_idempotent_and_the_progress_page_constant(org, login):
    url = reverse("registers:campaigns")
    client = login(org.officer)
    EmployeeFactory.create_batch(10, organisation=org.organisation, org_unit=org.team, user=None)
    written = confirmations_bulk([org.organisation.pk], seed=7)
    assert written > 0
    assert confirmations_bulk([org.organisation.pk], seed=7) == 0
    client.get(url)
    cache.clear()  # measure pages that count, not ones that reuse the figures
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    EmployeeFactory.create_batch(60, organisation=org.organisation, org_unit=org.top, user=None)
    assert confirmations_bulk([org.organisation.pk], seed=7) > 0
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    totals = response.context["progress"].totals
    assert totals.total == 78 and 0 < totals.confirmed < totals.total

"""The yearly re-confirmation: opening a campaign, confirming within its period,
pre-fill from last year, reminders, the progress page and who may see it."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.audit.constants import ACTION_LABELS
from integritas.audit.models import AuditEvent
from integritas.registers import campaigns
from integritas.registers.campaign_reminders import send_campaign_reminders
from integritas.registers.models import Reconfirmation, ReconfirmationCampaign
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES, EmployeeFactory

from .helpers import financial, side_activity

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _open(org, *, opens=TODAY, closes=None, year=None):
    return campaigns.campaign_open(
        actor=org.officer,
        organisation=org.organisation,
        year=year or TODAY.year,
        opens_on=opens,
        closes_on=closes or opens + 30 * DAY,
    )


def _past_campaign(org, year, confirmed=()):
    """A campaign of an earlier year (the service refuses a period in the past)."""
    campaign = ReconfirmationCampaign.objects.create(
        organisation=org.organisation,
        year=year,
        opens_on=datetime.date(year, 1, 1),
        closes_on=datetime.date(year, 2, 1),
    )
    for employee, ids, note in confirmed:
        Reconfirmation.objects.create(
            campaign=campaign,
            employee=employee,
            confirmed_at=timezone.now() - 300 * DAY,
            confirmed_by=employee.user,
            registration_ids=ids,
            note=note,
        )
    return campaign


# --------------------------------------------------------------------------- opening


def test_the_integrity_officer_opens_a_campaign_audited(org):
    campaign = _open(org)
    assert campaign.opened_by == org.officer
    event = AuditEvent.objects.get(action="registers.campaign.opened")
    assert event.object_id == str(campaign.pk)
    for code in (
        "registers.campaign.opened",
        "registers.campaign.confirmed",
        "registers.campaign.reminder_sent",
    ):
        assert code in ACTION_LABELS


def test_only_the_integrity_officer_of_the_organisation_opens(org, other):
    for actor in (org.hrm, org.manager.user, other.officer):
        with pytest.raises(PermissionDenied):
            campaigns.campaign_open(
                actor=actor,
                organisation=org.organisation,
                year=TODAY.year,
                opens_on=TODAY,
                closes_on=TODAY + 30 * DAY,
            )
    assert not ReconfirmationCampaign.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"opens_on": TODAY + 10 * DAY, "closes_on": TODAY + 5 * DAY},
            "closes_on",
            "De sluitingsdatum moet na de begindatum liggen.",
        ),
        (
            {"opens_on": TODAY + 10 * DAY, "closes_on": TODAY + 10 * DAY},
            "closes_on",
            "De sluitingsdatum moet na de begindatum liggen.",
        ),
        ({"opens_on": TODAY - DAY}, "opens_on", "De begindatum ligt in het verleden."),
        ({"year": TODAY.year - 1}, "year", "Kies dit jaar of volgend jaar"),
        ({"year": "twintig"}, "year", "Vul een jaartal in"),
        ({"opens_on": "31-02-2027"}, "opens_on", "Vul een geldige datum in."),
    ],
)
def test_bad_campaign_input_is_refused_in_dutch_and_kept(org, login, data, field, message):
    post = {
        "year": TODAY.year,
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + 30 * DAY).isoformat(),
    }
    post.update({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()})
    response = login(org.officer).post(reverse("registers:campaign_open"), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert response.context["form"].data["opens_on"] == post["opens_on"]  # nothing lost
    assert not ReconfirmationCampaign.objects.exists()


def test_one_campaign_per_organisation_per_year(org, other, login):
    _open(org)
    response = login(org.officer).post(
        reverse("registers:campaign_open"),
        {
            "year": TODAY.year,
            "opens_on": (TODAY + DAY).isoformat(),
            "closes_on": (TODAY + 40 * DAY).isoformat(),
        },
    )
    assert "al een herbevestiging" in response.content.decode()
    assert ReconfirmationCampaign.objects.count() == 1
    # Another organisation opens its own for the same year.
    _open(other)
    assert ReconfirmationCampaign.objects.count() == 2


def test_opening_on_the_page_redirects_to_the_progress(org, login):
    response = login(org.officer).post(
        reverse("registers:campaign_open"),
        {
            "year": TODAY.year,
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + 30 * DAY).isoformat(),
        },
    )
    assert response.status_code == 302
    assert reverse("registers:campaigns") in response["Location"]


# --------------------------------------------------------------------------- confirming


def test_confirming_records_who_and_when_once_audited(org):
    campaign = _open(org)
    activity = side_activity(org.employee)
    confirmation = campaigns.campaign_confirm(actor=org.employee.user, campaign=campaign)
    assert confirmation.employee == org.employee
    assert confirmation.confirmed_by == org.employee.user
    assert confirmation.registration_ids == [activity.pk]
    assert AuditEvent.objects.filter(
        action="registers.campaign.confirmed", object_id=str(confirmation.pk)
    ).exists()
    with pytest.raises(ValidationError, match="al gedaan"):
        campaigns.campaign_confirm(actor=org.employee.user, campaign=campaign)
    assert Reconfirmation.objects.count() == 1


def test_the_window_before_opening_and_after_closing(org):
    campaign = _open(org, opens=TODAY + 5 * DAY)
    with pytest.raises(ValidationError, match="begint op"):
        campaigns.campaign_confirm(actor=org.employee.user, campaign=campaign)
    with pytest.raises(ValidationError, match="gesloten op"):
        campaigns.campaign_confirm(
            actor=org.employee.user, campaign=campaign, today=campaign.closes_on + DAY
        )
    # The last day still counts.
    campaigns.campaign_confirm(actor=org.employee.user, campaign=campaign, today=campaign.closes_on)
    assert Reconfirmation.objects.count() == 1


def test_a_confirmation_after_the_close_date_is_refused_on_the_page(org, login):
    campaign = _open(org)
    with time_machine.travel(campaign.closes_on + DAY, tick=False):
        client = login(org.employee.user)  # a fresh session on that day
        page = client.get(reverse("registers:reconfirm")).content.decode()
        assert "gesloten op" in page
        assert 'name="complete"' not in page
        response = client.post(reverse("registers:reconfirm"), {"complete": "on"})
    assert response.status_code == 200
    assert "Bevestigen kan niet meer" in response.content.decode()
    assert not Reconfirmation.objects.exists()


def test_nobody_confirms_for_another_organisation_or_after_leaving(org, other):
    campaign = _open(org)
    with pytest.raises(PermissionDenied):
        campaigns.campaign_confirm(actor=other.employee.user, campaign=campaign)
    org.colleague.end_date = TODAY - DAY
    org.colleague.save()
    with pytest.raises(PermissionDenied):
        campaigns.campaign_confirm(actor=org.colleague.user, campaign=campaign)


def test_the_confirm_box_is_required_on_the_page(org, login):
    _open(org)
    response = login(org.employee.user).post(reverse("registers:reconfirm"), {"note": "<b>x</b>"})
    html = response.content.decode()
    assert "Vink aan dat uw registraties volledig zijn." in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html  # kept, escaped
    assert not Reconfirmation.objects.exists()


@pytest.mark.requirement("R-AW-5")
def test_the_page_shows_current_and_planned_side_activities_with_links(org, login):
    _open(org)
    current = side_activity(org.employee, description="Trainer zwemclub")
    planned = side_activity(
        org.employee, description="Docent avondschool", start_date=TODAY + 60 * DAY
    )
    side_activity(
        org.employee,
        description="Oud bestuurslid",
        start_date=TODAY - 400 * DAY,
        end_date=TODAY - 10 * DAY,
    )
    side_activity(org.colleague, description="Iets van een collega")
    html = login(org.employee.user).get(reverse("registers:reconfirm")).content.decode()
    assert "Trainer zwemclub" in html and "Docent avondschool" in html
    assert "Oud bestuurslid" not in html and "Iets van een collega" not in html
    for registration in (current, planned):
        assert reverse("registers:side_activity_edit", args=[registration.pk]) in html
        assert reverse("registers:side_activity_end", args=[registration.pk]) in html
    assert reverse("registers:side_activity_create") in html


def test_change_end_and_add_from_the_page_lead_back_to_it(org, login):
    _open(org)
    registration = side_activity(org.employee, description="Trainer zwemclub")
    client = login(org.employee.user)
    back = reverse("registers:reconfirm")
    edit = reverse("registers:side_activity_edit", args=[registration.pk]) + "?terug=herbevestiging"
    assert edit in client.get(back).content.decode()
    data = {
        "description": "Hoofdtrainer zwemclub",
        "client_name": "ZC De Golf",
        "paid": "0",
        "hours_per_month": "6",
        "start_date": (TODAY - 30 * DAY).isoformat(),
    }
    assert client.post(edit, data)["Location"] == back
    end = reverse("registers:side_activity_end", args=[registration.pk]) + "?terug=herbevestiging"
    assert client.post(end, {"end_date": TODAY.isoformat()})["Location"] == back
    add = reverse("registers:side_activity_create") + "?terug=herbevestiging"
    assert client.post(add, {**data, "description": "Docent"})["Location"] == back
    # Elsewhere the detail page stays where a save leads; nothing else is a way back.
    plain = reverse("registers:side_activity_create") + "?terug=https://example.com/"
    assert client.post(plain, {**data, "description": "Koster"})["Location"].startswith(
        reverse("registers:detail", args=[0]).removesuffix("0/")
    )


@pytest.mark.requirement("R-AW-8")
def test_financial_interests_only_on_the_page_of_a_designated_function(org, login):
    _open(org)
    financial(org.secretary)
    secretary = login(org.secretary.user).get(reverse("registers:reconfirm")).content.decode()
    assert "Uw financiële belangen" in secretary
    assert "Bezit van effecten" in secretary
    assert "Aandelen Bouwbedrijf" not in secretary  # the sealed details are not unsealed here
    assert reverse("registers:financial_create") in secretary
    employee = login(org.employee.user).get(reverse("registers:reconfirm")).content.decode()
    assert "Uw financiële belangen" not in employee
    assert reverse("registers:financial_create") not in employee


def test_pre_filled_from_last_year(org, login):
    known = side_activity(org.employee, description="Trainer zwemclub")
    ended = side_activity(org.employee, description="Kassier kantine")
    ended.side_activity.end_date = TODAY - DAY
    ended.side_activity.save()
    _past_campaign(
        org, TODAY.year - 1, [(org.employee, [known.pk, ended.pk], "Geen andere activiteiten")]
    )
    _open(org)
    new = side_activity(org.employee, description="Docent avondschool")
    response = login(org.employee.user).get(reverse("registers:reconfirm"))
    page = response.context["page"]
    assert page.last_year is not None
    assert {s.registration.pk: s.new_since_last_year for s in page.side_activities} == {
        known.pk: False,
        new.pk: True,
    }
    assert page.gone_since_last_year == 1
    html = response.content.decode()
    assert "nieuw sinds vorig jaar" in html
    assert "Geen andere activiteiten" in html  # last year's note in the form
    assert "1 registratie van vorig jaar is niet meer actueel." in html


def test_work_list_and_my_integrity_show_the_open_confirmation(org, login):
    _open(org)
    client = login(org.employee.user)
    response = client.get(reverse("home"))
    rows = [
        row
        for wl in response.context["work_lists"]
        for row in wl.rows
        if row.url == reverse("registers:reconfirm")
    ]
    assert rows and rows[0].count == 1
    assert 'id="dossier-herbevestiging"' in response.content.decode()
    client.post(reverse("registers:reconfirm"), {"complete": "on", "note": ""})
    response = client.get(reverse("home"))
    assert not [
        row
        for wl in response.context["work_lists"]
        for row in wl.rows
        if row.url == reverse("registers:reconfirm")
    ]
    assert "bevestigd op" in response.content.decode()


# --------------------------------------------------------------------------- reminders


def test_reminders_before_the_close_date_to_those_not_confirmed_idempotent(org, other):
    campaign = _open(org)
    campaigns.campaign_confirm(actor=org.employee.user, campaign=campaign)
    side_activity(org.colleague, description="Geheime hobby")
    EmployeeFactory(
        organisation=org.organisation, end_date=TODAY - DAY, start_date=TODAY - 99 * DAY
    )
    mail.outbox.clear()
    first = send_campaign_reminders()
    participants = campaigns.participants(campaign, TODAY).count()
    assert first.mails == participants - 1  # everyone but the one who confirmed
    recipients = {address for message in mail.outbox for address in message.to}
    assert org.employee.email not in recipients
    assert org.colleague.email in recipients
    assert not {e.email for e in [other.employee, other.secretary]} & recipients
    for message in mail.outbox:
        assert reverse("registers:reconfirm") in message.body
        assert "Geheime hobby" not in message.body
    # A second run the same day, and the next day, sends nothing.
    assert send_campaign_reminders().mails == 0
    assert send_campaign_reminders(today=TODAY + DAY).mails == 0
    assert len(mail.outbox) == first.mails
    # The last week before the close date: once more, once.
    last_week = campaign.closes_on - 3 * DAY
    assert send_campaign_reminders(today=last_week).mails == first.mails
    assert send_campaign_reminders(today=last_week).mails == 0
    # After the close date: nothing.
    assert send_campaign_reminders(today=campaign.closes_on + DAY).mails == 0


def test_the_reminder_scan_is_registered():
    from integritas.notifications.scans import reminder_scans

    assert "registers.campaigns" in reminder_scans()


# --------------------------------------------------------------------------- progress


def test_completion_per_org_unit_and_totals(org, other):
    campaign = _open(org)
    _open(other)
    campaigns.campaign_confirm(actor=org.employee.user, campaign=campaign)
    campaigns.campaign_confirm(actor=org.secretary.user, campaign=campaign)
    campaigns.campaign_confirm(actor=other.employee.user, campaign=other_campaign(other))
    # A leaver and someone who starts after the close date do not count.
    EmployeeFactory(
        organisation=org.organisation,
        org_unit=org.team,
        start_date=TODAY - 99 * DAY,
        end_date=TODAY - DAY,
    )
    EmployeeFactory(
        organisation=org.organisation, org_unit=org.team, start_date=campaign.closes_on + DAY
    )
    # Last year's confirmation does not count for this year.
    _past_campaign(org, TODAY.year - 1, [(org.colleague, [], "")])
    progress = campaigns.campaign_progress(campaign)
    figures = {u.unit: (u.confirmed, u.total, u.percentage) for u in progress.units}
    assert figures == {
        "Directie": (1, 2, 50),
        "Burgerzaken": (1, 3, 33),
        "Zonder afdeling": (0, 3, 0),
    }
    assert (progress.totals.confirmed, progress.totals.total, progress.totals.percentage) == (
        2,
        8,
        25,
    )


def other_campaign(other):
    return ReconfirmationCampaign.objects.get(organisation=other.organisation)


def test_the_progress_page_is_scoped_to_the_organisation(org, other, login):
    campaign = _open(org)
    campaigns.campaign_confirm(actor=org.employee.user, campaign=campaign)
    html = login(org.hrm).get(reverse("registers:campaigns")).content.decode()
    assert "1 van 8 medewerkers hebben bevestigd (13%)" in html
    assert "Burgerzaken" in html
    url = reverse("registers:campaigns") + "?organisatie=" + other.organisation.slug
    assert login(org.hrm).get(url).status_code == 404
    assert login(org.officer).get(url).status_code == 404
    assert (
        login(other.officer).get(reverse("registers:campaigns") + "?jaar=1999").status_code == 404
    )
    open_url = reverse("registers:campaign_open") + "?organisatie=" + other.organisation.slug
    assert login(org.officer).get(open_url).status_code == 404


def test_the_progress_page_has_a_constant_number_of_queries(org, login, django_assert_num_queries):
    campaign = _open(org)
    client = login(org.officer)
    url = reverse("registers:campaigns")
    client.get(url)
    cache.clear()  # measure a page that counts, not one that reuses the figures
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for number in range(12):
        unit = org.team if number % 2 else org.top
        employee = EmployeeFactory(organisation=org.organisation, org_unit=unit)
        if number % 3 == 0:
            campaigns.campaign_confirm(actor=employee.user, campaign=campaign)
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_page_reuses_its_figures_for_a_minute_and_counts_again_after_a_confirmation(
    org, login, django_capture_on_commit_callbacks
):
    campaign = _open(org)
    client = login(org.hrm)
    url = reverse("registers:campaigns")
    with CaptureQueriesContext(connection) as counting:
        assert "0 van 8 medewerkers" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as reusing:
        assert "0 van 8 medewerkers" in client.get(url).content.decode()

    def counts(captured):
        return [q for q in captured.captured_queries if "GROUP BY" in q["sql"]]

    assert len(counts(counting)) == 1
    assert counts(reusing) == []
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.campaign_confirm(actor=org.employee.user, campaign=campaign)
    assert "1 van 8 medewerkers" in client.get(url).content.decode()
    # A new employee shows within the minute.
    EmployeeFactory(organisation=org.organisation, org_unit=org.team)
    assert "1 van 8 medewerkers" in client.get(url).content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        response = login(org.hrm).get(url)
    assert "1 van 9 medewerkers" in response.content.decode()


# --------------------------------------------------------------------------- who may see


PAGES = {
    "registers:campaigns": {Role.HRM, Role.INTEGRITY_OFFICER},
    "registers:campaign_open": {Role.INTEGRITY_OFFICER},
    "registers:reconfirm": "everyone",
}


@pytest.mark.parametrize("role", [None, *ALL_ASSIGNABLE_ROLES], ids=lambda r: r or "employee")
def test_campaign_pages_per_role(client_for, organisation, role):
    client = client_for(role)
    for name, allowed in PAGES.items():
        expected = 200 if allowed == "everyone" or role in allowed else 403
        assert client.get(reverse(name)).status_code == expected, (name, role)


def test_the_form_proposes_this_year_and_six_weeks_from_today(org, login):
    form = login(org.officer).get(reverse("registers:campaign_open")).context["form"]
    assert form["year"].value() == TODAY.year
    assert form["opens_on"].value() == TODAY
    assert form["closes_on"].value() == TODAY + 42 * DAY


def test_hrm_follows_but_does_not_open(org, login):
    assert login(org.hrm).get(reverse("registers:campaign_open")).status_code == 403
    html = login(org.hrm).get(reverse("registers:campaigns")).content.decode()
    assert reverse("registers:campaign_open") not in html
    officer = login(org.officer).get(reverse("registers:campaigns")).content.decode()
    assert reverse("registers:campaign_open") in officer


def test_an_account_without_employee_sees_no_campaign(organisation):
    from tests.factories import UserFactory

    user = UserFactory()
    client = login_with_second_factor(Client(), user)
    assert client.get(reverse("registers:reconfirm")).status_code == 403


@pytest.mark.requirement("R-DP-2")
def test_confirmations_purged_two_years_after_employment_ended(org):
    from integritas.notifications.scans import retention_scans
    from integritas.registers.campaign_reminders import purge_expired_confirmations

    campaign = _past_campaign(
        org, TODAY.year - 3, [(org.colleague, [], ""), (org.employee, [], "")]
    )
    org.colleague.end_date = TODAY - 800 * DAY
    org.colleague.start_date = TODAY - 2000 * DAY
    org.colleague.save()
    org.employee.end_date = TODAY - 600 * DAY  # less than two years ago: kept
    org.employee.start_date = TODAY - 2000 * DAY
    org.employee.save()
    assert purge_expired_confirmations(dry_run=True) == 1
    assert Reconfirmation.objects.count() == 2
    assert retention_scans()["registers.campaigns"](False).count == 1
    assert list(Reconfirmation.objects.values_list("employee_id", flat=True)) == [org.employee.pk]
    assert purge_expired_confirmations(dry_run=False) == 0
    assert AuditEvent.objects.filter(action="registers.campaign.purged").count() == 1
    assert ReconfirmationCampaign.objects.filter(pk=campaign.pk).exists()

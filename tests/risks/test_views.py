"""The pages at work: the assessment flow, bad input with Dutch messages, the heat maps
(constant queries), the exports and the owner's work list."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.core.contributions import work_lists_for
from integritas.risks.constants import RiskLevel
from integritas.risks.models import Measure, RiskAssessment
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, FunctionFactory, OrganisationFactory, grant

from .factories import assessment, hrm_user, measure

pytestmark = pytest.mark.django_db


def _client(user):
    return login_with_second_factor(Client(), user)


def _scores(**given):
    return {
        f"score_{a}": str(given.get(a, 0))
        for a in (
            "innen",
            "uitbesteden",
            "uitkeren",
            "verlenen",
            "handhaven",
            "geld",
            "goederen",
            "vastgoed",
            "informatie",
        )
    }


def test_hrm_assesses_confirms_and_applies(organisation):
    hrm = hrm_user(organisation)
    client = _client(hrm)
    function = FunctionFactory(organisation=organisation, name="Inkoper")
    response = client.post(
        reverse("risks:assess", args=[function.pk]), {**_scores(uitbesteden=3, geld=2), "note": ""}
    )
    assessment = RiskAssessment.objects.get(function=function)
    assert response.status_code == 302
    page = client.get(reverse("risks:assessment", args=[assessment.pk])).content.decode()
    assert "Hoogste score op een kwetsbare activiteit: groot." in page
    client.post(reverse("risks:confirm", args=[assessment.pk]))
    page = client.get(reverse("risks:assessment", args=[assessment.pk])).content.decode()
    assert "Gevolgen voor het integriteitsprofiel van de functie" in page
    client.post(reverse("risks:apply", args=[assessment.pk]))
    function.refresh_from_db()
    assert function.vulnerable_activities == ["uitbesteden", "geld"]


def test_override_without_reason_keeps_the_input(organisation):
    hrm = hrm_user(organisation)
    own = assessment(organisation, actor=hrm, innen=1)
    response = _client(hrm).post(
        reverse("risks:override", args=[own.pk]), {"level": "3", "reason": ""}
    )
    assert response.status_code == 200
    assert (
        "Geef een reden op waarom u het afgeleide risiconiveau aanpast."
        in response.content.decode()
    )
    own.refresh_from_db()
    assert own.override_level is None and own.level == RiskLevel.LOW


def test_measure_in_the_past_is_refused_on_the_form(organisation):
    hrm = hrm_user(organisation)
    owner = EmployeeFactory(organisation=organisation, personnel_number="777001")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "kind": "rotation",
        "process": "Vergunningverlening",
        "description": "Jaarlijkse roulatie",
        "owner_number": "777001",
        "status": "planned",
        "review_date": yesterday.isoformat(),
    }
    url = reverse("risks:measure_create", args=[organisation.slug])
    response = _client(hrm).post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "De evaluatiedatum ligt in het verleden. Kies vandaag of later." in body
    assert "Vergunningverlening" in body and "Jaarlijkse roulatie" in body  # input kept
    assert not Measure.objects.exists()
    response = _client(hrm).post(url, {**data, "owner_number": "nobody"})
    assert (
        "Er is geen medewerker met een account met dit personeelsnummer"
        in response.content.decode()
    )
    data["review_date"] = timezone.localdate().isoformat()
    assert _client(hrm).post(url, data).status_code == 302
    assert Measure.objects.get().owner == owner.user


def test_overdue_review_on_the_owners_work_list(organisation, django_assert_max_num_queries):
    owner = EmployeeFactory(organisation=organisation).user
    measure(organisation, owner, days=-3)
    measure(organisation, owner, days=-10)
    measure(organisation, owner, days=5)
    measure(organisation, owner, days=-20, status="ended")
    measure(organisation, hrm_user(organisation), days=-1)  # someone else's
    from integritas.accounts.selectors import user_roles
    from integritas.risks.contributions import work_lists

    user_roles(owner)  # resolved once per request, before any list
    with django_assert_max_num_queries(1):
        lists = list(work_lists(owner))
    assert [str(wl.title) for wl in work_lists_for(owner)].count("Kwetsbare functies") == 1
    (row,) = lists[0].rows
    assert row.count == 2 and row.urgent
    assert row.oldest == timezone.localdate() - datetime.timedelta(days=10)
    page = _client(owner).get(row.url).content.decode()
    assert page.count("(verlopen)") == 2


def test_heat_maps_show_values_with_constant_queries(
    organisation, other_organisation, django_assert_max_num_queries
):
    hrm = hrm_user(organisation)
    wg = EmployeeFactory(organisation=organisation).user
    grant(wg, Role.WORKING_GROUP, organisation)

    def counts() -> tuple[int, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = _client(hrm)
        with CaptureQueriesContext(connection) as own:
            assert client.get(reverse("risks:heatmap", args=[organisation.slug])).status_code == 200
        region_client = _client(wg)
        with CaptureQueriesContext(connection) as region:
            assert region_client.get(reverse("risks:region")).status_code == 200
        return len(own), len(region)

    assessment(organisation, actor=hrm, geld=3)
    few = counts()
    for _ in range(12):
        assessment(organisation, actor=hrm, informatie=2, innen=1)
        assessment(other_organisation, informatie=3)
    for n in range(5):
        assessment(OrganisationFactory(slug=f"extra-{n}"), vastgoed=2)  # another region? same
    many = counts()
    assert many == few
    page = _client(hrm).get(reverse("risks:heatmap", args=[organisation.slug])).content.decode()
    assert (
        "<svg" in page
        and 'fill="url(#band-3)"' in page
        and "Scores per functie en activiteit" in page
    )
    region = _client(wg).get(reverse("risks:region")).content.decode()
    assert organisation.name in region and other_organisation.name in region


def test_exports(organisation):
    hrm = hrm_user(organisation)
    own = assessment(organisation, actor=hrm, geld=3)
    response = _client(hrm).get(reverse("risks:export", args=[organisation.slug, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][1] == "Functie" and rows[1][1] == own.function.name and rows[1][7] == "3"
    response = _client(hrm).get(reverse("risks:export", args=[organisation.slug, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 2).value == own.function.name
    wg = EmployeeFactory(organisation=organisation).user
    grant(wg, Role.WORKING_GROUP, organisation)
    response = _client(wg).get(reverse("risks:region_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == organisation.name and rows[1][1] == "1"

"""The pages of the registers: role x action matrix, bad input, the public register."""

import datetime
import json

import pytest
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.registers import services
from integritas.registers.constants import Outcome
from integritas.registers.models import Registration, SideActivity
from tests.factories import ALL_ASSIGNABLE_ROLES

from .helpers import TODAY, financial, gift, side_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(org, other):
    """One registration of each kind that matters for the matrix."""
    return {
        "own": side_activity(org.employee),
        "financial": financial(org.secretary),
        "secretary": side_activity(org.secretary),
        "foreign": side_activity(other.employee),
    }


def _users(org, other):
    return {
        "employee": org.employee.user,
        "colleague": org.colleague.user,
        "manager": org.manager.user,
        "secretary": org.secretary.user,
        "mayor": org.mayor,
        "officer": org.officer,
        "hrm": org.hrm,
        "other_hrm": other.hrm,
        "other_mayor": other.mayor,
    }


# Per page: the status each user gets (200 allowed, 403 forbidden, 404 invisible).
MATRIX = {
    ("detail", "own"): {
        "employee": 200,
        "colleague": 404,
        "manager": 200,
        "secretary": 404,
        "mayor": 404,
        "officer": 200,
        "hrm": 200,
        "other_hrm": 404,
        "other_mayor": 404,
    },
    ("decide", "own"): {
        "employee": 403,
        "colleague": 404,
        "manager": 200,
        "secretary": 404,
        "mayor": 404,
        "officer": 403,
        "hrm": 403,
        "other_hrm": 404,
        "other_mayor": 404,
    },
    ("detail", "financial"): {
        "employee": 404,
        "colleague": 404,
        "manager": 404,
        "secretary": 200,
        "mayor": 404,
        "officer": 200,
        "hrm": 200,
        "other_hrm": 404,
        "other_mayor": 404,
    },
    ("decide", "financial"): {
        "employee": 404,
        "colleague": 404,
        "manager": 404,
        "secretary": 403,
        "mayor": 404,
        "officer": 200,
        "hrm": 403,
        "other_hrm": 404,
        "other_mayor": 404,
    },
    ("decide", "secretary"): {
        "employee": 404,
        "colleague": 404,
        "manager": 404,
        "secretary": 403,
        "mayor": 200,
        "officer": 403,
        "hrm": 403,
        "other_hrm": 404,
        "other_mayor": 404,
    },
    ("detail", "foreign"): {
        "employee": 404,
        "colleague": 404,
        "manager": 404,
        "secretary": 404,
        "mayor": 404,
        "officer": 404,
        "hrm": 404,
        "other_hrm": 200,
        "other_mayor": 404,
    },
}


@pytest.mark.requirement("R-AW-8")
@pytest.mark.parametrize(("page", "case"), list(MATRIX), ids=lambda v: str(v))
def test_registration_pages_per_role(org, other, cases, login, page, case):
    registration = cases[case]
    url = reverse(f"registers:{page}", args=[registration.pk])
    for name, user in _users(org, other).items():
        expected = MATRIX[(page, case)][name]
        assert login(user).get(url).status_code == expected, (name, page, case)


LIST_PAGES = {
    "registers:mine": {"employee": 200, "manager": 200, "mayor": 200, "hrm": 200},
    "registers:side_activity_create": {"employee": 200, "hrm": 200},
    "registers:gift_create": {"employee": 200},
    "registers:conflict_create": {"employee": 200},
    "registers:contract_create": {"employee": 200},
    "registers:financial_create": {"employee": 403, "secretary": 200, "hrm": 403},
    "registers:queue": {"employee": 403, "manager": 200, "mayor": 200, "officer": 200, "hrm": 403},
    "registers:register": {
        "employee": 403,
        "manager": 403,
        "mayor": 403,
        "officer": 200,
        "hrm": 200,
    },
}


@pytest.mark.parametrize("name", list(LIST_PAGES))
def test_list_pages_per_role(org, other, login, name):
    users = _users(org, other)
    for who, expected in LIST_PAGES[name].items():
        assert login(users[who]).get(reverse(name)).status_code == expected, who


def test_exports_only_for_register_keepers_of_the_organisation(org, other, cases, login):
    gift(org.employee, 7000)
    for fmt in ("csv", "xlsx"):
        url = reverse("registers:register_export", args=[fmt])
        assert login(org.manager.user).get(url).status_code == 403
        response = login(org.hrm).get(url)
        assert response.status_code == 200
        # Another organisation's register is not reachable by its slug.
        assert (
            login(org.hrm).get(url + "?organisatie=" + other.organisation.slug).status_code == 404
        )
    content = (
        login(org.officer).get(reverse("registers:register_export", args=["csv"])).content.decode()
    )
    assert "Bouwbedrijf De Steen" in content
    assert other.employee.full_name not in content


def test_register_filters_and_totals_per_giver(org, login):
    gift(org.employee, 7000)
    gift(org.colleague, 3000)
    side_activity(org.employee)
    response = login(org.hrm).get(reverse("registers:register") + "?soort=gift")
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert len(rows) == 2
    totals = response.context["totals"]
    assert [(t.giver_organisation, t.count, t.value_cents) for t in totals] == [
        ("Bouwbedrijf De Steen B.V.", 2, 10000)
    ]


def _side_activity_post(**overrides):
    data = {
        "description": "Trainer <script>alert(1)</script>",
        "client_name": "Sportclub",
        "kvk_number": "",
        "paid": "0",
        "hours_per_month": "4",
        "start_date": (TODAY - datetime.timedelta(days=10)).isoformat(),
        "end_date": "",
        "relation_to_work": "",
        "relation_to_parties": "",
    }
    data.update(overrides)
    return data


@pytest.mark.requirement("R-AW-5")
def test_employee_registers_a_side_activity_html_kept_and_escaped(org, login):
    client = login(org.employee.user)
    response = client.post(reverse("registers:side_activity_create"), _side_activity_post())
    registration = Registration.objects.get(employee=org.employee)
    assert response.status_code == 302
    assert registration.title == "Trainer <script>alert(1)</script>"
    page = client.get(reverse("registers:detail", args=[registration.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hours_per_month": "-3"}, "hours_per_month", "Het aantal uren kan niet negatief zijn."),
        ({"hours_per_month": "9999"}, "hours_per_month", "Een maand heeft hooguit 744 uren."),
        (
            {"end_date": (TODAY - datetime.timedelta(days=20)).isoformat()},
            "end_date",
            "De einddatum ligt vóór de begindatum.",
        ),
        ({"kvk_number": "12ab"}, "kvk_number", "Een KvK-nummer bestaat uit 8 cijfers."),
    ],
)
def test_bad_side_activity_input_is_refused_in_dutch_and_nothing_saved(
    org, login, overrides, field, message
):
    response = login(org.employee.user).post(
        reverse("registers:side_activity_create"), _side_activity_post(**overrides)
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert response.context["form"]["client_name"].value() == "Sportclub"  # kept
    assert not Registration.objects.exists()
    assert not SideActivity.objects.exists()


@pytest.mark.requirement("R-GC-1")
def test_gift_form_shows_the_threshold_and_rules_and_refuses_negative_values(org, login):
    client = login(org.employee.user)
    page = client.get(reverse("registers:gift_create")).content.decode()
    assert "€ 50,00" in page or "€ 50.00" in page
    assert "Neem nooit geld aan." in page
    response = client.post(
        reverse("registers:gift_create"),
        {
            "gift_kind": "gift",
            "direction": "received",
            "giver_name": "A",
            "giver_organisation": "B",
            "relation": "C",
            "value": "-5",
            "given_on": TODAY.isoformat(),
            "accepted": "1",
        },
    )
    assert "De waarde kan niet negatief zijn." in response.context["form"].errors["value"]
    assert not Registration.objects.exists()


def test_manager_decides_on_the_page_and_sees_function_and_vulnerable_activities(org, login):
    registration = side_activity(org.employee)
    client = login(org.manager.user)
    page = client.get(reverse("registers:decide", args=[registration.pk])).content.decode()
    assert org.ordinary.name in page and "informatie" in page
    # Refused without reasons: a Dutch message, nothing decided.
    response = client.post(
        reverse("registers:decide", args=[registration.pk]), {"outcome": "refused"}
    )
    assert "Motiveer waarom het niet is toegestaan." in response.context["form"].errors["reasons"]
    registration.refresh_from_db()
    assert registration.status == "pending"
    response = client.post(
        reverse("registers:decide", args=[registration.pk]),
        {"outcome": "conditional", "conditions": "Buiten werktijd", "criteria": ["functioning"]},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "conditional"


@pytest.mark.requirement("R-AW-8")
def test_manager_learns_only_the_outcome_of_a_financial_interest(org, login):
    # A designated employee in the manager's team.
    org.employee.function = org.designated
    org.employee.save()
    registration = financial(org.employee, "Obligaties Gemeentebank")
    services.registration_decide(
        actor=org.officer,
        registration=registration,
        outcome=Outcome.MEASURE,
        conditions="Geen inkoopdossiers",
    )
    page = login(org.manager.user).get(reverse("registers:detail", args=[registration.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Geen inkoopdossiers" in text
    assert "Obligaties" not in text
    assert (
        "Obligaties"
        in login(org.officer)
        .get(reverse("registers:detail", args=[registration.pk]))
        .content.decode()
    )


@pytest.mark.requirement("R-AW-7")
def test_public_register_without_login_in_html_csv_and_json(org, client, public_paths):
    published = side_activity(org.secretary, description="Voorzitter Stichting Erfgoed")
    services.registration_decide(actor=org.mayor, registration=published, outcome=Outcome.APPROVED)
    hidden = side_activity(org.employee, description="Penningmeester buurtvereniging")
    services.registration_decide(
        actor=org.manager.user, registration=hidden, outcome=Outcome.APPROVED
    )
    slug = org.organisation.slug
    html = client.get(reverse("public_register:organisation", args=[slug]))
    assert html.status_code == 200
    text = html.content.decode()
    assert "Voorzitter Stichting Erfgoed" in text and org.secretary.full_name in text
    assert "Penningmeester" not in text and org.employee.full_name not in text
    csv_text = b"".join(
        client.get(reverse("public_register:csv", args=[slug])).streaming_content
    ).decode()
    assert "Voorzitter Stichting Erfgoed" in csv_text and "Penningmeester" not in csv_text
    data = json.loads(
        b"".join(client.get(reverse("public_register:json", args=[slug])).streaming_content)
    )
    assert [row["nevenwerkzaamheid"] for row in data["nevenwerkzaamheden"]] == [
        "Voorzitter Stichting Erfgoed"
    ]
    assert (
        client.get(reverse("public_register:organisation", args=["bestaat-niet"])).status_code
        == 404
    )
    assert client.get(reverse("public_register:index")).status_code == 200


def test_dossier_on_my_integrity_shows_registrations_and_decisions(org, login):
    registration = side_activity(org.employee, description="Bestuurslid zwemclub")
    services.registration_decide(
        actor=org.manager.user, registration=registration, outcome=Outcome.APPROVED
    )
    page = login(org.employee.user).get(reverse("home")).content.decode()
    assert "Bestuurslid zwemclub" in page
    assert "Toegestaan" in page


def test_work_list_of_the_manager_counts_pending(org, login):
    side_activity(org.employee)
    gift(org.colleague, 9000)
    page = login(org.manager.user).get(reverse("home"))
    lists = page.context["work_lists"]
    rows = [row for wl in lists for row in wl.rows if row.url == reverse("registers:queue")]
    assert rows and rows[0].count == 2


ROLE_PAGES = {
    "registers:mine": "everyone",
    "registers:side_activity_create": "everyone",
    "registers:gift_create": "everyone",
    "registers:conflict_create": "everyone",
    "registers:contract_create": "everyone",
    "registers:financial_create": set(),  # nobody without a designated function
    "registers:queue": {Role.MAYOR, Role.INTEGRITY_OFFICER},
    "registers:register": {Role.HRM, Role.INTEGRITY_OFFICER},
}


@pytest.mark.parametrize("role", [None, *ALL_ASSIGNABLE_ROLES], ids=lambda r: r or "employee")
def test_every_list_page_per_role(client_for, organisation, role):
    client = client_for(role)
    for name, allowed in ROLE_PAGES.items():
        expected = 200 if allowed == "everyone" or role in allowed else 403
        assert client.get(reverse(name)).status_code == expected, (name, role)

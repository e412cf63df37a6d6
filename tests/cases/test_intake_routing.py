"""A report about a handler goes to the substitute from the start (seed 5.2, R-WBK-7).

The reporter says at intake that the report concerns the integriteitscoördinator, the
secretary or a functionaris integriteit. No coordinator links the person concerned first:
every holder of that role is named as involved through the blind index, the designated
substitute takes the case, and the holders neither see it nor hear of it.
"""

import json
from typing import Any

import pytest
from django.test import Client

from integritas.accounts.constants import Role
from integritas.cases import selectors, services
from integritas.cases.constants import Status, SubstituteRole
from integritas.cases.models import Case

from .factories import submit_case, substitute_designate
from .test_intake_views import INTAKE, intake_data, receipt_code_in, send

API = "/api/v1/meldpunt/meldingen/"


@pytest.fixture
def admins(make_user, organisation):
    return make_user(Role.ADMINISTRATOR, organisation), make_user(Role.ADMINISTRATOR, organisation)


def _visible(user: Any, case: Case) -> bool:
    return selectors.cases_visible_to(user).filter(pk=case.pk).exists()


@pytest.mark.requirement("R-WBK-7")
def test_report_about_the_coordinator_reaches_only_the_substitute(
    admins, make_user, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    loco = make_user(None, organisation)
    substitute_designate(admins, organisation, SubstituteRole.INTEGRITY_COORDINATOR, loco)
    with django_capture_on_commit_callbacks(execute=True):
        case = submit_case(organisation, concerns_role=SubstituteRole.INTEGRITY_COORDINATOR).case
    assert not _visible(coordinator, case)
    assert _visible(loco, case)
    assert [m.to for m in mailoutbox] == [[loco.email]]
    # The substitute handles it; the coordinator concerned cannot.
    case = services.case_transition(actor=loco, case=case, name="acknowledge")
    assert case.status == Status.TRIAGE
    # Named through the blind index, as when a coordinator links someone.
    (person,) = case.involved.all()
    assert person.blind_index == selectors.user_person_index(coordinator)


@pytest.mark.requirement("R-WBK-7")
def test_report_about_the_secretary_passes_them_by_at_the_approval_step(
    admins, make_user, organisation
):
    secretary = make_user(Role.SECRETARY, organisation)
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    loco = make_user(None, organisation)
    substitute_designate(admins, organisation, SubstituteRole.SECRETARY, loco)
    case = submit_case(organisation, concerns_role=SubstituteRole.SECRETARY).case
    assert _visible(coordinator, case)  # the coordinator handles the triage as usual
    for step in ("acknowledge", "request_approval"):
        case = services.case_transition(actor=coordinator, case=case, name=step)
    assert _visible(loco, case) and not _visible(secretary, case)
    case = services.case_transition(actor=loco, case=case, name="approve_investigation")
    assert case.status == Status.INVESTIGATION


@pytest.mark.requirement("R-WBK-7")
def test_web_intake_routes_to_the_substitute(admins, client, make_user, organisation):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    loco = make_user(None, organisation)
    substitute_designate(admins, organisation, SubstituteRole.INTEGRITY_COORDINATOR, loco)
    data = intake_data(organisation, concerns_role=SubstituteRole.INTEGRITY_COORDINATOR)
    review = client.post(INTAKE, {**data, "step": "review"})
    assert "Ja, over de integriteitscoördinator" in review.content.decode()
    response = send(client, data)
    assert receipt_code_in(response)
    case = Case.objects.get()
    assert _visible(loco, case) and not _visible(coordinator, case)


def test_without_a_designated_substitute_the_form_says_so_and_keeps_everything(
    client, organisation
):
    data = intake_data(organisation, concerns_role=SubstituteRole.INTEGRITY_COORDINATOR)
    for step in ("review", "send"):
        response = client.post(INTAKE, {**data, "step": step})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="id_concerns_role_error"' in html
        assert "geen vervanger aangewezen" in html and "vertrouwenspersoon" in html
        assert data["description"] in html and data["name"] in html
    assert not Case.objects.exists()


def test_api_accepts_the_routing_and_refuses_it_without_a_substitute(
    admins, client, make_user, organisation
):
    report = {
        "organisation": organisation.slug,
        "kind": "integrity_violation",
        "description": "De coördinator laat meldingen liggen.",
        "identity_mode": "anonymous",
        "concerns_role": "integrity_coordinator",
    }
    body = json.dumps(report)
    refused = client.post(API, data=body, content_type="application/json")
    assert refused.status_code == 400
    assert "concerns_role" in refused.json()
    loco = make_user(None, organisation)
    substitute_designate(admins, organisation, SubstituteRole.INTEGRITY_COORDINATOR, loco)
    accepted = Client().post(API, data=body, content_type="application/json")
    assert accepted.status_code == 201
    case = Case.objects.get(case_number=accepted.json()["case_number"])
    assert _visible(loco, case)

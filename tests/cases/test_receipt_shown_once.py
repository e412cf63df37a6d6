"""The receipt code is shown once, and a lost answer can still be retried.

Issue 10, point 2: re-posting the review form (back and send again, a reopened tab) showed
the same code 10, 16 and 22 minutes later, so the next person at a shared computer could
open the mailbox. docs/adr/0005-receipt-code-shown-once.md gives the design: sending
answers with a redirect to the receipt page; that page takes the one sealed copy of the
code; a repeat gets the code only while nobody has seen it (a lost answer, a double
click), and never after.
"""

import datetime
import json
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from integritas.cases import services
from integritas.cases.intake import formtoken
from integritas.cases.intake.services import RECEIPT_KEEP
from integritas.cases.intake.views import RECEIPT_COOKIE
from integritas.cases.models import Case, IntakeSubmission
from integritas.core import crypto
from tests.concurrency import run_together
from tests.factories import OrganisationFactory

from .factories import submit_case
from .test_intake_views import INTAKE, intake_data

RECEIPT = "/meldpunt/ontvangst/"
REPORT_URL = "/api/v1/meldpunt/meldingen/"
CODE = re.compile(r"\d{4} \d{4} \d{4} \d{4}")
SHOWN_BEFORE = "Uw melding is al ontvangen"


def send(client: Client, data: dict[str, Any], *, follow: bool = False) -> Any:
    return client.post(INTAKE, {**data, "step": "send"}, follow=follow)


def code_on(response: Any) -> str | None:
    match = CODE.search(response.content.decode())
    return match.group(0).replace(" ", "") if match else None


def opens_the_case(code: str) -> Case | None:
    return Case.objects.filter(receipt_lookup=crypto.receipt_lookup_hash(code)).first()


def assert_shown_before(response: Any, case: Case) -> None:
    """The clear Dutch page for a repeat: received, shown once, the mailbox; no code."""
    assert response.status_code == 200
    html = response.content.decode()
    assert SHOWN_BEFORE in html
    assert "één keer getoond" in html
    assert reverse("meldpunt:mailbox") in html
    assert code_on(response) is None
    # Nothing of the case either: the next person at the computer learns nothing.
    assert case.case_number not in html
    assert "Ontvangstbewijs downloaden" not in html
    assert 'name="form_token"' not in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.requirement("R-WBK-9")
def test_sending_shows_the_code_once_on_the_receipt_page(organisation):
    browser = Client()
    data = intake_data(organisation)
    sent = send(browser, data)
    # Sending answers with a redirect to a plain address: the form token travels in a
    # short cookie, never in an address, the history or an access log.
    assert sent.status_code == 303
    assert sent["Location"] == RECEIPT
    cookie = sent.cookies[RECEIPT_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == RECEIPT
    assert 0 < int(cookie["max-age"]) <= RECEIPT_KEEP.total_seconds()
    assert data["form_token"] not in cookie.value  # signed, not the token as typed

    page = browser.get(RECEIPT)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    code = code_on(page)
    case = Case.objects.get()
    assert code is not None and opens_the_case(code) == case
    assert case.case_number in page.content.decode()
    # The page cleared its cookie and took the only other copy of the code.
    assert page.cookies[RECEIPT_COOKIE]["max-age"] == 0
    assert bytes(IntakeSubmission.objects.get().receipt_enc) == b""


@pytest.mark.requirement("R-WBK-7")
def test_a_refresh_of_the_receipt_page_does_not_show_the_code_again(organisation):
    browser = Client()
    page = send(browser, intake_data(organisation), follow=True)
    assert code_on(page) is not None
    assert_shown_before(browser.get(RECEIPT), Case.objects.get())


@pytest.mark.requirement("R-WBK-7")
@pytest.mark.parametrize("minutes", [0, 10, 16, 22])
def test_resending_the_review_form_later_never_shows_the_code(organisation, minutes):
    # What was seen: back, send again (or a reopened tab) 10, 16 and 22 minutes later.
    start = datetime.datetime.now(tz=datetime.UTC)
    data = intake_data(organisation)
    with time_machine.travel(start, tick=False):
        browser = Client()
        shown = code_on(send(browser, data, follow=True))
    assert shown is not None
    with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
        for again in (Client(), browser):  # another tab or browser, and the same one
            replay = send(again, data, follow=True)
            assert_shown_before(replay, Case.objects.get())
            assert shown not in replay.content.decode()
            assert_shown_before(again.get(RECEIPT), Case.objects.get())
    assert Case.objects.count() == 1


@pytest.mark.requirement("R-WBK-7")
def test_a_replayed_receipt_cookie_does_not_show_the_code_again(organisation):
    # Someone who copied the cookie (or the whole request) before it was cleared.
    browser = Client()
    sent = send(browser, intake_data(organisation))
    stolen = sent.cookies[RECEIPT_COOKIE].value
    assert code_on(browser.get(RECEIPT)) is not None
    thief = Client()
    thief.cookies[RECEIPT_COOKIE] = stolen
    assert_shown_before(thief.get(RECEIPT), Case.objects.get())


@pytest.mark.requirement("R-WBK-9")
def test_a_lost_answer_can_be_sent_again_until_the_code_was_shown(organisation):
    # The answer to "Versturen" never arrived (a dropped connection, a crash after the
    # case was stored): the reporter sends again and still gets the code, once.
    data = intake_data(organisation)
    lost = send(Client(), data)
    assert lost.status_code == 303  # ...but it never reached the browser
    browser = Client()
    page = send(browser, data, follow=True)
    code = code_on(page)
    assert code is not None and opens_the_case(code) == Case.objects.get()
    assert Case.objects.count() == 1
    assert_shown_before(send(Client(), data, follow=True), Case.objects.get())


@pytest.mark.requirement("R-WBK-9")
def test_a_double_click_shows_the_code_on_the_page_the_browser_keeps(organisation):
    # The browser drops the first answer and shows the second: both lead to the page.
    browser = Client()
    data = intake_data(organisation)
    assert send(browser, data).status_code == 303
    assert send(browser, data).status_code == 303
    page = browser.get(RECEIPT)
    assert code_on(page) is not None
    assert Case.objects.count() == 1
    assert_shown_before(browser.get(RECEIPT), Case.objects.get())


@pytest.mark.requirement("R-WBK-7")
def test_a_code_nobody_saw_is_not_kept_beyond_the_short_window(organisation):
    start = datetime.datetime.now(tz=datetime.UTC)
    data = intake_data(organisation)
    browser = Client()
    with time_machine.travel(start, tick=False):
        send(browser, data)  # the receipt page was never opened
    stored = IntakeSubmission.objects.get()
    assert bytes(stored.receipt_enc) != b""
    # Sealed under the case's key, never the code in a readable form.
    code_digits = re.compile(rb"\d{16}")
    assert not code_digits.search(bytes(stored.receipt_enc))
    later = start + RECEIPT_KEEP + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert_shown_before(browser.get(RECEIPT), Case.objects.get())
        assert_shown_before(send(Client(), data, follow=True), Case.objects.get())
        # ...and the sweep on the next report (or `purge_expired`) clears the copy.
        assert services.intake_receipts_expire() == 1
    assert bytes(IntakeSubmission.objects.get().receipt_enc) == b""


def test_without_the_cookie_the_receipt_address_shows_nothing(organisation):
    send(Client(), intake_data(organisation))
    assert_shown_before(Client().get(RECEIPT), Case.objects.get())
    forged = Client()
    forged.cookies[RECEIPT_COOKIE] = "niet-ondertekend"
    assert_shown_before(forged.get(RECEIPT), Case.objects.get())
    # The copy is still there for the reporter whose answer was lost.
    assert bytes(IntakeSubmission.objects.get().receipt_enc) != b""
    assert Client().post(RECEIPT).status_code == 405


def test_after_the_receipt_page_the_proof_and_saved_step_still_work(organisation):
    browser = Client()
    data = intake_data(organisation)
    page = send(browser, data, follow=True)
    assert code_on(page) is not None
    assert re.search(r'name="form_token" value="[^"]+"', page.content.decode())
    proof = browser.post(reverse("meldpunt:receipt_proof"), {"form_token": data["form_token"]})
    assert proof.status_code == 200
    assert formtoken.receipt_proof_verify(json.loads(proof.content)) is not None
    saved = browser.post(reverse("meldpunt:receipt_saved"), {"form_token": data["form_token"]})
    assert saved.status_code == 200
    assert code_on(saved) is None


# --- the API: the code goes out in one answer ---------------------------------------


def api_report(client: Client, organisation: Any, key: str = "") -> Any:
    body: dict[str, Any] = {
        "organisation": organisation.slug,
        "kind": "integrity_violation",
        "description": "Een collega declareert reizen die niet zijn gemaakt.",
        "identity_mode": "confidential",
    }
    if key:
        body["idempotency_key"] = key
    return client.post(REPORT_URL, data=json.dumps(body), content_type="application/json")


@pytest.mark.requirement("R-WBK-7")
def test_an_api_repeat_never_returns_the_code_again(organisation):
    key = "7d3c2b1a-0f9e-4d8c-b7a6-554433221100"
    first = api_report(Client(), organisation, key)
    assert first.status_code == 201
    code = first.json()["receipt_code"]
    assert opens_the_case(code) == Case.objects.get()
    for minutes in (0, 10, 22):
        with time_machine.travel(datetime.timedelta(minutes=minutes)):
            again = api_report(Client(), organisation, key)
        assert again.status_code == 200
        assert again.json() == {"case_number": first.json()["case_number"], "receipt_code": None}
        assert code not in again.content.decode()
    assert Case.objects.count() == 1
    assert bytes(IntakeSubmission.objects.get().receipt_enc) == b""


@pytest.mark.requirement("R-WBK-9")
def test_an_api_retry_after_an_answer_that_was_never_built_gets_the_code(organisation, monkeypatch):
    # The case is stored, then the process dies before the answer is built: the client's
    # retry with the same key gets the code, and only that once.
    key = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    take = services.intake_receipt_take

    def crash(**kwargs: Any) -> str | None:
        raise SystemExit("the web server was stopped")

    monkeypatch.setattr(services, "intake_receipt_take", crash)
    with pytest.raises(SystemExit):
        api_report(Client(), organisation, key)
    assert Case.objects.count() == 1
    monkeypatch.setattr(services, "intake_receipt_take", take)
    retry = api_report(Client(), organisation, key)
    assert retry.status_code == 200
    code = retry.json()["receipt_code"]
    assert code is not None and opens_the_case(code) == Case.objects.get()
    assert api_report(Client(), organisation, key).json()["receipt_code"] is None


def test_an_api_report_without_a_key_keeps_no_copy(organisation):
    first = api_report(Client(), organisation)
    assert first.status_code == 201 and first.json()["receipt_code"]
    assert not IntakeSubmission.objects.exists()


# --- one copy, one answer, also when requests race -----------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_requests_racing_for_the_code_get_it_exactly_once(transactional_db):
    organisation = OrganisationFactory(slug="tegelijk", anonymous_reporting_enabled=True)
    made = submit_case(organisation, form_token="een-token", cheap_receipt=True)
    taken = run_together(4, lambda _i: services.intake_receipt_take(form_token="een-token"))
    assert [code for code in taken if code is not None] == [made.receipt_code]

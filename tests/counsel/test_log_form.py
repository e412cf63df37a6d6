"""Logging a consultation: no names by design. A note that looks like it names someone is
warned about and only stored after an explicit confirmation; bad input is refused with
a Dutch message, everything typed kept, nothing half-saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.counsel import vault
from integritas.counsel.identifying import check_note, name_candidates
from integritas.counsel.models import ConsultationEntry, CounsellorLog
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory

from .factories import form_post, make_entry


@pytest.fixture
def counsellor(make_user, organisation):
    return make_user(Role.CONFIDENTIAL_COUNSELLOR, organisation)


@pytest.fixture
def logged_in(client, counsellor):
    return login_with_second_factor(client, counsellor)


@pytest.fixture
def colleague(organisation):
    return EmployeeFactory(organisation=organisation, first_name="Jeroen", last_name="Verhoeven")


def test_a_consultation_is_logged(logged_in, counsellor, organisation):
    page = logged_in.get(reverse("counsel_log:entry_create"))
    assert "Dit logboek bevat geen namen" in page.text
    response = logged_in.post(reverse("counsel_log:entry_create"), form_post())
    assert response.status_code == 302
    entry = ConsultationEntry.objects.get()
    assert entry.counsellor == counsellor
    assert entry.organisation == organisation
    assert entry.follow_ups == ["listened"]
    assert vault.unseal_note(entry.log, entry).startswith("Advies gegeven")
    assert entry.retain_until == datetime.date(entry.consulted_on.year + 5, 12, 31)


@pytest.mark.parametrize(
    "note",
    [
        "Gesprek met Jeroen Verhoeven over de sfeer",
        "verhoeven voelt zich buitengesloten",
        "bereikbaar via j.verhoeven@example.nl",
        "belt terug op 06-12345678",
        "belt terug op +31 71 516 0000",
    ],
)
def test_an_identifying_note_is_warned_and_not_stored(logged_in, colleague, note):
    response = logged_in.post(reverse("counsel_log:entry_create"), form_post(note=note))
    assert response.status_code == 200
    assert "Let op: de notitie lijkt iemand herkenbaar te maken." in response.text
    assert "Er is nog niets opgeslagen." in response.text
    assert note in response.text  # everything typed is kept
    assert 'name="confirm"' in response.text
    assert not ConsultationEntry.objects.exists()
    assert not CounsellorLog.objects.exists()
    assert not AuditEvent.objects.filter(action="counsel.entry_create").exists()


def test_the_warning_names_the_word_found(logged_in, colleague):
    response = logged_in.post(
        reverse("counsel_log:entry_create"), form_post(note="Gesprek met Jeroen Verhoeven")
    )
    assert "„Verhoeven” is de naam van een medewerker van de organisatie." in response.text
    assert (
        "e-mailadres"
        not in response.text.split("Er is nog niets opgeslagen.")[0].split("Let op")[1]
    )


def test_confirming_stores_the_note(logged_in, colleague):
    note = "verhoeven is hier een plaatsnaam"
    first = logged_in.post(reverse("counsel_log:entry_create"), form_post(note=note))
    assert 'name="warned" value="1"' in first.text
    second = logged_in.post(
        reverse("counsel_log:entry_create"), form_post(note=note, warned="1", confirm="on")
    )
    assert second.status_code == 302
    entry = ConsultationEntry.objects.get()
    assert vault.unseal_note(entry.log, entry) == note


def test_the_warned_form_without_confirmation_still_stores_nothing(logged_in, colleague):
    note = "Verhoeven"
    response = logged_in.post(reverse("counsel_log:entry_create"), form_post(note=note, warned="1"))
    assert response.status_code == 200
    assert not ConsultationEntry.objects.exists()


def test_a_name_of_another_organisation_is_no_warning(logged_in, other_organisation):
    EmployeeFactory(organisation=other_organisation, first_name="Kees", last_name="Brouwer")
    response = logged_in.post(
        reverse("counsel_log:entry_create"), form_post(note="Gesprek over brouwer en bakker")
    )
    assert response.status_code == 302


def test_name_particles_are_matched(organisation):
    EmployeeFactory(organisation=organisation, first_name="Anna", last_name="van der Berg")
    assert check_note("Gesprek met anna van der berg", organisation.pk).names == ("van der berg",)
    assert check_note("Gesprek met Van der Berg", organisation.pk).names == ("Van der Berg",)
    assert not check_note("gesprek over de berg werk", organisation.pk)


def test_candidates_stay_few_for_a_full_note():
    """A full note of one repeated word: its spellings, not one per occurrence."""
    note = "woord " * 46
    assert len(name_candidates(note)) <= 3


def test_the_name_check_is_one_query_whatever_the_staff(organisation, django_assert_num_queries):
    for i in range(200):
        letters = "".join("abcdefghij"[int(d)] for d in f"{i:03d}")
        EmployeeFactory(organisation=organisation, last_name=f"Naam{letters}")
    with django_assert_num_queries(1):
        findings = check_note("Gesprek met naamabh en een collega van de afdeling", organisation.pk)
    assert findings.names == ("naamabh",)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"theme": ""}, "Dit veld is vereist."),
        ({"theme": "gossip"}, "Selecteer een geldige keuze."),
        ({"follow_ups": []}, "Kies ten minste één vervolg."),
        ({"consulted_on": "2099-01-01"}, "De datum van het gesprek ligt in de toekomst."),
        ({"consulted_on": "31-31-2026"}, "Voer een geldige datum in."),
        ({"note": "x" * 281}, "De notitie is te lang: hooguit 280 tekens."),
    ],
)
def test_bad_input_is_refused_in_dutch(logged_in, overrides, message):
    data = form_post(**overrides)
    response = logged_in.post(reverse("counsel_log:entry_create"), data)
    assert response.status_code == 200
    assert message in response.text
    assert not ConsultationEntry.objects.exists()
    assert not CounsellorLog.objects.exists()


def test_the_author_edits_and_deletes(logged_in, counsellor, organisation):
    entry = make_entry(counsellor, organisation)
    url = reverse("counsel_log:entry_edit", args=[entry.pk])
    assert "Terugkerende opmerkingen" in logged_in.get(url).text
    response = logged_in.post(url, form_post(theme="discrimination", note="Nieuwe notitie"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.theme == "discrimination"
    assert vault.unseal_note(entry.log, entry) == "Nieuwe notitie"
    response = logged_in.post(reverse("counsel_log:entry_delete", args=[entry.pk]))
    assert response.status_code == 302
    assert not ConsultationEntry.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="counsel.entry_")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["counsel.entry_create", "counsel.entry_update", "counsel.entry_delete"]


def test_the_list_pages_by_keyset(
    logged_in, counsellor, organisation, django_assert_max_num_queries
):
    for _ in range(30):
        make_entry(counsellor, organisation, consulted_on=timezone.localdate())
    first = logged_in.get(reverse("counsel_log:entry_list"))
    assert first.text.count("/vertrouwenspersoon/") >= 25
    assert "ouder=" in first.text


def test_the_list_takes_the_same_queries_for_few_or_many(logged_in, counsellor, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("counsel_log:entry_list")
    make_entry(counsellor, organisation)
    logged_in.get(url)
    with CaptureQueriesContext(connection) as few:
        logged_in.get(url)
    for _ in range(40):
        make_entry(counsellor, organisation)
    logged_in.get(url)
    with CaptureQueriesContext(connection) as many:
        logged_in.get(url)
    assert [q["sql"][:60] for q in many] == [q["sql"][:60] for q in few]

"""Conflict signals against the organisation's counterparty list: matching, the import,
keeping what a person weighed, the signals page and its role x action matrix."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.registers import services, signalling
from integritas.registers.constants import (
    CounterpartyKind,
    MatchBy,
    Outcome,
    SignalReason,
    SignalState,
)
from integritas.registers.counterparty_file import (
    CounterpartyFileError,
    CounterpartyRow,
    read_counterparties,
)
from integritas.registers.matching import Party, PartyIndex, normalise_kvk, normalise_name
from integritas.registers.models import ConflictSignal, Counterparty
from tests.factories import ALL_ASSIGNABLE_ROLES

from .helpers import TODAY, financial, gift, side_activity

pytestmark = pytest.mark.django_db

HEADER = "naam;KvK-nummer;soort;aanbesteding van;aanbesteding tot\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def _row(name, kvk="", kind=CounterpartyKind.SUPPLIER, start=None, end=None, line=2):
    return CounterpartyRow(line, name, kvk, kind, start, end)


def _import(org, *rows):
    return services.counterparties_import(
        actor=org.officer, organisation=org.organisation, rows=list(rows)
    )


def _signals(org):
    return list(ConflictSignal.objects.filter(organisation=org.organisation).order_by("pk"))


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Bouwbedrijf De Steen B.V.", "bouwbedrijf de steen"),
        ("Bouwbedrijf De Steen BV", "BOUWBEDRIJF DE STEEN b. v."),
        ("Stichting Voedselbank Leiden", "Voedselbank Leiden"),
        ("Vereniging Eigen Huis", "eigen huis"),
        ("Café 't Hoekje V.O.F.", "Cafe t Hoekje"),
        ("Coöperatie Rabobank U.A.", "Rabobank"),
        ("Ingenieursbureau Delta N.V.", "ingenieursbureau-delta"),
    ],
)
def test_names_are_compared_without_legal_form_punctuation_diacritics_and_case(left, right):
    assert normalise_name(left) == normalise_name(right)


def test_different_names_stay_different():
    assert normalise_name("De Steen Bouw") != normalise_name("De Steen Infra")
    assert normalise_name("Stichting") == "stichting"  # nothing but a legal form: kept


def test_kvk_numbers_are_eight_digits():
    assert normalise_kvk("1234 5678") == "12345678"
    assert normalise_kvk("1234567") == "01234567"  # a spreadsheet dropped the zero
    assert normalise_kvk("12ab") == ""


def _index(*parties):
    return PartyIndex(parties)


@pytest.mark.requirement("R-AW-5")
def test_kvk_number_matches_first_whatever_the_name():
    index = _index(Party(1, "Steen Holding", "12345678", CounterpartyKind.SUPPLIER))
    [match] = index.match(name="Totaal andere naam", kvk="12345678")
    assert (match.party.pk, match.by) == (1, MatchBy.KVK)


@pytest.mark.requirement("R-AW-5")
def test_a_different_kvk_number_never_matches_by_name():
    index = _index(Party(1, "Bouwbedrijf De Steen B.V.", "12345678", CounterpartyKind.SUPPLIER))
    assert index.match(name="Bouwbedrijf De Steen", kvk="87654321") == []
    # Without a KvK number on one side, the name decides.
    assert [m.by for m in index.match(name="bouwbedrijf de steen", kvk="")] == [MatchBy.NAME]


# --------------------------------------------------------------------------- signals


@pytest.mark.requirement("R-AW-5")
def test_side_activity_at_a_supplier_is_a_signal_by_kvk_and_by_name(org):
    _import(
        org,
        _row("VV Leiderdorp", "12345678"),
        _row("Sportclub De Zwaluwen Vereniging", ""),
    )
    by_kvk = side_activity(org.employee, client_name="Voetbal", kvk_number="12345678")
    by_name = side_activity(org.colleague, client_name="Sportclub de Zwaluwen", kvk_number="")
    side_activity(org.manager, client_name="Tennisclub", kvk_number="")
    signals = {s.registration_id: s for s in _signals(org)}
    assert set(signals) == {by_kvk.pk, by_name.pk}
    assert signals[by_kvk.pk].match_by == MatchBy.KVK
    assert signals[by_name.pk].match_by == MatchBy.NAME
    assert signals[by_name.pk].reason == SignalReason.SIDE_ACTIVITY
    assert all(s.state == SignalState.OPEN for s in signals.values())  # never a verdict


@pytest.mark.requirement("R-AW-5")
def test_no_false_flag_when_the_kvk_numbers_differ(org):
    _import(org, _row("VV Leiderdorp", "11111111"))
    side_activity(org.employee)  # "VV Leiderdorp", KvK 12345678: another party
    assert _signals(org) == []


@pytest.mark.requirement("R-AW-8")
def test_financial_interest_in_a_supplier_is_a_signal_without_its_details(org):
    registration = financial(org.secretary)  # Bouwbedrijf De Steen B.V., 87654321
    _import(org, _row("De Steen Bouw", "87654321"))
    [signal] = _signals(org)
    assert signal.registration_id == registration.pk
    assert signal.reason == SignalReason.FINANCIAL_INTEREST
    assert signal.party_name == "De Steen Bouw"  # the list's name, not the sealed one
    assert "Aandelen" not in signal.note + signal.party_name + signal.party_key


@pytest.mark.requirement("R-AW-10")
def test_gift_from_a_party_with_a_running_tender_is_a_signal_only_in_the_tender_period(org):
    start, end = TODAY - datetime.timedelta(days=10), TODAY + datetime.timedelta(days=10)
    _import(org, _row("Bouwbedrijf De Steen", "", CounterpartyKind.TENDER, start, end))
    inside = gift(org.employee, 2000)  # given today: inside the period
    gift(org.colleague, 2000, given_on=start - datetime.timedelta(days=1))
    gift(org.manager, 2000, giver_organisation="Drukkerij Rijnland")
    [signal] = _signals(org)
    assert (signal.registration_id, signal.reason) == (inside.pk, SignalReason.TENDER_GIFT)


@pytest.mark.requirement("R-AW-10")
def test_a_gift_from_a_supplier_without_a_tender_is_no_signal(org):
    _import(org, _row("Bouwbedrijf De Steen", ""))
    gift(org.employee, 2000)
    assert _signals(org) == []


@pytest.mark.requirement("R-AW-6")
def test_refused_and_ended_registrations_are_not_matched(org):
    refused = side_activity(org.employee)
    services.registration_decide(
        actor=org.manager.user, registration=refused, outcome=Outcome.REFUSED, reasons="Nee"
    )
    side_activity(org.colleague, end_date=TODAY - datetime.timedelta(days=1))
    _import(org, _row("VV Leiderdorp", "12345678"))
    assert _signals(org) == []


def test_a_refusal_removes_the_open_signal_of_that_registration_only(org):
    _import(org, _row("VV Leiderdorp", "12345678"))
    first, second = side_activity(org.employee), side_activity(org.colleague)
    assert len(_signals(org)) == 2
    services.registration_decide(
        actor=org.manager.user, registration=first, outcome=Outcome.REFUSED, reasons="Nee"
    )
    assert [s.registration_id for s in _signals(org)] == [second.pk]


def test_weighed_signals_survive_a_reimport_and_are_marked_when_the_party_left(org):
    _import(org, _row("VV Leiderdorp", "12345678"), _row("Drukkerij Rijnland", "22222222"))
    weighed = side_activity(org.employee)
    side_activity(org.colleague, client_name="Drukkerij Rijnland", kvk_number="22222222")
    signal = ConflictSignal.objects.get(registration=weighed)
    services.signal_weigh(actor=org.officer, signal=signal, relevant=True, note="Besproken")
    # Same list again: nothing changes, nothing doubles.
    _import(org, _row("VV Leiderdorp", "12345678"), _row("Drukkerij Rijnland", "22222222"))
    assert len(_signals(org)) == 2
    # Both parties leave the list: the open signal goes, the weighed one stays, marked.
    _import(org, _row("Iemand anders", "33333333"))
    [kept] = _signals(org)
    assert kept.pk == signal.pk and kept.state == SignalState.RELEVANT
    assert kept.note == "Besproken" and not kept.on_list
    # Back on the list: linked again, the weighing intact.
    _import(org, _row("VV Leiderdorp", "12345678"))
    kept.refresh_from_db()
    assert kept.on_list and kept.state == SignalState.RELEVANT


def test_recompute_of_one_organisation_is_set_based(org, django_assert_max_num_queries):
    for number in range(30):
        side_activity(org.employee, client_name=f"Club {number}", kvk_number="")
    rows = [_row(f"Club {n}", "") for n in range(30)]
    _import(org, *rows[:10])
    with CaptureQueriesContext(connection) as few:
        signalling.recompute_organisation(org.organisation.pk)
    Counterparty.objects.filter(organisation=org.organisation).delete()
    _import(org, *rows)
    with CaptureQueriesContext(connection) as many:
        signalling.recompute_organisation(org.organisation.pk)
    assert len(_signals(org)) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_weighing_needs_a_note_and_is_audited_and_never_by_the_person_concerned(org):
    _import(org, _row("VV Leiderdorp", "12345678"))
    side_activity(org.employee)
    [signal] = _signals(org)
    with pytest.raises(ValidationError):
        services.signal_weigh(actor=org.officer, signal=signal, relevant=False, note=" ")
    with pytest.raises(PermissionDenied):
        services.signal_weigh(actor=org.manager.user, signal=signal, relevant=False, note="x")
    services.signal_weigh(actor=org.hrm, signal=signal, relevant=False, note="Geen raakvlak")
    signal.refresh_from_db()
    assert signal.state == SignalState.NOT_RELEVANT and signal.weighed_by == org.hrm
    assert AuditEvent.objects.filter(action="registers.signal.weighed").count() == 1
    # The officer's own registration: someone else weighs it.
    own = side_activity(org.officer.employee)
    own_signal = ConflictSignal.objects.get(registration=own)
    with pytest.raises(PermissionDenied):
        services.signal_weigh(actor=org.officer, signal=own_signal, relevant=False, note="x")
    from django.test import Client

    from tests.conftest import login_with_second_factor

    client = login_with_second_factor(Client(), org.officer)
    assert client.get(reverse("registers:signal_weigh", args=[own_signal.pk])).status_code == 403


# --------------------------------------------------------------------------- the file


def test_the_file_is_read_as_csv_and_xlsx():
    rows = read_counterparties(
        _csv(
            "Bouwbedrijf De Steen B.V.;12345678;leverancier;;",
            "Stichting Welzijn;;subsidieontvanger;;",
            "Ingenieursbureau Delta;01234567;aanbesteding;2026-01-01;31-12-2026",
        )
    )
    assert [(r.line, r.kind, r.kvk_number) for r in rows] == [
        (2, CounterpartyKind.SUPPLIER, "12345678"),
        (3, CounterpartyKind.SUBSIDY_RECIPIENT, ""),
        (4, CounterpartyKind.TENDER, "01234567"),
    ]
    assert rows[2].tender_end == datetime.date(2026, 12, 31)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Naam", "KvK-nummer", "Soort", "Aanbesteding van", "Aanbesteding tot"])
    day = datetime.datetime(2026, 3, 1)  # noqa: DTZ001 (a spreadsheet cell has no zone)
    sheet.append(["Drukkerij Rijnland", 1234567, "aanbesteding", day])
    buffer = io.BytesIO()
    book.save(buffer)
    [row] = read_counterparties(buffer.getvalue(), filename="lijst.xlsx")
    assert (row.kvk_number, row.tender_start) == ("01234567", datetime.date(2026, 3, 1))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Foo;12ab;leverancier;;", "regel 3: een KvK-nummer bestaat uit 8 cijfers"),
        (";12345678;leverancier;;", "regel 3: de naam ontbreekt"),
        ("Foo;;bakker;;", "regel 3: de soort moet leverancier"),
        ("Foo;;aanbesteding;;", "regel 3: bij een aanbesteding hoort de begindatum"),
        ("Foo;;aanbesteding;2026-05-01;2026-04-01", "regel 3: de aanbesteding eindigt"),
        ("Foo;;aanbesteding;gisteren;", "regel 3: een datum is niet leesbaar"),
    ],
)
def test_a_broken_row_is_named_in_dutch(line, message):
    with pytest.raises(CounterpartyFileError) as raised:
        read_counterparties(_csv("Goed B.V.;12345678;leverancier;;", line))
    assert message in raised.value.message
    assert raised.value.message.startswith("Er is niets ingelezen.")


# --------------------------------------------------------------------------- the pages


def _upload(client, content, name="lijst.csv", slug=""):
    url = reverse("registers:counterparties_import")
    if slug:
        url += f"?organisatie={slug}"
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


@pytest.mark.requirement("R-AW-5")
def test_import_with_one_broken_row_imports_nothing_and_names_the_row(org, login):
    client = login(org.officer)
    _upload(client, _csv("VV Leiderdorp;12345678;leverancier;;"))
    side_activity(org.employee)
    before = list(Counterparty.objects.values_list("name", flat=True))
    response = _upload(client, _csv("Nieuw B.V.;11111111;leverancier;;", "Kapot;123;leverancier;;"))
    assert response.status_code == 200
    assert "regel 3: een KvK-nummer bestaat uit 8 cijfers" in response.content.decode()
    assert list(Counterparty.objects.values_list("name", flat=True)) == before
    assert len(_signals(org)) == 1  # the old list's signal is untouched


def test_import_page_raises_the_signals_and_redirects_to_them(org, login):
    side_activity(org.employee)
    response = _upload(login(org.officer), _csv("VV Leiderdorp;12345678;leverancier;;"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"?organisatie={org.organisation.slug}")
    assert len(_signals(org)) == 1
    assert AuditEvent.objects.filter(action="registers.counterparties.imported").exists()


def test_html_in_the_list_is_kept_as_text_and_shown_escaped(org, login):
    side_activity(org.employee, client_name="<script>x</script> Club", kvk_number="")
    response = _upload(login(org.officer), _csv("<script>x</script> Club;;leverancier;;"))
    assert response.status_code == 302
    assert Counterparty.objects.get().name == "<script>x</script> Club"
    [signal] = _signals(org)
    assert signal.party_name == "<script>x</script> Club"
    page = login(org.officer).get(reverse("registers:signals")).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt; Club" in page and "<script>x" not in page
    weigh = reverse("registers:signal_weigh", args=[signal.pk])
    page = login(org.officer).get(weigh).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt; Club" in page and "<script>x" not in page


def _signal_for(org):
    _import(org, _row("VV Leiderdorp", "12345678"))
    side_activity(org.employee)
    return ConflictSignal.objects.get(registration__employee=org.employee)


@pytest.mark.requirement("R-AW-8")
def test_signals_pages_per_role(org, other, login):
    signal = _signal_for(org)
    financial(org.secretary)
    pages = {
        "signals": reverse("registers:signals"),
        "weigh": reverse("registers:signal_weigh", args=[signal.pk]),
        "import": reverse("registers:counterparties_import"),
    }
    expected = {
        "employee": {"signals": 403, "weigh": 404, "import": 403},
        "manager": {"signals": 403, "weigh": 404, "import": 403},
        "secretary": {"signals": 403, "weigh": 404, "import": 403},
        "mayor": {"signals": 403, "weigh": 404, "import": 403},
        "officer": {"signals": 200, "weigh": 200, "import": 200},
        "hrm": {"signals": 200, "weigh": 200, "import": 403},
        "other_hrm": {"signals": 200, "weigh": 404, "import": 403},
        "other_officer": {"signals": 200, "weigh": 404, "import": 200},
    }
    users = {
        "employee": org.employee.user,
        "manager": org.manager.user,
        "secretary": org.secretary.user,
        "mayor": org.mayor,
        "officer": org.officer,
        "hrm": org.hrm,
        "other_hrm": other.hrm,
        "other_officer": other.officer,
    }
    for who, user in users.items():
        client = login(user)
        for page, url in pages.items():
            assert client.get(url).status_code == expected[who][page], (who, page)
    # Another organisation's signals are not reachable by its slug.
    url = pages["signals"] + f"?organisatie={org.organisation.slug}"
    assert login(other.hrm).get(url).status_code == 404
    assert (
        _upload(login(other.officer), _csv("X;;leverancier;;"), slug=org.organisation.slug)
    ).status_code == 404


@pytest.mark.parametrize("role", [None, *ALL_ASSIGNABLE_ROLES], ids=lambda r: r or "employee")
def test_signals_page_per_role(client_for, role):
    allowed = role in (Role.HRM, Role.INTEGRITY_OFFICER)
    assert client_for(role).get(reverse("registers:signals")).status_code == (
        200 if allowed else 403
    )
    expected = 200 if role == Role.INTEGRITY_OFFICER else 403
    assert client_for(role).get(reverse("registers:counterparties_import")).status_code == expected


def test_weighing_on_the_page_keeps_the_filters_and_the_organisation(org, login):
    signal = _signal_for(org)
    client = login(org.officer)
    back = f"organisatie={org.organisation.slug}&weging=open&soort=side_activity"
    url = reverse("registers:signal_weigh", args=[signal.pk])
    form = client.get(f"{url}?{back}&evil=1").content.decode()
    assert 'name="weging" value="open"' in form and 'name="evil"' not in form
    fields = dict(pair.split("=") for pair in back.split("&"))
    # Without a note: a Dutch message, the choice kept, nothing weighed.
    response = client.post(url, {**fields, "relevant": "1", "note": ""})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    signal.refresh_from_db()
    assert signal.state == SignalState.OPEN
    response = client.post(url, {**fields, "relevant": "1", "note": "Besproken"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('registers:signals')}?{back}"
    signal.refresh_from_db()
    assert signal.state == SignalState.RELEVANT


def test_filters_on_the_signals_page(org, login):
    signal = _signal_for(org)
    client = login(org.hrm)
    url = reverse("registers:signals")
    assert len(client.get(url + "?weging=open").context["rows"]) == 1
    services.signal_weigh(actor=org.officer, signal=signal, relevant=False, note="Geen")
    assert len(client.get(url + "?weging=open").context["rows"]) == 0
    assert len(client.get(url + "?weging=weighed").context["rows"]) == 1
    assert len(client.get(url + "?soort=tender_gift").context["rows"]) == 0


def test_signals_page_queries_do_not_grow_with_the_signals(org, login):
    client = login(org.officer)
    url = reverse("registers:signals")
    _import(org, _row("VV Leiderdorp", "12345678"))
    side_activity(org.employee)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for employee in (org.colleague, org.manager, org.director, org.secretary):
        side_activity(employee)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert len(response.context["rows"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_signals_page_is_keyset_paginated(org, login, monkeypatch):
    from integritas.registers import selectors

    monkeypatch.setattr(selectors, "SIGNALS_PAGE_SIZE", 2)
    _import(org, _row("VV Leiderdorp", "12345678"))
    for employee in (org.employee, org.colleague, org.manager):
        side_activity(employee)
    client = login(org.officer)
    first = client.get(reverse("registers:signals") + "?weging=open")
    assert len(first.context["rows"]) == 2
    older = first.context["page"].older.encode()
    second = client.get(reverse("registers:signals") + f"?weging=open&ouder={older}")
    assert len(second.context["rows"]) == 1


def test_work_list_counts_open_signals_for_officer_and_hrm_only(org, login):
    _signal_for(org)
    url = f"{reverse('registers:signals')}?weging=open"
    for user, count in ((org.officer, 1), (org.hrm, 1)):
        lists = login(user).get(reverse("home")).context["work_lists"]
        rows = [row for wl in lists for row in wl.rows if row.url == url]
        assert rows and rows[0].count == count
    lists = login(org.manager.user).get(reverse("home")).context["work_lists"]
    assert not [row for wl in lists for row in wl.rows if row.url == url]


@pytest.mark.parametrize("copy_above", [signalling.COPY_ABOVE, 0], ids=["insert", "copy"])
def test_signals_written_in_bulk_hold_their_party_and_never_double(org, monkeypatch, copy_above):
    """On PostgreSQL an import writes its list and signals by COPY when there are many
    (forced here for a few): the same signals, linked to their party, as row by row; a
    signal written a second time stays one."""
    monkeypatch.setattr(signalling, "COPY_ABOVE", copy_above)
    by_kvk = side_activity(org.employee, client_name="Voetbal", kvk_number="12345678")
    by_name = side_activity(org.colleague, client_name="Drukkerij Rijnland", kvk_number="")
    _import(org, _row("VV Leiderdorp", "12345678"), _row("Drukkerij Rijnland", ""))
    signals = {s.registration_id: s for s in _signals(org)}
    assert set(signals) == {by_kvk.pk, by_name.pk}
    assert signals[by_kvk.pk].match_by == MatchBy.KVK
    assert signals[by_name.pk].match_by == MatchBy.NAME
    for signal in signals.values():
        assert signal.reason == SignalReason.SIDE_ACTIVITY and signal.state == SignalState.OPEN
        assert signal.party_kind == CounterpartyKind.SUPPLIER and signal.on_list
    assert sorted(
        Counterparty.objects.filter(organisation=org.organisation).values_list("name", "kind")
    ) == [("Drukkerij Rijnland", "supplier"), ("VV Leiderdorp", "supplier")]
    again = signals[by_kvk.pk]
    fields = ("created_at", "updated_at", "organisation", "registration", "reason")
    fields += ("match_by", "party_key", "party_name", "party_kind", "state", "note")
    row = (again.created_at, again.updated_at, org.organisation.pk, again.registration_id)
    row += (again.reason, again.match_by, again.party_key, again.party_name)
    row += (again.party_kind, again.state, "")
    signalling.insert_rows(ConflictSignal, fields, [row], ignore_conflicts=True)
    assert len(_signals(org)) == 2

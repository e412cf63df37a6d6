"""The consultation log and its wall (R-DP-3): only the counsellor who wrote an entry sees
it — through no page, export, API or audit event does anyone else, whatever their role."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.counsel import vault
from integritas.counsel.models import ConsultationEntry
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES

from .factories import form_post, make_entry

ROLES = [None, *ALL_ASSIGNABLE_ROLES]
SECRET = "Afdelingsconflict rond de roosters, geen vervolg gewenst"


@pytest.fixture
def author(make_user, organisation):
    return make_user(Role.CONFIDENTIAL_COUNSELLOR, organisation)


@pytest.fixture
def entry(author, organisation):
    return make_entry(author, organisation, note=SECRET)


def _entry_pages(entry):
    return {
        "detail": reverse("counsel_log:entry_detail", args=[entry.pk]),
        "edit": reverse("counsel_log:entry_edit", args=[entry.pk]),
        "delete": reverse("counsel_log:entry_delete", args=[entry.pk]),
    }


def test_the_author_sees_and_keeps_their_entry(client, author, entry):
    login_with_second_factor(client, author)
    listing = client.get(reverse("counsel_log:entry_list"))
    assert listing.status_code == 200
    assert reverse("counsel_log:entry_detail", args=[entry.pk]) in listing.text
    detail = client.get(reverse("counsel_log:entry_detail", args=[entry.pk]))
    assert detail.status_code == 200
    assert SECRET in detail.text
    for url in _entry_pages(entry).values():
        assert client.get(url).status_code == 200


@pytest.mark.requirement("R-DP-3", "R-WBK-6")
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
@pytest.mark.parametrize("where", ["own", "other"])
def test_nobody_else_reaches_an_entry(
    client_for, organisation, other_organisation, entry, role, where
):
    """Every role, in the entry's organisation and in another one: the log pages are
    forbidden (403), and a fellow counsellor finds no entry of another (404); posting to
    edit or delete changes nothing."""
    client = client_for(role, organisation if where == "own" else other_organisation)
    counsellor = role == Role.CONFIDENTIAL_COUNSELLOR
    for name in ("entry_list", "entry_create"):
        response = client.get(reverse(f"counsel_log:{name}"))
        assert response.status_code == (200 if counsellor else 403), (name, role)
        assert SECRET not in response.text
    for name, url in _entry_pages(entry).items():
        expected = 404 if counsellor else 403
        assert client.get(url).status_code == expected, (name, role)
        assert client.post(url, form_post(note="overschreven")).status_code == expected
    entry.refresh_from_db()
    assert vault.unseal_note(entry.log, entry) == SECRET


@pytest.mark.requirement("R-DP-3")
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "employee")
def test_no_other_page_shows_anything_of_an_entry(client_for, organisation, entry, role):
    """Home page, figures, audit log and its export, API, directory: nothing of the entry
    for anyone but its author — not the text, not the entry's id as an object in the
    audit log. (There is no Django admin: INSTALLED_APPS has no django.contrib.admin.)"""
    client = client_for(role, organisation)
    pages = [
        reverse("home"),
        reverse("counsel_log:figures"),
        reverse("counsel:listing_list"),
        reverse("audit:event_list"),
        reverse("audit:event_export"),
        "/api/v1/",
        "/api/v1/schema/",
        "/admin/",
    ]
    for url in pages:
        response = client.get(url)
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert SECRET not in body, (url, role)
        assert "consultationentry" not in body, (url, role)
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert not AuditEvent.objects.filter(object_type="counsel.consultationentry").exists()


@pytest.mark.requirement("R-DP-3")
def test_the_audit_log_names_the_log_never_the_entry(author, organisation, entry):
    """Events carry the log's id (the counsellor's own log), never the entry's id, its
    date, theme or text."""
    events = list(AuditEvent.objects.filter(action__startswith="counsel.entry_"))
    assert [e.action for e in events] == ["counsel.entry_create"]
    event = events[0]
    assert event.object_type == "counsel.counsellorlog"
    assert event.object_id == str(entry.log_id)
    recorded = " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields)
    assert SECRET not in recorded
    assert str(entry.token) not in recorded


@pytest.mark.requirement("R-DP-3")
def test_a_counsellor_in_two_organisations_keeps_them_apart(
    client, make_user, organisation, other_organisation
):
    from tests.factories import grant

    counsellor = make_user(Role.CONFIDENTIAL_COUNSELLOR, organisation)
    grant(counsellor, Role.CONFIDENTIAL_COUNSELLOR, other_organisation)
    colleague = make_user(Role.CONFIDENTIAL_COUNSELLOR, other_organisation)
    theirs = make_entry(colleague, other_organisation, note=SECRET)
    login_with_second_factor(client, counsellor)
    assert client.get(reverse("counsel_log:entry_detail", args=[theirs.pk])).status_code == 404
    assert SECRET not in client.get(reverse("counsel_log:entry_list")).text


@pytest.mark.requirement("R-DP-3")
def test_a_counsellor_who_lost_the_role_no_longer_reads(client, author, entry):
    author.assignments.update(status="revoked")
    login_with_second_factor(client, author)
    assert client.get(reverse("counsel_log:entry_detail", args=[entry.pk])).status_code == 403


def test_the_note_is_encrypted_at_rest(entry):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT note_enc FROM {ConsultationEntry._meta.db_table} WHERE id = %s",  # noqa: S608
            [entry.pk],
        )
        (raw,) = cursor.fetchone()
    assert SECRET.encode() not in bytes(raw)
    assert vault.unseal_note(entry.log, entry) == SECRET


def test_a_note_copied_to_another_entry_does_not_decrypt(author, organisation, entry):
    from integritas.core.crypto import DecryptionError

    other = make_entry(author, organisation, note="iets anders")
    other.note_enc = entry.note_enc
    with pytest.raises(DecryptionError):
        vault.unseal_note(other.log, other)

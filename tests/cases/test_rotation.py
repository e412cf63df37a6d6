"""`integritas rotate_master_key`: re-wrap every data key, content and receipts keep working."""

import base64
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import selectors, services, vault
from integritas.cases.constants import IdentityMode
from integritas.cases.models import Case, CaseMessage, CaseNote, InvolvedPerson, ReporterIdentity
from integritas.core.crypto import DecryptionError
from integritas.core.encryption import keys
from tests.core.test_encryption import DESCRIPTION, NOTE, WRAPPED

from .factories import submit_case

KEY_A = base64.urlsafe_b64encode(b"t" * 32).decode()  # the test settings' key, id "test"
KEY_B = base64.urlsafe_b64encode(b"B" * 32).decode()


def _fresh(case: Case) -> Case:
    """A new object from the database: no data key cached from before."""
    return Case.objects.select_related("organisation").get(pk=case.pk)


def _content(case: Case) -> dict:
    case = _fresh(case)
    identity = ReporterIdentity.objects.get(case=case)
    return {
        "description": vault.unseal(case, "description", case.description_enc),
        "details": vault.unseal_json(case, "details", case.details_enc),
        "identity": vault.unseal_json(case, "identity", identity.identity_enc),
        "notify": vault.unseal(case, "notify_email", identity.notify_email_enc),
        "involved": [
            vault.unseal(case, "involved", p.description_enc, row=p.pk)
            for p in InvolvedPerson.objects.filter(case=case).order_by("pk")
        ],
        "messages": [
            vault.unseal(case, "message", m.body_enc, row=m.pk)
            for m in CaseMessage.objects.filter(case=case)
        ],
        "notes": [
            vault.unseal(case, "note", n.body_enc, row=n.pk)
            for n in CaseNote.objects.filter(case=case)
        ],
    }


@pytest.fixture
def cases_under_a(organisation, make_user):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    made = []
    for n in range(3):
        sub = submit_case(
            organisation,
            description=f"beschrijving {n}",
            details={"waar": f"kantoor {n}"},
            identity_mode=IdentityMode.CONFIDENTIAL,
            identity={"name": f"Melder {n}"},
            notify_email=f"melder{n}@example.org",
            involved=[f"betrokkene {n}"],
        )
        services.case_message_to_reporter(actor=coordinator, case=sub.case, body=f"bericht {n}")
        services.case_add_note(actor=coordinator, case=sub.case, body=f"notitie {n}")
        made.append(sub)
    return made


def _switch_to_b(settings, *, keep_a: bool = True) -> None:
    settings.INTEGRITAS_MASTER_KEY = KEY_B
    settings.INTEGRITAS_MASTER_KEY_ID = "b"
    settings.INTEGRITAS_PREVIOUS_MASTER_KEYS = [f"test:{KEY_A}"] if keep_a else []


def test_rotation_rewraps_everything_and_the_old_key_can_go(settings, cases_under_a):
    before = {sub.case.pk: _content(sub.case) for sub in cases_under_a}
    assert set(Case.objects.values_list("key_id", flat=True)) == {"test"}
    ciphertexts = dict(Case.objects.values_list("pk", "description_enc"))

    _switch_to_b(settings)
    out = StringIO()
    call_command("rotate_master_key", "--batch-size", "2", stdout=out)
    assert "3 melding(en) opnieuw verpakt met b in 2 batch(es)" in out.getvalue()
    assert set(Case.objects.values_list("key_id", flat=True)) == {"b"}
    # Only the wrapping changed: the content's ciphertexts are the same bytes.
    after = dict(Case.objects.values_list("pk", "description_enc"))
    assert {pk: bytes(v) for pk, v in after.items()} == {
        pk: bytes(v) for pk, v in ciphertexts.items()
    }

    # Remove key A: everything still decrypts, and receipts still find their case.
    _switch_to_b(settings, keep_a=False)
    for sub in cases_under_a:
        assert _content(sub.case) == before[sub.case.pk]
        assert selectors.case_by_receipt(sub.receipt_code).pk == sub.case.pk

    # One audit event per run, with the new key id and the count; no key material.
    events = AuditEvent.objects.filter(action="case.master_key_rotated")
    assert [(e.object_type, e.object_id) for e in events] == [("crypto.master_key", "b:3")]


def test_without_the_rotation_removing_the_old_key_breaks_decryption(settings, cases_under_a):
    # The control experiment: it is the rotation that makes key A unnecessary.
    _switch_to_b(settings, keep_a=False)
    with pytest.raises(DecryptionError):
        _content(cases_under_a[0].case)


def test_a_second_run_changes_nothing(settings, cases_under_a):
    _switch_to_b(settings)
    keys.rotate_master_key()
    wrapped = {pk: bytes(w) for pk, w in Case.objects.values_list("pk", "wrapped_key")}
    result = keys.rotate_master_key()
    assert result.rewrapped == 0 and result.stale == 0
    assert {pk: bytes(w) for pk, w in Case.objects.values_list("pk", "wrapped_key")} == wrapped


def test_dry_run_counts_and_changes_nothing(settings, cases_under_a):
    _switch_to_b(settings)
    out = StringIO()
    call_command("rotate_master_key", "--dry-run", stdout=out)
    assert "Sleutel test: 3 melding(en)" in out.getvalue()
    assert "Proefrun: 3" in out.getvalue()
    assert set(Case.objects.values_list("key_id", flat=True)) == {"test"}
    assert not AuditEvent.objects.filter(action="case.master_key_rotated").exists()


def test_refuses_when_an_old_key_is_not_configured(settings, cases_under_a):
    _switch_to_b(settings, keep_a=False)
    with pytest.raises(CommandError, match="test"):
        call_command("rotate_master_key", stdout=StringIO())
    assert set(Case.objects.values_list("key_id", flat=True)) == {"test"}


def test_new_cases_after_the_switch_use_the_new_key(settings, organisation, cases_under_a):
    _switch_to_b(settings)
    new = submit_case(organisation, description="na de wissel").case
    assert new.key_id == "b"
    result = keys.rotate_master_key()
    assert result.by_key == {"test": 3}
    assert result.rewrapped == 3


def test_case_ciphertexts_from_before_the_shared_encryption_layer_still_decrypt():
    # The case vault now seals through core/encryption; what it wrote before must stay
    # readable: same associated data ("case", number, organisation, field, row).
    case = Case(case_number="LDP-2026-0001", organisation_id=7, key_id="test", wrapped_key=WRAPPED)
    assert vault.unseal(case, "description", DESCRIPTION) == "Wat er gebeurde"
    assert vault.unseal(case, "note", NOTE, row=42) == "Een notitie"

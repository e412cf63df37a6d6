"""Financial interests are matched against the supplier list on keyed blind indexes of
the company's name and KvK number, stored beside the sealed details: the matching never
unseals them, and the stored indexes do not reveal the company (R-AW-8)."""

import hashlib
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integritas.core import crypto
from integritas.core.encryption.sealing import Sealer
from integritas.registers import services, signalling, vault
from integritas.registers.constants import (
    InterestKind,
    MatchBy,
    Outcome,
    SignalReason,
)
from integritas.registers.models import ConflictSignal, FinancialInterest

from .helpers import financial, supplier_list

pytestmark = pytest.mark.django_db

COMPANY, KVK = "Bouwbedrijf De Steen B.V.", "87654321"


def _interest(org, company: str = COMPANY, kvk: str = KVK):
    return services.financial_interest_register(
        actor=org.secretary.user,
        employee=org.secretary,
        data={
            "interest_kind": InterestKind.HOLDING,
            "company": company,
            "kvk_number": kvk,
            "description": "Aandelen",
        },
    )


@pytest.fixture
def sealed_shut(monkeypatch):
    """Unsealing a financial interest fails the test: matching must not need it."""

    def refuse(*args, **kwargs):
        raise AssertionError("a financial interest was unsealed for matching")

    monkeypatch.setattr(Sealer, "unseal_json", refuse)
    monkeypatch.setattr(vault, "unseal_details", refuse)


def _signals(org) -> list[tuple[int, str, str, str]]:
    return list(
        ConflictSignal.objects.filter(organisation=org.organisation)
        .order_by("pk")
        .values_list("registration_id", "reason", "match_by", "party_name")
    )


@pytest.mark.requirement("R-AW-8")
def test_a_financial_interest_matches_by_kvk_and_by_name_without_being_unsealed(org, sealed_shut):
    by_kvk = _interest(org)
    by_name = _interest(org, company="Drukkerij Rijnland", kvk="")
    other_number = _interest(org, company="Stichting Welzijn", kvk="11111111")
    # On import (set-based) ...
    supplier_list(
        org,
        ("De Steen Bouw", KVK),
        ("Drukkerij Rijnland V.O.F.", "22222222"),
        ("Welzijn", "99999999"),  # the same name, another KvK number: another party
    )
    assert _signals(org) == [
        (by_kvk.pk, SignalReason.FINANCIAL_INTEREST, MatchBy.KVK, "De Steen Bouw"),
        (by_name.pk, SignalReason.FINANCIAL_INTEREST, MatchBy.NAME, "Drukkerij Rijnland V.O.F."),
    ]
    # ... and per registration (a new one, a decision): the same, still sealed shut.
    later = _interest(org)
    services.registration_decide(
        actor=org.officer,
        registration=other_number,
        outcome=Outcome.NO_OBJECTION,
        reasons="Geen raakvlak",
    )
    assert ConflictSignal.objects.filter(registration=later).count() == 1
    assert not ConflictSignal.objects.filter(registration=other_number).exists()


@pytest.mark.requirement("R-AW-8")
def test_the_stored_indexes_do_not_reveal_the_company(org, other):
    registration = _interest(org)
    interest = FinancialInterest.objects.get(registration=registration)
    assert len(interest.name_index) == len(interest.kvk_index) == 64
    # No column holds the name or the number, in any form a reader could compute.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM registers_financialinterest WHERE registration_id = %s",
            [registration.pk],
        )
        row = cursor.fetchone()
    stored = b"|".join(
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for value in row
    ).lower()
    for needle in (b"steen", b"bouwbedrijf", KVK.encode()):
        assert needle not in stored
    plain = ("bouwbedrijf de steen", COMPANY, KVK)
    unkeyed = {hashlib.sha256(text.encode()).hexdigest() for text in plain}
    assert not {interest.name_index, interest.kvk_index} & unkeyed
    # Keyed: the same company in another organisation has other indexes, so rows cannot
    # be joined across organisations; another key gives other indexes.
    elsewhere = vault.blind_keys(other.organisation.pk, name=COMPANY, kvk=KVK)
    assert set(elsewhere).isdisjoint({interest.name_index, interest.kvk_index})
    assert (interest.name_index, interest.kvk_index) == vault.blind_keys(
        org.organisation.pk, name="bouwbedrijf  de STEEN", kvk="8765 4321"
    )
    crypto._pepper_key.cache_clear()
    try:
        from django.test import override_settings

        with override_settings(INTEGRITAS_RECEIPT_PEPPER="another-pepper-0123456789abcdef"):
            rekeyed = vault.blind_keys(org.organisation.pk, name=COMPANY, kvk=KVK)
    finally:
        crypto._pepper_key.cache_clear()
    assert set(rekeyed).isdisjoint({interest.name_index, interest.kvk_index})


def test_the_migration_fills_the_indexes_of_existing_interests(org):
    registration = financial(org.secretary)
    filled = FinancialInterest.objects.values_list("name_index", "kvk_index").get()
    FinancialInterest.objects.update(name_index="", kvk_index="")  # as before 0005
    migration = importlib.import_module(
        "integritas.registers.migrations.0006_financial_interest_blind_index"
    )
    migration.fill_blind_indexes(apps, None)
    assert FinancialInterest.objects.values_list("name_index", "kvk_index").get() == filled
    supplier_list(org, ("De Steen Bouw", KVK))
    assert ConflictSignal.objects.get().registration_id == registration.pk


def test_matching_one_interest_takes_a_constant_number_of_queries(org):
    supplier_list(org, *[(f"Partij {n}", "") for n in range(5)])
    registration = _interest(org)
    with CaptureQueriesContext(connection) as few:
        signalling.recompute_registration(registration)
    supplier_list(org, *[(f"Partij {n}", "") for n in range(200)], ("De Steen Bouw", KVK))
    with CaptureQueriesContext(connection) as many:
        signalling.recompute_registration(registration)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert ConflictSignal.objects.filter(registration=registration).count() == 1

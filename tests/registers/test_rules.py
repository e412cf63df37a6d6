"""The rules of the registers: thresholds, who decides, the public register, financial
interests' confidentiality, re-assessment, retention."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from integritas.organisations.events import function_changed
from integritas.registers import selectors, services
from integritas.registers.constants import GiftKind, Outcome, Route, Status
from integritas.registers.models import PurgedRegistrationTally, Registration

from .helpers import TODAY, conflict, contract, financial, gift, side_activity

pytestmark = pytest.mark.django_db


@pytest.mark.requirement("R-GC-1")
@pytest.mark.requirement("R-AW-10")
@pytest.mark.parametrize(
    ("cents", "status"),
    [(4999, Status.NOTED), (5000, Status.NOTED), (5001, Status.PENDING)],
    ids=["just-under", "at", "just-over"],
)
def test_gift_threshold_of_fifty_euro(org, cents, status):
    registration = gift(org.employee, cents)
    assert registration.status == status
    assert registration.gift.threshold_cents == 5000
    assert registration.route == (Route.MANAGER if status == Status.PENDING else Route.NONE)


@pytest.mark.requirement("R-GC-1")
def test_gift_threshold_is_per_organisation(other):
    # Oegstgeest has set its threshold to €25: €30 needs a decision there.
    assert gift(other.employee, 2500).status == Status.NOTED
    assert gift(other.employee, 3000).status == Status.PENDING


@pytest.mark.requirement("R-GC-1")
def test_money_always_needs_a_decision(org):
    assert gift(org.employee, 500, gift_kind=GiftKind.PAYMENT).status == Status.PENDING


@pytest.mark.requirement("R-GC-2")
def test_invitations_are_asked_beforehand_whatever_their_value(org):
    registration = gift(org.employee, 1000, gift_kind=GiftKind.INVITATION, invitation_kind="dinner")
    assert registration.status == Status.PENDING
    assert registration.route == Route.MANAGER


@pytest.mark.requirement("R-AW-5")
@pytest.mark.requirement("R-AW-6")
def test_manager_decides_with_conditions_and_reasons(org):
    registration = side_activity(org.employee)
    assert registration.route == Route.MANAGER
    assert registration.decider == org.manager
    decision = services.registration_decide(
        actor=org.manager.user,
        registration=registration,
        outcome=Outcome.CONDITIONAL,
        criteria=["functioning", "relations"],
        reasons="Buiten werktijd",
        conditions="Niet tijdens werktijd",
    )
    registration.refresh_from_db()
    assert registration.status == Status.CONDITIONAL
    assert registration.conditions == "Niet tijdens werktijd"
    assert decision.criteria == ["functioning", "relations"]


@pytest.mark.requirement("R-AW-6")
def test_nobody_decides_on_their_own_registration_or_their_managers(org):
    own = side_activity(org.employee)
    with pytest.raises(PermissionDenied):
        services.registration_decide(
            actor=org.employee.user, registration=own, outcome=Outcome.APPROVED
        )
    # The manager's own registration goes to the manager's manager (the secretary) ...
    managers = side_activity(org.manager)
    assert managers.decider == org.secretary
    # ... and neither the manager nor his team member may decide on it.
    for actor in (org.manager.user, org.employee.user):
        with pytest.raises(PermissionDenied):
            services.registration_decide(
                actor=actor, registration=managers, outcome=Outcome.APPROVED
            )
    # Even were the data to name a subordinate as decider, one's own manager's is refused.
    org.manager.manager = org.secretary
    org.manager.save()
    org.secretary.manager = None
    Registration.objects.filter(pk=managers.pk).update(decider=org.employee)
    org.employee.manager = org.manager
    org.employee.save()
    managers.refresh_from_db()
    from integritas.accounts.selectors import forget_user_roles

    forget_user_roles(org.employee.user)
    assert not org.employee.user.has_perm("registers.decide", managers)


@pytest.mark.requirement("R-AW-6")
def test_the_secretarys_registrations_go_to_the_mayor(org, other):
    registration = side_activity(org.secretary)
    assert registration.route == Route.MAYOR
    assert registration.decider is None
    assert not other.mayor.has_perm("registers.decide", registration)  # another municipality
    assert not org.manager.user.has_perm("registers.decide", registration)
    assert org.mayor.has_perm("registers.decide", registration)
    services.registration_decide(
        actor=org.mayor, registration=registration, outcome=Outcome.APPROVED
    )
    registration.refresh_from_db()
    assert registration.status == Status.APPROVED


def test_gift_above_threshold_gets_a_gift_decision(org):
    registration = gift(org.employee, 7500)
    with pytest.raises(ValidationError):  # a general outcome is not a gift's
        services.registration_decide(
            actor=org.manager.user, registration=registration, outcome=Outcome.APPROVED
        )
    services.registration_decide(
        actor=org.manager.user, registration=registration, outcome=Outcome.GIFT_HAND_OVER
    )
    registration.refresh_from_db()
    assert registration.status == Status.REFUSED


@pytest.mark.requirement("R-AW-9")
def test_contract_permission_and_conflict_go_to_the_manager(org):
    for registration in (contract(org.employee), conflict(org.employee)):
        assert registration.route == Route.MANAGER
        assert registration.status == Status.PENDING
        rows, _more = selectors.queue_for(org.manager.user)
        assert registration in rows


@pytest.mark.requirement("R-AW-7")
def test_public_register_shows_only_approved_side_activities_of_designated_functions(org, other):
    published = side_activity(org.secretary, description="Voorzitter Stichting Erfgoed")
    services.registration_decide(
        actor=org.mayor, registration=published, outcome=Outcome.CONDITIONAL, conditions="Onbetaald"
    )
    director = side_activity(org.director, description="Lid raad van toezicht")
    services.registration_decide(
        actor=org.secretary.user, registration=director, outcome=Outcome.APPROVED
    )
    side_activity(org.director, description="Nog niet beslist")  # pending
    ordinary = side_activity(org.employee, description="Penningmeester buurtvereniging")
    services.registration_decide(
        actor=org.manager.user, registration=ordinary, outcome=Outcome.APPROVED
    )
    refused = side_activity(org.director, description="Geweigerd werk")
    services.registration_decide(
        actor=org.secretary.user, registration=refused, outcome=Outcome.REFUSED, reasons="Nee"
    )
    ended = side_activity(
        org.director, description="Afgelopen werk", start_date=TODAY - datetime.timedelta(days=90)
    )
    services.registration_decide(
        actor=org.secretary.user, registration=ended, outcome=Outcome.APPROVED
    )
    services.side_activity_end(
        actor=org.director.user, registration=ended, end_date=TODAY - datetime.timedelta(days=1)
    )
    financial(org.secretary)
    gift(org.secretary, 9000)

    titles = {a.registration.title for a in selectors.public_side_activities(org.organisation)}
    assert titles == {"Voorzitter Stichting Erfgoed", "Lid raad van toezicht"}
    assert selectors.public_side_activities(other.organisation) == []

    # The day the secretary leaves the designated function, she leaves the register.
    org.secretary.function = org.ordinary
    org.secretary.save()
    titles = {a.registration.title for a in selectors.public_side_activities(org.organisation)}
    assert titles == {"Lid raad van toezicht"}


@pytest.mark.requirement("R-AW-8")
def test_financial_interests_are_sealed_and_assessed_by_the_integrity_officer(org):
    registration = financial(org.secretary, "Geheim aandelenpakket XYZ")
    assert registration.route == Route.INTEGRITY_OFFICER
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT details_enc FROM registers_financialinterest WHERE registration_id = %s",
            [registration.pk],
        )
        raw = bytes(cursor.fetchone()[0])
    assert b"Geheim" not in raw and b"XYZ" not in raw
    assert registration.title == ""
    assert not org.mayor.has_perm("registers.decide", registration)
    assert org.officer.has_perm("registers.decide", registration)
    services.registration_decide(
        actor=org.officer,
        registration=registration,
        outcome=Outcome.MEASURE,
        conditions="Geen dossiers van XYZ",
    )


@pytest.mark.requirement("R-AW-8")
def test_only_designated_functions_register_financial_interests(org):
    with pytest.raises(PermissionDenied):
        financial(org.employee)
    assert not org.employee.user.has_perm("registers.register_financial")
    assert org.secretary.user.has_perm("registers.register_financial")


@pytest.mark.requirement("R-AW-6")
def test_function_change_reopens_the_assessment_and_tells_the_manager(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    registration = side_activity(org.employee)
    services.registration_decide(
        actor=org.manager.user, registration=registration, outcome=Outcome.APPROVED
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        org.employee.function = org.designated
        org.employee.save()
        function_changed.send(sender=None, employee_ids=[org.employee.pk])
    registration.refresh_from_db()
    assert registration.status == Status.PENDING
    assert registration.reassessment is True
    assert [m.to for m in mailoutbox] == [[org.manager.user.email]]
    assert "Voetbal" not in mailoutbox[0].body


def test_decision_mail_carries_a_link_and_no_content(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    registration = side_activity(org.employee, description="Geheime hobby")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(
            actor=org.manager.user, registration=registration, outcome=Outcome.APPROVED
        )
    assert [m.to for m in mailoutbox] == [[org.employee.user.email]]
    assert "Geheime" not in mailoutbox[0].body
    assert f"/registraties/{registration.pk}/" in mailoutbox[0].body


@pytest.mark.requirement("R-DP-2")
def test_registrations_are_purged_two_years_after_employment_ends(org):
    kept = side_activity(org.colleague)
    gone = side_activity(org.employee)
    org.employee.start_date = org.colleague.start_date = datetime.date(2015, 1, 1)
    org.employee.end_date = TODAY - datetime.timedelta(days=2 * 365 + 2)
    org.employee.save()
    org.colleague.end_date = TODAY - datetime.timedelta(days=2 * 365 - 2)
    org.colleague.save()
    assert services.purge_expired_registrations(dry_run=True).count == 1
    assert services.purge_expired_registrations().count == 1
    assert services.purge_expired_registrations().count == 0  # idempotent
    assert not Registration.objects.filter(pk=gone.pk).exists()
    assert Registration.objects.filter(pk=kept.pk).exists()
    assert PurgedRegistrationTally.objects.get(organisation=org.organisation).count == 1

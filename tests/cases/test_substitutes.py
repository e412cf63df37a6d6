"""Substitutes for an involved coordinator, integrity officer or secretary (seed 5.2).

Designating one gives access to case content, so it follows the four-eyes rule of the
content roles: one administrator designates, a second approves (R-BIO-2, DESIGN §2).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.audit.constants import Result
from integritas.audit.models import AuditEvent
from integritas.cases import selectors, services
from integritas.cases.constants import SubstituteRole
from integritas.cases.models import Substitute
from integritas.organisations.models import Employee
from integritas.portal.navigation import navigation_for
from tests.conftest import login_with_second_factor
from tests.factories import ALL_ASSIGNABLE_ROLES

from .factories import submit_case, substitute_designate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(make_user, organisation):
    return make_user(Role.ADMINISTRATOR, organisation), make_user(Role.ADMINISTRATOR, organisation)


def _visible(user, case) -> bool:
    return selectors.cases_visible_to(user).filter(pk=case.pk).exists()


def _case_involving(make_user, organisation, person, *, awaiting_approval=False):
    """A case naming `person`; with `awaiting_approval`, at the secretary's step."""
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    case = submit_case(organisation).case
    services.case_link_involved(
        actor=coordinator,
        case=case,
        employee=Employee.objects.get(user=person),
        description="betrokken",
    )
    for step in ("acknowledge", "request_approval") if awaiting_approval else ():
        case = services.case_transition(actor=coordinator, case=case, name=step)
    return case


@pytest.mark.requirement("R-WBK-7")
def test_pending_substitute_gets_no_access_until_a_second_admin_approves(
    admins, make_user, organisation
):
    first, second = admins
    secretary = make_user(Role.SECRETARY, organisation)
    loco = make_user(None, organisation)
    substitute = services.substitute_request(
        actor=first, organisation=organisation, replaces_role=SubstituteRole.SECRETARY, user=loco
    )
    assert substitute.status == AssignmentStatus.PENDING

    case = _case_involving(make_user, organisation, secretary, awaiting_approval=True)
    assert not _visible(loco, case)  # pending: no access
    assert not _visible(secretary, case)

    services.substitute_decide(actor=second, substitute=substitute, approve=True)
    substitute.refresh_from_db()
    assert substitute.status == AssignmentStatus.ACTIVE
    assert substitute.decided_by == second

    case = _case_involving(make_user, organisation, secretary)
    # R-WBK-7: like the secretary, the substitute sees the case from the approval step on.
    assert not _visible(loco, case)
    case = _case_involving(make_user, organisation, secretary, awaiting_approval=True)
    assert _visible(loco, case)  # the substitute handles it
    assert not _visible(secretary, case)  # the involved secretary never sees it


def test_requester_and_designated_user_cannot_approve(admins, make_user, organisation):
    first, second = admins
    substitute = services.substitute_request(
        actor=first,
        organisation=organisation,
        replaces_role=SubstituteRole.INTEGRITY_COORDINATOR,
        user=second,
    )
    with pytest.raises(PermissionDenied):
        services.substitute_decide(actor=first, substitute=substitute, approve=True)
    with pytest.raises(PermissionDenied):
        services.substitute_decide(actor=second, substitute=substitute, approve=True)
    substitute.refresh_from_db()
    assert substitute.status == AssignmentStatus.PENDING
    denied = AuditEvent.objects.filter(action="substitute.approve", result=Result.DENIED)
    assert denied.count() == 2


def test_database_refuses_a_decision_by_the_requester(admins, organisation, make_user):
    first, _second = admins
    with pytest.raises(IntegrityError), transaction.atomic():
        Substitute.objects.create(
            organisation=organisation,
            replaces_role=SubstituteRole.SECRETARY,
            user=make_user(None, organisation),
            status=AssignmentStatus.ACTIVE,
            requested_by=first,
            decided_by=first,
            decided_at=timezone.now(),
        )


def test_no_self_designation_and_no_duplicate(admins, make_user, organisation):
    first, _second = admins
    with pytest.raises(PermissionDenied):
        services.substitute_request(
            actor=first,
            organisation=organisation,
            replaces_role=SubstituteRole.SECRETARY,
            user=first,
        )
    loco = make_user(None, organisation)
    services.substitute_request(
        actor=first, organisation=organisation, replaces_role=SubstituteRole.SECRETARY, user=loco
    )
    with pytest.raises(ValidationError):
        services.substitute_request(
            actor=first,
            organisation=organisation,
            replaces_role=SubstituteRole.SECRETARY,
            user=loco,
        )


def test_organisation_admin_cannot_designate_elsewhere(
    admins, make_user, organisation, other_organisation
):
    first, _second = admins
    foreign = make_user(None, other_organisation)
    with pytest.raises(PermissionDenied):
        services.substitute_request(
            actor=first,
            organisation=other_organisation,
            replaces_role=SubstituteRole.SECRETARY,
            user=foreign,
        )
    denied = AuditEvent.objects.get(action="substitute.request", result=Result.DENIED)
    assert denied.actor == first

    # Through the page: the other organisation is not offered, its designations are 404.
    client = login_with_second_factor(Client(), first)
    response = client.post(
        reverse("substitutes:create"),
        {
            "organisation": other_organisation.pk,
            "replaces_role": SubstituteRole.SECRETARY,
            "user": foreign.pk,
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not Substitute.objects.filter(organisation=other_organisation).exists()
    other_admins = (
        make_user(Role.ADMINISTRATOR, other_organisation),
        make_user(Role.ADMINISTRATOR, other_organisation),
    )
    theirs = services.substitute_request(
        actor=other_admins[0],
        organisation=other_organisation,
        replaces_role=SubstituteRole.SECRETARY,
        user=foreign,
    )
    for name in ("substitutes:decide", "substitutes:revoke"):
        url = reverse(name, args=[theirs.pk])
        assert client.post(url, {"decision": "approve"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AssignmentStatus.PENDING
    assert "Oegstgeest" not in client.get(reverse("substitutes:list")).content.decode()


def test_form_only_accepts_a_user_of_the_chosen_organisation(
    admins, make_user, organisation, other_organisation
):
    first, _second = admins
    # A user with an employee record elsewhere but an administered role here.
    outsider = make_user(None, other_organisation)
    client = login_with_second_factor(Client(), first)
    response = client.post(
        reverse("substitutes:create"),
        {
            "organisation": organisation.pk,
            "replaces_role": SubstituteRole.SECRETARY,
            "user": outsider.pk,
        },
    )
    assert response.status_code == 200
    assert not Substitute.objects.exists()


def test_designate_approve_and_revoke_through_the_pages(admins, make_user, organisation):
    first, second = admins
    secretary = make_user(Role.SECRETARY, organisation)
    loco = make_user(None, organisation)
    one = login_with_second_factor(Client(), first)
    two = login_with_second_factor(Client(), second)

    response = one.post(
        reverse("substitutes:create"),
        {
            "organisation": organisation.pk,
            "replaces_role": SubstituteRole.SECRETARY,
            "user": loco.pk,
        },
    )
    assert response.status_code == 302
    substitute = Substitute.objects.get()
    assert substitute.status == AssignmentStatus.PENDING
    assert substitute.requested_by == first

    # The requester cannot approve through the page either.
    with pytest.raises(PermissionDenied):
        services.substitute_decide(actor=first, substitute=substitute, approve=True)
    assert (
        one.post(
            reverse("substitutes:decide", args=[substitute.pk]), {"decision": "approve"}
        ).status_code
        == 403
    )
    listing = two.get(reverse("substitutes:list")).content.decode()
    assert reverse("substitutes:decide", args=[substitute.pk]) in listing
    response = two.post(
        reverse("substitutes:decide", args=[substitute.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    substitute.refresh_from_db()
    assert substitute.status == AssignmentStatus.ACTIVE

    case = _case_involving(make_user, organisation, secretary, awaiting_approval=True)
    assert _visible(loco, case)

    response = one.post(reverse("substitutes:revoke", args=[substitute.pk]))
    assert response.status_code == 302
    substitute.refresh_from_db()
    assert substitute.status == AssignmentStatus.REVOKED
    # Revoked: the substitute loses the case and new cases no longer go to them.
    assert not _visible(loco, case)
    later = _case_involving(make_user, organisation, secretary, awaiting_approval=True)
    assert not _visible(loco, later)


def test_rejected_substitute_gets_nothing(admins, make_user, organisation):
    first, second = admins
    secretary = make_user(Role.SECRETARY, organisation)
    loco = make_user(None, organisation)
    substitute = services.substitute_request(
        actor=first, organisation=organisation, replaces_role=SubstituteRole.SECRETARY, user=loco
    )
    services.substitute_decide(actor=second, substitute=substitute, approve=False)
    substitute.refresh_from_db()
    assert substitute.status == AssignmentStatus.REJECTED
    case = _case_involving(make_user, organisation, secretary, awaiting_approval=True)
    assert not _visible(loco, case)


@pytest.mark.requirement("R-BIO-2")
def test_every_step_is_audited_without_names(admins, make_user, organisation):
    first, second = admins
    loco = make_user(None, organisation)
    substitute = services.substitute_request(
        actor=first, organisation=organisation, replaces_role=SubstituteRole.SECRETARY, user=loco
    )
    services.substitute_decide(actor=second, substitute=substitute, approve=True)
    services.substitute_revoke(actor=first, substitute=substitute)
    events = AuditEvent.objects.filter(object_type="cases.substitute").order_by("sequence")
    assert [(e.action, e.actor, e.result) for e in events] == [
        ("substitute.request", first, Result.SUCCESS),
        ("substitute.approve", second, Result.SUCCESS),
        ("substitute.revoke", first, Result.SUCCESS),
    ]
    assert all(e.object_id == str(substitute.pk) for e in events)
    assert all(e.organisation_id == organisation.pk for e in events)


@pytest.mark.parametrize("role", [None, *ALL_ASSIGNABLE_ROLES], ids=lambda r: r or "employee")
def test_page_access_per_role(client_for, organisation, role):
    client = client_for(role, organisation)
    expected = 200 if role == Role.ADMINISTRATOR else 403
    assert client.get(reverse("substitutes:list")).status_code == expected
    assert client.get(reverse("substitutes:create")).status_code == expected


def test_navigation_shows_substitutes_to_administrators_only(make_user, organisation):
    admin = make_user(Role.ADMINISTRATOR, organisation)
    secretary = make_user(Role.SECRETARY, organisation)
    assert "substitutes:list" in [i.url_name for i in navigation_for(admin)]
    assert "substitutes:list" not in [i.url_name for i in navigation_for(secretary)]


def _recipients(mailoutbox, subject: str) -> set[str]:
    return {address for m in mailoutbox if m.subject == subject for address in m.to}


@pytest.mark.requirement("R-WBK-7")
def test_approval_notice_goes_to_the_substitute_not_the_secretary_concerned(
    admins, make_user, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    # Seed 5.2, R-WBK-7: the person concerned cannot handle the case, nor hear about it.
    secretary = make_user(Role.SECRETARY, organisation)
    loco = make_user(None, organisation)
    substitute_designate(admins, organisation, SubstituteRole.SECRETARY, loco)
    with django_capture_on_commit_callbacks(execute=True):
        _case_involving(make_user, organisation, secretary, awaiting_approval=True)
    assert _recipients(mailoutbox, "Besluit gevraagd over een melding") == {loco.email}


def test_reply_notice_skips_the_coordinator_concerned(
    admins, make_user, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    concerned = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    loco = make_user(None, organisation)
    substitute_designate(admins, organisation, SubstituteRole.INTEGRITY_COORDINATOR, loco)
    case = _case_involving(make_user, organisation, concerned, awaiting_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reporter_reply(case=case, body="aanvulling")
    recipients = _recipients(mailoutbox, "Nieuw bericht van een melder")
    assert loco.email in recipients and concerned.email not in recipients
    # The coordinator who linked the person concerned still hears about it.
    assert len(recipients) == 2

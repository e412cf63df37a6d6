"""Role x page matrix of the case handlers' pages (R-WBK-7, R-DP-3, R-BIO-1, R-LR-2).

Only the coordinator, the assigned investigators and — from the approval step on — the
secretary of the organisation concerned see a case; anyone else gets 404 for the case and
all its actions (its existence stays hidden), and 403 for pages of a role they lack. Someone
who sees a case but may not take an action gets 403. Every test runs with a case at three
stages: triage (before the approval step), awaiting approval, and reported to the secretary.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.audit.models import AuditEvent
from integritas.cases import services
from integritas.cases.constants import IdentityMode, Status
from integritas.cases.models import Case, CaseHandler
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, OrgUnitFactory, grant

from .factories import complete_investigation, submit_case

SECRET = "Matrix-inhoud-5c1e"
IDENTITY = "Matrix Melder"

STAGES = {
    "triage": ["acknowledge"],
    "awaiting_approval": ["acknowledge", "request_approval"],
    "reported_to_secretary": [
        "acknowledge",
        "request_approval",
        "approve_investigation",
        "report_to_secretary",
    ],
}
# The step each stage offers: request_approval (coordinator), approve (secretary), none.
STEP_FOR_STAGE = {
    "triage": "request_approval",
    "awaiting_approval": "approve_investigation",
    "reported_to_secretary": "decide",
}

HANDLE, DECIDE, NOTE, IDENTITY_CAP = "handle", "decide", "note", "identity"
INVESTIGATE = "investigate"
INVESTIGATION_ACTIONS = ("investigation", "evidence", "subject_informed")


@dataclass(frozen=True)
class Actor:
    """What an actor is to the case: case worker at all, when they see it, what they may."""

    name: str
    inbox: bool = False
    sees: Callable[[str], bool] = lambda stage: False
    caps: frozenset[str] = frozenset()
    record: bool = False
    figures: bool = False


PLAIN_ROLES = [
    Role.HRM,
    Role.CONFIDENTIAL_COUNSELLOR,
    Role.CENTRAL_COUNSELLOR,
    Role.MANAGEMENT_BOARD,
    Role.WORKS_COUNCIL,
    Role.WORKING_GROUP,
    Role.ADMINISTRATOR,
]

ACTORS = [
    Actor("employee"),
    Actor("manager", record=True),
    *[Actor(str(role)) for role in PLAIN_ROLES],
    Actor("integrity_officer", figures=True),
    Actor(
        "coordinator",
        inbox=True,
        sees=lambda stage: True,
        caps=frozenset({HANDLE, NOTE, IDENTITY_CAP, INVESTIGATE}),
        record=True,
    ),
    Actor("involved_coordinator", inbox=True, record=True),
    Actor(
        "assigned_investigator",
        inbox=True,
        sees=lambda stage: True,
        caps=frozenset({NOTE, INVESTIGATE}),
    ),
    Actor("unassigned_investigator", inbox=True),
    Actor(
        "secretary",
        inbox=True,
        sees=lambda stage: stage != "triage",
        caps=frozenset({DECIDE, NOTE}),
    ),
    Actor("other_secretary", inbox=True),
]


@dataclass
class World:
    organisation: Any
    other_organisation: Any
    owner: User  # the coordinator who moves the case along
    secretary: User
    spare_investigator: User
    spare_employee: Any
    actor_user: User
    actor: Actor
    extra: dict[str, Any] = field(default_factory=dict)


def _actor_user(actor: Actor, make_user: Any, organisation: Any, other_organisation: Any) -> User:
    name = actor.name
    if name == "employee":
        return make_user(None, organisation)
    if name == "manager":
        employee = EmployeeFactory(organisation=organisation)
        OrgUnitFactory(organisation=organisation).managers.add(employee)
        return employee.user
    if name in ("coordinator", "involved_coordinator"):
        return make_user(Role.INTEGRITY_COORDINATOR, organisation)
    if name in ("assigned_investigator", "unassigned_investigator"):
        return make_user(Role.INVESTIGATOR, organisation)
    if name == "other_secretary":
        return make_user(Role.SECRETARY, other_organisation)
    if name == "integrity_officer":
        return make_user(Role.INTEGRITY_OFFICER, organisation)
    return make_user(name, organisation)


def _new_case(world: World, stage: str) -> Case:
    case = submit_case(
        world.organisation,
        description=f"{SECRET} beschrijving",
        identity_mode=IdentityMode.CONFIDENTIAL,
        identity={"name": IDENTITY},
        involved=["Iemand van Financiën"],
        cheap_receipt=True,
    ).case
    for step in STAGES[stage]:
        actor = world.secretary if step == "approve_investigation" else world.owner
        if world.actor.name == "secretary" and step == "approve_investigation":
            actor = world.actor_user
        if step == "report_to_secretary":
            complete_investigation(case, world.owner)
        case = services.case_transition(actor=actor, case=case, name=step)
    if world.actor.name == "assigned_investigator":
        services.case_assign_investigator(actor=world.owner, case=case, user=world.actor_user)
    if world.actor.name == "involved_coordinator":
        services.case_link_involved(
            actor=world.owner, case=case, employee=world.actor_user.employee, description="x"
        )
    return case


def _action_data(world: World, stage: str) -> dict[str, dict[str, Any]]:
    return {
        "assess": {"assess-category": "2", "assess-is_possible_offence": "on"},
        "assign": {"assign-investigator": world.spare_investigator.pk},
        "involved": {
            "involved-employee": world.spare_employee.pk,
            "involved-description": "betrokken",
        },
        "aangifte": {"aangifte-decision": "no"},
        "referral": {"referral-body": "huis", "referral-referred_on": "2026-03-01"},
        "message": {"message-body": "Bericht"},
        "note": {"note-body": "Notitie"},
        "protection": {
            "protection-occurred_on": "2026-03-01",
            "protection-measure": "Andere werkplek",
            "protection-reason": "Op eigen verzoek",
        },
        "reveal_identity": {"reveal-reason": "Nodig voor het vervolg."},
        "disclose": {
            "disclose-recipient_kind": "external",
            "disclose-recipient": "Openbaar Ministerie",
            "disclose-ground": "legal_duty",
            "disclose-reason": "Vordering in een strafzaak.",
            "disclose-notice_to_reporter": "Wij moeten uw naam aan het OM geven, omdat ...",
        },
        "legal_hold": {"legal_hold-hold": "on"},
        "decision": {"decision-finding": "founded", "decision-measures": ["conversation"]},
        "investigation": {
            "investigation-kind": "plan",
            "investigation-occurred_on": "2026-03-01",
            "investigation-body": "Plan van aanpak",
        },
        "evidence": {"evidence-description": "USB-stick", "evidence-sha256": "a" * 64},
        "subject_informed": {"subject-deferred_reason": "Zou het onderzoek schaden."},
        "transition": {"name": STEP_FOR_STAGE[stage]},
    }


NEEDS = {
    "assess": {HANDLE},
    "assign": {HANDLE},
    "involved": {HANDLE},
    "referral": {HANDLE},
    "message": {HANDLE},
    "protection": {HANDLE},
    "aangifte": {HANDLE, DECIDE},  # either
    "note": {NOTE},
    "reveal_identity": {IDENTITY_CAP},
    "disclose": {IDENTITY_CAP},
    "legal_hold": {HANDLE},
    "decision": {DECIDE},
    **{action: {INVESTIGATE} for action in INVESTIGATION_ACTIONS},
}


def _expected_action(actor: Actor, stage: str, action: str) -> int:
    if not actor.sees(stage):
        return 404
    if action == "transition":
        need = (
            {DECIDE} if STEP_FOR_STAGE[stage] in ("approve_investigation", "decide") else {HANDLE}
        )
    else:
        need = NEEDS[action]
    if not need & actor.caps:
        return 403
    if action == "reveal_identity":
        return 200  # the identity is shown in the response itself, once
    if action == "decision" and stage != "reported_to_secretary":
        return 200  # refused on the page: a decision follows the investigation report
    if action in INVESTIGATION_ACTIONS and stage != "reported_to_secretary":
        return 200  # refused on the page: only during the investigation
    if action == "transition" and STEP_FOR_STAGE[stage] == "decide":
        return 200  # "decide" needs the decision form first
    return 302


ACTIONS = [
    "assess",
    "assign",
    "involved",
    "decision",
    "aangifte",
    "referral",
    "message",
    "note",
    "protection",
    "reveal_identity",
    "disclose",
    "legal_hold",
    *INVESTIGATION_ACTIONS,
    "transition",
]


@pytest.fixture
def world_for(make_user, organisation, other_organisation) -> Callable[[Actor], World]:
    def build(actor: Actor) -> World:
        spare = EmployeeFactory(organisation=organisation, user=None)
        return World(
            organisation=organisation,
            other_organisation=other_organisation,
            owner=make_user(Role.INTEGRITY_COORDINATOR, organisation),
            secretary=make_user(Role.SECRETARY, organisation),
            spare_investigator=make_user(Role.INVESTIGATOR, organisation),
            spare_employee=spare,
            actor_user=_actor_user(actor, make_user, organisation, other_organisation),
            actor=actor,
        )

    return build


@pytest.mark.requirement("R-WBK-7", "R-DP-3", "R-BIO-1", "R-LR-2")
@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.name)
def test_case_pages_per_role(world_for, actor: Actor, stage: str) -> None:
    world = world_for(actor)
    client = login_with_second_factor(Client(), world.actor_user)
    got: dict[str, int] = {}
    expected: dict[str, int] = {}
    bodies: list[str] = []

    inbox = client.get(reverse("cases:inbox"))
    got["inbox"], expected["inbox"] = inbox.status_code, 200 if actor.inbox else 403
    bodies.append(inbox.content.decode())
    got["record"] = client.get(reverse("cases:record")).status_code
    expected["record"] = 200 if actor.record else 403
    figures = client.get(reverse("cases:figures"))
    got["figures"], expected["figures"] = figures.status_code, 200 if actor.figures else 403
    bodies.append(figures.content.decode())

    case = _new_case(world, stage)
    reads = AuditEvent.objects.filter(action="case.read", actor=world.actor_user)
    before = reads.count()
    page = client.get(reverse("cases:case_detail", args=[case.case_number]))
    got["case_detail"] = page.status_code
    expected["case_detail"] = 200 if actor.sees(stage) else 404
    if page.status_code == 200:
        # R-BIO-1: every view of case content leaves an audit event.
        assert reads.count() == before + 1
        assert SECRET in page.content.decode()
    else:
        assert reads.count() == before
        bodies.append(page.content.decode())

    # The page about the reporter (identity, consent, protection log) is the coordinator's.
    reporter_reads = AuditEvent.objects.filter(action="case.reporter.read", actor=world.actor_user)
    reporter_page = client.get(reverse("cases:reporter", args=[case.case_number]))
    got["reporter"] = reporter_page.status_code
    expected["reporter"] = (
        404 if not actor.sees(stage) else 200 if IDENTITY_CAP in actor.caps else 403
    )
    assert reporter_reads.count() == (1 if reporter_page.status_code == 200 else 0)
    assert IDENTITY not in reporter_page.content.decode()  # only after a reveal with reason
    if not actor.sees(stage):
        bodies.append(reporter_page.content.decode())

    for action in ACTIONS:
        if actor.sees(stage):  # a fresh case per action; the others all get 404 anyway
            case = _new_case(world, stage)
        data = _action_data(world, stage)[action]
        response = client.post(reverse(f"cases:{action}", args=[case.case_number]), data)
        got[action] = response.status_code
        expected[action] = _expected_action(actor, stage, action)
        if not actor.sees(stage):
            bodies.append(response.content.decode())
        # R-WBK-7: only the coordinator ever gets the reporter's identity, and only on reveal.
        if action != "reveal_identity" or IDENTITY_CAP not in actor.caps:
            assert IDENTITY not in response.content.decode(), action

    assert got == expected
    # Those who may not see the case get none of its content, anywhere.
    for body in bodies:
        assert SECRET not in body and IDENTITY not in body


@pytest.mark.requirement("R-DP-3")
@pytest.mark.parametrize("stage", list(STAGES))
@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a.name)
def test_inbox_lists_only_visible_cases(world_for, actor: Actor, stage: str) -> None:
    world = world_for(actor)
    case = _new_case(world, stage)
    client = login_with_second_factor(Client(), world.actor_user)
    response = client.get(reverse("cases:inbox"))
    if not actor.inbox:
        assert response.status_code == 403
        return
    assert (case.case_number in response.content.decode()) == actor.sees(stage)
    assert SECRET not in response.content.decode()


@pytest.mark.requirement("R-WBK-7", "R-DP-3")
def test_involved_investigator_loses_the_case_and_cannot_be_reassigned(
    make_user, organisation
) -> None:
    # R-WBK-7, R-DP-3: linking an assigned investigator as involved ends their access.
    owner = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    investigator = make_user(Role.INVESTIGATOR, organisation)
    case = submit_case(organisation, description=SECRET, cheap_receipt=True).case
    services.case_assign_investigator(actor=owner, case=case, user=investigator)
    client = login_with_second_factor(Client(), investigator)
    url = reverse("cases:case_detail", args=[case.case_number])
    assert client.get(url).status_code == 200
    services.case_link_involved(
        actor=owner, case=case, employee=investigator.employee, description="betrokken"
    )
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("cases:note", args=[case.case_number]), {"note-body": "x"}).status_code
        == 404
    )
    owner_client = login_with_second_factor(Client(), owner)
    response = owner_client.post(
        reverse("cases:assign", args=[case.case_number]), {"assign-investigator": investigator.pk}
    )
    assert response.status_code == 200
    assert not CaseHandler.objects.filter(case=case, user=investigator, active=True).exists()


def test_secretary_keeps_sight_after_rejecting_the_investigation(make_user, organisation) -> None:
    owner = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    secretary = make_user(Role.SECRETARY, organisation)
    case = submit_case(organisation, description=SECRET, cheap_receipt=True).case
    for step in ("acknowledge", "request_approval"):
        case = services.case_transition(actor=owner, case=case, name=step)
    client = login_with_second_factor(Client(), secretary)
    response = client.post(
        reverse("cases:transition", args=[case.case_number]), {"name": "reject_investigation"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.TRIAGE
    assert client.get(reverse("cases:case_detail", args=[case.case_number])).status_code == 200


def test_regional_investigator_of_the_region_can_be_assigned(make_user, organisation) -> None:
    owner = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    regional = make_user(None, organisation)
    grant(regional, Role.INVESTIGATOR, None)  # regional scope
    case = submit_case(organisation, description=SECRET, cheap_receipt=True).case
    client = login_with_second_factor(Client(), owner)
    response = client.post(
        reverse("cases:assign", args=[case.case_number]), {"assign-investigator": regional.pk}
    )
    assert response.status_code == 302

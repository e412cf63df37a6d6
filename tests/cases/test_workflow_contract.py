"""The workflow table owns its contract (DESIGN §4, R-LR-2, R-WBK-7).

Every status x every transition x every role goes through the transition service. What
the table allows (the status is a source, the actor holds the transition's role) happens
exactly as declared: the target status, the stamps, one status-change row, the audit event
and the notices in the queue. Everything else is refused with PermissionDenied or
ValidationError and changes nothing: not the case, not its history, not the audit log,
not the queue.
"""

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from integritas.accounts.constants import Role
from integritas.accounts.models import User
from integritas.audit.models import AuditEvent
from integritas.cases import services
from integritas.cases.constants import (
    CLOSED_STATUSES,
    DECISION_STATUSES,
    INVESTIGATION_STATUSES,
    SECRETARY_STATUSES,
    Finding,
    Status,
    SubstituteRole,
)
from integritas.cases.handling import services as handling_services
from integritas.cases.handling.actions import HANDLING_ACTIONS
from integritas.cases.handling.views import TRANSITION_LABELS
from integritas.cases.models import Case, CaseStatusChange
from integritas.cases.workflow import (
    SECRETARY_TASK_STATUSES,
    TRANSITIONS,
    Stamp,
    Transition,
    feedback_given,
)
from integritas.organisations.models import Employee
from tests.factories import EmployeeFactory, OrganisationFactory, OrgUnitFactory, RegionFactory

from .factories import complete_investigation, submit_case, substitute_designate

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Who takes a transition declared for each role: its holders and their substitutes.
PERFORMERS = {
    Role.INTEGRITY_COORDINATOR: {"integrity_coordinator", "coordinator_substitute"},
    Role.SECRETARY: {"secretary", "secretary_substitute"},
}
# Besides one holder of every role: those a case singles out (assigned, named as involved,
# standing in for someone involved) and holders of a role elsewhere.
OTHER_ACTORS = (
    "manager",
    "assigned_investigator",
    "involved_coordinator",
    "coordinator_substitute",
    "involved_secretary",
    "secretary_substitute",
    "other_coordinator",
    "other_secretary",
)
ACTORS = [str(role) for role in Role] + list(OTHER_ACTORS)


def _paths() -> dict[str, list[Transition]]:
    """The shortest walk of the table from a new report to every status."""
    paths: dict[str, list[Transition]] = {Status.RECEIVED: []}
    todo = deque([Status.RECEIVED.value])
    while todo:
        status = todo.popleft()
        for transition in TRANSITIONS.values():
            if status in transition.sources and transition.target not in paths:
                paths[transition.target] = [*paths[status], transition]
                todo.append(transition.target)
    return paths


PATHS = _paths()


# --- the table agrees with itself and with the status sets -----------------------------


def _lookups(condition: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for child in condition.children:
        found.update(_lookups(child) if isinstance(child, Q) else dict([child]))
    return found


def test_every_status_is_reachable_and_only_the_closed_ones_are_final():
    assert set(PATHS) == set(Status)
    left = {status for t in TRANSITIONS.values() for status in t.sources}
    assert set(Status) - left == CLOSED_STATUSES
    # The database's own rule on closed cases names the same statuses.
    constraint = next(c for c in Case._meta.constraints if c.name == "case_closed_needs_feedback")
    assert set(_lookups(constraint.condition)["status__in"]) == CLOSED_STATUSES


@pytest.mark.requirement("R-WBK-4")
def test_closing_needs_feedback_and_stamps_the_closing():
    # The database refuses a closed case without feedback (case_closed_needs_feedback):
    # every transition into a closed status guards for it and stamps the closing.
    for transition in TRANSITIONS.values():
        stamped = dict(transition.stamps)
        closes = transition.target in CLOSED_STATUSES
        assert (feedback_given in transition.guards) == closes, transition.name
        assert (stamped.get("closed_at") is Stamp.NOW) == closes, transition.name
        assert (stamped.get("retain_until") is Stamp.RETENTION_END) == closes, transition.name


@pytest.mark.requirement("R-WBK-7", "R-LR-2")
def test_the_status_sets_follow_the_table():
    t = TRANSITIONS
    secretary_steps = [x for x in t.values() if x.role == Role.SECRETARY]
    assert {s for x in secretary_steps for s in x.sources} == SECRETARY_TASK_STATUSES
    assert {Status.AWAITING_APPROVAL, Status.REPORTED_TO_SECRETARY} == SECRETARY_TASK_STATUSES
    # The secretary sees the case wherever a step of theirs waits (R-WBK-7).
    assert SECRETARY_TASK_STATUSES <= SECRETARY_STATUSES
    assert {
        t["approve_investigation"].target,
        t["report_to_secretary"].target,
    } == INVESTIGATION_STATUSES
    assert {
        t["request_approval"].target,
        *INVESTIGATION_STATUSES,
        t["decide"].target,
    } == SECRETARY_STATUSES
    # The case page's decision section: from the report on, through the decision's close.
    assert {*t["decide"].sources, t["decide"].target, t["close"].target} == DECISION_STATUSES


def test_every_transition_names_a_registered_permission_a_label_and_its_form():
    for transition in TRANSITIONS.values():
        assert rules.perm_exists(transition.permission), transition.name
        assert transition.role in PERFORMERS, transition.name
        assert transition.name in TRANSITION_LABELS
        assert not transition.form or transition.form in HANDLING_ACTIONS
        for field, _stamp in transition.stamps:
            Case._meta.get_field(field)


# --- every status x transition x role through the service ------------------------------


@dataclass
class World:
    organisation: Any
    owner: User  # the coordinator who walks the case along
    approver: User  # the secretary on the walk
    actors: dict[str, User]


@pytest.fixture
def world(make_user, organisation, other_organisation) -> World:
    # Employee is no assignment: every user with an employee record is one.
    actors: dict[str, User] = {
        str(role): make_user(None if role == Role.EMPLOYEE else role, organisation) for role in Role
    }
    manager = EmployeeFactory(organisation=organisation)
    OrgUnitFactory(organisation=organisation).managers.add(manager)
    actors["manager"] = manager.user
    actors["assigned_investigator"] = make_user(Role.INVESTIGATOR, organisation)
    actors["involved_coordinator"] = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    actors["involved_secretary"] = make_user(Role.SECRETARY, organisation)
    # The coordinator's role is regional: the other region's coordinator is no one here.
    elsewhere = OrganisationFactory(region=RegionFactory(slug="elders", name="Elders"))
    actors["other_coordinator"] = make_user(Role.INTEGRITY_COORDINATOR, elsewhere)
    actors["other_secretary"] = make_user(Role.SECRETARY, other_organisation)
    admins = (make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR))
    for name, role in (
        ("coordinator_substitute", SubstituteRole.INTEGRITY_COORDINATOR),
        ("secretary_substitute", SubstituteRole.SECRETARY),
    ):
        actors[name] = make_user(None, organisation)
        substitute_designate(admins, organisation, role, actors[name])
    assert set(actors) == set(ACTORS)
    return World(
        organisation=organisation,
        owner=make_user(Role.INTEGRITY_COORDINATOR, organisation),
        approver=make_user(Role.SECRETARY, organisation),
        actors=actors,
    )


def _take(actor: Any, case: Case, transition: Transition) -> Case:
    """The service a user calls for this step: the decision form runs 'decide'."""
    if transition.form == "decision":
        return services.case_record_decision(
            actor=actor, case=case, finding=Finding.FOUNDED, measures=["conversation"]
        )
    return services.case_transition(actor=actor, case=case, name=transition.name)


def _case_at(world: World, status: str) -> Case:
    """A case walked along the table to `status`, every guard of the next steps met:
    feedback given, the investigation complete, substitutes and an investigator on it."""
    case = submit_case(world.organisation, cheap_receipt=True).case
    owner = world.owner
    services.case_message_to_reporter(actor=owner, case=case, body="Stand.", is_feedback=True)
    services.case_assign_investigator(
        actor=owner, case=case, user=world.actors["assigned_investigator"]
    )
    for name in ("involved_coordinator", "involved_secretary"):
        employee = Employee.objects.get(user=world.actors[name])
        services.case_link_involved(actor=owner, case=case, employee=employee, description="x")
    for transition in PATHS[status]:
        performer = owner if transition.role == Role.INTEGRITY_COORDINATOR else world.approver
        case = _take(performer, case, transition)
        if case.status == Status.INVESTIGATION:
            complete_investigation(case, owner)
    assert case.status == status
    return case


def _state(case: Case) -> tuple[Any, ...]:
    return (
        Case.objects.filter(pk=case.pk).values().get(),
        list(CaseStatusChange.objects.filter(case=case).values_list("pk", flat=True)),
        AuditEvent.objects.count(),
        DBTaskResult.objects.count(),
    )


def _allowed_by_table(actor: str, status: str, transition: Transition) -> bool:
    return status in transition.sources and actor in PERFORMERS[transition.role]


@pytest.mark.requirement("R-LR-2", "R-WBK-7")
@override_settings(TASKS=DATABASE_QUEUE)
@pytest.mark.parametrize("status", list(Status))
def test_the_service_does_exactly_what_the_table_says(world: World, status: str) -> None:
    case = _case_at(world, status)
    before = _state(case)
    allowed: list[tuple[str, str]] = []
    for transition in TRANSITIONS.values():
        for name in ACTORS:
            user = world.actors[name]
            if not _allowed_by_table(name, status, transition):
                with pytest.raises((PermissionDenied, ValidationError)):
                    _take(user, case, transition)
                assert _state(case) == before, (name, transition.name)
                continue
            allowed.append((name, transition.name))
            with transaction.atomic():
                _check_taken(user, case, transition)
                transaction.set_rollback(True)
            assert _state(case) == before
    # The walk does take steps: every status but the final ones offers some.
    assert bool(allowed) == (status not in CLOSED_STATUSES)


def _check_taken(user: User, case: Case, transition: Transition) -> None:
    status = case.status
    queued = set(DBTaskResult.objects.values_list("pk", flat=True))
    history = set(CaseStatusChange.objects.filter(case=case).values_list("pk", flat=True))
    audit_max = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    taken = _take(user, case, transition)
    taken.refresh_from_db()
    assert taken.status == transition.target
    change = CaseStatusChange.objects.filter(case=case).exclude(pk__in=history).get()
    assert (change.from_status, change.to_status, change.transition, change.actor) == (
        status,
        transition.target,
        transition.name,
        user,
    )
    for field, stamp in transition.stamps:
        value = getattr(taken, field)
        assert value == user if stamp is Stamp.ACTOR else value is not None, field
    events = AuditEvent.objects.filter(pk__gt=audit_max or 0, action=f"case.{transition.name}")
    assert [(e.actor_id, e.actor_role) for e in events] == [(user.pk, transition.role)]
    notices = DBTaskResult.objects.exclude(pk__in=queued)
    assert sorted(n.task_path for n in notices) == sorted(n.module_path for n in transition.notices)
    assert all(n.args_kwargs == {"args": [case.pk], "kwargs": {}} for n in notices)


# --- the guards, and the decision with its step ----------------------------------------


@pytest.fixture
def coordinator(make_user, organisation):
    return make_user(Role.INTEGRITY_COORDINATOR, organisation)


@pytest.fixture
def secretary(make_user, organisation):
    return make_user(Role.SECRETARY, organisation)


def _walk(case: Case, coordinator: User, secretary: User, *names: str) -> Case:
    for name in names:
        actor = secretary if TRANSITIONS[name].role == Role.SECRETARY else coordinator
        case = services.case_transition(actor=actor, case=case, name=name)
    return case


@contextmanager
def _unchanged(case: Case) -> Iterator[None]:
    before = _state(case)
    yield
    assert _state(case) == before


@pytest.mark.requirement("R-WBK-4")
@pytest.mark.parametrize(
    ("path", "step"),
    [
        (("acknowledge",), "close_without_investigation"),
        (("acknowledge", "refer"), "close"),
    ],
)
def test_no_closing_before_feedback(organisation, coordinator, secretary, path, step):
    case = _walk(submit_case(organisation).case, coordinator, secretary, *path)
    with _unchanged(case), pytest.raises(ValidationError):
        services.case_transition(actor=coordinator, case=case, name=step)


def test_no_report_to_the_secretary_before_the_investigation_is_complete(
    organisation, coordinator, secretary
):
    case = _walk(
        submit_case(organisation).case,
        coordinator,
        secretary,
        "acknowledge",
        "request_approval",
        "approve_investigation",
    )
    with _unchanged(case), pytest.raises(ValidationError):
        services.case_transition(actor=coordinator, case=case, name="report_to_secretary")


def _reported(organisation: Any, coordinator: User, secretary: User) -> Case:
    case = _walk(
        submit_case(organisation).case,
        coordinator,
        secretary,
        "acknowledge",
        "request_approval",
        "approve_investigation",
    )
    complete_investigation(case, coordinator)
    return _walk(case, coordinator, secretary, "report_to_secretary")


def test_no_decide_step_without_a_recorded_decision(organisation, coordinator, secretary):
    case = _reported(organisation, coordinator, secretary)
    with _unchanged(case), pytest.raises(ValidationError):
        services.case_transition(actor=secretary, case=case, name="decide")


def test_an_unknown_step_is_refused(organisation, coordinator):
    case = submit_case(organisation).case
    with _unchanged(case), pytest.raises(ValidationError):
        services.case_transition(actor=coordinator, case=case, name="reopen")


@pytest.mark.requirement("R-LR-2")
def test_the_decision_and_its_step_are_one_transaction(
    organisation, coordinator, secretary, monkeypatch
):
    case = _reported(organisation, coordinator, secretary)
    real_audit = handling_services.audit_record

    def failing_step(**kwargs: Any) -> Any:
        if kwargs["action"] == "case.decide":
            raise RuntimeError("the step fails half-way")
        return real_audit(**kwargs)

    monkeypatch.setattr(handling_services, "audit_record", failing_step)
    with _unchanged(case), pytest.raises(RuntimeError):
        services.case_record_decision(
            actor=secretary, case=case, finding=Finding.FOUNDED, measures=["conversation"]
        )
    case.refresh_from_db()
    assert (
        case.finding == "" and case.measures == [] and case.status == Status.REPORTED_TO_SECRETARY
    )
    monkeypatch.undo()
    decided = services.case_record_decision(
        actor=secretary, case=case, finding=Finding.FOUNDED, measures=["conversation"]
    )
    assert decided.status == Status.DECIDED and decided.finding == Finding.FOUNDED
    assert list(
        CaseStatusChange.objects.filter(case=case).values_list("transition", flat=True)
    ) == [
        "acknowledge",
        "request_approval",
        "approve_investigation",
        "report_to_secretary",
        "decide",
    ]

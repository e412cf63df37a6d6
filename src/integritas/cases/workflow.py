"""The case workflow of DESIGN §4 as a table, and nothing else.

Each transition declares its whole contract: the states it may start from and the state
it ends in, the permission (a rules perm over a CaseAccess, permissions.py) that decides
who may take it and the role it is recorded under, the guards that must hold on the case,
the fields it stamps and the notices it enqueues. handling.services is the only code that
changes a status (case_transition, and case_record_decision for "decide", in the same
transaction as the decision), and it, the case page's actions and its step buttons all ask
this table the same question: `Transition.allows(user, access)` and `transitions_for()`.

The status sets the rest of the code filters on are declared once in constants.py (or
derived here from the table); tests/cases/test_workflow_contract.py walks every status x
transition x role through the service and holds it to this table.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.tasks import Task
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role

from .constants import Status
from .models import Case, IntervieweeRole, InvestigationKind, InvestigationRecord
from .notices import tasks
from .permissions import CaseAccess

# --- guards: conditions on the locked case, each returning what is still missing -------

type Guard = Callable[[Case], list[str]]


def feedback_given(case: Case) -> list[str]:
    """The reporter has had feedback (R-WBK-4); the database refuses a closed case without."""
    if case.feedback_given_at is None:
        return [_("Sluit pas af nadat de melder terugkoppeling heeft gekregen.")]
    return []


def investigation_complete(case: Case) -> list[str]:
    """Before the report goes to the secretary: the report is recorded, and a person
    concerned who is known has been heard on the findings (hoor en wederhoor)."""
    records = InvestigationRecord.objects.filter(case=case)
    problems = []
    if not records.filter(kind=InvestigationKind.REPORT).exists():
        problems.append(
            _(
                "Leg eerst het onderzoeksrapport vast: een onderzoeksstuk van de soort "
                "'Onderzoeksrapport'."
            )
        )
    heard = records.filter(
        kind=InvestigationKind.INTERVIEW,
        interviewee_role=IntervieweeRole.SUBJECT,
        hoor_en_wederhoor=True,
    )
    if case.involved.exists() and not heard.exists():
        problems.append(
            _(
                "De betrokkene is nog niet gehoord met hoor en wederhoor: leg eerst het "
                "verslag van dat gehoor vast."
            )
        )
    return problems


def decision_recorded(case: Case) -> list[str]:
    """The secretary's finding and measures are recorded (case_record_decision)."""
    if not case.finding:
        return [_("Leg eerst de bevinding en maatregelen vast.")]
    return []


# --- stamps: the fields a transition sets, and with what ------------------------------


class Stamp(enum.Enum):
    NOW = "now"  # the moment of the step
    ACTOR = "actor"  # who took it
    RETENTION_END = "retention_end"  # retention.services.retention_until(case, today)


CLOSING = (("closed_at", Stamp.NOW), ("retain_until", Stamp.RETENTION_END))
INVESTIGATION_DECIDED = (
    ("investigation_decided_at", Stamp.NOW),
    ("investigation_decided_by", Stamp.ACTOR),
)

# --- the table -------------------------------------------------------------------------

HANDLE, DECIDE = "cases.handle_case", "cases.decide_case"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    permission: str  # the rules perm over a CaseAccess that decides who may take it
    role: str  # the role it is taken in: the audit event's actor role
    guards: tuple[Guard, ...] = ()
    stamps: tuple[tuple[str, Stamp], ...] = ()
    notices: tuple[Task, ...] = ()  # tasks enqueued with the case id, in the transaction
    # Taken through this action of the case page (which records what the step needs)
    # rather than as a button of its own.
    form: str = ""

    def allows(self, user: Any, access: CaseAccess) -> bool:
        """Whether `user` may take this step on the case `access` describes, by its
        permission alone; from which status it may be taken is `sources`."""
        return bool(user.has_perm(self.permission, access))


C, S = Role.INTEGRITY_COORDINATOR, Role.SECRETARY

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "acknowledge",
            frozenset({Status.RECEIVED}),
            Status.TRIAGE,
            HANDLE,
            C,
            stamps=(("acknowledged_at", Stamp.NOW), ("acknowledged_by", Stamp.ACTOR)),
        ),
        Transition(
            "request_approval",
            frozenset({Status.TRIAGE}),
            Status.AWAITING_APPROVAL,
            HANDLE,
            C,
            notices=(tasks.notify_approval_requested,),
        ),
        Transition(
            "approve_investigation",
            frozenset({Status.AWAITING_APPROVAL}),
            Status.INVESTIGATION,
            DECIDE,
            S,
            stamps=INVESTIGATION_DECIDED,
        ),
        Transition(
            "reject_investigation",
            frozenset({Status.AWAITING_APPROVAL}),
            Status.TRIAGE,
            DECIDE,
            S,
            stamps=INVESTIGATION_DECIDED,
        ),
        Transition("refer", frozenset({Status.TRIAGE}), Status.REFERRED, HANDLE, C),
        Transition(
            "close_without_investigation",
            frozenset({Status.TRIAGE}),
            Status.CLOSED_WITHOUT_INVESTIGATION,
            HANDLE,
            C,
            guards=(feedback_given,),
            stamps=CLOSING,
        ),
        Transition(
            "report_to_secretary",
            frozenset({Status.INVESTIGATION}),
            Status.REPORTED_TO_SECRETARY,
            HANDLE,
            C,
            guards=(investigation_complete,),
        ),
        Transition(
            "decide",
            frozenset({Status.REPORTED_TO_SECRETARY}),
            Status.DECIDED,
            DECIDE,
            S,
            guards=(decision_recorded,),
            stamps=(("decided_at", Stamp.NOW), ("decided_by", Stamp.ACTOR)),
            form="decision",
        ),
        Transition(
            "close",
            frozenset({Status.DECIDED, Status.REFERRED}),
            Status.CLOSED,
            HANDLE,
            C,
            guards=(feedback_given,),
            stamps=CLOSING,
        ),
    )
}

#: The statuses in which a step waits for the secretary: the secretary's work list.
SECRETARY_TASK_STATUSES = frozenset(
    status for t in TRANSITIONS.values() if t.role == Role.SECRETARY for status in t.sources
)


def transitions_for(user: Any, access: CaseAccess) -> list[Transition]:
    """The steps `user` may take on the case now: from its status, by their permission.

    Guards are checked when the step is taken (a refusal names what is missing)."""
    return [
        t for t in TRANSITIONS.values() if access.status in t.sources and t.allows(user, access)
    ]

"""The case workflow of DESIGN §4 as a table, and nothing else.

Each transition names the states it may start from, the state it ends in and the role
that performs it. services.case_transition() is the only code that changes a status.
"""

from dataclasses import dataclass

from integritas.accounts.constants import Role

from .constants import Status


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    role: str
    needs_feedback: bool = False  # the reporter has had feedback (R-WBK-4)
    # The investigation report is recorded and a known person concerned was heard on the
    # findings (hoor en wederhoor): handling.services._require_investigation_complete.
    needs_report: bool = False


def _t(name: str, sources: set[str], target: str, role: str, **kw: bool) -> Transition:
    return Transition(name, frozenset(sources), target, role, **kw)


C, S = Role.INTEGRITY_COORDINATOR, Role.SECRETARY

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("acknowledge", {Status.RECEIVED}, Status.TRIAGE, C),
        _t("request_approval", {Status.TRIAGE}, Status.AWAITING_APPROVAL, C),
        _t("approve_investigation", {Status.AWAITING_APPROVAL}, Status.INVESTIGATION, S),
        _t("reject_investigation", {Status.AWAITING_APPROVAL}, Status.TRIAGE, S),
        _t("refer", {Status.TRIAGE}, Status.REFERRED, C),
        _t(
            "close_without_investigation",
            {Status.TRIAGE},
            Status.CLOSED_WITHOUT_INVESTIGATION,
            C,
            needs_feedback=True,
        ),
        _t(
            "report_to_secretary",
            {Status.INVESTIGATION},
            Status.REPORTED_TO_SECRETARY,
            C,
            needs_report=True,
        ),
        _t("decide", {Status.REPORTED_TO_SECRETARY}, Status.DECIDED, S),
        _t("close", {Status.DECIDED, Status.REFERRED}, Status.CLOSED, C, needs_feedback=True),
    )
}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]

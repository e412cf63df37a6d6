"""Helpers to create cases through the real intake service."""

from typing import Any

from integritas.cases import services
from integritas.cases.constants import IdentityMode, Kind
from integritas.cases.services import Submission, case_submit


def submit_case(organisation: Any, **overrides: Any) -> Submission:
    data: dict[str, Any] = {
        "organisation": organisation,
        "kind": Kind.INTEGRITY_VIOLATION,
        "description": "Een collega declareert reizen die niet zijn gemaakt.",
        "identity_mode": IdentityMode.ANONYMOUS,
    }
    data.update(overrides)
    return case_submit(**data)


def complete_investigation(case: Any, investigator: Any) -> None:
    """Record what the report to the secretary needs: the investigation report and, when
    someone is named as involved, their hearing with hoor en wederhoor."""
    from django.utils import timezone

    from integritas.cases.models import IntervieweeRole, InvestigationKind
    from integritas.cases.services import case_add_investigation_record

    today = timezone.localdate()
    if case.involved.exists():
        case_add_investigation_record(
            actor=investigator,
            case=case,
            kind=InvestigationKind.INTERVIEW,
            occurred_on=today,
            body="Gehoor van de betrokkene over de bevindingen.",
            hoor_en_wederhoor=True,
            interviewee_role=IntervieweeRole.SUBJECT,
        )
    case_add_investigation_record(
        actor=investigator,
        case=case,
        kind=InvestigationKind.REPORT,
        occurred_on=today,
        body="Onderzoeksrapport.",
    )


def substitute_designate(admins: tuple[Any, Any], organisation: Any, role: str, user: Any) -> None:
    """An active substitute: one administrator designates, the other approves."""
    first, second = admins
    substitute = services.substitute_request(
        actor=first, organisation=organisation, replaces_role=role, user=user
    )
    services.substitute_decide(actor=second, substitute=substitute, approve=True)

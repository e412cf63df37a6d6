"""The public face of the Meldpunt's reads, for other apps, the API, settings and tests.

Every read is scoped by organisation and need to know (access.py) and lives in the room of
its work (handling, intake, mailbox, substitutes, clock). Code inside `cases` imports from
those rooms; everything else imports from here.
"""

from .access import (
    case_access,
    case_get,
    cases_visible_to,
    person_index,
    user_handles_cases,
    user_person_index,
)
from .clock.conditions import (
    DEADLINE_ACK_OVERDUE,
    DEADLINE_ACK_SOON,
    DEADLINE_FEEDBACK_OVERDUE,
    DEADLINE_FEEDBACK_SOON,
    DEADLINE_FEEDBACK_WEEK,
    DEADLINE_OPEN,
    deadline_condition,
)
from .handling.selectors import (
    CaseContent,
    Entry,
    OrganisationFigures,
    ReporterContent,
    case_content,
    case_figures,
    cases_for_inbox,
    employee_for_case,
    inbox_organisations,
    investigators_for,
    recording_organisations,
    reporter_content,
    secretary_tasks,
    suppressed,
    suppressed_row,
)
from .intake.selectors import case_for_form_token
from .mailbox.selectors import (
    ReporterMessage,
    ReporterView,
    case_by_receipt,
    case_for_mailbox,
    case_for_reporter,
    case_message_for_reporter,
)
from .substitutes.selectors import (
    substitute_candidates,
    substitute_organisations,
    substitutes_for_administration,
)

__all__ = [
    "DEADLINE_ACK_OVERDUE",
    "DEADLINE_ACK_SOON",
    "DEADLINE_FEEDBACK_OVERDUE",
    "DEADLINE_FEEDBACK_SOON",
    "DEADLINE_FEEDBACK_WEEK",
    "DEADLINE_OPEN",
    "CaseContent",
    "Entry",
    "OrganisationFigures",
    "ReporterContent",
    "ReporterMessage",
    "ReporterView",
    "case_access",
    "case_by_receipt",
    "case_content",
    "case_figures",
    "case_for_form_token",
    "case_for_mailbox",
    "case_for_reporter",
    "case_get",
    "case_message_for_reporter",
    "cases_for_inbox",
    "cases_visible_to",
    "deadline_condition",
    "employee_for_case",
    "inbox_organisations",
    "investigators_for",
    "person_index",
    "recording_organisations",
    "reporter_content",
    "secretary_tasks",
    "substitute_candidates",
    "substitute_organisations",
    "substitutes_for_administration",
    "suppressed",
    "suppressed_row",
    "user_handles_cases",
    "user_person_index",
]

"""Helpers to create cases through the real intake service."""

from typing import Any

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

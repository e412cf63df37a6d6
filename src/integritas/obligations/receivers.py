"""The events obligations acts on (organisations.events), inside the sender's transaction.

- employee_started: the duties that fit them are made (rules per employment type and
  function);
- employee_left: the open duties they can no longer fulfil close;
- function_changed: the duties of the new function are added (its VOG), an open VOG
  of the previous function closes;
- code_of_conduct_acknowledged (policies): the gedragscode duty is done, any version;
- training_completed (awareness), topic information_security: the training duty (R-BIO-3);
- integrity_discussed (awareness): the HRM-cycle duty of that year (R-AW-2).
"""

import datetime
from typing import Any

from django.dispatch import receiver

from integritas.organisations import events

from . import services
from .constants import SECURITY_TRAINING_TOPIC, DutyKind


@receiver(events.employee_started, dispatch_uid="obligations.employee_started")
def plan_onboarding(sender: Any, *, employee_ids: list[int], **kwargs: Any) -> None:
    services.duties_plan(employee_ids=employee_ids)


@receiver(events.employee_left, dispatch_uid="obligations.employee_left")
def close_for_leavers(sender: Any, *, employee_ids: list[int], **kwargs: Any) -> None:
    services.duties_close_for_leavers(employee_ids=employee_ids)


@receiver(events.function_changed, dispatch_uid="obligations.function_changed")
def plan_new_function(sender: Any, *, employee_ids: list[int], **kwargs: Any) -> None:
    services.vogs_close_for_previous_function(employee_ids=employee_ids)
    services.duties_plan(employee_ids=employee_ids, function_change=True)


@receiver(
    events.code_of_conduct_acknowledged, dispatch_uid="obligations.code_of_conduct_acknowledged"
)
def code_of_conduct_acknowledged(
    sender: Any,
    *,
    employee_id: int,
    version_id: int,
    acknowledged_on: datetime.date,
    **kwargs: Any,
) -> None:
    services.duties_fulfil(
        kind=DutyKind.CODE_OF_CONDUCT,
        employee_ids=[employee_id],
        completed_on=acknowledged_on,
        version_id=version_id,
    )


@receiver(events.training_completed, dispatch_uid="obligations.training_completed")
def training_completed(
    sender: Any,
    *,
    employee_ids: list[int],
    topic: str,
    completed_on: datetime.date,
    **kwargs: Any,
) -> None:
    if topic == SECURITY_TRAINING_TOPIC:
        services.duties_fulfil(
            kind=DutyKind.SECURITY_TRAINING, employee_ids=employee_ids, completed_on=completed_on
        )


@receiver(events.integrity_discussed, dispatch_uid="obligations.integrity_discussed")
def integrity_discussed(
    sender: Any, *, employee_ids: list[int], discussed_on: datetime.date, **kwargs: Any
) -> None:
    services.duties_fulfil(
        kind=DutyKind.INTEGRITY_INTERVIEW, employee_ids=employee_ids, completed_on=discussed_on
    )

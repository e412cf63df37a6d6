"""Reactions to the HR events (organisations/events.py)."""

from typing import Any

from django.dispatch import receiver

from integritas.organisations.events import function_changed

from . import services


@receiver(function_changed, dispatch_uid="registers.reassess_after_function_change")
def reassess(sender: Any, *, employee_ids: list[int], **kwargs: Any) -> None:
    """R-AW-6: a change of function re-opens the assessment of side activities."""
    services.reassess_after_function_change(list(employee_ids))

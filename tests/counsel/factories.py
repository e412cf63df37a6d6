"""Consultation entries made through the service, as a counsellor would."""

from typing import Any

from django.utils import timezone

from integritas.counsel import services
from integritas.counsel.constants import Channel, FollowUp, Theme


def entry_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "consulted_on": timezone.localdate(),
        "theme": Theme.BULLYING,
        "channel": Channel.OWN_INITIATIVE,
        "follow_ups": [FollowUp.LISTENED, FollowUp.ADVICE],
        "note": "Terugkerende opmerkingen in het team; advies over een gesprek.",
    }
    data.update(overrides)
    return data


def make_entry(counsellor: Any, organisation: Any, **overrides: Any) -> Any:
    return services.entry_create(
        actor=counsellor, organisation=organisation, data=entry_data(**overrides)
    )


def form_post(**overrides: Any) -> dict[str, Any]:
    """What the browser posts for a valid entry."""
    data: dict[str, Any] = {
        "consulted_on": timezone.localdate().isoformat(),
        "theme": Theme.BULLYING,
        "channel": Channel.OWN_INITIATIVE,
        "follow_ups": [FollowUp.LISTENED],
        "note": "Advies gegeven over een gesprek met de leidinggevende.",
    }
    data.update(overrides)
    return data

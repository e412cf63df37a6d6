"""Reports received through another channel than the web intake (R-WBK-2, R-WBK-8):
orally to a manager (R-LR-2), by phone, e-mail or in person to the coordinator."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.cases.constants import Channel
from integritas.cases.intake.services import Submission, case_submit
from integritas.cases.writes import require
from integritas.organisations.models import Organisation

from .services import case_add_note, case_message_to_reporter

RECORDING_CHANNELS = frozenset({Channel.PHONE, Channel.EMAIL, Channel.IN_PERSON})


def case_record_report(
    *,
    actor: Any,
    organisation: Organisation,
    channel: str,
    minutes: str = "",
    **intake: Any,
) -> Submission:
    """A report received orally, by phone, e-mail or in person, recorded by a person.

    A manager records what an employee told them (channel "manager", R-LR-2) for their
    own organisation and never sees the case afterwards. The coordinator records phone,
    e-mail and in-person reports; their minutes (verslag) become the first internal note
    and a message in the reporter's mailbox, so the reporter can check, correct and
    approve them (R-WBK-8). One transaction: no case without its minutes.
    """
    roles = user_roles(actor)
    if channel == Channel.MANAGER:
        employee = roles.employee
        own_organisation = employee is not None and employee.organisation_id == organisation.pk
        require(roles.is_manager and own_organisation)
        minutes = ""
    elif channel in RECORDING_CHANNELS:
        require(roles.has(Role.INTEGRITY_COORDINATOR, organisation))
    else:
        raise ValidationError({"channel": _("Kies hoe de melding binnenkwam.")})
    with transaction.atomic():
        submission = case_submit(
            organisation=organisation, channel=channel, recorded_by=actor, **intake
        )
        if minutes.strip() and not submission.repeated:
            case_add_note(actor=actor, case=submission.case, body=minutes)
            case_message_to_reporter(
                actor=actor,
                case=submission.case,
                needs_approval=True,
                body=_(
                    "Verslag van uw melding. Controleer het verslag en laat hier weten of het "
                    "klopt of wat er anders moet.\n\n%(minutes)s"
                )
                % {"minutes": minutes},
            )
    return submission

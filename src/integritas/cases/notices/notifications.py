"""E-mails about cases. They never carry content: only that there is news, and a link.

Called after commit with ids only (DESIGN §2: background work carries ids, not content).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.accounts.selectors import role_holders
from integritas.cases import vault
from integritas.cases.access import case_access
from integritas.cases.models import Case, CaseHandler, ReporterIdentity
from integritas.cases.permissions import CaseAccess

logger = logging.getLogger(__name__)


def _base_url() -> str:
    return settings.INTEGRITAS_BASE_URL.rstrip("/")


def _emails_of_role(role: str, case: Case) -> list[str]:
    """Who should hear about `case` in `role`: its holders for the case's organisation
    (directly or region-wide) and the substitutes standing in on this case, each only
    while they may act on it. Someone named as involved never gets the notice."""
    holders = role_holders(role, case.organisation).values("pk")
    substitutes = CaseHandler.objects.filter(case=case, role=role, active=True).values("user_id")
    users = get_user_model().objects.filter(
        Q(pk__in=holders) | Q(pk__in=substitutes), is_active=True
    )
    may_act = _MAY_ACT[role]
    return sorted({user.email for user in users if user.email and may_act(case_access(user, case))})


_MAY_ACT: dict[str, Callable[[CaseAccess], bool]] = {
    Role.INTEGRITY_COORDINATOR: lambda access: access.as_coordinator,
    Role.SECRETARY: lambda access: access.as_secretary,
}


class NoticeNotSentError(Exception):
    """The mail server did not take the notice; its task tries again later (tasks.py)."""


def _send(subject: str, body: str, recipients: list[str]) -> None:
    """Send one notice, or raise NoticeNotSentError: a notice the mail server refused must
    not count as sent. The committed work stays; the task is tried again. The log line
    names no address."""
    if not recipients:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError as exc:
        logger.warning("Notification e-mail could not be sent (%d recipients).", len(recipients))
        raise NoticeNotSentError from exc


def new_case(case_id: int) -> None:
    case = Case.objects.select_related("organisation").get(pk=case_id)
    if case.intake_hold:
        held_report(case)
        return
    link = _base_url() + reverse("cases:inbox")
    _send(
        _("Nieuwe melding bij het Meldpunt Integriteit"),
        _("Er is een nieuwe melding binnengekomen. Bekijk de inbox: %(link)s") % {"link": link},
        _emails_of_role(Role.INTEGRITY_COORDINATOR, case),
    )


def held_report(case: Case) -> None:
    """A report held by the flood defence (cases/intake/held.py): one notice per hour and
    organisation, for the first one, so that a flood cannot bury the coordinator's mail."""
    hour = case.received_at.replace(minute=0, second=0, microsecond=0)
    earlier = Case.objects.filter(
        organisation=case.organisation,
        received_at__gte=hour,
        received_at__lte=case.received_at,
        pk__lt=case.pk,
    ).exclude(intake_hold="")
    if earlier.exists():
        return
    link = _base_url() + reverse("held_queue")
    _send(
        _("Vastgehouden meldingen bij het Meldpunt Integriteit"),
        _(
            "Het Meldpunt ontvangt veel meldingen van één afzender of van veel afzenders "
            "tegelijk. Meldingen zonder controle worden vastgehouden; de termijnen lopen "
            "vanaf de ontvangst. Bekijk ze: %(link)s"
        )
        % {"link": link},
        _emails_of_role(Role.INTEGRITY_COORDINATOR, case),
    )


def approval_requested(case_id: int) -> None:
    case = Case.objects.select_related("organisation").get(pk=case_id)
    link = _base_url() + reverse("cases:inbox")
    _send(
        _("Besluit gevraagd over een melding"),
        _("Er wacht een melding op uw besluit over een onderzoek: %(link)s") % {"link": link},
        _emails_of_role(Role.SECRETARY, case),
    )


def aangifte_decision_needed(case_id: int) -> None:
    """R-EXT-3: a possible crime; the secretary decides on aangifte without delay."""
    case = Case.objects.select_related("organisation").get(pk=case_id)
    link = _base_url() + reverse("cases:inbox")
    _send(
        _("Besluit over aangifte gevraagd"),
        _(
            "Bij een melding is mogelijk een strafbaar feit gepleegd. Uw besluit over aangifte "
            "(art. 162 Wetboek van Strafvordering) is nodig, zonder onnodig uitstel: %(link)s"
        )
        % {"link": link},
        _emails_of_role(Role.SECRETARY, case),
    )


def reporter_replied(case_id: int) -> None:
    case = Case.objects.select_related("organisation").get(pk=case_id)
    link = _base_url() + reverse("cases:inbox")
    _send(
        _("Nieuw bericht van een melder"),
        _("Een melder heeft gereageerd in het postvak. Bekijk de inbox: %(link)s") % {"link": link},
        _emails_of_role(Role.INTEGRITY_COORDINATOR, case),
    )


def news_for_reporter(case_id: int) -> None:
    """Only to an address the reporter gave themselves, kept in the identity vault."""
    case = Case.objects.select_related("organisation").get(pk=case_id)
    identity = ReporterIdentity.objects.filter(case=case).first()
    if identity is None or not identity.notify_email_enc:
        return
    address = vault.unseal(case, "notify_email", identity.notify_email_enc)
    link = _base_url() + reverse("meldpunt:mailbox")
    _send(
        _("Er is nieuws in uw melding"),
        _("Er is nieuws in uw melding. Log in op uw postvak met uw ontvangstcode: %(link)s")
        % {"link": link},
        [address],
    )

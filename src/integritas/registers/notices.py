"""E-mails about registrations: a link, never content (DESIGN §2).

Tasks carry a registration id only and are enqueued inside the transaction of the change
they tell about (as the Meldpunt's notices, cases/notices/tasks.py).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import router, transaction
from django.tasks import Task, task
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks_db.backend import DatabaseBackend

from integritas.accounts.constants import Role
from integritas.accounts.selectors import role_holders

from .constants import Route
from .models import Registration

logger = logging.getLogger(__name__)


def _link(name: str, *args: object) -> str:
    return settings.INTEGRITAS_BASE_URL.rstrip("/") + reverse(name, args=args)


def _employee_email(employee: object) -> str:
    user = getattr(employee, "user", None)
    return (getattr(user, "email", "") if user is not None else "") or getattr(
        employee, "email", ""
    )


def _send(subject: str, body: str, recipients: list[str]) -> None:
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:
        logger.warning("Register notice could not be sent (%d recipients).", len(recipients))
        raise


def _decider_emails(registration: Registration) -> list[str]:
    if registration.route == Route.MANAGER and registration.decider is not None:
        return [_employee_email(registration.decider)]
    role = {Route.MAYOR: Role.MAYOR, Route.INTEGRITY_OFFICER: Role.INTEGRITY_OFFICER}.get(
        Route(registration.route)
    )
    if role is None:
        return []
    holders = role_holders(role, registration.organisation_id).filter(is_active=True)
    return [user.email for user in holders if user.email]


def _load(registration_id: int) -> Registration | None:
    return (
        Registration.objects.select_related("employee__user", "decider__user")
        .filter(pk=registration_id)
        .first()
    )


@task
def notify_decision_needed(registration_id: int) -> None:
    registration = _load(registration_id)
    if registration is None:
        return
    _send(
        _("Een registratie wacht op uw besluit"),
        _("Er wacht een registratie op uw besluit: %(link)s") % {"link": _link("registers:queue")},
        _decider_emails(registration),
    )


@task
def notify_decided(registration_id: int) -> None:
    registration = _load(registration_id)
    if registration is None:
        return
    _send(
        _("Er is een besluit over uw registratie"),
        _("Er is een besluit genomen over uw registratie. Bekijk het: %(link)s")
        % {"link": _link("registers:detail", registration.pk)},
        [_employee_email(registration.employee)],
    )
    if registration.route == Route.INTEGRITY_OFFICER and registration.decider is not None:
        # R-AW-8: the manager learns that there is an outcome, and reads only that.
        _send(
            _("Uitkomst van een beoordeling"),
            _("Er is een beoordeling afgerond van iemand van uw team. Bekijk de uitkomst: %(link)s")
            % {"link": _link("registers:detail", registration.pk)},
            [_employee_email(registration.decider)],
        )


@task
def notify_reassessment(registration_id: int) -> None:
    """R-AW-6: a change of function re-opens the assessment; the manager hears of it."""
    registration = _load(registration_id)
    if registration is None:
        return
    _send(
        _("Nevenwerkzaamheid opnieuw beoordelen"),
        _(
            "Iemand van uw team heeft een andere functie gekregen. Een nevenwerkzaamheid "
            "moet opnieuw beoordeeld worden: %(link)s"
        )
        % {"link": _link("registers:queue")},
        _decider_emails(registration),
    )


def enqueue_in_transaction(work: Task, registration_id: int) -> None:
    """Enqueue `work` in the transaction of the change it tells about (see cases)."""
    if not isinstance(registration_id, int):
        raise TypeError("tasks carry a registration id, nothing else")
    if not isinstance(work.get_backend(), DatabaseBackend):
        transaction.on_commit(lambda: work.enqueue(registration_id), robust=True)
        return
    from django_tasks_db.models import DBTaskResult

    if not transaction.get_connection(router.db_for_write(DBTaskResult)).in_atomic_block:
        raise RuntimeError("a notice is enqueued inside the transaction of its change")
    work.enqueue(registration_id)

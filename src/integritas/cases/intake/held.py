"""The held queue of the flood defence: the coordinator's review of held reports.

Reports that came without proof of work from a source over its budget (budget.py) wait
here, with the statutory clock running from receipt as for any report (R-WBK-3). The
coordinator releases a genuine one into the inbox, or sets a flood aside in one action:
one transaction, one audit event per report, so a mistake can be undone for a single
report (`held_release`). Nothing is deleted; a set-aside report stays a case.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.audit.services import audit_record
from integritas.cases.access import cases_visible_to
from integritas.cases.constants import IntakeHold
from integritas.cases.models import Case

HELD_PAGE_SIZE = 200


def _reviews_held(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user_roles(user).has(
        Role.INTEGRITY_COORDINATOR
    )


def held_cases_for(user: Any) -> QuerySet[Case]:
    """Held and set-aside reports of the coordinator's organisations; none for others."""
    if not _reviews_held(user):
        return Case.objects.none()
    return cases_visible_to(user).exclude(intake_hold=IntakeHold.NONE)


def held_set_aside(
    *,
    actor: Any,
    case_numbers: Iterable[str] = (),
    received_until: datetime.datetime | None = None,
) -> int:
    """Set the chosen held reports aside, all in one transaction, each audited.

    `received_until`: every held report received up to then, as listed on the page the
    coordinator saw (a flood larger than one page), instead of `case_numbers`.
    """
    numbers = list(dict.fromkeys(case_numbers))
    chosen = Q(received_at__lte=received_until) if received_until else Q(case_number__in=numbers)
    with transaction.atomic():
        cases = list(
            held_cases_for(actor)
            .filter(chosen, intake_hold=IntakeHold.HELD)
            .select_related("organisation")
            .select_for_update(of=("self",))
        )
        for case in cases:
            case.intake_hold = IntakeHold.SET_ASIDE
            case.save(update_fields=["intake_hold", "updated_at"])
            audit_record(
                action="case.set_aside", actor=actor, obj=case, organisation=case.organisation
            )
    return len(cases)


def held_release(*, actor: Any, case_number: str) -> bool:
    """A held or set-aside report is genuine after all: into the inbox, audited."""
    with transaction.atomic():
        case = (
            held_cases_for(actor)
            .filter(case_number=case_number)
            .select_related("organisation")
            .select_for_update(of=("self",))
            .first()
        )
        if case is None:
            return False
        case.intake_hold = IntakeHold.NONE
        case.save(update_fields=["intake_hold", "updated_at"])
        audit_record(
            action="case.hold_released", actor=actor, obj=case, organisation=case.organisation
        )
    return True


@require_http_methods(["GET", "POST"])
def held_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the held reports; set a selection aside, or release one."""
    if not _reviews_held(request.user):
        raise PermissionDenied
    notice = ""
    if request.method == "POST":
        if request.POST.get("release"):
            held_release(actor=request.user, case_number=request.POST["release"])
        elif request.POST.get("until"):
            until = parse_datetime(request.POST["until"])
            if until is not None:
                held_set_aside(actor=request.user, received_until=until)
        else:
            held_set_aside(actor=request.user, case_numbers=request.POST.getlist("case"))
        return HttpResponseRedirect(reverse("held_queue"))
    cases = held_cases_for(request.user).select_related("organisation")
    held = list(cases.filter(intake_hold=IntakeHold.HELD).order_by("received_at")[:HELD_PAGE_SIZE])
    set_aside = list(
        cases.filter(intake_hold=IntakeHold.SET_ASIDE).order_by("-received_at")[:HELD_PAGE_SIZE]
    )
    waiting = cases.filter(intake_hold=IntakeHold.HELD).aggregate(
        total=Count("pk"), newest=Max("received_at")
    )
    total = waiting["total"]
    if held:
        notice = ngettext(
            "%(count)d vastgehouden melding wacht op uw beoordeling.",
            "%(count)d vastgehouden meldingen wachten op uw beoordeling.",
            total,
        ) % {"count": total}
    context = {
        "total": total,
        # More than one page: "all of them", every held report waiting when it was shown.
        "until": waiting["newest"].isoformat() if total > len(held) else "",
        "held": held,
        "set_aside": set_aside,
        "notice": notice,
        "title": _("Vastgehouden meldingen"),
    }
    return render(request, "cases/held_queue.html", context)

"""What `awareness` offers the home page and the navigation.

Work lists, one small query per row: for HRM / the functionaris integriteit the held
activities (date passed) not yet completed, so that attendance is recorded and the
duties follow; for a manager whether a dilemma was discussed in their team in the last
twelve months (R-AW-2), with a link to the library. The werkgroep integriteit gets links.
"""

import datetime
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.core.contributions import (
    WORK_COUNT_CAP,
    Contribution,
    NavEntry,
    WorkLink,
    WorkList,
    WorkSummary,
)

from .models import Activity, DilemmaDiscussion
from .permissions import manage_organisation_ids

#: A team discusses integrity at least once in this many days (R-AW-2).
DISCUSSION_INTERVAL = datetime.timedelta(days=365)


def work_lists(user: Any) -> Iterator[WorkList]:
    roles = user_roles(user)
    today = timezone.localdate()
    managed = manage_organisation_ids(user)
    if managed:
        held = list(
            Activity.objects.filter(
                organisation_id__in=managed, completed_on__isnull=True, date__lt=today
            )
            .order_by("date")
            .values_list("date", flat=True)[:WORK_COUNT_CAP]
        )
        yield WorkList(
            title=_("Trainingen en bijeenkomsten"),
            rows=[
                WorkSummary(
                    _("Gehouden activiteiten die nog niet zijn afgerond"),
                    len(held),
                    held[0] if held else None,
                    reverse("awareness:activity_list"),
                )
            ],
            empty_text=_("Alle gehouden activiteiten zijn afgerond."),
            links=[
                WorkLink(_("Naar trainingen en bijeenkomsten"), reverse("awareness:activity_list"))
            ],
            order=430,
        )
    if roles.is_manager and roles.employee is not None:
        last = (
            DilemmaDiscussion.objects.filter(manager=roles.employee)
            .order_by("-discussed_on")
            .values_list("discussed_on", flat=True)
            .first()
        )
        due = last is None or last < today - DISCUSSION_INTERVAL
        yield WorkList(
            title=_("Integriteit in uw team"),
            rows=[
                WorkSummary(
                    _("Nog geen dilemma besproken in de afgelopen twaalf maanden"),
                    1 if due else 0,
                    last,
                    reverse("awareness:dilemma_list"),
                )
            ],
            empty_text=_("Uw team heeft het afgelopen jaar een dilemma besproken."),
            links=[WorkLink(_("Naar de dilemmabibliotheek"), reverse("awareness:dilemma_list"))],
            order=440,
        )
    if roles.has(Role.WORKING_GROUP):
        yield WorkList(
            title=_("Werkgroep integriteit"),
            intro=_(
                "Wat de organisaties in de regio doen aan bewustwording en kwetsbare "
                "functies, voor voorstellen en de evaluatie."
            ),
            links=[
                WorkLink(_("Trainingen en bijeenkomsten"), reverse("awareness:activity_list")),
            ],
            order=450,
            key="working_group",
        )


CONTRIBUTION = Contribution(
    app="awareness",
    navigation=(
        NavEntry(_("Trainingen"), "awareness:activity_list", "awareness.view", 475),
        NavEntry(_("Dilemma's"), "awareness:dilemma_list", "awareness.view_library", 480),
    ),
    work_lists=work_lists,
)

"""Demo data: the yearly re-confirmation, open in every organisation.

The integrity officer opens this year's campaign through the service (today, for six
weeks); the demo accounts of the secretary and the integrity officer confirm through the
service, and about half of the people without an account have confirmed (written as the
scale generator writes them). The other demo accounts, among them the employee and the
manager, still find the confirmation on their home page. Idempotent: an organisation
with a campaign that has not closed keeps it, and a second run writes nothing.
"""

import datetime
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.accounts.models import User
from integritas.organisations.models import Organisation
from integritas.registers import campaigns
from integritas.registers.models import ReconfirmationCampaign

from . import data
from .scale.campaigns import CAMPAIGN_DAYS, confirmations_bulk

#: Demo accounts that have confirmed already.
CONFIRMED_PERSONAS = ("secretary", "integrity_officer")
#: Share of the people without an account who have confirmed.
CONFIRMED_PERCENT = 50
SEED = 2026


def _key(persona: str, slug: str) -> str:
    return persona if slug == data.DEMO_ORGANISATION else f"{persona}:{slug}"


def seed(orgs: dict[str, Organisation], users: dict[str, User]) -> dict[str, int]:
    made: Counter[str] = Counter()
    today = timezone.localdate()
    running = set(
        ReconfirmationCampaign.objects.filter(
            organisation__in=list(orgs.values()), closes_on__gte=today
        ).values_list("organisation_id", flat=True)
    )
    for slug, organisation in orgs.items():
        if organisation.pk in running:
            continue
        officer = users.get(_key("integrity_officer", slug))
        if (
            officer is None
            or ReconfirmationCampaign.objects.filter(
                organisation=organisation, year=today.year
            ).exists()
        ):
            continue
        try:
            campaign = campaigns.campaign_open(
                actor=officer,
                organisation=organisation,
                year=today.year,
                opens_on=today,
                closes_on=today + datetime.timedelta(days=CAMPAIGN_DAYS),
            )
        except (PermissionDenied, ValidationError):
            continue
        made[str(_("herbevestigingen"))] += 1
        for persona in CONFIRMED_PERSONAS:
            user = users.get(_key(persona, slug))
            employee = getattr(user, "employee", None) if user is not None else None
            if employee is None or employee.organisation_id != organisation.pk:
                continue
            campaigns.campaign_confirm(actor=user, campaign=campaign)
            made[str(_("bevestigingen"))] += 1
        bulk = confirmations_bulk(
            [organisation.pk], seed=SEED, percent=CONFIRMED_PERCENT, without_account_only=True
        )
        made[str(_("bevestigingen"))] += bulk
    return dict(made)

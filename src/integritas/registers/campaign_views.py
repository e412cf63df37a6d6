"""The pages of the yearly re-confirmation. Thin: a form, a service call, a selector;
another organisation's campaign is 404."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.organisations.models import Organisation

from . import campaigns
from .campaign_forms import CampaignForm, ConfirmForm
from .permissions import current_employee
from .views import _form_errors

#: The period the opening form proposes: six weeks from today.
DEFAULT_CAMPAIGN_DAYS = 42


def _organisation(request: AuthenticatedHttpRequest) -> tuple[Organisation, list[Organisation]]:
    organisations = campaigns.campaign_organisations(request.user)
    slug = request.GET.get("organisatie", "")
    for organisation in organisations:
        if organisation.slug == slug or not slug:
            return organisation, organisations
    raise Http404


def _progress_url(organisation: Organisation, year: int | None = None) -> str:
    query = {"organisatie": organisation.slug, **({"jaar": year} if year else {})}
    return f"{reverse('registers:campaigns')}?{urlencode(query)}"


@permission_required("registers.view_campaigns", raise_exception=True)
def campaign_progress(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Completion per org unit of the organisation's campaign (the newest, or ?jaar=)."""
    organisation, organisations = _organisation(request)
    found = campaigns.campaigns_of(organisation)
    campaign = found[0] if found else None
    year = request.GET.get("jaar", "")
    if year:
        campaign = next((c for c in found if str(c.year) == year), None)
        if campaign is None:
            raise Http404
    context: dict[str, Any] = {
        "organisation": organisation,
        "organisations": organisations,
        "campaigns": found,
        "campaign": campaign,
        "progress": campaigns.campaign_progress(campaign, fresh=False) if campaign else None,
        "may_open": user_roles(request.user).has(Role.INTEGRITY_OFFICER, organisation),
    }
    return render(request, "registers/campaign_progress.html", context)


@permission_required("registers.open_campaign", raise_exception=True)
def campaign_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation, _organisations = _organisation(request)
    if not user_roles(request.user).has(Role.INTEGRITY_OFFICER, organisation):
        raise PermissionDenied  # HRM of this organisation follows, does not open
    today = timezone.localdate()
    form = CampaignForm(
        request.POST or None,
        initial={
            "year": today.year,
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=DEFAULT_CAMPAIGN_DAYS),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaigns.campaign_open(
                actor=request.user,
                organisation=organisation,
                year=data["year"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("De herbevestiging %(year)d is geopend. Medewerkers krijgen een herinnering.")
                % {"year": campaign.year},
            )
            return redirect(_progress_url(organisation, campaign.year))
    return render(
        request,
        "registers/campaign_form.html",
        {"form": form, "organisation": organisation, "back": _progress_url(organisation)},
    )


@permission_required("registers.register", raise_exception=True)
def reconfirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The employee's confirmation page: their registrations, pre-filled from what is
    registered and from last year's confirmation, with links to change, end or add."""
    employee = current_employee(request.user)
    own = campaigns.own_campaign(request.user, employee)
    context: dict[str, Any] = {"own": own}
    if own is not None:
        page = campaigns.confirmation_page(employee, own.campaign)
        initial = {"note": page.last_year.note} if page.last_year else {}
        form = ConfirmForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                campaigns.campaign_confirm(
                    actor=request.user, campaign=own.campaign, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Dank u wel. Uw herbevestiging is vastgelegd."))
                return redirect(reverse("home") + "#dossier-herbevestiging")
        context.update({"page": page, "form": form})
    return render(request, "registers/campaign_confirm.html", context)

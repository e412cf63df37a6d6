"""The counsellor's own consultation log, and the central counsellor's counts.

Every entry page reads through selectors.entry_get(user, pk), which finds only the
user's own entries: another counsellor's entry is a 404, every other role a 403 before
any lookup (R-DP-3).
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.counsel import selectors, services, vault
from integritas.counsel.constants import Channel, FollowUp, Theme
from integritas.counsel.models import ConsultationEntry

from .forms import ConsultationEntryForm

PAGE_SIZE = 25
_THEMES = dict(Theme.choices)
_CHANNELS = dict(Channel.choices)
_FOLLOW_UPS = dict(FollowUp.choices)


def _entry_or_404(request: AuthenticatedHttpRequest, pk: int) -> ConsultationEntry:
    entry = selectors.entry_get(request.user, pk)
    if entry is None:
        raise Http404
    return entry


@permission_required("counsel.keep_log", raise_exception=True)
def entry_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own entries, newest first, PAGE_SIZE a page (one query)."""
    page = selectors.entries_page(
        request.user,
        size=PAGE_SIZE,
        older=request.GET.get("ouder"),
        newer=request.GET.get("nieuwer"),
    )
    rows = [(entry, _THEMES.get(entry.theme, entry.theme)) for entry in page]
    return render(request, "counsel/log/entry_list.html", {"page": page, "rows": rows})


def _form_page(
    request: AuthenticatedHttpRequest, form: ConsultationEntryForm, entry: ConsultationEntry | None
) -> HttpResponse:
    return render(
        request,
        "counsel/log/entry_form.html",
        {"form": form, "entry": entry, "findings": form.findings},
    )


@permission_required("counsel.keep_log", raise_exception=True)
def entry_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = selectors.log_organisations(request.user)
    first_two = list(organisations[:2])
    # A counsellor of one organisation is not asked which one.
    fixed = first_two[0] if len(first_two) == 1 else None
    form = ConsultationEntryForm(
        request.POST or None, organisations=organisations, fixed_organisation=fixed
    )
    if request.method == "POST" and form.is_valid():
        organisation = fixed or form.cleaned_data["organisation"]
        services.entry_create(actor=request.user, organisation=organisation, data=form.cleaned_data)
        messages.success(request, _("Het gesprek is vastgelegd."))
        return redirect("counsel_log:entry_list")
    return _form_page(request, form, None)


@permission_required("counsel.keep_log", raise_exception=True)
def entry_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk)
    context = {
        "entry": entry,
        "theme": _THEMES.get(entry.theme, entry.theme),
        "channel": _CHANNELS.get(entry.channel, entry.channel),
        "follow_ups": [_FOLLOW_UPS.get(value, value) for value in entry.follow_ups],
        "note": vault.unseal_note(entry.log, entry),
    }
    return render(request, "counsel/log/entry_detail.html", context)


@permission_required("counsel.keep_log", raise_exception=True)
def entry_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk)
    initial = {
        "consulted_on": entry.consulted_on,
        "theme": entry.theme,
        "channel": entry.channel,
        "follow_ups": entry.follow_ups,
        "note": vault.unseal_note(entry.log, entry),
    }
    form = ConsultationEntryForm(
        request.POST or None,
        initial=initial,
        organisations=None,
        fixed_organisation=entry.organisation,
    )
    if request.method == "POST" and form.is_valid():
        services.entry_update(actor=request.user, entry=entry, data=form.cleaned_data)
        messages.success(request, _("De gegevens zijn opgeslagen."))
        return redirect("counsel_log:entry_detail", pk=entry.pk)
    return _form_page(request, form, entry)


@permission_required("counsel.keep_log", raise_exception=True)
def entry_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk)
    if request.method == "POST":
        services.entry_delete(actor=request.user, entry=entry)
        messages.success(request, _("Het gesprek is uit uw logboek verwijderd."))
        return redirect("counsel_log:entry_list")
    return render(request, "counsel/log/entry_confirm_delete.html", {"entry": entry})


def _year(value: str | None) -> int:
    this_year = timezone.localdate().year
    if value and value.isdigit() and this_year - 20 <= int(value) <= this_year:
        return int(value)
    return this_year


@permission_required("counsel.view_figures", raise_exception=True)
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Counts over the region per theme and quarter and per organisation; 1-4 as "< 5"."""
    year = _year(request.GET.get("jaar"))
    this_year = timezone.localdate().year
    context = {
        "figures": selectors.region_figures(request.user, year),
        "years": list(range(this_year, this_year - 6, -1)),
        # "K1" .. "K4": kwartaal 1 .. 4.
        "quarters": [_("K%(number)d") % {"number": q} for q in range(1, 5)],
    }
    return render(request, "counsel/log/figures.html", context)

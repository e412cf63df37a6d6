"""The directory of vertrouwenspersonen, kept by administrators per organisation (R-WBK-6)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from integritas.accounts.types import AuthenticatedHttpRequest

from . import selectors, services
from .forms import CounsellorListingForm
from .models import CounsellorListing

# Organisations per page of the directory.
ORGANISATION_PAGE_SIZE = 25


def _listing_or_404(request: AuthenticatedHttpRequest, pk: int) -> CounsellorListing:
    listing = selectors.listing_get_for_administration(request.user, pk)
    if listing is None:
        raise Http404
    if not request.user.has_perm("counsel.manage_directory", listing.organisation):
        raise PermissionDenied
    return listing


@permission_required("counsel.manage_directory", raise_exception=True)
def listing_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The directory per organisation, ORGANISATION_PAGE_SIZE organisations a page (a regional
    administrator keeps 350 nationally): three queries, the count, the organisations and
    their listings."""
    page = Paginator(
        selectors.organisations_administered(request.user), ORGANISATION_PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    organisations = list(page)
    grouped: dict[int, list[CounsellorListing]] = {}
    for listing in selectors.listings_of(organisations):
        grouped.setdefault(listing.organisation_id, []).append(listing)
    sections = [(org, grouped.get(org.pk, [])) for org in organisations]
    return render(request, "counsel/listing_list.html", {"sections": sections, "page": page})


@permission_required("counsel.manage_directory", raise_exception=True)
def listing_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisations_administered(request.user).filter(slug=slug).first()
    if organisation is None:
        raise Http404
    form = CounsellorListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.counsellor_listing_create(
            actor=request.user, organisation=organisation, data=form.cleaned_data
        )
        messages.success(request, _("De vertrouwenspersoon is toegevoegd."))
        return redirect("counsel:listing_list")
    return render(
        request, "counsel/listing_form.html", {"form": form, "organisation": organisation}
    )


@permission_required("counsel.manage_directory", raise_exception=True)
def listing_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    listing = _listing_or_404(request, pk)
    form = CounsellorListingForm(request.POST or None, instance=listing)
    if request.method == "POST" and form.is_valid():
        services.counsellor_listing_update(
            actor=request.user, listing=listing, data=form.cleaned_data
        )
        messages.success(request, _("De gegevens zijn opgeslagen."))
        return redirect("counsel:listing_list")
    return render(
        request,
        "counsel/listing_form.html",
        {"form": form, "organisation": listing.organisation, "listing": listing},
    )


@permission_required("counsel.manage_directory", raise_exception=True)
def listing_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    listing = _listing_or_404(request, pk)
    if request.method == "POST":
        services.counsellor_listing_delete(actor=request.user, listing=listing)
        messages.success(request, _("De vertrouwenspersoon is uit de lijst verwijderd."))
        return redirect("counsel:listing_list")
    return render(request, "counsel/listing_confirm_delete.html", {"listing": listing})

"""Beheer > Vervangers: designate who takes over when a role holder is involved (seed 5.2).

Four eyes as for the content roles (accounts.grants): one administrator designates,
another approves.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rules.contrib.views import permission_required

from integritas.accounts.constants import AssignmentStatus
from integritas.accounts.grants.views import grant_views
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.cases.models import Substitute

from . import selectors, services
from .forms import SubstituteForm

# Organisations per page of the list.
ORGANISATION_PAGE_SIZE = 25


@permission_required("cases.manage_substitutes", raise_exception=True)
def substitute_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per organisation its pending and active substitutes, ORGANISATION_PAGE_SIZE
    organisations a page (a regional administrator keeps 350 nationally): three queries,
    the count, the organisations and their substitutes."""
    page = Paginator(
        selectors.substitute_organisations(request.user), ORGANISATION_PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    organisations = list(page)
    by_organisation: dict[int, list[Substitute]] = {}
    for substitute in selectors.substitutes_for_administration(request.user).filter(
        organisation_id__in=[org.pk for org in organisations]
    ):
        by_organisation.setdefault(substitute.organisation_id, []).append(substitute)
    groups = []
    for organisation in organisations:
        mine = by_organisation.get(organisation.pk, [])
        groups.append(
            {
                "organisation": organisation,
                "pending": [s for s in mine if s.status == AssignmentStatus.PENDING],
                "active": [s for s in mine if s.status == AssignmentStatus.ACTIVE],
            }
        )
    return render(request, "cases/substitutes.html", {"groups": groups, "page": page})


@permission_required("cases.manage_substitutes", raise_exception=True)
def substitute_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubstituteForm(
        request.POST or None,
        organisations=selectors.substitute_organisations(request.user),
        users=selectors.substitute_candidates(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.substitute_request(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                replaces_role=form.cleaned_data["replaces_role"],
                user=form.cleaned_data["user"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("U mag hier geen vervanger aanwijzen."))
        else:
            messages.info(
                request, _("De vervanger wacht op goedkeuring door een tweede beheerder.")
            )
            return redirect("substitutes:list")
    return render(request, "cases/substitutes_form.html", {"form": form})


# Approve or reject a pending designation, revoke one: the shared four-eyes views.
substitute_decide, substitute_revoke = grant_views(
    kind=services.SUBSTITUTE_GRANT,
    visible=selectors.substitutes_for_administration,
    success_url="substitutes:list",
    revoked=gettext_lazy("De vervanger is ingetrokken."),
)

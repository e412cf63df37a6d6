"""Beheer > Vervangers: designate who takes over when a role holder is involved (seed 5.2).

Four eyes as for the content roles: one administrator designates, another approves.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from integritas.accounts.constants import AssignmentStatus
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.cases.models import Substitute

from . import selectors, services
from .forms import SubstituteForm


@permission_required("cases.manage_substitutes", raise_exception=True)
def substitute_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    substitutes = selectors.substitutes_for_administration(request.user)
    groups = []
    for organisation in selectors.substitute_organisations(request.user):
        mine = [s for s in substitutes if s.organisation_id == organisation.pk]
        groups.append(
            {
                "organisation": organisation,
                "pending": [s for s in mine if s.status == AssignmentStatus.PENDING],
                "active": [s for s in mine if s.status == AssignmentStatus.ACTIVE],
            }
        )
    return render(request, "cases/substitutes.html", {"groups": groups})


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


def _substitute_or_404(request: AuthenticatedHttpRequest, pk: int) -> Substitute:
    substitute = selectors.substitutes_for_administration(request.user).filter(pk=pk).first()
    if substitute is None:
        raise Http404
    return substitute


@require_POST
@permission_required("cases.manage_substitutes", raise_exception=True)
def substitute_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    substitute = _substitute_or_404(request, pk)
    approve = request.POST.get("decision") == "approve"
    services.substitute_decide(actor=request.user, substitute=substitute, approve=approve)
    messages.success(request, _("Goedgekeurd.") if approve else _("Afgewezen."))
    return redirect("substitutes:list")


@require_POST
@permission_required("cases.manage_substitutes", raise_exception=True)
def substitute_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    substitute = _substitute_or_404(request, pk)
    try:
        services.substitute_revoke(actor=request.user, substitute=substitute)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("De vervanger is ingetrokken."))
    return redirect("substitutes:list")

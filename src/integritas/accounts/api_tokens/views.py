"""The token page of one organisation: list, issue (the value shown once), decide, revoke.

Administrators only ("accounts.manage_api_tokens": 403 for anyone else); an organisation
the administrator does not administer is a 404, as is a token of another organisation.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.selectors import organisation_get_for_role
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.organisations.models import Organisation

from . import permissions  # noqa: F401  (registers accounts.manage_api_tokens)
from .forms import ApiTokenForm
from .models import ApiToken
from .selectors import api_token_get, api_tokens_of
from .services import IssuedToken, api_token_decide, api_token_issue, api_token_revoke


def _organisation_or_404(request: AuthenticatedHttpRequest, slug: str) -> Organisation:
    organisation = organisation_get_for_role(request.user, Role.ADMINISTRATOR, slug)
    if organisation is None:
        raise Http404
    return organisation


def _token_or_404(
    request: AuthenticatedHttpRequest, organisation: Organisation, pk: int
) -> ApiToken:
    token = api_token_get(request.user, organisation.pk, pk)
    if token is None:
        raise Http404
    return token


@permission_required("accounts.manage_api_tokens", raise_exception=True)
def token_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """GET: the tokens and the form; POST: issue one and show its value this once.

    The value is in this answer only (never in a message, the session or a redirect),
    which every authenticated page sends with Cache-Control: no-store.
    """
    organisation = _organisation_or_404(request, slug)
    form = ApiTokenForm(request.POST or None)
    issued: IssuedToken | None = None
    if request.method == "POST" and form.is_valid():
        issued = api_token_issue(
            actor=request.user,
            organisation=organisation,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
        )
        form = ApiTokenForm()
    tokens = api_tokens_of(organisation.pk)
    return render(
        request,
        "api_tokens/token_list.html",
        {
            "organisation": organisation,
            "form": form,
            "issued": issued,
            "tokens": tokens,
            "pending": AssignmentStatus.PENDING,
            "active": AssignmentStatus.ACTIVE,
        },
    )


@require_POST
@permission_required("accounts.manage_api_tokens", raise_exception=True)
def token_decide(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """A second administrator approves or rejects a write token (the service refuses the
    requester: 403, recorded)."""
    organisation = _organisation_or_404(request, slug)
    token = _token_or_404(request, organisation, pk)
    approve = request.POST.get("decision") == "approve"
    api_token_decide(actor=request.user, token=token, approve=approve)
    messages.success(request, _("Goedgekeurd.") if approve else _("Afgewezen."))
    return redirect("organisations:api_tokens", slug=organisation.slug)


@require_POST
@permission_required("accounts.manage_api_tokens", raise_exception=True)
def token_revoke(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, slug)
    token = _token_or_404(request, organisation, pk)
    try:
        api_token_revoke(actor=request.user, token=token)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("De API-sleutel is ingetrokken."))
    return redirect("organisations:api_tokens", slug=organisation.slug)

"""The decide and revoke POST views of a four-eyes grant, the same for every kind."""

from collections.abc import Callable
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from integritas.accounts.models import User
from integritas.accounts.types import AuthenticatedHttpRequest

from .models import FourEyesGrant
from .services import FourEyes, Text, grant_decide, grant_revoke

type GrantView = Callable[..., HttpResponse]


class GrantViews(NamedTuple):
    decide: GrantView
    revoke: GrantView


def grant_views[G: FourEyesGrant](
    *,
    kind: FourEyes[G],
    visible: Callable[[User], QuerySet[G]],
    success_url: str,
    revoked: Text,
) -> GrantViews:
    """`decide` and `revoke` for `kind`, for administrators ("accounts.manage_grants"):
    a row outside `visible(user)` is a 404, a refused step a 403 (the service records it);
    then back to `success_url`, saying `revoked` after a revocation."""

    def _grant_or_404(request: AuthenticatedHttpRequest, pk: int) -> G:
        grant = visible(request.user).filter(pk=pk).first()
        if grant is None:
            raise Http404
        return grant

    @require_POST
    @permission_required("accounts.manage_grants", raise_exception=True)
    def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        grant = _grant_or_404(request, pk)
        approve = request.POST.get("decision") == "approve"
        grant_decide(kind=kind, actor=request.user, grant=grant, approve=approve)
        messages.success(request, _("Goedgekeurd.") if approve else _("Afgewezen."))
        return redirect(success_url)

    @require_POST
    @permission_required("accounts.manage_grants", raise_exception=True)
    def revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        grant = _grant_or_404(request, pk)
        try:
            grant_revoke(kind=kind, actor=request.user, grant=grant)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, str(revoked))
        return redirect(success_url)

    return GrantViews(decide=decide, revoke=revoke)

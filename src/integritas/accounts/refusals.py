"""Refused access leaves a trace: the middleware that records it, and the grant routes.

A view refuses by raising 404 (what the user may not even know exists) or 403. Whatever
view on a guarded route (audit.denials.guard_routes) does so for a logged-in user, this
middleware records it once, bounded, through audit.denials: no view needs to remember.
The event goes to the chain of the user's own organisation, whatever the object asked
for: its administrator sees it, and the event is the same whether that object exists or
not, so it tells nobody what exists. Anonymous requests never reach a guarded view (the
login comes first) and are not recorded.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from integritas.audit.constants import DeniedRoute
from integritas.audit.denials import (
    GuardedRoute,
    denial_recorded,
    denial_scope,
    guarded_route,
    record_route_denial,
)
from integritas.organisations.models import Organisation

from .selectors import user_roles

#: The four-eyes routes of role assignments (the substitutes' are the Meldpunt's).
ROUTES = {
    "accounts:assignment_list": GuardedRoute(DeniedRoute.GRANT),
    "accounts:assignment_create": GuardedRoute(DeniedRoute.GRANT),
    "accounts:assignment_decide": GuardedRoute(DeniedRoute.GRANT, "accounts.roleassignment", "pk"),
    "accounts:assignment_revoke": GuardedRoute(DeniedRoute.GRANT, "accounts.roleassignment", "pk"),
}


def actor_organisation(user: Any) -> Organisation | None:
    """The organisation whose chain holds the user's refusals: where they work, else the
    one organisation they hold roles in; None (the region's chain) for a regional role
    or roles in several organisations."""
    roles = user_roles(user)
    if roles.employee is not None:
        return roles.employee.organisation
    if roles.regional_roles:
        return None
    ids = set().union(*roles.organisations_by_role.values())
    if len(ids) != 1:
        return None
    return Organisation.objects.filter(pk=ids.pop()).first()


class DeniedAccessMiddleware:
    """Record a 404 or 403 raised by a view of a guarded route, once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with denial_scope():
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if not isinstance(exception, Http404 | PermissionDenied):
            return
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or match is None or denial_recorded():
            return
        route = guarded_route(match.view_name, match.namespace)
        if route is None:
            return
        record_route_denial(
            actor=user, route=route, kwargs=match.kwargs, organisation=actor_organisation(user)
        )

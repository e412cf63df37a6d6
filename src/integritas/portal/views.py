"""The home page ("Mijn integriteit") and the benchmark baseline."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from integritas.accounts.constants import AssignmentStatus
from integritas.accounts.selectors import user_roles
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.core.contributions import dossier_sections_for
from integritas.core.work_cache import work_lists_kept


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every employee's start page: who they are here, their roles and their work lists."""
    roles = user_roles(request.user)
    # The active roles with the name of their organisation or region, in one query.
    assignments = (
        request.user.assignments.filter(status=AssignmentStatus.ACTIVE)
        .select_related("organisation", "region")
        .only("role", "organisation__name", "region__name")
    )
    return render(
        request,
        "portal/home.html",
        {
            "roles": roles,
            "employee": roles.employee,
            "assignments": assignments,
            "work_lists": work_lists_kept(request),
            # Each app's part of the dossier, with the name of its own Jinja2 template,
            # which the page's Jinja2 body includes in order.
            "sections": dossier_sections_for(request.user, roles.employee),
        },
    )


def trivial(request: HttpRequest) -> HttpResponse:
    """The benchmark baseline: the base layout, no domain data, same middleware."""
    return render(request, "portal/trivial.html")

"""The home page ("Mijn integriteit") and the benchmark baseline."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from integritas.accounts.selectors import user_roles
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.core.contributions import work_lists_for


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every employee's start page: who they are here, their roles and their work lists."""
    roles = user_roles(request.user)
    return render(
        request,
        "portal/home.html",
        {"roles": roles, "employee": roles.employee, "work_lists": work_lists_for(request.user)},
    )


def trivial(request: HttpRequest) -> HttpResponse:
    """The benchmark baseline: the base layout, no domain data, same middleware."""
    return render(request, "portal/trivial.html")

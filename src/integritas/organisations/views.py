"""Organisation settings (administrators) and the employee list (HRM)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from integritas.accounts.constants import Role
from integritas.core.types import AuthenticatedHttpRequest

from . import selectors, services
from .forms import EmployeeFilterForm, OrganisationSettingsForm


@permission_required("organisations.change_settings", raise_exception=True)
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_role(request.user, Role.ADMINISTRATOR)
    return render(request, "organisations/organisation_list.html", {"organisations": organisations})


@permission_required("organisations.change_settings", raise_exception=True)
def organisation_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_role(request.user, Role.ADMINISTRATOR, slug)
    if organisation is None:
        raise Http404
    form = OrganisationSettingsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update_settings(actor=request.user, form=form)
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect("organisations:organisation_list")
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@permission_required("organisations.view_employees", raise_exception=True)
def employee_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmployeeFilterForm(request.GET or None)
    employees = selectors.employees_visible_to_hrm(request.user)
    if form.is_valid():
        if not form.cleaned_data["former"]:
            employees = employees.current()
        if query := form.cleaned_data["q"]:
            employees = employees.filter(
                Q(last_name__icontains=query)
                | Q(first_name__icontains=query)
                | Q(personnel_number=query)
            )
    else:
        employees = employees.current()
    page = Paginator(employees, 50).get_page(request.GET.get("pagina"))
    return render(request, "organisations/employee_list.html", {"form": form, "page": page})


@permission_required("organisations.import_hr", raise_exception=True)
def hr_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload page for the HR export (built on organisations.hr_import)."""
    return render(request, "organisations/hr_import.html", {})

"""Organisation settings (administrators), the employee list and the HR import (HRM)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from integritas.accounts import selectors
from integritas.accounts.constants import Role
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.audit.constants import Origin
from integritas.organisations import services
from integritas.organisations.services import RowError, hr_file_import

from .forms import EmployeeFilterForm, HrImportForm, OrganisationSettingsForm

# The upload page lists this many errors; the command line prints them all.
HR_IMPORT_ERRORS_SHOWN = 500


@permission_required("organisations.change_settings", raise_exception=True)
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_role(request.user, Role.ADMINISTRATOR)
    return render(
        request,
        "organisations/organisation_list.html",
        # Each card says whether the Wbk obliges the organisation to an internal reporting
        # procedure (R-WBK-1: Organisation.internal_procedure_required).
        {
            "organisations": organisations,
            "worker_threshold": settings.INTEGRITAS_WBK_WORKER_THRESHOLD,
        },
    )


@permission_required("organisations.change_settings", raise_exception=True)
def organisation_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_role(request.user, Role.ADMINISTRATOR, slug)
    if organisation is None:
        raise Http404
    form = OrganisationSettingsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update_settings(
            actor=request.user, actor_role=Role.ADMINISTRATOR, form=form
        )
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
    """Upload page for the HR export: HRM imports rows of their own organisations only."""
    bound = request.method == "POST"
    form = HrImportForm(request.POST if bound else None, request.FILES if bound else None)
    errors: list[RowError] = []
    if bound and form.is_valid():
        upload = form.cleaned_data["file"]
        allowed = selectors.organisations_for_role(request.user, Role.HRM)
        result = hr_file_import(
            data=upload.read(),
            filename=upload.name or "",
            actor=request.user,
            actor_role=Role.HRM,
            origin=Origin.WEB,
            allowed_organisation_ids=set(allowed.values_list("pk", flat=True)),
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.ok:
            messages.success(request, result.summary())
            return redirect("organisations:hr_import")
        errors = result.errors
    return render(
        request,
        "organisations/hr_import.html",
        {
            "form": form,
            "errors": errors[:HR_IMPORT_ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_hidden": max(0, len(errors) - HR_IMPORT_ERRORS_SHOWN),
        },
    )

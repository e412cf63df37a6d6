"""Organisation settings (administrators), the employee list and the HR import (HRM)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from integritas.accounts import selectors
from integritas.accounts.constants import Role
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.audit.constants import Origin
from integritas.organisations import services
from integritas.organisations.selectors import (
    employees_count_capped,
    employees_count_of_page,
    employees_of,
    employees_page,
    employees_search,
)
from integritas.organisations.services import (
    HR_IMPORT_COLUMNS,
    HR_IMPORT_OPTIONAL_COLUMNS,
    RowError,
    hr_file_import,
)

from .forms import (
    EmployeeCreateForm,
    EmployeeFilterForm,
    HrImportForm,
    LegalHoldForm,
    OrganisationSettingsForm,
)

# The upload page lists this many errors; the command line prints them all.
HR_IMPORT_ERRORS_SHOWN = 500
# A page link names an employee id; anything longer is not one.
CURSOR_DIGITS = 18
# Cards per page of the organisation list.
ORGANISATION_PAGE_SIZE = 25


@permission_required("organisations.change_settings", raise_exception=True)
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisations an administrator keeps, ORGANISATION_PAGE_SIZE cards a page: a
    regional administrator keeps 350 of them nationally (docs/performance.md)."""
    organisations = selectors.organisations_for_role(request.user, Role.ADMINISTRATOR)
    page = Paginator(organisations, ORGANISATION_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "organisations/organisation_list.html",
        # Each card says whether the Wbk obliges the organisation to an internal reporting
        # procedure (R-WBK-1: Organisation.internal_procedure_required).
        {
            "organisations": page,
            "page": page,
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


def _cursor(value: str | None) -> tuple[int | None, bool]:
    """The employee id in a page link's `na`/`voor`, and whether the value was malformed."""
    if not value:
        return None, False
    if value.isascii() and value.isdigit() and len(value) <= CURSOR_DIGITS:
        return int(value), False
    return None, True


@permission_required("organisations.view_employees", raise_exception=True)
def employee_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """HRM's employees, searchable, in keyset pages: the same queries on every page.

    Two queries after the session's: the page (at most 51 rows, the cursor read in a
    subquery) and the count up to 1,000; a search counts only its page (one query). No
    COUNT(*) over the organisation, no OFFSET.
    """
    form = EmployeeFilterForm(request.GET or None)
    searched = False
    # The organisations HRM holds the role in, as selectors.employees_visible_to_hrm scopes
    # them, but as values, so that the name index serves the page (employees_of).
    scope = employees_of(selectors.user_roles(request.user).organisation_ids(Role.HRM))
    employees = scope.current()
    if form.is_valid():
        if form.cleaned_data["former"]:
            employees = scope
        searched = bool(form.cleaned_data["q"].strip())
        employees = employees_search(employees, form.cleaned_data["q"])
    after, bad_after = _cursor(request.GET.get("na"))
    before, bad_before = _cursor(request.GET.get("voor"))
    page = employees_page(
        employees, scope=scope, after=after, before=None if after is not None else before
    )
    query = request.GET.copy()
    for key in ("na", "voor", "pagina"):
        query.pop(key, None)
    return render(
        request,
        "organisations/employee_list.html",
        {
            "form": form,
            "page": page,
            "count": employees_count_of_page(page)
            if searched
            else employees_count_capped(employees),
            "query": query.urlencode(),
            "page_lost": bad_after or bad_before or page.cursor_lost,
        },
    )


#: The HR file's columns -> the fields of the form for one starter by hand.
EMPLOYEE_FIELDS = {
    "personeelsnummer": "personnel_number",
    "voornaam": "first_name",
    "achternaam": "last_name",
    "email": "email",
    "afdeling": "org_unit",
    "functie": "function",
    "dienstverband": "employment_type",
    "datum_in_dienst": "start_date",
    "leidinggevende": "manager",
}


@permission_required("organisations.import_hr", raise_exception=True)
def employee_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """HRM enters one starter by hand: the HR import of one row, so the same checks and
    the same events (the duties that fit the starter are made, issue 12)."""
    bound = request.method == "POST"
    form = EmployeeCreateForm(
        request.POST if bound else None,
        organisations=selectors.organisations_for_role(request.user, Role.HRM),
    )
    if bound and form.is_valid():
        data = form.cleaned_data
        unit, function = data["org_unit"], data["function"]
        result = services.hr_employee_add(
            actor=request.user,
            actor_role=Role.HRM,
            organisation=data["organisation"],
            row={
                "personeelsnummer": data["personnel_number"],
                "voornaam": data["first_name"],
                "achternaam": data["last_name"],
                "email": data["email"],
                "afdeling": unit.code,
                "afdeling_naam": unit.name,
                # The file names the unit's parent; by hand it stays as it is.
                "bovenliggende_afdeling": unit.parent.code if unit.parent else "",
                "functie": function.code,
                "functie_naam": function.name,
                "dienstverband": data["employment_type"],
                "datum_in_dienst": data["start_date"].isoformat(),
                "leidinggevende": data["manager"],
            },
        )
        if result.ok:
            messages.success(
                request,
                _("De medewerker is toegevoegd, met de verplichtingen die bij hem of haar horen."),
            )
            return redirect("organisations:employee_list")
        for error in result.errors:
            form.add_error(EMPLOYEE_FIELDS.get(error.field), error.message)
    return render(
        request,
        "organisations/employee_create.html",
        {"form": form},
        status=400 if bound else 200,
    )


@permission_required("organisations.set_legal_hold", raise_exception=True)
def employee_legal_hold(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """R-DP-2: HRM or the integrity officer of the employee's organisation puts the
    employee's personnel records under a legal hold, with a reason, or lifts it; the
    retention run skips them while it lasts. A bad POST shows the form again as sent."""
    employee = selectors.employee_get_for_legal_hold(request.user, pk)
    if employee is None:
        raise Http404
    actor_role = (
        Role.HRM
        if selectors.user_roles(request.user).has(Role.HRM, employee.organisation_id)
        else Role.INTEGRITY_OFFICER
    )
    bound = request.method == "POST"
    lifting = bound and request.POST.get("action") == "lift"
    form = LegalHoldForm(
        request.POST if bound and not lifting else None,
        initial={"reason": employee.legal_hold_reason},
    )
    if lifting:
        services.employee_lift_legal_hold(
            actor=request.user, actor_role=actor_role, employee=employee
        )
        messages.success(request, _("De bewaarplicht is opgeheven."))
        return redirect("organisations:employee_legal_hold", pk=employee.pk)
    if bound and form.is_valid():
        try:
            services.employee_set_legal_hold(
                actor=request.user,
                actor_role=actor_role,
                employee=employee,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "De bewaarplicht is vastgelegd: de gegevens van deze medewerker worden "
                    "niet verwijderd zolang zij geldt."
                ),
            )
            return redirect("organisations:employee_legal_hold", pk=employee.pk)
    return render(
        request,
        "organisations/employee_legal_hold.html",
        {
            "employee": employee,
            "form": form,
            "may_view_list": request.user.has_perm("organisations.view_employees"),
        },
        status=400 if bound else 200,
    )


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
            # The file's format: its column names are identifiers, shown as code.
            "columns": HR_IMPORT_COLUMNS,
            "optional_columns": HR_IMPORT_OPTIONAL_COLUMNS,
        },
    )

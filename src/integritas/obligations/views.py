"""The duty pages: HRM's list (filters, export), a manager's team, one duty, recording.

Views stay thin: selectors scope every read (404 outside), services check and write.
"""

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from integritas.accounts.constants import Role
from integritas.accounts.selectors import (
    organisation_get_for_role,
    organisations_for_role,
    user_roles,
)
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.audit.services import audit_record
from integritas.core.files.download import download_response

from . import selectors, services
from .constants import DutyFilter, DutyKind, DutyStatus
from .forms import (
    CloseForm,
    CompleteForm,
    DeclarationForm,
    DutyCreateForm,
    DutyFilterForm,
    InterviewForm,
    OathRecordForm,
    SettingsForm,
    VogForm,
)
from .models import Duty
from .vault import signed_form_filename, signed_form_open

CURSOR_DIGITS = 18
#: An export holds at most this many rows (the filters narrow it down).
EXPORT_CAP = 20_000
EXPORT_FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cursor(value: str | None) -> int | None:
    if value and value.isascii() and value.isdigit() and len(value) <= CURSOR_DIGITS:
        return int(value)
    return None


def _filtered(
    request: AuthenticatedHttpRequest, scope: QuerySet[Duty]
) -> tuple[DutyFilterForm, QuerySet[Duty]]:
    form = DutyFilterForm(request.GET or None)
    state, kind = DutyFilter.OPEN, ""
    if form.is_valid():
        state = form.cleaned_data["status"] or DutyFilter.OPEN
        kind = form.cleaned_data["kind"]
    return form, selectors.duties_filter(scope, state=state, kind=kind)


def _list(request: AuthenticatedHttpRequest, scope: QuerySet[Duty], *, team: bool) -> HttpResponse:
    today = timezone.localdate()
    form, duties = _filtered(request, scope)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS and not team:
        return _export(request, duties, export)
    after = _cursor(request.GET.get("na"))
    before = _cursor(request.GET.get("voor"))
    page = selectors.duties_page(
        duties, scope=scope, after=after, before=None if after is not None else before
    )
    query = request.GET.copy()
    for key in ("na", "voor", "export"):
        query.pop(key, None)
    return render(
        request,
        "obligations/duty_list.html",
        {
            "form": form,
            "page": page,
            "rows": [
                (duty, duty.status == DutyStatus.OPEN and duty.due_date < today) for duty in page
            ],
            "count": selectors.duties_count_capped(duties),
            "count_cap": selectors.COUNT_CAP,
            "query": query.urlencode(),
            "today": today,
            "team": team,
        },
    )


@permission_required("obligations.view_duties", raise_exception=True)
def duty_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """HRM: every duty of their organisations, by due date, filtered; CSV/XLSX export."""
    return _list(request, selectors.duties_for_hrm(request.user), team=False)


@permission_required("obligations.view_team", raise_exception=True)
def team(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A manager: the duties of their team (seeing, not recording)."""
    return _list(request, selectors.duties_for_team(request.user), team=True)


def _export(request: AuthenticatedHttpRequest, duties: QuerySet[Duty], fmt: str) -> HttpResponse:
    today = timezone.localdate()
    data = tablib.Dataset(
        headers=[
            _("Personeelsnummer"),
            _("Achternaam"),
            _("Voornaam"),
            _("Soort"),
            _("Jaar"),
            _("Status"),
            _("Uiterlijk"),
            _("Afgerond op"),
            _("Te laat"),
        ]
    )
    rows = selectors.duties_for_list(duties).order_by("due_date", "pk")[:EXPORT_CAP]
    for duty in rows:
        overdue = duty.status == DutyStatus.OPEN and duty.due_date < today
        data.append(
            [
                duty.employee.personnel_number,
                duty.employee.last_name,
                duty.employee.first_name,
                str(duty.get_kind_display()),
                duty.period or "",
                str(duty.get_status_display()),
                duty.due_date.isoformat(),
                duty.completed_on.isoformat() if duty.completed_on else "",
                _("ja") if overdue else _("nee"),
            ]
        )
    audit_record(
        action="obligations.duties_exported",
        actor=request.user,
        actor_role=Role.HRM,
        object_type="obligations.duty",
        object_id=len(data),
    )
    content = data.export(fmt)
    response = HttpResponse(
        content.encode("utf-8") if isinstance(content, str) else content,
        content_type=EXPORT_FORMATS[fmt],
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"verplichtingen-{today.isoformat()}.{fmt}"
    )
    response["Cache-Control"] = "no-store, private"
    return response


def duty_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One duty: HRM of its organisation, the employee or their manager (else 404)."""
    duty = selectors.duty_get(request.user, pk)
    can_manage = request.user.has_perm("obligations.manage_duty", duty)
    signed = selectors.signed_form_of(duty) if can_manage else None
    return render(
        request,
        "obligations/duty_detail.html",
        {
            "duty": duty,
            "employee": duty.employee,
            "can_manage": can_manage,
            "can_acknowledge": duty.status == DutyStatus.OPEN
            and request.user.has_perm("obligations.acknowledge_declaration", duty),
            "can_record_interview": duty.kind == DutyKind.INTEGRITY_INTERVIEW
            and duty.status == DutyStatus.OPEN
            and not can_manage
            and request.user.has_perm("obligations.record_interview")
            and duty.employee_id != getattr(user_roles(request.user).employee, "pk", None),
            "signed_form": signed,
            "today": timezone.localdate(),
            "close_form": CloseForm() if can_manage and duty.status == DutyStatus.OPEN else None,
        },
    )


def _apply(form: object, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None  # type: ignore[attr-defined]
            for error in errors:
                form.add_error(target, error)  # type: ignore[attr-defined]
    else:
        form.add_error(None, exc)  # type: ignore[attr-defined]


@permission_required("obligations.view_duties", raise_exception=True)
def duty_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """HRM records a duty done: the VOG, the eed or belofte with the signed form, or
    another duty with an optional signed form."""
    duty = selectors.duty_get_for_hrm(request.user, pk)
    if duty.status != DutyStatus.OPEN:
        messages.info(request, _("Deze verplichting is niet meer open."))
        return redirect("obligations:duty_detail", pk=duty.pk)
    bound = request.method == "POST"
    data = request.POST if bound else None
    files = request.FILES if bound else None
    form: VogForm | OathRecordForm | CompleteForm
    if duty.kind == DutyKind.VOG:
        form = VogForm(data)
    elif duty.kind == DutyKind.OATH:
        form = OathRecordForm(data, files)
    else:
        form = CompleteForm(data, files)
    if bound and form.is_valid():
        cleaned = form.cleaned_data
        try:
            if isinstance(form, VogForm):
                services.vog_record(
                    actor=request.user,
                    duty=duty,
                    issued_on=cleaned["issued_on"],
                    note=cleaned["note"],
                )
            elif isinstance(form, OathRecordForm):
                services.oath_record(
                    actor=request.user,
                    duty=duty,
                    taken_on=cleaned["taken_on"],
                    oath_form=cleaned["oath_form"],
                    administered_by=cleaned["administered_by"],
                    upload=cleaned["signed_form"],
                )
            else:
                upload: UploadedFile | None = cleaned["signed_form"] or None
                services.duty_complete(
                    actor=request.user,
                    duty=duty,
                    completed_on=cleaned["completed_on"],
                    note=cleaned["note"],
                    upload=upload,
                )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("De verplichting is vastgelegd."))
            return redirect("obligations:duty_detail", pk=duty.pk)
    return render(
        request,
        "obligations/duty_record.html",
        {"duty": duty, "employee": duty.employee, "form": form},
        status=400 if bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("obligations.record_interview", raise_exception=True)
def interview_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """R-AW-2: the manager records that integrity was discussed in the HRM cycle of a
    member of their team (404 for anyone else's duty)."""
    duty = selectors.interview_get_for_manager(request.user, pk)
    if duty.status != DutyStatus.OPEN:
        messages.info(request, _("Deze verplichting is niet meer open."))
        return redirect("obligations:duty_detail", pk=duty.pk)
    bound = request.method == "POST"
    form = InterviewForm(request.POST if bound else None)
    if bound and form.is_valid():
        try:
            services.interview_record(
                actor=request.user,
                duty=duty,
                discussed_on=form.cleaned_data["discussed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Vastgelegd dat integriteit is besproken."))
            return redirect("obligations:duty_detail", pk=duty.pk)
    return render(
        request,
        "obligations/interview_record.html",
        {"duty": duty, "employee": duty.employee, "form": form},
        status=400 if bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("obligations.view_own", raise_exception=True)
def declaration_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A hired worker or intern reads the organisation's integriteitsverklaring and
    acknowledges it: "ontvangen, gelezen en ik houd mij eraan" (R-AW-4, seed 3.2.5).

    Only their own (404 for anyone else's). A declaration that is done or no longer
    applies gets a friendly message on the duty's page, for a second POST as well."""
    duty = selectors.declaration_get_own(request.user, pk)
    if duty.status == DutyStatus.DONE:
        messages.info(request, _("U heeft de integriteitsverklaring al bevestigd."))
        return redirect("obligations:duty_detail", pk=duty.pk)
    if duty.status != DutyStatus.OPEN:
        messages.info(request, _("Deze verplichting is vervallen: u hoeft niets meer te doen."))
        return redirect("obligations:duty_detail", pk=duty.pk)
    rules = selectors.settings_for(duty.organisation_id)
    bound = request.method == "POST"
    form = DeclarationForm(
        request.POST if bound else None, initial={"version": rules.declaration_version}
    )
    if bound and form.is_valid():
        try:
            services.declaration_acknowledge(
                actor=request.user, duty=duty, version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            duty.refresh_from_db(fields=["status"])
            if duty.status == DutyStatus.DONE:  # a second POST that crossed the first
                messages.info(request, _("U heeft de integriteitsverklaring al bevestigd."))
                return redirect("obligations:duty_detail", pk=duty.pk)
            # The text changed while they read: show the current one, to tick again.
            data = request.POST.copy()
            data["version"] = str(rules.declaration_version)
            data.pop("confirm", None)
            form = DeclarationForm(data)
            form.is_valid()
            _apply(form, exc)
        else:
            messages.success(
                request,
                _("Dank u wel. Uw bevestiging van de integriteitsverklaring is vastgelegd."),
            )
            return redirect("home")
    return render(
        request,
        "obligations/declaration_acknowledge.html",
        {
            "duty": duty,
            "organisation": duty.employee.organisation,
            "text": rules.declaration_text,
            "version": rules.declaration_version,
            "form": form,
        },
        status=400 if bound else 200,
    )


@require_POST
@permission_required("obligations.view_duties", raise_exception=True)
def duty_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    duty = selectors.duty_get_for_hrm(request.user, pk)
    form = CloseForm(request.POST)
    if form.is_valid() and duty.status == DutyStatus.OPEN:
        services.duty_close(actor=request.user, duty=duty, note=form.cleaned_data["note"])
        messages.success(request, _("De verplichting is vervallen."))
    else:
        messages.error(request, _("Geef aan waarom de verplichting vervalt."))
    return redirect("obligations:duty_detail", pk=duty.pk)


@permission_required("obligations.view_duties", raise_exception=True)
def duty_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """HRM adds a duty by hand to an employee of their organisation."""
    form = DutyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employee = selectors.employee_get_for_hrm(
            request.user, form.cleaned_data["personnel_number"]
        )
        if employee is None:
            form.add_error(
                "personnel_number",
                _("Er is geen medewerker met dit personeelsnummer in uw organisatie."),
            )
        else:
            try:
                duty = services.duty_create(
                    actor=request.user,
                    employee=employee,
                    kind=form.cleaned_data["kind"],
                    due_date=form.cleaned_data["due_date"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("De verplichting is toegevoegd."))
                return redirect("obligations:duty_detail", pk=duty.pk)
    return render(
        request,
        "obligations/duty_create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _pdf_download(content: bytes, filename: str) -> HttpResponse:
    """A generated form with personal details, as an attachment no cache keeps."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("obligations.view_duties", raise_exception=True)
def oath_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The oath form as a PDF to print and sign (a download, audited)."""
    duty = selectors.duty_get_for_hrm(request.user, pk)
    if duty.kind != DutyKind.OATH:
        raise Http404
    content = services.oath_form_render(actor=request.user, duty=duty)
    return _pdf_download(content, f"eed-of-belofte-{duty.employee.personnel_number}.pdf")


@permission_required("obligations.view_duties", raise_exception=True)
def declaration_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The integriteitsverklaring as a PDF to print and sign (a download, audited)."""
    duty = selectors.duty_get_for_hrm(request.user, pk)
    if duty.kind != DutyKind.DECLARATION:
        raise Http404
    content = services.declaration_form_render(actor=request.user, duty=duty)
    return _pdf_download(content, f"integriteitsverklaring-{duty.employee.personnel_number}.pdf")


@permission_required("obligations.view_duties", raise_exception=True)
def signed_form_download(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    duty = selectors.duty_get_for_hrm(request.user, pk)
    form = selectors.signed_form_of(duty)
    if form is None:
        raise Http404
    audit_record(
        action="obligations.signed_form_downloaded",
        actor=request.user,
        actor_role=Role.HRM,
        obj=form,
        organisation=duty.employee.organisation,
    )
    return download_response(
        signed_form_open(form), filename=signed_form_filename(form), size=form.size
    )


@permission_required("obligations.view_duties", raise_exception=True)
def settings_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisations whose rules HRM sets."""
    return render(
        request,
        "obligations/settings_list.html",
        {"organisations": organisations_for_role(request.user, Role.HRM)},
    )


@permission_required("obligations.view_duties", raise_exception=True)
def settings_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """HRM sets the organisation's rules for duties (404 for another organisation)."""
    organisation = organisation_get_for_role(request.user, Role.HRM, slug)
    if organisation is None:
        raise Http404
    current = selectors.settings_for(organisation.pk)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(
                actor=request.user, organisation_id=organisation.pk, changes=form.changes()
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("De regels voor verplichtingen zijn opgeslagen."))
            return redirect("obligations:settings_list")
    return render(
        request,
        "obligations/settings_form.html",
        {"form": form, "organisation": organisation},
        status=400 if request.method == "POST" else 200,
    )

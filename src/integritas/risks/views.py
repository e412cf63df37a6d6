"""The pages of `risks`: thin; selectors read (404 outside need to know), services write."""

from typing import Any

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.audit.services import audit_record
from integritas.organisations.models import Organisation

from . import heatmap, selectors, services
from .constants import ACTIVITIES, AmplifyingFactor, AssessmentStatus, RiskLevel
from .forms import AssessmentForm, FactorsForm, MeasureForm, OverrideForm
from .models import RiskAssessment

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _organisation(request: AuthenticatedHttpRequest, slug: str) -> Organisation:
    organisation = selectors.organisation_readable(request.user, slug)
    if organisation is None:
        raise Http404
    return organisation


def _editable(request: AuthenticatedHttpRequest, slug: str) -> Organisation:
    organisation = _organisation(request, slug)
    if not request.user.has_perm("risks.edit", organisation):
        raise PermissionDenied
    return organisation


def _assessment(request: AuthenticatedHttpRequest, pk: int, *, edit: bool) -> RiskAssessment:
    assessment = selectors.assessment_get(request.user, pk)
    if assessment is None:
        raise Http404
    if edit and not request.user.has_perm("risks.edit", assessment):
        raise PermissionDenied
    return assessment


@permission_required("risks.view_any", raise_exception=True)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisations whose analysis the user reads, and a manager's team functions."""
    organisations = Paginator(selectors.organisations_readable(request.user), 50).get_page(
        request.GET.get("pagina")
    )
    team = None
    if request.user.has_perm("risks.view_team"):
        team = Paginator(selectors.team_assessments(request.user), 50).get_page(
            request.GET.get("team")
        )
    return render(
        request,
        "risks/overview.html",
        {"page": organisations, "team": team, "region": request.user.has_perm("risks.view_region")},
    )


@permission_required("risks.view", raise_exception=True)
def organisation_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    page = selectors.functions_page(organisation, request.GET.get("pagina"))
    return render(
        request,
        "risks/organisation.html",
        {
            "organisation": organisation,
            "page": page,
            "can_edit": request.user.has_perm("risks.edit", organisation),
        },
    )


@permission_required("risks.view", raise_exception=True)
def organisation_heatmap(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    page, rows = selectors.organisation_heat_rows(organisation, request.GET.get("pagina"))
    return render(
        request,
        "risks/heatmap.html",
        {
            "organisation": organisation,
            "page": page,
            "rows": rows,
            "map": heatmap.build(rows),
            "activities": ACTIVITIES,
            "levels": RiskLevel,
        },
    )


@permission_required("risks.view_region", raise_exception=True)
def region_heatmap(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Organisations x activities over the region: one aggregate query, 50 a page."""
    page, rows = selectors.region_heat_page(request.user, request.GET.get("pagina"))
    return render(
        request,
        "risks/region.html",
        {
            "page": page,
            "rows": rows,
            "map": heatmap.build(rows, shares=True),
            "activities": ACTIVITIES,
            "levels": list(RiskLevel),
        },
    )


def _export(
    request: AuthenticatedHttpRequest, data: tablib.Dataset, fmt: str, name: str
) -> HttpResponse:
    content = data.export(fmt)
    response = HttpResponse(
        content.encode("utf-8") if isinstance(content, str) else content,
        content_type=EXPORT_FORMATS[fmt],
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@permission_required("risks.view", raise_exception=True)
def organisation_export(request: AuthenticatedHttpRequest, slug: str, fmt: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    data = tablib.Dataset(
        headers=[
            _("Code"),
            _("Functie"),
            *(str(a.label) for a in ACTIVITIES),
            _("Risiconiveau"),
            _("Status"),
        ]
    )
    levels = dict(RiskLevel.choices)
    statuses = dict(AssessmentStatus.choices)
    for row in selectors.export_rows(organisation):
        *head, level, status = row
        data.append([*head, str(levels[level]), str(statuses[status])])
    audit_record(
        action="risk_assessment.export",
        actor=request.user,
        object_type="risks.riskassessment",
        organisation=organisation,
    )
    return _export(request, data, fmt, f"risicoanalyse-{organisation.slug}")


@permission_required("risks.view_region", raise_exception=True)
def region_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    data = tablib.Dataset(
        headers=[
            _("Organisatie"),
            _("Beoordeelde functies"),
            *(str(a.label) for a in ACTIVITIES),
            *(str(level.label) for level in RiskLevel),
        ]
    )
    for row in selectors.region_heat_rows(request.user):
        data.append([row.label, row.total, *row.values, *row.levels])
    audit_record(
        action="risk_assessment.export_region",
        actor=request.user,
        object_type="risks.riskassessment",
    )
    return _export(request, data, fmt, "risicoanalyse-regio")


@permission_required("risks.edit", raise_exception=True)
def assess(request: AuthenticatedHttpRequest, function_pk: int) -> HttpResponse:
    """Create or change the assessment of a function."""
    function = selectors.function_for_assessment(request.user, function_pk)
    if function is None:
        raise Http404
    existing = selectors.assessment_of(function)
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {f"score_{k}": v for k, v in existing.scores.items()}
        initial |= {"org_unit": existing.org_unit_id, "note": existing.note}
    form = AssessmentForm(request.POST or None, organisation=function.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_save(
            actor=request.user,
            function=function,
            scores=form.scores(),
            org_unit=form.cleaned_data["org_unit"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("De risicoanalyse is opgeslagen als concept."))
        return redirect("risks:assessment", assessment.pk)
    return render(request, "risks/assess.html", {"form": form, "function": function})


@permission_required("risks.view_any", raise_exception=True)
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk, edit=False)
    can_edit = request.user.has_perm("risks.edit", assessment)
    derivation = services.assessment_derivation(assessment)
    proposal = services.assessment_proposal(assessment)
    factors = selectors.factors_for(assessment.organisation, assessment.org_unit)
    present = set(services.present_factors(factors))
    return render(
        request,
        "risks/assessment.html",
        {
            "assessment": assessment,
            "function": assessment.function,
            "scores": [(a, assessment.scores[a.value]) for a in ACTIVITIES],
            "derivation": derivation,
            "factors": [(f, f.value in present) for f in AmplifyingFactor],
            "factors_scope": factors,
            "proposal": proposal,
            "proposal_activities": [
                a for a in ACTIVITIES if a.value in proposal.vulnerable_activities
            ],
            "current_activities": [
                a
                for a in ACTIVITIES
                if a.value in (assessment.function.vulnerable_activities or [])
            ],
            "can_edit": can_edit,
            "override_form": OverrideForm(
                initial={"level": assessment.override_level, "reason": assessment.override_reason}
            )
            if can_edit
            else None,
            "measures": selectors.measures_visible_to(request.user)
            .filter(function=assessment.function)
            .select_related("owner")
            .order_by("review_date")[:50],
        },
    )


@permission_required("risks.edit", raise_exception=True)
def assessment_override(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk, edit=True)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_override(
                actor=request.user,
                assessment=assessment,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het risiconiveau is aangepast."))
            return redirect("risks:assessment", assessment.pk)
    return render(
        request, "risks/override.html", {"form": form, "assessment": assessment}, status=200
    )


@require_POST
@permission_required("risks.edit", raise_exception=True)
def assessment_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk, edit=True)
    services.assessment_confirm(actor=request.user, assessment=assessment)
    messages.success(
        request,
        _("De risicoanalyse is vastgesteld. Controleer de voorgestelde gevolgen voor de functie."),
    )
    return redirect("risks:assessment", assessment.pk)


@require_POST
@permission_required("risks.edit", raise_exception=True)
def assessment_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk, edit=True)
    try:
        services.assessment_apply_profile(actor=request.user, assessment=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Het integriteitsprofiel van de functie is bijgewerkt."))
    return redirect("risks:assessment", assessment.pk)


@permission_required("risks.view", raise_exception=True)
def factors(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The amplifying factors of the organisation and its units; HRM / the functionaris
    integriteit change them (?afdeling=<id> for a unit)."""
    organisation = _organisation(request, slug)
    can_edit = request.user.has_perm("risks.edit", organisation)
    unit = None
    unit_id = request.GET.get("afdeling") or request.POST.get("afdeling")
    if unit_id:
        unit = (
            selectors.units_of(organisation).filter(pk=unit_id if unit_id.isdigit() else 0).first()
        )
        if unit is None:
            raise Http404
    current = selectors.factors_for(organisation, unit) if unit is None else None
    if unit is not None:
        current = next(
            (f for f in selectors.factors_of(organisation) if f.org_unit_id == unit.pk), None
        )
    form = FactorsForm(request.POST or None, initial={"present": services.present_factors(current)})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            services.factors_save(
                actor=request.user,
                organisation=organisation,
                org_unit=unit,
                present=form.cleaned_data["present"],
            )
            messages.success(request, _("De versterkende factoren zijn opgeslagen."))
            return redirect("risks:factors", organisation.slug)
    recorded = selectors.factors_of(organisation)
    return render(
        request,
        "risks/factors.html",
        {
            "organisation": organisation,
            "form": form if can_edit else None,
            "unit": unit,
            "recorded": [
                (f, [a for a in AmplifyingFactor if getattr(f, a.value)]) for f in recorded
            ],
            "units": selectors.units_of(organisation)[:200],
        },
    )


@login_required
def measure_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    overdue = request.GET.get("achterstallig") == "1"
    page = selectors.measures_page(
        request.user, overdue_only=overdue, number=request.GET.get("pagina")
    )
    return render(request, "risks/measure_list.html", {"page": page, "overdue": overdue})


@permission_required("risks.edit", raise_exception=True)
def measure_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _editable(request, slug)
    function = None
    function_id = request.GET.get("functie") or ""
    if function_id:
        function = selectors.function_for_assessment(
            request.user, int(function_id) if function_id.isdigit() else 0
        )
        if function is None or function.organisation_id != organisation.pk:
            raise Http404
    form = MeasureForm(request.POST or None, organisation=organisation, function=function)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_create(
                actor=request.user,
                organisation=organisation,
                function=function,
                process=form.cleaned_data.get("process", ""),
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner_number"],
                status=form.cleaned_data["status"],
                review_date=form.cleaned_data["review_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De maatregel is opgeslagen."))
            return redirect("risks:measure_list")
    return render(
        request,
        "risks/measure_form.html",
        {"form": form, "organisation": organisation, "function": function},
    )


@login_required
def measure_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_get(request.user, pk)
    if measure is None:
        raise Http404
    if not request.user.has_perm("risks.edit", measure):
        raise PermissionDenied
    owner_employee = getattr(measure.owner, "employee", None)
    form = MeasureForm(
        request.POST or None,
        organisation=measure.organisation,
        editing=True,
        initial={
            "owner_number": owner_employee.personnel_number if owner_employee else "",
            "status": measure.status,
            "review_date": measure.review_date,
            "description": measure.description,
        },
    )
    form.original_review_date = measure.review_date
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(
                actor=request.user,
                measure=measure,
                owner=form.cleaned_data["owner_number"],
                review_date=form.cleaned_data["review_date"],
                status=form.cleaned_data["status"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De maatregel is opgeslagen."))
            return redirect("risks:measure_list")
    return render(
        request,
        "risks/measure_form.html",
        {
            "form": form,
            "organisation": measure.organisation,
            "measure": measure,
            "function": measure.function,
        },
    )

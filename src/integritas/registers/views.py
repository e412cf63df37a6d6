"""The pages of the registers. Thin: forms, a service call, a selector (404 outside)."""

import datetime
from collections.abc import Callable
from typing import Any

import tablib
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.audit.services import audit_record
from integritas.organisations.models import Organisation

from . import selectors, services, vault
from .campaign_links import back_to_confirmation
from .constants import (
    CounterpartyKind,
    Criterion,
    Kind,
    MatchBy,
    SignalReason,
    SignalState,
    Status,
)
from .counterparty_file import CounterpartyFileError, read_counterparty_upload
from .forms import (
    ConflictForm,
    ContractForm,
    CounterpartyUploadForm,
    DecisionForm,
    EndForm,
    FinancialInterestForm,
    GiftForm,
    RegisterFilterForm,
    SideActivityForm,
    SignalFilterForm,
    SignalWeighForm,
)
from .models import Registration
from .permissions import current_employee

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _registration_or_404(request: AuthenticatedHttpRequest, pk: int) -> Registration:
    registration = selectors.registration_get(request.user, pk)
    if registration is None:
        raise Http404
    return registration


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --------------------------------------------------------------------------- employee


@permission_required("registers.register", raise_exception=True)
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    employee = current_employee(request.user)
    return render(
        request,
        "registers/mine.html",
        {
            "registrations": selectors.registrations_of_employee(employee),
            "may_register_financial": request.user.has_perm("registers.register_financial"),
        },
    )


def _create(
    request: AuthenticatedHttpRequest,
    form_class: type,
    service: Callable[..., Registration],
    template: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    employee = current_employee(request.user)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = service(actor=request.user, employee=employee, data=form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if registration.status == Status.NOTED:
                messages.success(
                    request, _("Uw melding is geregistreerd. Er is geen besluit nodig.")
                )
            else:
                messages.success(request, _("Uw registratie is ontvangen en wacht op een besluit."))
            return back_to_confirmation(request) or redirect("registers:detail", pk=registration.pk)
    return render(request, template, {"form": form, **(extra or {})})


@permission_required("registers.register", raise_exception=True)
def side_activity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _create(
        request,
        SideActivityForm,
        services.side_activity_register,
        "registers/form.html",
        {"title": _("Nevenwerkzaamheid melden"), "criteria": Criterion.choices},
    )


@permission_required("registers.register", raise_exception=True)
def gift_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    employee = current_employee(request.user)
    organisation = Organisation.objects.only("name", "gift_threshold").get(
        pk=employee.organisation_id
    )
    return _create(
        request,
        GiftForm,
        services.gift_register,
        "registers/gift_form.html",
        {"title": _("Geschenk of uitnodiging melden"), "organisation": organisation},
    )


@permission_required("registers.register", raise_exception=True)
def conflict_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _create(
        request,
        ConflictForm,
        services.conflict_register,
        "registers/form.html",
        {"title": _("Mogelijk belangenconflict melden")},
    )


@permission_required("registers.register", raise_exception=True)
def contract_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _create(
        request,
        ContractForm,
        services.contract_register,
        "registers/form.html",
        {"title": _("Toestemming vragen voor een opdracht of levering")},
    )


@permission_required("registers.register_financial", raise_exception=True)
def financial_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _create(
        request,
        FinancialInterestForm,
        services.financial_interest_register,
        "registers/form.html",
        {
            "title": _("Financieel belang melden"),
            "intro": _(
                "Alleen de functionaris integriteit en HRM zien deze melding. Zij wordt "
                "versleuteld bewaard en nooit gepubliceerd."
            ),
        },
    )


def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = _registration_or_404(request, pk)
    outcome_only = selectors.outcome_only(request.user, registration)
    context: dict[str, Any] = {
        "registration": registration,
        "outcome_only": outcome_only,
        "may_decide": request.user.has_perm("registers.decide", registration),
        "is_own": registration.employee_id == getattr(current_employee(request.user), "pk", None),
    }
    if not outcome_only:
        context["decisions"] = selectors.decisions_of(registration)
        if registration.kind == Kind.FINANCIAL_INTEREST:
            context["financial"] = vault.unseal_details(registration.financial_interest)
            audit_record(
                action="registers.financial_interest.read",
                actor=request.user,
                obj=registration,
                organisation=registration.organisation,
            )
    return render(request, "registers/detail.html", context)


def _own_side_activity(request: AuthenticatedHttpRequest, pk: int) -> Registration:
    registration = _registration_or_404(request, pk)
    employee = current_employee(request.user)
    if (
        employee is None
        or registration.employee_id != employee.pk
        or registration.kind != Kind.SIDE_ACTIVITY
    ):
        raise PermissionDenied
    return registration


@permission_required("registers.register", raise_exception=True)
def side_activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = _own_side_activity(request, pk)
    activity = registration.side_activity
    initial = {
        "description": registration.title,
        "client_name": activity.client_name,
        "kvk_number": activity.kvk_number,
        "paid": "1" if activity.paid else "0",
        "hours_per_month": activity.hours_per_month,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "relation_to_work": activity.relation_to_work,
        "relation_to_parties": activity.relation_to_parties,
    }
    form = SideActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.side_activity_change(
                actor=request.user, registration=registration, data=form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("De wijziging is ontvangen en wacht op een besluit."))
            return back_to_confirmation(request) or redirect("registers:detail", pk=registration.pk)
    return render(
        request,
        "registers/form.html",
        {"form": form, "title": _("Nevenwerkzaamheid wijzigen"), "registration": registration},
    )


@permission_required("registers.register", raise_exception=True)
def side_activity_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = _own_side_activity(request, pk)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.side_activity_end(
                actor=request.user,
                registration=registration,
                end_date=form.cleaned_data["end_date"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("De einddatum is vastgelegd."))
            return back_to_confirmation(request) or redirect("registers:detail", pk=registration.pk)
    return render(
        request,
        "registers/form.html",
        {"form": form, "title": _("Nevenwerkzaamheid beëindigen"), "registration": registration},
    )


# --------------------------------------------------------------------------- deciding


@permission_required("registers.decide", raise_exception=True)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    registrations, more = selectors.queue_for(request.user)
    rows = _register_rows(registrations)
    for row, registration in zip(rows, registrations, strict=True):
        row["url"] = f"{row['url']}besluit/"
        function = registration.employee.function
        row["function"] = function.name if function else ""
        row["reassessment"] = registration.reassessment
    return render(request, "registers/queue.html", {"rows": rows, "more": more})


def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = _registration_or_404(request, pk)
    if not request.user.has_perm("registers.decide", registration):
        raise PermissionDenied
    form = DecisionForm(
        request.POST or None,
        outcomes=services.outcomes_for(registration),
        kind=registration.kind,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.registration_decide(
                actor=request.user,
                registration=registration,
                outcome=data["outcome"],
                criteria=data.get("criteria", []),
                reasons=data.get("reasons", ""),
                conditions=data.get("conditions", ""),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Het besluit is vastgelegd. De medewerker krijgt bericht."))
            return redirect("registers:queue")
    employee = registration.employee
    context: dict[str, Any] = {
        "registration": registration,
        "form": form,
        "function": employee.function,
        "vulnerable": list(employee.function.vulnerable_activities) if employee.function else [],
    }
    if registration.kind == Kind.FINANCIAL_INTEREST:
        context["financial"] = vault.unseal_details(registration.financial_interest)
    return render(request, "registers/decide.html", context)


# --------------------------------------------------------------------------- the register


def _register_organisation(
    request: AuthenticatedHttpRequest, organisations: list[Organisation] | None = None
) -> Organisation:
    if organisations is None:
        organisations = selectors.register_organisations(request.user)
    slug = request.GET.get("organisatie", "")
    for organisation in organisations:
        if organisation.slug == slug or not slug:
            return organisation
    raise Http404


def _filters(
    request: AuthenticatedHttpRequest,
) -> tuple[RegisterFilterForm, selectors.RegisterFilter]:
    form = RegisterFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, selectors.RegisterFilter(
            kind=data.get("soort") or "",
            status=data.get("status") or "",
            start=data.get("van"),
            end=data.get("tot"),
        )
    return form, selectors.RegisterFilter()


@permission_required("registers.view_register", raise_exception=True)
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = selectors.register_organisations(request.user)
    organisation = _register_organisation(request, organisations)
    form, filters = _filters(request)
    page = selectors.register_page(
        organisation, filters, older=request.GET.get("ouder"), newer=request.GET.get("nieuwer")
    )
    query = request.GET.copy()
    query.pop("ouder", None)
    query.pop("nieuwer", None)
    totals_start, totals_end = filters.start, filters.end
    if totals_start is None and totals_end is None:
        # Without a chosen period, this month and the eleven before it: whole months, so
        # the totals come from the maintained totals per giver and month alone.
        today = timezone.localdate()
        months_back = today.year * 12 + today.month - 1 - 11
        totals_start = datetime.date(months_back // 12, months_back % 12 + 1, 1)
    return render(
        request,
        "registers/register.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "form": form,
            "page": page,
            "rows": _register_rows(page),
            "query": query.urlencode(),
            "totals": selectors.gift_totals(organisation, totals_start, totals_end),
            "totals_start": totals_start,
            "totals_end": totals_end,
        },
    )


def _register_rows(registrations: Any) -> list[dict[str, Any]]:
    """Plain values of the rows of the register and the queue (their Jinja2 bodies).
    The labels are translated once per page, not once per row and choice."""
    kinds = {value: str(label) for value, label in Kind.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    detail = reverse("registers:detail", args=[0]).removesuffix("0/")
    days: dict[datetime.date, str] = {}

    def day(moment: datetime.datetime) -> str:
        local = timezone.localdate(moment)
        if local not in days:
            days[local] = date_format(local, "j F Y")
        return days[local]

    return [
        {
            "pk": registration.pk,
            "url": f"{detail}{registration.pk}/",
            "date": day(registration.created_at),
            "employee": registration.employee.full_name,
            "kind": kinds.get(registration.kind, registration.kind),
            "title": registration.title,
            "confidential": registration.kind == Kind.FINANCIAL_INTEREST,
            "status": statuses.get(registration.status, registration.status),
        }
        for registration in registrations
    ]


def _export_row(registration: Registration) -> list[Any]:
    what = registration.title
    if registration.kind == Kind.FINANCIAL_INTEREST:
        details = vault.unseal_details(registration.financial_interest)
        what = details.get("company", "")
    value = ""
    if registration.kind == Kind.GIFT:
        value = f"{registration.gift.value_cents / 100:.2f}"
    return [
        registration.created_at.date().isoformat(),
        registration.employee.full_name,
        registration.employee.function.name if registration.employee.function else "",
        str(registration.get_kind_display()),
        what,
        value,
        str(registration.get_status_display()),
        registration.conditions,
    ]


@permission_required("registers.view_register", raise_exception=True)
def register_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    organisation = _register_organisation(request)
    _form, filters = _filters(request)
    data = tablib.Dataset(
        headers=[
            _("Datum"),
            _("Medewerker"),
            _("Functie"),
            _("Soort"),
            _("Omschrijving"),
            _("Waarde (euro)"),
            _("Status"),
            _("Voorwaarden"),
        ]
    )
    rows = selectors.register_export_rows(organisation, filters).order_by("-created_at", "-pk")
    for registration in rows.iterator(chunk_size=500):
        data.append(_export_row(registration))
    audit_record(
        action="registers.export",
        actor=request.user,
        object_type="registers.registration",
        organisation=organisation,
    )
    content = data.export(fmt)
    response = HttpResponse(
        content.encode("utf-8") if isinstance(content, str) else content,
        content_type=EXPORT_FORMATS[fmt],
    )
    response["Content-Disposition"] = f'attachment; filename="registers-{organisation.slug}.{fmt}"'
    return response


# --------------------------------------------------------------------------- conflict signals

#: The query parameters of the signals page that the weighing keeps for the way back.
SIGNAL_QUERY_KEYS = ("organisatie", "weging", "soort", "ouder", "nieuwer")


def _signals_query(source: Any) -> str:
    """The signals page's own parameters from `source` (GET or POST), nothing else."""
    query = QueryDict(mutable=True)
    for key in SIGNAL_QUERY_KEYS:
        value = source.get(key, "")
        if value and len(value) <= 100:
            query[key] = value
    return query.urlencode()


def _signal_filters(
    request: AuthenticatedHttpRequest,
) -> tuple[SignalFilterForm, selectors.SignalFilter]:
    form = SignalFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, selectors.SignalFilter(
            state=data.get("weging") or "", reason=data.get("soort") or ""
        )
    return form, selectors.SignalFilter()


def _signal_rows(signals: Any, back: str) -> list[dict[str, Any]]:
    """Plain values of the signals' rows; labels translated once per page."""
    reasons = {value: str(label) for value, label in SignalReason.choices}
    kinds = {value: str(label) for value, label in CounterpartyKind.choices}
    by = {value: str(label) for value, label in MatchBy.choices}
    states = {value: str(label) for value, label in SignalState.choices}
    weigh = reverse("registers:signal_weigh", args=[0]).removesuffix("0/wegen/")
    detail = reverse("registers:detail", args=[0]).removesuffix("0/")
    suffix = f"?{back}" if back else ""
    return [
        {
            "date": date_format(timezone.localtime(signal.created_at), "j F Y"),
            "employee": signal.registration.employee.full_name,
            "registration_url": f"{detail}{signal.registration_id}/",
            "reason": reasons.get(signal.reason, signal.reason),
            "party": signal.party_name,
            "party_kind": kinds.get(signal.party_kind, signal.party_kind),
            "match_by": by.get(signal.match_by, signal.match_by),
            "on_list": signal.on_list,
            "state": states.get(signal.state, signal.state),
            "open": signal.state == SignalState.OPEN,
            "weigh_url": f"{weigh}{signal.pk}/wegen/{suffix}",
        }
        for signal in signals
    ]


@permission_required("registers.view_signals", raise_exception=True)
def signals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The conflict signals of one organisation, for its integrity officer and HRM."""
    organisations = selectors.register_organisations(request.user)
    organisation = _register_organisation(request, organisations)
    form, filters = _signal_filters(request)
    page = selectors.signals_page(
        organisation, filters, older=request.GET.get("ouder"), newer=request.GET.get("nieuwer")
    )
    query = QueryDict(_signals_query(request.GET), mutable=True)
    query.pop("ouder", None)
    query.pop("nieuwer", None)
    if "organisatie" not in query:
        query["organisatie"] = organisation.slug
    return render(
        request,
        "registers/signals.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "form": form,
            "page": page,
            "rows": _signal_rows(page, _signals_query(request.GET) or query.urlencode()),
            "query": query.urlencode(),
            "may_import": request.user.has_perm("registers.import_counterparties", organisation.pk),
        },
    )


def signal_weigh(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Weigh one signal; back to the signals page with its filters and organisation."""
    signal = selectors.signal_get(request.user, pk)
    if signal is None:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    back = _signals_query(source)
    own = current_employee(request.user)
    if own is not None and signal.registration.employee_id == own.pk:
        raise PermissionDenied  # nobody weighs a signal about themselves
    form = SignalWeighForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signal_weigh(
                actor=request.user,
                signal=signal,
                relevant=form.cleaned_data["relevant"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Uw weging is vastgelegd."))
            url = reverse("registers:signals")
            return redirect(f"{url}?{back}" if back else url)
    return render(
        request,
        "registers/signal_weigh.html",
        {
            "signal": signal,
            "form": form,
            "back_fields": QueryDict(back).items(),
            "back_url": f"{reverse('registers:signals')}?{back}",
        },
    )


@permission_required("registers.import_counterparties", raise_exception=True)
def counterparties_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The integrity officer replaces the organisation's counterparty list."""
    organisation = _register_organisation(request)
    if not request.user.has_perm("registers.import_counterparties", organisation.pk):
        raise PermissionDenied
    form = CounterpartyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_counterparty_upload(upload)
            result = services.counterparties_import(
                actor=request.user, organisation=organisation, rows=rows
            )
        except CounterpartyFileError as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request,
                _("De lijst is ingelezen: %(count)d partijen, %(raised)d nieuwe signalen.")
                % {"count": len(rows), "raised": result.raised},
            )
            url = reverse("registers:signals")
            return redirect(f"{url}?organisatie={organisation.slug}")
    kinds = dict(CounterpartyKind.choices)
    return render(
        request,
        "registers/counterparties_import.html",
        {
            "organisation": organisation,
            "form": form,
            "summary": [
                (kinds.get(kind, kind), count)
                for kind, count in sorted(selectors.counterparty_summary(organisation).items())
            ],
        },
    )

"""Appointments of internal counsellors (HRM, seed 4) and the trainings and intervisie of
the region's counsellors with their attendance (central counsellor). Counsellors see the
sessions of their region. Nothing here touches the consultation log."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from integritas.accounts.constants import Role
from integritas.accounts.selectors import organisations_for_role
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.counsel import selectors, services
from integritas.counsel.models import CounsellorAppointment, CounsellorSession
from integritas.organisations.models import Organisation, Region

from .forms import AppointmentForm, AttendanceForm, SessionForm

LIST_SIZE = 100


@permission_required("counsel.view_sessions", raise_exception=True)
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The central counsellor's sessions (to keep), or a counsellor's (to read); the
    newest LIST_SIZE, with their number of attendees (one query)."""
    manages = request.user.has_perm("counsel.manage_sessions")
    sessions = (
        selectors.sessions_for_central(request.user)
        if manages
        else selectors.sessions_for_counsellor(request.user)
    )
    rows = list(selectors.with_attendance(sessions).order_by("-held_on", "-pk")[:LIST_SIZE])
    return render(
        request, "counsel/training/session_list.html", {"sessions": rows, "manages": manages}
    )


def _central_region(request: AuthenticatedHttpRequest) -> Region:
    region = selectors.central_region(request.user)
    if region is None:
        raise Http404
    return region


@permission_required("counsel.manage_sessions", raise_exception=True)
def session_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = _central_region(request)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = services.session_save(actor=request.user, region=region, data=form.cleaned_data)
        messages.success(request, _("De bijeenkomst is vastgelegd."))
        return redirect("counsel_training:session_edit", pk=session.pk)
    return render(request, "counsel/training/session_form.html", {"form": form})


def _session_or_404(request: AuthenticatedHttpRequest, pk: int) -> CounsellorSession:
    session = selectors.session_get_for_central(request.user, pk)
    if session is None:
        raise Http404
    return session


@permission_required("counsel.manage_sessions", raise_exception=True)
def session_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The session and who attended it, two forms on one page."""
    session = _session_or_404(request, pk)
    counsellors = list(selectors.region_counsellors([session.region_id]))
    initial = {"kind": session.kind, "title": session.title, "held_on": session.held_on}
    attending = [str(pk) for pk in session.attendees.values_list("pk", flat=True)]
    posted = request.POST.get("form")
    form = SessionForm(request.POST if posted == "session" else None, initial=initial)
    attendance = AttendanceForm(
        request.POST if posted == "attendance" else None,
        initial={"attendees": attending},
        counsellors=counsellors,
    )
    if posted == "session" and form.is_valid():
        services.session_save(
            actor=request.user, region=session.region, data=form.cleaned_data, session=session
        )
        messages.success(request, _("De gegevens zijn opgeslagen."))
        return redirect("counsel_training:session_edit", pk=session.pk)
    if posted == "attendance" and attendance.is_valid():
        services.session_set_attendance(
            actor=request.user, session=session, attendees=attendance.cleaned_data["attendees"]
        )
        messages.success(request, _("De aanwezigheid is opgeslagen."))
        return redirect("counsel_training:session_edit", pk=session.pk)
    return render(
        request,
        "counsel/training/session_edit.html",
        {"session": session, "form": form, "attendance": attendance},
    )


@permission_required("counsel.manage_appointments", raise_exception=True)
def appointment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    appointments = list(
        selectors.appointments_for_hrm(request.user).order_by(
            "organisation__name", "-appointed_on"
        )[:LIST_SIZE]
    )
    organisations = list(organisations_for_role(request.user, Role.HRM)[:LIST_SIZE])
    return render(
        request,
        "counsel/training/appointment_list.html",
        {"appointments": appointments, "organisations": organisations},
    )


def _appointment_form(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    appointment: CounsellorAppointment | None,
) -> HttpResponse:
    initial = {}
    if appointment is not None:
        initial = {
            "personnel_number": appointment.employee.personnel_number,
            "recruited_on": appointment.recruited_on,
            "trained_on": appointment.trained_on,
            "appointed_on": appointment.appointed_on,
            "ended_on": appointment.ended_on,
        }
    form = AppointmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        employee = selectors.appointable_employee(
            organisation, form.cleaned_data["personnel_number"]
        )
        if employee is None:
            form.add_error(
                "personnel_number",
                _("Er is geen medewerker met dit personeelsnummer in deze organisatie."),
            )
        else:
            services.appointment_save(
                actor=request.user,
                organisation=organisation,
                employee=employee,
                data=form.cleaned_data,
                appointment=appointment,
            )
            messages.success(request, _("De benoeming is opgeslagen."))
            return redirect("counsel_training:appointment_list")
    return render(
        request,
        "counsel/training/appointment_form.html",
        {"form": form, "organisation": organisation, "appointment": appointment},
    )


@permission_required("counsel.manage_appointments", raise_exception=True)
def appointment_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = organisations_for_role(request.user, Role.HRM).filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return _appointment_form(request, organisation, None)


@permission_required("counsel.manage_appointments", raise_exception=True)
def appointment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_get_for_hrm(request.user, pk)
    if appointment is None:
        raise Http404
    return _appointment_form(request, appointment.organisation, appointment)

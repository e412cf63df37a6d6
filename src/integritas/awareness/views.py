"""The pages of `awareness`: thin; selectors read (404 outside), services write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from integritas.accounts.types import AuthenticatedHttpRequest

from . import selectors, services
from .attendance_file import AttendanceFileError, numbers_from_text, read_numbers_upload
from .forms import (
    ActivityForm,
    AttendanceForm,
    AttendanceUploadForm,
    CompleteForm,
    DilemmaFilterForm,
    DiscussForm,
)
from .models import Activity


def _activity(request: AuthenticatedHttpRequest, pk: int, *, manage: bool) -> Activity:
    activity = selectors.activity_get(request.user, pk)
    if activity is None:
        raise Http404
    if manage and not request.user.has_perm("awareness.manage", activity):
        raise PermissionDenied
    return activity


@permission_required("awareness.view", raise_exception=True)
def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "awareness/activity_list.html",
        {
            "page": selectors.activities_page(request.user, request.GET.get("pagina")),
            "organisations": selectors.organisations_managed(request.user)[:50],
        },
    )


@permission_required("awareness.manage", raise_exception=True)
def activity_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisations_managed(request.user).filter(slug=slug).first()
    if organisation is None:
        raise Http404
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activity = services.activity_create(
            actor=request.user, organisation=organisation, **form.cleaned_data
        )
        messages.success(request, _("De activiteit is opgeslagen."))
        return redirect("awareness:activity_detail", activity.pk)
    return render(
        request, "awareness/activity_form.html", {"form": form, "organisation": organisation}
    )


def _detail(
    request: AuthenticatedHttpRequest,
    activity: Activity,
    *,
    attendance_form: AttendanceForm | None = None,
    upload_form: AttendanceUploadForm | None = None,
    complete_form: CompleteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = request.user.has_perm("awareness.manage", activity)
    return render(
        request,
        "awareness/activity_detail.html",
        {
            "activity": activity,
            "attendees": selectors.attendees_page(activity, request.GET.get("pagina")),
            "can_manage": can_manage,
            "attendance_form": attendance_form or AttendanceForm(),
            "upload_form": upload_form or AttendanceUploadForm(),
            "complete_form": complete_form
            or CompleteForm(initial={"completed_on": min(activity.date, timezone.localdate())}),
        },
        status=status,
    )


@permission_required("awareness.view", raise_exception=True)
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _activity(request, pk, manage=False))


@require_POST
@permission_required("awareness.manage", raise_exception=True)
def attendance_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, manage=True)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            added = services.attendance_add(
                actor=request.user,
                activity=activity,
                rows=numbers_from_text(form.cleaned_data["numbers"]),
            )
        except ValidationError as error:
            form.add_error("numbers", error)
        else:
            messages.success(
                request, _("Aanwezigheid vastgelegd: %(count)d nieuw.") % {"count": added}
            )
            return redirect("awareness:activity_detail", activity.pk)
    return _detail(request, activity, attendance_form=form)


@require_POST
@permission_required("awareness.manage", raise_exception=True)
def attendance_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, manage=True)
    form = AttendanceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            rows = read_numbers_upload(form.cleaned_data["file"])
            added = services.attendance_add(actor=request.user, activity=activity, rows=rows)
        except AttendanceFileError as error:
            form.add_error("file", error.message)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request, _("Presentielijst ingelezen: %(count)d nieuw.") % {"count": added}
            )
            return redirect("awareness:activity_detail", activity.pk)
    return _detail(request, activity, upload_form=form)


@require_POST
@permission_required("awareness.manage", raise_exception=True)
def activity_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk, manage=True)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.activity_complete(
                actor=request.user,
                activity=activity,
                completed_on=form.cleaned_data["completed_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De activiteit is afgerond voor de aanwezigen."))
            return redirect("awareness:activity_detail", activity.pk)
    return _detail(request, activity, complete_form=form)


@permission_required("awareness.view_library", raise_exception=True)
def dilemma_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DilemmaFilterForm(request.GET or None)
    theme = activity = ""
    if form.is_valid():
        theme = form.cleaned_data["thema"]
        activity = form.cleaned_data["activiteit"]
    return render(
        request,
        "awareness/dilemma_list.html",
        {"form": form, "dilemmas": list(selectors.dilemmas(theme=theme, activity=activity))},
    )


@permission_required("awareness.view_library", raise_exception=True)
def dilemma_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    dilemma = selectors.dilemma_get(slug)
    if dilemma is None:
        raise Http404
    form = None
    if request.user.has_perm("awareness.discuss"):
        team = list(selectors.team_of(request.user)[: selectors.TEAM_CAP])
        form = DiscussForm(
            request.POST or None, team=team, initial={"discussed_on": timezone.localdate()}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.dilemma_discuss(
                    actor=request.user,
                    dilemma=dilemma,
                    discussed_on=form.cleaned_data["discussed_on"],
                    employee_ids=form.cleaned_data["attendees"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Vastgelegd: het dilemma is in uw team besproken."),
                )
                return redirect("awareness:discussion_list")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "awareness/dilemma_detail.html", {"dilemma": dilemma, "form": form})


@permission_required("awareness.view_library", raise_exception=True)
def discussion_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "awareness/discussion_list.html",
        {"page": selectors.discussions_page(request.user, request.GET.get("pagina"))},
    )

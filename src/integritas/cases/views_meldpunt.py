"""The public Meldpunt: the web intake and the reporter's mailbox (no login, no session).

SessionlessPathsMiddleware gives these views an empty throwaway session and an anonymous
user, so nothing here reads or writes an employee's session. The intake keeps its state in
the form itself (a signed form token, hidden fields on the review page); the mailbox has
its own short signed cookie. Every page is sent with `Cache-Control: no-store`.
Nothing about the client (address, user agent, referrer) is stored or logged here; the
mailbox throttle keeps only a daily-rotating keyed hash of the address (core/throttle.py).
"""

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.audit.services import audit_record
from integritas.core import throttle
from integritas.counsel.selectors import counsellors_by_organisation
from integritas.organisations.models import Organisation

from . import attachments, intake_budget, selectors, services, vault
from .constants import STATUS_FOR_REPORTER, IdentityMode, Kind, MessageDirection, Status
from .forms_meldpunt import IDENTITY_FIELDS, REVIEW_FIELDS, IntakeForm, ReceiptCodeForm, ReplyForm
from .formtoken import form_token_new, form_token_valid, receipt_proof
from .models import Case

# The mailbox's own short session: a signed cookie, never the Django session.
MAILBOX_COOKIE = "integritas_postvak"
MAILBOX_COOKIE_SALT = "postvak"
MAILBOX_COOKIE_PATH = "/meldpunt/postvak/"
MAILBOX_MAX_AGE_SECONDS = 15 * 60
# Guessing receipt codes: per client (keyed hash of the address, shared with the API)
# and over all clients together, which slows answers down instead of refusing them.
THROTTLE_SCOPE = "postvak"
THROTTLE_LIMIT = 5
THROTTLE_MINUTES = 15
GLOBAL_THROTTLE_KEY = f"{throttle.GLOBAL_KEY}:{THROTTLE_SCOPE}"
GLOBAL_SLOWDOWN_FROM = 200
GLOBAL_SLOWDOWN_MAX_SECONDS = 1.0

FileList = list[UploadedFile]
View = Callable[..., HttpResponse]


def no_store(view: View) -> View:
    """Neither the browser nor any cache may keep a page of the Meldpunt."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        response["Pragma"] = "no-cache"
        return response

    return wrapper


def _attachments_enabled() -> bool:
    return bool(getattr(settings, "INTEGRITAS_INTAKE_ATTACHMENTS", True))


def _uploads(request: HttpRequest) -> FileList:
    if not _attachments_enabled():
        return []
    return [f for f in request.FILES.getlist("attachments") if f.name]


# --- intake -------------------------------------------------------------------------


def _public_context() -> dict[str, Any]:
    """The vertrouwenspersonen per organisation and who allows anonymous reports."""
    organisations = list(Organisation.objects.order_by("name"))
    listings = counsellors_by_organisation()
    return {
        "organisations": organisations,
        "counsellors": [(org, listings.get(org.pk, [])) for org in organisations],
        "anonymous_organisations": [
            org for org in organisations if org.anonymous_reporting_enabled
        ],
        "kinds": Kind,
        "identity_modes": IdentityMode,
    }


def _form_page(request: HttpRequest, form: IntakeForm, status: int = 200) -> HttpResponse:
    context = {"form": form, **_public_context()}
    return render(request, "meldpunt/intake_form.html", context, status=status)


def _review_rows(form: IntakeForm) -> list[tuple[str, str]]:
    """(label, text) of every answer, for the read-only review page."""
    data = form.cleaned_data
    anonymous = form.is_anonymous
    rows = []
    for name in REVIEW_FIELDS:
        if anonymous and name in IDENTITY_FIELDS:
            continue
        field = form.fields[name]
        value = data.get(name)
        if name == "organisation":
            text = value.name if value is not None else ""
        elif name == "involved":
            text = "\n".join(value or [])
        elif isinstance(value, bool):
            text = _("Ja") if value else _("Nee")
        elif hasattr(field, "choices") and value:
            text = str(dict(field.choices).get(value, value))
        else:
            text = value or ""
        rows.append((str(field.label), text))
    return rows


def _review_page(
    request: HttpRequest,
    form: IntakeForm,
    file_errors: list[str] | None = None,
    *,
    busy: bool = False,
) -> HttpResponse:
    """The review step; `busy`: the hourly intake ceiling is reached, nothing was sent."""
    context = {
        "form": form,
        "rows": _review_rows(form),
        "anonymous": form.is_anonymous,
        "file_errors": file_errors or [],
        "busy": busy,
        "attachments_enabled": _attachments_enabled(),
        **(_public_context() if busy else {}),
    }
    status = 429 if busy else 400 if file_errors else 200
    response = render(request, "meldpunt/intake_review.html", context, status=status)
    if busy:
        response["Retry-After"] = str(intake_budget.WINDOW_MINUTES * 60)
    return response


def _receipt_page(
    request: HttpRequest, submission: services.Submission, token: str
) -> HttpResponse:
    code = submission.receipt_code
    grouped = " ".join(code[i : i + 4] for i in range(0, len(code), 4)) if code else ""
    context = {"case": submission.case, "receipt_code": grouped, "form_token": token}
    return render(request, "meldpunt/intake_receipt.html", context)


def _refreshed(request: HttpRequest) -> IntakeForm:
    """The submitted form with a fresh token, after the old one expired or was forged."""
    data = request.POST.copy()
    data["form_token"] = form_token_new()
    form = IntakeForm(data)
    form.is_valid()
    form.add_error(
        None, _("Dit formulier was verlopen. Controleer uw gegevens en verstuur opnieuw.")
    )
    return form


@no_store
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Report in three steps: fill in, review (and add files), send (R-WBK-9, R-WBK-10)."""
    if request.method == "GET":
        initial: dict[str, Any] = {"form_token": form_token_new()}
        if request.GET.get("organisatie"):
            initial["organisation"] = request.GET["organisatie"]
        return _form_page(request, IntakeForm(initial=initial))

    step = request.POST.get("step", "review")
    if not form_token_valid(request.POST.get("form_token")):
        return _form_page(request, _refreshed(request), status=400)
    form = IntakeForm(request.POST)
    if step == "edit":
        # "Terug naar wijzigen": everything typed comes back, without error messages.
        return _form_page(request, IntakeForm(initial=form.initial_from_data()))
    if not form.is_valid():
        return _form_page(request, form, status=400)
    if step != "send":
        return _review_page(request, form)

    files = _uploads(request)
    problems = attachments.attachment_validate(files) if files else []
    if problems:
        return _review_page(request, form, file_errors=problems)
    if not intake_budget.intake_open() and not services.form_token_used(
        form.cleaned_data["form_token"]
    ):
        return _review_page(request, form, busy=True)
    try:
        # One transaction: a failure half-way (a file that cannot be stored) leaves no case.
        with transaction.atomic():
            submission = services.case_submit(**form.submit_arguments())
            if not submission.repeated:
                intake_budget.intake_counted()
                for upload in files:
                    attachments.attachment_store(case=submission.case, upload=upload)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
            form.add_error(None, exc)
            return _form_page(request, form, status=400)
        return _review_page(request, form, file_errors=exc.messages)
    return _receipt_page(request, submission, form.cleaned_data["form_token"])


def _token_or_none(request: HttpRequest) -> str | None:
    token = request.POST.get("form_token", "")
    return token if form_token_valid(token) else None


def _expired(request: HttpRequest) -> HttpResponse:
    return render(request, "meldpunt/token_expired.html", status=400)


@no_store
@require_POST
def receipt_saved(request: HttpRequest) -> HttpResponse:
    """ "Ik heb mijn code bewaard": the only other copy of the code is dropped."""
    token = _token_or_none(request)
    if token is None:
        return _expired(request)
    case = selectors.case_for_form_token(token)
    if case is None:
        return _expired(request)
    services.intake_receipt_forget(form_token=token)
    return render(request, "meldpunt/receipt_saved.html", {"case": case, "form_token": token})


def _proof_response(case: Case) -> HttpResponse:
    proof = receipt_proof(
        case_number=case.case_number,
        organisation=case.organisation.name,
        received_at=case.received_at,
    )
    response = HttpResponse(
        json.dumps(proof, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ontvangstbewijs-{case.case_number}.json"'
    )
    return response


@no_store
@require_POST
def receipt_proof_download(request: HttpRequest) -> HttpResponse:
    """The proof of receipt: case number, organisation, time, server signature; no code."""
    token = _token_or_none(request)
    case = selectors.case_for_form_token(token) if token else None
    if case is None:
        return _expired(request)
    return _proof_response(case)


# --- the reporter's mailbox -----------------------------------------------------------


def _mailbox_case(request: HttpRequest) -> Case | None:
    value = request.COOKIES.get(MAILBOX_COOKIE)
    if not value:
        return None
    try:
        payload = signing.loads(value, salt=MAILBOX_COOKIE_SALT, max_age=MAILBOX_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    return selectors.case_for_mailbox(payload.get("case"))


def _set_mailbox_cookie(request: HttpRequest, response: HttpResponse, case: Case) -> None:
    response.set_cookie(
        MAILBOX_COOKIE,
        signing.dumps({"case": case.pk}, salt=MAILBOX_COOKIE_SALT),
        max_age=MAILBOX_MAX_AGE_SECONDS,
        path=MAILBOX_COOKIE_PATH,
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )


def _to_mailbox(suffix: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("meldpunt:mailbox") + suffix, status=303)


def _mailbox_page(
    request: HttpRequest,
    case: Case,
    reply_form: ReplyForm | None = None,
    status: int = 200,
    approval_error: str = "",
) -> HttpResponse:
    view = selectors.case_for_reporter(case)
    if reply_form is None:
        # "Correctie doorgeven" on minutes (R-WBK-8) opens the reply form as a correction.
        opened_as_correction = request.GET.get("correctie") == "1"
        reply_form = ReplyForm(initial={"is_correction": True} if opened_as_correction else None)
    correcting = bool(
        reply_form.fields["is_correction"].to_python(reply_form["is_correction"].value())
    )
    details = vault.unseal_json(case, "details", case.details_enc)
    audit_record(action="case.mailbox_read", obj=case, organisation=case.organisation)
    context = {
        "case": case,
        "status_text": STATUS_FOR_REPORTER.get(Status(case.status), ""),
        "description": view.description,
        "details": [
            (label, details[key])
            for key, label in (
                ("when", _("Wanneer")),
                ("where", _("Waar")),
                ("others_aware", _("Wie weten er nog meer van")),
            )
            if details.get(key)
        ],
        "messages_both_ways": view.messages,
        "to_reporter": MessageDirection.TO_REPORTER,
        "reply_form": reply_form,
        "correcting": correcting,
        "sent": request.GET.get("verstuurd") == "1",
        "approved": request.GET.get("akkoord") == "1",
        "approval_error": approval_error,
        "attachments_enabled": _attachments_enabled(),
    }
    response = render(request, "meldpunt/mailbox.html", context, status=status)
    # Sliding: fifteen minutes after the last page, the mailbox closes by itself.
    _set_mailbox_cookie(request, response, case)
    return response


def _throttled(request: HttpRequest) -> HttpResponse:
    response = render(request, "meldpunt/throttled.html", status=429)
    response["Retry-After"] = str(THROTTLE_MINUTES * 60)
    return response


def _slow_down_when_busy() -> None:
    """Under a broad guessing attack, answer everyone more slowly rather than refuse."""
    total = throttle.count(GLOBAL_THROTTLE_KEY, THROTTLE_MINUTES)
    if total > GLOBAL_SLOWDOWN_FROM:
        excess = (total - GLOBAL_SLOWDOWN_FROM) / GLOBAL_SLOWDOWN_FROM
        time.sleep(min(GLOBAL_SLOWDOWN_MAX_SECONDS, 0.25 + excess))


def _login_failed(request: HttpRequest, form: ReceiptCodeForm) -> HttpResponse:
    throttle.record(GLOBAL_THROTTLE_KEY)  # the client's own attempt is counted already
    form.add_error(
        "receipt_code",
        _("Bij deze code vinden wij geen melding. Controleer de 16 cijfers en probeer opnieuw."),
    )
    return render(request, "meldpunt/mailbox_login.html", {"form": form}, status=400)


@no_store
@require_http_methods(["GET", "POST"])
def mailbox(request: HttpRequest) -> HttpResponse:
    """The reporter's mailbox, entered with the receipt code (R-WBK-9)."""
    if request.method == "GET":
        case = _mailbox_case(request)
        if case is None:
            return render(request, "meldpunt/mailbox_login.html", {"form": ReceiptCodeForm()})
        return _mailbox_page(request, case)

    key = throttle.client_key(request, THROTTLE_SCOPE)
    # Every attempt counts before the slow hash, so parallel guesses cannot slip past the
    # limit, and a blocked client costs us next to nothing.
    if not throttle.attempt(key, THROTTLE_MINUTES, THROTTLE_LIMIT):
        return _throttled(request)
    _slow_down_when_busy()
    form = ReceiptCodeForm(request.POST)
    if not form.is_valid():
        return _login_failed(request, form)
    code = services.receipt_code_normalise(form.cleaned_data["receipt_code"])
    case = selectors.case_by_receipt(code) if code else None
    if case is None:
        return _login_failed(request, ReceiptCodeForm(request.POST))
    throttle.release(key)
    response = _to_mailbox()
    _set_mailbox_cookie(request, response, case)
    return response


@no_store
@require_POST
def mailbox_reply(request: HttpRequest) -> HttpResponse:
    """The reporter answers (and adds files); nothing about the client is kept."""
    case = _mailbox_case(request)
    if case is None:
        return _to_mailbox()
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _mailbox_page(request, case, form, status=400)
    files = _uploads(request)
    problems = attachments.attachment_validate(files) if files else []
    if problems:
        for problem in problems:
            form.add_error(None, problem)
        return _mailbox_page(request, case, form, status=400)
    try:
        with transaction.atomic():
            message = services.case_reporter_reply(
                case=case,
                body=form.cleaned_data["body"],
                is_correction=form.cleaned_data["is_correction"],
            )
            for upload in files:
                attachments.attachment_store(case=case, upload=upload, message=message)
    except ValidationError as exc:
        for problem in exc.messages:
            form.add_error(None, problem)
        return _mailbox_page(request, case, form, status=400)
    return _to_mailbox("?verstuurd=1")


@no_store
@require_POST
def mailbox_minutes_approve(request: HttpRequest, message_id: int) -> HttpResponse:
    """ "Verslag klopt — akkoord": the reporter approves the minutes (R-WBK-8)."""
    case = _mailbox_case(request)
    if case is None:
        return _to_mailbox()
    message = selectors.case_message_for_reporter(case, message_id)
    if message is None:
        raise Http404
    try:
        services.case_minutes_approve(case=case, message=message)
    except ValidationError as exc:
        return _mailbox_page(request, case, status=400, approval_error=" ".join(exc.messages))
    return _to_mailbox("?akkoord=1")


@no_store
@require_POST
def mailbox_proof(request: HttpRequest) -> HttpResponse:
    case = _mailbox_case(request)
    if case is None:
        return _to_mailbox()
    return _proof_response(case)


@no_store
@require_POST
def mailbox_logout(request: HttpRequest) -> HttpResponse:
    response = _to_mailbox()
    response.delete_cookie(MAILBOX_COOKIE, path=MAILBOX_COOKIE_PATH, samesite="Strict")
    return response

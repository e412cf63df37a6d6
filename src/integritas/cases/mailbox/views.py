"""The reporter's mailbox, entered with the receipt code (R-WBK-9): no login, no session.

Like the intake (intake/views.py), these views get an empty throwaway session and an
anonymous user; the mailbox has its own short signed cookie instead. Every page is sent
with `Cache-Control: no-store`. Nothing about the client (address, user agent, referrer)
is stored or logged here; the mailbox throttle keeps only a daily-rotating keyed hash of
the address (core/throttle.py).
"""

import time

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.audit.services import audit_record
from integritas.cases import vault
from integritas.cases.attachments.storage import attachment_store
from integritas.cases.attachments.validation import attachment_validate
from integritas.cases.constants import STATUS_FOR_REPORTER, MessageDirection, Status
from integritas.cases.intake.services import receipt_code_normalise
from integritas.cases.intake.views import attachments_enabled, no_store, proof_response, uploads
from integritas.cases.models import Case
from integritas.core import throttle

from .forms import ReceiptCodeForm, ReplyForm
from .selectors import (
    case_by_receipt,
    case_for_mailbox,
    case_for_reporter,
    case_message_for_reporter,
)
from .services import case_minutes_approve, case_reporter_reply

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
    return case_for_mailbox(payload.get("case"))


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
    view = case_for_reporter(case)
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
        "attachments_enabled": attachments_enabled(),
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
    code = receipt_code_normalise(form.cleaned_data["receipt_code"])
    case = case_by_receipt(code) if code else None
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
    files = uploads(request)
    problems = attachment_validate(files) if files else []
    if problems:
        for problem in problems:
            form.add_error(None, problem)
        return _mailbox_page(request, case, form, status=400)
    try:
        with transaction.atomic():
            message = case_reporter_reply(
                case=case,
                body=form.cleaned_data["body"],
                is_correction=form.cleaned_data["is_correction"],
            )
            for upload in files:
                attachment_store(case=case, upload=upload, message=message)
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
    message = case_message_for_reporter(case, message_id)
    if message is None:
        raise Http404
    try:
        case_minutes_approve(case=case, message=message)
    except ValidationError as exc:
        return _mailbox_page(request, case, status=400, approval_error=" ".join(exc.messages))
    return _to_mailbox("?akkoord=1")


@no_store
@require_POST
def mailbox_proof(request: HttpRequest) -> HttpResponse:
    case = _mailbox_case(request)
    if case is None:
        return _to_mailbox()
    return proof_response(case)


@no_store
@require_POST
def mailbox_logout(request: HttpRequest) -> HttpResponse:
    response = _to_mailbox()
    response.delete_cookie(MAILBOX_COOKIE, path=MAILBOX_COOKIE_PATH, samesite="Strict")
    return response

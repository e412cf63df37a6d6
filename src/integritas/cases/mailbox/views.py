"""The reporter's mailbox, entered with the receipt code (R-WBK-9): no login, no session.

Like the intake (intake/views.py), these views get an empty throwaway session and an
anonymous user; the mailbox has its own short signed cookie instead. Every page is sent
with `Cache-Control: no-store`. Nothing about the client (address, user agent, referrer)
is stored or logged here; opening the mailbox, with its guard against guessing, is
`services.mailbox_open`, shared with the API.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.cases import vault
from integritas.cases.attachments.storage import attachment_store
from integritas.cases.constants import STATUS_FOR_REPORTER, MessageDirection, Status
from integritas.cases.intake.views import (
    attachments_enabled,
    keep_filenames,
    no_store,
    proof_response,
    uploads,
)
from integritas.cases.models import Case
from integritas.core.files.validation import attachment_validate

from .forms import ReceiptCodeForm, ReplyForm
from .selectors import case_for_mailbox, case_message_for_reporter
from .services import (
    MailboxRefused,
    MailboxThrottled,
    case_minutes_approve,
    case_reporter_reply,
    mailbox_client_key,
    mailbox_open,
    mailbox_read,
)

# The mailbox's own short session: a signed cookie, never the Django session.
MAILBOX_COOKIE = "integritas_postvak"
MAILBOX_COOKIE_SALT = "postvak"
MAILBOX_COOKIE_PATH = "/meldpunt/postvak/"
MAILBOX_MAX_AGE_SECONDS = 15 * 60


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
    view = mailbox_read(case=case)
    if reply_form is None:
        # "Correctie doorgeven" on minutes (R-WBK-8) opens the reply form as a correction.
        opened_as_correction = request.GET.get("correctie") == "1"
        reply_form = ReplyForm(initial={"is_correction": True} if opened_as_correction else None)
    correcting = bool(
        reply_form.fields["is_correction"].to_python(reply_form["is_correction"].value())
    )
    details = vault.unseal_json(case, "details", case.details_enc)
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
        "keep_filenames": keep_filenames(request),
    }
    response = render(request, "meldpunt/mailbox.html", context, status=status)
    # Sliding: fifteen minutes after the last page, the mailbox closes by itself.
    _set_mailbox_cookie(request, response, case)
    return response


def _throttled(request: HttpRequest, throttled: MailboxThrottled) -> HttpResponse:
    response = render(request, "meldpunt/throttled.html", status=429)
    response["Retry-After"] = str(throttled.retry_after)
    return response


def _login_failed(request: HttpRequest, form: ReceiptCodeForm) -> HttpResponse:
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

    form = ReceiptCodeForm(request.POST)
    entered = form.cleaned_data["receipt_code"] if form.is_valid() else None
    result = mailbox_open(receipt_code=entered, client_key=mailbox_client_key(request))
    if isinstance(result, MailboxThrottled):
        return _throttled(request, result)
    if isinstance(result, MailboxRefused):
        return _login_failed(request, form)
    response = _to_mailbox()
    _set_mailbox_cookie(request, response, result.case)
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
                attachment_store(
                    case=case, upload=upload, message=message, keep_name=keep_filenames(request)
                )
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

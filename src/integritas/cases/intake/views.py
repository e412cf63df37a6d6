"""The public Meldpunt's intake: report in three steps, then the receipt page and its proof.

No login, no session: SessionlessPathsMiddleware gives these views (and the mailbox's,
mailbox/views.py) an empty throwaway session and an anonymous user, so nothing here reads
or writes an employee's session. The intake keeps its state in the form itself (a signed
form token, hidden fields on the review page). Every page of the public Meldpunt is sent
with `Cache-Control: no-store` (`no_store`). Nothing about the client (address, user
agent, referrer) is stored or logged here.

The receipt code is shown once (docs/adr/0005-receipt-code-shown-once.md): sending the
report answers with a redirect to the receipt page and a short cookie; that page takes the
code (`intake_receipt_take`) and clears the cookie. A repeated send (back button, a
reopened tab, a double click) redirects again only while nobody has seen the code yet,
and otherwise gets a page that says the report was received, without the code.
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integritas.cases.constants import IdentityMode, Kind
from integritas.cases.models import Case
from integritas.core.contributions import public_contacts_by_organisation
from integritas.core.throttle import client_address
from integritas.organisations.models import Organisation
from integritas.organisations.selectors import (
    organisation_get_by_slug,
    organisations_for_select,
    organisations_search,
    public_organisations,
    regions_by_name,
)

from . import budget
from .forms import IDENTITY_FIELDS, REVIEW_FIELDS, IntakeForm, OrganisationSearchForm
from .formtoken import form_token_new, form_token_valid, receipt_proof
from .selectors import case_for_form_token
from .services import (
    PROOF_REFUSED_MESSAGE,
    RECEIPT_KEEP,
    IntakeProofRefused,
    IntakeRefused,
    intake_receipt_forget,
    intake_receipt_take,
    intake_receipt_waiting,
    intake_submit,
)

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


def attachments_enabled() -> bool:
    return bool(getattr(settings, "INTEGRITAS_INTAKE_ATTACHMENTS", True))


def uploads(request: HttpRequest) -> FileList:
    if not attachments_enabled():
        return []
    return [f for f in request.FILES.getlist("attachments") if f.name]


def keep_filenames(request: HttpRequest) -> bool:
    """The reporter ticked "keep the file names" (default off: names are made neutral)."""
    return request.POST.get("keep_filenames") == "1"


# --- intake -------------------------------------------------------------------------


def _public_context(organisations: list[Organisation]) -> dict[str, Any]:
    """The vertrouwenspersonen of these organisations and which allow anonymous reports.

    The organisations of the form: all of them when the form offers them in a list (at most
    ORGANISATION_SELECT_LIMIT), else the one chosen first. The directory belongs to the
    counsel app, which offers it as public contacts (core.contributions): the Meldpunt
    lists them without knowing that app."""
    listings = public_contacts_by_organisation([org.pk for org in organisations])
    return {
        "organisations": organisations,
        "counsellors": [(org, listings.get(org.pk, [])) for org in organisations],
        "anonymous_organisations": [
            org for org in organisations if org.anonymous_reporting_enabled
        ],
        "kinds": Kind,
        "identity_modes": IdentityMode,
    }


def _chosen_organisation(form: IntakeForm) -> Organisation | None:
    """The organisation the form names (posted, or preset by ?organisatie=), if it exists."""
    name = form.add_prefix("organisation")
    slug = form.data.get(name) if form.is_bound else form.initial.get("organisation")
    if not isinstance(slug, str) or not slug:
        return None
    return organisation_get_by_slug(slug)


def _form_page(request: HttpRequest, form: IntakeForm, status: int = 200) -> HttpResponse:
    """The form; its organisation a <select> when the region has few, else chosen first.

    With more than ORGANISATION_SELECT_LIMIT organisations the form carries the chosen
    one as a hidden field and lists only its vertrouwenspersonen, so the page does not
    grow with the region (docs/performance.md); without a (valid) choice the reporter
    chooses first."""
    organisations = organisations_for_select(public_organisations())
    chosen = None
    if organisations is None:
        chosen = _chosen_organisation(form)
        if chosen is None:
            status = 400 if form.is_bound else 200
            return _choose_page(request, missing=form.is_bound, status=status)
        form.fix_organisation(chosen)
        organisations = [chosen]
    context = {"form": form, "chosen_organisation": chosen, **_public_context(organisations)}
    return render(request, "meldpunt/intake_form.html", context, status=status)


def _choose_page(request: HttpRequest, *, missing: bool = False, status: int = 200) -> HttpResponse:
    """Step 0 in a region of many organisations: find the organisation by name (GET)."""
    regions = regions_by_name()
    bound = "zoek" in request.GET
    search = OrganisationSearchForm(request.GET if bound else None, regions=regions)
    hits = None
    if search.is_valid():
        hits = organisations_search(
            public_organisations(),
            search.cleaned_data["zoek"],
            region=search.cleaned_data.get("regio"),
        )
    context = {"search": search, "hits": hits, "missing": missing}
    return render(request, "meldpunt/intake_choose.html", context, status=status)


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
    proof_refused: bool = False,
) -> HttpResponse:
    """The review step; with a proof-of-work challenge when this source is over budget.

    The challenge is solved by the altcha widget in the browser (a few seconds); without
    JavaScript the report is sent without proof and held for the coordinator (budget.py).
    """
    challenge = budget.challenge_new() if budget.proof_needed(client_address(request)) else None
    context = {
        "form": form,
        "rows": _review_rows(form),
        "anonymous": form.is_anonymous,
        "file_errors": file_errors or [],
        "attachments_enabled": attachments_enabled(),
        "keep_filenames": keep_filenames(request),
        "challenge": json.dumps(challenge) if challenge else "",
        "proof_refused": PROOF_REFUSED_MESSAGE if proof_refused else "",
    }
    status = 400 if file_errors or proof_refused else 200
    return render(request, "meldpunt/intake_review.html", context, status=status)


# The one-time way from sending to the receipt page: a short signed cookie, so that the
# form token is in no address, history or access log. Taken and cleared by that page.
RECEIPT_COOKIE = "integritas_ontvangst"
RECEIPT_COOKIE_SALT = "meldpunt-ontvangst"


def _receipt_path() -> str:
    return reverse("meldpunt:receipt")


def _to_receipt(request: HttpRequest, token: str) -> HttpResponse:
    """303 to the receipt page, which shows the code that is still waiting for it."""
    response = HttpResponseRedirect(_receipt_path(), status=303)
    response.set_cookie(
        RECEIPT_COOKIE,
        signing.dumps({"t": token}, salt=RECEIPT_COOKIE_SALT),
        max_age=int(RECEIPT_KEEP.total_seconds()),
        path=_receipt_path(),
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )
    return response


def _receipt_cookie_token(request: HttpRequest) -> str | None:
    value = request.COOKIES.get(RECEIPT_COOKIE, "")
    try:
        payload = signing.loads(
            value, salt=RECEIPT_COOKIE_SALT, max_age=int(RECEIPT_KEEP.total_seconds())
        )
    except signing.BadSignature:
        return None
    token = payload.get("t") if isinstance(payload, dict) else None
    return token if isinstance(token, str) and form_token_valid(token) else None


def _receipt_shown_before(request: HttpRequest) -> HttpResponse:
    """A report that was received, whose code is not shown again: nothing of the case."""
    return render(request, "meldpunt/receipt_shown_before.html")


@no_store
@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt page: the case number and, this once, the receipt code (R-WBK-9)."""
    token = _receipt_cookie_token(request)
    code = intake_receipt_take(form_token=token) if token else None
    case = case_for_form_token(token) if token and code else None
    if case is None or code is None:
        response = _receipt_shown_before(request)
    else:
        grouped = " ".join(code[i : i + 4] for i in range(0, len(code), 4))
        context = {"case": case, "receipt_code": grouped, "form_token": token}
        response = render(request, "meldpunt/intake_receipt.html", context)
    if RECEIPT_COOKIE in request.COOKIES:
        response.delete_cookie(RECEIPT_COOKIE, path=_receipt_path(), samesite="Strict")
    return response


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
        return _new_form(request, request.GET.get("organisatie", ""))

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

    result = intake_submit(
        report=form.submit_arguments(),
        uploads=uploads(request),
        keep_filenames=keep_filenames(request),
        source=client_address(request),
        proof=request.POST.get("altcha", ""),
    )
    if isinstance(result, IntakeProofRefused):
        return _review_page(request, form, proof_refused=True)
    if isinstance(result, IntakeRefused):
        errors = result.errors
        if hasattr(errors, "error_dict") and set(errors.error_dict) <= set(form.fields):
            form.add_error(None, errors)
            return _form_page(request, form, status=400)
        return _review_page(request, form, file_errors=errors.messages)
    token = form.cleaned_data["form_token"]
    if intake_receipt_waiting(form_token=token):
        return _to_receipt(request, token)
    return _receipt_shown_before(request)


def _new_form(request: HttpRequest, organisation: str) -> HttpResponse:
    initial: dict[str, Any] = {"form_token": form_token_new()}
    if organisation:
        initial["organisation"] = organisation
    return _form_page(request, IntakeForm(initial=initial))


@no_store
@require_GET
def intake_for_organisation(request: HttpRequest, slug: str) -> HttpResponse:
    """/meldpunt/<organisation>/: the form with the organisation chosen (a link per
    organisation, for its intranet or a poster)."""
    if organisation_get_by_slug(slug) is None:
        raise Http404
    return _new_form(request, slug)


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
    case = case_for_form_token(token)
    if case is None:
        return _expired(request)
    intake_receipt_forget(form_token=token)
    return render(request, "meldpunt/receipt_saved.html", {"case": case, "form_token": token})


def proof_response(case: Case) -> HttpResponse:
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
    case = case_for_form_token(token) if token else None
    if case is None:
        return _expired(request)
    return proof_response(case)

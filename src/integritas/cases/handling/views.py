"""Pages of the integriteitscoördinator, the investigators and the gemeentesecretaris.

Views stay thin: selectors read, scoped by need to know (404 for every case a user may not
see, R-WBK-7, R-DP-3); each action is one service call; every view of case content is an
audit event (R-BIO-1). The inbox (inbox.py) never decrypts anything: it lists only the
fields the workflow keeps in clear.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from integritas.accounts.constants import Role
from integritas.accounts.selectors import user_roles
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.audit.services import audit_record
from integritas.cases.access import case_get, cases_visible_to
from integritas.cases.clock.display import case_deadlines
from integritas.cases.constants import DECISION_STATUSES, IdentityMode, Measure
from integritas.cases.intake.forms import OrganisationSearchForm
from integritas.cases.intake.services import intake_receipt_forget
from integritas.cases.investigation.actions import INVESTIGATION_ACTIONS
from integritas.cases.models import Case
from integritas.cases.permissions import CaseAccess
from integritas.cases.workflow import TRANSITIONS, feedback_given, transitions_for
from integritas.organisations.models import Organisation
from integritas.organisations.selectors import organisations_for_select, organisations_search

from . import channels, selectors, services
from . import identity as identity_services
from .actions import DISCLOSE, HANDLING_ACTIONS, Action
from .forms import RecordForm, RevealForm

TRANSITION_LABELS: dict[str, Promise] = {
    "acknowledge": gettext_lazy("Ontvangst bevestigen"),
    "request_approval": gettext_lazy("Onderzoek voorleggen aan de gemeentesecretaris"),
    "approve_investigation": gettext_lazy("Onderzoek goedkeuren"),
    "reject_investigation": gettext_lazy("Onderzoek afwijzen"),
    "refer": gettext_lazy("Doorverwezen"),
    "close_without_investigation": gettext_lazy("Afsluiten zonder onderzoek"),
    "report_to_secretary": gettext_lazy("Onderzoeksrapport naar de gemeentesecretaris"),
    "decide": gettext_lazy("Besluit vastleggen"),
    "close": gettext_lazy("Afsluiten"),
}


DETAIL_LABELS: dict[str, Promise] = {
    "when": gettext_lazy("Wanneer"),
    "where": gettext_lazy("Waar"),
    "others_aware": gettext_lazy("Wie weten er nog meer van"),
}


IDENTITY_LABELS: dict[str, Promise] = {
    "name": gettext_lazy("Naam"),
    "email": gettext_lazy("E-mailadres"),
    "phone": gettext_lazy("Telefoonnummer"),
}

ACTIONS: dict[str, Action] = {**HANDLING_ACTIONS, **INVESTIGATION_ACTIONS, "disclose": DISCLOSE}

# --- the case page ------------------------------------------------------------------

# Forms shown on the case page itself; the others open through a link.
INLINE_ACTIONS = frozenset({"message", "note"})


def _access_role(access: CaseAccess) -> str:
    if access.as_coordinator:
        return Role.INTEGRITY_COORDINATOR
    if access.as_secretary:
        return Role.SECRETARY
    return Role.INVESTIGATOR


def _labelled(data: dict[str, Any], labels: dict[str, Promise]) -> list[tuple[Any, Any]]:
    return [(labels.get(key, key), value) for key, value in data.items() if value not in ("", None)]


# The reporter's page holds what concerns the reporter: identity, consent, disclosure
# and the protection log (R-WBK-7, R-WBK-12). It is the coordinator's alone and is read
# only when opened on purpose, never as a side effect of opening the case.
REPORTER_PAGE_KEYS = frozenset({"reveal", "disclose", "protection"})


CASE_PAGE_KEYS = frozenset(ACTIONS) - REPORTER_PAGE_KEYS


def _allowed_links(
    user: Any, case: Case, access: CaseAccess, keys: frozenset[str] | None = None
) -> tuple[list[str], dict[str, str]]:
    """The actions this user may take on this case now, with the URL that opens each."""
    allowed = [
        key
        for key, action in ACTIONS.items()
        if (keys is None or key in keys) and action.allowed(user, access) and action.shown(case)
    ]
    base = reverse("cases:case_detail", args=[case.case_number])
    return allowed, {key: base + _action_path(key) for key in allowed}


@functools.cache
def _action_path(key: str) -> str:
    """The part of an action's URL after the case page's ("beoordeling/"), found once
    instead of a reverse() per link on every case page (benchmarks/cases.py). The script
    prefix is in both URLs, so the part after the case page does not depend on it."""
    page = reverse("cases:case_detail", args=["N"])
    action = reverse(f"cases:{key}", args=["N"])
    if not action.startswith(page):  # pragma: no cover - urls.py nests every action
        raise ValueError(key)
    return action[len(page) :]


def _invalid(bound: dict[str, Form] | None) -> list[tuple[str, Any]]:
    return [
        (key, ACTIONS[key].title if key in ACTIONS else _("Identiteit inzien"))
        for key, form in (bound or {}).items()
        if form.errors
    ]


def _audit_read(user: Any, access: CaseAccess, case: Case, action: str) -> None:
    """Every rendering of case content is a read in the audit log (R-BIO-1)."""
    audit_record(
        action=action,
        actor=user,
        actor_role=_access_role(access),
        obj=case,
        organisation=case.organisation,
    )


def _case_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    access: CaseAccess,
    *,
    bound: dict[str, Form] | None = None,
    transition_error: str = "",
) -> HttpResponse:
    """Render the case page; every rendering is a read of case content (R-BIO-1)."""
    user = request.user
    content = selectors.case_content(case, access)
    _audit_read(user, access, case, "case.read")
    # The everyday forms are on the page; the others are a link to the same page with
    # that one form opened (GET on the action's URL), which keeps the page light.
    allowed, links = _allowed_links(user, case, access, CASE_PAGE_KEYS)
    forms: dict[str, Form] = {
        key: ACTIONS[key].form(case=case) for key in allowed if key in INLINE_ACTIONS
    }
    forms.update(bound or {})
    # The steps of the workflow table this user may take now; a step taken through a
    # form of its own (the decision) is that form, not a button.
    steps = [
        (step.name, TRANSITION_LABELS.get(step.name, step.name), feedback_given in step.guards)
        for step in transitions_for(user, access)
        if not step.form
    ]
    acknowledgement, feedback = case_deadlines(case, timezone.now())
    measures = [Measure(m).label for m in case.measures if m in Measure.values]
    timeline = selectors.case_timeline(case, content)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "access": access,
            "content": content,
            "details": _labelled(content.details, DETAIL_LABELS),
            "forms": forms,
            "links": links,
            "invalid": _invalid(bound),
            "steps": steps,
            "transition_error": transition_error,
            "acknowledgement": acknowledgement,
            "feedback": feedback,
            "measures": measures,
            "timeline": timeline,
            "is_coordinator": access.as_coordinator,
            "tab": "case",
            # The investigation and decision sections appear once they can hold
            # something: after the secretary's decision on an investigation, and from
            # the investigation report on.
            "show_investigation": case.investigation_decided_at is not None,
            "show_decision": bool(case.finding) or case.status in DECISION_STATUSES,
        },
    )


def _reporter_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    access: CaseAccess,
    *,
    bound: dict[str, Form] | None = None,
    identity: dict[str, Any] | None = None,
) -> HttpResponse:
    """The coordinator's page about the reporter; its every rendering is audited."""
    user = request.user
    if not user.has_perm("cases.view_identity", access):
        raise PermissionDenied
    content = selectors.reporter_content(case, access)
    _audit_read(user, access, case, "case.reporter.read")
    _, links = _allowed_links(user, case, access, REPORTER_PAGE_KEYS)
    if case.identity_mode != IdentityMode.ANONYMOUS and identity is None:
        links["reveal"] = reverse("cases:reveal_identity", args=[case.case_number])
    identity_rows = None
    if identity is not None:
        shown = {k: v for k, v in identity.items() if not k.startswith("consent_")}
        identity_rows = _labelled(shown, IDENTITY_LABELS)
    return render(
        request,
        "cases/case_reporter.html",
        {
            "case": case,
            "content": content,
            "forms": bound or {},
            "links": links,
            "invalid": _invalid(bound),
            "identity_rows": identity_rows,
            "is_coordinator": True,
            "tab": "reporter",
        },
    )


def _page_for(key: str) -> Callable[..., HttpResponse]:
    return _reporter_page if key in REPORTER_PAGE_KEYS else _case_page


def _visible_case(request: AuthenticatedHttpRequest, case_number: str) -> tuple[Case, CaseAccess]:
    case, access = case_get(user=request.user, case_number=case_number)
    if not request.user.has_perm("cases.view_case", access):
        raise Http404
    return case, access


def _back_to_case(request: AuthenticatedHttpRequest, case: Case, key: str = "") -> HttpResponse:
    """Back to the page of the action, or to the inbox when the user no longer may see
    the case (for example after naming themselves as involved)."""
    if cases_visible_to(request.user).filter(pk=case.pk).exists():
        target = "cases:reporter" if key in REPORTER_PAGE_KEYS else "cases:case_detail"
        return redirect(target, case_number=case.case_number)
    return redirect("cases:inbox")


def _add_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def case_detail(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    case, access = _visible_case(request, case_number)
    return _case_page(request, case, access)


def case_reporter(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    """The reporter's page: identity, consent, disclosure, protection log (coordinator)."""
    case, access = _visible_case(request, case_number)
    return _reporter_page(request, case, access)


def _perform(request: AuthenticatedHttpRequest, case_number: str, key: str) -> HttpResponse:
    """Validate one action's form and make its one service call; errors on the case page."""
    action = ACTIONS[key]
    case, access = _visible_case(request, case_number)
    if not action.allowed(request.user, access):
        raise PermissionDenied
    form = action.form(request.POST, case=case)
    if form.is_valid():
        try:
            action.run(request.user, case, form)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, str(action.done))
            return _back_to_case(request, case, key)
    return _page_for(key)(request, case, access, bound={key: form})


def _open_form(request: AuthenticatedHttpRequest, case_number: str, key: str) -> HttpResponse:
    """GET on an action's URL: the action's page with that one form opened."""
    case, access = _visible_case(request, case_number)
    if key == "reveal":
        if not request.user.has_perm("cases.view_identity", access):
            raise PermissionDenied
        return _reporter_page(request, case, access, bound={key: RevealForm(case=case)})
    action = ACTIONS[key]
    if not action.allowed(request.user, access) or not action.shown(case):
        raise PermissionDenied
    form = action.form.opened(case=case, params=request.GET)
    return _page_for(key)(request, case, access, bound={key: form})


def _action_view(key: str) -> Callable[[AuthenticatedHttpRequest, str], HttpResponse]:
    @require_http_methods(["GET", "POST"])
    def view(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
        if request.method == "GET":
            return _open_form(request, case_number, key)
        return _perform(request, case_number, key)

    view.__name__ = f"case_{key}"
    return view


case_assess = _action_view("assess")
case_assign = _action_view("assign")
case_involved = _action_view("involved")
case_unlink_involved = _action_view("unlink_involved")
case_decision = _action_view("decision")
case_aangifte = _action_view("aangifte")
case_referral = _action_view("referral")
case_legal_hold = _action_view("legal_hold")
case_referral_outcome = _action_view("referral_outcome")
case_message = _action_view("message")
case_note = _action_view("note")
case_protection = _action_view("protection")
case_investigation = _action_view("investigation")
case_evidence = _action_view("evidence")
case_subject_informed = _action_view("subject_informed")
case_disclose = _action_view("disclose")


@require_POST
def case_transition(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    """One step of the workflow table; `name` in the POST names it."""
    case, access = _visible_case(request, case_number)
    name = request.POST.get("name", "")
    step = TRANSITIONS.get(name)
    if step is None:
        return _case_page(request, case, access, transition_error=_("Onbekende stap."))
    if not step.allows(request.user, access):
        raise PermissionDenied
    try:
        services.case_transition(actor=request.user, case=case, name=name)
    except ValidationError as exc:
        return _case_page(request, case, access, transition_error=" ".join(exc.messages))
    messages.success(
        request, _("Uitgevoerd: %(step)s.") % {"step": TRANSITION_LABELS.get(name, name)}
    )
    return _back_to_case(request, case)


@require_http_methods(["GET", "POST"])
def case_reveal_identity(request: AuthenticatedHttpRequest, case_number: str) -> HttpResponse:
    """The coordinator opens the identity vault with a reason (R-WBK-7), audited.

    The identity is rendered in this response only: not stored in the session, not
    redirected to, so a reload or the back button does not show it again unasked.
    """
    if request.method == "GET":
        return _open_form(request, case_number, "reveal")
    case, access = _visible_case(request, case_number)
    if not request.user.has_perm("cases.view_identity", access):
        raise PermissionDenied
    form = RevealForm(request.POST, case=case)
    identity = None
    if form.is_valid():
        if case.identity_mode == IdentityMode.ANONYMOUS:
            form.add_error(None, _("Bij een anonieme melding is geen identiteit vastgelegd."))
        else:
            try:
                identity = identity_services.case_reveal_identity(
                    actor=request.user, case=case, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
    if identity is None:
        return _reporter_page(request, case, access, bound={"reveal": form})
    return _reporter_page(request, case, access, identity=identity)


# --- other channels -----------------------------------------------------------------


@permission_required("cases.record_report", raise_exception=True)
def record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Record a report received by phone, e-mail, in person or orally by a manager.

    The receipt code is shown once, in this response, to hand to the reporter; its only
    other copy is dropped at once. A manager never sees the case afterwards.
    """
    roles = user_roles(request.user)
    recording = selectors.recording_organisations(request.user)
    organisations = organisations_for_select(recording)
    chosen = None
    if organisations is None:
        # More organisations than a <select> holds: the organisation is chosen first.
        chosen = _recording_organisation(request, recording)
        if chosen is None:
            return _record_choose_page(request, recording)
        organisations = [chosen]
    form = RecordForm(
        request.POST or None,
        organisations=organisations,
        as_coordinator=roles.has(Role.INTEGRITY_COORDINATOR),
        as_manager=roles.is_manager,
        chosen=chosen is not None,
    )
    if request.method == "POST" and form.is_valid():
        token = f"record:{request.user.pk}:{form.cleaned_data['form_token']}"
        try:
            submission = channels.case_record_report(
                actor=request.user, form_token=token, **form.submit_arguments()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            form.add_error(
                "channel", _("U kunt voor deze organisatie niet via dit kanaal vastleggen.")
            )
        else:
            if submission.receipt_code is not None:
                intake_receipt_forget(form_token=token)
            can_open = cases_visible_to(request.user).filter(pk=submission.case.pk)
            return render(
                request,
                "cases/record_done.html",
                {"submission": submission, "can_open": can_open.exists()},
            )
    return render(request, "cases/record_form.html", {"form": form, "chosen": chosen})


def _recording_organisation(
    request: AuthenticatedHttpRequest, recording: QuerySet[Organisation]
) -> Organisation | None:
    """The organisation chosen before the form: posted (its id) or as ?organisatie=."""
    if request.method == "POST":
        value = request.POST.get("organisation", "")
        return recording.filter(pk=int(value)).first() if value.isdigit() else None
    slug = request.GET.get("organisatie", "")
    return recording.filter(slug=slug).first() if slug else None


def _record_choose_page(
    request: AuthenticatedHttpRequest, recording: QuerySet[Organisation]
) -> HttpResponse:
    """Step 0 of recording for a coordinator of many organisations: find it by name."""
    bound = "zoek" in request.GET
    search = OrganisationSearchForm(request.GET if bound else None, regions=[])
    hits = None
    if search.is_valid():
        hits = organisations_search(recording, search.cleaned_data["zoek"])
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/record_choose.html",
        {"search": search, "hits": hits, "missing": request.method == "POST"},
        status=status,
    )


# --- figures for integrity officers -------------------------------------------------


@permission_required("cases.view_figures", raise_exception=True)
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Counts per status and kind, small numbers suppressed; no case content or numbers."""
    return render(request, "cases/figures.html", {"figures": selectors.case_figures(request.user)})

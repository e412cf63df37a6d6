"""Pages of the integriteitscoördinator, the investigators and the gemeentesecretaris.

Views stay thin: selectors read, scoped by need to know (404 for every case a user may not
see, R-WBK-7, R-DP-3); each action is one service call; every view of case content is an
audit event (R-BIO-1). The inbox never decrypts anything: it lists only the fields the
workflow keeps in clear.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
from integritas.audit.services import audit_record
from integritas.core.types import AuthenticatedHttpRequest

from . import selectors, services
from .constants import IdentityMode, Measure, Status
from .deadline_display import case_deadlines
from .forms import (
    AangifteForm,
    AssessmentForm,
    AssignForm,
    CaseActionForm,
    DecisionForm,
    DisclosureForm,
    EvidenceForm,
    InvestigationRecordForm,
    InvolvedForm,
    LegalHoldForm,
    MessageForm,
    NoteForm,
    ProtectionForm,
    RecordForm,
    ReferralForm,
    ReferralOutcomeForm,
    RevealForm,
    SubjectInformedForm,
)
from .models import Case
from .permissions import CaseAccess
from .workflow import TRANSITIONS, Transition, transitions_from

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


# --- the case page ------------------------------------------------------------------


def _may(perm: str) -> Callable[[Any, CaseAccess], bool]:
    def check(user: Any, access: CaseAccess) -> bool:
        return bool(user.has_perm(perm, access))

    return check


def _handler_or_secretary(user: Any, access: CaseAccess) -> bool:
    return bool(user.has_perm("cases.handle_case", access)) or bool(
        user.has_perm("cases.decide_case", access)
    )


@dataclass(frozen=True)
class Action:
    """One form on the case page: who may use it, and the one service call it makes."""

    form: type[CaseActionForm]
    title: Promise
    allowed: Callable[[Any, CaseAccess], bool]
    run: Callable[[Any, Case, Any], object]
    done: Promise
    shown: Callable[[Case], bool] = lambda case: True


def _decide(actor: Any, case: Case, form: DecisionForm) -> object:
    data = form.cleaned_data
    return services.case_record_decision(
        actor=actor,
        case=case,
        finding=data["finding"],
        measures=data["measures"],
        note=data["note"],
    )


def _assess(actor: Any, case: Case, form: AssessmentForm) -> object:
    data = form.cleaned_data
    return services.case_assess(
        actor=actor,
        case=case,
        category=data["category"],
        is_wbk_wrongdoing=data["is_wbk_wrongdoing"],
        is_eu_law_breach=data["is_eu_law_breach"],
        is_possible_offence=data["is_possible_offence"],
        concerns_political_office_holder=data["concerns_political_office_holder"],
    )


def _message(actor: Any, case: Case, form: MessageForm) -> object:
    data = form.cleaned_data
    return services.case_message_to_reporter(
        actor=actor,
        case=case,
        body=data["body"],
        is_feedback=data["is_feedback"],
        needs_approval=data["needs_approval"],  # R-WBK-8: (corrected) minutes
    )


def _note(actor: Any, case: Case, form: NoteForm) -> object:
    return services.case_add_note(actor=actor, case=case, body=form.cleaned_data["body"])


def _assign(actor: Any, case: Case, form: AssignForm) -> object:
    return services.case_assign_investigator(
        actor=actor, case=case, user=form.cleaned_data["investigator"]
    )


def _involved(actor: Any, case: Case, form: InvolvedForm) -> object:
    return services.case_link_involved(
        actor=actor, case=case, employee=form.employee, description=form.cleaned_data["description"]
    )


def _aangifte(actor: Any, case: Case, form: AangifteForm) -> object:
    data = form.cleaned_data
    return services.case_record_aangifte(
        actor=actor,
        case=case,
        decision=data["decision"],
        date=data["aangifte_date"],
        reference=data["police_reference"],
    )


def _referral(actor: Any, case: Case, form: ReferralForm) -> object:
    data = form.cleaned_data
    return services.case_record_referral(
        actor=actor,
        case=case,
        body=data["body"],
        referred_on=data["referred_on"],
        notes=data["notes"],
    )


def _referral_outcome(actor: Any, case: Case, form: ReferralOutcomeForm) -> object:
    data = form.cleaned_data
    return services.case_record_referral_outcome(
        actor=actor,
        case=case,
        referral=data["referral"],
        advice_on=data["advice_on"],
        advice=data["advice"],
        decision_on=data["employer_decision_on"],
        decision=data["employer_decision"],
    )


def _legal_hold(actor: Any, case: Case, form: LegalHoldForm) -> object:
    return services.case_set_legal_hold(actor=actor, case=case, on=form.cleaned_data["hold"])


def _protection(actor: Any, case: Case, form: ProtectionForm) -> object:
    data = form.cleaned_data
    return services.case_protection_log_add(
        actor=actor,
        case=case,
        occurred_on=data["occurred_on"],
        measure=data["measure"],
        reason=data["reason"],
    )


def _investigation_record(actor: Any, case: Case, form: InvestigationRecordForm) -> object:
    data = form.cleaned_data
    return services.case_add_investigation_record(
        actor=actor,
        case=case,
        kind=data["kind"],
        occurred_on=data["occurred_on"],
        body=data["body"],
        hoor_en_wederhoor=data["hoor_en_wederhoor"],
        interviewee_role=data["interviewee_role"],
    )


def _evidence(actor: Any, case: Case, form: EvidenceForm) -> object:
    data = form.cleaned_data
    return services.case_add_evidence(
        actor=actor,
        case=case,
        description=data["description"],
        sha256=data["sha256"],
        attachment=form.chosen_attachment,
        recorded_on=data["recorded_on"],
    )


def _subject_informed(actor: Any, case: Case, form: SubjectInformedForm) -> object:
    data = form.cleaned_data
    return services.case_record_subject_informed(
        actor=actor,
        case=case,
        informed_on=data["informed_on"],
        how=data["how"],
        deferred_reason=data["deferred_reason"],
    )


def _investigating(case: Case) -> bool:
    return case.status in services.INVESTIGATION_STATUSES


ACTIONS: dict[str, Action] = {
    "assess": Action(
        AssessmentForm,
        gettext_lazy("Beoordeling"),
        _may("cases.handle_case"),
        _assess,
        gettext_lazy("De beoordeling is opgeslagen."),
    ),
    "assign": Action(
        AssignForm,
        gettext_lazy("Onderzoeker toewijzen"),
        _may("cases.handle_case"),
        _assign,
        gettext_lazy("De onderzoeker is toegewezen."),
    ),
    "involved": Action(
        InvolvedForm,
        gettext_lazy("Betrokken medewerker koppelen"),
        _may("cases.handle_case"),
        _involved,
        gettext_lazy("De betrokken medewerker is gekoppeld."),
    ),
    "decision": Action(
        DecisionForm,
        gettext_lazy("Besluit"),
        _may("cases.decide_case"),
        _decide,
        gettext_lazy("Het besluit is vastgelegd."),
        shown=lambda case: case.status == Status.REPORTED_TO_SECRETARY,
    ),
    "aangifte": Action(
        AangifteForm,
        gettext_lazy("Aangifte"),
        _handler_or_secretary,
        _aangifte,
        gettext_lazy("Het besluit over aangifte is vastgelegd."),
    ),
    "referral": Action(
        ReferralForm,
        gettext_lazy("Doorverwijzing"),
        _may("cases.handle_case"),
        _referral,
        gettext_lazy("De doorverwijzing is vastgelegd."),
    ),
    "referral_outcome": Action(
        ReferralOutcomeForm,
        gettext_lazy("Advies en besluit bij een doorverwijzing"),
        _may("cases.handle_case"),
        _referral_outcome,
        gettext_lazy("Het advies of besluit is bij de doorverwijzing vastgelegd."),
    ),
    "legal_hold": Action(
        LegalHoldForm,
        gettext_lazy("Bewaarplicht"),
        _may("cases.handle_case"),
        _legal_hold,
        gettext_lazy("De bewaarplicht is vastgelegd."),
    ),
    "message": Action(
        MessageForm,
        gettext_lazy("Bericht aan de melder"),
        _may("cases.handle_case"),
        _message,
        gettext_lazy("Het bericht staat in het postvak van de melder."),
    ),
    "note": Action(
        NoteForm,
        gettext_lazy("Interne notitie"),
        _may("cases.add_note"),
        _note,
        gettext_lazy("De notitie is opgeslagen."),
    ),
    "protection": Action(
        ProtectionForm,
        gettext_lazy("Beschermingslog"),
        _may("cases.handle_case"),
        _protection,
        gettext_lazy("De maatregel is vastgelegd in het beschermingslog."),
        shown=lambda case: case.identity_mode != IdentityMode.ANONYMOUS,
    ),
    "investigation": Action(
        InvestigationRecordForm,
        gettext_lazy("Onderzoeksstuk vastleggen"),
        _may("cases.investigate"),
        _investigation_record,
        gettext_lazy("Het onderzoeksstuk is vastgelegd."),
        shown=_investigating,
    ),
    "evidence": Action(
        EvidenceForm,
        gettext_lazy("Bewijsstuk vastleggen"),
        _may("cases.investigate"),
        _evidence,
        gettext_lazy("Het bewijsstuk is vastgelegd."),
        shown=_investigating,
    ),
    "subject_informed": Action(
        SubjectInformedForm,
        gettext_lazy("Informeren betrokkene (AVG art. 14)"),
        _may("cases.investigate"),
        _subject_informed,
        gettext_lazy("Het informeren van de betrokkene is vastgelegd."),
        shown=_investigating,
    ),
}


def _disclose(actor: Any, case: Case, form: DisclosureForm) -> object:
    data = form.cleaned_data
    return services.case_disclose_identity(
        actor=actor,
        case=case,
        recipient_kind=data["recipient_kind"],
        recipient=data["recipient"],
        ground=data["ground"],
        reason=data["reason"],
        notice_to_reporter=data["notice_to_reporter"],
    )


# R-WBK-7: sharing the reporter's identity is a recorded act of the coordinator.
ACTIONS["disclose"] = Action(
    DisclosureForm,
    gettext_lazy("Identiteit delen"),
    _may("cases.view_identity"),
    _disclose,
    gettext_lazy("Het delen van de identiteit is vastgelegd."),
    shown=lambda case: case.identity_mode != IdentityMode.ANONYMOUS,
)

# Forms shown on the case page itself; the others open through a link.
INLINE_ACTIONS = frozenset({"message", "note"})


def _step_allowed(user: Any, access: CaseAccess, step: Transition) -> bool:
    perm = "cases.decide_case" if step.role == Role.SECRETARY else "cases.handle_case"
    return bool(user.has_perm(perm, access))


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
DECISION_STATUSES = frozenset({Status.REPORTED_TO_SECRETARY, Status.DECIDED, Status.CLOSED})


def _allowed_links(
    user: Any, case: Case, access: CaseAccess, keys: frozenset[str] | None = None
) -> tuple[list[str], dict[str, str]]:
    """The actions this user may take on this case now, with the URL that opens each."""
    allowed = [
        key
        for key, action in ACTIONS.items()
        if (keys is None or key in keys) and action.allowed(user, access) and action.shown(case)
    ]
    return allowed, {key: reverse(f"cases:{key}", args=[case.case_number]) for key in allowed}


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
    steps = [
        (step.name, TRANSITION_LABELS.get(step.name, step.name), step.needs_feedback)
        for step in transitions_from(case.status)
        if step.name != "decide" and _step_allowed(user, access, step)
    ]
    acknowledgement, feedback = case_deadlines(case, timezone.now())
    measures = [Measure(m).label for m in case.measures if m in Measure.values]
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
    case, access = selectors.case_get(user=request.user, case_number=case_number)
    if not request.user.has_perm("cases.view_case", access):
        raise Http404
    return case, access


def _back_to_case(request: AuthenticatedHttpRequest, case: Case, key: str = "") -> HttpResponse:
    """Back to the page of the action, or to the inbox when the user no longer may see
    the case (for example after naming themselves as involved)."""
    if selectors.cases_visible_to(request.user).filter(pk=case.pk).exists():
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
    return _page_for(key)(request, case, access, bound={key: action.form(case=case)})


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
    if not _step_allowed(request.user, access, step):
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
                identity = services.case_reveal_identity(
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
    form = RecordForm(
        request.POST or None,
        organisations=list(selectors.recording_organisations(request.user)),
        as_coordinator=roles.has(Role.INTEGRITY_COORDINATOR),
        as_manager=roles.is_manager,
    )
    if request.method == "POST" and form.is_valid():
        token = f"record:{request.user.pk}:{form.cleaned_data['form_token']}"
        try:
            submission = services.case_record_report(
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
                services.intake_receipt_forget(form_token=token)
            can_open = selectors.cases_visible_to(request.user).filter(pk=submission.case.pk)
            return render(
                request,
                "cases/record_done.html",
                {"submission": submission, "can_open": can_open.exists()},
            )
    return render(request, "cases/record_form.html", {"form": form})


# --- figures for integrity officers -------------------------------------------------


@permission_required("cases.view_figures", raise_exception=True)
def figures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Counts per status and kind, small numbers suppressed; no case content or numbers."""
    return render(request, "cases/figures.html", {"figures": selectors.case_figures(request.user)})

"""The actions on the case page: who may use each form, and the one service call it makes.

The formal investigation brings its own (investigation/actions.py); handling/views.py puts
them together in ACTIONS.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from integritas.cases.constants import IdentityMode
from integritas.cases.models import Case
from integritas.cases.permissions import CaseAccess
from integritas.cases.retention import services as retention
from integritas.cases.workflow import TRANSITIONS

from . import identity, records, services
from .forms import (
    AangifteForm,
    AssessmentForm,
    AssignForm,
    CaseActionForm,
    DecisionForm,
    DisclosureForm,
    InvolvedForm,
    LegalHoldForm,
    MessageForm,
    NoteForm,
    ProtectionForm,
    ReferralForm,
    ReferralOutcomeForm,
    UnlinkInvolvedForm,
)


def may(perm: str) -> Callable[[Any, CaseAccess], bool]:
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
    data = form.cleaned_data
    return services.case_link_involved(
        actor=actor, case=case, employee=data["employee"], description=data["description"]
    )


def _unlink_involved(actor: Any, case: Case, form: UnlinkInvolvedForm) -> object:
    services.case_unlink_involved(actor=actor, case=case, person=form.cleaned_data["person"])
    return None


def _aangifte(actor: Any, case: Case, form: AangifteForm) -> object:
    data = form.cleaned_data
    return records.case_record_aangifte(
        actor=actor,
        case=case,
        decision=data["decision"],
        date=data["aangifte_date"],
        reference=data["police_reference"],
    )


def _referral(actor: Any, case: Case, form: ReferralForm) -> object:
    data = form.cleaned_data
    return records.case_record_referral(
        actor=actor,
        case=case,
        body=data["body"],
        referred_on=data["referred_on"],
        notes=data["notes"],
    )


def _referral_outcome(actor: Any, case: Case, form: ReferralOutcomeForm) -> object:
    data = form.cleaned_data
    return records.case_record_referral_outcome(
        actor=actor,
        case=case,
        referral=data["referral"],
        advice_on=data["advice_on"],
        advice=data["advice"],
        decision_on=data["employer_decision_on"],
        decision=data["employer_decision"],
    )


def _legal_hold(actor: Any, case: Case, form: LegalHoldForm) -> object:
    return retention.case_set_legal_hold(actor=actor, case=case, on=form.cleaned_data["hold"])


def _protection(actor: Any, case: Case, form: ProtectionForm) -> object:
    data = form.cleaned_data
    return records.case_protection_log_add(
        actor=actor,
        case=case,
        occurred_on=data["occurred_on"],
        measure=data["measure"],
        reason=data["reason"],
    )


DECIDE = TRANSITIONS["decide"]

HANDLING_ACTIONS: dict[str, Action] = {
    "assess": Action(
        AssessmentForm,
        gettext_lazy("Beoordeling"),
        may("cases.handle_case"),
        _assess,
        gettext_lazy("De beoordeling is opgeslagen."),
    ),
    "assign": Action(
        AssignForm,
        gettext_lazy("Onderzoeker toewijzen"),
        may("cases.handle_case"),
        _assign,
        gettext_lazy("De onderzoeker is toegewezen."),
    ),
    "involved": Action(
        InvolvedForm,
        gettext_lazy("Betrokken medewerker koppelen"),
        may("cases.handle_case"),
        _involved,
        gettext_lazy("De betrokken medewerker is gekoppeld."),
    ),
    "unlink_involved": Action(
        UnlinkInvolvedForm,
        gettext_lazy("Koppeling betrokken medewerker ongedaan maken"),
        may("cases.handle_case"),
        _unlink_involved,
        gettext_lazy("De koppeling met de betrokken medewerker is ongedaan gemaakt."),
    ),
    # The workflow's "decide" step, with what it records (workflow.py: form="decision").
    "decision": Action(
        DecisionForm,
        gettext_lazy("Besluit"),
        DECIDE.allows,
        _decide,
        gettext_lazy("Het besluit is vastgelegd."),
        shown=lambda case: case.status in DECIDE.sources,
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
        may("cases.handle_case"),
        _referral,
        gettext_lazy("De doorverwijzing is vastgelegd."),
    ),
    "referral_outcome": Action(
        ReferralOutcomeForm,
        gettext_lazy("Advies en besluit bij een doorverwijzing"),
        may("cases.handle_case"),
        _referral_outcome,
        gettext_lazy("Het advies of besluit is bij de doorverwijzing vastgelegd."),
    ),
    "legal_hold": Action(
        LegalHoldForm,
        gettext_lazy("Bewaarplicht"),
        may("cases.handle_case"),
        _legal_hold,
        gettext_lazy("De bewaarplicht is vastgelegd."),
    ),
    "message": Action(
        MessageForm,
        gettext_lazy("Bericht aan de melder"),
        may("cases.handle_case"),
        _message,
        gettext_lazy("Het bericht staat in het postvak van de melder."),
    ),
    "note": Action(
        NoteForm,
        gettext_lazy("Interne notitie"),
        may("cases.add_note"),
        _note,
        gettext_lazy("De notitie is opgeslagen."),
    ),
    "protection": Action(
        ProtectionForm,
        gettext_lazy("Beschermingslog"),
        may("cases.handle_case"),
        _protection,
        gettext_lazy("De maatregel is vastgelegd in het beschermingslog."),
        shown=lambda case: case.identity_mode != IdentityMode.ANONYMOUS,
    ),
}


def _disclose(actor: Any, case: Case, form: DisclosureForm) -> object:
    data = form.cleaned_data
    return identity.case_disclose_identity(
        actor=actor,
        case=case,
        recipient_kind=data["recipient_kind"],
        recipient=data["recipient"],
        ground=data["ground"],
        reason=data["reason"],
        notice_to_reporter=data["notice_to_reporter"],
    )


# R-WBK-7: sharing the reporter's identity is a recorded act of the coordinator.
DISCLOSE = Action(
    DisclosureForm,
    gettext_lazy("Identiteit delen"),
    may("cases.view_identity"),
    _disclose,
    gettext_lazy("Het delen van de identiteit is vastgelegd."),
    shown=lambda case: case.identity_mode != IdentityMode.ANONYMOUS,
)

"""The formal investigation's actions on the case page (see handling/actions.py)."""

from typing import Any

from django.utils.translation import gettext_lazy

from integritas.cases.handling.actions import Action, may
from integritas.cases.models import Case

from . import services
from .forms import EvidenceForm, InvestigationRecordForm, SubjectInformedForm


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


def investigating(case: Case) -> bool:
    return case.status in services.INVESTIGATION_STATUSES


INVESTIGATION_ACTIONS: dict[str, Action] = {
    "investigation": Action(
        InvestigationRecordForm,
        gettext_lazy("Onderzoeksstuk vastleggen"),
        may("cases.investigate"),
        _investigation_record,
        gettext_lazy("Het onderzoeksstuk is vastgelegd."),
        shown=investigating,
    ),
    "evidence": Action(
        EvidenceForm,
        gettext_lazy("Bewijsstuk vastleggen"),
        may("cases.investigate"),
        _evidence,
        gettext_lazy("Het bewijsstuk is vastgelegd."),
        shown=investigating,
    ),
    "subject_informed": Action(
        SubjectInformedForm,
        gettext_lazy("Informeren betrokkene (AVG art. 14)"),
        may("cases.investigate"),
        _subject_informed,
        gettext_lazy("Het informeren van de betrokkene is vastgelegd."),
        shown=investigating,
    ),
}

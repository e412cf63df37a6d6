"""Forms of the formal investigation on the case page; validation messages in Dutch."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.cases.attachments.storage import attachment_filename
from integritas.cases.handling.forms import CaseActionForm
from integritas.cases.handling.widgets import DateInput, blank, textarea
from integritas.cases.models import Case, IntervieweeRole, InvestigationKind


class InvestigationRecordForm(CaseActionForm):
    """A plan, the record of a hearing (verslag van gehoor) or the investigation report."""

    prefix_name = "investigation"
    kind = forms.ChoiceField(label=_("Soort stuk"), choices=InvestigationKind.choices)
    occurred_on = forms.DateField(label=_("Datum"), widget=DateInput())
    body = forms.CharField(label=_("Tekst"), max_length=100000, widget=textarea(8))
    interviewee_role = forms.ChoiceField(
        label=_("Gehoorde (alleen bij een verslag van gehoor)"),
        choices=blank(IntervieweeRole.choices, "-"),
        required=False,
    )
    hoor_en_wederhoor = forms.BooleanField(
        label=_("Hoor en wederhoor: de betrokkene is gehoord over de bevindingen"),
        required=False,
    )


class EvidenceForm(CaseActionForm):
    """Evidence fixed by its SHA-256, or an uploaded attachment of the case."""

    prefix_name = "evidence"
    description = forms.CharField(label=_("Omschrijving"), max_length=5000, widget=textarea(2))
    attachment = forms.TypedChoiceField(
        label=_("Bijlage van de melding"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Kies een bijlage; dan wordt de SHA-256 van de bijlage vastgelegd."),
    )
    sha256 = forms.CharField(
        label=_("SHA-256"),
        max_length=64,
        required=False,
        help_text=_("64 hexadecimale tekens; niet nodig als u een bijlage kiest."),
    )
    recorded_on = forms.DateField(label=_("Vastgelegd op"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self._attachments = {a.pk: a for a in case.attachments.order_by("created_at", "pk")}
        self.fields["attachment"].choices = [  # type: ignore[attr-defined]
            ("", "-"),
            *(
                (pk, f"{attachment_filename(case=case, attachment=a)} ({a.sha256[:12]}…)")
                for pk, a in self._attachments.items()
            ),
        ]

    @property
    def chosen_attachment(self) -> Any:
        pk = self.cleaned_data.get("attachment")
        return self._attachments.get(pk) if pk is not None else None


class SubjectInformedForm(CaseActionForm):
    """AVG art. 14: informing the person concerned, or deferring it with a reason."""

    prefix_name = "subject"
    informed_on = forms.DateField(
        label=_("Betrokkene geïnformeerd op"), widget=DateInput(), required=False
    )
    how = forms.CharField(
        label=_("Hoe geïnformeerd"), max_length=5000, widget=textarea(2), required=False
    )
    deferred_reason = forms.CharField(
        label=_("Of: reden om het informeren uit te stellen"),
        max_length=5000,
        widget=textarea(2),
        required=False,
        help_text=_(
            "Uitstel mag zolang informeren het onderzoek zou schaden (art. 14 lid 5 AVG, "
            "art. 41 UAVG)."
        ),
    )

"""Forms of `risks`; they validate input, the services write."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.organisations.models import Function, Organisation, OrgUnit

from .constants import ACTIVITIES, AmplifyingFactor, MeasureKind, MeasureStatus, RiskLevel, Score
from .selectors import owner_by_personnel_number


class AssessmentForm(forms.Form):
    """A score per vulnerable activity, the unit whose factors apply, a note."""

    org_unit = forms.ModelChoiceField(
        label=_("Afdeling"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_(
            "De versterkende factoren van deze afdeling tellen mee; zonder afdeling die "
            "van de organisatie."
        ),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_(
            "Over de functie, niet over personen: persoonlijke omstandigheden horen hier niet."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["org_unit"]
        field.queryset = OrgUnit.objects.filter(organisation=organisation).order_by("name")
        for activity in ACTIVITIES:
            self.fields[f"score_{activity.value}"] = forms.TypedChoiceField(
                label=activity.label,
                choices=Score.choices,
                coerce=int,
                initial=Score.NONE,
                widget=forms.RadioSelect,
            )
        # The activities first, then the unit and the note.
        self.order_fields([f"score_{a.value}" for a in ACTIVITIES])

    def scores(self) -> dict[str, int]:
        return {a.value: self.cleaned_data[f"score_{a.value}"] for a in ACTIVITIES}


class OverrideForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Risiconiveau"),
        choices=[("", _("Afgeleid niveau aanhouden")), *RiskLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Verplicht als u het niveau aanpast."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("level") is not None and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason", _("Geef een reden op waarom u het afgeleide risiconiveau aanpast.")
            )
        return cleaned


class FactorsForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Aanwezige versterkende factoren"),
        choices=AmplifyingFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Beoordeel de organisatie of afdeling als geheel. Persoonlijke omstandigheden "
            "van medewerkers worden hier nooit vastgelegd."
        ),
    )


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort maatregel"), choices=MeasureKind.choices)
    process = forms.CharField(
        label=_("Proces"),
        max_length=200,
        required=False,
        help_text=_("Vul dit in als de maatregel een proces betreft in plaats van een functie."),
    )
    description = forms.CharField(
        label=_("Omschrijving"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner_number = forms.CharField(
        label=_("Personeelsnummer van de eigenaar"),
        max_length=40,
        help_text=_("De eigenaar ziet de evaluatie in zijn of haar takenlijst."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    review_date = forms.DateField(
        label=_("Evaluatiedatum"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        function: Function | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        """`function`: the function the measure is for (chosen on its assessment page; an
        organisation has thousands), else the measure is for a process."""
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.function = function
        self.original_review_date: datetime.date | None = None
        if editing:
            del self.fields["kind"]
        if editing or function is not None:
            del self.fields["process"]

    def clean_owner_number(self) -> Any:
        owner = owner_by_personnel_number(self.organisation, self.cleaned_data["owner_number"])
        if owner is None:
            raise forms.ValidationError(
                _(
                    "Er is geen medewerker met een account met dit personeelsnummer in "
                    "deze organisatie."
                )
            )
        return owner

    def clean_review_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["review_date"]
        if value != self.original_review_date and value < timezone.localdate():
            raise forms.ValidationError(
                _("De evaluatiedatum ligt in het verleden. Kies vandaag of later.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "process" in self.fields and not (cleaned.get("process") or "").strip():
            self.add_error("process", _("Noem het proces waarvoor de maatregel geldt."))
        return cleaned

"""Forms of the duty pages; the checks that need the employee live in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.organisations.constants import EmploymentType

from .constants import DutyFilter, DutyKind, OathForm
from .models import ObligationSettings


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("Alle")), *choices]


class DutyFilterForm(forms.Form):
    #: Open duties unless asked otherwise: the list HRM works from.
    status = forms.ChoiceField(label=_("Status"), required=False, choices=DutyFilter.choices)
    kind = forms.ChoiceField(label=_("Soort"), required=False, choices=_blank(DutyKind.choices))


class DutyCreateForm(forms.Form):
    personnel_number = forms.CharField(label=_("Personeelsnummer"), max_length=40)
    kind = forms.ChoiceField(label=_("Soort verplichting"), choices=DutyKind.choices)
    due_date = forms.DateField(label=_("Uiterlijk"), widget=DateInput())
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)


class VogForm(forms.Form):
    issued_on = forms.DateField(label=_("Datum van afgifte van de VOG"), widget=DateInput())
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)


class OathRecordForm(forms.Form):
    taken_on = forms.DateField(label=_("Datum van de eed of belofte"), widget=DateInput())
    oath_form = forms.ChoiceField(
        label=_("Eed of belofte"), choices=OathForm.choices, widget=forms.RadioSelect
    )
    administered_by = forms.CharField(label=_("Afgenomen door"), max_length=200)
    signed_form = forms.FileField(
        label=_("Ondertekend formulier (PDF)"),
        help_text=_("De scan van het formulier, ondertekend door de medewerker en de afnemer."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("Afgerond op"), widget=DateInput())
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)
    signed_form = forms.FileField(
        label=_("Ondertekend formulier (PDF, niet verplicht)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class InterviewForm(forms.Form):
    """R-AW-2: the manager records the HRM-cycle conversation in which integrity came up."""

    discussed_on = forms.DateField(label=_("Datum van het gesprek"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=500,
        required=False,
        help_text=_("Bijvoorbeeld: jaargesprek. Schrijf hier niet wat er besproken is."),
    )


class DeclarationForm(forms.Form):
    """The integriteitsverklaring acknowledged in the application (seed 3.2.5)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirm = forms.BooleanField(
        label=_("Ik heb de integriteitsverklaring ontvangen en gelezen, en ik houd mij eraan."),
        error_messages={
            "required": _(
                "Vink aan dat u de integriteitsverklaring heeft ontvangen en gelezen en u "
                "eraan houdt."
            )
        },
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Waarom vervalt deze verplichting?"), max_length=500)


class SettingsForm(forms.ModelForm):
    """The organisation's rules: windows and terms, the texts of the eed and belofte, and
    per kind of duty the employment types that get it."""

    class Meta:
        model = ObligationSettings
        fields = [
            "vog_validity_months",
            "vog_rescreen_years",
            "training_window_months",
            "onboarding_days",
            "oath_text_eed",
            "oath_text_belofte",
            "declaration_text",
        ]
        widgets = {
            "oath_text_eed": forms.Textarea(attrs={"rows": 6}),
            "oath_text_belofte": forms.Textarea(attrs={"rows": 6}),
            "declaration_text": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "declaration_text": _(
                "Een gewijzigde tekst is een nieuwe versie; wie de verklaring in de "
                "applicatie bevestigt, bevestigt de versie die hij las."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.rules or {}
        for kind, label in DutyKind.choices:
            self.fields[f"rule_{kind}"] = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=EmploymentType.choices,
                widget=forms.CheckboxSelectMultiple,
                initial=current.get(kind, []),
            )

    def changes(self) -> dict[str, Any]:
        """The cleaned values as the settings service takes them."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["rules"] = {
            kind: sorted(self.cleaned_data[f"rule_{kind}"]) for kind in DutyKind.values
        }
        return values

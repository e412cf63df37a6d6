"""Forms of `awareness`; they validate input, the services write."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import ActivityKind, DilemmaTheme, TrainingTopic, VulnerableActivity


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    topic = forms.ChoiceField(label=_("Onderwerp"), choices=TrainingTopic.choices)
    date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    audience = forms.CharField(
        label=_("Doelgroep"),
        max_length=200,
        help_text=_("Bijvoorbeeld: nieuwe medewerkers, leidinggevenden."),
    )
    description = forms.CharField(
        label=_("Omschrijving"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AttendanceForm(forms.Form):
    numbers = forms.CharField(
        label=_("Personeelsnummers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Eén personeelsnummer per regel, of gescheiden door komma's."),
    )


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Presentielijst (CSV of XLSX)"),
        help_text=_(
            "Een kolom met de kop 'personeelsnummer', of de personeelsnummers in de eerste "
            "kolom. Is één nummer onbekend, dan wordt niets ingelezen."
        ),
        error_messages={"empty": _("Het bestand is leeg.")},
    )


class CompleteForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Afgerond op"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def clean_completed_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De datum van afronding ligt in de toekomst."))
        return value


class DilemmaFilterForm(forms.Form):
    thema = forms.ChoiceField(
        label=_("Thema"), choices=[("", _("Alle thema's")), *DilemmaTheme.choices], required=False
    )
    activiteit = forms.ChoiceField(
        label=_("Kwetsbare activiteit"),
        choices=[("", _("Alle activiteiten")), *VulnerableActivity.choices],
        required=False,
    )


class DiscussForm(forms.Form):
    discussed_on = forms.DateField(
        label=_("Besproken op"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    attendees = forms.TypedMultipleChoiceField(
        label=_("Aanwezig uit uw team"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies wie er bij het gesprek waren.")},
    )

    def __init__(self, *args: Any, team: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["attendees"]
        field.choices = [(e.pk, e.full_name) for e in team]

    def clean_discussed_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["discussed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De datum ligt in de toekomst."))
        return value

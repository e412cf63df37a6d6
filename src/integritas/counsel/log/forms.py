"""The form of a consultation entry: no names by design, and a warning that needs an
explicit confirmation when the free text looks like it identifies someone."""

import copy
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.counsel.constants import NOTE_MAX_LENGTH, Channel, FollowUp, Theme
from integritas.counsel.identifying import Findings, check_note
from integritas.organisations.models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ConsultationEntryForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), empty_label=None
    )
    consulted_on = forms.DateField(label=_("Datum van het gesprek"), widget=DateInput())
    theme = forms.ChoiceField(label=_("Onderwerp"), choices=Theme.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(
        label=_("Hoe kwam de persoon bij u?"), choices=Channel.choices, widget=forms.RadioSelect
    )
    follow_ups = forms.MultipleChoiceField(
        label=_("Wat volgde?"),
        choices=FollowUp.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één vervolg.")},
    )
    note = forms.CharField(
        label=_("Korte notitie"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
        help_text=_(
            "Geen namen, e-mailadressen, telefoonnummers of andere gegevens waaraan iemand "
            "te herkennen is. Hooguit %(max)d tekens."
        )
        % {"max": NOTE_MAX_LENGTH},
        error_messages={"max_length": _("De notitie is te lang: hooguit %(limit_value)d tekens.")},
    )
    #: Shown only once the note was warned about (and kept on the next post).
    confirm = forms.BooleanField(
        label=_("Ik heb de notitie nagelezen: er staat niets in waaraan iemand te herkennen is."),
        required=False,
    )
    warned = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        fixed_organisation: Organisation | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.findings = Findings()
        self.fixed_organisation = fixed_organisation
        if fixed_organisation is not None:
            del self.fields["organisation"]
        else:
            field = cast(forms.ModelChoiceField, self.fields["organisation"])
            field.queryset = organisations
        if not self.initial.get("consulted_on"):
            self.fields["consulted_on"].initial = timezone.localdate()
        if not (self.is_bound and self.data.get("warned")):
            del self.fields["confirm"]

    def clean_consulted_on(self) -> Any:
        day = self.cleaned_data["consulted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("De datum van het gesprek ligt in de toekomst."))
        return day

    def clean_note(self) -> str:
        return " ".join(self.cleaned_data.get("note", "").split())

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        organisation = self.fixed_organisation or cleaned.get("organisation")
        note = cleaned.get("note") or ""
        if organisation is None or not note or self.errors:
            return cleaned
        self.findings = check_note(note, organisation.pk)
        if self.findings and not cleaned.get("confirm"):
            self._show_confirmation()
            raise forms.ValidationError(
                _(
                    "De notitie lijkt iemand te noemen of herkenbaar te maken. Haal dat "
                    "weg, of bevestig hieronder dat de notitie niemand herkenbaar maakt."
                ),
                code="identifying",
            )
        return cleaned

    def _show_confirmation(self) -> None:
        if "confirm" not in self.fields:
            self.fields["confirm"] = copy.deepcopy(type(self).base_fields["confirm"])
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["warned"] = "1"
        self.data = data

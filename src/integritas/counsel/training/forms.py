"""Forms of the appointments (HRM) and the sessions with attendance (central counsellor)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.counsel.constants import SessionKind
from integritas.counsel.log.forms import DateInput


class AppointmentForm(forms.Form):
    personnel_number = forms.CharField(
        label=_("Personeelsnummer van de vertrouwenspersoon"), max_length=40
    )
    recruited_on = forms.DateField(label=_("Geworven op"), required=False, widget=DateInput())
    trained_on = forms.DateField(
        label=_("Basistraining afgerond op"),
        required=False,
        widget=DateInput(),
        help_text=_("Leeg laten zolang de training niet is afgerond."),
    )
    appointed_on = forms.DateField(label=_("Benoemd op"), widget=DateInput())
    ended_on = forms.DateField(
        label=_("Benoeming beëindigd op"), required=False, widget=DateInput()
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        appointed, ended = cleaned.get("appointed_on"), cleaned.get("ended_on")
        if appointed and ended and ended < appointed:
            self.add_error("ended_on", _("De benoeming kan niet eindigen vóór de benoeming."))
        return cleaned


class SessionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort"), choices=SessionKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Titel"), max_length=200)
    held_on = forms.DateField(label=_("Datum"), widget=DateInput())

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class AttendanceForm(forms.Form):
    attendees = forms.MultipleChoiceField(
        label=_("Aanwezige vertrouwenspersonen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, counsellors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counsellors = {str(user.pk): user for user in counsellors}
        field = cast(forms.MultipleChoiceField, self.fields["attendees"])
        field.choices = [
            (pk, user.get_full_name() or user.email) for pk, user in self.counsellors.items()
        ]

    def clean_attendees(self) -> list:
        return [self.counsellors[pk] for pk in self.cleaned_data["attendees"]]

"""Forms of the yearly re-confirmation; Dutch messages, everything typed kept."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import TEXT_MAX_LENGTH
from .forms import DateInput

_REQUIRED = {"required": _("Dit veld is verplicht.")}


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={**_REQUIRED, "invalid": _("Vul een geldige datum in.")},
    )


class CampaignForm(forms.Form):
    year = forms.IntegerField(
        label=_("Jaar"),
        min_value=2000,
        max_value=2999,
        error_messages={
            **_REQUIRED,
            "invalid": _("Vul een jaartal in, bijvoorbeeld 2027."),
            "min_value": _("Vul een jaartal in, bijvoorbeeld 2027."),
            "max_value": _("Vul een jaartal in, bijvoorbeeld 2027."),
        },
    )
    opens_on = _date(_("Opent op"))
    closes_on = _date(_("Sluit op (de laatste dag om te bevestigen)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes <= opens:
            self.add_error("closes_on", _("De sluitingsdatum moet na de begindatum liggen."))
        return data


class ConfirmForm(forms.Form):
    complete = forms.BooleanField(
        label=_("Ik bevestig dat mijn registraties hierboven volledig en actueel zijn."),
        error_messages={"required": _("Vink aan dat uw registraties volledig zijn.")},
    )
    note = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Hooguit %(limit_value)d tekens.")},
    )

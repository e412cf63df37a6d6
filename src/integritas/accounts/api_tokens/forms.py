"""The form that issues a token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import TokenScope


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Omschrijving"),
        max_length=100,
        help_text=_("Bijvoorbeeld het HR-systeem dat de sleutel gebruikt."),
    )
    scope = forms.ChoiceField(
        label=_("Bevoegdheid"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_(
            "Een sleutel die mag schrijven werkt pas nadat een tweede beheerder hem heeft "
            "goedgekeurd."
        ),
    )

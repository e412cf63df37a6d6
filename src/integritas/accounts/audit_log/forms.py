from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.audit.constants import Origin, Result


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Actie"), required=False, max_length=64)
    object_type = forms.CharField(label=_("Objecttype"), required=False, max_length=64)
    actor = forms.EmailField(label=_("Actor (e-mailadres)"), required=False)
    result = forms.ChoiceField(
        label=_("Resultaat"), required=False, choices=[("", _("Alle")), *Result.choices]
    )
    origin = forms.ChoiceField(
        label=_("Herkomst"), required=False, choices=[("", _("Alle")), *Origin.choices]
    )
    date_from = forms.DateField(
        label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

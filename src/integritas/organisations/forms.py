"""Forms for organisation settings and the HR import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation


class OrganisationSettingsForm(forms.ModelForm):
    """The organisation's "eigen inkleuring" (seed 1)."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "reporting_regulation_name",
            "reporting_regulation_year",
            "works_council_consent_reference",
            "gift_threshold",
            "anonymous_reporting_enabled",
            "worker_count",
            "contact_email",
            "contact_phone",
            "postal_address",
        ]


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam of personeelsnummer"), required=False, max_length=100)
    former = forms.BooleanField(label=_("Ook oud-medewerkers"), required=False)

"""Forms for organisation settings and the HR import."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from integritas.organisations.models import Organisation


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


HR_IMPORT_EXTENSIONS = (".csv", ".xlsx")


class HrImportForm(forms.Form):
    """Upload of the HR export; the content is checked by organisations.hr_import."""

    file = forms.FileField(
        label=_("HR-bestand (CSV of XLSX)"),
        # The columns are listed above the form, as code (organisations/hr_import.html).
        help_text=_("Een export uit het HR-systeem met de kolommen die hierboven staan."),
        widget=forms.FileInput(attrs={"accept": ",".join(HR_IMPORT_EXTENSIONS)}),
    )
    dry_run = forms.BooleanField(
        label=_("Proefdraai: alleen controleren, niets opslaan"), required=False
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() not in HR_IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Kies een CSV- of XLSX-bestand."))
        if (upload.size or 0) > settings.HR_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is te groot (maximaal %(size)s).")
                % {"size": filesizeformat(settings.HR_IMPORT_MAX_BYTES)}
            )
        return upload

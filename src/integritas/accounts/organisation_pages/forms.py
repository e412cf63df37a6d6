"""Forms for organisation settings and the HR import."""

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from integritas.organisations.constants import EmploymentType
from integritas.organisations.models import Function, Organisation, OrgUnit


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


class LegalHoldForm(forms.Form):
    """R-DP-2: the reason for a legal hold on an employee's personnel records."""

    reason = forms.CharField(
        label=_("Reden van de bewaarplicht"),
        help_text=_(
            "Bijvoorbeeld het geschil, het onderzoek of de rechtszaak waarvoor de gegevens "
            "bewaard moeten blijven. Alleen zichtbaar voor HRM en de functionaris integriteit."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _(
                "Geef de reden van de bewaarplicht op, bijvoorbeeld het geschil of de zaak."
            )
        },
    )


class _CodedChoice(forms.ModelChoiceField):
    """A unit or function by name and code."""

    def label_from_instance(self, obj: OrgUnit | Function) -> str:
        return f"{obj.name} ({obj.code})"


class EmployeeCreateForm(forms.Form):
    """One starter entered by hand by HRM (the HR import of one row does the rest)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), empty_label=None
    )
    personnel_number = forms.CharField(label=_("Personeelsnummer"), max_length=40)
    first_name = forms.CharField(label=_("Voornaam"), max_length=100)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    org_unit = _CodedChoice(label=_("Afdeling"), queryset=OrgUnit.objects.none())
    function = _CodedChoice(label=_("Functie"), queryset=Function.objects.none())
    employment_type = forms.ChoiceField(
        label=_("Dienstverband"), choices=EmploymentType.choices, widget=forms.RadioSelect
    )
    start_date = forms.DateField(
        label=_("Datum in dienst"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    manager = forms.CharField(
        label=_("Personeelsnummer leidinggevende"), max_length=40, required=False
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = list(organisations.values_list("pk", flat=True))
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["org_unit"].queryset = (  # type: ignore[attr-defined]
            OrgUnit.objects.filter(organisation_id__in=ids)
            .select_related("parent")
            .order_by("name", "code")
        )
        self.fields["function"].queryset = Function.objects.filter(  # type: ignore[attr-defined]
            organisation_id__in=ids
        ).order_by("name", "code")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation = cleaned.get("organisation")
        for name in ("org_unit", "function"):
            chosen = cleaned.get(name)
            if (
                organisation is not None
                and chosen is not None
                and chosen.organisation_id != organisation.pk
            ):
                self.add_error(name, _("Kies er een van de gekozen organisatie."))
        return cleaned


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

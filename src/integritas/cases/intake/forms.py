"""The form of the public Meldpunt's web intake. Errors in Dutch."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.cases.constants import (
    Category,
    IdentityMode,
    Kind,
    ReporterRelation,
    SubstituteRole,
)
from integritas.cases.substitutes.services import substitutes_designated
from integritas.organisations.models import Organisation, Region

from .formtoken import form_token_valid

MAX_INVOLVED_LINES = 50

# Fields shown on the review page, in order, as (field name, heading).
REVIEW_FIELDS = (
    "organisation",
    "kind",
    "category",
    "description",
    "when",
    "where",
    "involved",
    "others_aware",
    "concerns_role",
    "reporter_relation",
    "identity_mode",
    "name",
    "email",
    "phone",
    "consent_investigators",
    "consent_secretary",
    "notify_email",
)
IDENTITY_FIELDS = ("name", "email", "phone", "consent_investigators", "consent_secretary")


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class OrganisationSearchForm(forms.Form):
    """The Meldpunt's first step when the region has too many organisations for a list:
    find the organisation by (part of) its name, optionally within a region (GET, no
    JavaScript)."""

    zoek = forms.CharField(
        label=_("Naam van de organisatie"),
        max_length=100,
        help_text=_("Bijvoorbeeld de naam van de gemeente, of een deel ervan."),
        error_messages={
            "required": _("Typ de naam van de organisatie, of een deel ervan."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
        },
    )
    regio = forms.ModelChoiceField(
        label=_("Regio"),
        queryset=Region.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle regio's"),
        error_messages={"invalid_choice": _("Kies een regio uit de lijst.")},
    )

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(regions) > 1:
            self.fields["regio"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
                pk__in=[region.pk for region in regions]
            ).order_by("name")
        else:
            del self.fields["regio"]


class IntakeForm(forms.Form):
    """A report through the web intake (R-WBK-7, R-WBK-9, R-WBK-10)."""

    organisation = OrganisationChoiceField(
        label=_("Over welke organisatie gaat uw melding?"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=_("Kies een organisatie"),
        error_messages={
            "required": _("Kies de organisatie waar uw melding over gaat."),
            "invalid_choice": _("Kies een organisatie uit de lijst."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Wat voor melding is het?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("Kies wat het beste past. De integriteitscoördinator beoordeelt het ook zelf."),
        error_messages={
            "required": _("Kies wat voor melding het is."),
            "invalid_choice": _("Kies een van de soorten melding."),
        },
    )
    category = forms.ChoiceField(
        label=_("Onderwerp"),
        choices=[("", _("Weet ik niet")), *Category.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies een onderwerp uit de lijst.")},
    )
    description = forms.CharField(
        label=_("Wat is er gebeurd?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_(
            "Beschrijf zo concreet mogelijk wat u heeft gezien of gehoord. Wilt u anoniem "
            "blijven, schrijf dan niets op waaruit blijkt wie u bent."
        ),
        error_messages={
            "required": _("Beschrijf wat er is gebeurd."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d)."),
        },
    )
    when = forms.CharField(
        label=_("Wanneer gebeurde het?"),
        max_length=500,
        required=False,
        help_text=_("Een datum, een periode, of 'het gebeurt nog steeds'."),
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )
    where = forms.CharField(
        label=_("Waar gebeurde het?"),
        max_length=500,
        required=False,
        help_text=_("Bijvoorbeeld de afdeling, het team of de locatie."),
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )
    involved = forms.CharField(
        label=_("Wie zijn erbij betrokken?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("Eén persoon per regel, met naam of functie."),
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )
    others_aware = forms.CharField(
        label=_("Wie weten er nog meer van?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )
    concerns_role = forms.ChoiceField(
        label=_("Gaat uw melding over iemand die meldingen behandelt?"),
        choices=[
            ("", _("Nee, of dat weet ik niet")),
            (SubstituteRole.INTEGRITY_COORDINATOR, _("Ja, over de integriteitscoördinator")),
            (
                SubstituteRole.SECRETARY,
                _("Ja, over de gemeentesecretaris (of directeur) van de organisatie"),
            ),
            (SubstituteRole.INTEGRITY_OFFICER, _("Ja, over een functionaris integriteit")),
        ],
        required=False,
        help_text=_(
            "Dan behandelt de vervanger die de organisatie daarvoor heeft aangewezen uw melding, "
            "en kan degene over wie het gaat haar niet zien."
        ),
        error_messages={"invalid_choice": _("Kies een antwoord uit de lijst.")},
    )
    reporter_relation = forms.ChoiceField(
        label=_("Wat is uw relatie tot de organisatie?"),
        choices=[("", _("Zeg ik liever niet")), *ReporterRelation.choices],
        required=False,
        help_text=_(
            "Iedereen die via het werk iets ziet, mag melden: medewerkers en oud-medewerkers, "
            "inhuurkrachten, zzp'ers, stagiairs, vrijwilligers, leveranciers en sollicitanten."
        ),
        error_messages={"invalid_choice": _("Kies een relatie uit de lijst.")},
    )
    identity_mode = forms.ChoiceField(
        label=_("Hoe wilt u melden?"),
        choices=IdentityMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies hoe u wilt melden."),
            "invalid_choice": _("Kies een van de manieren van melden."),
        },
    )
    name = forms.CharField(
        label=_("Uw naam"),
        max_length=200,
        required=False,
        help_text=_("Nodig bij melden met naam en bij vertrouwelijk melden."),
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")},
    )
    phone = forms.CharField(
        label=_("Uw telefoonnummer"),
        max_length=40,
        required=False,
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )
    consent_investigators = forms.BooleanField(
        label=_("Mijn naam mag worden gedeeld met de onderzoekers van mijn melding."),
        required=False,
    )
    consent_secretary = forms.BooleanField(
        label=_(
            "Mijn naam mag worden gedeeld met de gemeentesecretaris (of directeur) die over "
            "mijn melding beslist."
        ),
        required=False,
    )
    notify_email = forms.EmailField(
        label=_("E-mailadres voor een seintje bij nieuws"),
        required=False,
        max_length=254,
        help_text=_(
            "Wij sturen dan alleen het bericht 'Er is nieuws in uw melding', nooit de inhoud. "
            "Het adres wordt versleuteld bewaard en alleen hiervoor gebruikt. Meldt u anoniem, "
            "kies dan een adres waaruit niet blijkt wie u bent, of laat dit leeg en kijk zelf "
            "in het postvak."
        ),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]

    def fix_organisation(self, organisation: Organisation) -> None:
        """The organisation was chosen before the form (a region of many organisations):
        a hidden field instead of a <select> of every organisation (docs/performance.md)."""
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk=organisation.pk)  # type: ignore[attr-defined]
        field.widget = forms.HiddenInput()
        if not self.is_bound:
            self.initial["organisation"] = organisation.slug

    def clean_form_token(self) -> str:
        token: str = self.cleaned_data.get("form_token", "")
        if not form_token_valid(token):
            raise forms.ValidationError(
                _("Dit formulier is verlopen. Controleer uw gegevens en verstuur opnieuw."),
                code="form_token",
            )
        return token

    def clean_involved(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("involved", "").splitlines()]
        people = [line for line in lines if line]
        if len(people) > MAX_INVOLVED_LINES:
            raise forms.ValidationError(
                _("Noem hoogstens %(count)d personen, één per regel.")
                % {"count": MAX_INVOLVED_LINES}
            )
        return people

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation = cleaned.get("organisation")
        mode = cleaned.get("identity_mode")
        if (
            mode == IdentityMode.ANONYMOUS
            and organisation is not None
            and not organisation.anonymous_reporting_enabled
        ):
            # R-WBK-9: switchable per organisation.
            self.add_error(
                "identity_mode",
                _(
                    "Anoniem melden is bij %(organisation)s niet mogelijk. Kies 'Vertrouwelijk': "
                    "dan kent alleen de integriteitscoördinator uw naam."
                )
                % {"organisation": organisation.name},
            )
        concerns = cleaned.get("concerns_role")
        if (
            concerns
            and organisation is not None
            and not substitutes_designated(organisation, concerns)
        ):
            self.add_error(
                "concerns_role",
                _(
                    "%(organisation)s heeft hiervoor (nog) geen vervanger aangewezen. "
                    "Praat eerst met een vertrouwenspersoon, of meld bij het Huis voor "
                    "Klokkenluiders (zie 'Liever ergens anders melden?'). Kiest u 'Nee', "
                    "dan gaat uw melding naar de gewone behandelaars."
                )
                % {"organisation": organisation.name},
            )
        if (
            mode in (IdentityMode.NAMED, IdentityMode.CONFIDENTIAL)
            and not cleaned.get("name", "").strip()
        ):
            self.add_error("name", _("Vul uw naam in, of kies een andere manier van melden."))
        return cleaned

    @property
    def is_anonymous(self) -> bool:
        return self.cleaned_data.get("identity_mode") == IdentityMode.ANONYMOUS

    def submit_arguments(self) -> dict[str, Any]:
        """Keyword arguments for services.case_submit from a valid form."""
        data = self.cleaned_data
        anonymous = self.is_anonymous
        identity = (
            None
            if anonymous
            else {
                key: value
                for key in ("name", "email", "phone")
                if (value := data.get(key, "").strip())
            }
        )
        details = {
            key: value
            for key in ("when", "where", "others_aware")
            if (value := data.get(key, "").strip())
        }
        return {
            "organisation": data["organisation"],
            "kind": data["kind"],
            "category": data.get("category", ""),
            "description": data["description"],
            "reporter_relation": data.get("reporter_relation", ""),
            "details": details,
            "involved": data.get("involved", []),
            "concerns_role": data.get("concerns_role", ""),
            "identity_mode": data["identity_mode"],
            "identity": identity,
            "notify_email": data.get("notify_email", ""),
            "consent_investigators": False if anonymous else data["consent_investigators"],
            "consent_secretary": False if anonymous else data["consent_secretary"],
            "form_token": data["form_token"],
        }

    def initial_from_data(self) -> dict[str, Any]:
        """The submitted values as initial values, to edit again without error messages."""
        initial: dict[str, Any] = {}
        for name, field in self.fields.items():
            raw = self.data.get(self.add_prefix(name), "")
            if isinstance(field, forms.BooleanField):
                initial[name] = field.to_python(raw)
            else:
                initial[name] = raw
        return initial

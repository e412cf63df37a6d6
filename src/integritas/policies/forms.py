"""Forms of the document centre; every rule that needs the database lives in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import CONTENT_MAX_LENGTH, SEARCH_MAX_LENGTH, AdoptionBody, DocumentKind


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoeken in de geldende documenten"), max_length=SEARCH_MAX_LENGTH, required=False
    )


class DocumentForm(forms.Form):
    """A new document; `scope` is "org-<id>" or "region-<id>" from the keeper's scopes."""

    kind = forms.ChoiceField(label=_("Soort"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    scope = forms.ChoiceField(label=_("Geldt voor"))

    def __init__(self, *args: Any, scopes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        if isinstance(scope, forms.ChoiceField):
            scope.choices = scopes


class AdditionForm(forms.Form):
    title = forms.CharField(label=_("Titel van de aanvulling"), max_length=200)


class VersionForm(forms.Form):
    content = forms.CharField(
        label=_("Tekst (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=CONTENT_MAX_LENGTH,
        help_text=_(
            "Koppen met #, ## en ### worden hoofdstukken en paragrafen met een eigen "
            "anker in de inhoudsopgave."
        ),
    )
    change_summary = forms.CharField(
        label=_("Samenvatting van de wijzigingen"), max_length=500, required=False
    )


class AdoptionStepForm(forms.Form):
    body = forms.ChoiceField(label=_("Orgaan"), choices=AdoptionBody.choices)
    decided_on = forms.DateField(
        label=_("Datum besluit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_by = forms.CharField(
        label=_("Besloten door"),
        max_length=200,
        help_text=_("Bijvoorbeeld: het college van B&W, of de naam van de voorzitter."),
    )
    consent_reference = forms.CharField(
        label=_("Kenmerk instemming OR"),
        max_length=100,
        required=False,
        help_text=_("Verplicht bij de instemming van de ondernemingsraad."),
    )


class AdoptForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Ingangsdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ik heb de gedragscode ontvangen en gelezen, en ik houd mij eraan."),
        error_messages={
            "required": _(
                "Vink aan dat u de gedragscode heeft ontvangen en gelezen en u eraan houdt."
            )
        },
    )

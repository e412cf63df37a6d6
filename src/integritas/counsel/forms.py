"""The form for one entry of the directory of vertrouwenspersonen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CounsellorListing


class CounsellorListingForm(forms.ModelForm):
    class Meta:
        model = CounsellorListing
        fields = [
            "name",
            "is_external",
            "phone",
            "email",
            "availability",
            "introduction",
            "position",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}
        help_texts = {
            "availability": _("Bijvoorbeeld: maandag en donderdag, 9.00-17.00 uur."),
            "introduction": _(
                "Een paar zinnen over wie u bent en waarmee medewerkers bij u terechtkunnen. "
                "Hooguit 500 tekens; staat op de pagina van het Meldpunt."
            ),
            "position": _("Lagere nummers staan eerder in de lijst."),
        }

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(
                _(
                    "Vul een telefoonnummer of een e-mailadres in, zodat melders contact "
                    "kunnen opnemen."
                )
            )
        return cleaned

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

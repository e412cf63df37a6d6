"""Forms for user administration; validation messages in Dutch."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.organisations.models import Organisation, Region

from .constants import Role
from .models import User


class UserCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Naam"), max_length=250)
    email = forms.EmailField(label=_("E-mailadres"))

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Er bestaat al een gebruiker met dit e-mailadres."))
        return email


class RoleAssignmentForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Gebruiker"), queryset=User.objects.none())
    role = forms.ChoiceField(
        label=_("Rol"), choices=[c for c in Role.choices if c[0] != Role.EMPLOYEE]
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Laat leeg voor een regionale rol."),
    )
    region = forms.ModelChoiceField(
        label=_("Regio"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_(
            "Alleen voor regionale rollen (coördinator, centrale vertrouwenspersoon, werkgroep)."
        ),
    )
    reason = forms.CharField(label=_("Reden"), max_length=500)

    def __init__(self, *args: Any, users: Any, organisations: Any, regions: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]

"""The form to designate a substitute (seed 5.2); validation messages in Dutch."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from integritas.accounts.models import User
from integritas.cases.constants import SubstituteRole
from integritas.organisations.models import Employee, Organisation


class SubstituteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none()
    )
    replaces_role = forms.ChoiceField(label=_("Vervangt"), choices=SubstituteRole.choices)
    user = forms.ModelChoiceField(
        label=_("Vervanger"),
        queryset=User.objects.none(),
        help_text=_("Een medewerker van de gekozen organisatie."),
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        users: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation = cleaned.get("organisation")
        user = cleaned.get("user")
        if organisation is not None and user is not None:
            works_there = Employee.objects.filter(user=user, organisation=organisation).exists()
            if not works_there:
                self.add_error("user", _("Kies een medewerker van deze organisatie."))
        return cleaned

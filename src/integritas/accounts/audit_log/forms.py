from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from integritas.accounts.constants import Role
from integritas.audit.constants import Origin, Result
from integritas.organisations.models import Organisation


class AuditFilterForm(forms.Form):
    """Every filter matches an index on the audit table (audit/models.py)."""

    action = forms.CharField(label=_("Actie"), required=False, max_length=64)
    object_type = forms.CharField(label=_("Objecttype"), required=False, max_length=64)
    actor = forms.EmailField(label=_("Actor (e-mailadres)"), required=False)
    actor_role = forms.ChoiceField(
        label=_("Rol"), required=False, choices=[("", _("Alle")), *Role.choices]
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Alle"),
    )
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

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = organisations if organisations is not None else Organisation.objects.none()

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from integritas.accounts.constants import Role
from integritas.audit.constants import Origin, Result
from integritas.core.forms import KeptHtmlForm
from integritas.organisations.models import Organisation
from integritas.organisations.selectors import organisations_for_select


class OrganisationByNameField(forms.ModelChoiceField):
    """An organisation typed by its name or code, for a region too large for a <select>
    (as the Meldpunt asks first beyond ORGANISATION_SELECT_LIMIT): one indexed lookup
    instead of 355 options on every page."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> Organisation | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        found = (
            cast(QuerySet[Organisation], self.queryset)
            .filter(Q(slug=text.lower()) | Q(name__iexact=text))
            .first()
        )
        if found is None:
            raise ValidationError(
                _("Geen organisatie met deze naam of code die u beheert."), code="invalid_choice"
            )
        return found

    def prepare_value(self, value: Any) -> Any:
        return value.name if isinstance(value, Organisation) else value


class AuditFilterForm(KeptHtmlForm):
    """Every filter matches an index on the audit table (audit/models.py).

    The empty form (the page as the menu opens it) is rendered once and kept a minute
    (core.forms.KeptHtmlForm): its HTML depends only on the organisations offered. A
    filled-in form may hold a typed e-mail address, personal data: rendered every time."""

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
        allowed = organisations if organisations is not None else Organisation.objects.none()
        self.offered = organisations_for_select(allowed)
        if self.offered is None:
            self.fields["organisation"] = OrganisationByNameField(
                label=_("Organisatie (naam of code)"), required=False, queryset=allowed
            )
            return
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = allowed

    def html_key(self) -> str | None:
        """The organisations offered (read already, no query), or "typed" beyond the
        <select>'s limit; None for a filled-in form."""
        if self.is_bound:
            return None
        if self.offered is None:
            return "typed"
        return repr([(organisation.pk, organisation.name) for organisation in self.offered])

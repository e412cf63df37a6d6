"""Forms of the registers; Dutch messages, everything typed kept on an error."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .constants import (
    MAX_HOURS_PER_MONTH,
    TEXT_MAX_LENGTH,
    Criterion,
    GiftDirection,
    GiftKind,
    InterestKind,
    InvitationKind,
    Kind,
    Measure,
    Outcome,
    SignalReason,
    Status,
)

_KVK = RegexValidator(r"^\d{8}$", _("Een KvK-nummer bestaat uit 8 cijfers."))
_YES_NO = (("1", _("Ja")), ("0", _("Nee")))
_REQUIRED = {"required": _("Dit veld is verplicht.")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _text(
    label: Any, *, required: bool = True, long: bool = False, **kwargs: Any
) -> forms.CharField:
    if long:
        return forms.CharField(
            label=label,
            required=required,
            max_length=TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={
                **_REQUIRED,
                "max_length": _("Hooguit %(limit_value)d tekens."),
            },
            **kwargs,
        )
    return forms.CharField(
        label=label,
        required=required,
        max_length=200,
        error_messages={**_REQUIRED, "max_length": _("Hooguit %(limit_value)d tekens.")},
        **kwargs,
    )


def _yes_no(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=_YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja of nee.")},
    )


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={**_REQUIRED, "invalid": _("Vul een geldige datum in.")},
    )


def _kvk() -> forms.CharField:
    return forms.CharField(
        label=_("KvK-nummer (als u het weet)"), required=False, validators=[_KVK], max_length=8
    )


class SideActivityForm(forms.Form):
    description = _text(_("Wat doet u?"))
    client_name = _text(_("Voor welke organisatie?"))
    kvk_number = _kvk()
    paid = _yes_no(_("Wordt u ervoor betaald?"))
    hours_per_month = forms.DecimalField(
        label=_("Uren per maand"),
        min_value=0,
        max_value=MAX_HOURS_PER_MONTH,
        max_digits=5,
        decimal_places=1,
        error_messages={
            **_REQUIRED,
            "invalid": _("Vul een aantal uren in."),
            "min_value": _("Het aantal uren kan niet negatief zijn."),
            "max_value": _("Een maand heeft hooguit %(limit_value)s uren."),
            "max_decimal_places": _("Gebruik hooguit één cijfer achter de komma."),
            "max_digits": _("Vul een aantal uren in."),
        },
    )
    start_date = _date(_("Begindatum (ook als het nog moet beginnen)"))
    end_date = _date(_("Einddatum (als die bekend is)"), required=False)
    relation_to_work = _text(_("Relatie met uw eigen werk"), required=False, long=True)
    relation_to_parties = _text(
        _("Relatie met partijen waarmee de gemeente zaken doet"), required=False, long=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("De einddatum ligt vóór de begindatum."))
        return data


class EndForm(forms.Form):
    end_date = _date(_("Einddatum"))


class GiftForm(forms.Form):
    gift_kind = forms.ChoiceField(
        label=_("Wat is het?"),
        choices=GiftKind.choices,
        widget=forms.RadioSelect,
        error_messages=_REQUIRED,
    )
    invitation_kind = forms.ChoiceField(
        label=_("Soort uitnodiging (alleen bij een uitnodiging)"),
        choices=[("", "—"), *InvitationKind.choices],
        required=False,
    )
    direction = forms.ChoiceField(
        label=_("Aangeboden of ontvangen?"),
        choices=GiftDirection.choices,
        widget=forms.RadioSelect,
        error_messages=_REQUIRED,
    )
    giver_name = _text(_("Van wie (naam)?"))
    giver_organisation = _text(_("Van welke organisatie?"))
    relation = _text(_("Wat is uw relatie met de gever?"))
    value = forms.DecimalField(
        label=_("Geschatte waarde in euro"),
        min_value=Decimal("0"),
        max_value=Decimal("1000000"),
        max_digits=9,
        decimal_places=2,
        error_messages={
            **_REQUIRED,
            "invalid": _("Vul een bedrag in, bijvoorbeeld 45,00."),
            "min_value": _("De waarde kan niet negatief zijn."),
            "max_value": _("Vul een waarde in van hooguit € 1.000.000."),
            "max_decimal_places": _("Gebruik hooguit twee cijfers achter de komma."),
            "max_digits": _("Vul een waarde in van hooguit € 1.000.000."),
        },
    )
    given_on = _date(_("Datum"))
    accepted = _yes_no(_("Hebt u het aangenomen?"))
    description = _text(_("Toelichting"), required=False, long=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("gift_kind") == GiftKind.INVITATION and not data.get("invitation_kind"):
            self.add_error("invitation_kind", _("Kies wat voor uitnodiging het is."))
        if data.get("value") is not None:
            data["value_cents"] = int(data["value"] * 100)
        return data


class ConflictForm(forms.Form):
    dossier = _text(_("Om welk dossier gaat het?"))
    description = _text(_("Wat is uw belang?"), long=True)
    measure = forms.ChoiceField(
        label=_("Welke maatregel is genomen?"),
        choices=Measure.choices,
        widget=forms.RadioSelect,
        error_messages=_REQUIRED,
    )
    measure_text = _text(_("Toelichting op de maatregel"), required=False, long=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("measure") == Measure.OTHER and not data.get("measure_text", "").strip():
            self.add_error("measure_text", _("Licht de maatregel toe."))
        return data


class ContractForm(forms.Form):
    party_name = _text(_("Met welke partij?"))
    kvk_number = _kvk()
    description = _text(_("Welke opdracht of levering?"), long=True)
    own_role = _text(_("Wat is uw rol daarin?"), long=True)


class FinancialInterestForm(forms.Form):
    interest_kind = forms.ChoiceField(
        label=_("Soort"),
        choices=InterestKind.choices,
        widget=forms.RadioSelect,
        error_messages=_REQUIRED,
    )
    company = _text(_("Onderneming of fonds"))
    kvk_number = _kvk()
    description = _text(_("Omschrijving (omvang, datum van de transactie)"), long=True)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Besluit"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een besluit.")},
    )
    criteria = forms.MultipleChoiceField(
        label=_("Gewogen criteria"),
        choices=Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reasons = _text(_("Motivering"), required=False, long=True)
    conditions = _text(_("Voorwaarden of maatregel"), required=False, long=True)

    def __init__(self, *args: Any, outcomes: tuple[Outcome, ...], kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome_field = cast(forms.ChoiceField, self.fields["outcome"])
        outcome_field.choices = [(o.value, o.label) for o in outcomes]
        if kind not in (Kind.SIDE_ACTIVITY, Kind.CONTRACT, Kind.CONFLICT):
            del self.fields["criteria"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if (
            outcome in (Outcome.CONDITIONAL, Outcome.MEASURE)
            and not data.get("conditions", "").strip()
        ):
            self.add_error("conditions", _("Vul de voorwaarden of de maatregel in."))
        if outcome == Outcome.REFUSED and not data.get("reasons", "").strip():
            self.add_error("reasons", _("Motiveer waarom het niet is toegestaan."))
        return data


class RegisterFilterForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Soort"), choices=[("", _("Alle")), *Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle")), *Status.choices], required=False
    )
    van = _date(_("Vanaf"), required=False)
    tot = _date(_("Tot en met"), required=False)


# --------------------------------------------------------------------------- conflict signals

SIGNAL_STATES = (("open", _("Nog te wegen")), ("weighed", _("Gewogen")))


class SignalFilterForm(forms.Form):
    weging = forms.ChoiceField(
        label=_("Weging"), choices=[("", _("Alle")), *SIGNAL_STATES], required=False
    )
    soort = forms.ChoiceField(
        label=_("Reden"), choices=[("", _("Alle")), *SignalReason.choices], required=False
    )


class SignalWeighForm(forms.Form):
    relevant = forms.TypedChoiceField(
        label=_("Uw weging"),
        choices=(("1", _("Relevant")), ("0", _("Niet relevant"))),
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={**_REQUIRED, "invalid_choice": _("Kies relevant of niet relevant.")},
    )
    note = _text(_("Toelichting"), long=True)


class CounterpartyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Lijst (CSV of XLSX)"),
        help_text=_(
            "Kolommen: naam, KvK-nummer, soort (leverancier, subsidieontvanger of "
            "aanbesteding), aanbesteding van, aanbesteding tot. De nieuwe lijst vervangt de "
            "huidige; bij een fout wordt niets ingelezen."
        ),
        error_messages={**_REQUIRED, "empty": _("Het bestand is leeg.")},
    )

"""Shapes of the HR API (documented in the OpenAPI schema).

An employee row has the columns of the HR file import (organisations.hr_import), minus
`organisatie`: the token decides the organisation. The importer checks every value and
names the bad row; these serializers only check that values are text.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from integritas.obligations.constants import DutyKind, DutyStatus
from integritas.organisations.services import HR_IMPORT_OPTIONAL_COLUMNS

#: Employees per batch; a larger set goes in several calls.
MAX_BATCH = 10_000

ROW_COLUMNS = (
    "personeelsnummer",
    "voornaam",
    "achternaam",
    "email",
    "afdeling",
    "afdeling_naam",
    "bovenliggende_afdeling",
    "functie",
    "functie_naam",
    "dienstverband",
    "datum_in_dienst",
    "datum_uit_dienst",
    "leidinggevende",
)


def _text(column: str) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
        help_text=_("Mag leeg zijn.") if column in HR_IMPORT_OPTIONAL_COLUMNS else None,
    )


class EmployeeRowSerializer(serializers.Serializer):
    """One employee with their org unit and function, as a row of the HR file."""

    personeelsnummer = _text("personeelsnummer")
    voornaam = _text("voornaam")
    achternaam = _text("achternaam")
    email = _text("email")
    afdeling = _text("afdeling")
    afdeling_naam = _text("afdeling_naam")
    bovenliggende_afdeling = _text("bovenliggende_afdeling")
    functie = _text("functie")
    functie_naam = _text("functie_naam")
    dienstverband = _text("dienstverband")
    datum_in_dienst = _text("datum_in_dienst")
    datum_uit_dienst = _text("datum_uit_dienst")
    leidinggevende = _text("leidinggevende")


class EmployeeBatchSerializer(serializers.Serializer):
    employees = EmployeeRowSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=_("Alleen controleren, niets opslaan.")
    )


class UpsertResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    units_created = serializers.IntegerField()
    units_updated = serializers.IntegerField()
    functions_created = serializers.IntegerField()
    functions_updated = serializers.IntegerField()
    unit_managers_changed = serializers.IntegerField()
    dry_run = serializers.BooleanField()


class RowErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        help_text=_("Positie in employees, vanaf 0; -1 voor de lijst als geheel.")
    )
    row = serializers.IntegerField(
        help_text=_("Rijnummer zoals in het HR-bestand: de eerste medewerker is rij 2.")
    )
    field = serializers.CharField()
    message = serializers.CharField()
    text = serializers.CharField(help_text=_("De hele melding, met rij en veld."))


class UpsertErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RowErrorSerializer(many=True)


class OrgUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    naam = serializers.CharField()
    bovenliggende_afdeling = serializers.CharField(allow_null=True)


class FunctionSerializer(serializers.Serializer):
    code = serializers.CharField()
    naam = serializers.CharField()


class EmployeeSerializer(serializers.Serializer):
    personeelsnummer = serializers.CharField()
    voornaam = serializers.CharField()
    achternaam = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    afdeling = serializers.CharField(allow_null=True)
    functie = serializers.CharField(allow_null=True)
    dienstverband = serializers.CharField()
    datum_in_dienst = serializers.DateField()
    datum_uit_dienst = serializers.DateField(allow_null=True)
    leidinggevende = serializers.CharField(allow_null=True)


class PageSerializer(serializers.Serializer):
    next = serializers.CharField(
        allow_null=True, help_text=_("De volgende pagina, of null op de laatste.")
    )


class OrgUnitPageSerializer(PageSerializer):
    results = OrgUnitSerializer(many=True)


class FunctionPageSerializer(PageSerializer):
    results = FunctionSerializer(many=True)


class EmployeePageSerializer(PageSerializer):
    results = EmployeeSerializer(many=True)


class DutyFilterSerializer(serializers.Serializer):
    """The query parameters of the duty list; a wrong value is a 400, not ignored."""

    personeelsnummer = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text=_("Eén medewerker.")
    )
    status = serializers.ChoiceField(
        choices=DutyStatus.choices, required=False, help_text=_("Open, afgerond of vervallen.")
    )
    te_laat = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: open en over de uiterste datum; false: alle andere."),
    )
    soort = serializers.ChoiceField(
        choices=DutyKind.choices, required=False, help_text=_("De soort verplichting.")
    )


class DutySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    personeelsnummer = serializers.CharField()
    soort = serializers.ChoiceField(choices=DutyKind.choices)
    soort_naam = serializers.CharField()
    status = serializers.ChoiceField(choices=DutyStatus.choices)
    status_naam = serializers.CharField()
    jaar = serializers.IntegerField(
        help_text=_("0 voor een eenmalige verplichting, anders het jaar.")
    )
    uiterlijk = serializers.DateField()
    afgerond_op = serializers.DateField(allow_null=True)
    te_laat = serializers.BooleanField(help_text=_("Open en over de uiterste datum."))


class DutyPageSerializer(PageSerializer):
    results = DutySerializer(many=True)

"""Reading an HR export: CSV or XLSX into raw rows, with the errors per row and field."""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from integritas.core.files.tabular import cell_text
from integritas.organisations.models import Employee, Function, OrgUnit

COLUMNS = (
    "personeelsnummer",
    "voornaam",
    "achternaam",
    "email",
    "organisatie",
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
OPTIONAL_COLUMNS = frozenset(
    {"email", "bovenliggende_afdeling", "datum_uit_dienst", "leidinggevende"}
)
REQUIRED_COLUMNS = tuple(c for c in COLUMNS if c not in OPTIONAL_COLUMNS)
FILE_FIELD = "bestand"
BATCH_SIZE = 500
# New employees are created per level of the manager tree up to this depth (see apply()).
MANAGER_LEVELS = 10

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_XLSX_MAGIC = b"PK\x03\x04"


def _max_length(model: type[models.Model], name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", 0) or 0)


MAX_LENGTHS = {
    "personeelsnummer": _max_length(Employee, "personnel_number"),
    "voornaam": _max_length(Employee, "first_name"),
    "achternaam": _max_length(Employee, "last_name"),
    "email": _max_length(Employee, "email"),
    "afdeling": _max_length(OrgUnit, "code"),
    "afdeling_naam": _max_length(OrgUnit, "name"),
    "bovenliggende_afdeling": _max_length(OrgUnit, "code"),
    "functie": _max_length(Function, "code"),
    "functie_naam": _max_length(Function, "name"),
    "leidinggevende": _max_length(Employee, "personnel_number"),
}


@dataclass(frozen=True)
class RowError:
    """One problem in the file: row number (header = 1), column name and a Dutch message."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Rij %(row)s, veld %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class HrImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: int = 0
    units_updated: int = 0
    functions_created: int = 0
    functions_updated: int = 0
    unit_managers_changed: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        """A one-paragraph Dutch summary for the command line and the upload page."""
        text = _(
            "%(rows)s medewerkers verwerkt: %(created)s nieuw, %(updated)s gewijzigd, "
            "%(unchanged)s ongewijzigd. Afdelingen: %(units_created)s nieuw, "
            "%(units_updated)s gewijzigd. Functies: %(functions_created)s nieuw, "
            "%(functions_updated)s gewijzigd. Leidinggevenden van afdelingen: "
            "%(unit_managers_changed)s wijzigingen."
        ) % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "units_created": self.units_created,
            "units_updated": self.units_updated,
            "functions_created": self.functions_created,
            "functions_updated": self.functions_updated,
            "unit_managers_changed": self.unit_managers_changed,
        }
        if self.dry_run:
            text = _("Proefdraai, er is niets opgeslagen.") + " " + text
        return text


# --------------------------------------------------------------------------- reading


class _UnreadableFileError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _RawRow:
    line: int
    values: dict[str, object]


def _table_from_csv(data: bytes) -> list[tuple[int, list[object]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _UnreadableFileError(
            _("Het bestand is geen UTF-8-tekst. Sla het op als 'CSV UTF-8' of als XLSX.")
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [
            (line, list(cells))
            for line, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
        ]
    except csv.Error as exc:
        raise _UnreadableFileError(_("Het CSV-bestand is niet leesbaar.")) from exc


def _table_from_xlsx(data: bytes) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _UnreadableFileError(_("Het bestand is geen geldig XLSX-bestand.")) from exc
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        return [
            (line, list(cells)) for line, cells in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
    finally:
        workbook.close()


def read_hr_file(data: bytes, *, filename: str = "") -> tuple[list[_RawRow], list[RowError]]:
    """The data rows of a CSV or XLSX export as column -> cell value, or the file's errors."""
    is_xlsx = data.startswith(_XLSX_MAGIC) or filename.lower().endswith(".xlsx")
    try:
        table = _table_from_xlsx(data) if is_xlsx else _table_from_csv(data)
    except _UnreadableFileError as exc:
        return [], [RowError(1, FILE_FIELD, exc.message)]
    if not table or not any(cell_text(c) for c in table[0][1]):
        return [], [RowError(1, FILE_FIELD, _("Het bestand is leeg of heeft geen kopregel."))]
    header = [cell_text(c).lstrip("\ufeff").strip().lower() for c in table[0][1]]
    errors = [
        RowError(1, column, _("Deze kolom ontbreekt in de kopregel."))
        for column in REQUIRED_COLUMNS
        if column not in header
    ]
    if errors:
        return [], errors
    positions = {column: header.index(column) for column in COLUMNS if column in header}
    rows: list[_RawRow] = []
    for line, cells in table[1:]:
        if not any(cell_text(c) for c in cells):
            continue
        rows.append(
            _RawRow(
                line,
                {
                    column: cells[index] if index < len(cells) else None
                    for column, index in positions.items()
                },
            )
        )
    if not rows:
        return [], [RowError(1, FILE_FIELD, _("Het bestand bevat geen medewerkers."))]
    return rows, []


def parse_date(value: object) -> datetime.date:
    """ISO `YYYY-MM-DD` or `DD-MM-YYYY` (or a date cell of a workbook); ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if match := _ISO_DATE.match(text):
        year, month, day = match.groups()
    elif match := _DUTCH_DATE.match(text):
        day, month, year = match.groups()
    else:
        raise ValueError(text)
    return datetime.date(int(year), int(month), int(day))

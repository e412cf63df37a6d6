"""Reading a table from an uploaded CSV or XLSX file, for the imports of the apps.

The first worksheet of an XLSX file, or a CSV file in UTF-8 (with or without a byte order
mark) separated by commas or semicolons, whichever the first line holds more of. Cells
come back as text: an XLSX number without decimals as its digits, a date as ISO date.
Nothing of the file is kept; the messages are Dutch and name no content.
"""

import csv
import datetime
import io
import zipfile

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"


class TabularFileError(Exception):
    """A file that cannot be read as a table, with a Dutch message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def cell_text(value: object) -> str:
    """One cell as text: None as "", 12.0 as "12", a date or datetime as its ISO date."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def is_xlsx(data: bytes, filename: str = "") -> bool:
    return data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx")


def read_table(data: bytes, *, filename: str = "") -> list[list[str]]:
    """Every row of the file as a list of cell texts (row 1 is the first line)."""
    if is_xlsx(data, filename):
        return [[cell_text(value) for value in row] for row in _xlsx_rows(data)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TabularFileError(
            _("Het bestand is geen UTF-8-tekst. Sla het op als 'CSV UTF-8' of als XLSX.")
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise TabularFileError(_("Het CSV-bestand is niet leesbaar.")) from exc


def _xlsx_rows(data: bytes) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TabularFileError(_("Het bestand is geen geldig XLSX-bestand.")) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        return [tuple(row) for row in sheet.iter_rows(values_only=True)] if sheet else []
    finally:
        workbook.close()

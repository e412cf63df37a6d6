"""Reading an attendance list: a CSV or XLSX file with personnel numbers.

The column is found by its header ("personeelsnummer"); without that header, the first
column is read. Only the numbers are read; nothing of the file is kept.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
HEADER = "personeelsnummer"
#: The most rows one list may hold.
MAX_ROWS = 5000


class AttendanceFileError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NumberRow:
    line: int
    number: str


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(data: bytes, filename: str) -> list[list[object]]:
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise AttendanceFileError(_("Het bestand is geen geldig XLSX-bestand.")) from exc
        try:
            sheet = workbook.worksheets[0] if workbook.worksheets else None
            return [list(row) for row in sheet.iter_rows(values_only=True)] if sheet else []
        finally:
            workbook.close()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AttendanceFileError(
            _("Het bestand is geen UTF-8-tekst. Sla het op als 'CSV UTF-8' of als XLSX.")
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise AttendanceFileError(_("Het CSV-bestand is niet leesbaar.")) from exc


def read_numbers(data: bytes, *, filename: str = "") -> list[NumberRow]:
    """The personnel numbers of the file with their line numbers (1 = first line)."""
    table = _table(data, filename)
    if not table:
        raise AttendanceFileError(_("Het bestand is leeg."))
    header = [_cell(c).lower() for c in table[0]]
    column, start = (header.index(HEADER), 1) if HEADER in header else (0, 0)
    rows = []
    for index, cells in enumerate(table[start:], start + 1):
        value = _cell(cells[column]) if column < len(cells) else ""
        if value:
            rows.append(NumberRow(index, value))
    if not rows:
        raise AttendanceFileError(_("Het bestand bevat geen personeelsnummers."))
    if len(rows) > MAX_ROWS:
        raise AttendanceFileError(
            _("Het bestand bevat meer dan %(max)d regels.") % {"max": MAX_ROWS}
        )
    return rows


def numbers_from_text(text: str) -> list[NumberRow]:
    """Numbers typed by hand: one per line, or separated by commas or spaces."""
    rows = []
    for line, part in enumerate(text.replace(",", "\n").split(), 1):
        if part.strip():
            rows.append(NumberRow(line, part.strip()))
    return rows

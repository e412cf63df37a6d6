"""Reading an attendance list: a CSV or XLSX file with personnel numbers.

The column is found by its header ("personeelsnummer"); without that header, the first
column is read. Only the numbers are read; nothing of the file is kept. An uploaded list
goes through the shared file intake first (`read_numbers_upload`): size limit, type by
content, zip-bomb guard and, when configured, the virus scan (core/files/tabular.py).
"""

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from integritas.core.files.tabular import TabularFileError, read_table, read_table_upload

HEADER = "personeelsnummer"
#: The most rows one list may hold.
MAX_ROWS = 5000
#: The largest list accepted (bytes): 5,000 numbers take some 50 kB as CSV.
MAX_BYTES = 2 * 1024 * 1024

#: The shared reader's error: its message is Dutch and names no content.
AttendanceFileError = TabularFileError


@dataclass(frozen=True)
class NumberRow:
    line: int
    number: str


def read_numbers(data: bytes, *, filename: str = "") -> list[NumberRow]:
    """The personnel numbers of the file with their line numbers (1 = first line)."""
    return _numbers(read_table(data, filename=filename))


def read_numbers_upload(upload: UploadedFile) -> list[NumberRow]:
    """The personnel numbers of an uploaded list, after the shared file intake; every
    refusal is an AttendanceFileError with a Dutch message that names no content."""
    return _numbers(read_table_upload(upload, max_bytes=MAX_BYTES))


def _numbers(table: list[list[str]]) -> list[NumberRow]:
    if not table or not any(any(cells) for cells in table):
        raise AttendanceFileError(_("Het bestand is leeg."))
    header = [c.lower() for c in table[0]]
    column, start = (header.index(HEADER), 1) if HEADER in header else (0, 0)
    rows = []
    for index, cells in enumerate(table[start:], start + 1):
        value = cells[column] if column < len(cells) else ""
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

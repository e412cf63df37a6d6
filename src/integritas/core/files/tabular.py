"""Reading a table from an uploaded CSV or XLSX file, for the imports of the apps.

The first worksheet of an XLSX file, or a CSV file in UTF-8 (with or without a byte order
mark) separated by commas or semicolons, whichever the first line holds more of. Cells
come back as text: an XLSX number without decimals as its digits, a date as ISO date.
Nothing of the file is kept; the messages are Dutch and name no content.

`read_table_upload` takes an uploaded file through the shared intake first: the size
limit (enforced on every read, not taken from the request), the type decided by the
content and agreeing with the name (a PDF or an executable called .csv is refused, an
XLSX with macros too), the zip-bomb guard (declared sizes, entry count, compression
ratio, compression methods, checked before anything is unpacked; Python's zip reader
stops at the declared size, so a header that lies fails its checksum) and, when clamd is
configured, the virus scan.
"""

import csv
import datetime
import io
import zipfile
import zlib
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .detection import detect, display_name
from .scanning import Scanner, Verdict
from .streams import TooLargeError, bounded, chunks
from .validation import size_label

XLSX_MAGIC = b"PK\x03\x04"
#: What an XLSX file may unpack to at most, all its parts together (bytes).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
#: The most parts an XLSX file may hold; a workbook of one sheet has about a dozen.
MAX_ZIP_ENTRIES = 1000
#: A part larger than 1 MB unpacked may be at most this many times its packed size
#: (a spreadsheet's XML packs 10 to 30 times; a zip bomb a thousand times and more).
MAX_RATIO = 200
TABLE_EXTENSIONS = {"csv": "text", "txt": "text", "xlsx": "xlsx"}


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


def _zip_guard(data: bytes, max_unpacked: int) -> None:
    """Refuse a zip that would unpack to too much, before anything is unpacked."""
    refused = TabularFileError(
        _("Het XLSX-bestand pakt uit tot meer dan %(max)s en wordt niet gelezen.")
        % {"max": size_label(max_unpacked)}
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise TabularFileError(_("Het bestand is geen geldig XLSX-bestand.")) from exc
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > max_unpacked:
        raise refused
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise TabularFileError(_("Het bestand is geen geldig XLSX-bestand."))
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refused


def _xlsx_rows(data: bytes) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    _zip_guard(data, MAX_UNPACKED_BYTES)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise TabularFileError(_("Het bestand is geen geldig XLSX-bestand.")) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        return [tuple(row) for row in sheet.iter_rows(values_only=True)] if sheet else []
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
        KeyError,
        SyntaxError,
    ) as exc:
        # A part that does not unpack to its declared size or checksum.
        raise TabularFileError(_("Het bestand is geen geldig XLSX-bestand.")) from exc
    finally:
        workbook.close()


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].casefold() if "." in name else ""


def _read_checked(stream: IO[bytes], name: str, limit: int) -> bytes:
    """The whole content, within the limit; TabularFileError (Dutch) when too large."""
    try:
        return b"".join(chunks(stream))
    except TooLargeError as exc:
        raise TabularFileError(
            _('Het bestand "%(name)s" is groter dan %(max)s.')
            % {"name": name, "max": size_label(limit)}
        ) from exc


def read_table_upload(upload: UploadedFile, *, max_bytes: int) -> list[list[str]]:
    """An uploaded CSV or XLSX file through the shared intake, then read as a table
    (`read_table`). Every refusal is a TabularFileError with a Dutch message that names
    the file, never its content. Nothing of the file is stored."""
    name = display_name(upload.name)
    wrong_type = TabularFileError(
        _(
            'Het bestand "%(name)s" is geen CSV- of XLSX-bestand, of de inhoud past niet '
            "bij de naam. Sla de lijst op als 'CSV UTF-8' of als Excel-werkmap (XLSX)."
        )
        % {"name": name}
    )
    expected = TABLE_EXTENSIONS.get(_extension(name))
    if expected is None:
        raise wrong_type
    if upload.size is not None and upload.size > max_bytes:
        raise TabularFileError(
            _('Het bestand "%(name)s" is groter dan %(max)s.')
            % {"name": name, "max": size_label(max_bytes)}
        )
    try:
        stream = bounded(upload, max_bytes)
        data = _read_checked(stream, name, max_bytes)
        if not data.strip():
            raise TabularFileError(_('Het bestand "%(name)s" is leeg.') % {"name": name})
        found = detect(io.BytesIO(data))
    finally:
        upload.seek(0)
    if expected == "xlsx":
        # By content: an OOXML workbook without macros (detection refuses vbaProject).
        if found is None or found.key != "xlsx":
            raise wrong_type
    else:
        # Text: not another known type by its content, no NUL bytes. Markup is allowed
        # here (a name may hold "<"): the file is read as cells, never served.
        if (found is not None and found.key not in ("text", "eml")) or b"\x00" in data:
            raise wrong_type
    if _infected(data):
        raise TabularFileError(
            _('In het bestand "%(name)s" is een virus gevonden; het wordt niet gelezen.')
            % {"name": name}
        )
    return read_table(data, filename=f"x.{expected}")


def _infected(data: bytes) -> bool:
    """The virus scan (clamd), when one is configured; without one the file is read (it
    is never stored or handed on)."""
    scanner = Scanner()
    if not scanner.connected:
        return False
    for begin in range(0, len(data), 1024 * 1024):
        scanner.send(data[begin : begin + 1024 * 1024])
    return scanner.verdict() == Verdict.INFECTED

"""Reading the counterparty list: a CSV or XLSX file (core/files/tabular.py) with the
columns naam, KvK-nummer, soort, aanbesteding van, aanbesteding tot. An upload goes
through the shared file intake first (`read_counterparty_upload`).

Every row is checked before anything is stored; a file with a broken row is refused as a
whole, and the message names the row (its line number in the file) and what is wrong,
never the row's content.
"""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from integritas.core.files.tabular import TabularFileError, read_table, read_table_upload

from .constants import COUNTERPARTY_MAX_BYTES, COUNTERPARTY_MAX_ROWS, CounterpartyKind
from .matching import normalise_kvk, normalise_name

#: Header texts (lower case, without spaces, dashes and dots) and the column they name.
HEADERS = {
    "naam": "name",
    "name": "name",
    "kvknummer": "kvk",
    "kvk": "kvk",
    "soort": "kind",
    "kind": "kind",
    "aanbestedingvan": "tender_start",
    "beginaanbesteding": "tender_start",
    "tenderstart": "tender_start",
    "aanbestedingtot": "tender_end",
    "eindeaanbesteding": "tender_end",
    "tenderend": "tender_end",
}
#: What the "soort" column may say, in Dutch or as the stored value.
KINDS = {
    "leverancier": CounterpartyKind.SUPPLIER,
    "supplier": CounterpartyKind.SUPPLIER,
    "subsidieontvanger": CounterpartyKind.SUBSIDY_RECIPIENT,
    "subsidie": CounterpartyKind.SUBSIDY_RECIPIENT,
    "subsidy_recipient": CounterpartyKind.SUBSIDY_RECIPIENT,
    "aanbesteding": CounterpartyKind.TENDER,
    "lopendeaanbesteding": CounterpartyKind.TENDER,
    "tender": CounterpartyKind.TENDER,
}
#: At most this many broken rows are named in one message.
MAX_NAMED_ERRORS = 10
NAME_MAX_LENGTH = 200

CounterpartyFileError = TabularFileError


@dataclass(frozen=True)
class CounterpartyRow:
    line: int
    name: str
    kvk_number: str
    kind: str
    tender_start: datetime.date | None
    tender_end: datetime.date | None


def _header_key(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())


def _date(text: str) -> datetime.date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text[:10], pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(text)


def _row(line: int, cells: dict[str, str]) -> CounterpartyRow:
    """One row, or ValueError with the Dutch reason (naming the line, not the content)."""
    name = cells.get("name", "").strip()
    if not name:
        raise ValueError(_("regel %(line)d: de naam ontbreekt.") % {"line": line})
    if len(name) > NAME_MAX_LENGTH or not normalise_name(name):
        raise ValueError(
            _("regel %(line)d: de naam is te lang of bevat geen letters of cijfers.")
            % {"line": line}
        )
    typed_kvk = cells.get("kvk", "").strip()
    kvk = normalise_kvk(typed_kvk)
    if typed_kvk and not kvk:
        raise ValueError(
            _("regel %(line)d: een KvK-nummer bestaat uit 8 cijfers.") % {"line": line}
        )
    kind = KINDS.get(_header_key(cells.get("kind", "")) or "leverancier")
    if kind is None:
        raise ValueError(
            _("regel %(line)d: de soort moet leverancier, subsidieontvanger of aanbesteding zijn.")
            % {"line": line}
        )
    try:
        start, end = _date(cells.get("tender_start", "")), _date(cells.get("tender_end", ""))
    except ValueError:
        raise ValueError(
            _("regel %(line)d: een datum is niet leesbaar (gebruik JJJJ-MM-DD of DD-MM-JJJJ).")
            % {"line": line}
        ) from None
    if kind == CounterpartyKind.TENDER and start is None:
        raise ValueError(
            _("regel %(line)d: bij een aanbesteding hoort de begindatum.") % {"line": line}
        )
    if start and end and end < start:
        raise ValueError(
            _("regel %(line)d: de aanbesteding eindigt vóór zij begint.") % {"line": line}
        )
    return CounterpartyRow(line, name, kvk, kind, start, end)


def read_counterparties(data: bytes, *, filename: str = "") -> list[CounterpartyRow]:
    """Every row of the list, or CounterpartyFileError naming the broken rows."""
    return _rows(read_table(data, filename=filename))


def read_counterparty_upload(upload: UploadedFile) -> list[CounterpartyRow]:
    """An uploaded list through the shared file intake (size, type by content, zip-bomb
    guard, virus scan: core/files/tabular.py), then every row checked."""
    return _rows(read_table_upload(upload, max_bytes=COUNTERPARTY_MAX_BYTES))


def _rows(table: list[list[str]]) -> list[CounterpartyRow]:
    if not table or not any(any(cells) for cells in table):
        raise CounterpartyFileError(_("Het bestand is leeg."))
    columns = {index: HEADERS.get(_header_key(text)) for index, text in enumerate(table[0])}
    if "name" not in columns.values():
        raise CounterpartyFileError(
            _("De eerste regel moet de kolomkoppen bevatten, met ten minste 'naam'.")
        )
    rows: list[CounterpartyRow] = []
    errors: list[str] = []
    for line, cells in enumerate(table[1:], 2):
        if not any(cells):
            continue
        named = {columns[i]: cell for i, cell in enumerate(cells) if columns.get(i)}
        try:
            rows.append(_row(line, {k: v for k, v in named.items() if k}))
        except ValueError as error:
            errors.append(str(error))
    if errors:
        shown = "; ".join(errors[:MAX_NAMED_ERRORS])
        more = len(errors) - MAX_NAMED_ERRORS
        message = _("Er is niets ingelezen. Herstel het bestand: %(errors)s.") % {
            "errors": shown.rstrip(".")
        }
        if more > 0:
            message += " " + _("En nog %(count)d regel(s) met een fout.") % {"count": more}
        raise CounterpartyFileError(message)
    if not rows:
        raise CounterpartyFileError(_("Het bestand bevat geen partijen."))
    if len(rows) > COUNTERPARTY_MAX_ROWS:
        raise CounterpartyFileError(
            _("Het bestand bevat meer dan %(max)d regels.") % {"max": COUNTERPARTY_MAX_ROWS}
        )
    return rows

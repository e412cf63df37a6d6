"""The shared table reader of the imports (attendance lists, counterparty lists)."""

import datetime
import io

import pytest
from openpyxl import Workbook

from integritas.core.files.tabular import TabularFileError, cell_text, read_table


def test_csv_with_semicolons_or_commas_and_a_byte_order_mark():
    assert read_table("\ufeffa;b\n 1 ;2\n".encode()) == [["a", "b"], ["1", "2"]]
    assert read_table(b"a,b\n1,2\n") == [["a", "b"], ["1", "2"]]


def test_xlsx_cells_come_back_as_text():
    book = Workbook()
    book.active.append(["naam", 12345678.0, datetime.date(2026, 3, 1), None])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_table(buffer.getvalue(), filename="x.xlsx") == [
        ["naam", "12345678", "2026-03-01", ""]
    ]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        ("naïef".encode("latin-1"), "x.csv", "Het bestand is geen UTF-8-tekst."),
        (b"PK\x03\x04 kapot", "x.xlsx", "Het bestand is geen geldig XLSX-bestand."),
    ],
)
def test_unreadable_files_get_a_dutch_message(data, filename, message):
    with pytest.raises(TabularFileError) as raised:
        read_table(data, filename=filename)
    assert raised.value.message.startswith(message)


def test_cell_text():
    assert cell_text(None) == ""
    assert cell_text(3.5) == "3.5"
    assert cell_text(datetime.datetime(2026, 1, 2, 3, 4)) == "2026-01-02"  # noqa: DTZ001

"""The counterparty list goes through the shared file intake: size limit, type from the
content, the zip-bomb guard and the virus scan, with a Dutch message on the form and
nothing imported (the old list and its signals stay)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from integritas.core.files import tabular
from integritas.core.files.scanning import Verdict
from integritas.registers import counterparty_file
from integritas.registers.models import ConflictSignal, Counterparty

from .helpers import side_activity

pytestmark = pytest.mark.django_db

HEADER = ["naam", "KvK-nummer", "soort", "aanbesteding van", "aanbesteding tot"]
GOOD_CSV = b"naam;KvK-nummer;soort\nVV Leiderdorp;12345678;leverancier\n"


def _xlsx(*rows: list[object]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bomb(unpacked: int) -> bytes:
    """A workbook whose sheet unpacks to `unpacked` bytes of spaces (a few kB packed)."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx(HEADER)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * unpacked, 1)
            target.writestr(info.filename, data)
    return out.getvalue()


def _post(client, content: bytes, name: str):
    return client.post(
        reverse("registers:counterparties_import"), {"file": SimpleUploadedFile(name, content)}
    )


@pytest.fixture
def listed(org, login):
    """An officer's client, with a list already imported and one signal raised."""
    client = login(org.officer)
    assert _post(client, GOOD_CSV, "lijst.csv").status_code == 302
    side_activity(org.employee)
    assert ConflictSignal.objects.count() == 1
    return client


def _refused(response, message: str) -> None:
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Counterparty.objects.values_list("name", flat=True)) == ["VV Leiderdorp"]
    assert ConflictSignal.objects.count() == 1


def test_a_zip_bomb_is_refused_before_it_is_unpacked(listed, monkeypatch):
    # 8 MB of spaces pack to a few kB: far beyond the ratio of a real spreadsheet.
    _refused(_post(listed, _bomb(8 * 1024 * 1024), "lijst.xlsx"), "pakt uit tot meer dan")


def test_an_xlsx_that_unpacks_beyond_the_budget_is_refused(listed, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNPACKED_BYTES", 200 * 1024)
    monkeypatch.setattr(tabular, "MAX_RATIO", 10**9)
    _refused(_post(listed, _bomb(300 * 1024), "lijst.xlsx"), "pakt uit tot meer dan 200 kB")


def test_an_oversized_file_is_refused_with_the_limit(listed, monkeypatch):
    monkeypatch.setattr(counterparty_file, "COUNTERPARTY_MAX_BYTES", 1024)
    big = GOOD_CSV + b"Partij B.V.;;leverancier\n" * 100
    _refused(_post(listed, big, "lijst.csv"), "is groter dan 1 kB")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "lijst.csv"),  # a PDF called .csv
        (b"%PDF-1.7\n1 0 obj<<>>endobj\n", "lijst.pdf"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "lijst.csv"),  # an executable
        (GOOD_CSV, "lijst.xlsx"),  # text called .xlsx
        (GOOD_CSV, "lijst.exe"),
    ],
)
def test_a_file_of_another_type_is_refused(listed, content, name):
    _refused(_post(listed, content, name), "is geen CSV- of XLSX-bestand")


def test_a_word_file_called_xlsx_and_a_workbook_with_macros_are_refused(listed):
    word = io.BytesIO()
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    _refused(_post(listed, word.getvalue(), "lijst.xlsx"), "is geen CSV- of XLSX-bestand")
    source = zipfile.ZipFile(io.BytesIO(_xlsx(HEADER)))
    macro = io.BytesIO()
    with zipfile.ZipFile(macro, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/vbaProject.bin", b"\x00" * 10)
    _refused(_post(listed, macro.getvalue(), "lijst.xlsx"), "is geen CSV- of XLSX-bestand")


def test_an_empty_file_is_refused(listed):
    _refused(_post(listed, b"   \n", "lijst.csv"), "is leeg")


def test_an_infected_file_is_refused_when_clamd_says_so(listed, monkeypatch):
    class Infected:
        connected = True

        def send(self, chunk: bytes) -> None:
            pass

        def verdict(self) -> Verdict:
            return Verdict.INFECTED

    monkeypatch.setattr(tabular, "Scanner", Infected)
    _refused(_post(listed, GOOD_CSV, "lijst.csv"), "is een virus gevonden")


def test_an_xlsx_with_one_broken_row_imports_nothing_and_names_the_row(listed):
    content = _xlsx(
        HEADER,
        ["Nieuw B.V.", 11111111, "leverancier"],
        ["Goed B.V.", 22222222, "leverancier"],
        ["Kapot B.V.", 123, "leverancier"],
    )
    _refused(_post(listed, content, "lijst.xlsx"), "regel 4: een KvK-nummer bestaat uit 8 cijfers")


def test_a_good_xlsx_and_markup_in_a_csv_go_through(listed):
    content = _xlsx(HEADER, ["VV Leiderdorp", 12345678, "leverancier"], ["<b>Club</b>", "", ""])
    assert _post(listed, content, "lijst.xlsx").status_code == 302
    assert Counterparty.objects.count() == 2
    csv = b"naam;KvK-nummer\n<script>x</script> Club;\n"
    assert _post(listed, csv, "lijst.csv").status_code == 302
    assert Counterparty.objects.get().name == "<script>x</script> Club"

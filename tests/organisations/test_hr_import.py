"""The HR import: file formats, validation of every row, idempotency, CLI and upload page.

Issue 2 ("HR import"): every row is validated, on any error nothing is imported and the
report names each row and field in Dutch; importing the same file twice changes nothing;
people whose end date passed are kept as former employees.
"""

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from integritas.accounts.constants import Role
from integritas.audit.constants import Origin
from integritas.audit.models import AuditEvent
from integritas.organisations.hr_import import COLUMNS, HrImportResult, hr_file_import
from integritas.organisations.models import Employee, Function, OrgUnit
from integritas.organisations.selectors import employee_manager
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory, OrgUnitFactory, grant

pytestmark = pytest.mark.django_db

Row = dict[str, str]


def person(number: str, first: str, last: str, unit: str, **extra: str) -> Row:
    units = {
        "DIR": ("Directie", ""),
        "BV": ("Bedrijfsvoering", "DIR"),
        "HR": ("Team HR", "BV"),
    }
    row = {
        "personeelsnummer": number,
        "voornaam": first,
        "achternaam": last,
        "email": f"{first.lower()}@leiderdorp.example",
        "organisatie": "leiderdorp",
        "afdeling": unit,
        "afdeling_naam": units[unit][0],
        "bovenliggende_afdeling": units[unit][1],
        "functie": "MW",
        "functie_naam": "Medewerker",
        "dienstverband": "in_dienst",
        "datum_in_dienst": "2020-01-01",
        "datum_uit_dienst": "",
        "leidinggevende": "",
    }
    row.update(extra)
    return row


def good_rows() -> list[Row]:
    """A small organisation: DIR > BV > HR, heads named by their own unit's staff."""
    return [
        person("1001", "Anna", "Admiraal", "DIR", functie="GS", functie_naam="Gemeentesecretaris"),
        person(
            "1002",
            "Bram",
            "Bakker",
            "BV",
            leidinggevende="1001",
            functie="TL",
            functie_naam="Teamleider",
        ),
        person("1003", "Cees", "Claassen", "BV", leidinggevende="1002"),
        person("1004", "Dirk", "Dekker", "HR", leidinggevende="1005"),
        person(
            "1005",
            "Eva",
            "Evers",
            "HR",
            leidinggevende="1002",
            functie="TL",
            functie_naam="Teamleider",
        ),
        person(
            "1006",
            "Fien",
            "Faber",
            "HR",
            leidinggevende="1005",
            dienstverband="stagiair",
            datum_in_dienst="2021-02-01",
            datum_uit_dienst="2021-07-31",
        ),
        person("1007", "Gert", "Gerritsen", "HR", dienstverband="inhuur", email=""),
        person("1008", "Hanna", "Huisman", "DIR", leidinggevende="1001"),
    ]


def to_csv(rows: list[Row], *, delimiter: str = ",", columns: tuple[str, ...] = COLUMNS) -> bytes:
    lines = [delimiter.join(columns)]
    lines += [delimiter.join(row.get(c, "") for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def run(rows: list[Row], **kwargs: Any) -> HrImportResult:
    return hr_file_import(data=to_csv(rows), filename="hr.csv", **kwargs)


def by_number(number: str) -> Employee:
    return Employee.objects.select_related("manager", "org_unit", "function").get(
        personnel_number=number
    )


def heads(code: str) -> set[str]:
    unit = OrgUnit.objects.get(code=code)
    return set(unit.managers.values_list("personnel_number", flat=True))


def assert_nothing_imported() -> None:
    assert not Employee.objects.filter(personnel_number__in=["1001", "1002", "1003"]).exists()
    assert not OrgUnit.objects.exists()
    assert not Function.objects.exists()
    assert not AuditEvent.objects.filter(action="hr.import").exists()


# --------------------------------------------------------------------------- good files


def test_csv_import_creates_units_functions_employees_and_managers(organisation):
    result = run(good_rows())

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (8, 0, 0)
    assert (result.units_created, result.functions_created) == (3, 3)

    hr = OrgUnit.objects.get(organisation=organisation, code="HR")
    assert hr.name == "Team HR"
    assert hr.parent is not None and hr.parent.code == "BV"
    assert hr.parent.parent is not None and hr.parent.parent.code == "DIR"
    assert OrgUnit.objects.get(code="DIR").parent is None
    assert Function.objects.get(code="TL").name == "Teamleider"

    dirk = by_number("1004")
    assert dirk.full_name == "Dirk Dekker"
    assert dirk.organisation == organisation
    assert dirk.org_unit == hr
    assert dirk.function is not None and dirk.function.code == "MW"
    assert dirk.manager is not None and dirk.manager.personnel_number == "1005"
    assert dirk.start_date == datetime.date(2020, 1, 1)
    assert by_number("1007").employment_type == "inhuur"
    assert by_number("1007").email == ""
    assert by_number("1007").manager is None

    # Unit heads: named as leidinggevende by someone of their own unit.
    assert heads("DIR") == {"1001"}
    assert heads("BV") == {"1002"}
    assert heads("HR") == {"1005"}
    assert result.unit_managers_changed == 3


@pytest.mark.requirement("R-BIO-1")
def test_one_audit_event_without_personal_data(organisation):
    run(good_rows())

    events = list(AuditEvent.objects.filter(action="hr.import"))
    assert len(events) == 1  # R-BIO-1
    event = events[0]
    assert event.organisation_id == organisation.pk
    assert event.origin == Origin.CLI
    assert event.result == "success"
    # The digests and the timestamp are derived from the fields below, and are digits and
    # hex by nature: a personnel number like "1002" turns up in a random hash by chance.
    derived = {"hash", "prev_hash", "timestamp"}
    recorded = " ".join(
        str(getattr(event, f.attname)) for f in AuditEvent._meta.fields if f.attname not in derived
    )
    for row in good_rows():
        assert row["achternaam"] not in recorded
        assert row["personeelsnummer"] not in recorded


def test_audit_event_of_a_multi_organisation_file_goes_to_the_region_chain(
    organisation, other_organisation
):
    rows = good_rows()
    rows.append(person("2001", "Ian", "IJsselmuiden", "DIR", organisatie="oegstgeest"))
    result = run(rows)

    assert result.ok, result.errors
    event = AuditEvent.objects.get(action="hr.import")
    assert event.organisation_id is None
    assert event.chain == "region"
    # Same unit code in two organisations: two units.
    assert OrgUnit.objects.filter(code="DIR").count() == 2


def test_semicolon_bom_and_dutch_dates(organisation):
    rows = good_rows()
    for row in rows:
        year, month, day = row["datum_in_dienst"].split("-")
        row["datum_in_dienst"] = f"{day}-{month}-{year}"
    rows[5]["datum_uit_dienst"] = "31-07-2021"
    data = b"\xef\xbb\xbf" + to_csv(rows, delimiter=";")

    result = hr_file_import(data=data, filename="export.csv")

    assert result.ok, result.errors
    assert result.created == 8
    assert by_number("1006").start_date == datetime.date(2021, 2, 1)
    assert by_number("1006").end_date == datetime.date(2021, 7, 31)


def test_quoted_fields_with_delimiters_inside(organisation):
    header = ",".join(COLUMNS)
    line = (
        '1001,"Anna, Maria",Admiraal,,leiderdorp,DIR,"Directie, staf",,GS,'
        "Gemeentesecretaris,in_dienst,2020-01-01,,"
    )
    result = hr_file_import(data=f"{header}\n{line}\n".encode(), filename="hr.csv")

    assert result.ok, result.errors
    assert by_number("1001").first_name == "Anna, Maria"
    assert OrgUnit.objects.get(code="DIR").name == "Directie, staf"


def test_xlsx_import_with_date_and_number_cells(organisation):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in good_rows():
        values: list[Any] = [row[c] or None for c in COLUMNS]
        values[0] = int(row["personeelsnummer"])  # HR tools export numbers as numbers
        values[COLUMNS.index("datum_in_dienst")] = datetime.datetime(2019, 3, 4)  # noqa: DTZ001 (a naive spreadsheet cell)
        sheet.append(values)
    sheet.append([None] * len(COLUMNS))  # trailing empty rows are skipped
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = hr_file_import(data=buffer.getvalue(), filename="export.xlsx")

    assert result.ok, result.errors
    assert result.created == 8
    anna = by_number("1001")
    assert anna.start_date == datetime.date(2019, 3, 4)
    assert by_number("1004").manager == by_number("1005")


def test_xlsx_errors_name_the_spreadsheet_row(organisation):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    rows = good_rows()
    rows[1]["dienstverband"] = "zzp"
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = hr_file_import(data=buffer.getvalue(), filename="export.xlsx")

    assert [(e.row, e.field) for e in result.errors] == [(3, "dienstverband")]


def test_second_import_of_the_same_file_changes_nothing(organisation):
    first = run(good_rows())
    assert first.ok
    before = {
        "employees": dict(Employee.objects.values_list("personnel_number", "updated_at")),
        "units": dict(OrgUnit.objects.values_list("code", "updated_at")),
        "functions": dict(Function.objects.values_list("code", "updated_at")),
        "heads": {code: heads(code) for code in ("DIR", "BV", "HR")},
    }

    second = run(good_rows())

    assert second.ok
    assert (second.created, second.updated, second.unchanged) == (0, 0, 8)
    assert (second.units_created, second.units_updated) == (0, 0)
    assert (second.functions_created, second.functions_updated) == (0, 0)
    assert second.unit_managers_changed == 0
    after = {
        "employees": dict(Employee.objects.values_list("personnel_number", "updated_at")),
        "units": dict(OrgUnit.objects.values_list("code", "updated_at")),
        "functions": dict(Function.objects.values_list("code", "updated_at")),
        "heads": {code: heads(code) for code in ("DIR", "BV", "HR")},
    }
    assert after == before


def test_changes_are_upserted_by_personnel_number(organisation):
    run(good_rows())
    untouched = by_number("1003").updated_at
    rows = good_rows()
    rows[3]["achternaam"] = "Dekker-Jansen"  # 1004
    rows[3]["leidinggevende"] = "1002"  # no longer reports to 1005
    rows[0]["afdeling_naam"] = "Directie en staf"  # unit renamed
    rows[7]["afdeling_naam"] = "Directie en staf"
    rows[1]["functie_naam"] = "Teamleider A"
    rows[4]["functie_naam"] = "Teamleider A"

    result = run(rows)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 1, 7)
    assert (result.units_updated, result.functions_updated) == (1, 1)
    dirk = by_number("1004")
    assert dirk.last_name == "Dekker-Jansen"
    assert dirk.manager is not None and dirk.manager.personnel_number == "1002"
    assert Employee.objects.filter(personnel_number="1004").count() == 1
    assert OrgUnit.objects.get(code="DIR").name == "Directie en staf"
    assert Function.objects.get(code="TL").name == "Teamleider A"
    assert by_number("1003").updated_at == untouched
    # Eva is still named by Fien (former) only: a former employee does not make a head.
    assert heads("HR") == set()


def test_people_missing_from_the_file_and_former_employees_are_kept(organisation):
    run(good_rows())
    fien = by_number("1006")
    assert fien.is_former
    assert fien not in Employee.objects.current()

    result = run(good_rows()[:3])  # a partial export

    assert result.ok, result.errors
    assert Employee.objects.filter(personnel_number__in=["1004", "1005", "1006"]).count() == 3
    assert by_number("1006").is_former
    # The unit heads of units in the partial file still count the people not in it.
    assert heads("BV") == {"1002"}


def test_manager_may_be_an_existing_employee_not_in_the_file(organisation):
    boss = EmployeeFactory(organisation=organisation, personnel_number="500")
    unit = OrgUnitFactory(organisation=organisation, code="BV", name="Bedrijfsvoering")
    boss.org_unit = unit
    boss.save()

    result = run(
        [person("1003", "Cees", "Claassen", "BV", leidinggevende="500", bovenliggende_afdeling="")]
    )

    assert result.ok, result.errors
    assert by_number("1003").manager == boss
    assert heads("BV") == {"500"}
    assert result.units_created == 0


def test_deep_manager_chain_in_one_file(organisation):
    rows = [person("1", "Anna", "Admiraal", "DIR")]
    rows += [
        person(str(n), "Piet", f"Jansen {n}", "BV", leidinggevende=str(n - 1)) for n in range(2, 30)
    ]
    rows.reverse()  # managers after the people they lead

    with CaptureQueriesContext(connection) as queries:
        result = run(rows)

    assert result.ok, result.errors
    assert result.created == 29
    for n in range(2, 30):
        assert by_number(str(n)).manager == by_number(str(n - 1))
    assert len(queries) < 40


def test_new_and_existing_employees_and_units_are_linked(organisation):
    run(good_rows())
    rows = good_rows()
    rows.append(person("1009", "Ida", "Ingen", "BV", leidinggevende="1001"))
    rows[2]["leidinggevende"] = "1009"  # existing 1003 now reports to new 1009
    for row in rows:  # HR moves under a new unit "SD" directly below DIR
        if row["afdeling"] == "HR":
            row["bovenliggende_afdeling"] = "SD"
    rows.append(
        person(
            "1010",
            "Joop",
            "Jong",
            "DIR",
            afdeling="SD",
            afdeling_naam="Sociaal Domein",
            bovenliggende_afdeling="DIR",
        )
    )

    result = run(rows)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.units_created, result.units_updated) == (
        2,
        1,
        1,
        1,
    )
    assert by_number("1003").manager == by_number("1009")
    assert OrgUnit.objects.get(code="HR").parent == OrgUnit.objects.get(code="SD")
    assert by_number("1010").org_unit == OrgUnit.objects.get(code="SD")


def test_existing_unit_can_be_the_parent(organisation):
    OrgUnitFactory(organisation=organisation, code="DIR", name="Directie")
    result = run([person("1002", "Bram", "Bakker", "BV")])

    assert result.ok, result.errors
    assert OrgUnit.objects.get(code="BV").parent == OrgUnit.objects.get(code="DIR")


def test_dry_run_counts_but_writes_nothing(organisation):
    result = run(good_rows(), dry_run=True)

    assert result.ok
    assert result.dry_run
    assert (result.created, result.units_created, result.functions_created) == (8, 3, 3)
    assert_nothing_imported()
    assert "Proefdraai" in result.summary()


def test_query_count_does_not_grow_with_the_number_of_rows(organisation):
    def rows(n: int) -> list[Row]:
        out = [person("1", "Anna", "Admiraal", "DIR")]
        out += [
            person(str(100 + i), "Piet", f"Jansen {i}", "BV", leidinggevende="1") for i in range(n)
        ]
        return out

    with CaptureQueriesContext(connection) as small:
        assert run(rows(10)).ok
    Employee.objects.filter(personnel_number__in=[str(100 + i) for i in range(10)]).delete()
    OrgUnit.managers.through.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        assert run(rows(200), dry_run=False).ok
    assert len(large) <= len(small) + 2


# --------------------------------------------------------------------------- bad files


def mutate(index: int, **changes: str) -> Callable[[list[Row]], list[Row]]:
    def _apply(rows: list[Row]) -> list[Row]:
        rows[index].update(changes)
        return rows

    return _apply


# Row numbers: header is row 1, so good_rows()[i] is row i + 2.
BAD_INPUTS = {
    "empty required field": (mutate(1, voornaam=""), [(3, "voornaam")]),
    "empty start date": (mutate(1, datum_in_dienst=""), [(3, "datum_in_dienst")]),
    "bad date": (mutate(2, datum_in_dienst="2024-13-01"), [(4, "datum_in_dienst")]),
    "date in another format": (mutate(2, datum_in_dienst="1/2/2024"), [(4, "datum_in_dienst")]),
    "bad end date": (mutate(2, datum_uit_dienst="morgen"), [(4, "datum_uit_dienst")]),
    "end before start": (
        mutate(3, datum_in_dienst="2024-05-01", datum_uit_dienst="30-04-2024"),
        [(5, "datum_uit_dienst")],
    ),
    "unknown employment type": (mutate(4, dienstverband="zzp"), [(6, "dienstverband")]),
    "unknown organisation": (mutate(7, organisatie="atlantis"), [(9, "organisatie")]),
    "duplicate personnel number": (mutate(6, personeelsnummer="1003"), [(8, "personeelsnummer")]),
    "invalid e-mail": (mutate(2, email="cees-at-leiderdorp"), [(4, "email")]),
    "manager not found": (mutate(2, leidinggevende="9999"), [(4, "leidinggevende")]),
    "self manager": (mutate(2, leidinggevende="1003"), [(4, "leidinggevende")]),
    "manager cycle": (
        mutate(0, leidinggevende="1008"),  # 1001 -> 1008 -> 1001
        [(2, "leidinggevende"), (9, "leidinggevende")],
    ),
    "parent unit cycle": (
        lambda rows: [
            {**r, "bovenliggende_afdeling": "HR"} if r["afdeling"] == "DIR" else r for r in rows
        ],
        [
            (2, "bovenliggende_afdeling"),
            (3, "bovenliggende_afdeling"),
            (5, "bovenliggende_afdeling"),
        ],
    ),
    "unit own parent": (
        lambda rows: [
            {**r, "bovenliggende_afdeling": "DIR"} if r["afdeling"] == "DIR" else r for r in rows
        ],
        [(2, "bovenliggende_afdeling")],
    ),
    "unknown parent unit": (
        lambda rows: [
            {**r, "bovenliggende_afdeling": "XYZ"} if r["afdeling"] == "DIR" else r for r in rows
        ],
        [(2, "bovenliggende_afdeling")],
    ),
    "unit with two names": (mutate(2, afdeling_naam="Bedrijfsvoering!"), [(4, "afdeling_naam")]),
    "unit with two parents": (
        mutate(2, bovenliggende_afdeling=""),
        [(4, "bovenliggende_afdeling")],
    ),
    "function with two names": (mutate(4, functie_naam="Teamleider HR"), [(6, "functie_naam")]),
    "too long": (mutate(0, achternaam="x" * 151), [(2, "achternaam")]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_names_row_and_field_and_imports_nothing(organisation, case):
    change, expected = BAD_INPUTS[case]

    result = run(change(good_rows()))

    assert not result.ok
    assert [(e.row, e.field) for e in result.errors] == expected
    for error in result.errors:
        assert error.message
        assert str(error).startswith(f"Rij {error.row}, veld {error.field}: ")
    assert (result.created, result.updated, result.units_created) == (0, 0, 0)
    assert_nothing_imported()


def test_all_errors_are_collected_at_once(organisation):
    rows = good_rows()
    rows[1]["datum_in_dienst"] = "gisteren"
    rows[1]["email"] = "geen-adres"
    rows[6]["dienstverband"] = "vast"
    rows[7]["leidinggevende"] = "4242"

    result = run(rows)

    assert [(e.row, e.field) for e in result.errors] == [
        (3, "email"),
        (3, "datum_in_dienst"),
        (8, "dienstverband"),
        (9, "leidinggevende"),
    ]


def test_manager_cycle_through_the_database(organisation):
    run(good_rows())
    # In the database 1002 reports to 1001; now 1001 would report to 1003, who reports to 1002.
    result = run(
        [
            person(
                "1001",
                "Anna",
                "Admiraal",
                "DIR",
                leidinggevende="1003",
                functie="GS",
                functie_naam="Gemeentesecretaris",
            )
        ]
    )

    assert [(e.row, e.field) for e in result.errors] == [(2, "leidinggevende")]
    assert "1001 → 1003 → 1002 → 1001" in result.errors[0].message
    assert by_number("1001").manager is None


def test_duplicate_numbers_in_different_organisations_are_fine(organisation, other_organisation):
    rows = good_rows()
    rows.append(person("1001", "Ian", "IJsselmuiden", "DIR", organisatie="oegstgeest"))

    result = run(rows)

    assert result.ok, result.errors
    assert Employee.objects.filter(personnel_number="1001").count() == 2


def test_missing_column_in_the_header(organisation):
    columns = tuple(c for c in COLUMNS if c != "achternaam")
    result = hr_file_import(data=to_csv(good_rows(), columns=columns), filename="hr.csv")

    assert [(e.row, e.field) for e in result.errors] == [(1, "achternaam")]
    assert_nothing_imported()


def test_optional_columns_may_be_left_out(organisation):
    columns = tuple(c for c in COLUMNS if c not in {"email", "datum_uit_dienst"})
    result = hr_file_import(data=to_csv(good_rows(), columns=columns), filename="hr.csv")

    assert result.ok, result.errors
    assert by_number("1006").end_date is None


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "hr.csv"),
        (",".join(COLUMNS).encode() + b"\n", "hr.csv"),
        ("Jos\xe9".encode("latin-1"), "hr.csv"),
        (b"PK\x03\x04 not really a workbook", "hr.xlsx"),
    ],
    ids=["empty", "header only", "not utf-8", "broken xlsx"],
)
def test_unreadable_files_are_reported(organisation, data, filename):
    result = hr_file_import(data=data, filename=filename)

    assert len(result.errors) == 1
    assert (result.errors[0].row, result.errors[0].field) == (1, "bestand")


def test_organisations_outside_the_allowed_set_are_rejected(organisation, other_organisation):
    rows = good_rows()
    rows.append(person("2001", "Ian", "IJsselmuiden", "DIR", organisatie="oegstgeest"))

    result = run(rows, allowed_organisation_ids={organisation.pk})

    assert [(e.row, e.field) for e in result.errors] == [(10, "organisatie")]
    assert "U heeft geen HRM-rol voor organisatie Gemeente Oegstgeest" in result.errors[0].message
    assert_nothing_imported()


# --------------------------------------------------------------------------- command line


def test_cli_imports_and_prints_a_dutch_summary(organisation, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_bytes(to_csv(good_rows()))
    out = io.StringIO()

    call_command("import_hr", str(path), stdout=out)

    assert "8 nieuw" in out.getvalue()
    assert Employee.objects.filter(personnel_number__startswith="100").count() == 8


def test_cli_dry_run_writes_nothing(organisation, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_bytes(to_csv(good_rows()))
    out = io.StringIO()

    call_command("import_hr", str(path), "--dry-run", stdout=out)

    assert "Proefdraai" in out.getvalue()
    assert_nothing_imported()


def test_cli_reports_each_error_and_exits_non_zero(organisation, tmp_path):
    rows = good_rows()
    rows[1]["voornaam"] = ""
    rows[2]["datum_in_dienst"] = "2024-02-30"
    path = tmp_path / "hr.csv"
    path.write_bytes(to_csv(rows))
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 fout"):
        call_command("import_hr", str(path), stderr=err)

    assert "Rij 3, veld voornaam: Dit veld is verplicht." in err.getvalue()
    assert "Rij 4, veld datum_in_dienst: Ongeldige datum '2024-02-30'" in err.getvalue()
    assert_nothing_imported()


def test_cli_missing_file(organisation, tmp_path):
    with pytest.raises(CommandError, match="kan niet worden gelezen"):
        call_command("import_hr", str(tmp_path / "bestaat-niet.csv"))


# --------------------------------------------------------------------------- upload page


def upload(data: bytes, name: str = "hr.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def error_cells(row: str, field: str) -> str:
    cell = '<td class="utrecht-table__cell" data-label="{}">'
    return f"{cell.format('Rij')}{row}</td>{cell.format('Veld')}<code>{field}</code></td>"


def test_upload_page_names_the_columns_of_the_file_as_code(client_for, organisation):
    """The column names are the file's format, spelled as the importer reads them: code,
    not words of the page (the English "email" among them)."""
    html = client_for(Role.HRM, organisation).get(reverse("organisations:hr_import")).content
    text = html.decode()
    for column in COLUMNS:
        assert f"<code>{column}</code>" in text
    assert "<code>email</code> (mag leeg zijn of ontbreken)" in text
    assert "<code>personeelsnummer</code>, " in text
    assert "<code>in_dienst</code>" in text


def test_upload_page_as_hrm_imports_and_shows_counts(client_for, organisation):
    client = client_for(Role.HRM, organisation)
    url = reverse("organisations:hr_import")
    page = client.get(url)
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content

    response = client.post(url, {"file": upload(to_csv(good_rows()))}, follow=True)

    assert response.status_code == 200
    assert "8 medewerkers verwerkt: 8 nieuw" in response.content.decode()
    assert Employee.objects.filter(personnel_number__startswith="100", organisation=organisation)
    event = AuditEvent.objects.get(action="hr.import")
    assert event.origin == Origin.WEB
    assert event.actor_role == Role.HRM
    assert event.organisation_id == organisation.pk


def test_upload_page_dry_run(client_for, organisation):
    client = client_for(Role.HRM, organisation)
    response = client.post(
        reverse("organisations:hr_import"),
        {"file": upload(to_csv(good_rows())), "dry_run": "on"},
        follow=True,
    )

    assert "Proefdraai" in response.content.decode()
    assert_nothing_imported()


def test_upload_page_shows_every_error_with_row_and_field(client_for, organisation):
    client = client_for(Role.HRM, organisation)
    rows = good_rows()
    rows[2]["dienstverband"] = "zzp"
    rows[4]["leidinggevende"] = "7777"

    response = client.post(reverse("organisations:hr_import"), {"file": upload(to_csv(rows))})

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 fouten; er is niets ingelezen" in html
    assert error_cells("4", "dienstverband") in html
    assert error_cells("6", "leidinggevende") in html
    assert_nothing_imported()


def test_hrm_of_another_organisation_cannot_import_its_rows(
    client_for, organisation, other_organisation
):
    client = client_for(Role.HRM, other_organisation)

    response = client.post(
        reverse("organisations:hr_import"), {"file": upload(to_csv(good_rows()))}
    )

    html = response.content.decode()
    assert "U heeft geen HRM-rol voor organisatie Gemeente Leiderdorp" in html
    assert "8 fouten" in html
    assert_nothing_imported()


def test_hrm_of_two_organisations_imports_both(client, make_user, organisation, other_organisation):
    user = make_user(Role.HRM, organisation)
    grant(user, Role.HRM, other_organisation)
    client = login_with_second_factor(client, user)
    rows = good_rows()
    rows.append(person("2001", "Ian", "IJsselmuiden", "DIR", organisatie="oegstgeest"))

    response = client.post(reverse("organisations:hr_import"), {"file": upload(to_csv(rows))})

    assert response.status_code == 302
    assert Employee.objects.filter(organisation=other_organisation, personnel_number="2001")


def test_plain_employee_gets_403(client_for, organisation):
    client = client_for(None, organisation)
    url = reverse("organisations:hr_import")

    assert client.get(url).status_code == 403
    assert client.post(url, {"file": upload(to_csv(good_rows()))}).status_code == 403
    assert_nothing_imported()


def test_upload_form_refuses_other_file_types_and_large_files(client_for, organisation, settings):
    client = client_for(Role.HRM, organisation)
    url = reverse("organisations:hr_import")

    response = client.post(url, {"file": upload(b"%PDF-1.7", "hr.pdf")})
    assert "Kies een CSV- of XLSX-bestand." in response.content.decode()

    settings.HR_IMPORT_MAX_BYTES = 100
    response = client.post(url, {"file": upload(to_csv(good_rows()))})
    assert "Het bestand is te groot" in response.content.decode()
    assert_nothing_imported()


def test_former_employee_is_shown_as_former_in_the_employee_list(client_for, organisation):
    run(good_rows())
    client = client_for(Role.HRM, organisation)
    url = reverse("organisations:employee_list")

    current = client.get(url).content.decode()
    everyone = client.get(url, {"former": "on"}).content.decode()

    assert "Faber" not in current
    assert "Faber" in everyone
    assert "31-07-2021" in everyone
    assert by_number("1006").is_former


# --------------------------------------------------------------------------- employee_manager


def test_employee_manager_named_manager_wins(organisation):
    run(good_rows())
    # Dirk names Eva; Eva also heads HR.
    assert employee_manager(by_number("1004")) == by_number("1005")
    # Cees is named to Bram directly.
    assert employee_manager(by_number("1003")) == by_number("1002")


def test_employee_manager_falls_back_to_the_unit_manager(organisation):
    run(good_rows())
    # Gert (inhuur) has no named manager: the head of HR.
    assert employee_manager(by_number("1007")) == by_number("1005")


def test_unit_head_without_named_manager_goes_to_parent_units_manager(organisation):
    run(good_rows())
    eva = by_number("1005")
    eva.manager = None
    eva.save()
    # Eva heads HR herself, so her manager is the head of the parent unit BV.
    assert employee_manager(eva) == by_number("1002")
    anna = by_number("1001")
    # The top of the tree has no manager.
    assert employee_manager(anna) is None


def test_employee_manager_without_unit_or_named_manager(organisation):
    assert employee_manager(EmployeeFactory(organisation=organisation)) is None

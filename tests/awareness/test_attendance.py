"""Activities and attendance: by hand and by list; an unknown person refuses the whole
list (row named, nothing imported); completing sends training_completed."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.audit.models import AuditEvent
from integritas.awareness import attendance_file, services
from integritas.awareness.attendance_file import NumberRow, read_numbers
from integritas.awareness.models import Attendance
from integritas.organisations import events
from tests.conftest import login_with_second_factor
from tests.factories import EmployeeFactory

from .factories import activity, hrm_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    events.training_completed.connect(receiver, dispatch_uid="test-awareness")
    yield calls
    events.training_completed.disconnect(dispatch_uid="test-awareness")


def _rows(*numbers):
    return [NumberRow(i, n) for i, n in enumerate(numbers, 1)]


def test_attendance_is_counted_once(organisation):
    hrm = hrm_user(organisation)
    training = activity(organisation, hrm)
    people = [EmployeeFactory(organisation=organisation) for _ in range(3)]
    numbers = [p.personnel_number for p in people]
    assert services.attendance_add(actor=hrm, activity=training, rows=_rows(*numbers[:2])) == 2
    assert services.attendance_add(actor=hrm, activity=training, rows=_rows(*numbers)) == 1
    assert Attendance.objects.filter(activity=training).count() == 3
    page = login_with_second_factor(Client(), hrm).get(reverse("awareness:activity_list"))
    assert '<td class="utrecht-table__cell" data-label="Aanwezigen">3</td>' in page.content.decode()


def test_unknown_number_imports_nothing_and_names_the_row(organisation, other_organisation):
    hrm = hrm_user(organisation)
    training = activity(organisation, hrm)
    known = EmployeeFactory(organisation=organisation)
    foreign = EmployeeFactory(organisation=other_organisation)  # not of this organisation
    with pytest.raises(ValidationError) as refused:
        services.attendance_add(
            actor=hrm,
            activity=training,
            rows=[NumberRow(2, known.personnel_number), NumberRow(3, foreign.personnel_number)],
        )
    message = " ".join(refused.value.messages)
    assert f"regel 3 ({foreign.personnel_number})" in message
    assert "Er is niets ingelezen." in message
    assert not Attendance.objects.exists()


def test_upload_csv_and_xlsx(organisation):
    hrm = hrm_user(organisation)
    training = activity(organisation, hrm)
    a, b = EmployeeFactory(organisation=organisation), EmployeeFactory(organisation=organisation)
    client = login_with_second_factor(Client(), hrm)
    url = reverse("awareness:attendance_upload", args=[training.pk])
    bad = io.BytesIO(f"naam;personeelsnummer\nA;{a.personnel_number}\nX;999999\n".encode())
    bad.name = "lijst.csv"
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert "regel 3 (999999)" in response.content.decode()
    assert not Attendance.objects.exists()
    book = openpyxl.Workbook()
    book.active.append(["personeelsnummer"])
    book.active.append([a.personnel_number])
    book.active.append([int(b.personnel_number)])  # a number cell, as Excel keeps it
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "lijst.xlsx"
    assert client.post(url, {"file": data}).status_code == 302
    assert Attendance.objects.filter(activity=training).count() == 2


def _refused_upload(organisation, content: bytes, name: str, message: str) -> None:
    """The list goes through the shared file intake: refused with a Dutch message on
    the form, and nothing imported (not even the good numbers in it)."""
    hrm = hrm_user(organisation)
    training = activity(organisation, hrm)
    client = login_with_second_factor(Client(), hrm)
    response = client.post(
        reverse("awareness:attendance_upload", args=[training.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_oversized_list_is_refused_with_the_limit(organisation, monkeypatch):
    monkeypatch.setattr(attendance_file, "MAX_BYTES", 1024)
    person = EmployeeFactory(organisation=organisation)
    big = f"personeelsnummer\n{person.personnel_number}\n".encode() + b"\n" * 2000
    _refused_upload(organisation, big, "lijst.csv", "is groter dan 1 kB")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "lijst.csv"),  # a PDF called .csv
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "lijst.csv"),  # an executable
        (b"personeelsnummer\n123\n", "lijst.xlsx"),  # text called .xlsx
        (b"personeelsnummer\n123\n", "lijst.pdf"),
    ],
)
def test_a_list_of_another_type_is_refused(organisation, content, name):
    _refused_upload(organisation, content, name, "is geen CSV- of XLSX-bestand")


def test_a_zip_bomb_list_is_refused_before_it_is_unpacked(organisation):
    book = openpyxl.Workbook()
    book.active.append(["personeelsnummer"])
    packed = io.BytesIO()
    book.save(packed)
    source = zipfile.ZipFile(packed)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (8 << 20), 1)
            target.writestr(info.filename, data)
    _refused_upload(organisation, bomb.getvalue(), "lijst.xlsx", "pakt uit tot meer dan")


def test_first_column_without_header():
    rows = read_numbers(b"123\n456\n\n789\n", filename="x.csv")
    assert [(r.line, r.number) for r in rows] == [(1, "123"), (2, "456"), (4, "789")]


def test_by_hand_on_the_page(organisation):
    hrm = hrm_user(organisation)
    training = activity(organisation, hrm)
    person = EmployeeFactory(organisation=organisation)
    client = login_with_second_factor(Client(), hrm)
    url = reverse("awareness:attendance_add", args=[training.pk])
    response = client.post(url, {"numbers": f"{person.personnel_number}\nonbekend"})
    assert "regel 2 (onbekend)" in response.content.decode()
    assert f"{person.personnel_number}" in response.content.decode()  # the input is kept
    assert not Attendance.objects.exists()
    assert client.post(url, {"numbers": person.personnel_number}).status_code == 302
    assert Attendance.objects.get().employee == person


@pytest.mark.requirement("R-BIO-3")
def test_completing_the_security_training_sends_the_event(organisation, received):
    hrm = hrm_user(organisation)
    training = activity(organisation, hrm)
    people = [EmployeeFactory(organisation=organisation) for _ in range(2)]
    services.attendance_add(
        actor=hrm, activity=training, rows=_rows(*(p.personnel_number for p in people))
    )
    assert received == []  # attendance alone completes nothing
    services.activity_complete(actor=hrm, activity=training, completed_on=timezone.localdate())
    assert received == [
        {
            "signal": events.training_completed,
            "employee_ids": sorted(p.pk for p in people),
            "topic": "information_security",
            "completed_on": timezone.localdate(),
        }
    ]
    late = EmployeeFactory(organisation=organisation)
    services.attendance_add(actor=hrm, activity=training, rows=_rows(late.personnel_number))
    assert received[-1]["employee_ids"] == [late.pk]
    assert AuditEvent.objects.filter(action="awareness_activity.complete").count() == 1
    with pytest.raises(ValidationError):
        services.activity_complete(actor=hrm, activity=training)


def test_completion_rolls_back_with_a_failing_receiver(organisation):
    hrm = hrm_user(organisation)
    training = activity(organisation, hrm)
    person = EmployeeFactory(organisation=organisation)
    services.attendance_add(actor=hrm, activity=training, rows=_rows(person.personnel_number))

    def failing(sender, **kwargs):
        raise RuntimeError("receiver failed")

    events.training_completed.connect(failing, dispatch_uid="test-failing")
    try:
        with pytest.raises(RuntimeError):
            services.activity_complete(actor=hrm, activity=training)
    finally:
        events.training_completed.disconnect(dispatch_uid="test-failing")
    training.refresh_from_db()
    assert training.completed_on is None


def test_completion_date_in_the_future_is_refused(organisation):
    hrm = hrm_user(organisation)
    training = activity(organisation, hrm, days=3)
    client = login_with_second_factor(Client(), hrm)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = client.post(
        reverse("awareness:activity_complete", args=[training.pk]),
        {"completed_on": tomorrow.isoformat()},
    )
    assert "De datum van afronding ligt in de toekomst." in response.content.decode()
    training.refresh_from_db()
    assert training.completed_on is None

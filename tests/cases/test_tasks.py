"""Background work runs through django.tasks with the database queue (django-tasks-db).

DESIGN §2: a task carries ids only, never content, so the queue table says nothing about
a report or its reporter (R-WBK-7, R-BIO-1). STYLE habit 1: a task is enqueued inside the
transaction of its change, so a committed change always has its notice and a rolled-back
change never has one.
"""

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.test import Client, override_settings
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from integritas.accounts.constants import Role
from integritas.audit.models import AuditEvent
from integritas.cases import services
from integritas.cases.constants import IdentityMode, Kind, Status
from integritas.cases.intake import formtoken
from integritas.cases.models import Case, CaseMessage, CaseStatusChange
from integritas.cases.notices import tasks
from tests.cases.factories import submit_case

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CANARY = "Kanarie-7f3a91-belastingfraude-Kerkstraat"


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.usefixtures("transactional_db")
@override_settings(TASKS=DATABASE_QUEUE)
def test_intake_queues_an_id_only_task_and_the_worker_sends_a_contentless_notice(
    organisation, make_user
):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    response = Client().post(
        "/meldpunt/",
        {
            "organisation": organisation.slug,
            "kind": Kind.INTEGRITY_VIOLATION,
            "description": CANARY,
            "identity_mode": IdentityMode.ANONYMOUS,
            "form_token": formtoken.form_token_new(),
            "step": "send",
        },
    )
    assert response.status_code == 303  # to the receipt page
    case = Case.objects.get()
    queued = list(DBTaskResult.objects.all())
    assert [row.task_path for row in queued] == ["integritas.cases.notices.tasks.notify_new_case"]
    row = queued[0]
    assert row.args_kwargs == {"args": [case.pk], "kwargs": {}}
    stored = json.dumps([row.args_kwargs, row.task_path, row.queue_name, row.backend_name])
    assert CANARY not in stored and case.case_number not in stored
    assert mail.outbox == []  # nothing sent in the request itself

    _run_worker()

    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert CANARY not in mail.outbox[0].body and CANARY not in mail.outbox[0].subject


@pytest.mark.usefixtures("transactional_db")
@override_settings(TASKS=DATABASE_QUEUE)
def test_rolled_back_action_queues_nothing(organisation):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_case(organisation, description=CANARY)
        raise RuntimeError("half-way failure")
    assert not Case.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.requirement("R-WBK-7")
@pytest.mark.usefixtures("transactional_db")
@override_settings(TASKS=DATABASE_QUEUE)
def test_reporter_news_notice_goes_through_the_queue_to_the_vault_address(organisation, make_user):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    case = submit_case(
        organisation,
        identity_mode=IdentityMode.CONFIDENTIAL,
        identity={"name": "Jan Melder"},
        notify_email="seintje@example.org",
    ).case
    services.case_message_to_reporter(actor=coordinator, case=case, body=CANARY)
    paths = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    assert (
        "integritas.cases.notices.tasks.notify_news_for_reporter",
        {"args": [case.pk], "kwargs": {}},
    ) in paths
    assert "seintje" not in json.dumps(paths)

    _run_worker()

    notices = [m for m in mail.outbox if m.to == ["seintje@example.org"]]
    assert len(notices) == 1
    assert CANARY not in notices[0].body and "Jan Melder" not in notices[0].body


def test_tasks_refuse_anything_but_an_id():
    with pytest.raises(TypeError):
        tasks.enqueue_in_transaction(tasks.notify_new_case, "LDP-2026-0001")  # type: ignore[arg-type]


APPROVAL_TASK = "integritas.cases.notices.tasks.notify_approval_requested"


def _in_triage(organisation, coordinator):
    case = submit_case(organisation, cheap_receipt=True).case
    return services.case_transition(actor=coordinator, case=case, name="acknowledge")


@pytest.mark.usefixtures("transactional_db")
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_committed_change_has_exactly_one_task_written_in_its_transaction(
    organisation, make_user
):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    case = _in_triage(organisation, coordinator)
    with transaction.atomic():
        services.case_transition(actor=coordinator, case=case, name="request_approval")
        # The row is there before the commit: written by the change's own transaction.
        assert transaction.get_connection().in_atomic_block
        assert DBTaskResult.objects.filter(task_path=APPROVAL_TASK).count() == 1
    case.refresh_from_db()
    assert case.status == Status.AWAITING_APPROVAL
    rows = DBTaskResult.objects.filter(task_path=APPROVAL_TASK)
    assert [row.args_kwargs for row in rows] == [{"args": [case.pk], "kwargs": {}}]


@pytest.mark.usefixtures("transactional_db")
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_rolled_back_change_leaves_no_task(organisation, make_user):
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    case = _in_triage(organisation, coordinator)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_transition(actor=coordinator, case=case, name="request_approval")
        assert DBTaskResult.objects.filter(task_path=APPROVAL_TASK).exists()
        raise RuntimeError("half-way failure")
    case.refresh_from_db()
    assert case.status == Status.TRIAGE
    assert not DBTaskResult.objects.filter(task_path=APPROVAL_TASK).exists()
    assert not CaseStatusChange.objects.filter(to_status=Status.AWAITING_APPROVAL).exists()


@pytest.mark.usefixtures("transactional_db")
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_queue_that_cannot_be_written_undoes_the_change(organisation, make_user, monkeypatch):
    # A committed change always has its notice: no notice, no change.
    coordinator = make_user(Role.INTEGRITY_COORDINATOR, organisation)
    case = _in_triage(organisation, coordinator)
    events = AuditEvent.objects.count()

    def broken(*args, **kwargs):
        raise DatabaseError("the queue table is gone")

    monkeypatch.setattr(DatabaseBackend, "enqueue", broken)
    with pytest.raises(DatabaseError):
        services.case_transition(actor=coordinator, case=case, name="request_approval")
    with pytest.raises(DatabaseError):
        services.case_message_to_reporter(actor=coordinator, case=case, body=CANARY)
    case.refresh_from_db()
    assert case.status == Status.TRIAGE
    assert not CaseStatusChange.objects.filter(to_status=Status.AWAITING_APPROVAL).exists()
    assert not CaseMessage.objects.filter(case=case).exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.usefixtures("transactional_db")
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_task_is_only_enqueued_inside_a_transaction(organisation):
    case = submit_case(organisation, cheap_receipt=True).case
    assert DBTaskResult.objects.count() == 1  # the intake's, with the case
    with pytest.raises(RuntimeError):
        tasks.enqueue_in_transaction(tasks.notify_new_case, case.pk)
    assert DBTaskResult.objects.count() == 1


@pytest.mark.usefixtures("transactional_db")
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_notice_the_mail_server_refuses_is_not_counted_as_sent_but_tried_again(
    organisation, make_user, monkeypatch
):
    """A mail outage must not lose the coordinator's "Nieuwe melding": the task fails
    and a retry is queued for later, with the case id and the attempt number only."""
    from integritas.cases.notices import notifications

    make_user(Role.INTEGRITY_COORDINATOR, organisation)
    case = submit_case(organisation, cheap_receipt=True).case
    DBTaskResult.objects.all().delete()

    def mail_server_down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notifications, "send_mail", mail_server_down)
    tasks.notify_new_case.enqueue(case.pk)
    _run_worker()
    rows = {
        row.args_kwargs["args"][-1] if len(row.args_kwargs["args"]) > 1 else 0: row
        for row in DBTaskResult.objects.all()
    }
    assert rows[0].status == "FAILED"
    retry = rows[1]
    assert retry.status == "READY" and retry.args_kwargs == {"args": [case.pk, 1], "kwargs": {}}
    assert retry.run_after is not None and retry.run_after > rows[0].finished_at
    assert mail.outbox == []

    # The mail server is back: the retry, once due, delivers the notice.
    monkeypatch.undo()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=rows[0].finished_at)
    _run_worker()
    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL"
    assert len(mail.outbox) == 1 and case.case_number not in mail.outbox[0].body


@pytest.mark.usefixtures("transactional_db")
@override_settings(TASKS=DATABASE_QUEUE)
def test_retries_stop_after_the_last_attempt(organisation, make_user, monkeypatch):
    from integritas.cases.notices import notifications

    make_user(Role.INTEGRITY_COORDINATOR, organisation)
    case = submit_case(organisation, cheap_receipt=True).case
    DBTaskResult.objects.all().delete()
    monkeypatch.setattr(notifications, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError))
    tasks.notify_new_case.enqueue(case.pk, len(tasks.RETRY_DELAYS))
    _run_worker()
    assert [row.status for row in DBTaskResult.objects.all()] == ["FAILED"]

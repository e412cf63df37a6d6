"""Background work runs through django.tasks with the database queue (django-tasks-db).

DESIGN §2: a task carries ids only, never content, so the queue table says nothing about
a report or its reporter (R-WBK-7, R-BIO-1); tasks are enqueued only after the action
commits.
"""

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from integritas.accounts.constants import Role
from integritas.cases import services
from integritas.cases.constants import IdentityMode, Kind
from integritas.cases.intake import formtoken
from integritas.cases.models import Case
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
    assert response.status_code == 200
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
        tasks.enqueue_on_commit(tasks.notify_new_case, "LDP-2026-0001")  # type: ignore[arg-type]

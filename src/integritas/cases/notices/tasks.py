"""Background work of the Meldpunt, through django.tasks (django-tasks-db's db_worker).

A task carries ids only, never content (DESIGN §2): its row in the database says that a
case has news, not what the news is, and nothing in it points at a reporter. A task is
enqueued inside the transaction of the change it tells about (STYLE habit 1): the
database queue writes its row there, so a committed change always has its notice and a
rolled-back change never has one.
"""

from collections.abc import Callable
from datetime import timedelta

from django.db import router, transaction
from django.tasks import Task, task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

from . import notifications

#: A notice the mail server refused is tried again after these pauses (about a day in
#: all); after the last one its task stays FAILED in the queue, where operations see it
#: (docs/operations.md). The retry carries the case id and the attempt number only.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
    timedelta(hours=12),
)


def _deliver(work: Task, send: Callable[[int], None], case_id: int, attempt: int) -> None:
    """Send a notice; when the mail server refuses it, queue the next attempt and fail."""
    try:
        send(case_id)
    except notifications.NoticeNotSentError:
        if attempt < len(RETRY_DELAYS) and work.get_backend().supports_defer:
            later = timezone.now() + RETRY_DELAYS[attempt]
            work.using(run_after=later).enqueue(case_id, attempt + 1)
        raise


@task
def notify_new_case(case_id: int, attempt: int = 0) -> None:
    _deliver(notify_new_case, notifications.new_case, case_id, attempt)


@task
def notify_approval_requested(case_id: int, attempt: int = 0) -> None:
    _deliver(notify_approval_requested, notifications.approval_requested, case_id, attempt)


@task
def notify_aangifte_decision_needed(case_id: int, attempt: int = 0) -> None:
    _deliver(
        notify_aangifte_decision_needed, notifications.aangifte_decision_needed, case_id, attempt
    )


@task
def notify_reporter_replied(case_id: int, attempt: int = 0) -> None:
    _deliver(notify_reporter_replied, notifications.reporter_replied, case_id, attempt)


@task
def notify_news_for_reporter(case_id: int, attempt: int = 0) -> None:
    _deliver(notify_news_for_reporter, notifications.news_for_reporter, case_id, attempt)


def enqueue_in_transaction(work: Task, case_id: int) -> None:
    """Enqueue `work` for one case in the transaction of the change it tells about.

    django_tasks_db's DatabaseBackend.enqueue is a plain DBTaskResult.objects.create() on
    the database the router names for it (the default one): inside the caller's atomic
    block it commits or rolls back with the change, and the worker sees it only after the
    commit. No setting defers it: django.tasks has no ENQUEUE_ON_COMMIT option (its
    backends read only QUEUES and OPTIONS), and django-tasks dropped its own in 0.10.

    A backend that keeps no row but acts at once (the test settings' ImmediateBackend)
    cannot be part of the transaction: for it the work waits for the commit, so a
    rolled-back change still sends nothing.
    """
    if not isinstance(case_id, int):  # ids only: refuse anything else loudly
        raise TypeError("tasks carry a case id, nothing else")
    if not isinstance(work.get_backend(), DatabaseBackend):
        transaction.on_commit(lambda: work.enqueue(case_id), robust=True)
        return
    from django_tasks_db.models import DBTaskResult  # a model: not before the apps load

    if not transaction.get_connection(router.db_for_write(DBTaskResult)).in_atomic_block:
        raise RuntimeError("a notice is enqueued inside the transaction of its change")
    work.enqueue(case_id)

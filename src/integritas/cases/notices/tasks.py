"""Background work of the Meldpunt, through django.tasks (django-tasks-db's db_worker).

A task carries ids only, never content (DESIGN §2): its row in the database says that a
case has news, not what the news is, and nothing in it points at a reporter. Tasks are
enqueued after the transaction commits, so a rolled-back action sends nothing.
"""

from django.db import transaction
from django.tasks import Task, task

from . import notifications


@task
def notify_new_case(case_id: int) -> None:
    notifications.new_case(case_id)


@task
def notify_approval_requested(case_id: int) -> None:
    notifications.approval_requested(case_id)


@task
def notify_aangifte_decision_needed(case_id: int) -> None:
    notifications.aangifte_decision_needed(case_id)


@task
def notify_reporter_replied(case_id: int) -> None:
    notifications.reporter_replied(case_id)


@task
def notify_news_for_reporter(case_id: int) -> None:
    notifications.news_for_reporter(case_id)


def enqueue_on_commit(work: Task, case_id: int) -> None:
    """Enqueue `work` for one case once the surrounding transaction has committed.

    robust: a queue that cannot be written must not undo the reporter's committed work.
    """
    if not isinstance(case_id, int):  # ids only: refuse anything else loudly
        raise TypeError("tasks carry a case id, nothing else")
    transaction.on_commit(lambda: work.enqueue(case_id), robust=True)

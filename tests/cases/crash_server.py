"""A web server for tests/cases/test_notice_atomic.py that dies right after a report commits.

`python -m tests.cases.crash_server` serves Integritas (settings `tests.cases.crash_settings`,
the database from DATABASE_URL) on a free loopback port over Django's threaded WSGI server,
the one behind `runserver`, and prints the port on its first line. When the transaction
that made the `INTEGRITAS_CRASH_AFTER_CASES`-th case has committed, it kills itself with
SIGKILL, as `kill -9` would: after the COMMIT, before the connection runs its on_commit
callbacks, before the view returns and before any answer leaves. What is not in the
database by then is lost, as it would be in a real crash.

A test tool only: the hook is installed here, never in a production code path.
"""

import os
import signal
import sys
import threading
from typing import Any

import django

CRASH_AFTER_CASES = "INTEGRITAS_CRASH_AFTER_CASES"


def _die_after_commits(after: int) -> None:
    """Kill this process right after the commit of the `after`-th transaction that made
    a case (counted over all threads; each request has its thread and its connection)."""
    from django.db import connections
    from django.db.models.signals import post_save

    from integritas.cases.models import Case

    lock = threading.Lock()
    committed = [0]
    pending = threading.local()  # this thread's transaction made a case, not committed yet

    def case_made(sender: Any, created: bool, **kwargs: Any) -> None:
        if created:
            pending.case = True

    post_save.connect(case_made, sender=Case, weak=False)
    wrapper = type(connections["default"])
    commit, rollback = wrapper.commit, wrapper.rollback

    def commit_then_die(self: Any) -> None:
        commit(self)
        if getattr(pending, "case", False):
            pending.case = False
            with lock:
                committed[0] += 1
                if committed[0] >= after:
                    os.kill(os.getpid(), signal.SIGKILL)

    def rollback_and_forget(self: Any) -> None:
        pending.case = False
        rollback(self)

    wrapper.commit = commit_then_die  # type: ignore[method-assign]
    wrapper.rollback = rollback_and_forget  # type: ignore[method-assign]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.cases.crash_settings")
    django.setup()
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    _die_after_commits(int(os.environ[CRASH_AFTER_CASES]))
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    sys.stdout.write(f"{server.server_address[1]}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()

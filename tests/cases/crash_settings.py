"""The test settings with the database task queue, as production has it.

For `tests/cases/crash_server.py`: the suite runs tasks at once (ImmediateBackend), which
keeps no row; the crash test must see the queue that production writes, a row per notice
in `django_tasks_database_dbtaskresult`.
"""

from integritas.conf.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

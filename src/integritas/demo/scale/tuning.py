"""Settings of the database session for the bulk writes of `seed_scale`, set back after."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def postgresql_session(**settings: str) -> Iterator[None]:
    """Session settings on PostgreSQL for the duration, set back to what they were."""
    if connection.vendor != "postgresql" or not settings:
        yield
        return
    with connection.cursor() as cursor:
        before = {}
        for name in settings:
            cursor.execute("SELECT current_setting(%s)", [name])
            (before[name],) = cursor.fetchone()
        for name, value in settings.items():
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute("SELECT set_config(%s, %s, false)", [name, value])

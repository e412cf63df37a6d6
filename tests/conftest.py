"""Shared fixtures: organisations, users per role, and logged-in clients with 2FA passed."""

import importlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.db import connection, transaction
from django.test import Client, RequestFactory
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from integritas.accounts.models import User
from integritas.organisations.models import Organisation

from .factories import EmployeeFactory, OrganisationFactory, grant

# Hypothesis's timing checks measure the machine, not the code: on CI's two shared cores a
# slow draw ("Input generation is slow", FailedHealthCheck) or a slow example (deadline)
# failed tests whose every example held. The number of examples stays as each test sets it.
hypothesis_settings.register_profile(
    "integritas", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("integritas")


def built_once_per_class[T](build: Callable[[], T]) -> Any:
    """A class-scoped fixture: `build()` runs once for the tests of a class, in a
    transaction that stays open while they run and is rolled back after the last one.

    For data that is expensive to make and that every test of the class only starts
    from (the demo, a seed at scale). Each test asks for it together with `db`:
    pytest-django runs the test in a savepoint inside this transaction and rolls it back,
    so what one test changes the next never sees, exactly as when each test built the data
    itself. A class, not a module: tests that need an empty database stay outside it and
    never see the data. Not for transactional tests (`transactional_db`, `live_server`),
    which commit and flush. On-commit callbacks of `build()` never run, as in any `db`
    test. (Used by a test outside a class, it is built for that test alone.)
    """

    @pytest.fixture(scope="class")
    def _fixture(django_db_setup: None, django_db_blocker: Any) -> Iterator[T]:
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                value = build()
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        try:
            yield value
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return _fixture


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Every test starts with an empty cache: ids repeat between tests on SQLite, so a
    count or rate limit kept by one test could otherwise show up in the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language (Dutch). The language middleware
    activates the language of a request in the thread and leaves it there, so one English
    request in a test would otherwise make the next test's commands and services speak
    English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def organisation(db: Any) -> Organisation:
    return OrganisationFactory(slug="leiderdorp", name="Gemeente Leiderdorp", case_prefix="LDP")


@pytest.fixture
def other_organisation(db: Any) -> Organisation:
    return OrganisationFactory(slug="oegstgeest", name="Gemeente Oegstgeest", case_prefix="OGG")


@pytest.fixture
def make_user(organisation: Organisation) -> Callable[..., User]:
    """make_user(role=None, organisation=None) -> a user with an employee record."""

    def _make(role: str | None = None, org: Organisation | None = None) -> User:
        org = org or organisation
        employee = EmployeeFactory(organisation=org)
        if role is not None:
            grant(employee.user, role, org)
        return employee.user

    return _make


def login_with_second_factor(client: Client, user: User) -> Client:
    """Log in and mark the session as having passed a second factor (as allauth does)."""
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return client


@pytest.fixture
def client_for(client: Client, make_user: Callable[..., User]) -> Callable[..., Client]:
    """client_for(role, organisation=None): a logged-in client whose 2FA is satisfied."""

    def _client(role: str | None = None, org: Organisation | None = None) -> Client:
        user = make_user(role, org)
        fresh = Client()
        return login_with_second_factor(fresh, user)

    return _client


@pytest.fixture
def _truncate_guard_back_on(django_db_blocker: Any) -> Iterator[None]:
    """Set up before pytest-django's transactional_db, so torn down after its flush."""
    yield
    from integritas.audit.maintenance import truncate_guard_on

    with django_db_blocker.unblock():
        truncate_guard_on()
        connection.close()  # as pytest-django left it: no session kept open on the test DB


@pytest.fixture
def transactional_db(_truncate_guard_back_on: None, transactional_db: None) -> Iterator[None]:
    """pytest-django's transactional_db (also behind live_server), able to end cleanly.

    Django empties the tables after such a test with `flush`. On SQLite that is DELETE,
    which the append-only triggers of audit migration 0002 refuse once any audit event
    exists (a login writes one), so the audit log is emptied first with its triggers
    briefly off. On PostgreSQL it is TRUNCATE, which the statement trigger
    `audit_event_no_truncate` refuses: it is switched off here, before the flush, and on
    again by `_truncate_guard_back_on` right after it.
    """
    yield
    if connection.vendor == "postgresql":
        from integritas.audit.maintenance import truncate_guard_off

        truncate_guard_off()
        return
    if connection.vendor != "sqlite":
        return
    triggers = importlib.import_module("integritas.audit.migrations.0002_sqlite_append_only")
    with connection.schema_editor() as editor:
        triggers.drop(None, editor)
        editor.execute("DELETE FROM audit_auditevent")
        triggers.create(None, editor)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """CI runs the suite on SQLite and on PostgreSQL side by side (.ci/run sets
    INTEGRITAS_CI_RUN to the run's name). A test marked ci_run(name) gives the same result
    in both (it builds its own databases, or checks pages and not queries), so it runs
    only in the run it names; the other run leaves it out. Without the variable every
    test runs."""
    this_run = os.environ.get("INTEGRITAS_CI_RUN", "")
    if not this_run:
        return
    kept, left_out = [], []
    for item in items:
        marker = item.get_closest_marker("ci_run")
        if marker is not None and marker.args[0] != this_run:
            left_out.append(item)
        else:
            kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept

"""Every demo role of two organisations, every page of its menu (issue 8, "Proof").

Each demo account logs in through the pages (password, and the TOTP code for a
privileged role) and visits its home page, every page of its menu
(`nav.integritas-nav`) and one page of each kind its home page's work lists link to.
On each page: no English UI text, no "je/jouw", no horizontal scrollbar at 1280 px or
320 px, no axe violation (WCAG 2.1 A/AA); every link on the home page answers 200 for
that user. The checks live in crawl.py; a failure lists every finding as
`organisation/role <e-mail> | page | check | detail`.

The demo is seeded once for the module into the test database and served by a live
server of this module's own: seeding per test (as `live_server` with its flush after
every test would need) would cost more than the pages. The tables are emptied at the
end, as after any transactional test (tests/conftest.py explains the audit guard).
"""

import importlib
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import setup_databases, teardown_databases
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from integritas.demo.data import DEMO_ACCOUNTS, DEMO_ORGANISATION, DEMO_PASSWORD, DemoAccount

from .conftest import console_watch
from .crawl import (
    WIDE,
    AxeMemo,
    Crawl,
    account_organisation,
    check_page,
    crawl_account,
    log_in,
    who,
)

# The crawl checks what pages show (language, fit, axe), the same on either database.
pytestmark = [pytest.mark.e2e, pytest.mark.ci_run("sqlite")]

# Leiderdorp and, once the demo has accounts there, the first other organisation that has.
OTHER_ORGANISATIONS = ("leiden", "oegstgeest", "zoeterwoude", "servicecentrum")


def accounts_of_two_organisations() -> list[DemoAccount]:
    by_organisation: dict[str, list[DemoAccount]] = {}
    for account in DEMO_ACCOUNTS:
        by_organisation.setdefault(account_organisation(account), []).append(account)
    chosen = [DEMO_ORGANISATION, "regio"]
    chosen += [slug for slug in OTHER_ORGANISATIONS if by_organisation.get(slug)][:1]
    return [account for slug in chosen for account in by_organisation.get(slug, [])]


ACCOUNTS = accounts_of_two_organisations()


def _empty_tables() -> None:
    """What tests/conftest.py's `transactional_db` does after a test, then the flush."""
    if connection.vendor == "postgresql":
        from integritas.audit.maintenance import truncate_guard_off, truncate_guard_on

        truncate_guard_off()
        call_command("flush", interactive=False, verbosity=0)
        truncate_guard_on()
        return
    triggers = importlib.import_module("integritas.audit.migrations.0002_sqlite_append_only")
    with connection.schema_editor() as editor:
        triggers.drop(None, editor)
        editor.execute("DELETE FROM audit_auditevent")
        triggers.create(None, editor)
    call_command("flush", interactive=False, verbosity=0)


def _test_database_needed_elsewhere(items: list[pytest.Item]) -> bool:
    """Whether pytest-django sets up the test database for this session: it does so only
    for tests that ask for a database (its `_get_databases_for_setup`), which the tests
    of this module do not, as they bring their own server."""
    from django.test import TransactionTestCase

    asks = {"db", "transactional_db", "live_server"}
    return any(
        item.get_closest_marker("django_db")
        or asks & set(getattr(item, "fixturenames", ()))
        or issubclass(getattr(item, "cls", None) or object, TransactionTestCase)
        for item in items
    )


@pytest.fixture(scope="module")
def demo_server(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[str]:
    """The base URL of a live server on the test database, seeded with the demo."""
    with django_db_blocker.unblock():
        own_database = None
        if not _test_database_needed_elsewhere(request.session.items):
            own_database = setup_databases(
                verbosity=0, interactive=False, aliases={"default": False}
            )
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        server = LiveServer("localhost:0")
        server._live_server_modified_settings.enable()
        try:
            yield server.url
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            _empty_tables()
            if own_database is not None:
                teardown_databases(own_database, verbosity=0)
            connection.close()


@pytest.fixture(scope="module")
def axe_memo() -> AxeMemo:
    """axe's findings per page structure, shared by every account of the module."""
    return AxeMemo()


@pytest.fixture
def context(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Any]:
    """One browser context per account (one browser for the module)."""
    ctx = browser.new_context(**{**browser_context_args, "viewport": WIDE})
    yield ctx
    ctx.close()


@pytest.mark.parametrize("account", ACCOUNTS, ids=[a.email_local for a in ACCOUNTS])
def test_every_page_of_the_menu_is_dutch_fits_and_is_accessible(
    account: DemoAccount, demo_server: str, context: Any, axe_memo: AxeMemo
) -> None:
    page = context.new_page()
    console = console_watch(page)
    crawl = Crawl(who=who(account), base_url=demo_server)

    problem = log_in(page, demo_server, account, DEMO_PASSWORD)
    assert problem is None, f"{crawl.who} | /accounts/login/ | login | {problem}"

    crawl_account(page, crawl, console, axe_memo)
    print(crawl.summary())  # shown with `pytest -rP`: what was covered
    print(axe_memo.summary())
    assert crawl.findings == [], crawl.report()


def test_the_login_pages_and_the_meldpunt_are_dutch_fit_and_accessible(
    demo_server: str, context: Any, axe_memo: AxeMemo
) -> None:
    """What every role passes through before its menu: the login page, the second factor,
    and the public Meldpunt and mailbox (no login)."""
    page = context.new_page()
    console = console_watch(page)
    crawl = Crawl(who="anonymous", base_url=demo_server)
    axe = axe_memo
    for path in ("/accounts/login/", "/meldpunt/", "/meldpunt/postvak/"):
        check_page(page, crawl, f"{demo_server}{path}", axe, console)

    privileged = next(a for a in ACCOUNTS if a.totp_secret)
    page.goto(f"{demo_server}/accounts/login/")
    page.locator("input[name=login]").fill(privileged.email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    crawl.who = f"{who(privileged)} (password given)"
    check_page(page, crawl, page.url, axe, console)
    assert crawl.findings == [], crawl.report()

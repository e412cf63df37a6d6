"""Browser tests in Debian's chromium (Playwright), against Django's live server.

- Never downloads a browser: Playwright launches /usr/bin/chromium.
- Without chromium the e2e tests are skipped LOUDLY (a warning and a red summary line);
  with INTEGRITAS_REQUIRE_BROWSER=1 (make e2e, .ci/run) they fail instead.
- The live server means transactional tests: Django flushes the tables afterwards. On
  SQLite the audit triggers (audit migration 0002) would refuse that DELETE once a login
  wrote an event; the `transactional_db` override in tests/conftest.py empties the audit
  log first. On PostgreSQL the flush is a TRUNCATE, which pgtrigger's row-level
  UPDATE/DELETE protection does not see.
"""

import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# next to one unless told that this is intended (the tests are synchronous).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_MESSAGE = "BROWSER TESTS SKIPPED: chromium not installed"
REQUIRE_ENV = "INTEGRITAS_REQUIRE_BROWSER"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BASE_URL_DEPRECATION = (
    "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
)


def browser_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in {"1", "true", "yes"}


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


_skipped: list[str] = []


@pytest.hookimpl(trylast=True)  # after `-m`/`-k` deselection: count only tests that would run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    e2e = [item for item in items if item.get_closest_marker("e2e")]
    for item in e2e:
        # pytest-base-url (pulled in by pytest-playwright) still defines a deprecated fixture.
        item.add_marker(pytest.mark.filterwarnings(BASE_URL_DEPRECATION))
    if not e2e or chromium_available() or browser_required():
        return
    marker = pytest.mark.skip(reason=f"{SKIP_MESSAGE} ({CHROMIUM} missing)")
    for item in e2e:
        item.add_marker(marker)
    _skipped.extend(item.nodeid for item in e2e)
    warnings.warn(
        pytest.PytestWarning(
            f"{SKIP_MESSAGE}: {len(e2e)} browser test(s) skipped; "
            "install Debian's chromium (apt-get install chromium) to run them."
        ),
        stacklevel=1,
    )


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if _skipped:
        terminalreporter.write_sep(
            "!", f"{SKIP_MESSAGE} ({len(_skipped)} skipped)", red=True, bold=True
        )


# --- browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options, pointed at Debian's chromium (never a download)."""
    if not chromium_available():
        pytest.fail(
            f"{REQUIRE_ENV}=1 but {CHROMIUM} is missing: install it with "
            "`apt-get install -y chromium` (never `playwright install`).",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@dataclass
class ConsoleLog:
    """Console messages and page errors of one page, to assert the CSP held."""

    messages: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if re.search(r"content.security.policy", m, re.I)]


def console_watch(page: Any) -> ConsoleLog:
    """Collect the console messages and page errors of `page` from now on."""
    log = ConsoleLog()
    page.set_default_timeout(10_000)
    page.on("console", lambda msg: log.messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: log.messages.append(f"pageerror: {exc}"))
    return log


def run_axe(page: Any, axe: Axe) -> Any:
    """Run axe once the page has loaded.

    A check right after a click can meet a navigation that has only just started: the
    old document is gone and the new one not yet there, and axe fails on a null document.
    That is the test racing the browser, not a finding, so wait for the load and try once
    more; a second failure is real.
    """
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    page.wait_for_load_state("load")
    try:
        return axe.run(page, options=options)
    except PlaywrightError as error:
        if "documentElement" not in str(error) and "context was destroyed" not in str(error):
            raise
        page.wait_for_load_state("load")
        return axe.run(page, options=options)


def checks_for(page: Any, log: ConsoleLog) -> Callable[[], None]:
    """The check of `page_checks` for any page: axe (WCAG 2.1 A/AA) and no CSP violation."""
    axe = Axe()

    def check() -> None:
        results = run_axe(page, axe)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"])
            for v in results.response["violations"]
        ]
        assert violations == [], f"axe violations on {page.url}:\n" + "\n".join(violations)
        assert log.csp_violations() == [], log.csp_violations()

    return check


@pytest.fixture
def console(page: Any) -> ConsoleLog:
    return console_watch(page)


@pytest.fixture
def page_checks(page: Any, console: ConsoleLog) -> Callable[[], None]:
    """Call on every page reached: no axe violations (WCAG 2.1 A/AA), no CSP violation."""
    return checks_for(page, console)


@dataclass
class CheckedPage:
    """A page in a browser context of its own, with its `check` (as `page_checks`)."""

    page: Any
    check: Callable[[], None]
    console: ConsoleLog


@pytest.fixture
def new_checked_page(
    browser: Any, browser_context_args: dict[str, Any]
) -> Iterator[Callable[..., CheckedPage]]:
    """new_checked_page(cookies=()) -> a page in a fresh browser context (another person).

    `cookies` are added to the context first, e.g. the session cookie of a user logged in
    with a Django test client. Contexts are closed after the test.
    """
    contexts: list[Any] = []

    def _new(cookies: Iterable[dict[str, Any]] = ()) -> CheckedPage:
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        if cookies:
            context.add_cookies(list(cookies))
        page = context.new_page()
        log = console_watch(page)
        return CheckedPage(page=page, check=checks_for(page, log), console=log)

    yield _new
    for context in contexts:
        context.close()

"""`make screenshots`: pictures of the main pages per role, for the README.

With the browser-test setup: a throwaway SQLite database, migrated and seeded with the
demo, Django's server started here on a free port (test settings), and Debian's chromium
driven by Playwright. Each role logs in through the pages (password, and the TOTP code
of the demo for a privileged role) and its main pages are saved as
docs/screenshots/<role>-<page>.png at 1280 px wide, a few also at 390 px (phone).

Run it by hand after a visible change; `make test` never does (the pictures are kept in
git). Every picture is checked first: a login page, an error or a redirect stops the
script instead of being saved.
"""

import argparse
import io
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/e2e/conftest.py
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MAX_HEIGHT = 2200  # long lists are cut here: the top of a page says what it is
CASE_NUMBER = re.compile(r"/meldingen/[A-Z]{2,5}-\d{4}-\d{3,}/$")

REPORT_TEXT = (
    "Bij de balie van Burgerzaken worden afspraken buiten het systeem om ingepland "
    "voor bekenden. Dit gebeurt sinds het voorjaar, meestal op vrijdag."
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_environment(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "integritas.conf.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "LANGUAGE_CODE": "nl",
        "PYTHONUNBUFFERED": "1",
    }


def integritas(env: dict[str, str], *args: str) -> None:
    # Our own executable with fixed arguments: nothing untrusted reaches the command line.
    subprocess.run([str(BIN / "integritas"), *args], env=env, check=True, cwd=ROOT)  # noqa: S603


@contextmanager
def demo_server(workdir: Path) -> Iterator[str]:
    """A migrated, seeded throwaway database behind `integritas runserver`."""
    env = server_environment(workdir / "screenshots.sqlite3")
    integritas(env, "migrate", "--no-input", "--verbosity", "0")
    integritas(env, "seed_demo")
    port = free_port()
    log = (workdir / "server.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "integritas"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"the server did not start; see {workdir / 'server.log'}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def setup_django(workdir: Path) -> None:
    """Django in this process too, for the demo accounts, their TOTP codes and URLs."""
    os.environ.update(server_environment(workdir / "screenshots.sqlite3"))
    import django

    django.setup()


class Shooter:
    def __init__(self, browser: Any, base: str, out: Path) -> None:
        self.browser = browser
        self.base = base
        self.out = out
        self.saved: list[Path] = []

    def context(self) -> Any:
        return self.browser.new_context(
            viewport=DESKTOP, locale="nl-NL", timezone_id="Europe/Amsterdam"
        )

    def open(self, page: Any, path: str) -> None:
        response = page.goto(f"{self.base}{path}")
        self.expect_page(page, path, response.status if response else 0)

    def expect_page(self, page: Any, path: str, status: int = 200) -> None:
        here = page.url.removeprefix(self.base).split("?")[0]
        if status != 200 or here.split("#")[0] != path:
            raise SystemExit(f"expected the page {path}, got {here} (HTTP {status})")

    def shoot(self, page: Any, name: str, *, phone: bool = False) -> None:
        from PIL import Image

        if phone:
            page.set_viewport_size(PHONE)
        size = PHONE if phone else DESKTOP
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
        png = page.screenshot(
            full_page=True,
            clip={"x": 0, "y": 0, "width": size["width"], "height": max(height, size["height"])},
            animations="disabled",
            caret="hide",
        )
        if phone:
            page.set_viewport_size(DESKTOP)
        # 256 colours are plenty for a UI and a quarter of the bytes.
        image = Image.open(io.BytesIO(png)).convert("RGB")
        image = image.quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        target = self.out / f"{name}.png"
        image.save(target, optimize=True)
        self.saved.append(target)
        print(f"  {target.relative_to(ROOT)} ({target.stat().st_size // 1024} kB)")

    def log_in(self, page: Any, key: str) -> None:
        from integritas.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD
        from integritas.demo.logins import current_totp_code, seconds_left

        account = next(a for a in DEMO_ACCOUNTS if a.key == key)
        page.goto(f"{self.base}/accounts/login/")
        page.locator("input[name=login]").fill(account.email)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("input[name=password]").press("Enter")
        page.wait_for_load_state()
        if "/accounts/2fa/authenticate/" in page.url:
            if seconds_left() < 3:
                time.sleep(seconds_left() + 0.2)
            page.locator("input[name=code]").fill(current_totp_code(account.totp_secret))
            page.locator("input[name=code]").press("Enter")
            page.wait_for_load_state()
        self.expect_page(page, "/")


def shoot_all(shooter: Shooter) -> None:
    from django.urls import reverse

    # --- no login: the Meldpunt, the receipt, the mailbox, the login page ---------------
    context = shooter.context()
    page = context.new_page()
    shooter.open(page, "/accounts/login/")
    shooter.shoot(page, "anoniem-aanmelden")
    intake = reverse("meldpunt:intake")
    shooter.open(page, intake)
    page.get_by_label("Over welke organisatie gaat uw melding?").select_option(
        label="Gemeente Leiderdorp"
    )
    page.get_by_role("radio", name="Integriteitsschending", exact=True).check()
    page.get_by_label("Wat is er gebeurd?").fill(REPORT_TEXT)
    page.get_by_role("radio", name="Anoniem", exact=True).check()
    shooter.shoot(page, "anoniem-meldpunt")
    shooter.shoot(page, "anoniem-meldpunt-telefoon", phone=True)
    page.get_by_role("button", name="Controleren").click()
    page.get_by_role("button", name="Versturen").click()
    page.locator(".integritas-receipt-code").wait_for()
    receipt_code = page.locator(".integritas-receipt-code").inner_text().replace(" ", "")
    shooter.shoot(page, "anoniem-ontvangstbewijs")
    shooter.shoot(page, "anoniem-ontvangstbewijs-telefoon", phone=True)
    mailbox = reverse("meldpunt:mailbox")
    shooter.open(page, mailbox)
    page.locator("main form input:not([type=hidden])").first.fill(receipt_code)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    shooter.expect_page(page, mailbox)
    shooter.shoot(page, "anoniem-postvak")
    context.close()

    # --- per role, logged in ---------------------------------------------------------------
    pages: list[tuple[str, str, list[tuple[str, str]]]] = [
        ("employee", "medewerker", [("home", "home")]),
        ("integrity_coordinator", "coordinator", [("home", "home"), ("meldingen", "cases:inbox")]),
        ("secretary", "secretaris", [("home", "home")]),
        ("integrity_officer", "functionaris", [("cijfers", "cases:figures")]),
        ("hrm", "hrm", [("medewerkers", "organisations:employee_list")]),
        ("confidential_counsellor", "vertrouwenspersoon", [("home", "home")]),
        (
            "administrator",
            "beheerder",
            [
                ("roltoewijzingen", "accounts:assignment_list"),
                ("vertrouwenspersonen", "counsel:listing_list"),
                ("auditlog", "audit:event_list"),
            ],
        ),
    ]
    for key, role, shots in pages:
        context = shooter.context()
        page = context.new_page()
        shooter.log_in(page, key)
        for name, url_name in shots:
            shooter.open(page, reverse(url_name))
            shooter.shoot(page, f"{role}-{name}")
            if role == "medewerker":
                shooter.shoot(page, f"{role}-{name}-telefoon", phone=True)
        if key == "integrity_coordinator":
            shoot_a_case(shooter, page, role)
        context.close()


def shoot_a_case(shooter: Shooter, page: Any, role: str) -> None:
    """The first case of the inbox (the Meldpunt report made above if nothing else)."""
    from django.urls import reverse

    shooter.open(page, reverse("cases:inbox"))
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    case_paths = [h for h in hrefs if CASE_NUMBER.search(h.split("?")[0])]
    if not case_paths:
        raise SystemExit("the coordinator's inbox links to no case")
    path = case_paths[0].split("?")[0]
    shooter.open(page, path)
    shooter.shoot(page, f"{role}-melding")
    shooter.shoot(page, f"{role}-melding-telefoon", phone=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="integritas-screenshots-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        with demo_server(workdir) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
            )
            try:
                shooter = Shooter(browser, base, out)
                shoot_all(shooter)
            finally:
                browser.close()
    print(f"{len(shooter.saved)} screenshots in {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

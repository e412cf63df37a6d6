"""Every menu page of every role, against the trivial view, at demo size and at scale.

Runs in-process through the full middleware stack with a logged-in session whose second
factor is satisfied. Seeds the demo into a throwaway database (or the one given), and for
every demo role takes the pages its own menu offers (the navigation, as `portal` composes
it for that user) plus its home page. Measures them twice in the same database: first at
demo size, then after `integritas seed_scale` has added a national installation. Prints,
per role and page, the median and 95th-percentile time, the median's ratio to the trivial
view measured in the same phase, the number of queries and the most memory one request
holds at a time. The home pages are measured as production serves them, their work
lists kept for 30 seconds per user (core/work_cache.py); `--work-lists-seconds 0`
measures every home page as a first view, the lists built anew.

Exits non-zero when a page exceeds the ratio limit (3 times) in either phase, when a page's
number of queries differs between demo size and scale (a query per row somewhere), or
when a page does not answer 200.

    .venv/bin/python benchmarks/run.py                      # demo + a small scale (fast)
    .venv/bin/python benchmarks/run.py --scale national     # 350 organisations, 200,000
                                                            # employees, 150,000 cases,
                                                            # 10,000,000 audit events
    .venv/bin/python benchmarks/run.py --database-url postgres://postgres@127.0.0.1:5432/integritas_bench
    .venv/bin/python benchmarks/run.py --existing --database-url URL  # measure a kept
                                                            # national database again
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LIMIT_RATIO = 3.0

#: seed_scale's options per named size; "none" measures the demo only.
SCALES: dict[str, dict[str, int]] = {
    "none": {},
    "small": {
        "organisations": 40,
        "employees": 20_000,
        "cases_per_year": 5_000,
        "years": 3,
        "audit_events": 200_000,
    },
    "national": {
        "organisations": 350,
        "employees": 200_000,
        "cases_per_year": 50_000,
        "years": 3,
        "audit_events": 10_000_000,
    },
}

#: The organisation whose demo accounts are measured, besides the regional ones.
ORGANISATION = "leiderdorp"
#: Pages that do not belong to the measurement: they leave the application or change state.
SKIP_URL_NAMES = frozenset({"account_logout"})

#: Pages that change shape with the size of the region, by design: the Meldpunt form, the
#: coordinator's record form and the audit log's filter offer a <select> of organisations
#: up to 25 of them and a typed organisation beyond (docs/performance.md, "Choosing the
#: organisation"). At scale they may run fewer queries than at demo size, never more;
#: their own tests hold the count constant from 30 to 120 organisations.
SHAPE_CHANGES_WITH_REGION = frozenset({"meldpunt:intake", "cases:record", "audit:event_list"})


@dataclass(frozen=True)
class Page:
    role: str
    label: str
    url: str


@dataclass(frozen=True)
class Measurement:
    median_ms: float
    p95_ms: float
    ratio: float
    queries: int
    request_mb: float


def prepare_database(database_url: str) -> None:
    """Point Django at the benchmark database; create a PostgreSQL database when missing."""
    if database_url.startswith("postgres"):
        import psycopg

        base, _, name = database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.conf.test")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def role_accounts() -> dict[str, str]:
    """One demo account per role: Leiderdorp's where there is one, else the regional one."""
    from integritas.demo import data

    accounts: dict[str, str] = {}
    for account in data.DEMO_ACCOUNTS:
        organisation = getattr(account, "organisation", data.DEMO_ORGANISATION)
        if account.key in accounts and organisation != ORGANISATION:
            continue
        if organisation in (ORGANISATION, None, "") or getattr(account, "regional", False):
            accounts.setdefault(account.key, account.email)
    return accounts


def pages_for_roles(clients: dict[str, Any]) -> list[Page]:
    """The trivial view, then per role its home page and every page of its menu."""
    from django.urls import reverse

    from integritas.portal.navigation import navigation_for

    first_role = next(iter(clients))
    pages = [Page(first_role, "trivial view (baseline)", reverse("trivial"))]
    shared_seen: set[str] = set()
    for role, client in clients.items():
        user = client.session_user
        for entry in navigation_for(user):
            if entry.url_name in SKIP_URL_NAMES:
                continue
            # A page open to everyone (the Meldpunt form) is the same page for every role:
            # measured once. The home page differs per role (its work lists): every time.
            if entry.permission is None and entry.url_name != "home":
                if entry.url in shared_seen:
                    continue
                shared_seen.add(entry.url)
            pages.append(Page(role, str(entry.label), entry.url))
    return pages


def measure(pages: list[Page], clients: dict[str, Any], requests: int) -> dict[Page, Measurement]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    failures = []
    for page in pages:
        for _ in range(3):  # warm up: caches, templates, the connection
            status = clients[page.role].get(page.url).status_code
        if status != 200:
            failures.append(f"{page.role} {page.url}: {status}")
    if failures:
        raise SystemExit("pages that do not answer 200:\n  " + "\n  ".join(failures))
    # The pages take turns, request by request, so a machine that speeds up or slows down
    # during the run affects every page alike and the ratios to the trivial view stay fair.
    timings: dict[Page, list[float]] = {page: [] for page in pages}
    for _ in range(requests):
        for page in pages:
            start = time.perf_counter()
            clients[page.role].get(page.url)
            timings[page].append(time.perf_counter() - start)
    baseline = statistics.median(timings[pages[0]])
    results = {}
    for page in pages:
        client = clients[page.role]
        # The session records the last request at most once a minute (the idle timeout,
        # three queries): a request just before makes sure the counted one is not that one.
        client.get(page.url)
        with CaptureQueriesContext(connection) as queries:
            client.get(page.url)
        count = len(queries.captured_queries)
        tracemalloc.start()
        client.get(page.url)
        request_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        median = statistics.median(timings[page])
        p95 = statistics.quantiles(timings[page], n=20)[-1] if requests > 1 else median
        results[page] = Measurement(median * 1000, p95 * 1000, median / baseline, count, request_mb)
    return results


def seed_in_child(scale: str) -> None:
    """Run seed_scale in a child process, with its progress on stderr.

    A child, so that the peak memory printed at the end is that of serving the pages and
    not that of generating the data (its batches and SQLite's 2 GB page cache); the
    child's own time and peak memory are printed here.
    """
    from django.db import connection

    connection.close()
    command = [sys.executable, "-c", "from integritas.manage import main; main()", "seed_scale"]
    for option, value in SCALES[scale].items():
        command += [f"--{option.replace('_', '-')}", str(value)]
    started = time.monotonic()
    subprocess.run(command, check=True)
    seconds = time.monotonic() - started
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\nseed_scale --scale {scale}: {seconds:.0f} s, peak memory {child_mb:.0f} MB")


def report(title: str, results: dict[Page, Measurement]) -> list[str]:
    """Print one phase; return the pages over the limit."""
    print(f"\n== {title}")
    print(
        f"{'role':28} {'page':28} {'median ms':>10} {'p95 ms':>9} {'ratio':>7} "
        f"{'queries':>8} {'MB':>6}"
    )
    over = []
    for page, m in results.items():
        flag = "  OVER" if m.ratio > LIMIT_RATIO else ""
        print(
            f"{page.role:28} {page.label[:28]:28} {m.median_ms:10.2f} {m.p95_ms:9.2f} "
            f"{m.ratio:7.2f} "
            f"{m.queries:8d} {m.request_mb:6.2f}{flag}"
        )
        if m.ratio > LIMIT_RATIO:
            over.append(f"{title}: {page.role} {page.url} {m.ratio:.2f}x")
    return over


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="measure the database given by --database-url as it is (a national one kept "
        "from an earlier run), migrated to the code: no flush, no seeding, one phase",
    )
    parser.add_argument(
        "--work-lists-seconds",
        type=int,
        default=30,
        help="how long the home page keeps a user's work lists (production: 30; 0 measures "
        "every home page as a first view, the lists built anew)",
    )
    args = parser.parse_args()
    # The test settings build the work lists on every view; measure what production does.
    os.environ["INTEGRITAS_WORK_LISTS_SECONDS"] = str(args.work_lists_seconds)
    tmp = tempfile.mkdtemp(prefix="integritas-bench-")
    prepare_database(args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from tests.conftest import login_with_second_factor

    from integritas.accounts.models import User

    setup_test_environment()
    if connection.vendor == "postgresql" and not args.existing:
        # The database outlives the run, and seed_scale refuses a second country: empty it.
        from integritas.audit.maintenance import truncate_guard_off, truncate_guard_on

        truncate_guard_off()  # a throwaway database: flush may TRUNCATE the audit log
        call_command("flush", interactive=False, verbosity=0)
        truncate_guard_on()
    call_command("migrate", verbosity=0)  # an existing database may lag the code
    if not args.existing:
        call_command("seed_demo", verbosity=0)

    def log_in() -> dict[str, Any]:
        """A logged-in client per demo role, second factor passed."""
        clients: dict[str, Any] = {}
        for role, email in role_accounts().items():
            user = User.objects.get(email=email)
            client = login_with_second_factor(Client(), user)
            client.session_user = user  # type: ignore[attr-defined]
            clients[role] = client
        return clients

    clients = log_in()
    pages = pages_for_roles(clients)
    print(f"database: {connection.vendor}; {len(pages)} pages of {len(clients)} roles")
    if args.existing:
        found = measure(pages, clients, args.requests)
        problems = report("the database as found", found)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\npeak memory of the process: {peak_mb:.0f} MB")
        if problems:
            print("\nFAILED:\n  " + "\n  ".join(problems))
            return 1
        return 0

    demo = measure(pages, clients, args.requests)
    problems = report("demo size", demo)
    if SCALES[args.scale]:
        seed_in_child(args.scale)
        # The seed can outlast the idle timeout and the session's lifetime (a national
        # seed on PostgreSQL took 74 minutes, and every page then answered 302): new
        # sessions for the second phase, the same accounts and pages.
        clients = log_in()
        scaled = measure(pages, clients, args.requests)
        problems += report(f"scale {args.scale}", scaled)
        shape_changes = {reverse(name) for name in SHAPE_CHANGES_WITH_REGION}
        for page, m in scaled.items():
            if page.url in shape_changes and m.queries <= demo[page].queries:
                continue
            if m.queries != demo[page].queries:
                problems.append(
                    f"{page.role} {page.url}: {demo[page].queries} queries at demo size, "
                    f"{m.queries} at scale"
                )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of the process: {peak_mb:.0f} MB")
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        return 1
    print(f"\nevery page within {LIMIT_RATIO:.0f}x the trivial view, queries constant")
    return 0


if __name__ == "__main__":
    sys.exit(main())

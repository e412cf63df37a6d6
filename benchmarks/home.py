"""The home page of every role, with its work lists, at demo size and with 50,000 reports.

Seeds the demo and measures each role's home page ("Mijn integriteit") against the
trivial view (`/leeg/`) in the same phase; then generates the cases of
benchmarks/cases.py (50,000 by default), gives the investigator some of them and the
reporters replies waiting in a tenth of them, and measures again. Exits non-zero when a
page's ratio to the trivial view exceeds 3 in either phase, or when a page's number of
queries differs between the two (a query per row somewhere).

    .venv/bin/python benchmarks/home.py [--cases 50000] [--requests 30] [--database-url URL]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LIMIT_RATIO = 3.0
ROLES = {
    "coordinator": "coordinator",
    "secretary": "secretaris",
    "investigator": "onderzoeker",
    "administrator": "beheerder",
    "HRM": "hrm",
    "employee": "medewerker",
}


def give_work(every: int = 10) -> None:
    """What a living Meldpunt holds besides the cases: the investigator on some of them,
    and a reply from the reporter, not yet answered, in every tenth."""
    from integritas.accounts.constants import Role
    from integritas.accounts.models import User
    from integritas.cases.constants import MessageDirection
    from integritas.cases.models import Case, CaseHandler, CaseMessage

    investigator = User.objects.get(email="onderzoeker@demo.integritas.example")
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    CaseHandler.objects.bulk_create(
        [CaseHandler(case_id=pk, user=investigator, role=Role.INVESTIGATOR) for pk in ids[::50]],
        ignore_conflicts=True,
    )
    CaseMessage.objects.bulk_create(
        [
            CaseMessage(case_id=pk, direction=MessageDirection.FROM_REPORTER, body_enc=b"-")
            for pk in ids[::every]
        ],
        batch_size=2000,
    )


def measure(clients: dict[str, Any], pages: dict[str, tuple[str, str]], n: int) -> dict[str, float]:
    """Median seconds per page; the pages take turns request by request (cases.py)."""
    for label, (client_key, url) in pages.items():
        for _ in range(3):
            assert clients[client_key].get(url).status_code == 200, label
    timings: dict[str, list[float]] = {label: [] for label in pages}
    for _ in range(n):
        for label, (client_key, url) in pages.items():
            start = time.perf_counter()
            clients[client_key].get(url)
            timings[label].append(time.perf_counter() - start)
    return {label: statistics.median(values) for label, values in timings.items()}


def phase(
    name: str, clients: dict[str, Any], pages: dict[str, tuple[str, str]], n: int
) -> tuple[dict[str, float], dict[str, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = measure(clients, pages, n)
    queries = {}
    for label, (client_key, url) in pages.items():
        with CaptureQueriesContext(connection) as captured:
            clients[client_key].get(url)
        queries[label] = len(captured.captured_queries)
    baseline = results["trivial view"]
    print(f"\n{name}")
    print(f"{'page':30} {'median ms':>10} {'ratio':>7} {'queries':>8}")
    for label, median in results.items():
        print(f"{label:30} {median * 1000:10.2f} {median / baseline:7.2f} {queries[label]:8d}")
    return {label: median / baseline for label, median in results.items()}, queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="integritas-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{Path(tmp) / 'home.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.conf.test")
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent))
    sys.path.insert(0, str(here))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from tests.conftest import login_with_second_factor

    import cases as case_bench  # benchmarks/cases.py: the same 50,000 cases
    from integritas.accounts.models import User
    from integritas.cases.models import Case

    setup_test_environment()
    if connection.vendor == "postgresql":
        from integritas.audit.maintenance import truncate_guard_off, truncate_guard_on

        truncate_guard_off()  # a throwaway database: flush may TRUNCATE the audit log
        call_command("flush", interactive=False, verbosity=0)
        truncate_guard_on()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    clients = {
        role: login_with_second_factor(
            Client(), User.objects.get(email=f"{local}@demo.integritas.example")
        )
        for role, local in ROLES.items()
    }
    pages = {"trivial view": ("administrator", reverse("trivial"))}
    pages.update({f"home, {role}": (role, reverse("home")) for role in ROLES})
    small_ratios, small_queries = phase(
        f"demo size: {Case.objects.count()} cases", clients, pages, args.requests
    )
    started = time.perf_counter()
    if Case.objects.count() < args.cases:
        # generate() numbers from 1 per organisation; the demo's own reports keep their
        # case numbers but make room in the sequence (a throwaway database).
        Case.objects.filter(sequence__lt=1_000_000).update(sequence=F("sequence") + 1_000_000)
        case_bench.generate(args.cases - Case.objects.count())
    give_work()
    # Statistics as a database in use has them (PostgreSQL's autovacuum gathers them after
    # such a load; the plans on SQLite are the same with or without): the planner then
    # knows how many rows each condition matches (benchmarks/employees.py does the same).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"\ngenerated {Case.objects.count()} cases in {time.perf_counter() - started:.1f}s")
    large_ratios, large_queries = phase(
        f"at scale: {Case.objects.count()} cases; database: {connection.vendor}",
        clients,
        pages,
        args.requests,
    )
    failed = False
    for label in pages:
        for ratios in (small_ratios, large_ratios):
            if ratios[label] > LIMIT_RATIO:
                print(f"over {LIMIT_RATIO}x the trivial view: {label} ({ratios[label]:.2f})")
                failed = True
        if small_queries[label] != large_queries[label]:
            print(
                f"query count not constant: {label} "
                f"{small_queries[label]} -> {large_queries[label]}"
            )
            failed = True
    print("RESULT:", "over a limit" if failed else "within limits")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

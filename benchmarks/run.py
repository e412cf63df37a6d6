"""Median time per page relative to the trivial view, queries and memory per request.

Runs in-process through the full middleware stack with a logged-in session whose second
factor is satisfied. Seeds the demo into a throwaway database first. Prints, per page, the
most memory one request holds at a time (Python allocations), and the process's peak.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PAGES = {
    "trivial view (baseline)": ("trivial", "administrator"),
    "Mijn integriteit": ("home", "employee"),
    "medewerkers (HRM)": ("organisations:employee_list", "hrm"),
    "auditlog": ("audit:event_list", "administrator"),
    "roltoewijzingen": ("accounts:assignment_list", "administrator"),
    "toegangsreview": ("accounts:access_review", "administrator"),
}
ACCOUNTS = {
    "employee": "medewerker@demo.integritas.example",
    "hrm": "hrm@demo.integritas.example",
    "administrator": "beheerder@demo.integritas.example",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="integritas-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.conf.test")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from tests.conftest import login_with_second_factor

    from integritas.accounts.models import User

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    clients = {
        role: login_with_second_factor(Client(), User.objects.get(email=email))
        for role, email in ACCOUNTS.items()
    }
    pages = {label: (clients[role], reverse(url_name)) for label, (url_name, role) in PAGES.items()}
    for label, (client, url) in pages.items():
        for _ in range(5):  # warm up
            assert client.get(url).status_code == 200, label
    # The pages take turns, request by request, so a machine that speeds up or slows down
    # during the run affects every page alike and the ratios to the trivial view stay fair.
    timings: dict[str, list[float]] = {label: [] for label in pages}
    for _ in range(args.requests):
        for label, (client, url) in pages.items():
            start = time.perf_counter()
            client.get(url)
            timings[label].append(time.perf_counter() - start)
    results = {}
    for label, (client, url) in pages.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries.captured_queries)  # before the next request resets the log
        tracemalloc.start()
        client.get(url)
        request_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        results[label] = (statistics.median(timings[label]), count, request_mb)
    baseline = results["trivial view (baseline)"][0]
    print(f"database: {connection.vendor}, {args.requests} requests per page")
    print(f"{'page':32} {'median ms':>10} {'ratio':>7} {'queries':>8} {'request MB':>11}")
    for label, (median, count, memory) in results.items():
        print(
            f"{label:32} {median * 1000:10.2f} {median / baseline:7.2f} {count:8d} {memory:11.2f}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The HR API's bulk upsert at size: a batch of 5,000 employees in one call.

Builds its own database (a temporary SQLite file, or --database-url), an organisation
with two administrators and a write token (issued and approved through the services),
then POSTs to /api/v1/hr/medewerkers/ through Django's test client, as an HR system
would: 5,000 new employees in 60 units under a directorate, 40 functions and a manager
tree three levels deep; the same batch again (nothing changes); and the batch with 10%
of the employees changed (a new function, a new unit, an end date). Each call is timed
without tracing; the peak memory is measured in separate calls of the same shape for a
second organisation (Python allocations with tracemalloc, which slows them down), and the
process's peak resident size is printed at the end. Exits non-zero when a call takes 60
seconds or more or holds 400 MB or more.

The events employee_started / employee_left / function_changed are sent inside the
import's transaction, so the time includes what the subscribed apps do (obligations makes
the new employees' duties); --without-receivers disconnects them to time the import alone.
Then the duties are read back through /api/v1/hr/verplichtingen/ in pages of 1,000 (all,
and overdue only; the first page and the fifth), each page with the same query count.

    .venv/bin/python benchmarks/hr_api.py [--employees 5000] [--database-url URL]
                                          [--without-receivers]
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LIMIT_SECONDS = 60.0
LIMIT_MB = 400.0
UNITS = 60
FUNCTIONS = 40
MANAGERS = 120


def batch(size: int, *, changed: bool = False) -> list[dict[str, Any]]:
    """`size` employees: a director, MANAGERS managers under them, the rest under those."""
    rows: list[dict[str, Any]] = []
    for n in range(size):
        number = f"N{n:07d}"
        unit = "DIR" if n == 0 else f"U{n % UNITS:03d}"
        function = f"F{n % FUNCTIONS:03d}"
        if n == 0:
            manager = ""
        elif n <= MANAGERS:
            manager = "N0000000"
        else:
            manager = f"N{1 + n % MANAGERS:07d}"
            # A manager heads their own unit: put the employee in the manager's unit.
            unit = f"U{(1 + n % MANAGERS) % UNITS:03d}"
        end = ""
        if changed and n % 10 == 5:
            function = f"F{(n + 1) % FUNCTIONS:03d}"
            end = "2030-12-31"
        rows.append(
            {
                "personeelsnummer": number,
                "voornaam": f"Voornaam{n}",
                "achternaam": f"Achternaam {n}",
                "email": f"m{n}@example.nl",
                "afdeling": unit,
                "afdeling_naam": "Directie" if unit == "DIR" else f"Afdeling {unit}",
                "bovenliggende_afdeling": "" if unit == "DIR" else "DIR",
                "functie": function,
                "functie_naam": f"Functie {function}",
                "dienstverband": ("in_dienst", "inhuur", "stagiair")[n % 3],
                "datum_in_dienst": f"20{10 + n % 15}-0{1 + n % 9}-1{n % 9}",
                "datum_uit_dienst": end,
                "leidinggevende": manager,
            }
        )
    return rows


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            connection.execute(f'DROP DATABASE "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--without-receivers", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="integritas-bench-")
    if args.database_url.startswith("postgres"):
        _ensure_postgres_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{Path(tmp) / 'hr.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.conf.test")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from tests.factories import EmployeeFactory, OrganisationFactory, grant

    from integritas.accounts.api_tokens.constants import TokenScope
    from integritas.accounts.api_tokens.services import api_token_decide, api_token_issue
    from integritas.accounts.constants import Role
    from integritas.organisations.models import Employee

    setup_test_environment()
    if args.without_receivers:
        from integritas.organisations import events

        for signal in (events.employee_started, events.employee_left, events.function_changed):
            signal.receivers = []
            signal.sender_receivers_cache.clear()
    call_command("migrate", verbosity=0)
    receivers = "without" if args.without_receivers else "with"
    print(
        f"database: {connection.vendor}, {args.employees} employees a batch, {receivers} receivers"
    )

    def writer_for(slug: str) -> str:
        organisation = OrganisationFactory(slug=slug, name=slug)
        first, second = (EmployeeFactory(organisation=organisation).user for _ in range(2))
        grant(first, Role.ADMINISTRATOR, organisation)
        grant(second, Role.ADMINISTRATOR, organisation)
        issued = api_token_issue(
            actor=first, organisation=organisation, name="bench", scope=TokenScope.WRITE
        )
        api_token_decide(actor=second, token=issued.token, approve=True)
        return issued.value

    client = Client()
    body_new = json.dumps({"employees": batch(args.employees)})
    body_changed = json.dumps({"employees": batch(args.employees, changed=True)})
    print(f"request body: {len(body_new) / 1024 / 1024:.1f} MB")

    def call(token: str, body: str) -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        response = client.post(
            "/api/v1/hr/medewerkers/",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content[:2000]
        return elapsed, response.json()

    def traced(token: str, body: str) -> float:
        tracemalloc.start()
        try:
            call(token, body)
            return tracemalloc.get_traced_memory()[1] / 1024 / 1024
        finally:
            tracemalloc.stop()

    timed = writer_for("bench-tijd")
    # The first request of a process loads every app's URLs and views: not the batch's cost.
    warm = client.get("/api/v1/hr/medewerkers/", HTTP_AUTHORIZATION=f"Bearer {timed}")
    assert warm.status_code == 200, warm.content
    failures = []
    results = []
    for label, body in (
        ("new", body_new),
        ("unchanged", body_new),
        ("10% changed", body_changed),
    ):
        seconds, counts = call(timed, body)
        results.append((label, seconds))
        summary = ", ".join(
            f"{k} {v}" for k, v in counts.items() if k in ("created", "updated", "unchanged")
        )
        print(f"{label:>12}: {seconds:6.2f} s  ({summary})")
        if seconds >= LIMIT_SECONDS:
            failures.append(f"{label} took {seconds:.1f} s")
    assert Employee.objects.filter(personnel_number__startswith="N").count() == args.employees

    # The duties the batch made, read back as an HR system does: pages of 1,000, the first
    # and one further on, all and overdue only; the same number of queries for each.
    from django.test.utils import CaptureQueriesContext

    def read(params: dict[str, str]) -> tuple[float, int, int, str | None]:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(
                "/api/v1/hr/verplichtingen/", params, HTTP_AUTHORIZATION=f"Bearer {timed}"
            )
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.content[:2000]
        body = response.json()
        return elapsed, len(captured.captured_queries), len(body["results"]), body["next"]

    query_counts = set()
    for label, params in (("duties", {}), ("overdue", {"te_laat": "true"})):
        params = {**params, "limit": "1000"}
        seconds, queries, rows, next_url = read(params)
        query_counts.add(queries)
        print(f"{label:>12}: first page {seconds * 1000:6.0f} ms, {rows} rows, {queries} queries")
        for _ in range(4):  # the fifth page
            if next_url is None:
                break
            after = next_url.split("after=")[1].split("&")[0]
            seconds, queries, rows, next_url = read({**params, "after": after})
        query_counts.add(queries)
        print(f"{label:>12}: later page {seconds * 1000:6.0f} ms, {rows} rows, {queries} queries")
    if len(query_counts) != 1:
        failures.append(f"duty pages cost {sorted(query_counts)} queries")

    traced_token = writer_for("bench-geheugen")
    for label, body in (("new", body_new), ("10% changed", body_changed)):
        peak = traced(traced_token, body)
        print(f"{label:>12}: peak {peak:6.1f} MB of Python allocations")
        if peak >= LIMIT_MB:
            failures.append(f"{label} held {peak:.0f} MB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident size: {rss:.0f} MB")
    if rss >= LIMIT_MB:
        failures.append(f"process peak {rss:.0f} MB")
    for failure in failures:
        print("TOO SLOW OR TOO BIG:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

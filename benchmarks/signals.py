"""Conflict signals at scale: a 10,000-line counterparty list matched against 1,000,000
register entries of one organisation, and the signals page on the result.

Seeds the demo, generates employees (benchmarks/employees.py's generator, all of them in
the integrity officer's organisation) and ~5 registrations each in bulk (the scale
phase's registrations_bulk: 200,000 employees give 1,000,000 entries), then imports a
10,000-line list (the scale phase's counterparty_rows) through the import's write
(`counterparty_list_replace`: replace the list, match every live registration, raise the
signals, in one transaction) and times it; then once more with the signals in place (a
re-import), and the recompute of one registration. Then measures the signals page
(first page, a filter, a keyset page deep into it) against the trivial view in the same
run. Then the daily run (`refresh_signals`): its first run, which matches every current
side activity, and the next day's, which matches only what the calendar changed; and
financial interests (`--interests`, sealed, matched on their blind indexes): the
organisation's recompute with them and the recompute of one interest. Exits non-zero
when an import or a daily run takes 30 s or more, when a page is over 3x the
trivial view or the pages differ in their number of queries, or when the process peaks
over 400 MB.

    .venv/bin/python benchmarks/signals.py [--employees 200000] [--per-employee 5]
                                           [--rows 10000] [--interests 2000]
                                           [--database-url URL]
"""

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cases import measure, request_peak_mb
from benchmarks.employees import generate, prepare_database

LIMIT_SECONDS = 30.0
LIMIT_RATIO = 3.0
LIMIT_MB = 400
DEEP_PAGE = 100
PAGE_SIZE = 50


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--per-employee", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--interests", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="integritas-bench-")
    prepare_database(args.database_url or f"sqlite:///{Path(tmp) / 'signals.sqlite3'}")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from tests.conftest import login_with_second_factor

    from integritas.accounts.constants import AssignmentStatus, Role
    from integritas.accounts.models import RoleAssignment
    from integritas.core.keyset import Cursor
    from integritas.demo.scale.registers import counterparty_rows, registrations_bulk
    from integritas.registers import services, signalling
    from integritas.registers.constants import Kind
    from integritas.registers.models import ConflictSignal, Registration

    setup_test_environment()
    if connection.vendor == "postgresql":
        from integritas.audit.maintenance import truncate_guard_off, truncate_guard_on

        call_command("migrate", verbosity=0)
        truncate_guard_off()
        call_command("flush", interactive=False, verbosity=0)
        truncate_guard_on()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    officer = (
        RoleAssignment.objects.filter(
            role=Role.INTEGRITY_OFFICER,
            status=AssignmentStatus.ACTIVE,
            organisation__isnull=False,
        )
        .select_related("user", "organisation")
        .order_by("organisation__slug")
        .first()
    )
    assert officer is not None, "the demo has no integrity officer"
    organisation = officer.organisation
    assert organisation is not None
    started = time.perf_counter()
    generate(args.employees, args.employees, organisation.pk)
    registrations_bulk([organisation.pk], seed=2026, per_employee=args.per_employee)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    entries = Registration.objects.filter(organisation=organisation).count()
    print(
        f"{entries} register entries in {organisation.slug} "
        f"(generated in {time.perf_counter() - started:.1f}s)"
    )
    rows = counterparty_rows(args.rows, seed=2026)

    def timed_import(label: str) -> float:
        begin = time.perf_counter()
        result = services.counterparty_list_replace(organisation_id=organisation.pk, rows=rows)
        seconds = time.perf_counter() - begin
        print(
            f"{label}: {len(rows)} lines against {entries} entries in {seconds:.2f}s "
            f"({result.raised} signals raised, {result.kept} kept, {result.removed} removed)"
        )
        return seconds

    seconds = [timed_import("import"), timed_import("re-import")]
    one = (
        Registration.objects.filter(organisation=organisation, kind=Kind.SIDE_ACTIVITY)
        .order_by("-pk")
        .first()
    )
    assert one is not None
    begin = time.perf_counter()
    for _ in range(20):
        signalling.recompute_registration(one)
    single_ms = (time.perf_counter() - begin) / 20 * 1000
    print(f"recompute of one registration: {single_ms:.1f} ms")
    signals = ConflictSignal.objects.filter(organisation=organisation)
    total = signals.count()
    print(f"{total} signals in {organisation.slug}")

    ordered = signals.order_by("-created_at", "-pk")
    deep_row = ordered[max(0, min(DEEP_PAGE * PAGE_SIZE, total) - 1)]
    deep = Cursor.of(deep_row, "created_at").encode()
    url = reverse("registers:signals")
    signal_pages = {
        "signals": url,
        "signals, open": f"{url}?{urlencode({'weging': 'open'})}",
        "signals, tender gifts": f"{url}?{urlencode({'soort': 'tender_gift'})}",
        f"signals, page {DEEP_PAGE + 1}": f"{url}?{urlencode({'ouder': deep})}",
    }
    pages = {"trivial view": reverse("trivial"), **signal_pages}
    client = login_with_second_factor(Client(), officer.user)
    results = measure(client, pages, args.requests)
    queries: dict[str, int] = {}
    request_mb: dict[str, float] = {}
    for label, page_url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(page_url)
        queries[label] = len(captured.captured_queries)
        request_mb[label] = request_peak_mb(client, page_url)

    baseline = results["trivial view"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}; {args.requests} requests per page")
    print(f"{'page':40} {'median ms':>10} {'ratio':>7} {'queries':>8} {'request MB':>11}")
    failed = any(value >= LIMIT_SECONDS for value in seconds)
    for label, median in results.items():
        ratio = median / baseline
        print(
            f"{label:40} {median * 1000:10.2f} {ratio:7.2f} {queries[label]:8d}"
            f" {request_mb[label]:11.2f}"
        )
        failed |= ratio > LIMIT_RATIO
    if len({queries[label] for label in signal_pages}) != 1:
        print("query count not constant: " + ", ".join(f"{p} {queries[p]}" for p in signal_pages))
        failed = True
    failed |= daily_and_financial(organisation, rows, args.interests)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak_mb:.0f} MB")
    failed |= peak_mb > LIMIT_MB
    print("RESULT:", "over a limit" if failed else "within limits")
    return 1 if failed else 0


def daily_and_financial(organisation, rows, interests: int) -> bool:
    """The daily run, first and next day, and the matching of financial interests on
    their blind indexes; True when a run takes LIMIT_SECONDS or more."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from integritas.registers import signalling, vault
    from integritas.registers.constants import InterestKind, Kind, Route
    from integritas.registers.models import FinancialInterest, Registration

    today = timezone.localdate()
    failed = False
    for label, day in (
        ("daily run, first", today),
        ("daily run, next day", today + datetime.timedelta(days=1)),
    ):
        begin = time.perf_counter()
        result = signalling.refresh_signals(today=day)
        seconds = time.perf_counter() - begin
        print(
            f"{label}: {result.registrations} side activities matched again in {seconds:.2f}s "
            f"({result.raised} raised, {result.removed} removed)"
        )
        failed |= seconds >= LIMIT_SECONDS
    employees = list(
        Registration.objects.filter(organisation=organisation)
        .values_list("employee_id", flat=True)
        .distinct()[:interests]
    )
    begin = time.perf_counter()
    with transaction.atomic():
        for number, employee_id in enumerate(employees):
            party = rows[number % len(rows)] if number % 10 == 0 else None  # a tenth on the list
            registration = Registration.objects.create(
                organisation=organisation,
                employee_id=employee_id,
                kind=Kind.FINANCIAL_INTEREST,
                route=Route.INTEGRITY_OFFICER,
            )
            interest = FinancialInterest(
                registration=registration, interest_kind=InterestKind.HOLDING
            )
            vault.seal_details(
                interest,
                {
                    "company": party.name if party else f"Fonds {number}",
                    "kvk_number": party.kvk_number if party else "",
                    "description": "Aandelen",
                },
            )
            interest.save()
    print(f"{len(employees)} financial interests sealed in {time.perf_counter() - begin:.1f}s")
    begin = time.perf_counter()
    with transaction.atomic():
        result = signalling.recompute_organisation(organisation.pk)
    seconds = time.perf_counter() - begin
    print(
        f"recompute of the organisation with them: {seconds:.2f}s "
        f"({result.raised} raised, {result.kept} kept)"
    )
    failed |= seconds >= LIMIT_SECONDS
    one = Registration.objects.filter(kind=Kind.FINANCIAL_INTEREST).order_by("-pk").first()
    assert one is not None
    begin = time.perf_counter()
    for _ in range(10):
        signalling.recompute_registration(one)
    print(
        "recompute of one financial interest (the whole list, blind): "
        f"{(time.perf_counter() - begin) / 10 * 1000:.1f} ms"
    )
    return failed


if __name__ == "__main__":
    sys.exit(main())

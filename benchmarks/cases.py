"""Meldpunt at scale: 50,000 cases over five organisations.

Seeds the demo, generates cases directly with seed_scale's case writer
(`integritas.demo.scale.cases`: encrypted like real ones; receipt hashes are the cheap
variant because these cases are never opened by receipt), then measures the
coordinator inbox and the case pages against the trivial view in the same run, asserts a
constant number of queries, and reports the memory a request of each page takes at its
peak and the process's peak memory.

    .venv/bin/python benchmarks/cases.py [--cases 50000] [--database-url URL]
"""

import argparse
import datetime
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

LIMIT_RATIO = 3.0  # every page, the case in progress too
LIMIT_MEMORY_MB = 400


def generate(count: int) -> None:
    """`count` cases over the demo organisations, written as seed_scale writes them."""
    from django.db.models import Max
    from django.utils import timezone

    from integritas.cases.models import Case
    from integritas.demo.scale.cases import description, new_case, status_for_age, write_cases
    from integritas.organisations.models import Organisation

    rng = random.Random(7)
    organisations = list(Organisation.objects.order_by("slug"))
    now = timezone.now()
    taken = dict(
        Case.objects.filter(year=now.year)
        .values_list("organisation")
        .annotate(last=Max("sequence"))
        .values_list("organisation", "last")
    )
    sequences = {org.pk: taken.get(org.pk, 0) for org in organisations}
    batch: list[Case] = []
    for i in range(count):
        org = organisations[i % len(organisations)]
        sequences[org.pk] += 1
        received = now - datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        batch.append(
            new_case(
                organisation=org,
                year=now.year,
                sequence=sequences[org.pk],
                received_at=received,
                status=status_for_age(rng, (now - received).days),
                rng=rng,
                now=now,
                text=description(rng, i),
            )
        )
        if len(batch) >= 2000:
            write_cases(batch, rng)
            batch.clear()
    if batch:
        write_cases(batch, rng)


def measure(client, pages: dict[str, str], n: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Median seconds per page. The pages take turns, request by request, so a machine
    that speeds up or slows down during the run affects every page alike and the
    ratios to the trivial view stay fair."""
    for url in pages.values():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
    timings: dict[str, list[float]] = {label: [] for label in pages}
    for _ in range(n):
        for label, url in pages.items():
            start = time.perf_counter()
            client.get(url)
            timings[label].append(time.perf_counter() - start)
    return {label: statistics.median(values) for label, values in timings.items()}


def request_peak_mb(client: Any, url: str) -> float:
    """The most memory one request of `url` holds at a time (Python allocations)."""
    tracemalloc.start()
    try:
        client.get(url)
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def enrich(case_number: str, coordinator: object) -> str:
    """Give one case what a case in progress holds: messages, notes, files, people.

    The case page must read it with the same number of queries as a bare case."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from integritas.accounts.constants import Role
    from integritas.accounts.models import User
    from integritas.cases import services
    from integritas.cases.attachments.storage import attachment_store
    from integritas.cases.constants import Status
    from integritas.cases.models import Case

    case = Case.objects.get(case_number=case_number)
    Case.objects.filter(pk=case.pk).update(status=Status.RECEIVED, acknowledged_at=None)
    case.refresh_from_db()
    case = services.case_transition(actor=coordinator, case=case, name="acknowledge")
    for i in range(5):
        message = services.case_message_to_reporter(
            actor=coordinator, case=case, body=f"Vraag {i} aan de melder."
        )
        services.case_reporter_reply(case=case, body=f"Antwoord {i} van de melder.")
        services.case_add_note(actor=coordinator, case=case, body=f"Notitie {i}.")
        attachment_store(
            case=case,
            upload=SimpleUploadedFile(f"bijlage-{i}.txt", f"Bijlage {i}".encode()),
            message=message,
        )
    services.case_record_referral(
        actor=coordinator,
        case=case,
        body="huis",
        referred_on=datetime.date(2026, 3, 1),
        notes="Advies gevraagd.",
    )
    investigator = User.objects.filter(
        assignments__role=Role.INVESTIGATOR, assignments__organisation=case.organisation
    ).first()
    if investigator is not None:
        services.case_assign_investigator(actor=coordinator, case=case, user=investigator)
    return case.case_number


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="integritas-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{Path(tmp) / 'cases.sqlite3'}"
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
    from integritas.cases.models import Case

    setup_test_environment()
    if connection.vendor == "postgresql":
        from integritas.audit.maintenance import truncate_guard_off, truncate_guard_on

        truncate_guard_off()  # a throwaway database: flush may TRUNCATE the audit log
        call_command("flush", interactive=False, verbosity=0)
        truncate_guard_on()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    started = time.perf_counter()
    if Case.objects.count() < args.cases:
        generate(args.cases - Case.objects.count())
    print(f"generated {Case.objects.count()} cases in {time.perf_counter() - started:.1f}s")
    coordinator = User.objects.get(email="coordinator@demo.integritas.example")
    client = login_with_second_factor(Client(), coordinator)
    numbers = Case.objects.order_by("-received_at").values_list("case_number", flat=True)
    case_number, busy_number = numbers[100], enrich(numbers[200], coordinator)
    pages = {
        "trivial view": reverse("trivial"),
        "coordinator inbox": reverse("cases:inbox"),
        "coordinator inbox, page 20": reverse("cases:inbox") + "?pagina=20",
        "case page": reverse("cases:case_detail", args=[case_number]),
        "case page, case in progress": reverse("cases:case_detail", args=[busy_number]),
        "case page, reporter tab": reverse("cases:reporter", args=[case_number]),
    }
    # Pages that must read the same number of queries, whatever their data holds.
    constant = [
        ("coordinator inbox", "coordinator inbox, page 20"),
        ("case page", "case page, case in progress"),
    ]
    results = measure(client, pages, args.requests)
    queries = {}
    for label, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[label] = len(captured.captured_queries)
    request_mb = {label: request_peak_mb(client, url) for label, url in pages.items()}
    baseline = results["trivial view"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}; {args.requests} requests per page")
    print(f"{'page':30} {'median ms':>10} {'ratio':>7} {'queries':>8} {'request MB':>11}")
    failed = False
    for label, median in results.items():
        ratio = median / baseline
        print(
            f"{label:30} {median * 1000:10.2f} {ratio:7.2f} {queries[label]:8d}"
            f" {request_mb[label]:11.2f}"
        )
        failed |= ratio > LIMIT_RATIO
    for first, second in constant:
        if queries[first] != queries[second]:
            print(f"query count not constant: {first} {queries[first]}, {second} {queries[second]}")
            failed = True
    print(f"peak memory of the process: {peak_mb:.0f} MB (limit {LIMIT_MEMORY_MB} MB)")
    failed |= peak_mb > LIMIT_MEMORY_MB
    print("RESULT:", "over a limit" if failed else "within limits")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The central counsellor's figures over 100,000 consultation entries, against the trivial view.

Seeds the demo, measures (demo size), then writes `--entries` log entries (100,000 by
default) across the region's organisations in bulk, sealed as the app seals them (the
scale phase's entries_bulk; the demo's vertrouwenspersoon is made counsellor of every
organisation of the region in this throwaway database, so every organisation has a
writer), and measures again: the central counsellor's figures of this year and of last
year, their home page, and the counsellor's own log and home page. Exits non-zero when a
page is over 3x the trivial view, when a page's number of queries grows with the
entries, or when the process's peak memory passes 400 MB.

    .venv/bin/python benchmarks/counsel.py [--entries 100000] [--requests 30]
                                           [--organisations 350] [--database-url URL]

`--organisations N` first adds organisations to the demo's region until it has N (a
national region: the figures' suppression then spans N organisations), and prints how
long the first request of the figures took (the suppression searched; later requests
find it kept).
"""

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cases import request_peak_mb
from benchmarks.employees import prepare_database

LIMIT_RATIO = 3.0
LIMIT_MEMORY_MB = 400
DEMO = "demo.integritas.example"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--organisations", type=int, default=0)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="integritas-bench-")
    prepare_database(args.database_url or f"sqlite:///{Path(tmp) / 'counsel.sqlite3'}")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone
    from tests.conftest import login_with_second_factor

    from integritas.accounts.constants import AssignmentStatus, Role
    from integritas.accounts.models import RoleAssignment, User
    from integritas.counsel.models import ConsultationCount, ConsultationEntry
    from integritas.demo.scale import plan
    from integritas.demo.scale.counsel_log import entries_bulk
    from integritas.organisations.models import Organisation

    setup_test_environment()
    if connection.vendor == "postgresql":
        from integritas.audit.maintenance import truncate_guard_off, truncate_guard_on

        truncate_guard_off()  # a throwaway database: flush may TRUNCATE the audit log
        call_command("flush", interactive=False, verbosity=0)
        truncate_guard_on()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--no-reports", verbosity=0)

    central = User.objects.get(email=f"centrale-vertrouwenspersoon@{DEMO}")
    counsellor = User.objects.get(email=f"vertrouwenspersoon@{DEMO}")
    admin = User.objects.get(email=f"beheerder@{DEMO}")
    region = RoleAssignment.objects.get(user=central, role=Role.CENTRAL_COUNSELLOR).region
    have = Organisation.objects.filter(region=region).count()
    Organisation.objects.bulk_create(
        [
            Organisation(
                region=region,
                slug=f"bench-{plan.organisation_slug(index)}",
                name=plan.organisation_name(index)[1],
                kind=plan.organisation_name(index)[0],
                case_prefix=f"B{index:04d}",
                worker_count=100,
            )
            for index in range(max(0, args.organisations - have))
        ],
        batch_size=500,
    )
    organisations = list(Organisation.objects.filter(region=region).order_by("pk"))
    for org in organisations:
        RoleAssignment.objects.get_or_create(
            user=counsellor,
            role=Role.CONFIDENTIAL_COUNSELLOR,
            organisation=org,
            defaults={"status": AssignmentStatus.ACTIVE},
        )
    clients = {
        "central": login_with_second_factor(Client(), central),
        "counsellor": login_with_second_factor(Client(), counsellor),
        "admin": login_with_second_factor(Client(), admin),
    }
    year = timezone.localdate().year
    figures = reverse("counsel_log:figures")
    pages = {
        "trivial view": ("admin", reverse("trivial")),
        "figures, this year": ("central", figures),
        "figures, last year": ("central", f"{figures}?jaar={year - 1}"),
        "home, central counsellor": ("central", reverse("home")),
        "own log, counsellor": ("counsellor", reverse("counsel_log:entry_list")),
        "home, counsellor": ("counsellor", reverse("home")),
    }

    sql: dict[str, list[list[str]]] = {label: [] for label in pages}

    def phase(name: str) -> tuple[dict[str, float], dict[str, int], dict[str, float]]:
        ratios: dict[str, float] = {}
        for who, url in pages.values():  # warm up
            for _ in range(3):
                assert clients[who].get(url).status_code == 200, url
        # Take turns page by page, request by request (as benchmarks/cases.py's measure).
        timings: dict[str, list[float]] = {label: [] for label in pages}
        for _ in range(args.requests):
            for label, (who, url) in pages.items():
                start = time.perf_counter()
                clients[who].get(url)
                timings[label].append(time.perf_counter() - start)
        medians = {label: statistics.median(values) for label, values in timings.items()}
        queries: dict[str, int] = {}
        memory: dict[str, float] = {}
        for label, (who, url) in pages.items():
            with CaptureQueriesContext(connection) as captured:
                assert clients[who].get(url).status_code == 200, label
            queries[label] = len(captured.captured_queries)
            sql[label].append([q["sql"][:120] for q in captured.captured_queries])
            memory[label] = request_peak_mb(clients[who], url)
        baseline = medians["trivial view"]
        print(f"\n{name}")
        print(f"{'page':28} {'median ms':>10} {'ratio':>7} {'queries':>8} {'peak MB':>8}")
        for label, median in medians.items():
            ratios[label] = median / baseline
            print(
                f"{label:28} {median * 1000:10.2f} {ratios[label]:7.2f} "
                f"{queries[label]:8d} {memory[label]:8.1f}"
            )
        return ratios, queries, memory

    small = phase(f"demo size: {ConsultationEntry.objects.count()} entries")
    started = time.perf_counter()
    # entries_bulk skips an organisation that has entries, and every demo organisation has
    # its own counsellor's: this throwaway database drops the demo's entries (and their
    # counts) so that every organisation shares the entries asked for.
    ConsultationEntry.objects.all().delete()
    ConsultationCount.objects.all().delete()
    empty = [org for org in organisations if not ConsultationEntry.objects.filter(organisation=org)]
    shares = plan.proportional(args.entries, [1.0] * len(empty))
    written = entries_bulk(
        {org.pk: [counsellor.pk] for org in empty},
        {org.pk: share for org, share in zip(empty, shares, strict=True)},
        years=3,
        seed=2026,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = ConsultationEntry.objects.count()
    print(f"\nwrote {written} entries in {time.perf_counter() - started:.1f}s ({total} in all)")
    started = time.perf_counter()
    assert clients["central"].get(figures).status_code == 200
    print(
        f"first request of the figures, {len(organisations)} organisations: "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    large = phase(f"at scale: {total} entries; database: {connection.vendor}")
    failed = written != args.entries
    if failed:
        print(f"wrote {written} entries, not the {args.entries} asked for")
    for label in pages:
        for ratios in (small[0], large[0]):
            if ratios[label] > LIMIT_RATIO:
                print(f"over {LIMIT_RATIO}x the trivial view: {label} ({ratios[label]:.2f})")
                failed = True
        if large[1][label] > small[1][label]:
            print(f"query count grows: {label} {small[1][label]} -> {large[1][label]}")
            for statement in sql[label][1]:
                print("   ", "*" if statement not in sql[label][0] else " ", statement)
            failed = True
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak_mb:.0f} MB (limit {LIMIT_MEMORY_MB} MB)")
    failed |= peak_mb > LIMIT_MEMORY_MB
    print("RESULT:", "over a limit" if failed else "within limits")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

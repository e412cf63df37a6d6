"""Registers at scale: HRM's register, the manager's queue, the public register and an
employee's dossier against the trivial view.

Seeds the demo, generates employees (benchmarks/employees.py's generator, `--in-organisation`
of them in HRM's organisation) and ~5 registrations each in bulk (the scale phase's
registrations_bulk: 200,000 employees give 1,000,000 entries), then measures, in the same
run as the trivial view: the register of one organisation (first page, a filter, a keyset
page deep into it), the manager's decision queue, the public register of the organisation
and the home page "Mijn integriteit" with the registrations section. Exits non-zero when a
page is over 3x the trivial view, when the register pages differ in their number of
queries, or when the process peaks over 400 MB.

    .venv/bin/python benchmarks/registers.py [--employees 200000] [--in-organisation 40000]
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

LIMIT_RATIO = 3.0
LIMIT_MB = 400
DEEP_PAGE = 100
PAGE_SIZE = 50


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--employees", type=int, default=200_000)
    parser.add_argument("--in-organisation", type=int, default=40_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="integritas-bench-")
    prepare_database(args.database_url or f"sqlite:///{Path(tmp) / 'registers.sqlite3'}")

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
    from integritas.demo.scale.registers import registrations_bulk
    from integritas.organisations.models import Employee, Organisation
    from integritas.registers.constants import Status
    from integritas.registers.models import Registration

    setup_test_environment()
    if connection.vendor == "postgresql":
        from integritas.audit.maintenance import truncate_guard_off, truncate_guard_on

        call_command("migrate", verbosity=0)
        truncate_guard_off()
        call_command("flush", interactive=False, verbosity=0)
        truncate_guard_on()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    hrm = (
        RoleAssignment.objects.filter(
            role=Role.HRM, status=AssignmentStatus.ACTIVE, organisation__isnull=False
        )
        .select_related("user", "organisation")
        .order_by("organisation__slug")
        .first()
    )
    assert hrm is not None, "the demo has no HRM"
    organisation = hrm.organisation
    assert organisation is not None
    started = time.perf_counter()
    generate(args.employees, args.in_organisation, organisation.pk)
    registrations_bulk(list(Organisation.objects.values_list("pk", flat=True)), seed=2026)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    in_org = Registration.objects.filter(organisation=organisation)
    print(
        f"{Registration.objects.count()} registrations, {in_org.count()} in "
        f"{organisation.slug} (generated in {time.perf_counter() - started:.1f}s)"
    )
    ordered = in_org.order_by("-created_at", "-pk")
    deep_row = ordered[min(DEEP_PAGE * PAGE_SIZE, in_org.count()) - 1]
    deep = Cursor.of(deep_row, "created_at").encode()
    url = reverse("registers:register")
    register_pages = {
        "register": url,
        "register, gifts": f"{url}?{urlencode({'soort': 'gift'})}",
        "register, pending": f"{url}?{urlencode({'status': Status.PENDING})}",
        f"register, page {DEEP_PAGE + 1}": f"{url}?{urlencode({'ouder': deep})}",
    }
    pages = {"trivial view": reverse("trivial"), **register_pages}
    hrm_client = login_with_second_factor(Client(), hrm.user)
    results = measure(hrm_client, pages, args.requests)
    queries: dict[str, int] = {}
    request_mb: dict[str, float] = {}

    def count(client: Client, page_url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(page_url)
        return len(captured.captured_queries)

    for label, page_url in pages.items():
        queries[label] = count(hrm_client, page_url)
        request_mb[label] = request_peak_mb(hrm_client, page_url)

    # The generated people have no manager: their registrations go to the burgemeester,
    # whose queue is the longest of the organisation.
    mayor = RoleAssignment.objects.get(
        role=Role.MAYOR, status=AssignmentStatus.ACTIVE, organisation=organisation
    ).user
    manager_client = login_with_second_factor(Client(), mayor)
    employee = (
        Employee.objects.filter(
            organisation=organisation, user__isnull=False, registrations__isnull=False
        )
        .select_related("user")
        .first()
    )
    assert employee is not None
    own = login_with_second_factor(Client(), employee.user)
    # The trivial view needs a login; the public register is measured from a session too.
    anonymous = hrm_client
    others = {
        "decision queue": (manager_client, reverse("registers:queue")),
        "public register": (
            anonymous,
            reverse("public_register:organisation", args=[organisation.slug]),
        ),
        "dossier (home)": (own, reverse("home")),
    }
    for label, (client, page_url) in others.items():
        base = measure(client, {"trivial": reverse("trivial"), label: page_url}, args.requests)
        results[label] = base[label] / base["trivial"] * results["trivial view"]
        queries[label] = count(client, page_url)
        request_mb[label] = request_peak_mb(client, page_url)
    baseline = results["trivial view"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}; {args.requests} requests per page")
    print(f"{'page':40} {'median ms':>10} {'ratio':>7} {'queries':>8} {'request MB':>11}")
    failed = False
    for label, median in results.items():
        ratio = median / baseline
        print(
            f"{label:40} {median * 1000:10.2f} {ratio:7.2f} {queries[label]:8d}"
            f" {request_mb[label]:11.2f}"
        )
        failed |= ratio > LIMIT_RATIO
    if len({queries[label] for label in register_pages}) != 1:
        print("query count not constant: " + ", ".join(f"{p} {queries[p]}" for p in register_pages))
        failed = True
    print(f"peak memory of the process: {peak_mb:.0f} MB")
    failed |= peak_mb > LIMIT_MB
    print("RESULT:", "over a limit" if failed else "within limits")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

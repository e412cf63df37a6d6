"""Duties at scale: HRM's overdue list and an employee's dossier against the trivial view.

Seeds the demo, generates employees (benchmarks/employees.py's generator, `--in-organisation`
of them in HRM's organisation) and their duties in every state in bulk (the scale phase's
duties_bulk), then measures, in the same run as the trivial view: HRM's duty list, the
overdue list (first page and a keyset page deep into it), a filtered list, and the home
page "Mijn integriteit" of an employee with duties (the dossier section). Exits non-zero
when a page is over 3x the trivial view or when the list pages differ in their number of
queries.

    .venv/bin/python benchmarks/obligations.py [--employees 200000] [--in-organisation 40000]
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
from benchmarks.employees import NUMBER_BASE, generate, prepare_database

LIMIT_RATIO = 3.0
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
    prepare_database(args.database_url or f"sqlite:///{Path(tmp) / 'obligations.sqlite3'}")

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
    from integritas.demo.scale.obligations import duties_bulk
    from integritas.obligations.models import Duty
    from integritas.obligations.selectors import duties_filter
    from integritas.organisations.models import Employee, Organisation

    setup_test_environment()
    if connection.vendor == "postgresql":
        from integritas.audit.maintenance import truncate_guard_off, truncate_guard_on

        call_command("migrate", verbosity=0)
        truncate_guard_off()  # a throwaway database: flush may TRUNCATE the audit log
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
    if Employee.objects.filter(personnel_number__gte=str(NUMBER_BASE)).count() < args.employees:
        generate(args.employees, args.in_organisation, organisation.pk)
    duties_bulk(list(Organisation.objects.values_list("pk", flat=True)), seed=2026)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    in_org = Duty.objects.filter(organisation=organisation)
    overdue = duties_filter(in_org, state="overdue")
    print(
        f"{Duty.objects.count()} duties, {in_org.count()} in {organisation.slug}, "
        f"{overdue.count()} overdue there (generated in {time.perf_counter() - started:.1f}s)"
    )
    employee = (
        Employee.objects.filter(organisation=organisation, user__isnull=False, duties__isnull=False)
        .select_related("user")
        .first()
    )
    assert employee is not None, "no employee with an account and duties"
    url = reverse("obligations:duty_list")
    # The keyset page DEEP_PAGE pages into the overdue list, or its last page when shorter.
    overdue_pks = list(
        overdue.order_by("due_date", "pk").values_list("pk", flat=True)[: DEEP_PAGE * PAGE_SIZE]
    )
    assert overdue_pks, "no overdue duties"
    deep = overdue_pks[-1]
    deep_label = f"duty list, overdue, page {len(overdue_pks) // PAGE_SIZE + 1}"
    pages = {
        "trivial view": reverse("trivial"),
        "duty list": url,
        "duty list, overdue": f"{url}?{urlencode({'status': 'overdue'})}",
        deep_label: f"{url}?{urlencode({'status': 'overdue', 'na': deep})}",
        "duty list, overdue VOG": f"{url}?{urlencode({'status': 'overdue', 'kind': 'vog'})}",
        "duty list, due soon": f"{url}?{urlencode({'status': 'due_soon'})}",
    }
    hrm_client = login_with_second_factor(Client(), hrm.user)
    results = measure(hrm_client, pages, args.requests)
    queries = {}
    for label, page_url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            hrm_client.get(page_url)
        queries[label] = len(captured.captured_queries)
    request_mb = {label: request_peak_mb(hrm_client, u) for label, u in pages.items()}
    own = login_with_second_factor(Client(), employee.user)
    dossier_pages = {
        "trivial view (employee)": reverse("trivial"),
        "dossier (home)": reverse("home"),
    }
    results.update(measure(own, dossier_pages, args.requests))
    for label, page_url in dossier_pages.items():
        with CaptureQueriesContext(connection) as captured:
            own.get(page_url)
        queries[label] = len(captured.captured_queries)
        request_mb[label] = request_peak_mb(own, page_url)
    baseline = results["trivial view"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}; {args.requests} requests per page")
    print(f"{'page':40} {'median ms':>10} {'ratio':>7} {'queries':>8} {'request MB':>11}")
    failed = False
    for label, median in results.items():
        base = results["trivial view (employee)"] if label == "dossier (home)" else baseline
        ratio = median / base
        print(
            f"{label:40} {median * 1000:10.2f} {ratio:7.2f} {queries[label]:8d}"
            f" {request_mb[label]:11.2f}"
        )
        failed |= ratio > LIMIT_RATIO
    labels = [label for label in pages if label.startswith("duty list")]
    if len({queries[label] for label in labels}) != 1:
        print("query count not constant: " + ", ".join(f"{p} {queries[p]}" for p in labels))
        failed = True
    print(f"peak memory of the process: {peak_mb:.0f} MB")
    print("RESULT:", "over a limit" if failed else "within limits")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

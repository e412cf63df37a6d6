"""The HRM employee list at scale: 200,000 employees, 40,000 of them in HRM's organisation.

Seeds the demo, generates employees with bulk_create (realistic Dutch names, a few former
employees, units and functions of their organisation), then measures HRM's list (first
page and a keyset page 500 deep), a name search and personnel number searches against the
trivial view in the same run. Exits non-zero when a page is over 3x the trivial view or
when the list pages differ in their number of queries.

    .venv/bin/python benchmarks/employees.py [--employees 200000] [--in-organisation 40000]
                                             [--database-url URL]
"""

import argparse
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cases import measure, request_peak_mb

LIMIT_RATIO = 3.0
PAGE_SIZE = 50
DEEP_PAGE = 500
BATCH = 5000
NUMBER_BASE = 90_000_000  # far above the demo's personnel numbers (100001 …)

FIRST_NAMES = (
    "Anna",
    "Bram",
    "Daan",
    "Emma",
    "Eva",
    "Fatima",
    "Finn",
    "Hüseyin",
    "Ilse",
    "Jan",
    "Julia",
    "Kees",
    "Lars",
    "Levi",
    "Lotte",
    "Lucas",
    "Marieke",
    "Mila",
    "Mohammed",
    "Noah",
    "Noor",
    "Olga",
    "Pieter",
    "Rik",
    "Sanne",
    "Sem",
    "Sophie",
    "Tess",
    "Thijs",
    "Yusuf",
    "Zoë",
)
LAST_NAMES = (
    "Jong",
    "Jansen",
    "Vries",
    "Berg",
    "Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "Boer",
    "Mulder",
    "Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Leeuwen",
    "Dekker",
    "Brouwer",
    "Wit",
    "Dijkstra",
    "Smits",
    "Graaf",
    "Linden",
    "Kok",
    "Jacobs",
    "Haan",
    "Vermeulen",
    "Heuvel",
    "Veen",
    "Broek",
    "Bruijn",
    "Schouten",
    "Beek",
    "Willems",
    "Hoekstra",
    "Koster",
    "Prins",
    "Maas",
    "Öztürk",
    "Yilmaz",
    "Amrani",
    "Bouzid",
    "Kaya",
    "Nguyen",
    "Santos",
    "Kowalski",
    "Steenbergen",
    "Bergsma",
)
#: One generated employee in this many holds a designated function (a director).
DESIGNATED_EVERY = 20_000
PARTICLES = ("", "", "", "de ", "van ", "van den ", "van der ", "El ")


def generate(total: int, in_organisation: int, organisation_pk: int) -> None:
    """`total` employees, `in_organisation` of them in HRM's organisation, the rest spread
    over the other organisations; each with a unit and function of its organisation."""
    from django.utils import timezone

    from integritas.organisations.constants import EmploymentType
    from integritas.organisations.models import Employee, Function, Organisation, OrgUnit

    rng = random.Random(9)
    organisations = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    others = [pk for pk in organisations if pk != organisation_pk] or [organisation_pk]
    units = {
        pk: list(OrgUnit.objects.filter(organisation_id=pk).values_list("pk", flat=True))
        for pk in organisations
    }
    # A municipality designates few functions for the publication of side activities
    # (the gemeentesecretaris, the directors) and has few holders of them: the generated
    # people get the other functions, and one in DESIGNATED_EVERY a designated one.
    functions: dict[int, list[int]] = {pk: [] for pk in organisations}
    designated: dict[int, list[int]] = {pk: [] for pk in organisations}
    for org, function, is_designated in Function.objects.order_by("pk").values_list(
        "organisation_id", "pk", "designated_side_activity_publication"
    ):
        (designated if is_designated else functions)[org].append(function)
    types = list(EmploymentType)
    today = timezone.localdate()
    batch: list[Employee] = []
    for i in range(total):
        org = organisation_pk if i < in_organisation else others[i % len(others)]
        start = today - datetime.timedelta(days=rng.randrange(30, 30 * 365))
        former = rng.random() < 0.03
        batch.append(
            Employee(
                organisation_id=org,
                personnel_number=str(NUMBER_BASE + i),
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(PARTICLES)
                + rng.choice(LAST_NAMES)
                + (f"-{rng.choice(LAST_NAMES)}" if rng.random() < 0.1 else ""),
                employment_type=rng.choice(types),
                start_date=start,
                end_date=today - datetime.timedelta(days=rng.randrange(1, 365))
                if former and start < today - datetime.timedelta(days=400)
                else None,
                org_unit_id=rng.choice(units[org]) if units[org] else None,
                function_id=rng.choice(designated[org])
                if i % DESIGNATED_EVERY == 0 and designated[org]
                else rng.choice(functions[org])
                if functions[org]
                else None,
            )
        )
        if len(batch) >= BATCH:
            Employee.objects.bulk_create(batch)
            batch.clear()
    if batch:
        Employee.objects.bulk_create(batch)


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
    prepare_database(args.database_url or f"sqlite:///{Path(tmp) / 'employees.sqlite3'}")

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
    from integritas.organisations.models import Employee

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
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE organisations_employee")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    print(
        f"{Employee.objects.count()} employees, "
        f"{Employee.objects.filter(organisation=organisation).count()} in {organisation.slug} "
        f"(generated in {time.perf_counter() - started:.1f}s)"
    )
    client = login_with_second_factor(Client(), hrm.user)
    url = reverse("organisations:employee_list")
    deep = (
        Employee.objects.filter(organisation=organisation)
        .current()
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", flat=True)[DEEP_PAGE * PAGE_SIZE - 1]
    )
    number = str(NUMBER_BASE + args.in_organisation // 2)
    pages = {
        "trivial view": reverse("trivial"),
        "employee list": url,
        f"employee list, page {DEEP_PAGE + 1}": f"{url}?{urlencode({'na': deep})}",
        f"employee list, before page {DEEP_PAGE + 1}": f"{url}?{urlencode({'voor': deep})}",
        "search name (berg)": f"{url}?{urlencode({'q': 'berg'})}",
        "search name, two words": f"{url}?{urlencode({'q': 'sanne van den'})}",
        "search name, no hits": f"{url}?{urlencode({'q': 'xqz'})}",
        "search number (exact)": f"{url}?{urlencode({'q': number})}",
        "search number (prefix)": f"{url}?{urlencode({'q': number[:5]})}",
    }
    results = measure(client, pages, args.requests)
    queries = {}
    for label, page_url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(page_url)
        queries[label] = len(captured.captured_queries)
    request_mb = {label: request_peak_mb(client, page_url) for label, page_url in pages.items()}
    baseline = results["trivial view"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}; {args.requests} requests per page")
    print(f"{'page':32} {'median ms':>10} {'ratio':>7} {'queries':>8} {'request MB':>11}")
    failed = False
    for label, median in results.items():
        ratio = median / baseline
        print(
            f"{label:32} {median * 1000:10.2f} {ratio:7.2f} {queries[label]:8d}"
            f" {request_mb[label]:11.2f}"
        )
        failed |= ratio > LIMIT_RATIO
    # The list's pages read the page and the capped count; a search's pages only the page.
    for group in ("employee list", "search"):
        labels = [label for label in pages if label.startswith(group)]
        if len({queries[label] for label in labels}) != 1:
            print("query count not constant: " + ", ".join(f"{p} {queries[p]}" for p in labels))
            failed = True
    print(f"peak memory of the process: {peak_mb:.0f} MB")
    print("RESULT:", "over a limit" if failed else "within limits")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

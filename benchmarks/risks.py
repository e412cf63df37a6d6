"""Kwetsbare functies and awareness at national scale, against the trivial view.

Seeds the demo and measures the pages of `risks` and `awareness` for the roles that use
them (HRM, the werkgroep integriteit, a manager); then grows the demo region to
`--organisations` organisations and `--functions` assessed functions (the scale phase's
`assessments_bulk`), gives every organisation its trainings and attendance
(`awareness_bulk`), and measures again in the same run. Exits non-zero when a page is
over 3x the trivial view, when a page runs more queries at scale than at demo size, or
when the process's peak memory passes 400 MB.

    .venv/bin/python benchmarks/risks.py [--organisations 350] [--functions 30000]
                                         [--requests 20] [--database-url URL]
"""

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cases import measure, request_peak_mb
from benchmarks.employees import prepare_database

LIMIT_RATIO = 3.0
LIMIT_MB = 400


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organisations", type=int, default=350)
    parser.add_argument("--functions", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="integritas-bench-")
    prepare_database(args.database_url or f"sqlite:///{Path(tmp) / 'risks.sqlite3'}")

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
    from integritas.awareness.models import Activity, Dilemma
    from integritas.demo.scale.awareness import awareness_bulk
    from integritas.demo.scale.risks import assessments_bulk
    from integritas.organisations.constants import OrganisationKind
    from integritas.organisations.models import Employee, Organisation, OrgUnit
    from integritas.risks.models import RiskAssessment

    setup_test_environment()
    if connection.vendor == "postgresql":
        from integritas.audit.maintenance import truncate_guard_off, truncate_guard_on

        call_command("migrate", verbosity=0)
        truncate_guard_off()
        call_command("flush", interactive=False, verbosity=0)
        truncate_guard_on()
    call_command("migrate", verbosity=0)
    if not Dilemma.objects.exists():  # a flush removed what the data migration loaded
        import importlib

        from django.apps import apps as django_apps

        library = importlib.import_module("integritas.awareness.migrations.0002_dilemma_library")
        library.load(django_apps, None)
    call_command("seed_demo", verbosity=0)

    def holder(role: str, regional: bool = False) -> RoleAssignment:
        found = (
            RoleAssignment.objects.filter(
                role=role, status=AssignmentStatus.ACTIVE, organisation__isnull=regional
            )
            .select_related("user", "organisation")
            .order_by("organisation__slug", "pk")
            .first()
        )
        assert found is not None, role
        return found

    hrm = holder(Role.HRM)
    working_group = holder(Role.WORKING_GROUP, regional=True)
    organisation = hrm.organisation
    assert organisation is not None
    manager = Employee.objects.filter(
        pk__in=OrgUnit.managers.through.objects.filter(orgunit__organisation=organisation).values(
            "employee_id"
        ),
        user__isnull=False,
    ).first()
    assert manager is not None and manager.user is not None
    dilemma = Dilemma.objects.order_by("slug").first()
    assert dilemma is not None
    clients = {
        "hrm": login_with_second_factor(Client(), hrm.user),
        "wg": login_with_second_factor(Client(), working_group.user),
        "manager": login_with_second_factor(Client(), manager.user),
    }

    def pages() -> dict[str, tuple[str, str]]:
        activity = Activity.objects.filter(organisation=organisation).order_by("pk").first()
        assert activity is not None
        last_region = (Organisation.objects.filter(region=organisation.region).count() + 24) // 25
        largest = (
            RiskAssessment.objects.values("organisation__slug")
            .order_by()
            .annotate(n=django.db.models.Count("pk"))
            .order_by("-n")
            .values_list("organisation__slug", flat=True)
            .first()
        ) or organisation.slug
        return {
            "trivial view (HRM)": ("hrm", reverse("trivial")),
            "risks overview (HRM)": ("hrm", reverse("risks:overview")),
            "functions of the organisation": (
                "hrm",
                reverse("risks:organisation", args=[organisation.slug]),
            ),
            "heat map of the organisation": (
                "hrm",
                reverse("risks:heatmap", args=[organisation.slug]),
            ),
            "measures (HRM)": ("hrm", reverse("risks:measure_list")),
            "trainings (HRM)": ("hrm", reverse("awareness:activity_list")),
            "training with attendance": (
                "hrm",
                reverse("awareness:activity_detail", args=[activity.pk]),
            ),
            "trivial view (working group)": ("wg", reverse("trivial")),
            "regional heat map": ("wg", reverse("risks:region")),
            "regional heat map, last page": (
                "wg",
                f"{reverse('risks:region')}?pagina={last_region}",
            ),
            "heat map of the largest organisation": (
                "wg",
                reverse("risks:heatmap", args=[largest]),
            ),
            "trainings (working group)": ("wg", reverse("awareness:activity_list")),
            "trivial view (manager)": ("manager", reverse("trivial")),
            "dilemma library": ("manager", reverse("awareness:dilemma_list")),
            "dilemma with discussion form": (
                "manager",
                reverse("awareness:dilemma_detail", args=[dilemma.slug]),
            ),
            "discussed dilemmas": ("manager", reverse("awareness:discussion_list")),
        }

    def run_phase(title: str) -> tuple[dict[str, float], dict[str, int]]:
        results: dict[str, float] = {}
        queries: dict[str, int] = {}
        memory: dict[str, float] = {}
        current = pages()
        for key in clients:
            mine = {label: url for label, (who, url) in current.items() if who == key}
            results.update(measure(clients[key], mine, args.requests))
            for label, url in mine.items():
                with CaptureQueriesContext(connection) as captured:
                    clients[key].get(url)
                queries[label] = len(captured.captured_queries)
                memory[label] = request_peak_mb(clients[key], url)
        print(f"\n{title} ({connection.vendor}; {args.requests} requests per page)")
        print(f"{'page':40} {'median ms':>10} {'ratio':>7} {'queries':>8} {'request MB':>11}")
        for label, median in results.items():
            who = current[label][0]
            base = results[next(lb for lb, (w, _) in current.items() if w == who)]
            print(
                f"{label:40} {median * 1000:10.2f} {median / base:7.2f} {queries[label]:8d}"
                f" {memory[label]:11.2f}"
            )
        return results, queries

    def ratios(results: dict[str, float]) -> dict[str, float]:
        current = pages()
        out = {}
        for label, median in results.items():
            who = current[label][0]
            base = results[next(lb for lb, (w, _) in current.items() if w == who)]
            out[label] = median / base
        return out

    small, small_queries = run_phase("Demo size")
    started = time.perf_counter()
    region = organisation.region
    have = Organisation.objects.filter(region=region).count()
    Organisation.objects.bulk_create(
        [
            Organisation(
                region=region,
                slug=f"bench-risks-{n:03d}",
                name=f"Gemeente Bench {n:03d}",
                kind=OrganisationKind.MUNICIPALITY,
                case_prefix=f"R{n:03d}",
            )
            for n in range(have, args.organisations)
        ],
        ignore_conflicts=True,
    )
    organisation_ids = list(
        Organisation.objects.filter(region=region).order_by("pk").values_list("pk", flat=True)
    )
    per = max(1, args.functions // len(organisation_ids))
    owners: dict[int, list[int]] = {}
    for org_id, user_id in Employee.objects.filter(user__isnull=False).values_list(
        "organisation_id", "user_id"
    ):
        owners.setdefault(org_id, []).append(user_id)
    assessments_bulk(
        organisation_ids,
        functions_per_organisation={pk: per for pk in organisation_ids},
        owners=owners,
        seed=2026,
    )
    Activity.objects.filter(organisation_id__in=organisation_ids).delete()
    awareness_bulk(organisation_ids, seed=2026)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"\n{len(organisation_ids)} organisations, {RiskAssessment.objects.count()} assessed "
        f"functions, {Activity.objects.count()} activities "
        f"(generated in {time.perf_counter() - started:.1f}s)"
    )
    large, large_queries = run_phase("National size")
    failed = False
    for label, ratio in ratios(large).items():
        if ratio > LIMIT_RATIO:
            print(f"TOO SLOW: {label} is {ratio:.2f}x the trivial view")
            failed = True
        if large_queries[label] > small_queries[label]:
            print(
                f"MORE QUERIES: {label} runs {large_queries[label]} at scale, "
                f"{small_queries[label]} at demo size"
            )
            failed = True
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak_mb:.0f} MB")
    failed |= peak_mb > LIMIT_MB
    del small
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""One run of `seed_scale`: the checks, then the phases in order, with progress."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.demo.seed import DemoNotAllowedError, require_demo_allowed
from integritas.organisations.models import Employee, Organisation

from . import audit, cases, domains, guard, organisations, people, plan
from .plan import ScaleOptions
from .progress import Progress
from .tuning import postgresql_session

# Relative cost of one row per phase (microseconds on SQLite, this machine), so that the
# estimate of the time left covers the phases still to come.
WEIGHTS = {"people": 90.0, "cases": 250.0, "audit": 45.0}
#: Rows SQLite's ANALYZE reads of each index (a sample: the planner needs proportions).
SQLITE_ANALYSIS_LIMIT = 1000


class ScaleRefusedError(Exception):
    """The run would mix generated data with real data, or with an earlier run."""


@dataclass
class ScaleResult:
    organisations: int
    employees: int
    accounts: int
    assignments: int
    cases: int
    events: int
    seconds: float
    phases: dict[str, float]


def check(options: ScaleOptions) -> None:
    """Refuse before writing anything (DemoNotAllowedError, ScaleRefusedError, ValueError)."""
    require_demo_allowed()
    problems = options.validate()
    if problems:
        raise ValueError("; ".join(problems))
    found = guard.real_data()
    if found:
        raise ScaleRefusedError(
            _(
                "Deze database bevat gegevens die niet gegenereerd zijn (%(found)s). "
                "seed_scale vult alleen een lege database of een database met alleen de demo."
            )
            % {"found": "; ".join(found)}
        )
    if guard.generated_before():
        raise ScaleRefusedError(
            _(
                "Deze database bevat al gegevens van seed_scale. Begin opnieuw met een lege "
                "database (migrate, eventueel seed_demo) en voer seed_scale één keer uit."
            )
        )


@contextmanager
def fast_sqlite() -> Iterator[None]:
    """On SQLite, for this run only: no fsync per commit and a large page cache.

    A crash of the machine during the run may lose the last batches (the database stays
    consistent); a crash of the process loses nothing that was committed.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield  # SQLite refuses to change the safety level inside a transaction
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (synchronous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -2000000")  # 2 GB, in KiB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {int(synchronous)}")
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def seed_scale(options: ScaleOptions, *, write: Callable[[str], None] | None) -> ScaleResult:
    """Generate a national installation; refuses as `check` does."""
    check(options)
    began = time.monotonic()
    sizes = plan.organisation_sizes(options.employees, options.organisations)
    progress = Progress(write=write)
    progress.add("people", _("medewerkers"), options.employees, WEIGHTS["people"])
    progress.add("cases", _("meldingen"), options.cases_per_year * options.years, WEIGHTS["cases"])
    domain_phases = domains.phases()
    for phase in domain_phases:
        progress.add(phase.key, str(phase.label), phase.rows(options), phase.weight)
    progress.add("audit", _("auditgebeurtenissen"), options.audit_events, WEIGHTS["audit"])
    progress.start()
    # PostgreSQL: a commit need not wait for its WAL to reach the disk. A crash of the
    # machine may lose the last batches, never corrupt them; the server's fsync stays on.
    with fast_sqlite(), postgresql_session(synchronous_commit="off"):
        region = organisations.region()
        slots = organisations.organisations(region, sizes, organisations.demo_organisation())
        organisations.functions(slots)
        found = people.People()
        progress.begin("people")
        for slot in slots:
            organisations.unit_tree(slot)
            people.employees(
                slot,
                share=options.user_share,
                seed=options.seed,
                people=found,
                tick=lambda n: progress.advance("people", n),
            )
        people.role_assignments(region, slots, seed=options.seed, people=found)
        _worker_counts(slots)
        progress.finish("people")
        progress.begin("cases")
        index = cases.cases(
            slots,
            per_year=options.cases_per_year,
            years=options.years,
            seed=options.seed,
            tick=lambda n: progress.advance("cases", n),
        )
        progress.finish("cases")
        for phase in domain_phases:
            _run_phase(phase, slots, found, options, progress)
        progress.begin("audit")
        events = audit.events(
            slots,
            found,
            index,
            count=options.audit_events,
            years=options.years,
            seed=options.seed,
            tick=lambda n: progress.advance("audit", n),
        )
        progress.finish("audit")
        audit_record(action="demo.seed_scale", obj=region, origin=Origin.CLI)
    refresh_planner_statistics()
    return ScaleResult(
        organisations=sum(1 for slot in slots if not slot.existing),
        employees=found.employees,
        accounts=found.accounts,
        assignments=found.assignments,
        cases=index.count,
        events=events,
        seconds=time.monotonic() - began,
        phases={key: phase.seconds for key, phase in progress.phases.items()},
    )


def refresh_planner_statistics() -> None:
    """Statistics for the query planner after the bulk writes, as a kept database has them.

    PostgreSQL: VACUUM ANALYZE. A production database's autovacuum gathers the statistics
    and marks the pages all-visible after bulk inserts, but not at once, and a test server
    may run without it: the planner then believes the region holds one organisation and
    loops over 354 of them (the coordinator's feedback list took 260 ms instead of a few),
    and every count that an index could answer alone visits the table as well. VACUUM
    cannot run inside a transaction (the tests' seed): there the statistics only.

    SQLite: ANALYZE with `analysis_limit` (a sample of each index, well under a second for
    ten gigabytes). Without statistics SQLite prefers any index that yields the ORDER BY,
    and at national size that walked the 110,000 duties of the largest organisation in
    due-date order to find one employee's (the home page's dossier, 77 ms) or a team's
    (the manager's Verplichtingen team, 59 ms) instead of starting from the employee.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")


def _run_phase(
    phase: domains.DomainPhase,
    slots: list[organisations.Slot],
    found: people.People,
    options: ScaleOptions,
    progress: Progress,
) -> None:
    def tick(rows: int) -> None:
        progress.advance(phase.key, rows)

    progress.begin(phase.key)
    phase.run(slots, found, options, tick)
    progress.finish(phase.key)


def _worker_counts(slots: list[organisations.Slot]) -> None:
    """Each organisation's number of workers: its current employees, as HR would say."""
    orgs = [slot.organisation for slot in slots]
    for org in orgs:
        org.worker_count = Employee.objects.filter(organisation=org).current().count()
    Organisation.objects.bulk_update(orgs, ["worker_count"], batch_size=500)


__all__ = ["DemoNotAllowedError", "ScaleOptions", "ScaleRefusedError", "check", "seed_scale"]

"""Scale data at national size: documents and acknowledgements of the gedragscode.

Every generated organisation joins the demo's region, whose regional gedragscode (two
vastgestelde versions, made as the demo makes them when it is not there) applies to all
of them. About 70% of the employees acknowledged version 1 while it was current and 55%
acknowledged the current version 2, so HRM's page counts and lists real numbers. Written
with bulk_create (ignore_conflicts: a second run adds nothing).
"""

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.demo import policies as demo_policies
from integritas.organisations.models import Employee, Region
from integritas.policies.constants import AdoptionBody, DocumentKind, VersionStatus
from integritas.policies.models import Acknowledgement, AdoptionStep, Document, DocumentVersion

from .domains import DomainPhase
from .organisations import Slot
from .people import People
from .plan import ScaleOptions

BATCH = 5000
SHARE_V1 = 0.70
SHARE_V2 = 0.55


def _code_versions(region: Region) -> tuple[DocumentVersion, DocumentVersion]:
    """The region's gedragscode versions 1 (vervallen) and 2 (vastgesteld), made in bulk
    where the demo did not make them."""
    document = Document.objects.filter(
        region=region, kind=DocumentKind.CODE_OF_CONDUCT, title=demo_policies.CODE_TITLE
    ).first()
    if document is None:
        document = Document.objects.create(
            region=region, kind=DocumentKind.CODE_OF_CONDUCT, title=demo_policies.CODE_TITLE
        )
    versions = {v.number: v for v in document.versions.all()}
    if 1 not in versions:
        now = timezone.now()
        versions[1] = DocumentVersion.objects.create(
            document=document, number=1, status=VersionStatus.EXPIRED,
            effective_date=datetime.date(2024, 1, 1), adopted_at=now, expired_at=now,
            content=demo_policies._read("gedragscode_v1.md"),
        )  # fmt: skip
        versions[2] = DocumentVersion.objects.create(
            document=document, number=2, status=VersionStatus.ADOPTED,
            effective_date=datetime.date(2025, 9, 1), adopted_at=now,
            content=demo_policies._read("gedragscode_v2.md"),
        )  # fmt: skip
        AdoptionStep.objects.bulk_create(
            AdoptionStep(
                version=version,
                body=AdoptionBody.COUNCIL_EXECUTIVE,
                decided_on=datetime.date(2023, 11, 7),
                decided_by="College van B&W",
            )
            for version in (versions[1], versions[2])
        )
    return versions[1], versions[2]


def acknowledgements_bulk(
    slots: list[Slot], *, seed: int, tick: Callable[[int], None] = lambda n: None
) -> int:
    """Acknowledgements of the gedragscode for a share of every organisation's people
    (also used by benchmarks/policies.py). Idempotent."""
    written = 0
    for slot in slots:
        organisation = slot.organisation
        first, second = _code_versions(organisation.region)
        rng = random.Random(f"{seed}:policies:{organisation.pk}")  # noqa: S311
        ids = list(
            Employee.objects.filter(organisation=organisation)
            .order_by("pk")
            .values_list("pk", "start_date")
        )
        for begin in range(0, len(ids), BATCH):
            rows = []
            for pk, start in ids[begin : begin + BATCH]:
                roll = rng.random()
                if roll < SHARE_V1 and start <= datetime.date(2025, 8, 31):
                    rows.append(
                        Acknowledgement(
                            employee_id=pk,
                            organisation=organisation,
                            version=first,
                            acknowledged_on=max(start, datetime.date(2024, 1, 15)),
                        )
                    )
                if roll < SHARE_V2:
                    rows.append(
                        Acknowledgement(
                            employee_id=pk,
                            organisation=organisation,
                            version=second,
                            acknowledged_on=max(start, datetime.date(2025, 9, 8)),
                        )
                    )
            with transaction.atomic():
                Acknowledgement.objects.bulk_create(rows, ignore_conflicts=True)
            written += len(rows)
            tick(len(rows))
    return written


def _run(
    slots: list[Slot], people: People, options: ScaleOptions, tick: Callable[[int], None]
) -> int:
    return acknowledgements_bulk(slots, seed=options.seed, tick=tick)


PHASES: tuple[DomainPhase, ...] = (
    DomainPhase(
        key="policies",
        label=_("bevestigingen gedragscode"),
        rows=lambda options: int(options.employees * (SHARE_V1 + SHARE_V2)),
        weight=12.0,
        run=_run,
    ),
)

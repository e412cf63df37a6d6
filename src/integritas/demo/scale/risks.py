"""Scale data at national size: risk assessments of functions and their measures.

A national installation has about 30,000 functions (15 per 100 employees): every
organisation gets extra functions beside the demo's list until it has its share, and
every function an assessment whose level is derived by the same pure function the
service uses (risks.derivation), with the organisation's amplifying factors; a third is
confirmed. One measure per ten functions, owned by an account of the organisation, about
one in eight with a review date that passed. Written with bulk_create; idempotent (what
exists is skipped). `benchmarks/risks.py` uses `assessments_bulk`.
"""

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.organisations.models import Function
from integritas.risks.constants import (
    ACTIVITIES,
    AmplifyingFactor,
    AssessmentStatus,
    MeasureKind,
    MeasureStatus,
)
from integritas.risks.derivation import derive_risk_level
from integritas.risks.models import AmplifyingFactors, Measure, RiskAssessment

from .domains import DomainPhase
from .organisations import Slot
from .people import People
from .plan import ScaleOptions

BATCH = 2000
#: Functions per employee in a national installation (200,000 -> 30,000).
FUNCTIONS_PER_EMPLOYEE = 0.15
MEASURE_EVERY = 10
_WEIGHTS = (0.55, 0.2, 0.15, 0.1)  # score 0..3


def _scores(rng: random.Random) -> dict[str, int]:
    return {a.value: rng.choices((0, 1, 2, 3), _WEIGHTS)[0] for a in ACTIVITIES}


def _extra_functions(organisation_id: int, wanted: int, have: int) -> list[Function]:
    return [
        Function(
            organisation_id=organisation_id,
            code=f"SCALE-{n:05d}",
            name=f"Medewerker taakveld {n}",
        )
        for n in range(have, wanted)
    ]


def assessments_bulk(
    organisation_ids: list[int],
    *,
    functions_per_organisation: dict[int, int],
    owners: dict[int, list[int]],
    seed: int,
    tick: Callable[[int], None] = lambda n: None,
) -> int:
    """Functions up to their number, an assessment of each and the measures, for these
    organisations. Returns the rows written."""
    today = timezone.localdate()
    written = 0
    for organisation_id in organisation_ids:
        rng = random.Random(f"{seed}:risks:{organisation_id}")  # noqa: S311
        present = [f.value for f in AmplifyingFactor if rng.random() < 0.25]
        with transaction.atomic():
            factors, made = AmplifyingFactors.objects.get_or_create(
                organisation_id=organisation_id, org_unit=None
            )
            if made:
                for value in present:
                    setattr(factors, value, True)
                factors.save()
            else:
                present = [f.value for f in AmplifyingFactor if getattr(factors, f.value)]
            have = Function.objects.filter(organisation_id=organisation_id).count()
            wanted = functions_per_organisation.get(organisation_id, have)
            extra = _extra_functions(organisation_id, wanted, have)
            Function.objects.bulk_create(extra, batch_size=BATCH, ignore_conflicts=True)
            written += len(extra)
        assessed = set(
            RiskAssessment.objects.filter(organisation_id=organisation_id).values_list(
                "function_id", flat=True
            )
        )
        function_ids = [
            pk
            for pk in Function.objects.filter(organisation_id=organisation_id)
            .order_by("pk")
            .values_list("pk", flat=True)
            if pk not in assessed
        ]
        for begin in range(0, len(function_ids), BATCH):
            rows = []
            for function_id in function_ids[begin : begin + BATCH]:
                scores = _scores(rng)
                level = derive_risk_level(scores, present).level
                confirmed = rng.random() < 0.33
                rows.append(
                    RiskAssessment(
                        organisation_id=organisation_id,
                        function_id=function_id,
                        derived_level=level,
                        level=level,
                        status=AssessmentStatus.CONFIRMED if confirmed else AssessmentStatus.DRAFT,
                        confirmed_on=today - datetime.timedelta(days=rng.randrange(400))
                        if confirmed
                        else None,
                        **{f"score_{k}": v for k, v in scores.items()},
                    )
                )
            measures = []
            people = owners.get(organisation_id) or []
            if people:
                for number, function_id in enumerate(function_ids[begin : begin + BATCH]):
                    if number % MEASURE_EVERY:
                        continue
                    days = (
                        rng.randrange(-60, 400) if rng.random() < 0.125 else rng.randrange(1, 400)
                    )
                    measures.append(
                        Measure(
                            organisation_id=organisation_id,
                            function_id=function_id,
                            kind=rng.choice(MeasureKind.values),
                            owner_id=rng.choice(people),
                            status=MeasureStatus.ACTIVE,
                            review_date=today + datetime.timedelta(days=days),
                        )
                    )
            with transaction.atomic():
                RiskAssessment.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
                Measure.objects.bulk_create(measures, batch_size=1000)
            written += len(rows) + len(measures)
            tick(len(rows) + len(measures))
    return written


def _run(
    slots: list[Slot], people: People, options: ScaleOptions, tick: Callable[[int], None]
) -> int:
    total = sum(slot.size for slot in slots) or 1
    share = options.employees * FUNCTIONS_PER_EMPLOYEE / total
    wanted = {
        slot.organisation.pk: max(len(slot.functions), round(slot.size * share)) for slot in slots
    }
    return assessments_bulk(
        [slot.organisation.pk for slot in slots],
        functions_per_organisation=wanted,
        owners=people.users,
        seed=options.seed,
        tick=tick,
    )


PHASES: tuple[DomainPhase, ...] = (
    DomainPhase(
        key="risks",
        label=_("Kwetsbare functies"),
        rows=lambda options: round(options.employees * FUNCTIONS_PER_EMPLOYEE * 1.1),
        weight=40.0,
        run=_run,
    ),
)

"""Organisations, their functions and their unit trees, written in bulk.

Every generated organisation joins the demo's region, so the demo's regional accounts
(coordinator, administrator ...) see the whole country. On top of the demo, the demo
organisation takes the largest size: its own rows stay as seed_demo made them, and the
generated departments hang under its top unit, so its demo accounts (HRM, secretary ...)
work in an organisation of national size.
"""

from dataclasses import dataclass, field

from integritas.demo import data
from integritas.demo.plan import read_functions
from integritas.organisations.models import Function, Organisation, OrgUnit, Region

from . import plan

# Departments of a generated organisation, by the names municipalities use.
_DEPARTMENTS = (
    "Publiekszaken", "Ruimte", "Sociaal domein", "Bedrijfsvoering", "Financiën",
    "Openbare ruimte", "Informatievoorziening", "Vergunningen", "Werk en inkomen",
    "Veiligheid", "Economie", "Wonen",
)  # fmt: skip
TEAM_SIZE = 30  # employees per team, on average
TEAMS_PER_DEPARTMENT = 8


@dataclass
class Unit:
    pk: int
    parent: "Unit | None"
    head: int | None = None  # the head's employee pk, once people.py has made them


@dataclass
class Slot:
    """One organisation that receives generated people, cases and audit events."""

    organisation: Organisation
    size: int  # employees to generate in it
    existing: bool  # the demo organisation, enlarged
    functions: dict[str, int] = field(default_factory=dict)  # code -> pk
    root: Unit | None = None
    departments: list[Unit] = field(default_factory=list)
    teams: list[Unit] = field(default_factory=list)
    secretary: int | None = None  # the account of the top unit's head, when new

    @property
    def slug(self) -> str:
        return self.organisation.slug


def region() -> Region:
    """The demo's region, made as seed_demo makes it when the demo is not there."""
    found, _ = Region.objects.get_or_create(
        slug=data.REGION_SLUG, defaults={"name": data.REGION_NAME}
    )
    return found


def demo_organisation() -> Organisation | None:
    return Organisation.objects.filter(slug=data.DEMO_ORGANISATION).first()


def organisations(region: Region, sizes: list[int], demo: Organisation | None) -> list[Slot]:
    """The slots, largest first: the demo organisation (if any) takes the first."""
    slots: list[Slot] = []
    new_sizes = sizes
    if demo is not None:
        slots.append(Slot(organisation=demo, size=sizes[0], existing=True))
        new_sizes = sizes[1:]
    rows = []
    for index, size in enumerate(new_sizes):
        kind, name = plan.organisation_name(index)
        slug = plan.organisation_slug(index)
        rows.append(
            Organisation(
                region=region,
                slug=slug,
                name=name,
                kind=kind,
                case_prefix=plan.case_prefix(index),
                reporting_regulation_name=f"Regeling melding vermoeden integriteitsschending "
                f"{name.split(' ', 1)[1]}",
                reporting_regulation_year=2023 + index % 3,
                gift_threshold=data.GIFT_THRESHOLD,
                anonymous_reporting_enabled=index % 5 != 4,
                worker_count=size,
                contact_email=f"integriteit@{slug}.example",
            )
        )
    created = Organisation.objects.bulk_create(rows, batch_size=500)
    slots += [
        Slot(organisation=org, size=size, existing=False)
        for org, size in zip(created, new_sizes, strict=True)
    ]
    return slots


def functions(slots: list[Slot]) -> None:
    """The demo's functions (functies.csv) in every new organisation; the demo
    organisation keeps its own."""
    rows = read_functions()
    new = []
    for slot in slots:
        if slot.existing:
            slot.functions = dict(
                Function.objects.filter(organisation=slot.organisation).values_list("code", "pk")
            )
            continue
        new += [
            Function(
                organisation=slot.organisation,
                code=row.code,
                name=row.name,
                vulnerable_activities=list(row.vulnerable_activities),
                screening_profile=row.screening_profile,
                designated_side_activity_publication=row.designated_side_activity_publication,
                designated_financial_interests=row.designated_financial_interests,
                notes=row.notes,
            )
            for row in rows
        ]
    for function in Function.objects.bulk_create(new, batch_size=2000):
        slot_functions = next(s for s in slots if s.organisation.pk == function.organisation_id)
        slot_functions.functions[function.code] = function.pk


def unit_tree(slot: Slot) -> None:
    """A top unit, departments under it and teams under those, sized to the slot.

    In the demo organisation the top unit is the demo's own (its head the demo
    secretary); only the departments and teams below it are new.
    """
    org = slot.organisation
    teams = max(1, round(slot.size / TEAM_SIZE))
    departments = max(1, round(teams / TEAMS_PER_DEPARTMENT))
    if slot.existing:
        top = OrgUnit.objects.filter(organisation=org, parent=None).order_by("pk").first()
        if top is None:
            top = OrgUnit.objects.create(
                organisation=org, code=f"{plan.UNIT_PREFIX}DIR", name="Directie"
            )
        head = top.managers.order_by("pk").values_list("pk", flat=True).first()
        slot.root = Unit(pk=top.pk, parent=None, head=head)
    else:
        top = OrgUnit.objects.create(
            organisation=org, code=f"{plan.UNIT_PREFIX}DIR", name="Directie"
        )
        slot.root = Unit(pk=top.pk, parent=None)
    root = slot.root
    department_rows = [
        OrgUnit(
            organisation=org,
            code=f"{plan.UNIT_PREFIX}A{d + 1:03d}",
            name=_numbered(_DEPARTMENTS, d),
            parent_id=root.pk,
        )
        for d in range(departments)
    ]
    slot.departments = [
        Unit(pk=u.pk, parent=root) for u in OrgUnit.objects.bulk_create(department_rows)
    ]
    team_rows = []
    team_parents = []
    for t in range(teams):
        department = slot.departments[t % departments]
        team_rows.append(
            OrgUnit(
                organisation=org,
                code=f"{plan.UNIT_PREFIX}T{t + 1:04d}",
                name=f"Team {t // departments + 1} {_numbered(_DEPARTMENTS, t % departments)}",
                parent_id=department.pk,
            )
        )
        team_parents.append(department)
    created = OrgUnit.objects.bulk_create(team_rows, batch_size=1000)
    slot.teams = [
        Unit(pk=u.pk, parent=parent) for u, parent in zip(created, team_parents, strict=True)
    ]


def _numbered(names: tuple[str, ...], index: int) -> str:
    name = names[index % len(names)]
    round_ = index // len(names)
    return f"{name} {round_ + 1}" if round_ else name

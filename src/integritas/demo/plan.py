"""The demo as a plan: pure and deterministic, computed from data.py and functies.csv;
no database. seed.py writes it."""

import csv
import datetime
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from integritas.organisations.constants import EmploymentType, ScreeningProfile, VulnerableActivity

from . import data
from .data import DemoAccount, OrganisationSpec, UnitSpec

# ---------------------------------------------------------------------------------------
# Functions (functies.csv)


@dataclass(frozen=True)
class FunctionRow:
    code: str
    name: str
    vulnerable_activities: tuple[str, ...]
    screening_profile: str
    designated_side_activity_publication: bool
    designated_financial_interests: bool
    notes: str


def _yes(value: str) -> bool:
    return value.strip().lower() == "ja"


def read_functions() -> list[FunctionRow]:
    """The demo functions, read from the CSV shipped beside this module."""
    known = {choice.value for choice in VulnerableActivity}
    rows: list[FunctionRow] = []
    with data.FUNCTIONS_CSV.open(encoding="utf-8", newline="") as handle:
        for raw in csv.DictReader(handle):
            code = raw["code"].strip()
            activities = tuple(
                a.strip() for a in (raw["kwetsbare_activiteiten"] or "").split(";") if a.strip()
            )
            unknown = set(activities) - known
            if unknown:
                raise ValueError(f"functies.csv: {code}: unknown activities {sorted(unknown)}")
            if not _yes(raw["vog"]):
                screening = ScreeningProfile.NONE
            elif code in data.SPECIFIC_SCREENING_FUNCTIONS:
                screening = ScreeningProfile.SPECIFIC
            else:
                screening = ScreeningProfile.GENERAL
            rows.append(
                FunctionRow(
                    code=code,
                    name=raw["functie"].strip(),
                    vulnerable_activities=activities,
                    screening_profile=screening,
                    designated_side_activity_publication=_yes(
                        raw["aangewezen_publicatie_nevenwerkzaamheden"]
                    ),
                    designated_financial_interests=_yes(raw["aangewezen_financiele_belangen"]),
                    notes=(raw["toelichting"] or "").strip(),
                )
            )
    return rows


# ---------------------------------------------------------------------------------------
# The plan: pure, deterministic, no database


@dataclass
class PlannedEmployee:
    personnel_number: str
    first_name: str
    last_name: str
    email: str
    employment_type: str
    start_date: datetime.date
    end_date: datetime.date | None
    unit: str
    function: str
    manager: str | None = None  # personnel number
    account: DemoAccount | None = None


@dataclass
class OrganisationPlan:
    spec: OrganisationSpec
    units: list[UnitSpec]
    employees: list[PlannedEmployee]
    heads: dict[str, str] = field(default_factory=dict)  # unit code -> personnel number

    @property
    def current_count(self) -> int:
        # Former employees in the plan all left before DEMO_REFERENCE_DATE.
        return sum(1 for e in self.employees if e.end_date is None)


def _ascii(text: str) -> str:
    normalized = unicodedata.normalize("NFKD", text)
    return "".join(c for c in normalized if c.isascii() and (c.isalnum() or c == "-")).lower()


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _units_for(spec: OrganisationSpec) -> tuple[list[UnitSpec], dict[str, list[str]]]:
    """The organisation's units; functions of teams it lacks go to the nearest afdeling."""
    template = {unit.code: unit for unit in data.unit_template(spec)}
    included = [template[code] for code in spec.units]
    included_codes = set(spec.units)
    pools: dict[str, list[str]] = {unit.code: list(unit.functions) for unit in included}
    for unit in data.unit_template(spec):
        if unit.code in included_codes:
            if unit.parent is not None and unit.parent not in included_codes:
                raise ValueError(f"{spec.slug}: unit {unit.code} lacks its parent {unit.parent}")
            continue
        parent = unit.parent
        while parent is not None and parent not in included_codes:
            parent = template[parent].parent
        if parent is not None:
            pools[parent].extend(unit.functions)
    return included, pools


def build_plan(spec: OrganisationSpec) -> OrganisationPlan:
    """Who works where: the same answer on every run (a fixed seed per organisation)."""
    rng = random.Random(f"integritas-demo:{spec.slug}")  # noqa: S311 (not for security)
    units, pools = _units_for(spec)
    by_code = {unit.code: unit for unit in units}
    root = next(unit for unit in units if unit.parent is None)
    plan = OrganisationPlan(spec=spec, units=units, employees=[])
    used_names: set[tuple[str, str]] = set()
    used_emails: set[str] = set()
    next_number = 100001

    def new_number() -> str:
        nonlocal next_number
        number = str(next_number)
        next_number += 1
        return number

    def new_person(**values: Any) -> PlannedEmployee:
        while True:
            first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
            if (first, last) not in used_names:
                break
        used_names.add((first, last))
        base = f"{_ascii(first)}.{_ascii(last)}"
        email, n = f"{base}@{spec.slug}.example", 2
        while email in used_emails:
            email, n = f"{base}{n}@{spec.slug}.example", n + 1
        used_emails.add(email)
        employee = PlannedEmployee(
            personnel_number=new_number(), first_name=first, last_name=last, email=email, **values
        )
        plan.employees.append(employee)
        return employee

    # The demo accounts employed here come first, so their numbers never move.
    for account in data.accounts_of(spec.slug):
        employee = PlannedEmployee(
            personnel_number=new_number(),
            first_name=account.first_name,
            last_name=account.last_name,
            email=account.email,
            employment_type=EmploymentType.EMPLOYED,
            start_date=account.start_date,
            end_date=None,
            unit=account.unit,
            function=account.function,
            account=account,
        )
        used_names.add((account.first_name, account.last_name))
        used_emails.add(account.email)
        plan.employees.append(employee)
        if account.heads_unit:
            plan.heads[account.unit] = employee.personnel_number

    # Every unit has a head: the top one the secretary (or director), the others a teamleider.
    for unit in units:
        if unit.code in plan.heads:
            continue
        head_person = new_person(
            employment_type=EmploymentType.EMPLOYED,
            start_date=_random_date(rng, datetime.date(1998, 1, 1), datetime.date(2020, 12, 31)),
            end_date=None,
            unit=unit.code,
            function=spec.head_function if unit is root else data.HEAD_FUNCTION,
        )
        plan.heads[unit.code] = head_person.personnel_number

    remaining = spec.employee_count - len(plan.employees)
    interns = max(2, round(spec.employee_count * 0.05))
    hired = max(4, round(spec.employee_count * 0.12))
    kinds = [EmploymentType.INTERN] * interns + [EmploymentType.HIRED] * hired
    kinds += [EmploymentType.EMPLOYED] * (remaining - len(kinds))
    rng.shuffle(kinds)
    former_count = max(3, round(spec.employee_count * 0.04))
    former = set(
        rng.sample([i for i, k in enumerate(kinds) if k != EmploymentType.INTERN], k=former_count)
    )
    staff_units = [unit for unit in units if unit is not root]
    weights = [unit.weight for unit in units]
    reference = data.DEMO_REFERENCE_DATE
    for index, kind in enumerate(kinds):
        if kind == EmploymentType.INTERN:
            unit = rng.choice(staff_units)
            function = data.INTERN_FUNCTION
            start = _random_date(rng, datetime.date(2026, 2, 1), datetime.date(2026, 9, 1))
        else:
            unit = rng.choices(units, weights=weights)[0]
            function = rng.choice(pools[unit.code])
            earliest = (
                datetime.date(2023, 1, 1)
                if kind == EmploymentType.HIRED
                else datetime.date(1998, 1, 1)
            )
            start = _random_date(rng, earliest, datetime.date(2026, 6, 30))
        end = None
        if index in former:
            start = _random_date(rng, datetime.date(2008, 1, 1), datetime.date(2022, 12, 31))
            end = _random_date(rng, datetime.date(2025, 1, 1), reference - datetime.timedelta(30))
        new_person(
            employment_type=kind,
            start_date=start,
            end_date=end,
            unit=unit.code,
            function=function,
        )

    # Managers follow the unit heads: the head of one's own unit, for a head the head above.
    for employee in plan.employees:
        code: str | None = employee.unit
        while code is not None:
            head_number = plan.heads[code]
            if head_number != employee.personnel_number:
                employee.manager = head_number
                break
            code = by_code[code].parent
    return plan

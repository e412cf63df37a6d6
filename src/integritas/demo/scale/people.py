"""Employees with their managers, accounts for a share of them, and role assignments.

Every unit has a head (the unit's manager and the manager of its people; a head's own
manager is the head above). Heads and role holders always have an account, others with
the options' share. Accounts have no usable password: they would sign in through the
municipality's OpenID Connect provider; the benchmarks log in as the demo accounts.
Names come from the demo's small lists; addresses end in `.example`.
"""

import datetime
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.demo import data
from integritas.organisations.constants import EmploymentType, OrganisationKind
from integritas.organisations.models import Employee, OrgUnit, Region

from . import plan
from .organisations import Slot, Unit

BATCH = 5000
HEAD_FUNCTIONS = frozenset({"GS", "DIR", data.HEAD_FUNCTION, data.INTERN_FUNCTION})

# Roles held in each organisation: (role, how many for an organisation of `size`).
ORGANISATION_ROLES: tuple[tuple[str, Callable[[int], int]], ...] = (
    (Role.HRM, lambda size: 1 + size // 2000),
    (Role.INTEGRITY_OFFICER, lambda size: 1),
    (Role.CONFIDENTIAL_COUNSELLOR, lambda size: 1 + size // 5000),
    (Role.MANAGEMENT_BOARD, lambda size: 2),
    (Role.WORKS_COUNCIL, lambda size: 2),
    (Role.ADMINISTRATOR, lambda size: 1),
    (Role.INVESTIGATOR, lambda size: 1 if size >= 500 else 0),
)
# Regional roles: (role, how many for `count` organisations).
REGIONAL_ROLES: tuple[tuple[str, Callable[[int], int]], ...] = (
    (Role.INTEGRITY_COORDINATOR, lambda count: 1 + count // 25),
    (Role.CENTRAL_COUNSELLOR, lambda count: 1 + count // 100),
    (Role.WORKING_GROUP, lambda count: 3),
)


@dataclass
class People:
    """What the later phases need: per organisation its account holders and their roles."""

    users: dict[int, list[int]] = field(default_factory=dict)  # organisation pk -> users
    roles: dict[int, str] = field(default_factory=dict)  # user pk -> role
    employees: int = 0
    accounts: int = 0
    assignments: int = 0


def _ascii(text: str) -> str:
    normalized = unicodedata.normalize("NFKD", text)
    return "".join(c for c in normalized if c.isascii() and (c.isalnum() or c == "-")).lower()


class _Writer:
    """Makes the employees of one organisation, with accounts where due, in batches."""

    def __init__(self, slot: Slot, share: float, seed: int, people: People) -> None:
        self.slot = slot
        self.share = share
        self.rng = random.Random(f"{seed}:{slot.slug}")  # noqa: S311 (not for security)
        self.people = people
        self.today = timezone.localdate()
        self.number = 0
        self.pending: list[tuple[Employee, User | None]] = []
        functions = slot.functions
        self.staff_functions = sorted(c for c in functions if c not in HEAD_FUNCTIONS)
        self.users = people.users.setdefault(slot.organisation.pk, [])

    def _date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def person(
        self,
        *,
        unit: Unit,
        function: str,
        manager: int | None,
        account: bool,
        kind: str = EmploymentType.EMPLOYED,
        former: bool = False,
    ) -> Employee:
        self.number += 1
        number = f"{plan.PERSONNEL_PREFIX}{self.number:07d}"
        first = self.rng.choice(data.FIRST_NAMES)
        last = self.rng.choice(data.LAST_NAMES)
        email = f"{_ascii(first)}.{_ascii(last)}.{number.lower()}@{self.slot.slug}.example"
        if kind == EmploymentType.INTERN:
            start = self._date(self.today - datetime.timedelta(days=180), self.today)
        else:
            start = self._date(datetime.date(1995, 1, 1), self.today - datetime.timedelta(60))
        end = self._date(start, self.today - datetime.timedelta(days=30)) if former else None
        employee = Employee(
            organisation=self.slot.organisation,
            personnel_number=number,
            first_name=first,
            last_name=last,
            email=email,
            employment_type=kind,
            start_date=start,
            end_date=end,
            org_unit_id=unit.pk,
            function_id=self.slot.functions.get(function),
            manager_id=manager,
        )
        user = User(email=email, full_name=f"{first} {last}", password="") if account else None
        self.pending.append((employee, user))
        return employee

    def flush(self) -> list[Employee]:
        """Write what is pending: accounts first, then the employees that hold them."""
        users: list[User] = [user for _, user in self.pending if user is not None]
        for user in users:
            user.password = make_password(None)  # unusable: no password login
        User.objects.bulk_create(users, batch_size=2000)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
            batch_size=2000,
        )
        employees = []
        for employee, account in self.pending:
            employee.user_id = account.pk if account is not None else None
            employees.append(employee)
        Employee.objects.bulk_create(employees, batch_size=2000)
        self.users += [u.pk for u in users]
        self.people.employees += len(employees)
        self.people.accounts += len(users)
        self.pending = []
        return employees


def employees(
    slot: Slot, *, share: float, seed: int, people: People, tick: Callable[[int], None]
) -> None:
    """Heads level by level (each needs the pk of the head above), then the staff."""
    writer = _Writer(slot, share, seed, people)
    if slot.root is None:
        raise ValueError("unit_tree() first")
    made = 0
    with transaction.atomic():
        if slot.root.head is None:
            head_function = (
                "DIR" if slot.organisation.kind == OrganisationKind.SHARED_SERVICE else "GS"
            )
            writer.person(unit=slot.root, function=head_function, manager=None, account=True)
            (head,) = writer.flush()
            slot.root.head, slot.secretary = head.pk, head.user_id
            made += 1
        for level in (slot.departments, slot.teams):
            for unit in level:
                above = unit.parent.head if unit.parent is not None else None
                writer.person(unit=unit, function=data.HEAD_FUNCTION, manager=above, account=True)
            for unit, head in zip(level, writer.flush(), strict=True):
                unit.head = head.pk
            made += len(level)
        through = OrgUnit.managers.through
        units = [slot.root, *slot.departments, *slot.teams]
        through.objects.bulk_create(
            [
                through(orgunit_id=u.pk, employee_id=u.head)
                for u in units
                if u.head is not None and not (slot.existing and u is slot.root)
            ],
            batch_size=2000,
        )
    tick(made)
    staff = max(0, slot.size - made)
    interns = round(staff * 0.05)
    hired = round(staff * 0.12)
    for index in range(staff):
        kind = (
            EmploymentType.INTERN
            if index < interns
            else EmploymentType.HIRED
            if index < interns + hired
            else EmploymentType.EMPLOYED
        )
        team = writer.rng.choice(slot.teams)
        function = (
            data.INTERN_FUNCTION
            if kind == EmploymentType.INTERN
            else writer.rng.choice(writer.staff_functions)
        )
        writer.person(
            unit=team,
            function=function,
            manager=team.head,
            account=writer.rng.random() < writer.share,
            kind=kind,
            former=kind != EmploymentType.INTERN and writer.rng.random() < 0.04,
        )
        if len(writer.pending) >= BATCH:
            with transaction.atomic():
                tick(len(writer.flush()))
    if writer.pending:
        with transaction.atomic():
            tick(len(writer.flush()))


def role_assignments(region: Region, slots: list[Slot], *, seed: int, people: People) -> None:
    """Roles in force per organisation, and a few regional ones, among account holders.

    The demo organisation keeps the demo accounts' roles; the top unit's head of a new
    organisation is its secretary. Rows are active, as rows from a data import are.
    """
    rng = random.Random(f"{seed}:roles")  # noqa: S311 (not for security)
    rows: list[RoleAssignment] = []
    reason = "Schaalgegevens (seed_scale)"

    def assign(user: int, role: str, **scope: object) -> None:
        people.roles.setdefault(user, role)
        rows.append(
            RoleAssignment(
                user_id=user, role=role, status=AssignmentStatus.ACTIVE, reason=reason, **scope
            )
        )

    for slot in slots:
        if slot.existing:
            continue
        org = slot.organisation
        if slot.secretary is None:
            continue  # only when employees() has not run for it
        candidates = [u for u in people.users[org.pk] if u != slot.secretary]
        assign(slot.secretary, Role.SECRETARY, organisation=org)
        wanted = [(role, count(slot.size)) for role, count in ORGANISATION_ROLES]
        chosen = rng.sample(candidates, k=min(len(candidates), sum(n for _, n in wanted)))
        for role, n in wanted:
            for _ in range(n):
                if chosen:
                    assign(chosen.pop(), role, organisation=org)
    new_slots = [slot for slot in slots if not slot.existing]
    pool = [u for slot in new_slots[:10] for u in people.users[slot.organisation.pk]]
    pool = [u for u in pool if u not in people.roles]
    for role, count in REGIONAL_ROLES:
        for user in rng.sample(pool, k=min(len(pool), count(len(slots)))):
            pool.remove(user)
            assign(user, role, region=region)
    RoleAssignment.objects.bulk_create(rows, batch_size=2000)
    people.assignments = len(rows)

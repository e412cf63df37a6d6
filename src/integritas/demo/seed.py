"""Build the demo of the Leidse regio, idempotently.

The demo is a plan computed from `data.py` with a fixed random seed per organisation,
so every run plans exactly the same rows. Rows are matched on their natural keys
(slug, code, personnel number, e-mail) and written only where they are missing or
differ from the plan: a second run writes nothing, and a run after someone changed a
demo row restores it. Rows the plan does not know (imported people, cases someone
made) are left alone. The demo's own reports are made once each, through the Meldpunt's
services (reports.py).
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.models import RoleAssignment, User
from integritas.accounts.services import role_assignment_request, user_create
from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.awareness.models import Dilemma
from integritas.awareness.services import dilemma_library_restore
from integritas.cases.constants import SubstituteRole
from integritas.cases.models import Case, Substitute
from integritas.cases.services import substitute_request, substitute_revoke
from integritas.counsel.models import CounsellorListing
from integritas.organisations.models import (
    CoreValue,
    Employee,
    Function,
    Organisation,
    OrgUnit,
    Region,
)

from . import data
from .data import DemoAccount, UnitSpec
from .domains import seed_domains
from .plan import (
    OrganisationPlan,
    build_plan,
    read_functions,
)
from .reports import seed_reports


class DemoNotAllowedError(Exception):
    """Raised when the settings do not allow demo data (production)."""


def demo_allowed() -> bool:
    return bool(getattr(settings, "INTEGRITAS_DEMO_ALLOWED", False))


def require_demo_allowed() -> None:
    if not demo_allowed():
        raise DemoNotAllowedError(
            _(
                "Demogegevens zijn in deze omgeving niet toegestaan "
                "(INTEGRITAS_DEMO_ALLOWED staat uit, zoals in productie)."
            )
        )


# ---------------------------------------------------------------------------------------
# Writing the plan


@dataclass
class SeedResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated or +self.deleted)

    def summary(self) -> str:
        parts = []
        for label, counter in (
            (_("nieuw"), self.created),
            (_("bijgewerkt"), self.updated),
            (_("verwijderd"), self.deleted),
        ):
            if +counter:
                items = ", ".join(f"{name} {n}" for name, n in sorted(counter.items()))
                parts.append(f"{label}: {items}")
        return "; ".join(parts)


def _label(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name_plural)


class _Seeder:
    def __init__(self, *, with_reports: bool = True, with_domains: bool = True) -> None:
        self.result = SeedResult()
        self.now = timezone.now()
        self.with_reports = with_reports
        self.with_domains = with_domains

    def sync[M: models.Model](
        self,
        model: type[M],
        existing: dict[Any, M],
        desired: dict[Any, dict[str, Any]],
    ) -> dict[Any, M]:
        """Create what is missing, update what differs, leave equal rows untouched."""
        to_create: list[M] = []
        to_update: list[M] = []
        changed_fields: set[str] = set()
        for key, values in desired.items():
            obj = existing.get(key)
            if obj is None:
                to_create.append(model(**values))
                continue
            diff = [name for name, value in values.items() if getattr(obj, name) != value]
            if diff:
                for name in diff:
                    setattr(obj, name, values[name])
                if hasattr(obj, "updated_at"):
                    obj.updated_at = self.now
                    changed_fields.add("updated_at")
                changed_fields.update(diff)
                to_update.append(obj)
        if to_create:
            created = model._default_manager.bulk_create(to_create)
            new_keys = [key for key in desired if key not in existing]
            existing.update(zip(new_keys, created, strict=True))
            self.result.created[_label(model)] += len(created)
        if to_update:
            model._default_manager.bulk_update(to_update, sorted(changed_fields))
            self.result.updated[_label(model)] += len(to_update)
        return existing

    # -- organisations ------------------------------------------------------------------

    def region(self) -> Region:
        region = Region.objects.filter(slug=data.REGION_SLUG).first()
        regions = self.sync(
            Region,
            {data.REGION_SLUG: region} if region else {},
            {data.REGION_SLUG: {"slug": data.REGION_SLUG, "name": data.REGION_NAME}},
        )
        return regions[data.REGION_SLUG]

    def organisations(
        self, region: Region, plans: list[OrganisationPlan]
    ) -> dict[str, Organisation]:
        slugs = [plan.spec.slug for plan in plans]
        existing = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        desired = {
            plan.spec.slug: {
                "region_id": region.pk,
                "slug": plan.spec.slug,
                "name": plan.spec.name,
                "kind": plan.spec.kind,
                "case_prefix": plan.spec.case_prefix,
                "reporting_regulation_name": plan.spec.regulation_name,
                "reporting_regulation_year": plan.spec.regulation_year,
                "works_council_consent_reference": plan.spec.works_council_reference,
                "gift_threshold": data.GIFT_THRESHOLD,
                "anonymous_reporting_enabled": True,
                "worker_count": plan.current_count,
                "contact_email": plan.spec.contact_email,
            }
            for plan in plans
        }
        return self.sync(Organisation, existing, desired)

    def core_values(self, orgs: dict[str, Organisation]) -> None:
        existing = {
            (v.organisation_id, v.name): v
            for v in CoreValue.objects.filter(organisation__in=orgs.values())
        }
        desired = {
            (orgs[slug].pk, name): {
                "organisation_id": orgs[slug].pk,
                "name": name,
                "text": text,
                "position": position,
            }
            for slug, values in data.CORE_VALUES.items()
            for position, (name, text) in enumerate(values, start=1)
        }
        self.sync(CoreValue, existing, desired)

    def functions(self, orgs: dict[str, Organisation]) -> dict[tuple[int, str], Function]:
        rows = read_functions()
        existing = {
            (f.organisation_id, f.code): f
            for f in Function.objects.filter(organisation__in=orgs.values())
        }
        desired = {
            (org.pk, row.code): {
                "organisation_id": org.pk,
                "code": row.code,
                "name": row.name,
                "vulnerable_activities": list(row.vulnerable_activities),
                "screening_profile": row.screening_profile,
                "designated_side_activity_publication": row.designated_side_activity_publication,
                "designated_financial_interests": row.designated_financial_interests,
                "notes": row.notes,
            }
            for org in orgs.values()
            for row in rows
        }
        return self.sync(Function, existing, desired)

    def units(
        self, orgs: dict[str, Organisation], plans: list[OrganisationPlan]
    ) -> dict[tuple[int, str], OrgUnit]:
        existing = {
            (u.organisation_id, u.code): u
            for u in OrgUnit.objects.filter(organisation__in=orgs.values())
        }
        # Parents before children: one pass per level of the tree.
        by_depth: dict[int, list[tuple[Organisation, UnitSpec]]] = {}
        for plan in plans:
            specs = {unit.code: unit for unit in plan.units}
            for unit in plan.units:
                depth, parent = 0, unit.parent
                while parent is not None:
                    depth, parent = depth + 1, specs[parent].parent
                by_depth.setdefault(depth, []).append((orgs[plan.spec.slug], unit))
        for depth in sorted(by_depth):
            desired: dict[Any, dict[str, Any]] = {}
            for org, unit in by_depth[depth]:
                parent_unit = existing[(org.pk, unit.parent)] if unit.parent else None
                desired[(org.pk, unit.code)] = {
                    "organisation_id": org.pk,
                    "code": unit.code,
                    "name": unit.name,
                    "parent_id": parent_unit.pk if parent_unit else None,
                }
            self.sync(OrgUnit, existing, desired)
        return existing

    def employees(
        self,
        orgs: dict[str, Organisation],
        plans: list[OrganisationPlan],
        units: dict[tuple[int, str], OrgUnit],
        functions: dict[tuple[int, str], Function],
        users: dict[str, User],
    ) -> dict[tuple[int, str], Employee]:
        existing = {
            (e.organisation_id, e.personnel_number): e
            for e in Employee.objects.filter(organisation__in=orgs.values())
        }
        desired: dict[Any, dict[str, Any]] = {}
        for plan in plans:
            org = orgs[plan.spec.slug]
            for person in plan.employees:
                values: dict[str, Any] = {
                    "organisation_id": org.pk,
                    "personnel_number": person.personnel_number,
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "email": person.email,
                    "employment_type": person.employment_type,
                    "start_date": person.start_date,
                    "end_date": person.end_date,
                    "org_unit_id": units[(org.pk, person.unit)].pk,
                    "function_id": functions[(org.pk, person.function)].pk,
                }
                if person.account is not None:
                    values["user_id"] = users[person.account.key].pk
                desired[(org.pk, person.personnel_number)] = values
        self.sync(Employee, existing, desired)

        # Second pass, once every row has a key: managers as the plan names them.
        managers: dict[Any, dict[str, Any]] = {}
        for plan in plans:
            org = orgs[plan.spec.slug]
            for person in plan.employees:
                manager = existing[(org.pk, person.manager)] if person.manager else None
                managers[(org.pk, person.personnel_number)] = {
                    "manager_id": manager.pk if manager else None
                }
        self._update_only(Employee, existing, managers)
        return existing

    def _update_only[M: models.Model](
        self, model: type[M], existing: dict[Any, M], desired: dict[Any, dict[str, Any]]
    ) -> None:
        self.sync(model, existing, {k: v for k, v in desired.items() if k in existing})

    def unit_managers(
        self,
        orgs: dict[str, Organisation],
        plans: list[OrganisationPlan],
        units: dict[tuple[int, str], OrgUnit],
        employees: dict[tuple[int, str], Employee],
    ) -> None:
        through = OrgUnit.managers.through
        desired: set[tuple[int, int]] = set()
        seeded_units: list[int] = []
        for plan in plans:
            org = orgs[plan.spec.slug]
            for unit in plan.units:
                unit_pk = units[(org.pk, unit.code)].pk
                seeded_units.append(unit_pk)
                head = employees[(org.pk, plan.heads[unit.code])]
                desired.add((unit_pk, head.pk))
        rows = through.objects.filter(orgunit_id__in=seeded_units)
        existing = {(row.orgunit_id, row.employee_id): row.pk for row in rows}
        extra = [pk for pair, pk in existing.items() if pair not in desired]
        missing = sorted(desired - existing.keys())
        label = str(_("leidinggevenden van afdelingen"))
        if extra:
            through.objects.filter(pk__in=extra).delete()
            self.result.deleted[label] += len(extra)
        if missing:
            through.objects.bulk_create(
                [through(orgunit_id=unit, employee_id=employee) for unit, employee in missing]
            )
            self.result.created[label] += len(missing)

    # -- accounts -----------------------------------------------------------------------

    def users(self) -> dict[str, User]:
        """The demo logins, all with the one demo password.

        They share one stored hash of it: checking a slow password hash per account made
        every run take seconds per account. The hash an account already has is kept when
        it checks out, so a second run neither hashes nor writes anything.
        """
        accounts = data.DEMO_ACCOUNTS
        existing = {u.email: u for u in User.objects.filter(email__in=[a.email for a in accounts])}
        shared = next(
            (
                u.password
                for u in existing.values()
                if check_password(data.DEMO_PASSWORD, u.password)
            ),
            None,
        ) or make_password(data.DEMO_PASSWORD)
        users: dict[str, User] = {}
        label = _label(User)
        for account in accounts:
            user = existing.get(account.email)
            if user is None:
                user = user_create(
                    actor=None, email=account.email, full_name=account.full_name, password=None
                )
                user.password = shared
                user.save(update_fields=["password"])
                self.result.created[label] += 1
            else:
                fields = []
                if user.full_name != account.full_name:
                    user.full_name = account.full_name
                    fields.append("full_name")
                if not user.is_active:
                    user.is_active = True
                    fields.append("is_active")
                if user.password != shared:
                    user.password = shared
                    fields.append("password")
                if fields:
                    user.save(update_fields=[*fields, "updated_at"])
                    self.result.updated[label] += 1
            users[account.key] = user
        return users

    def authenticators(self, users: dict[str, User]) -> None:
        """A TOTP authenticator with the documented secret, plus recovery codes."""
        label = str(_("tweede factoren (TOTP, herstelcodes)"))
        accounts = [a for a in data.DEMO_ACCOUNTS if a.totp_secret]
        existing = {
            (a.user_id, a.type): a
            for a in Authenticator.objects.filter(
                user__in=[users[a.key] for a in accounts],
                type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES],
            )
        }
        for account in accounts:
            user = users[account.key]
            totp = existing.get((user.pk, Authenticator.Type.TOTP))
            if totp is None:
                # What allauth stores when someone sets up TOTP: the secret, encrypted by
                # the MFA adapter (allauth's public hook), in an Authenticator row.
                Authenticator.objects.create(
                    user=user,
                    type=Authenticator.Type.TOTP,
                    data={"secret": encrypt(account.totp_secret)},
                )
                self.result.created[label] += 1
            elif decrypt(totp.data.get("secret", "")) != account.totp_secret:
                totp.data = {**totp.data, "secret": encrypt(account.totp_secret)}
                totp.save(update_fields=["data"])
                self.result.updated[label] += 1
            seed = recovery_seed(account)
            codes = existing.get((user.pk, Authenticator.Type.RECOVERY_CODES))
            if codes is None:
                Authenticator.objects.create(
                    user=user,
                    type=Authenticator.Type.RECOVERY_CODES,
                    data={"seed": encrypt(seed), "used_mask": 0},
                )
                self.result.created[label] += 1
            elif "seed" not in codes.data or decrypt(codes.data["seed"]) != seed:
                # Codes someone used in the demo stay used; only a foreign seed is replaced.
                codes.data = {"seed": encrypt(seed), "used_mask": 0}
                codes.save(update_fields=["data"])
                self.result.updated[label] += 1

    def role_assignments(
        self, region: Region, orgs: dict[str, Organisation], users: dict[str, User]
    ) -> None:
        held = set(
            RoleAssignment.objects.filter(
                user__in=users.values(),
                status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.PENDING],
            ).values_list("user_id", "role", "organisation_id", "region_id")
        )
        label = _label(RoleAssignment)
        for account in data.DEMO_ACCOUNTS:
            if account.role is None:
                continue
            user = users[account.key]
            org = orgs[account.organisation]
            scope = (None, region.pk) if account.regional else (org.pk, None)
            if (user.pk, account.role, *scope) in held:
                continue
            role_assignment_request(
                actor=None,
                user=user,
                role=account.role,
                organisation=None if account.regional else org,
                region=region if account.regional else None,
                reason=str(_("Demogegevens")),
            )
            self.result.created[label] += 1

    # -- vertrouwenspersonen (R-WBK-6) --------------------------------------------------

    def counsellor_listings(self, orgs: dict[str, Organisation]) -> None:
        """Two listings per organisation, an internal and an external one (.example only).

        Matched on organisation and the demo's e-mail address (so a renamed demo
        counsellor is updated, not doubled); listings an administrator added are left alone.
        """
        existing = {
            (c.organisation_id, c.email): c
            for c in CounsellorListing.objects.filter(organisation__in=orgs.values())
        }
        desired: dict[Any, dict[str, Any]] = {}
        for slug, org in orgs.items():
            for listing in demo_counsellor_listings(slug):
                desired[(org.pk, listing["email"])] = {"organisation_id": org.pk, **listing}
        self.sync(CounsellorListing, existing, desired)

    # -- vervangers (seed 5.2) ----------------------------------------------------------

    def substitutes(self, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
        """Each organisation's own substitute for the secretary, someone who works there
        (its "loco-gemeentesecretaris"; at Leiderdorp the Directie account).

        The seed is the system itself (`actor=None`), so the designation is active at once,
        as its role grants are; in the application a second administrator approves it. A
        designation that is active or waits for approval is left alone. A demo account
        designated for an organisation the plan gives another substitute (as an earlier
        demo did: one person for all five) is revoked by the demo's administrator.
        """
        planned = {
            (orgs[a.organisation].pk, users[a.key].pk)
            for a in data.DEMO_ACCOUNTS
            if a.substitutes_secretary
        }
        designated = list(
            Substitute.objects.filter(
                user__in=users.values(),
                replaces_role=SubstituteRole.SECRETARY,
                organisation__in=orgs.values(),
                status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.PENDING],
            )
        )
        label = _label(Substitute)
        administrator = users[ADMINISTRATOR_ACCOUNT]
        for substitute in designated:
            if (substitute.organisation_id, substitute.user_id) not in planned:
                substitute_revoke(actor=administrator, substitute=substitute)
                self.result.deleted[label] += 1
        present = {(s.organisation_id, s.user_id) for s in designated}
        by_pk = {org.pk: org for org in orgs.values()}
        by_user = {user.pk: user for user in users.values()}
        for org_pk, user_pk in sorted(planned - present):
            substitute_request(
                actor=None,
                organisation=by_pk[org_pk],
                replaces_role=SubstituteRole.SECRETARY,
                user=by_user[user_pk],
            )
            self.result.created[label] += 1

    # -- all ----------------------------------------------------------------------------

    def run(self) -> SeedResult:
        plans = [build_plan(spec) for spec in data.ORGANISATIONS]
        region = self.region()
        orgs = self.organisations(region, plans)
        self.core_values(orgs)
        functions = self.functions(orgs)
        units = self.units(orgs, plans)
        users = self.users()
        employees = self.employees(orgs, plans, units, functions, users)
        self.unit_managers(orgs, plans, units, employees)
        self.authenticators(users)
        self.role_assignments(region, orgs, users)
        self.counsellor_listings(orgs)
        self.substitutes(orgs, users)
        # The dilemma library is product content (migration-loaded); a flushed database
        # gets it back here, before the demo's discussions pick from it.
        restored = dilemma_library_restore()
        if restored:
            self.result.created[_label(Dilemma)] += restored
        if self.with_reports:
            made = seed_reports(orgs, users)
            if made:
                self.result.created[_label(Case)] += made
        if self.with_domains:
            self.result.created.update(seed_domains(orgs, users))
        if self.result.changed:
            audit_record(action="demo.seed", obj=region, origin=Origin.CLI)
        return self.result


# The demo account that revokes designations the plan no longer has (a regional one).
ADMINISTRATOR_ACCOUNT = "administrator"


def _counsellor_name(slug: str) -> str:
    """The internal vertrouwenspersoon of the directory is the demo account that holds the
    role in that organisation (so the name on the Meldpunt page is the one who logs in)."""
    for account in data.accounts_of(slug):
        if account.role == Role.CONFIDENTIAL_COUNSELLOR and not account.regional:
            return account.full_name
    return "Vertrouwenspersoon"


def demo_counsellor_listings(slug: str) -> list[dict[str, Any]]:
    """The demo's directory of vertrouwenspersonen for one organisation."""
    return [
        {
            "name": _counsellor_name(slug),
            "is_external": False,
            "phone": "071 000 0101",
            "email": f"vertrouwenspersoon@{slug}.example",
            "availability": "maandag t/m donderdag, 9.00-17.00 uur",
            "introduction": (
                "Ik werk zelf bij de organisatie en luister naar wie twijfelt over een "
                "misstand of ongewenst gedrag ervaart. Wat u vertelt, blijft tussen ons."
            ),
            "position": 1,
        },
        {
            "name": "Extern vertrouwenspersoon (Bureau Vertrouwen Leidse Regio)",
            "is_external": True,
            "phone": "071 000 0199",
            "email": "contact@bureau-vertrouwen.example",
            "availability": "werkdagen, 8.30-18.00 uur",
            "introduction": (
                "Onafhankelijk van de organisatie, voor wie liever met iemand van buiten "
                "praat. Het eerste gesprek is gratis en vertrouwelijk."
            ),
            "position": 2,
        },
    ]


def encrypt(text: str) -> str:
    return get_mfa_adapter().encrypt(text)


def decrypt(text: str) -> str:
    return get_mfa_adapter().decrypt(text)


def recovery_seed(account: DemoAccount) -> str:
    """A fixed seed per demo account, so its recovery codes are the same on every machine."""
    return hashlib.sha256(f"integritas-demo-recovery:{account.key}".encode()).hexdigest()


def seed_demo(*, reports: bool = True, domains: bool = True) -> SeedResult:
    """Create or restore the demo of the Leidse regio. Refuses outside demo settings.

    `reports=False` leaves out the demo's reports (reports.py), `domains=False` the data of
    the registers, duties, documents, counsellors' log, risks and awareness (domains.py),
    for a quick base.
    """
    require_demo_allowed()
    with transaction.atomic():
        return _Seeder(with_reports=reports, with_domains=domains).run()

"""Who holds which role where. Cached per user object for the length of a request."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from integritas.core.contributions import WORK_COUNT_CAP, privilege_checks
from integritas.organisations.models import (
    Employee,
    EmployeeQuerySet,
    Organisation,
    OrgUnit,
    Region,
)

from .constants import PRIVILEGED_ROLES, AssignmentStatus, Role
from .models import RoleAssignment, User

_CACHE_ATTR = "_integritas_roles"


@dataclass(frozen=True)
class UserRoles:
    """The active roles of one user, resolved to the organisations they cover."""

    organisations_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    regional_roles: frozenset[str] = frozenset()
    #: Per role, the regions it is held for (all their organisations are in
    #: organisations_by_role) and the organisations it is held for one by one: a query
    #: over a whole region can then say "in this region" instead of listing 355 ids.
    regions_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    direct_organisations_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    employee: Employee | None = None
    is_manager: bool = False

    def has(self, role: str, organisation: Organisation | int | None = None) -> bool:
        """Holds `role` at all, or (with organisation) for that organisation."""
        orgs = self.organisations_by_role.get(role)
        if orgs is None:
            return False
        if organisation is None:
            return True
        org_id = organisation if isinstance(organisation, int) else organisation.pk
        return org_id in orgs

    def organisation_ids(self, role: str) -> frozenset[int]:
        return self.organisations_by_role.get(role, frozenset())

    def region_ids(self, role: str) -> frozenset[int]:
        return self.regions_by_role.get(role, frozenset())

    def direct_organisation_ids(self, role: str) -> frozenset[int]:
        return self.direct_organisations_by_role.get(role, frozenset())

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.organisations_by_role)

    @property
    def is_privileged(self) -> bool:
        return bool(self.roles & PRIVILEGED_ROLES)


def user_roles(user: Any) -> UserRoles:
    """Resolve once per user object; regional roles cover every organisation of the region."""
    if user is None or not getattr(user, "is_authenticated", False):
        return UserRoles()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    by_role: dict[str, set[int]] = {}
    regional: set[str] = set()
    regions: dict[str, set[int]] = {}
    direct: dict[str, set[int]] = {}
    assignments = RoleAssignment.objects.filter(
        user=user, status=AssignmentStatus.ACTIVE
    ).values_list("role", "organisation_id", "region_id")
    region_orgs: dict[int, list[int]] = {}
    for role, org_id, region_id in assignments:
        if org_id is not None:
            by_role.setdefault(role, set()).add(org_id)
            direct.setdefault(role, set()).add(org_id)
            continue
        regional.add(role)
        regions.setdefault(role, set()).add(region_id)
        if region_id not in region_orgs:
            region_orgs[region_id] = list(
                Organisation.objects.filter(region_id=region_id).values_list("pk", flat=True)
            )
        by_role.setdefault(role, set()).update(region_orgs[region_id])
    # With the unit and function that "Mijn integriteit" and the registers show.
    # Whether they manage anyone (a unit they head, or direct reports) in the same query:
    # every page asks it (the navigation), so two lookups of their own would be two
    # queries on every request.
    employee = (
        Employee.objects.filter(user=user)
        .select_related("organisation", "org_unit", "function")
        .annotate(
            heads_unit=Exists(OrgUnit.managers.through.objects.filter(employee_id=OuterRef("pk"))),
            has_reports=Exists(Employee.objects.filter(manager_id=OuterRef("pk"))),
        )
        .first()
    )
    is_manager = employee is not None and bool(
        getattr(employee, "heads_unit", False) or getattr(employee, "has_reports", False)
    )
    result = UserRoles(
        organisations_by_role={role: frozenset(ids) for role, ids in by_role.items()},
        regional_roles=frozenset(regional),
        regions_by_role={role: frozenset(ids) for role, ids in regions.items()},
        direct_organisations_by_role={role: frozenset(ids) for role, ids in direct.items()},
        employee=employee,
        is_manager=is_manager,
    )
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_user_roles(user: Any) -> None:
    """Drop the per-request cache after an assignment changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def users_for_administration(viewer: User) -> QuerySet[User]:
    """Users an administrator manages: those of the organisations they administer.

    A regional administrator sees everyone; an organisation administrator sees users
    who work for that organisation or hold a role there.
    """
    roles = user_roles(viewer)
    org_ids = roles.organisation_ids(Role.ADMINISTRATOR)
    qs = User.objects.all()
    if Role.ADMINISTRATOR in roles.regional_roles:
        return qs.order_by("full_name", "pk")
    return (
        (
            qs.filter(employee__organisation_id__in=org_ids)
            | qs.filter(assignments__organisation_id__in=org_ids)
        )
        .distinct()
        .order_by("full_name")
    )


def user_get_for_administration(viewer: User, pk: int) -> User | None:
    return users_for_administration(viewer).filter(pk=pk).first()


def assignments_for_administration(viewer: User) -> QuerySet[RoleAssignment]:
    """Assignments in the scope an administrator manages."""
    roles = user_roles(viewer)
    qs = RoleAssignment.objects.select_related(
        "user", "organisation", "region", "requested_by", "decided_by"
    )
    if Role.ADMINISTRATOR in roles.regional_roles:
        return qs
    return qs.filter(organisation_id__in=roles.organisation_ids(Role.ADMINISTRATOR))


@dataclass(frozen=True)
class AssignmentsPage:
    """One keyset page of active assignments, by the user's name, and the rows that
    anchor the neighbouring pages (None: there is none that way)."""

    object_list: list[RoleAssignment]
    previous_before: int | None  # the previous page ends just before this row
    next_after: int | None  # the next page starts just after this row

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


#: The order of the active assignments: by the user's name (the index on `full_name`,
#: accounts migration 0005), then role and id, so that every row has one place.
_ASSIGNMENT_ORDER = ("user__full_name", "role", "pk")
#: What a row shows: the user, the role and its scope (organisation or region).
_ASSIGNMENT_ROW_FIELDS = (
    "role",
    "user__full_name",
    "user__email",
    "organisation__name",
    "region__name",
)


def _anchor_pk(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) <= 18 else None


def active_assignments_page(
    viewer: User, *, after: Any = None, before: Any = None, size: int
) -> AssignmentsPage:
    """One page of the active assignments an administrator manages, by the user's name.

    Keyset pages: the page after (or before) an anchor row, named by its id in the
    address (never the name: addresses end up in logs), read along the order in one
    query of at most size + 1 rows, with the columns the list shows; a later page
    first reads its anchor's sort keys (one small query). No count, no offset: the
    thousandth page costs what the first does."""
    active = assignments_for_administration(viewer).filter(status=AssignmentStatus.ACTIVE)
    rows = (
        active.select_related(None)
        .select_related("user", "organisation", "region")
        .only(*_ASSIGNMENT_ROW_FIELDS)
    )
    backwards = _anchor_pk(before) is not None
    anchor_pk = _anchor_pk(before) if backwards else _anchor_pk(after)
    anchor = None
    if anchor_pk is not None:
        anchor = (
            active.select_related(None)
            .filter(pk=anchor_pk)
            .values_list("user__full_name", "role", "pk")
            .first()
        )
    if anchor is None:
        found = list(rows.order_by(*_ASSIGNMENT_ORDER)[: size + 1])
        return AssignmentsPage(
            found[:size], None, found[size - 1].pk if len(found) > size else None
        )
    name, role, pk = anchor
    if backwards:
        earlier = (
            Q(user__full_name__lt=name)
            | Q(user__full_name=name, role__lt=role)
            | Q(user__full_name=name, role=role, pk__lt=pk)
        )
        descending = [f"-{key}" for key in _ASSIGNMENT_ORDER]
        found = list(rows.filter(earlier).order_by(*descending)[: size + 1])
        if not found:
            return active_assignments_page(viewer, size=size)
        shown = found[:size][::-1]
        return AssignmentsPage(shown, shown[0].pk if len(found) > size else None, shown[-1].pk)
    later = (
        Q(user__full_name__gt=name)
        | Q(user__full_name=name, role__gt=role)
        | Q(user__full_name=name, role=role, pk__gt=pk)
    )
    found = list(rows.filter(later).order_by(*_ASSIGNMENT_ORDER)[: size + 1])
    if not found:
        return active_assignments_page(viewer, size=size)
    return AssignmentsPage(
        found[:size], found[0].pk, found[size - 1].pk if len(found) > size else None
    )


def privileged_assignments_for_review(
    viewer: User,
    *,
    organisation_ids: Collection[int] | None = None,
    regional: bool = True,
) -> QuerySet[RoleAssignment]:
    """R-BIO-2: the yearly access review lists every privileged assignment.

    With `organisation_ids`, those of these organisations only (one page of the review),
    and with `regional` also the regional ones (organisation empty)."""
    assignments = assignments_for_administration(viewer).filter(
        status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.PENDING]
    )
    if organisation_ids is not None:
        scope = Q(organisation_id__in=sorted(organisation_ids))
        if regional:
            scope |= Q(organisation__isnull=True)
        assignments = assignments.filter(scope)
    # The columns the review shows, not every field of the six rows a line joins (the
    # users' password hashes and timestamps among them): 75 lines on the first page.
    return assignments.only(*REVIEW_FIELDS).order_by(
        "organisation__name", "region__name", "role", "user__full_name"
    )


#: What the access review reads of an assignment and the rows it joins.
REVIEW_FIELDS = (
    "role",
    "status",
    "created_at",
    "organisation__name",
    "region__name",
    *(
        f"{user}__{field}"
        for user in ("user", "requested_by", "decided_by")
        for field in ("full_name", "email")
    ),
)


def administered_scopes(viewer: User) -> tuple[QuerySet[Organisation], QuerySet[Region]]:
    """The organisations and regions in which `viewer` may grant roles."""
    roles = user_roles(viewer)
    if Role.ADMINISTRATOR in roles.regional_roles:
        return Organisation.objects.order_by("name"), Region.objects.order_by("name")
    organisations = Organisation.objects.filter(
        pk__in=roles.organisation_ids(Role.ADMINISTRATOR)
    ).order_by("name")
    return organisations, Region.objects.none()


_PRIVILEGED_ATTR = "_integritas_privileged"


def user_is_privileged(user: Any) -> bool:
    """Needs a second factor and the short idle timeout (R-BIO-2).

    A privileged role, or anything another app reports through its contribution's
    privilege checks (core.contributions) — for example an active substitute or case
    handler who reads case content without holding a privileged role.
    """
    if user_roles(user).is_privileged:
        return True
    cached = getattr(user, _PRIVILEGED_ATTR, None)
    if cached is None:
        cached = any(check(user) for check in privilege_checks())
        setattr(user, _PRIVILEGED_ATTR, cached)
    return bool(cached)


def _role_scope(user: Any, role: str) -> tuple[list[int], list[int]]:
    """The organisations where `user` holds `role` themselves, and the regions of their
    regional `role` (whose every organisation they cover)."""
    roles = user_roles(user)
    return sorted(roles.direct_organisation_ids(role)), sorted(roles.region_ids(role))


def in_organisations_for_role(user: Any, role: str, field: str = "organisation_id") -> Q:
    """`field` (an organisation id) is one in which `user` holds `role`: a regional role
    as a subquery on its region's organisations, not as their list (see below)."""
    direct, regions = _role_scope(user, role)
    scope = Q(**{f"{field}__in": direct})
    if regions:
        in_region = Organisation.objects.filter(region_id__in=regions)
        scope |= Q(**{f"{field}__in": in_region.values("pk")})
    return scope


def organisations_for_role(user: Any, role: str) -> QuerySet[Organisation]:
    """Organisations in which `user` holds `role` (regional roles cover the region).

    A regional role is written as its region, not as the list of the region's
    organisations (355 in a national one), which the database would parse and plan
    again in every query, twice on a paginated page (its count and its rows)."""
    direct, regions = _role_scope(user, role)
    scope = Q(pk__in=direct)
    if regions:
        scope |= Q(region_id__in=regions)
    return Organisation.objects.filter(scope).order_by("name")


def organisation_get_for_role(user: Any, role: str, slug: str) -> Organisation | None:
    return organisations_for_role(user, role).filter(slug=slug).first()


def employees_visible_to_hrm(user: Any) -> EmployeeQuerySet:
    """HRM sees the employees of the organisations they hold the HRM role in."""
    return (
        Employee.objects.filter(organisation__in=organisations_for_role(user, Role.HRM))
        .select_related("organisation", "org_unit", "function", "manager")
        .order_by("organisation__name", "last_name", "first_name")
    )


def employee_get_for_legal_hold(user: Any, pk: int) -> Employee | None:
    """The employee whose legal hold `user` may see and change (R-DP-2): one of the
    organisations where they are HRM or integrity officer; None (404) otherwise."""
    organisation_ids = user_roles(user).organisation_ids(Role.HRM) | user_roles(
        user
    ).organisation_ids(Role.INTEGRITY_OFFICER)
    return (
        Employee.objects.filter(pk=pk, organisation_id__in=sorted(organisation_ids))
        .select_related("organisation", "org_unit", "function", "legal_hold_set_by__employee")
        .first()
    )


def employees_without(user: Any, gap: str) -> list[datetime.datetime]:
    """When the HRM's current employees without `gap` ("org_unit" or "function") were
    added, oldest first, at most WORK_COUNT_CAP (the home page's "HR-gegevens
    aanvullen"): read along the partial index of that gap (employee_without_unit_idx,
    employee_without_function_idx)."""
    if gap not in ("org_unit", "function"):
        raise ValueError(f"not a gap the HR import can leave: {gap}")
    organisation_ids = user_roles(user).organisation_ids(Role.HRM)
    missing = Employee.objects.filter(
        organisation_id__in=organisation_ids, **{f"{gap}__isnull": True}
    ).current()
    return list(
        missing.order_by("created_at").values_list("created_at", flat=True)[:WORK_COUNT_CAP]
    )


def role_holders(
    role: str,
    organisation: Organisation | int,
    *,
    regional: bool = True,
    include_inactive_logins: bool = False,
) -> QuerySet[User]:
    """The active users who hold `role` for `organisation`: the one place that says so.

    A regional assignment (organisation empty, the organisation's region set) covers
    every organisation of that region, as in `user_roles`; `regional=False` asks for the
    organisation's own holders only. Only active assignments count, and inactive logins
    only with `include_inactive_logins` (for keeping someone away from a case, where a
    login switched on again later must still find them named).
    """
    org = (
        organisation
        if isinstance(organisation, Organisation)
        else Organisation.objects.only("pk", "region_id").get(pk=organisation)
    )
    scope = Q(assignments__organisation_id=org.pk)
    if regional:
        scope |= Q(assignments__organisation__isnull=True, assignments__region_id=org.region_id)
    users = User.objects.filter(
        scope, assignments__role=role, assignments__status=AssignmentStatus.ACTIVE
    )
    if not include_inactive_logins:
        users = users.filter(is_active=True)
    return users.distinct().order_by("pk")

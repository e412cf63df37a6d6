"""Substitutes (seed 5.2): who takes over a case when a role holder is involved.

A substitute reads the cases that concern the person they replace, so designating one
follows the four-eyes rule of the content roles (DESIGN §2, R-BIO-2): one administrator
requests, another approves. From the intake on, or once a role holder is linked as
involved, the organisation's active substitutes become the case's handlers.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.grants.permissions import can_decide_grant
from integritas.accounts.grants.services import (
    FourEyes,
    GrantTexts,
    grant_decide,
    grant_request,
    grant_revoke,
)
from integritas.accounts.selectors import role_holders, user_roles
from integritas.cases.access import person_index
from integritas.cases.constants import SubstituteRole
from integritas.cases.models import Case, CaseHandler, InvolvedPerson, Substitute
from integritas.cases.writes import create_involved
from integritas.organisations.models import Employee, Organisation


def _substitute_handler_role(replaces_role: str) -> str:
    return Role.SECRETARY if replaces_role == Role.SECRETARY else Role.INTEGRITY_COORDINATOR


def _end_substitute_handling(substitute: Substitute, was_active: bool) -> None:
    """A revoked substitute loses the cases they handled only as substitute: unless
    another active designation or their own role keeps them on as that handler."""
    if not was_active:
        return
    handler_role = _substitute_handler_role(substitute.replaces_role)
    same_handler_roles = [
        r for r in SubstituteRole.values if _substitute_handler_role(r) == handler_role
    ]
    still_substitute = Substitute.objects.filter(
        organisation_id=substitute.organisation_id,
        user_id=substitute.user_id,
        replaces_role__in=same_handler_roles,
        status=AssignmentStatus.ACTIVE,
    ).exists()
    holds_role = user_roles(substitute.user).has(handler_role, substitute.organisation_id)
    if not still_substitute and not holds_role:
        CaseHandler.objects.filter(
            user_id=substitute.user_id,
            case__organisation_id=substitute.organisation_id,
            role=handler_role,
            active=True,
        ).update(active=False)


SUBSTITUTE_GRANT = FourEyes(
    model=Substitute,
    action="substitute",
    texts=GrantTexts(
        to_self=gettext_lazy("U kunt uzelf niet als vervanger aanwijzen."),
        duplicate=gettext_lazy(
            "Deze persoon is hier al vervanger voor deze rol (of wacht op goedkeuring)."
        ),
        outside_scope=gettext_lazy("U beheert deze organisatie niet."),
        cannot_decide=gettext_lazy("U kunt deze aanwijzing niet beoordelen."),
        not_open=gettext_lazy("Deze aanwijzing is niet meer actief."),
    ),
    on_revoke=_end_substitute_handling,
)

# Four eyes: another administrator of the organisation, not the designated person.
can_decide_substitute = can_decide_grant


def substitute_request(
    *, actor: Any, organisation: Organisation, replaces_role: str, user: Any
) -> Substitute:
    """An administrator of the organisation proposes a substitute; it waits for a second.

    `actor=None` is the system itself (the demo seed): the designation is active at once.
    """
    if replaces_role not in SubstituteRole.values:
        raise ValidationError({"replaces_role": _("Kies een rol die vervangen kan worden.")})
    substitute = Substitute(organisation=organisation, replaces_role=replaces_role, user=user)
    return grant_request(kind=SUBSTITUTE_GRANT, actor=actor, grant=substitute)


def substitute_decide(*, actor: Any, substitute: Substitute, approve: bool) -> Substitute:
    """The second administrator approves or rejects a pending designation."""
    return grant_decide(kind=SUBSTITUTE_GRANT, actor=actor, grant=substitute, approve=approve)


def substitute_revoke(*, actor: Any, substitute: Substitute) -> Substitute:
    """End a designation (or withdraw a pending one). The substitute loses the cases they
    handled only as substitute."""
    return grant_revoke(kind=SUBSTITUTE_GRANT, actor=actor, grant=substitute)


def substitutes_designated(organisation: Organisation, role: str) -> bool:
    """Whether the organisation has an active substitute for `role` (a SubstituteRole)."""
    return Substitute.objects.filter(
        organisation=organisation, replaces_role=role, status=AssignmentStatus.ACTIVE
    ).exists()


def route_to_substitutes(case: Case, role: str) -> None:
    """The reporter says the report concerns a holder of `role`; not knowing which one,
    every holder for the organisation (regional holders too, and holders whose login is
    switched off, who might come back) is named as involved (a blind index, as always),
    so none of them sees the case, and the organisation's substitutes take it over.
    case_submit has checked that there is a substitute."""
    holders = role_holders(role, case.organisation, include_inactive_logins=True)
    label = _("%(role)s, volgens de melder") % {"role": SubstituteRole(role).label}
    employees = Employee.objects.filter(user__in=holders).select_related("organisation")
    for employee in employees:
        create_involved(case, employee, label)
    for substitute in Substitute.objects.filter(
        organisation=case.organisation, replaces_role=role, status=AssignmentStatus.ACTIVE
    ):
        CaseHandler.objects.get_or_create(
            case=case, user=substitute.user, role=_substitute_handler_role(role), active=True
        )


def assign_substitutes(case: Case, employee: Employee) -> None:
    roles = user_roles(employee.user)
    for role in (Role.INTEGRITY_COORDINATOR, Role.SECRETARY, Role.INTEGRITY_OFFICER):
        if not roles.has(role, case.organisation_id):
            continue
        for substitute in Substitute.objects.filter(
            organisation=case.organisation, replaces_role=role, status=AssignmentStatus.ACTIVE
        ).exclude(user=employee.user):
            handler_role = _substitute_handler_role(role)
            CaseHandler.objects.get_or_create(
                case=case, user=substitute.user, role=handler_role, active=True
            )


def _replaced_roles(user: Any, organisation_id: int) -> list[str]:
    roles = user_roles(user)
    return [role for role in SubstituteRole.values if roles.has(role, organisation_id)]


def _roles_still_named(case: Case) -> set[str]:
    """The replaced roles (SubstituteRole) held by someone the case still names: their
    holders' blind indexes among the case's, as route_to_substitutes names them."""
    named = set(
        InvolvedPerson.objects.filter(case=case)
        .exclude(blind_index="")
        .values_list("blind_index", flat=True)
    )
    if not named:
        return set()
    still: set[str] = set()
    for role in SubstituteRole.values:
        holders = role_holders(role, case.organisation, include_inactive_logins=True)
        numbers = Employee.objects.filter(user__in=holders).values_list(
            "organisation__slug", "personnel_number"
        )
        if any(person_index(slug, number) in named for slug, number in numbers):
            still.add(role)
    return still


def substitute_handler_roles_needed(case: Case) -> set[str]:
    """The handler roles (coordinator, secretary) that substitutes still hold on `case`
    because someone it names holds a role they replace."""
    return {_substitute_handler_role(role) for role in _roles_still_named(case)}


def release_substitutes(case: Case, employee: Employee) -> None:
    """The counterpart of assign_substitutes, when the link of `employee` is undone: the
    substitutes who took the case over because of them leave it, unless someone the case
    still names holds a role they replace. In the caller's transaction."""
    if employee.user_id is None:
        return
    replaced = _replaced_roles(employee.user, case.organisation_id)
    if not replaced:
        return
    still_needed = substitute_handler_roles_needed(case)
    for handler_role in {_substitute_handler_role(role) for role in replaced} - still_needed:
        replacing = [
            r for r in SubstituteRole.values if _substitute_handler_role(r) == handler_role
        ]
        substitutes = Substitute.objects.filter(
            organisation_id=case.organisation_id,
            replaces_role__in=replacing,
            status=AssignmentStatus.ACTIVE,
        ).values("user_id")
        CaseHandler.objects.filter(
            case=case, role=handler_role, active=True, user_id__in=substitutes
        ).update(active=False)

"""Every write of the registers: keyword-only, atomic, permission-checked, audited, with
its notice enqueued in the same transaction (ids only)."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.accounts.constants import Role
from integritas.accounts.selectors import role_holders
from integritas.audit.constants import Origin
from integritas.audit.services import audit_record
from integritas.organisations.models import Employee, Organisation
from integritas.organisations.selectors import (
    employee_manager,
    personnel_records_expired,
    personnel_records_held,
)

from . import notices, signalling, vault
from .constants import (
    FINANCIAL_OUTCOMES,
    GENERAL_OUTCOMES,
    GIFT_OUTCOMES,
    MAX_HOURS_PER_MONTH,
    MAX_VALUE_CENTS,
    OUTCOME_STATUS,
    PUBLISHABLE_STATUSES,
    RETENTION_YEARS_AFTER_EMPLOYMENT,
    Criterion,
    GiftKind,
    Kind,
    Outcome,
    Route,
    SignalState,
    Status,
)
from .counterparty_file import CounterpartyRow
from .matching import Party, normalise_name
from .models import (
    ConflictOfInterest,
    ConflictSignal,
    ContractPermission,
    Counterparty,
    Decision,
    FinancialInterest,
    Gift,
    GiftTotal,
    PurgedRegistrationTally,
    Registration,
    SideActivity,
)
from .permissions import can_decide, current_employee, keeps_register, manages_counterparties

# --------------------------------------------------------------------------- who decides


def is_secretary(employee: Employee) -> bool:
    """The gemeentesecretaris (or a shared service's director): holds the secretary role
    for the organisation, or heads a top unit of it. One query."""
    secretaries = role_holders(Role.SECRETARY, employee.organisation, regional=False)
    return (
        Employee.objects.filter(pk=employee.pk)
        .filter(
            Q(user__in=secretaries.values("pk"))
            | Q(
                managed_units__parent__isnull=True,
                managed_units__organisation_id=employee.organisation_id,
            )
        )
        .exists()
    )


def gift_needs_decision(*, gift_kind: str, value_cents: int, threshold_cents: int) -> bool:
    """R-GC-1/R-GC-2: above the threshold, money, and invitations get a decision; a gift
    up to and including the threshold is only registered."""
    if gift_kind in (GiftKind.PAYMENT, GiftKind.INVITATION):
        return True
    return value_cents > threshold_cents


def route_for(employee: Employee, kind: str) -> tuple[str, Employee | None]:
    """(route, deciding manager). Financial interests: the integrity officer (the manager
    is kept to learn the outcome). The secretary, or anyone without a manager: the
    burgemeester. Everyone else: their manager."""
    manager = employee_manager(employee)
    if manager is not None and manager.pk == employee.pk:
        manager = None
    if kind == Kind.FINANCIAL_INTEREST:
        return Route.INTEGRITY_OFFICER, manager
    if manager is None or is_secretary(employee):
        return Route.MAYOR, None
    return Route.MANAGER, manager


# --------------------------------------------------------------------------- checks


def _own_employee(actor: Any, employee: Employee) -> None:
    own = current_employee(actor)
    if own is None or own.pk != employee.pk:
        raise PermissionDenied


def _text(data: dict[str, Any], name: str) -> str:
    return str(data.get(name) or "").strip()


def _check_side_activity(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    hours = data.get("hours_per_month")
    if hours is None or Decimal(hours) < 0 or Decimal(hours) > MAX_HOURS_PER_MONTH:
        errors["hours_per_month"] = _("Vul een aantal uren per maand in tussen 0 en %(max)d.") % {
            "max": MAX_HOURS_PER_MONTH
        }
    start, end = data.get("start_date"), data.get("end_date")
    if start is None:
        errors["start_date"] = _("Vul de begindatum in.")
    elif end is not None and end < start:
        errors["end_date"] = _("De einddatum ligt vóór de begindatum.")
    if not _text(data, "description"):
        errors["description"] = _("Beschrijf de nevenwerkzaamheid.")
    if not _text(data, "client_name"):
        errors["client_name"] = _("Vul de organisatie in.")
    if errors:
        raise ValidationError(errors)


def _check_gift(data: dict[str, Any]) -> None:
    value = data.get("value_cents")
    if value is None or value < 0 or value > MAX_VALUE_CENTS:
        raise ValidationError(
            {"value": _("Vul een geschatte waarde in tussen € 0 en € 1.000.000.")}
        )
    if data.get("gift_kind") == GiftKind.INVITATION and not data.get("invitation_kind"):
        raise ValidationError({"invitation_kind": _("Kies wat voor uitnodiging het is.")})


# --------------------------------------------------------------------------- registering


def _register(
    *, actor: Any, employee: Employee, kind: str, title: str, needs_decision: bool = True
) -> Registration:
    route, manager = route_for(employee, kind) if needs_decision else (Route.NONE, None)
    registration = Registration.objects.create(
        organisation_id=employee.organisation_id,
        employee=employee,
        kind=kind,
        title=title[:200],
        route=route,
        decider=manager,
        status=Status.PENDING if needs_decision else Status.NOTED,
    )
    audit_record(
        action=f"registers.{kind}.registered",
        actor=actor,
        obj=registration,
        organisation=employee.organisation,
    )
    if needs_decision:
        notices.enqueue_in_transaction(notices.notify_decision_needed, registration.pk)
    return registration


def side_activity_register(*, actor: Any, employee: Employee, data: dict[str, Any]) -> Registration:
    """R-AW-5: a side activity, current or planned, paid or unpaid."""
    _own_employee(actor, employee)
    _check_side_activity(data)
    with transaction.atomic():
        registration = _register(
            actor=actor,
            employee=employee,
            kind=Kind.SIDE_ACTIVITY,
            title=_text(data, "description"),
        )
        SideActivity.objects.create(registration=registration, **_side_activity_fields(data))
        signalling.recompute_registration(registration)
    return registration


def _side_activity_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "client_name": _text(data, "client_name"),
        "kvk_number": _text(data, "kvk_number"),
        "paid": bool(data.get("paid")),
        "hours_per_month": data["hours_per_month"],
        "start_date": data["start_date"],
        "end_date": data.get("end_date"),
        "relation_to_work": _text(data, "relation_to_work"),
        "relation_to_parties": _text(data, "relation_to_parties"),
    }


def side_activity_change(
    *, actor: Any, registration: Registration, data: dict[str, Any]
) -> Registration:
    """A change re-opens the assessment: the activity is decided on again."""
    _own_employee(actor, registration.employee)
    if registration.kind != Kind.SIDE_ACTIVITY:
        raise PermissionDenied
    _check_side_activity(data)
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        route, manager = route_for(locked.employee, locked.kind)
        locked.title = _text(data, "description")[:200]
        locked.status = Status.PENDING
        locked.route = route
        locked.decider = manager
        locked.conditions = ""
        locked.decided_at = None
        locked.save()
        SideActivity.objects.filter(registration=locked).update(**_side_activity_fields(data))
        signalling.recompute_registration(locked)
        audit_record(
            action="registers.side_activity.changed",
            actor=actor,
            obj=locked,
            organisation=locked.organisation,
        )
        notices.enqueue_in_transaction(notices.notify_decision_needed, locked.pk)
    return locked


def side_activity_end(
    *, actor: Any, registration: Registration, end_date: datetime.date
) -> Registration:
    """The employee ends a side activity; it leaves the public register from that day."""
    _own_employee(actor, registration.employee)
    if registration.kind != Kind.SIDE_ACTIVITY:
        raise PermissionDenied
    with transaction.atomic():
        activity = SideActivity.objects.select_for_update().get(registration=registration)
        if end_date < activity.start_date:
            raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})
        activity.end_date = end_date
        activity.save(update_fields=["end_date"])
        signalling.recompute_registration(registration)
        audit_record(
            action="registers.side_activity.ended",
            actor=actor,
            obj=registration,
            organisation=registration.organisation,
        )
    return registration


def gift_register(*, actor: Any, employee: Employee, data: dict[str, Any]) -> Registration:
    """R-AW-10, R-GC-1, R-GC-2: against the organisation's threshold of today."""
    _own_employee(actor, employee)
    _check_gift(data)
    threshold_cents = int(employee.organisation.gift_threshold * 100)
    gift_kind = data["gift_kind"]
    needs = gift_needs_decision(
        gift_kind=gift_kind, value_cents=data["value_cents"], threshold_cents=threshold_cents
    )
    with transaction.atomic():
        registration = _register(
            actor=actor,
            employee=employee,
            kind=Kind.GIFT,
            title=_text(data, "giver_organisation"),
            needs_decision=needs,
        )
        Gift.objects.create(
            registration=registration,
            organisation_id=employee.organisation_id,
            gift_kind=gift_kind,
            invitation_kind=(
                (data.get("invitation_kind") or "") if gift_kind == GiftKind.INVITATION else ""
            ),
            direction=data["direction"],
            giver_name=_text(data, "giver_name"),
            giver_organisation=_text(data, "giver_organisation"),
            relation=_text(data, "relation"),
            value_cents=data["value_cents"],
            threshold_cents=threshold_cents,
            given_on=data["given_on"],
            accepted=bool(data.get("accepted")),
            description=_text(data, "description"),
        )
        gift_totals_add(
            {
                (employee.organisation_id, _text(data, "giver_organisation"), data["given_on"]): (
                    1,
                    data["value_cents"],
                )
            }
        )
        signalling.recompute_registration(registration)
    return registration


#: (organisation pk, giver organisation, a day of the month) → (gifts, value in cents)
GiftTotalChanges = Mapping[tuple[int, str, datetime.date], tuple[int, int]]


def gift_totals_add(changes: GiftTotalChanges) -> None:
    """Add gifts to (or, negative, take them from) the totals per giver and month, in the
    caller's transaction; totals that reach zero go. Atomic increments: two gifts of the
    same giver and month registered at once both count."""
    merged: dict[tuple[int, str, datetime.date], tuple[int, int]] = {}
    for (organisation_id, giver, day), (count, cents) in changes.items():
        key = (organisation_id, giver[:200], day.replace(day=1))
        before = merged.get(key, (0, 0))
        merged[key] = (before[0] + count, before[1] + cents)
    with transaction.atomic():
        for (organisation_id, giver, month), (count, cents) in sorted(merged.items()):
            rows = GiftTotal.objects.filter(
                organisation_id=organisation_id, giver_organisation=giver, month=month
            )
            change = {"count": F("count") + count, "value_cents": F("value_cents") + cents}
            if rows.update(**change) or count <= 0:
                continue
            try:
                with transaction.atomic():
                    GiftTotal.objects.create(
                        organisation_id=organisation_id,
                        giver_organisation=giver,
                        month=month,
                        count=count,
                        value_cents=cents,
                    )
            except IntegrityError:  # written by another transaction in the meantime
                rows.update(**change)
        if any(count < 0 for count, _cents in merged.values()):
            GiftTotal.objects.filter(
                organisation_id__in={key[0] for key in merged}, count__lte=0
            ).delete()


def conflict_register(*, actor: Any, employee: Employee, data: dict[str, Any]) -> Registration:
    _own_employee(actor, employee)
    with transaction.atomic():
        registration = _register(
            actor=actor, employee=employee, kind=Kind.CONFLICT, title=_text(data, "dossier")
        )
        ConflictOfInterest.objects.create(
            registration=registration,
            dossier=_text(data, "dossier"),
            description=_text(data, "description"),
            measure=data["measure"],
            measure_text=_text(data, "measure_text"),
        )
    return registration


def contract_register(*, actor: Any, employee: Employee, data: dict[str, Any]) -> Registration:
    """R-AW-9: permission to take part in a contract or supply for the municipality."""
    _own_employee(actor, employee)
    with transaction.atomic():
        registration = _register(
            actor=actor, employee=employee, kind=Kind.CONTRACT, title=_text(data, "party_name")
        )
        ContractPermission.objects.create(
            registration=registration,
            party_name=_text(data, "party_name"),
            kvk_number=_text(data, "kvk_number"),
            description=_text(data, "description"),
            own_role=_text(data, "own_role"),
        )
    return registration


def financial_interest_register(
    *, actor: Any, employee: Employee, data: dict[str, Any]
) -> Registration:
    """R-AW-8: only holders of a designated function; the details sealed at rest."""
    _own_employee(actor, employee)
    if employee.function is None or not employee.function.designated_financial_interests:
        raise PermissionDenied
    with transaction.atomic():
        registration = _register(
            actor=actor, employee=employee, kind=Kind.FINANCIAL_INTEREST, title=""
        )
        interest = FinancialInterest(registration=registration, interest_kind=data["interest_kind"])
        vault.seal_details(interest, data)
        interest.save()
        signalling.recompute_registration(registration)
    return registration


# --------------------------------------------------------------------------- deciding


def outcomes_for(registration: Registration) -> tuple[Outcome, ...]:
    if registration.kind == Kind.FINANCIAL_INTEREST:
        return FINANCIAL_OUTCOMES
    if registration.kind == Kind.GIFT:
        return GIFT_OUTCOMES
    return GENERAL_OUTCOMES


def registration_decide(
    *,
    actor: Any,
    registration: Registration,
    outcome: str,
    criteria: list[str] | None = None,
    reasons: str = "",
    conditions: str = "",
) -> Decision:
    """Decide on a pending registration (R-AW-6, R-GC-3), tell the employee (a link)."""
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if not can_decide(actor, locked):
            raise PermissionDenied
        if outcome not in outcomes_for(locked):
            raise ValidationError({"outcome": _("Kies een besluit.")})
        conditions = conditions.strip()
        if outcome in (Outcome.CONDITIONAL, Outcome.MEASURE) and not conditions:
            raise ValidationError({"conditions": _("Vul de voorwaarden of de maatregel in.")})
        if outcome == Outcome.REFUSED and not reasons.strip():
            raise ValidationError({"reasons": _("Motiveer waarom het niet is toegestaan.")})
        criteria = [value for value in criteria or [] if value in Criterion.values]
        decision = Decision.objects.create(
            registration=locked,
            outcome=outcome,
            route=locked.route,
            decided_by=actor,
            criteria=criteria,
            reasons=reasons.strip(),
            conditions=conditions,
        )
        locked.status = OUTCOME_STATUS[Outcome(outcome)]
        locked.conditions = conditions
        locked.decided_at = timezone.now()
        locked.reassessment = False
        locked.save(
            update_fields=["status", "conditions", "decided_at", "reassessment", "updated_at"]
        )
        audit_record(
            action="registers.decided",
            actor=actor,
            actor_role=locked.route,
            obj=locked,
            organisation=locked.organisation,
        )
        notices.enqueue_in_transaction(notices.notify_decided, locked.pk)
        signalling.recompute_registration(locked)
    return decision


# --------------------------------------------------------------------------- conflict signals


def counterparties_import(
    *, actor: Any, organisation: Organisation, rows: list[CounterpartyRow]
) -> signalling.RecomputeResult:
    """Replace the organisation's counterparty list and recompute its signals in bulk,
    all in one transaction: a failure leaves the old list and signals as they were.
    Weighed signals stay; a party that left the list leaves them "no longer on the list"."""
    if not manages_counterparties(actor, organisation.pk):
        raise PermissionDenied
    with transaction.atomic():
        result = counterparty_list_replace(organisation_id=organisation.pk, rows=rows)
        audit_record(
            action="registers.counterparties.imported",
            actor=actor,
            object_type="registers.counterparty",
            object_id=len(rows),
            organisation=organisation,
        )
    return result


def counterparty_list_replace(
    *, organisation_id: int, rows: list[CounterpartyRow]
) -> signalling.RecomputeResult:
    """The write behind the import, without its permission check and audit event: for
    the import above and for `seed_scale`. Runs in the caller's transaction (or its own)."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        Counterparty.objects.filter(organisation_id=organisation_id).delete()
        now = timezone.now()
        signalling.insert_rows(
            Counterparty,
            (
                "created_at",
                "updated_at",
                "organisation",
                "name",
                "name_key",
                "party_key",
                "kvk_number",
                "kind",
                "tender_start",
                "tender_end",
            ),
            [
                (
                    now,
                    now,
                    organisation_id,
                    row.name,
                    normalise_name(row.name),
                    Party(0, row.name, row.kvk_number, row.kind).key,
                    row.kvk_number,
                    str(row.kind),
                    row.tender_start,
                    row.tender_end,
                )
                for row in rows
            ],
        )
        return signalling.recompute_organisation(organisation_id)


def signal_weigh(
    *, actor: Any, signal: ConflictSignal, relevant: bool, note: str
) -> ConflictSignal:
    """A person weighs a signal: relevant or not, with a note. Never automatic."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Licht uw weging toe.")})
    with transaction.atomic():
        locked = (
            ConflictSignal.objects.select_for_update(of=("self",))
            .select_related("registration", "organisation")
            .get(pk=signal.pk)
        )
        own = current_employee(actor)
        if not keeps_register(actor, locked.organisation_id) or (
            own is not None and locked.registration.employee_id == own.pk
        ):
            raise PermissionDenied  # nobody weighs a signal about themselves
        locked.state = SignalState.RELEVANT if relevant else SignalState.NOT_RELEVANT
        locked.note = note
        locked.weighed_by = actor
        locked.weighed_at = timezone.now()
        locked.save(update_fields=["state", "note", "weighed_by", "weighed_at", "updated_at"])
        audit_record(
            action="registers.signal.weighed",
            actor=actor,
            obj=locked,
            organisation=locked.organisation,
        )
    return locked


# --------------------------------------------------------------------------- events


def reassess_after_function_change(employee_ids: list[int]) -> int:
    """R-AW-6: a new function re-opens the assessment of current side activities and
    tells the deciding manager. Runs inside the HR import's transaction."""
    today = timezone.localdate()
    registrations = (
        Registration.objects.filter(
            employee_id__in=employee_ids,
            kind=Kind.SIDE_ACTIVITY,
            status__in=[*PUBLISHABLE_STATUSES, Status.PENDING],
        )
        .exclude(side_activity__end_date__lt=today)
        .select_related("employee__organisation", "employee__org_unit")
    )
    count = 0
    for registration in registrations.select_for_update(of=("self",)):
        route, manager = route_for(registration.employee, registration.kind)
        registration.status = Status.PENDING
        registration.reassessment = True
        registration.route = route
        registration.decider = manager
        registration.save(
            update_fields=["status", "reassessment", "route", "decider", "updated_at"]
        )
        audit_record(
            action="registers.side_activity.reassessment",
            obj=registration,
            organisation=registration.employee.organisation,
            origin=Origin.CLI,
        )
        notices.enqueue_in_transaction(notices.notify_reassessment, registration.pk)
        count += 1
    return count


# --------------------------------------------------------------------------- retention


@dataclass(frozen=True)
class PurgeResult:
    count: int
    dry_run: bool
    #: Expired registrations that a legal hold on their employee keeps (R-DP-2).
    held: int = 0


def retention_cutoff(today: datetime.date) -> datetime.date:
    """Employment that ended before this day ended more than 2 years ago (R-DP-2)."""
    try:
        return today.replace(year=today.year - RETENTION_YEARS_AFTER_EMPLOYMENT)
    except ValueError:  # 29 February
        return today.replace(year=today.year - RETENTION_YEARS_AFTER_EMPLOYMENT, day=28)


def purge_expired_registrations(
    *, today: datetime.date | None = None, dry_run: bool = False
) -> PurgeResult:
    """R-DP-2: delete the registrations of people whose employment ended more than two
    years ago, keeping their number per organisation, year and kind; those of people under
    a legal hold stay, counted in `held`. Idempotent."""
    today = today or timezone.localdate()
    cutoff = retention_cutoff(today)
    expired = Registration.objects.filter(personnel_records_expired(cutoff))
    held = Registration.objects.filter(personnel_records_held(cutoff)).count()
    if dry_run:
        return PurgeResult(expired.count(), True, held)
    with transaction.atomic():
        groups = expired.values_list("organisation_id", "kind").annotate(n=Count("pk")).order_by()
        per_org: dict[int, int] = {}
        for org_id, kind, n in groups:
            tally, _made = PurgedRegistrationTally.objects.select_for_update().get_or_create(
                organisation_id=org_id, year=today.year, kind=kind
            )
            tally.count += n
            tally.save(update_fields=["count"])
            per_org[org_id] = per_org.get(org_id, 0) + n
        total = sum(per_org.values())
        gift_totals_add(
            {
                (org_id, giver, month): (-n, -(cents or 0))
                for org_id, giver, month, n, cents in Gift.objects.filter(registration__in=expired)
                .annotate(month=TruncMonth("given_on"))
                .values_list("organisation_id", "giver_organisation", "month")
                .annotate(n=Count("pk"), cents=Sum("value_cents"))
                .order_by()
            }
        )
        Registration.objects.filter(pk__in=list(expired.values_list("pk", flat=True))).delete()
        for org_id, n in sorted(per_org.items()):
            audit_record(
                action="registers.purged",
                object_type="registers.purgedregistrationtally",
                object_id=n,
                organisation=Organisation.objects.get(pk=org_id),
                origin=Origin.CLI,
            )
    return PurgeResult(total, False, held)

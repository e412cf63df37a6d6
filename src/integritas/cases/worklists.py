"""The Meldpunt's work on the home page: how many cases wait, since when — never content.

A row that links to the inbox counts exactly what the inbox lists with that link's
filters: the cases the user may see (access.cases_visible_to: their organisations and
need to know, never a case that names them as involved) filtered as the inbox filters
them (handling.selectors.inbox_filter), so the number and the page behind it agree. The
investigator's and a substitute's rows count the cases they handle in that role.

Every row is one query, whatever the number of cases: it reads at most WORK_COUNT_CAP
cases oldest first (ORDER BY ... LIMIT, from the index that matches its condition, cases
migration 0011), which gives the count (the page says "meer dan 99" at the cap) and the
oldest date; never a count or a minimum over every row. The cases a user may see are
built once for all their lists. tests/portal/test_work_lists.py asserts the number of
queries of every role's home page with no reports and with many; benchmarks/home.py
measures the pages at 50,000 reports.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from integritas.accounts.constants import AssignmentStatus, Role
from integritas.accounts.selectors import user_roles
from integritas.core.contributions import WORK_COUNT_CAP

from .access import CaseTies, cases_handled_by, cases_visible_to, read_case_ties
from .clock import conditions, deadlines
from .constants import CLOSED_STATUSES, IntakeHold, Status
from .handling.selectors import inbox_filter
from .handling.waiting import WAITING_AANGIFTE, WAITING_REPLY, waiting_for_reply
from .models import Case, CaseHandler, Substitute
from .permissions import handler_standing
from .workflow import TRANSITIONS

#: The inbox filters behind a row, as its link carries them: (name, value) pairs.
Filters = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Tally:
    """How many items of one kind wait (up to WORK_COUNT_CAP), and since when."""

    count: int
    oldest: datetime.date | None
    filters: Filters = ()  # the inbox filters that list exactly these cases
    oldest_case: str = ""  # the case number of the oldest, where a row links to it


def oldest_first(matching: QuerySet[Any], field: str, *more: str) -> list[tuple[Any, ...]]:
    """`field` (and `more`) of the first WORK_COUNT_CAP items of `matching`, oldest first:
    one ORDER BY `field` LIMIT cap, read from the index that matches the condition, so
    neither a count nor a minimum runs over every row."""
    first = matching.order_by(field).values_list(field, *more)
    return list(first[:WORK_COUNT_CAP])


def tally(matching: QuerySet[Any], field: str = "received_at", *, number: bool = False) -> Tally:
    """How many of `matching` wait (up to the cap) and the date of the oldest `field`;
    with `number`, the oldest case's number too. One query."""
    rows = oldest_first(matching, field, *(["case_number"] if number else []))
    if not rows:
        return Tally(count=0, oldest=None)
    return Tally(
        len(rows), deadlines.local_date(rows[0][0]), oldest_case=rows[0][1] if number else ""
    )


def _open() -> Q:
    return ~Q(status__in=CLOSED_STATUSES)


def _first_date(moments: list[datetime.datetime]) -> datetime.date | None:
    return deadlines.local_date(moments[0]) if moments else None


class CaseWork:
    """The Meldpunt's work of one user, list by list. What they are to the cases (the
    cases they handle, those that name them, a designation as substitute) is read once,
    in one query, and so are the cases they may see built once, when a list needs them."""

    def __init__(self, user: Any, now: datetime.datetime | None = None) -> None:
        self.user = user
        self.now = now or timezone.now()
        self.roles = user_roles(user)

    @cached_property
    def ties(self) -> CaseTies | None:
        """What the user is to the cases, read once (None: too many to read as lists)."""
        return read_case_ties(self.user)

    @cached_property
    def visible(self) -> QuerySet[Case]:
        return cases_visible_to(self.user, ties=self.ties)

    def _inbox(self, **filters: str) -> Tally:
        """What the inbox lists with `filters`, counted; the row links there."""
        found = tally(inbox_filter(self.visible, {**filters, "now": self.now}))
        return Tally(found.count, found.oldest, filters=tuple(filters.items()))

    # --- the coordinator ----------------------------------------------------------------

    def coordinator(self) -> dict[str, Tally] | None:
        """Reports to acknowledge and late ones (R-WBK-3), feedback due within 7 days or
        late (R-WBK-4), replies from reporters waiting. None: not a coordinator."""
        if not self.roles.organisation_ids(Role.INTEGRITY_COORDINATOR):
            return None
        acknowledge, ack_overdue = self._acknowledgements()
        return {
            "acknowledge": acknowledge,
            "ack_overdue": ack_overdue,
            "feedback_week": self._inbox(deadline=conditions.DEADLINE_FEEDBACK_WEEK),
            "feedback_overdue": self._inbox(deadline=conditions.DEADLINE_FEEDBACK_OVERDUE),
            "replies": self._replies(),
            "held": self._held(),
        }

    def _held(self) -> Tally:
        """Reports the flood defence held (intake/held.py): outside the inbox, so that a
        flood cannot bury it, but their clock runs from receipt; the coordinator reviews
        them in the held queue. Read from the partial index on held reports."""
        return tally(self.visible.filter(intake_hold=IntakeHold.HELD))

    def _acknowledgements(self) -> tuple[Tally, Tally]:
        """The reports to acknowledge and, of those, the late ones, in one query. Read
        oldest first, the late ones (received before the 7-day limit) come first, so the
        first WORK_COUNT_CAP reports hold every late one up to the cap. A report to
        acknowledge has no acknowledgement yet (that step, the only way out of its
        status, stamps it), so its late ones are what the inbox lists with both filters."""
        (received,) = TRANSITIONS["acknowledge"].sources
        cases = inbox_filter(self.visible, {"status": received})
        rows = [moment for (moment,) in oldest_first(cases, "received_at")]
        late_before = conditions.acknowledgement_late_before(self.now)
        late = [moment for moment in rows if moment < late_before]
        return (
            Tally(len(rows), _first_date(rows), filters=(("status", received),)),
            Tally(
                len(late),
                _first_date(late),
                filters=(("status", received), ("deadline", conditions.DEADLINE_ACK_OVERDUE)),
            ),
        )

    def _replies(self) -> Tally:
        """The open cases whose reporter waits for an answer, read from the messages
        oldest first; `oldest` is the date of the oldest of their last messages."""
        found = tally(waiting_for_reply(self.visible), "reply_since")
        return Tally(found.count, found.oldest, filters=(("waiting", WAITING_REPLY),))

    # --- the secretary ------------------------------------------------------------------

    def secretary(self) -> dict[str, Tally] | None:
        """The decisions waiting for the gemeentesecretaris (R-LR-2, R-EXT-3), each the
        start of a step of theirs in the workflow. None: not a secretary."""
        if not self.roles.organisation_ids(Role.SECRETARY):
            return None
        (approve,) = TRANSITIONS["approve_investigation"].sources
        (decide,) = TRANSITIONS["decide"].sources
        return {
            "approve": self._inbox(status=approve),
            "decide": self._inbox(status=decide),
            # Art. 162 Sv: a possible crime is flagged; the decision on aangifte is theirs.
            "aangifte": self._inbox(waiting=WAITING_AANGIFTE),
        }

    # --- the investigator ---------------------------------------------------------------

    @cached_property
    def _assigned(self) -> tuple[bool, bool]:
        """Whether the user investigates a case, and whether they are a designated
        substitute (the lists of those who hold no such role). Read from the ties when a
        list needs those anyway (a coordinator's or secretary's); else from
        permissions.handler_standing, one small query that the navigation has asked
        already on this request (the "Meldingen" entry), cheaper than the ties (and an
        investigator's ties are many)."""
        if self._sees_by_role and self.ties is not None:
            return Role.INVESTIGATOR in self.ties.handler_roles, self.ties.designated
        standing = handler_standing(self.user)
        return standing.investigates, standing.designated

    @property
    def _sees_by_role(self) -> bool:
        """A coordinator or secretary: their lists count the cases they may see."""
        return bool(
            self.roles.organisation_ids(Role.INTEGRITY_COORDINATOR)
            or self.roles.organisation_ids(Role.SECRETARY)
        )

    def _handled_as(self, role: str) -> QuerySet[CaseHandler]:
        return CaseHandler.objects.filter(user=self.user, active=True, role=role)

    def investigator(self) -> Tally | None:
        """The investigations the user carries out: the cases they handle as
        investigator that are in investigation (the other stages wait for someone else).
        None: neither the role nor an assignment. For an investigator these are what
        their inbox lists in that status."""
        if not self.roles.has(Role.INVESTIGATOR) and not self._assigned[0]:
            return None
        investigating = cases_handled_by(self.user, Role.INVESTIGATOR)
        found = tally(investigating.filter(status=Status.INVESTIGATION))
        return Tally(found.count, found.oldest, filters=(("status", Status.INVESTIGATION),))

    # --- substitutes (seed 5.2) ---------------------------------------------------------

    def substitute(self) -> dict[str, Tally] | None:
        """The open cases the user handles as a designated substitute, outside the
        organisations where they hold that role themselves (those are in their own
        lists). None: no active designation. Each row links to its oldest case, the next
        one to act on: the inbox, which a substitute has too (permissions.is_case_worker),
        has no filter for "handled as substitute", so a row linking there would list more
        than it counts. The list links to the whole inbox below its rows."""
        if not self._assigned[1]:
            return None

        def handled_as(role: str) -> Q:
            rows = self._handled_as(role).exclude(
                case__organisation_id__in=self.roles.organisation_ids(role)
            )
            return Q(pk__in=rows.values("case_id"))

        def late(name: str) -> Q:
            return conditions.deadline_condition(name, self.now)

        (approve,) = TRANSITIONS["approve_investigation"].sources
        (decide,) = TRANSITIONS["decide"].sources
        # Each of these decisions falls in the secretary's stage (models.secretary_stage).
        decisions = (
            Q(status=approve)
            | Q(status=decide)
            | Q(is_possible_offence=True, aangifte_decision__isnull=True)
        )
        cases = self.visible.filter(_open())
        coordinator = cases.filter(handled_as(Role.INTEGRITY_COORDINATOR))
        overdue = late(conditions.DEADLINE_ACK_OVERDUE) | late(conditions.DEADLINE_FEEDBACK_OVERDUE)
        return {
            "coordinator": tally(coordinator, number=True),
            "overdue": tally(coordinator.filter(overdue), number=True),
            "secretary": tally(cases.filter(handled_as(Role.SECRETARY) & decisions), number=True),
        }


# --- the administrator: four eyes -------------------------------------------------------


def substitutes_to_decide(user: Any) -> Tally:
    """Pending designations in the organisations `user` administers that they may decide:
    never one they asked for, never their own (grants.permissions.can_decide_grant)."""
    pending = (
        Substitute.objects.filter(
            status=AssignmentStatus.PENDING,
            organisation_id__in=user_roles(user).organisation_ids(Role.ADMINISTRATOR),
        )
        .exclude(requested_by=user)
        .exclude(user=user)
    )
    return tally(pending, "created_at")

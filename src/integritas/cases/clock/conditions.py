"""The legal clock as database conditions: the inbox's deadline filters (R-WBK-3, R-WBK-4).

The same answers as deadlines.traffic_light, written so that no row needs date arithmetic.
Each condition is a range on a column that cases migration 0011 indexes, so that the inbox
and the home page's work lists (worklists.py) read only the cases they count.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from integritas.cases.constants import CLOSED_STATUSES

from . import deadlines

DEADLINE_OPEN = "open"
DEADLINE_ACK_OVERDUE = "ack_overdue"
DEADLINE_ACK_SOON = "ack_soon"
DEADLINE_FEEDBACK_OVERDUE = "feedback_overdue"
DEADLINE_FEEDBACK_SOON = "feedback_soon"
DEADLINE_FEEDBACK_WEEK = "feedback_week"
#: Orange from this many days before a due date, as deadlines.traffic_light's default.
INBOX_WARN_DAYS = 2
#: "Within 7 days" of the feedback date: the coordinator's work list and its inbox filter.
WEEK_DAYS = 7


def first_feedback_start_due_from(day: datetime.date) -> datetime.date:
    """The earliest start date whose feedback date (start + 3 months, clamped) is >= `day`.

    deadlines.add_months is monotone, so "feedback due before `day`" is exactly
    "start date before this one"; the loops settle the clamping at month ends.
    """
    months = deadlines.FEEDBACK_MONTHS
    start = deadlines.add_months(day, -months)
    while deadlines.add_months(start, months) < day:
        start += datetime.timedelta(days=1)
    while deadlines.add_months(start - datetime.timedelta(days=1), months) >= day:
        start -= datetime.timedelta(days=1)
    return start


def feedback_start_before(day: datetime.date) -> Q:
    """Cases whose feedback period starts (local date) before `day` (R-WBK-4).

    The period starts on the day of the acknowledgement, or without one at the end of
    the 7-day acknowledgement period: received date + 7. A report is acknowledged after
    it was received (deadlines.feedback_due refuses anything else), so every such case
    was received before `day` too: that bound, said once for both, lets the database
    read the cases in order of receipt from the index of pending feedback and stop there.
    """
    start = deadlines.start_of_local_day
    return Q(received_at__lt=start(day)) & (
        Q(acknowledged_at__lt=start(day))
        | Q(
            acknowledged_at__isnull=True,
            received_at__lt=start(day - datetime.timedelta(days=deadlines.ACKNOWLEDGEMENT_DAYS)),
        )
    )


def feedback_start_between(first: datetime.date, last: datetime.date) -> Q:
    """Cases whose feedback period starts (local date) on or after `first` and before
    `last`: feedback_start_before(last) and not feedback_start_before(first), written as
    two ranges so that each can be read from the index on (acknowledged_at, received_at)."""
    start = deadlines.start_of_local_day
    ack = datetime.timedelta(days=deadlines.ACKNOWLEDGEMENT_DAYS)
    return Q(acknowledged_at__gte=start(first), acknowledged_at__lt=start(last)) | Q(
        acknowledged_at__isnull=True,
        received_at__gte=start(first - ack),
        received_at__lt=start(last - ack),
    )


def acknowledgement_late_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """A report received before this moment and not acknowledged is late (R-WBK-3): the
    start of the local day 7 days back."""
    today = deadlines.local_date(now or timezone.now())
    return deadlines.start_of_local_day(
        today - datetime.timedelta(days=deadlines.ACKNOWLEDGEMENT_DAYS)
    )


def deadline_condition(name: str, now: datetime.datetime | None = None) -> Q:
    """The inbox's deadline filters as database conditions, equal to deadlines.traffic_light.

    Deadlines run to the end of a local (Europe/Amsterdam) day, so every comparison is
    against the start of a local day and needs no per-row date arithmetic:
    - acknowledgement (R-WBK-3) is late once the local date of receipt is more than 7 days
      back: received_at < start of (today - 7); orange from 2 days before the due date;
    - feedback (R-WBK-4) is late once start + 3 months < today, which add_months'
      monotonicity turns into "start < the first start due today or later"; it is due
      soon (orange, 2 days) or within the week (WEEK_DAYS) when that start lies between
      the first start due today and the first start due after those days.
    tests/cases/test_handling_views.py checks these against traffic_light day by day.
    """
    today = deadlines.local_date(now or timezone.now())
    start = deadlines.start_of_local_day
    day = datetime.timedelta(days=1)
    ack_days = deadlines.ACKNOWLEDGEMENT_DAYS
    warn = INBOX_WARN_DAYS
    ack_pending = Q(acknowledged_at__isnull=True)
    # No feedback yet; such a case is open (constraint case_closed_needs_feedback).
    feedback_pending = Q(feedback_given_at__isnull=True)
    if name == DEADLINE_OPEN:
        return ~Q(status__in=CLOSED_STATUSES)
    if name == DEADLINE_ACK_OVERDUE:
        return ack_pending & Q(received_at__lt=acknowledgement_late_before(now))
    if name == DEADLINE_ACK_SOON:
        return (
            ack_pending
            & Q(received_at__gte=start(today - ack_days * day))
            & Q(received_at__lt=start(today - (ack_days - warn - 1) * day))
        )
    due_from_today = first_feedback_start_due_from(today)
    if name == DEADLINE_FEEDBACK_OVERDUE:
        return feedback_pending & feedback_start_before(due_from_today)
    if name in (DEADLINE_FEEDBACK_SOON, DEADLINE_FEEDBACK_WEEK):
        # Due today or later, and at most `days` days from today.
        days = warn if name == DEADLINE_FEEDBACK_SOON else WEEK_DAYS
        due_after = first_feedback_start_due_from(today + (days + 1) * day)
        return feedback_pending & feedback_start_between(due_from_today, due_after)
    return Q()

"""The legal clock of the Meldpunt: statutory deadlines of the Wbk, as pure functions.

R-WBK-3: the acknowledgement of receipt (ontvangstbevestiging) is due within 7 days of receipt.
R-WBK-4: feedback (terugkoppeling) is due at most 3 months after the acknowledgement; without an
acknowledgement, 3 months from the end of the 7-day period. Internal reports get no extension.

Choices made here (the law counts in days and months, not in seconds):

- Calendar arithmetic happens in Europe/Amsterdam local time, so a report at 00:30 local time
  (still the previous day in UTC) counts from its local date, and a DST change never shifts a
  deadline by an hour.
- The day of receipt is day 0 and every deadline runs to the *end* of its last day:
  23:59:59.999999 local time. A report received on Monday at any hour has its acknowledgement
  due at the end of the next Monday.
- Months are added to the local date and clamped to the last day of the target month
  (31 January + 3 months = 30 April; 30 November + 3 months = 28 or 29 February).
- Weekends and public holidays do not move these deadlines. The Algemene termijnenwet could be
  read to extend a deadline that ends on a Saturday, Sunday or holiday; not applying it yields the
  earlier, stricter deadline, which is the safe side for a case handler.
- Every function refuses naive datetimes (ValueError). Returned deadlines are aware datetimes in
  Europe/Amsterdam; compare them freely with UTC datetimes such as ``timezone.now()``.

Nothing here touches the database or the clock: callers pass ``now`` explicitly.
"""

from __future__ import annotations

import calendar
import enum
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")

#: R-WBK-3: calendar days after receipt within which the acknowledgement is due.
ACKNOWLEDGEMENT_DAYS = 7
#: R-WBK-4: months after the acknowledgement (or the end of the 7-day period) for feedback.
FEEDBACK_MONTHS = 3
#: Default reminder stages, in days before the due date (2 days before, and on the due day).
DEFAULT_REMINDER_STAGES: tuple[int, ...] = (2, 0)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


def _utc(moment: datetime) -> datetime:
    # Python compares and subtracts datetimes that share a tzinfo by wall-clock time, ignoring
    # DST (fold); comparing in UTC keeps the repeated autumn hour in order.
    return moment.astimezone(UTC)


def local_date(moment: datetime) -> date:
    """The calendar date of ``moment`` in Europe/Amsterdam."""
    _require_aware(moment, "moment")
    return moment.astimezone(LOCAL_TZ).date()


def end_of_local_day(day: date) -> datetime:
    """23:59:59.999999 Europe/Amsterdam on ``day`` (never inside a DST gap, which is at 02:00)."""
    return datetime.combine(day, time.max, tzinfo=LOCAL_TZ)


def start_of_local_day(day: date) -> datetime:
    """00:00 Europe/Amsterdam on ``day``."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, clamped to the last day of that month."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def acknowledgement_due(received_at: datetime) -> datetime:
    """R-WBK-3: end of the 7th calendar day (local time) after the day of receipt."""
    received_on = local_date(received_at)
    return end_of_local_day(received_on + timedelta(days=ACKNOWLEDGEMENT_DAYS))


def feedback_due(received_at: datetime, acknowledged_at: datetime | None) -> datetime:
    """R-WBK-4: end of the local day 3 months after the acknowledgement.

    Without an acknowledgement the 3 months run from the end of the 7-day period of R-WBK-3, so
    ``feedback_due(r, None) == feedback_due(r, acknowledgement_due(r))`` exactly. A late
    acknowledgement starts the 3 months on its own date (the Directive's and the Wbk's wording:
    "after the acknowledgement"); the acknowledgement deadline itself is then already red.
    """
    _require_aware(received_at, "received_at")
    if acknowledged_at is None:
        start = local_date(acknowledgement_due(received_at))
    else:
        _require_aware(acknowledged_at, "acknowledged_at")
        if _utc(acknowledged_at) < _utc(received_at):
            raise ValueError("acknowledged_at lies before received_at")
        start = local_date(acknowledged_at)
    return end_of_local_day(add_months(start, FEEDBACK_MONTHS))


class TrafficLight(enum.StrEnum):
    """The state of one deadline as a list shows it."""

    GREEN = "green"
    ORANGE = "orange"
    RED = "red"
    DONE = "done"

    @property
    def label(self) -> _StrPromise:
        return _TRAFFIC_LIGHT_LABELS[self]


_TRAFFIC_LIGHT_LABELS: dict[TrafficLight, _StrPromise] = {
    TrafficLight.GREEN: _("Binnen termijn"),
    TrafficLight.ORANGE: _("Termijn verloopt binnenkort"),
    TrafficLight.RED: _("Termijn verstreken"),
    TrafficLight.DONE: _("Afgehandeld"),
}


def days_left(due: datetime, now: datetime) -> int:
    """Whole local calendar days from ``now`` until ``due``: 0 on the due day, negative after."""
    return (local_date(due) - local_date(now)).days


def was_on_time(due: datetime, done_at: datetime) -> bool:
    """Whether the action was taken no later than the deadline."""
    _require_aware(due, "due")
    _require_aware(done_at, "done_at")
    return _utc(done_at) <= _utc(due)


def traffic_light(
    due: datetime, done_at: datetime | None, now: datetime, warn_days: int = 2
) -> TrafficLight:
    """DONE once the action is taken; else RED after ``due``, ORANGE from ``warn_days`` local days
    before the due date (``days_left(due, now) <= warn_days``), GREEN before that."""
    _require_aware(due, "due")
    _require_aware(now, "now")
    if warn_days < 0:
        raise ValueError("warn_days must not be negative")
    if done_at is not None:
        _require_aware(done_at, "done_at")
        return TrafficLight.DONE
    if _utc(now) > _utc(due):
        return TrafficLight.RED
    if days_left(due, now) <= warn_days:
        return TrafficLight.ORANGE
    return TrafficLight.GREEN


def reminder_due(
    due: datetime, now: datetime, before_days: tuple[int, ...] = DEFAULT_REMINDER_STAGES
) -> int | None:
    """The reminder stage that is due now, for an idempotent reminder run, or None.

    Stage ``s`` becomes due at the start of the local day ``s`` days before the due date, that is
    when ``days_left(due, now) <= s``; the result is the smallest such stage. Counting local days
    rather than ``due - timedelta(days=s)`` makes stage 0 mean "on the due day" instead of "at
    the last microsecond". After the deadline the smallest stage stays due, so a run that was
    missed still warns. The caller records which stages it sent and skips deadlines already met.
    """
    if any(stage < 0 for stage in before_days):
        raise ValueError("reminder stages must not be negative")
    remaining = days_left(due, now)
    reached = [stage for stage in before_days if remaining <= stage]
    return min(reached) if reached else None

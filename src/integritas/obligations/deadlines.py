"""Due dates of duties: pure functions of the start date and the organisation's rules.

Dates are calendar dates. A window in months ends on the same day of the month, or on
the month's last day when it has no such day (31 January + 1 month = 28/29 February;
29 February + 3 months = 29 May). A start on a Saturday counts from that Saturday: the
BIO's "binnen drie maanden" runs from the day of starting, whatever day that is.
"""

import calendar
import datetime

from .constants import DutyKind


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months (negative goes back), clamped to month end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def due_date(
    kind: str,
    start: datetime.date,
    *,
    training_window_months: int,
    onboarding_days: int,
    year: int = 0,
) -> datetime.date:
    """When a new employee's duty of `kind` is due.

    - VOG and integriteitsverklaring: before starting, so on the start date at the latest;
    - eed of belofte, gedragscode, handbook: within `onboarding_days` of the start;
    - information-security training: within `training_window_months` (R-BIO-3);
    - integrity in the HRM cycle: by the end of `year` (R-AW-2).
    """
    if kind in (DutyKind.VOG, DutyKind.DECLARATION):
        return start
    if kind == DutyKind.SECURITY_TRAINING:
        return add_months(start, training_window_months)
    if kind == DutyKind.INTEGRITY_INTERVIEW:
        return datetime.date(year or start.year, 12, 31)
    return start + datetime.timedelta(days=onboarding_days)


def vog_oldest_allowed(start: datetime.date, validity_months: int) -> datetime.date:
    """The earliest issue date of a VOG that is still valid at the start date."""
    return add_months(start, -validity_months)

"""The legal clock of the Meldpunt (integritas.cases.clock.deadlines): R-WBK-3 and R-WBK-4.

Examples use explicit clocks (local Amsterdam or UTC datetimes); properties use hypothesis over
aware datetimes in several time zones, since callers pass UTC from the database.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from integritas.cases.clock.deadlines import (
    LOCAL_TZ,
    TrafficLight,
    acknowledgement_due,
    add_months,
    days_left,
    feedback_due,
    local_date,
    reminder_due,
    traffic_light,
    was_on_time,
)

AMS = ZoneInfo("Europe/Amsterdam")
END = (23, 59, 59, 999999)


def ams(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=AMS)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real elapsed time; Python subtracts datetimes sharing a tzinfo by wall clock."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def later_by(moment: datetime, delta: timedelta) -> datetime:
    """``moment`` plus real elapsed time, kept in its own zone (``+`` would add wall-clock time)."""
    assert moment.tzinfo is not None
    return (moment.astimezone(UTC) + delta).astimezone(moment.tzinfo)


def end_of(year: int, month: int, day: int) -> datetime:
    return ams(year, month, day, *END)


# --- R-WBK-3: acknowledgement within 7 days -------------------------------------------------


@pytest.mark.requirement("R-WBK-3")
def test_acknowledgement_is_due_at_the_end_of_the_seventh_day() -> None:
    # R-WBK-3
    due = acknowledgement_due(ams(2026, 6, 1, 9, 15))
    assert due == end_of(2026, 6, 8)
    assert due.tzinfo == LOCAL_TZ


@pytest.mark.requirement("R-WBK-3")
def test_report_at_one_minute_to_midnight_counts_from_its_own_day() -> None:
    # R-WBK-3: a report at 23:59 local still has the full 7 days after that date.
    assert acknowledgement_due(ams(2026, 6, 10, 23, 59)) == end_of(2026, 6, 17)


@pytest.mark.requirement("R-WBK-3")
def test_report_after_local_midnight_counts_from_the_local_date_not_the_utc_date() -> None:
    # R-WBK-3: 00:30 in Amsterdam on 11 June is still 10 June in UTC.
    received = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)
    assert local_date(received) == date(2026, 6, 11)
    assert acknowledgement_due(received) == end_of(2026, 6, 18)


@pytest.mark.requirement("R-WBK-3")
def test_acknowledgement_due_across_the_spring_dst_change() -> None:
    # R-WBK-3: clocks go forward on Sunday 29 March 2026; the deadline stays at local midnight.
    due = acknowledgement_due(ams(2026, 3, 25, 10, 0))
    assert due == end_of(2026, 4, 1)
    assert due.astimezone(UTC) == datetime(2026, 4, 1, 21, 59, 59, 999999, tzinfo=UTC)
    # One hour less than the wall clock suggests: the night of 29 March has 23 hours.
    assert elapsed(ams(2026, 3, 25, 10, 0), due) == timedelta(
        days=7, hours=12, minutes=59, seconds=59, microseconds=999999
    )


@pytest.mark.requirement("R-WBK-3")
def test_acknowledgement_due_across_the_autumn_dst_change() -> None:
    # R-WBK-3: clocks go back on Sunday 25 October 2026.
    due = acknowledgement_due(ams(2026, 10, 20, 10, 0))
    assert due == end_of(2026, 10, 27)
    assert due.astimezone(UTC) == datetime(2026, 10, 27, 22, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.requirement("R-WBK-3")
def test_report_during_the_repeated_hour_of_the_autumn_change() -> None:
    # R-WBK-3: 02:30 happens twice on 25 October 2026; both count from 25 October.
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    assert acknowledgement_due(first) == acknowledgement_due(second) == end_of(2026, 11, 1)


@pytest.mark.requirement("R-WBK-3")
def test_acknowledgement_due_on_a_leap_day_and_over_it() -> None:
    # R-WBK-3
    assert acknowledgement_due(ams(2028, 2, 29, 12, 0)) == end_of(2028, 3, 7)
    assert acknowledgement_due(ams(2028, 2, 25, 12, 0)) == end_of(2028, 3, 3)
    assert acknowledgement_due(ams(2027, 2, 25, 12, 0)) == end_of(2027, 3, 4)


@pytest.mark.requirement("R-WBK-3")
def test_weekends_do_not_move_the_acknowledgement_deadline() -> None:
    # R-WBK-3: calendar days; a report on Saturday is due the next Saturday.
    due = acknowledgement_due(ams(2026, 6, 6, 11, 0))
    assert due == end_of(2026, 6, 13)
    assert due.weekday() == 5


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        acknowledgement_due(datetime(2026, 6, 1, 9, 0))  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        feedback_due(ams(2026, 6, 1), datetime(2026, 6, 2, 9, 0))  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        traffic_light(end_of(2026, 6, 8), None, datetime(2026, 6, 2, 9, 0))  # noqa: DTZ001


# --- R-WBK-4: feedback within 3 months of the acknowledgement -------------------------------


@pytest.mark.requirement("R-WBK-4")
@pytest.mark.parametrize(
    ("acknowledged", "due_day"),
    [
        (ams(2026, 6, 3, 14, 0), date(2026, 9, 3)),
        (ams(2026, 8, 31, 9, 0), date(2026, 11, 30)),  # 31 Aug -> 30 Nov
        (ams(2027, 1, 31, 9, 0), date(2027, 4, 30)),  # 31 Jan -> 30 Apr
        (ams(2026, 11, 30, 9, 0), date(2027, 2, 28)),  # 30 Nov -> 28 Feb
        (ams(2026, 11, 29, 9, 0), date(2027, 2, 28)),  # 29 Nov -> 28 Feb (no 29 Feb in 2027)
        (ams(2027, 11, 30, 9, 0), date(2028, 2, 29)),  # 30 Nov -> 29 Feb in a leap year
        (ams(2027, 11, 29, 9, 0), date(2028, 2, 29)),
        (ams(2028, 2, 29, 9, 0), date(2028, 5, 29)),  # from a leap day
        (ams(2026, 12, 15, 9, 0), date(2027, 3, 15)),  # over the year end
        (ams(2026, 12, 31, 23, 59), date(2027, 3, 31)),
    ],
)
def test_feedback_is_due_three_calendar_months_after_the_acknowledgement(
    acknowledged: datetime, due_day: date
) -> None:
    # R-WBK-4
    received = acknowledged - timedelta(days=2)
    assert feedback_due(received, acknowledged) == end_of(due_day.year, due_day.month, due_day.day)


@pytest.mark.requirement("R-WBK-4")
def test_feedback_due_across_dst_keeps_local_midnight() -> None:
    # R-WBK-4: acknowledged in winter time, due in summer time (and the other way round).
    due = feedback_due(ams(2026, 2, 1, 9, 0), ams(2026, 2, 2, 9, 0))
    assert due == end_of(2026, 5, 2)
    assert due.utcoffset() == timedelta(hours=2)
    due = feedback_due(ams(2026, 9, 1, 9, 0), ams(2026, 9, 2, 9, 0))
    assert due == end_of(2026, 12, 2)
    assert due.utcoffset() == timedelta(hours=1)


@pytest.mark.requirement("R-WBK-4")
def test_feedback_counts_from_the_local_date_of_the_acknowledgement() -> None:
    # R-WBK-4: acknowledged at 00:10 local on 1 September (still 31 August in UTC).
    acknowledged = datetime(2026, 8, 31, 22, 10, tzinfo=UTC)
    assert feedback_due(ams(2026, 8, 28, 9, 0), acknowledged) == end_of(2026, 12, 1)


@pytest.mark.requirement("R-WBK-4")
def test_without_acknowledgement_feedback_runs_from_the_end_of_the_seven_days() -> None:
    # R-WBK-4: received 23 Nov 2026, the 7-day period ends 30 Nov, feedback due 28 Feb 2027.
    received = ams(2026, 11, 23, 16, 0)
    assert feedback_due(received, None) == end_of(2027, 2, 28)


@pytest.mark.requirement("R-WBK-3", "R-WBK-4")
def test_a_late_acknowledgement_starts_the_three_months_on_its_own_date() -> None:
    # R-WBK-4 follows the acknowledgement; the late acknowledgement itself shows red (R-WBK-3).
    received = ams(2026, 6, 1, 9, 0)
    acknowledged = ams(2026, 6, 12, 9, 0)
    assert feedback_due(received, acknowledged) == end_of(2026, 9, 12)
    assert not was_on_time(acknowledgement_due(received), acknowledged)


def test_acknowledgement_before_receipt_is_refused() -> None:
    with pytest.raises(ValueError, match="before received_at"):
        feedback_due(ams(2026, 6, 1, 9, 0), ams(2026, 6, 1, 8, 59))


def test_there_is_no_extension_parameter() -> None:
    # R-WBK-4: no extension for internal reports; the signature offers none.
    with pytest.raises(TypeError):
        feedback_due(ams(2026, 6, 1), None, extension_months=3)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 10, 31), 3, date(2027, 1, 31)),
        (date(2026, 5, 31), 3, date(2026, 8, 31)),
        (date(2026, 3, 31), 3, date(2026, 6, 30)),
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


# --- traffic lights, days left and reminders ------------------------------------------------


@pytest.mark.requirement("R-WBK-3")
def test_traffic_light_over_the_life_of_an_acknowledgement_deadline() -> None:
    # R-WBK-3: received Monday 1 June; due end of Monday 8 June.
    due = acknowledgement_due(ams(2026, 6, 1, 9, 0))
    assert traffic_light(due, None, ams(2026, 6, 1, 9, 0)) is TrafficLight.GREEN
    assert traffic_light(due, None, ams(2026, 6, 5, 23, 59)) is TrafficLight.GREEN
    assert traffic_light(due, None, ams(2026, 6, 6, 0, 0)) is TrafficLight.ORANGE
    assert traffic_light(due, None, ams(2026, 6, 8, 23, 59)) is TrafficLight.ORANGE
    assert traffic_light(due, None, ams(2026, 6, 9, 0, 0)) is TrafficLight.RED
    assert traffic_light(due, ams(2026, 6, 3, 9, 0), ams(2026, 6, 20)) is TrafficLight.DONE
    assert traffic_light(due, ams(2026, 6, 12, 9, 0), ams(2026, 6, 20)) is TrafficLight.DONE


def test_warn_days_widens_the_orange_period() -> None:
    due = end_of(2026, 6, 30)
    now = ams(2026, 6, 25, 12, 0)
    assert traffic_light(due, None, now) is TrafficLight.GREEN
    assert traffic_light(due, None, now, warn_days=5) is TrafficLight.ORANGE
    assert traffic_light(due, None, ams(2026, 6, 30, 8, 0), warn_days=0) is TrafficLight.ORANGE
    with pytest.raises(ValueError, match="warn_days"):
        traffic_light(due, None, now, warn_days=-1)


def test_was_on_time_includes_the_last_moment() -> None:
    due = end_of(2026, 6, 8)
    assert was_on_time(due, due)
    assert was_on_time(due, ams(2026, 6, 8, 23, 59))
    assert not was_on_time(due, ams(2026, 6, 9, 0, 0))


def test_the_repeated_autumn_hour_is_compared_in_real_time() -> None:
    # Python compares datetimes sharing a tzinfo by wall clock; 02:30 CET comes after 02:30 CEST.
    due = datetime(2026, 10, 25, 2, 30, tzinfo=AMS, fold=0)
    done = datetime(2026, 10, 25, 2, 30, tzinfo=AMS, fold=1)
    assert not was_on_time(due, done)
    assert traffic_light(due, None, done) is TrafficLight.RED


def test_days_left_counts_local_calendar_days() -> None:
    due = end_of(2026, 6, 8)
    assert days_left(due, ams(2026, 6, 1, 23, 59)) == 7
    assert days_left(due, ams(2026, 6, 8, 0, 1)) == 0
    assert days_left(due, ams(2026, 6, 9, 0, 0)) == -1
    assert days_left(due, ams(2026, 6, 18, 12, 0)) == -10
    # 23:30 UTC on 7 June is already 8 June in Amsterdam.
    assert days_left(due, datetime(2026, 6, 7, 23, 30, tzinfo=UTC)) == 0


def test_days_left_over_a_dst_change_is_a_whole_number_of_local_days() -> None:
    due = end_of(2026, 3, 30)
    assert days_left(due, ams(2026, 3, 28, 12, 0)) == 2


def test_reminder_stages_for_an_idempotent_run() -> None:
    due = end_of(2026, 6, 8)
    assert reminder_due(due, ams(2026, 6, 5, 23, 59)) is None
    assert reminder_due(due, ams(2026, 6, 6, 0, 0)) == 2
    assert reminder_due(due, ams(2026, 6, 7, 18, 0)) == 2
    assert reminder_due(due, ams(2026, 6, 8, 0, 0)) == 0  # on the due day, before it passes
    assert reminder_due(due, ams(2026, 6, 10, 0, 0)) == 0  # a missed run still warns
    assert reminder_due(due, ams(2026, 6, 1), before_days=(7, 3, 1)) == 7
    assert reminder_due(due, ams(2026, 6, 6), before_days=(7, 3, 1)) == 3
    assert reminder_due(due, ams(2026, 6, 6), before_days=()) is None
    with pytest.raises(ValueError, match="negative"):
        reminder_due(due, ams(2026, 6, 6), before_days=(-1,))


@pytest.mark.requirement("R-WBK-4")
def test_traffic_light_with_a_frozen_clock() -> None:
    # R-WBK-4: how the inbox will call it, with timezone.now() frozen.
    received = ams(2026, 6, 1, 9, 0)
    acknowledged = ams(2026, 6, 2, 9, 0)
    due = feedback_due(received, acknowledged)
    assert due == end_of(2026, 9, 2)
    with time_machine.travel(datetime(2026, 8, 31, 6, 0, tzinfo=UTC), tick=False):
        assert traffic_light(due, None, timezone.now()) is TrafficLight.ORANGE
        assert days_left(due, timezone.now()) == 2
        assert reminder_due(due, timezone.now()) == 2
    with time_machine.travel(datetime(2026, 9, 2, 22, 0, tzinfo=UTC), tick=False):
        assert traffic_light(due, None, timezone.now()) is TrafficLight.RED


def test_traffic_lights_have_dutch_labels() -> None:
    with translation.override("nl"):
        labels = {light: str(light.label) for light in TrafficLight}
    assert labels == {
        TrafficLight.GREEN: "Binnen termijn",
        TrafficLight.ORANGE: "Termijn verloopt binnenkort",
        TrafficLight.RED: "Termijn verstreken",
        TrafficLight.DONE: "Afgehandeld",
    }
    assert [str(light) for light in TrafficLight] == ["green", "orange", "red", "done"]


# --- properties -----------------------------------------------------------------------------

ZONES = st.sampled_from([UTC, AMS, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")])
MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive)
    max_value=datetime(2099, 12, 31),  # noqa: DTZ001
    timezones=ZONES,
    allow_imaginary=False,
)
# Up to a year after receipt: an acknowledgement may be late.
DELAYS = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=366))


@pytest.mark.requirement("R-WBK-3")
@given(received=MOMENTS)
def test_acknowledgement_due_is_end_of_local_day_seven_days_on(received: datetime) -> None:
    # R-WBK-3
    due = acknowledgement_due(received)
    assert local_date(due) - local_date(received) == timedelta(days=7)
    assert due.astimezone(AMS).time() == datetime.max.time()
    assert timedelta(days=7, hours=-1) < elapsed(received, due) < timedelta(days=8, hours=1)


@given(received=MOMENTS, delay=DELAYS)
def test_feedback_is_never_due_before_the_acknowledgement(
    received: datetime, delay: timedelta
) -> None:
    # R-WBK-3, R-WBK-4
    acknowledged = later_by(received, delay)
    assert feedback_due(received, acknowledged) >= acknowledgement_due(received)
    assert feedback_due(received, None) >= acknowledgement_due(received)


@pytest.mark.requirement("R-WBK-4")
@given(received=MOMENTS, delay=DELAYS)
def test_feedback_is_due_89_to_92_local_days_after_the_acknowledgement(
    received: datetime, delay: timedelta
) -> None:
    # R-WBK-4: three calendar months are 89 (31 Jan -> 30 Apr) to 92 (1 Jul -> 1 Oct) days.
    acknowledged = later_by(received, delay)
    due = feedback_due(received, acknowledged)
    assert 89 <= (local_date(due) - local_date(acknowledged)).days <= 92
    # As a duration: the rest of the acknowledgement day on top, give or take a DST hour.
    assert timedelta(days=89, hours=-1) < elapsed(acknowledged, due) < timedelta(days=93, hours=1)
    assert due.astimezone(AMS).time() == datetime.max.time()


@pytest.mark.requirement("R-WBK-4")
@given(received=MOMENTS)
def test_without_acknowledgement_equals_acknowledging_at_the_last_moment(
    received: datetime,
) -> None:
    # R-WBK-4: exactly, not roughly: no acknowledgement is treated as one at the end of day 7.
    assert feedback_due(received, None) == feedback_due(received, acknowledgement_due(received))


@given(received=MOMENTS, delay=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=8)))
def test_acknowledging_in_time_never_gives_a_later_feedback_deadline(
    received: datetime, delay: timedelta
) -> None:
    # R-WBK-4: acknowledging within the 7 days can only bring the feedback deadline forward.
    acknowledged = later_by(received, delay)
    if acknowledged <= acknowledgement_due(received):
        assert feedback_due(received, acknowledged) <= feedback_due(received, None)


@given(received=MOMENTS, first=DELAYS, extra=DELAYS)
def test_feedback_due_is_monotone_in_the_acknowledgement(
    received: datetime, first: timedelta, extra: timedelta
) -> None:
    # R-WBK-4
    earlier = later_by(received, first)
    later = later_by(earlier, extra)
    assert feedback_due(received, earlier) <= feedback_due(received, later)


SEVERITY = {TrafficLight.GREEN: 0, TrafficLight.ORANGE: 1, TrafficLight.RED: 2}


@given(
    due=MOMENTS,
    now=MOMENTS,
    step=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
    warn_days=st.integers(min_value=0, max_value=14),
)
def test_traffic_light_only_gets_worse_as_time_passes(
    due: datetime, now: datetime, step: timedelta, warn_days: int
) -> None:
    before = traffic_light(due, None, now, warn_days)
    after = traffic_light(due, None, later_by(now, step), warn_days)
    assert SEVERITY[before] <= SEVERITY[after]
    assert traffic_light(due, now, later_by(now, step), warn_days) is TrafficLight.DONE


@given(received=MOMENTS, now=MOMENTS)
def test_red_exactly_when_the_deadline_has_passed(received: datetime, now: datetime) -> None:
    # R-WBK-3: red means overdue, and overdue shows as a negative number of days.
    due = acknowledgement_due(received)
    light = traffic_light(due, None, now)
    assert (light is TrafficLight.RED) == (now > due) == (days_left(due, now) < 0)


@given(
    due=MOMENTS,
    now=MOMENTS,
    step=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
    stages=st.lists(st.integers(min_value=0, max_value=30), max_size=4).map(tuple),
)
def test_reminder_stage_only_moves_towards_the_deadline(
    due: datetime, now: datetime, step: timedelta, stages: tuple[int, ...]
) -> None:
    # Once a stage is due, a later run never goes back to an earlier (larger) stage or None.
    before = reminder_due(due, now, stages)
    after = reminder_due(due, later_by(now, step), stages)
    if before is not None:
        assert after is not None
        assert after <= before
    if after is not None:
        assert after in stages


@pytest.mark.requirement("R-WBK-3", "R-WBK-4")
@given(received=MOMENTS, delay=DELAYS, later=DELAYS, done=st.booleans())
def test_the_inbox_display_agrees_with_the_legal_clock(
    received: datetime, delay: timedelta, later: timedelta, done: bool
) -> None:
    # R-WBK-3, R-WBK-4: the inbox classifies many cases at once (deadline_display); its
    # light, days and date must be exactly what deadlines.py says for each case.
    from integritas.cases.clock.display import DeadlineDisplay

    now = (received + later).astimezone(UTC)
    acknowledged = received + delay if done else None
    shown_ack, shown_feedback = DeadlineDisplay(now).pair(received, acknowledged, None)
    for shown, due, done_at in (
        (shown_ack, acknowledgement_due(received), acknowledged),
        (shown_feedback, feedback_due(received, acknowledged), None),
    ):
        assert shown.due == due
        assert shown.light == traffic_light(due, done_at, now).value
        assert shown.days_left == days_left(due, now)
        assert shown.due_text == local_date(due).strftime("%d-%m-%Y")

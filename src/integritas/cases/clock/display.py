"""The statutory deadlines (R-WBK-3, R-WBK-4) as lists and the case page show them.

A traffic light is always a text label too, never colour alone. Everything here is a
plain string made once, so a list of 50 rows renders quickly (benchmarks/cases.py); the
markup is in the templates: the inbox writes its two cells itself (inbox_body.html), the
case page uses the `deadline_text` macro of cases/jinja2/cases/_deadline.html.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import deadlines


@dataclass(frozen=True)
class Deadline:
    """One statutory deadline: due moment, light, label and the days left as text."""

    due: datetime.datetime
    light: str
    label: str
    days_left: int
    days_text: str
    due_text: str


def _days_text(light: deadlines.TrafficLight, days: int) -> str:
    if light == deadlines.TrafficLight.DONE:
        return ""
    if days > 0:
        return ngettext("nog %(n)d dag", "nog %(n)d dagen", days) % {"n": days}
    if days == 0:
        return _("vandaag")
    return ngettext("%(n)d dag te laat", "%(n)d dagen te laat", -days) % {"n": -days}


class DeadlineDisplay:
    """Builds Deadline values for one request, for many cases at a time (the inbox).

    The legal clock is deadlines.py; this class asks it for the due moments and then
    classifies them the way deadlines.traffic_light and deadlines.days_left do, with the
    day of `now`, the labels and the day texts worked out once per request instead of once
    per case. tests/cases/test_deadlines.py holds the two to the same answers.
    """

    WARN_DAYS = 2  # as deadlines.traffic_light's default

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.today = deadlines.local_date(now)
        self.labels = {light: str(light.label) for light in deadlines.TrafficLight}
        self._days_texts: dict[tuple[deadlines.TrafficLight, int], str] = {}

    def deadline(self, due: datetime.datetime, done_at: datetime.datetime | None) -> Deadline:
        due_day = deadlines.local_date(due)
        days = (due_day - self.today).days
        if done_at is not None:
            light = deadlines.TrafficLight.DONE
        elif self.now > due:
            light = deadlines.TrafficLight.RED
        elif days <= self.WARN_DAYS:
            light = deadlines.TrafficLight.ORANGE
        else:
            light = deadlines.TrafficLight.GREEN
        key = (light, days)
        days_text = self._days_texts.get(key)
        if days_text is None:
            days_text = self._days_texts[key] = _days_text(light, days)
        return Deadline(
            due=due,
            light=light.value,
            label=self.labels[light],
            days_left=days,
            days_text=days_text,
            due_text=f"{due_day.day:02d}-{due_day.month:02d}-{due_day.year}",
        )

    def pair(
        self,
        received_at: datetime.datetime,
        acknowledged_at: datetime.datetime | None,
        feedback_given_at: datetime.datetime | None,
    ) -> tuple[Deadline, Deadline]:
        """Acknowledgement (R-WBK-3) and feedback (R-WBK-4) of one case."""
        acknowledgement = self.deadline(deadlines.acknowledgement_due(received_at), acknowledged_at)
        feedback = self.deadline(
            deadlines.feedback_due(received_at, acknowledged_at), feedback_given_at
        )
        return acknowledgement, feedback


def case_deadlines(case: Any, now: datetime.datetime) -> tuple[Deadline, Deadline]:
    """Acknowledgement (R-WBK-3) and feedback (R-WBK-4) of one case."""
    return DeadlineDisplay(now).pair(case.received_at, case.acknowledged_at, case.feedback_given_at)

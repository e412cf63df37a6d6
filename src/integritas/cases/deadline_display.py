"""The statutory deadlines (R-WBK-3, R-WBK-4) as lists and the case page show them.

A traffic light is always a text label too, never colour alone. Everything here is a
plain string made once, so a list of 50 rows renders quickly (benchmarks/cases.py).
"""

import datetime
import html
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

    def as_html(self) -> str:
        """The light as escaped HTML: the label, then the days and the date."""
        light = (
            f'<span class="integritas-light integritas-light--{html.escape(self.light)}">'
            f"{html.escape(self.label)}</span>"
        )
        if not self.days_text:
            return light
        return (
            f'{light}<br><span class="integritas-light__days">{html.escape(self.days_text)} '
            f"({html.escape(self.due_text)})</span>"
        )


def _days_text(light: deadlines.TrafficLight, days: int) -> str:
    if light == deadlines.TrafficLight.DONE:
        return ""
    if days > 0:
        return ngettext("nog %(n)d dag", "nog %(n)d dagen", days) % {"n": days}
    if days == 0:
        return _("vandaag")
    return ngettext("%(n)d dag te laat", "%(n)d dagen te laat", -days) % {"n": -days}


class DeadlineDisplay:
    """Builds Deadline values for one request: the light labels are translated once."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.labels = {light: str(light.label) for light in deadlines.TrafficLight}

    def deadline(self, due: datetime.datetime, done_at: datetime.datetime | None) -> Deadline:
        light = deadlines.traffic_light(due, done_at, self.now)
        days = deadlines.days_left(due, self.now)
        return Deadline(
            due=due,
            light=light.value,
            label=self.labels[light],
            days_left=days,
            days_text=_days_text(light, days),
            due_text=deadlines.local_date(due).strftime("%d-%m-%Y"),
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

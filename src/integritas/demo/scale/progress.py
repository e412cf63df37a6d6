"""Progress of a long run with an estimate of the time left, written to a stream.

The run is split into phases with a known amount of work each (rows) and a weight per
row (its relative cost, measured on SQLite), so that the estimate covers the phases
still to come and not only the one in progress.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Phase:
    label: str
    rows: int
    weight: float  # relative cost of one row
    done: int = 0
    began: float | None = None
    seconds: float = 0.0


@dataclass
class Progress:
    """Call `advance(phase, n)` as rows are written; a line goes out every `every` s."""

    write: Callable[[str], None] | None
    phases: dict[str, Phase] = field(default_factory=dict)
    every: float = 5.0
    clock: Callable[[], float] = time.monotonic
    _began: float = 0.0
    _last: float = 0.0

    def add(self, key: str, label: str, rows: int, weight: float) -> None:
        self.phases[key] = Phase(label=label, rows=rows, weight=weight)

    def start(self) -> None:
        self._began = self._last = self.clock()

    @property
    def total_work(self) -> float:
        return sum(p.rows * p.weight for p in self.phases.values())

    @property
    def work_done(self) -> float:
        return sum(min(p.done, p.rows) * p.weight for p in self.phases.values())

    def seconds_left(self) -> float | None:
        done, elapsed = self.work_done, self.clock() - self._began
        if done <= 0 or elapsed <= 0:
            return None
        return max(0.0, (self.total_work - done) * elapsed / done)

    def begin(self, key: str) -> None:
        self.phases[key].began = self.clock()

    def finish(self, key: str) -> None:
        """Close a phase; its duration goes into the report (docs/performance.md)."""
        phase = self.phases[key]
        if phase.began is not None:
            phase.seconds = self.clock() - phase.began
        if self.write is not None:
            self.write(
                _("%(label)s: klaar in %(seconds).0f s")
                % {"label": phase.label, "seconds": phase.seconds}
            )

    def advance(self, key: str, rows: int = 1) -> None:
        self.phases[key].done += rows
        now = self.clock()
        if self.write is not None and now - self._last >= self.every:
            self._last = now
            self.write(self.line(key))

    def line(self, key: str) -> str:
        phase = self.phases[key]
        left = self.seconds_left()
        total = self.total_work
        share = 100 * self.work_done / total if total else 100.0
        estimate = (
            _("nog ongeveer %(min)d min %(s)d s") % {"min": left // 60, "s": left % 60}
            if left is not None
            else _("nog onbekend")
        )
        counts = f"{min(phase.done, phase.rows):,}/{phase.rows:,}".replace(",", ".")
        return f"{phase.label}: {counts} ({share:.0f}% {_('van het geheel')}); {estimate}"

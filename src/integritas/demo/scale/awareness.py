"""Scale data at national size: trainings, attendance and discussed dilemmas."""

from .domains import DomainPhase

PHASES: tuple[DomainPhase, ...] = ()

"""Scale data at national size: registrations and their decisions."""

from .domains import DomainPhase

PHASES: tuple[DomainPhase, ...] = ()

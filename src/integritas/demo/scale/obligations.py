"""Scale data at national size: duties of every employee, in every state."""

from .domains import DomainPhase

PHASES: tuple[DomainPhase, ...] = ()

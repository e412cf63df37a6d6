"""Scale data at national size: risk assessments of functions and their measures."""

from .domains import DomainPhase

PHASES: tuple[DomainPhase, ...] = ()

"""Scale data at national size: the counsellors' name-free log."""

from .domains import DomainPhase

PHASES: tuple[DomainPhase, ...] = ()

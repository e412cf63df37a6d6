"""Scale data at national size: documents and acknowledgements of the gedragscode."""

from .domains import DomainPhase

PHASES: tuple[DomainPhase, ...] = ()

"""The scale phases of the domain apps beyond the Meldpunt.

Each app's module in this package lists its `PHASES`; `run.py` runs them after the
people and cases exist, with progress. A phase writes through bulk paths that still make
valid rows (encrypted where the app encrypts) and returns the number of rows written.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .organisations import Slot
    from .people import People
    from .plan import ScaleOptions


@dataclass(frozen=True)
class DomainPhase:
    key: str
    label: str | Promise
    #: How many rows the phase writes for these options (for the estimate of time left).
    rows: "Callable[[ScaleOptions], int]"
    #: Relative cost of one row, microseconds on SQLite on this machine.
    weight: float
    #: (slots, people, options, tick) -> rows written; tick(n) after every batch.
    run: "Callable[[list[Slot], People, ScaleOptions, Callable[[int], None]], int]"


def phases() -> list[DomainPhase]:
    from . import awareness, campaigns, counsel_log, obligations, policies, registers, risks

    modules = (policies, obligations, registers, campaigns, counsel_log, risks, awareness)
    return [phase for module in modules for phase in module.PHASES]

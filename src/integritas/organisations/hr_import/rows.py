"""The rows of an HR export on their way in: drafts, frozen rows, per-organisation state."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from integritas.organisations.models import Employee, Function, Organisation, OrgUnit

# --------------------------------------------------------------------------- validation


@dataclass
class _Draft:
    """One row as far as it could be read; empty strings/None where a value is invalid."""

    line: int
    organisation: Organisation | None = None
    number: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    unit_code: str = ""
    unit_name: str = ""
    parent_code: str = ""
    function_code: str = ""
    function_name: str = ""
    employment_type: str | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    manager_number: str = ""
    has_errors: bool = False


@dataclass(frozen=True)
class _Row:
    """A fully valid row."""

    line: int
    organisation: Organisation
    number: str
    first_name: str
    last_name: str
    email: str
    unit_code: str
    unit_name: str
    parent_code: str
    function_code: str
    function_name: str
    employment_type: str
    start_date: datetime.date
    end_date: datetime.date | None
    manager_number: str

    def is_current(self, today: datetime.date) -> bool:
        return self.end_date is None or self.end_date >= today


@dataclass
class _OrgState:
    """What the database knows of one organisation, plus what the import will add."""

    organisation: Organisation
    employees: dict[str, Employee] = field(default_factory=dict)
    employees_by_pk: dict[int, Employee] = field(default_factory=dict)
    units: dict[str, OrgUnit] = field(default_factory=dict)
    units_by_pk: dict[int, OrgUnit] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    functions_by_pk: dict[int, Function] = field(default_factory=dict)
    # unit pk -> [(through-row pk, employee pk)]
    unit_heads: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    # unit code -> (name, parent code, first row); function code -> (name, first row)
    unit_defs: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    function_defs: dict[str, tuple[str, int]] = field(default_factory=dict)
    rows: list[_Row] = field(default_factory=list)


def _cycles(graph: Mapping[str, str | None], starts: Iterable[str]) -> list[list[str]]:
    """Cycles in a graph where every node has at most one successor, reachable from starts."""
    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in starts:
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done and node not in position:
            position[node] = len(path)
            path.append(node)
            node = graph.get(node)
        if node is not None and node in position:
            cycles.append(path[position[node] :])
        done.update(path)
    return cycles


def _cycle_text(cycle: list[str]) -> str:
    return " → ".join([*cycle, cycle[0]])

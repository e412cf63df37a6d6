"""Every action code the apps write has a Dutch name on the audit-log page, and every
name belongs to a code that is written (audit/constants.py ACTION_LABELS).

The codes are read from the source: each call of `audit_record` or `audit_denied` (or of
a helper in the same module with an `action` parameter) and what its action argument can
be: a literal, either side of a conditional, a name assigned in the module. An f-string
is a family of codes; FAMILIES says from where each family takes its values, and a new
family fails the test until it is listed there.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

from integritas.accounts.api_tokens.services import API_TOKEN_GRANT
from integritas.accounts.services import ROLE_GRANT
from integritas.audit.constants import ACTION_LABELS, DeniedRoute
from integritas.cases.clock.reminders import ACKNOWLEDGEMENT, FEEDBACK
from integritas.cases.constants import ScanStatus
from integritas.cases.models import InvestigationKind
from integritas.cases.substitutes.services import SUBSTITUTE_GRANT
from integritas.cases.workflow import TRANSITIONS
from integritas.obligations.constants import DutyKind
from integritas.registers.constants import Kind as RegistrationKind

SOURCE = Path(__file__).resolve().parents[2] / "src" / "integritas"
GRANT_STEPS = ("request", "grant", "approve", "reject", "revoke")

# f-string family (each formatted value as "{}") -> the codes it stands for.
FAMILIES: dict[str, tuple[str, ...]] = {
    "case.{}": tuple(f"case.{name}" for name in TRANSITIONS),
    "case.investigation_{}": tuple(f"case.investigation_{k}" for k in InvestigationKind.values),
    "case.reminder_{}": (f"case.reminder_{ACKNOWLEDGEMENT}", f"case.reminder_{FEEDBACK}"),
    # A scan that stays pending writes no event (cases/attachments/rescan.py).
    "attachment.scan_{}": tuple(
        f"attachment.scan_{s}" for s in ScanStatus.values if s != ScanStatus.PENDING
    ),
    # audit/denials.py: a refusal on a guarded route, by the route's kind.
    "access.denied.{}": tuple(f"access.denied.{kind}" for kind in DeniedRoute),
    # accounts/signals.py: "oidc" after a login through the organisation's provider.
    "login.{}": ("login.password", "login.oidc"),
    # registers/services.py: a registration of each kind.
    "registers.{}.registered": tuple(f"registers.{k}.registered" for k in RegistrationKind.values),
    # obligations/services.py: duties fulfilled by another app's event, per kind.
    "obligations.{}_fulfilled": tuple(f"obligations.{k}_fulfilled" for k in DutyKind.values),
    **{
        f"{{}}.{step}": tuple(
            f"{kind.action}.{step}" for kind in (ROLE_GRANT, SUBSTITUTE_GRANT, API_TOKEN_GRANT)
        )
        for step in GRANT_STEPS
    },
}


def _pattern(node: ast.JoinedStr) -> str:
    return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)


def _values(node: ast.expr, assigned: dict[str, list[ast.expr]]) -> Iterator[str | ast.JoinedStr]:
    """The literal codes and f-strings an action argument can be."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield node
    elif isinstance(node, ast.IfExp):
        yield from _values(node.body, assigned)
        yield from _values(node.orelse, assigned)
    elif isinstance(node, ast.Name):
        # A parameter passed on (no assignment here): its callers are checked instead.
        for value in assigned.get(node.id, []):
            yield from _values(value, assigned)
    else:  # pragma: no cover - a new kind of expression: teach this test to read it
        raise AssertionError(f"cannot read the action {ast.unparse(node)!r}")


def _assignments(nodes: list[ast.stmt]) -> dict[str, list[ast.expr]]:
    assigned: dict[str, list[ast.expr]] = {}
    for statement in nodes:
        for node in ast.walk(statement):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
    return assigned


def _written_in(tree: ast.Module) -> Iterator[str | ast.JoinedStr]:
    # Names resolve in the function around the call, else at module level.
    module_level = _assignments([n for n in tree.body if not isinstance(n, ast.FunctionDef)])
    # name -> position (-1: keyword); audit_denied records a refusal as audit_record does.
    takes_action: dict[str, int] = {"audit_record": -1, "audit_denied": -1}
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    for function in functions:
        names = [a.arg for a in function.args.args]
        if "action" in names:
            takes_action[function.name] = names.index("action")
        elif "action" in [a.arg for a in function.args.kwonlyargs]:
            takes_action[function.name] = -1
    scopes = [(tree, module_level)]
    scopes += [(f, {**module_level, **_assignments(f.body)}) for f in functions]
    for scope, assigned in scopes:
        body = scope.body if isinstance(scope, ast.Module) else [scope]
        for node in _calls_outside_functions(body, top=scope):
            position = takes_action.get(node.func.id)  # type: ignore[attr-defined]
            if position is None:
                continue
            arguments = [k.value for k in node.keywords if k.arg == "action"]
            if not arguments and 0 <= position < len(node.args):
                arguments = [node.args[position]]
            for argument in arguments:
                yield from _values(argument, assigned)


def _calls_outside_functions(body: list[ast.stmt], top: ast.AST) -> Iterator[ast.Call]:
    """Calls by name in `body`, not descending into functions nested below `top`."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef) and node is not top:
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def written_codes() -> tuple[set[str], set[str]]:
    """(literal codes, f-string families) of every module under src/integritas."""
    codes: set[str] = set()
    families: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for value in _written_in(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(value, str):
                codes.add(value)
            else:
                families.add(_pattern(value))
    return codes, families


def test_every_family_of_codes_is_known():
    _codes, families = written_codes()
    assert families == set(FAMILIES)


def test_every_code_written_has_a_dutch_name_and_every_name_a_code():
    codes, _families = written_codes()
    for family in FAMILIES.values():
        codes.update(family)
    assert "login.password" in codes and "case.submit" in codes  # the reading works
    assert sorted(codes - set(ACTION_LABELS)) == [], "codes without a name"
    assert sorted(set(ACTION_LABELS) - codes) == [], "names of codes nobody writes"

"""Generate docs/requirements.md: every requirement id and the tests that prove it.

Usage (from the repository root):

    python scripts/requirements_table.py                    # rewrite docs/requirements.md
    python scripts/requirements_table.py --check            # exit 1 when it is out of date
    python scripts/requirements_table.py --requirements ../shared/REQUIREMENTS.md

The list of requirements comes from REQUIREMENTS.md (default: ../shared/REQUIREMENTS.md
next to the repository); without it, the ids and titles already in docs/requirements.md
are kept.

Only a marker counts: `@pytest.mark.requirement("R-WBK-3")` (one or more ids) on a test
function or class, or in a module's `pytestmark`. A test carries it only when it fails as
soon as the rule is broken. An id in a docstring or a comment proves nothing and is not
counted. The test files are read with `ast`, so no database and no Django are needed.
"""

import argparse
import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TypeGuard

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "requirements.md"
TESTS = REPO / "tests"
DEFAULT_REQUIREMENTS = REPO.parent / "shared" / "REQUIREMENTS.md"
ID = re.compile(r"^R-[A-Z]+-\d+$")
DEFINITION = re.compile(r"^- \*\*(R-[A-Z]+-\d+)\*\* (.*)$")
ROW = re.compile(r"^\| (R-[A-Z]+-\d+) \| (.*?) \| .* \|$")
TITLE_LENGTH = 90
MARKER = "requirement"
NOT_PROVEN = "not proven"


class MarkerError(ValueError):
    """A requirement marker the table cannot read: no ids, not a string, not an id."""


def _sort_key(requirement_id: str) -> tuple[str, int]:
    prefix, number = requirement_id.rsplit("-", 1)
    return prefix, int(number)


def _short(text: str) -> str:
    text = " ".join(text.split()).replace("|", "/")
    if len(text) <= TITLE_LENGTH:
        return text
    return text[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + " …"


def requirements_from_markdown(path: Path) -> dict[str, str]:
    """Ids with the first line of their text, in the order REQUIREMENTS.md defines them."""
    found: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = DEFINITION.match(line)
        if match:
            text = match.group(2)
            # Continuation lines are indented.
            for following in lines[index + 1 :]:
                if not following.startswith("  "):
                    break
                text += " " + following.strip()
            found[match.group(1)] = _short(text)
    return found


def requirements_from_table(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


# --- markers ---------------------------------------------------------------------------


def _is_requirement_marker(node: ast.AST) -> TypeGuard[ast.Call]:
    """`pytest.mark.requirement(...)` or `mark.requirement(...)` (from pytest import mark)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    if node.func.attr != MARKER:
        return False
    owner = node.func.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "mark") or (
        isinstance(owner, ast.Name) and owner.id == "mark"
    )


def _ids_in(node: ast.AST | None, where: str) -> set[str]:
    """The ids of every requirement marker inside node (a decorator, a pytestmark value)."""
    found: set[str] = set()
    if node is None:
        return found
    for call in ast.walk(node):
        if not _is_requirement_marker(call):
            continue
        if not call.args or call.keywords:
            raise MarkerError(f"{where}: requirement marker needs one or more ids, nothing else")
        for argument in call.args:
            if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                raise MarkerError(f"{where}: requirement ids must be string literals")
            if not ID.match(argument.value):
                raise MarkerError(f"{where}: {argument.value!r} is not a requirement id")
            found.add(argument.value)
    return found


def _pytestmark(body: list[ast.stmt], where: str) -> set[str]:
    found: set[str] = set()
    for statement in body:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in targets):
            found |= _ids_in(statement.value, where)
    return found


def _decorators(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, where: str
) -> set[str]:
    found: set[str] = set()
    for decorator in node.decorator_list:
        found |= _ids_in(decorator, where)
    return found


def _tests(
    body: list[ast.stmt], prefix: str, inherited: set[str], where: str
) -> Iterator[tuple[str, set[str]]]:
    """(node id, requirement ids) of every test pytest would collect from body."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            name = f"{prefix}::{node.name}"
            yield name, inherited | _decorators(node, f"{where}:{node.lineno}")
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            here = f"{where}:{node.lineno}"
            carried = inherited | _decorators(node, here) | _pytestmark(node.body, here)
            yield from _tests(node.body, f"{prefix}::{node.name}", carried, where)


def markers_in_file(path: Path, name: str) -> dict[str, set[str]]:
    """Test node id -> requirement ids carried by markers, for one test file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _pytestmark(tree.body, name)
    return {test: ids for test, ids in _tests(tree.body, name, module, name) if ids}


def tests_proving(tests_dir: Path, root: Path = REPO) -> dict[str, list[str]]:
    """Requirement id -> sorted test node ids (`tests/x/test_y.py::test_z`) that carry it."""
    proving: dict[str, set[str]] = {}
    for path in sorted(tests_dir.rglob("test*.py")):
        name = path.relative_to(root).as_posix()
        for test, ids in markers_in_file(path, name).items():
            for requirement_id in ids:
                proving.setdefault(requirement_id, set()).add(test)
    return {key: sorted(value) for key, value in proving.items()}


# --- the table ---------------------------------------------------------------------------


def render(requirements: dict[str, str], proving: dict[str, list[str]]) -> str:
    ids = sorted(set(requirements) | set(proving), key=_sort_key)
    proven = [i for i in ids if proving.get(i)]
    lines = [
        "# Requirements and the tests that prove them",
        "",
        "Generated by `python scripts/requirements_table.py` from the requirement ids in",
        'REQUIREMENTS.md and the tests that carry `@pytest.mark.requirement("R-…")`; do not',
        "edit by hand. A test carries the marker only when it fails as soon as the rule is",
        "broken; an id in a comment or docstring is not counted. An id marked *not proven*",
        "has no such test: its app is not built yet, or it is met by documentation or",
        "organisation (for example R-DP-1, the DPIA in docs/dpia.md).",
        "",
        f"{len(proven)} of {len(ids)} requirements are proven by at least one test.",
        "",
        "| id | requirement | tests |",
        "|---|---|---|",
    ]
    for requirement_id in ids:
        tests = proving.get(requirement_id, [])
        cell = "<br>".join(f"`{t}`" for t in tests) if tests else f"*{NOT_PROVEN}*"
        title = requirements.get(requirement_id, "(not in REQUIREMENTS.md)")
        lines.append(f"| {requirement_id} | {title} | {cell} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requirements", type=Path, default=DEFAULT_REQUIREMENTS)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    if args.requirements.exists():
        requirements = requirements_from_markdown(args.requirements)
    else:
        requirements = requirements_from_table(OUTPUT)
    try:
        proving = tests_proving(TESTS)
    except (MarkerError, SyntaxError) as error:
        print(error, file=sys.stderr)
        return 2
    unknown = sorted(set(proving) - set(requirements), key=_sort_key)
    if unknown and requirements:
        print(f"markers name ids that are not requirements: {', '.join(unknown)}", file=sys.stderr)
        return 2
    text = render(requirements, proving)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(REPO)} is out of date; run {Path(__file__).name}.")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

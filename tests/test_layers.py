"""The layers of docs/architecture.md hold, and the check that says so can fail.

`make test` runs `lint-imports`; this test proves the contract catches an upward import
(a lower app importing a domain app) and a domain app importing another one, on a copy
of the source tree so the real one is never touched.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("layers")
    shutil.copytree(
        ROOT / "src" / "integritas",
        tree / "src" / "integritas",
        ignore=shutil.ignore_patterns("__pycache__", "static", "locale", "templates"),
    )
    return tree


def test_the_layers_hold_in_the_source(source_copy):
    result = _lint(source_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # A lower layer reaching up to a domain app, even inside a function.
        ("accounts/selectors.py", "from integritas.cases import constants", "layers"),
        ("audit/services.py", "def _f():\n    from integritas.accounts import models", "layers"),
        # One domain app importing another.
        ("counsel/selectors.py", "from integritas.cases import selectors", "each other"),
        # Anything importing the demo.
        ("portal/views.py", "from integritas.demo import data", "demo"),
    ],
)
def test_the_contract_refuses_a_forbidden_import(source_copy, module, line, broken):
    path = source_copy / "src" / "integritas" / module
    original = path.read_text()
    path.write_text(original + "\n\n" + line + "\n")
    try:
        result = _lint(source_copy)
    finally:
        path.write_text(original)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert broken in result.stdout.split("Broken contracts")[1]

"""scripts/requirements_table.py counts requirement markers, never a mention in text."""

import importlib.util
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "requirements_table.py"


@pytest.fixture(scope="module")
def table() -> ModuleType:
    spec = importlib.util.spec_from_file_location("requirements_table", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(root: Path, name: str, source: str) -> None:
    path = root / "tests" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")


def test_only_markers_count(table: ModuleType, tmp_path: Path) -> None:
    _write(
        tmp_path,
        "test_a.py",
        '''
        """R-AW-1 in a docstring proves nothing."""
        import pytest
        from pytest import mark

        # R-AW-2 in a comment proves nothing either.
        def test_mentions() -> None:
            """R-AW-3."""

        @pytest.mark.django_db
        @pytest.mark.requirement("R-WBK-3", "R-WBK-4")
        def test_two_ids() -> None: ...

        @mark.requirement("R-WBK-3")
        def test_bare_mark() -> None: ...

        @pytest.mark.requirement("R-DP-3")
        class TestClass:
            pytestmark = pytest.mark.requirement("R-BIO-1")

            @pytest.mark.requirement("R-WBK-7")
            def test_method(self) -> None: ...

            def helper(self) -> None: ...

        @pytest.mark.requirement("R-GC-1")
        def helper() -> None: ...
        ''',
    )
    _write(
        tmp_path,
        "sub/test_b.py",
        """
        import pytest

        pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R-DP-2")]

        def test_one() -> None: ...
        """,
    )
    proving = table.tests_proving(tmp_path / "tests", root=tmp_path)
    assert proving == {
        "R-WBK-3": ["tests/test_a.py::test_bare_mark", "tests/test_a.py::test_two_ids"],
        "R-WBK-4": ["tests/test_a.py::test_two_ids"],
        "R-DP-3": ["tests/test_a.py::TestClass::test_method"],
        "R-BIO-1": ["tests/test_a.py::TestClass::test_method"],
        "R-WBK-7": ["tests/test_a.py::TestClass::test_method"],
        "R-DP-2": ["tests/sub/test_b.py::test_one"],
    }


@pytest.mark.parametrize(
    "marker",
    ["requirement()", "requirement(ID)", 'requirement("WBK-3")', 'requirement(id="R-WBK-3")'],
)
def test_unreadable_marker_is_an_error(table: ModuleType, tmp_path: Path, marker: str) -> None:
    _write(tmp_path, "test_c.py", f"import pytest\n@pytest.mark.{marker}\ndef test_x(): ...\n")
    with pytest.raises(table.MarkerError):
        table.tests_proving(tmp_path / "tests", root=tmp_path)


def test_unproven_ids_are_shown(table: ModuleType) -> None:
    text = table.render(
        {"R-WBK-1": "Internal procedure", "R-WBK-3": "Acknowledgement"},
        {"R-WBK-3": ["tests/t.py::test_x"]},
    )
    assert "1 of 2 requirements are proven by at least one test." in text
    assert "| R-WBK-1 | Internal procedure | *not proven* |" in text
    assert "| R-WBK-3 | Acknowledgement | `tests/t.py::test_x` |" in text


def test_every_marker_in_the_suite_names_a_known_requirement(table: ModuleType) -> None:
    # A typo ("R-WBK3", "R-WKB-3") or an id that does not exist would count for nothing.
    if table.DEFAULT_REQUIREMENTS.exists():
        known = table.requirements_from_markdown(table.DEFAULT_REQUIREMENTS)
    else:
        known = table.requirements_from_table(table.OUTPUT)
    proving = table.tests_proving(table.TESTS)
    assert proving, "no test carries a requirement marker"
    assert set(proving) <= set(known), sorted(set(proving) - set(known))

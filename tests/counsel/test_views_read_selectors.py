"""STYLE.md habit 2: views read organisation data through their app's selectors (scoped,
404 for what the user may not see), never a model manager."""

import re
from pathlib import Path

import integritas

SRC = Path(integritas.__file__).parent
VIEWS = [
    "counsel/views.py",
    "counsel/log/views.py",
    "counsel/training/views.py",
    "cases/intake/views.py",
    "risks/views.py",
    "awareness/views.py",
]


def test_these_views_query_no_model_directly() -> None:
    for name in VIEWS:
        text = (SRC / name).read_text()
        assert not re.search(r"\.objects\b", text), name
        assert "._default_manager" not in text, name

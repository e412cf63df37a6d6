"""The dilemma library is data of awareness migration 0002; a transactional test elsewhere
in the suite flushes every table, so the scale test (dilemmas discussed) loads it again."""

import importlib
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _dilemma_library(request: Any) -> None:
    names = request.fixturenames
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("db")
    else:
        return
    from django.apps import apps

    from integritas.awareness.models import Dilemma

    if not Dilemma.objects.exists():
        library = importlib.import_module("integritas.awareness.migrations.0002_dilemma_library")
        library.load(apps, None)

"""The HR import tells the apps above it who started, left or changed function.

Domain apps act on these events (onboarding duties, re-assessing side activities) without
organisations importing them; the events come once per import, inside its transaction.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from integritas.organisations import events
from integritas.organisations.models import Employee

from .test_hr_import import good_rows, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def received() -> Iterator[dict[str, list[list[str]]]]:
    """The personnel numbers each signal carried, per send (and the open transaction)."""
    got: dict[str, list[list[str]]] = {"started": [], "left": [], "function": []}
    in_atomic: list[bool] = []

    def listener(name: str) -> Any:
        def receive(sender: Any, *, employee_ids: list[int], **kwargs: Any) -> None:
            in_atomic.append(transaction.get_connection().in_atomic_block)
            numbers = Employee.objects.filter(pk__in=employee_ids).values_list(
                "personnel_number", flat=True
            )
            got[name].append(sorted(numbers))

        return receive

    receivers = {
        events.employee_started: listener("started"),
        events.employee_left: listener("left"),
        events.function_changed: listener("function"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False)
    got["in_atomic"] = in_atomic  # type: ignore[assignment]
    yield got
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


def test_a_first_import_announces_every_new_employee_once(organisation, received):
    rows = good_rows()
    assert run(rows).ok
    assert received["started"] == [sorted(r["personeelsnummer"] for r in rows)]
    # The intern's contract in the file has ended: she is announced as leaving too.
    assert received["left"] == [["1006"]]
    assert received["function"] == []
    assert all(received["in_atomic"])


def test_changes_are_announced_and_an_unchanged_file_announces_nothing(organisation, received):
    rows = good_rows()
    assert run(rows).ok
    for name in ("started", "left", "function"):
        received[name].clear()

    assert run(rows).ok
    assert received["started"] == received["left"] == received["function"] == []

    rows[2]["functie"], rows[2]["functie_naam"] = "TL", "Teamleider"  # 1003 is promoted
    rows[7]["datum_uit_dienst"] = "2030-06-30"  # 1008 will leave
    assert run(rows).ok
    assert received["function"] == [["1003"]]
    assert received["left"] == [["1008"]]
    assert received["started"] == []


def test_a_dry_run_or_a_refused_file_announces_nothing(organisation, received):
    assert run(good_rows(), dry_run=True).ok
    bad = good_rows()
    bad[0]["datum_in_dienst"] = "gisteren"
    assert not run(bad).ok
    assert received["started"] == received["left"] == received["function"] == []


def test_a_failing_subscriber_rolls_the_import_back(organisation):
    def refuse(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("subscriber failed")

    events.employee_started.connect(refuse, weak=False)
    try:
        with pytest.raises(RuntimeError):
            run(good_rows())
    finally:
        events.employee_started.disconnect(refuse)
    assert not Employee.objects.filter(personnel_number="1001").exists()

"""The administrators' organisation overview says whether the Wbk obliges an internal
reporting procedure (R-WBK-1: from 50 workers, the threshold a setting)."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from integritas.accounts.constants import Role

OBLIGED = "Interne meldprocedure: verplicht (Wbk)."
NOT_OBLIGED = "Interne meldprocedure: niet verplicht (Wbk)."
NO_REGULATION = "Er is nog geen meldregeling vastgelegd."


def _overview(client_for, organisation, workers: int, regulation: str = "") -> str:
    organisation.worker_count = workers
    organisation.reporting_regulation_name = regulation
    organisation.save()
    response = client_for(Role.ADMINISTRATOR, organisation).get(
        reverse("organisations:organisation_list")
    )
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.requirement("R-WBK-1")
@pytest.mark.parametrize(("workers", "obliged"), [(0, False), (49, False), (50, True), (51, True)])
def test_internal_procedure_is_obligatory_from_50_workers(
    client_for, organisation, workers: int, obliged: bool
) -> None:
    html = _overview(client_for, organisation, workers)
    assert (OBLIGED in html) is obliged
    assert (NOT_OBLIGED in html) is not obliged
    assert f"Aantal werkenden: {workers}; de plicht geldt vanaf 50." in html
    # An obliged organisation without a recorded regulation is told so.
    assert (NO_REGULATION in html) is obliged


@pytest.mark.requirement("R-WBK-1")
def test_obliged_organisation_with_a_regulation_gets_no_warning(client_for, organisation) -> None:
    html = _overview(client_for, organisation, 50, regulation="Regeling melden Leiderdorp 2025")
    assert OBLIGED in html
    assert NO_REGULATION not in html


@pytest.mark.requirement("R-WBK-1")
@override_settings(INTEGRITAS_WBK_WORKER_THRESHOLD=100)
@pytest.mark.parametrize(("workers", "obliged"), [(99, False), (100, True)])
def test_the_threshold_is_configurable(
    client_for, organisation, workers: int, obliged: bool
) -> None:
    html = _overview(client_for, organisation, workers)
    assert (OBLIGED in html) is obliged
    assert "de plicht geldt vanaf 100." in html

"""R-GC-3: a manager weighs a side activity against the five criteria of the gedragscode,
and the decision keeps which ones were weighed."""

import pytest
from django.utils import translation

from integritas.registers.constants import Kind, Outcome
from integritas.registers.forms import DecisionForm

R_GC_3 = {
    "Strijd met de belangen van de werkgever",
    "Reputatie van de organisatie",
    "Invloed op het functioneren en de werktijd",
    "Gebruik van informatie of middelen van de werkgever",
    "Relaties met partijen waarmee de gemeente zaken doet",
}


@pytest.mark.requirement("R-GC-3")
def test_a_side_activity_decision_offers_exactly_the_five_criteria_of_the_gedragscode():
    form = DecisionForm(outcomes=tuple(Outcome), kind=Kind.SIDE_ACTIVITY)
    with translation.override("nl"):
        offered = {str(label) for _value, label in form.fields["criteria"].choices}
        html = str(form)
    assert offered == R_GC_3
    for label in R_GC_3:
        assert label in html


@pytest.mark.requirement("R-GC-3")
def test_criteria_that_are_not_those_of_the_gedragscode_are_refused():
    form = DecisionForm(
        {"outcome": Outcome.APPROVED, "criteria": ["hobby"]},
        outcomes=tuple(Outcome),
        kind=Kind.SIDE_ACTIVITY,
    )
    assert not form.is_valid()
    assert "criteria" in form.errors

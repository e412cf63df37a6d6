"""R-GC-4: a counsellor logs each kind of unwanted behaviour the Arbowet (PSA) and
BW 7:646 name, besides integrity, so the yearly counts can show them apart."""

import pytest
from django.utils import translation

from integritas.counsel.log.forms import ConsultationEntryForm

UNWANTED_BEHAVIOUR = {"Seksuele intimidatie", "Agressie en geweld", "Pesten", "Discriminatie"}


@pytest.mark.requirement("R-GC-4")
def test_the_log_offers_every_kind_of_unwanted_behaviour_as_its_own_theme():
    field = ConsultationEntryForm.base_fields["theme"]
    with translation.override("nl"):
        labels = {str(label) for _value, label in field.choices}
    assert labels >= UNWANTED_BEHAVIOUR
    assert "Integriteit" in labels

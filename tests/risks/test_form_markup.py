"""The forms of risks and awareness render through the one form renderer exactly as the
reference templates do (the check of tests/core/test_form_renderer.py, for these forms
until that test lists their modules)."""

import pytest

from integritas.awareness import forms as awareness_forms
from integritas.core.forms import IntegritasFormRenderer
from integritas.risks import forms as risks_forms
from tests.core.test_form_renderer import ReferenceFormRenderer, _normalise, _same_html
from tests.factories import EmployeeFactory

FORMS = [
    (risks_forms.AssessmentForm, {"organisation": True}),
    (risks_forms.OverrideForm, {}),
    (risks_forms.FactorsForm, {}),
    (risks_forms.MeasureForm, {"organisation": True}),
    (risks_forms.MeasureForm, {"organisation": True, "editing": True}),
    (awareness_forms.ActivityForm, {}),
    (awareness_forms.AttendanceForm, {}),
    (awareness_forms.AttendanceUploadForm, {}),
    (awareness_forms.CompleteForm, {}),
    (awareness_forms.DilemmaFilterForm, {}),
    (awareness_forms.DiscussForm, {"team": True}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "wanted"), FORMS, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("bound", [False, True], ids=["empty", "with-errors"])
def test_same_markup_as_the_reference(form_class, wanted, bound, organisation):
    kwargs = dict(wanted)
    if "organisation" in kwargs:
        kwargs["organisation"] = organisation
    if "team" in kwargs:
        kwargs["team"] = [EmployeeFactory(organisation=organisation)]
    rendered = {}
    for renderer in (IntegritasFormRenderer(), ReferenceFormRenderer()):
        form = form_class(*(({},) if bound else ()), renderer=renderer, **kwargs)
        if bound:
            form.is_valid()
        rendered[type(renderer).__name__] = _normalise(str(form))
    assert _same_html(rendered["IntegritasFormRenderer"], rendered["ReferenceFormRenderer"])

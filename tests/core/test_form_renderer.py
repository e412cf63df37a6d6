"""The Python fast path of the form renderer writes exactly what the templates write.

IntegritasFormRenderer renders the field group and the plain input widgets in Python
(integritas.core.forms) because the template engine made the case page too slow. Every
form in the project is rendered both ways, empty and with the errors of an empty
submission, and the HTML must be the same apart from whitespace between tags. Bad input
keeps its Dutch error per field on either path (R-WBK-2: the written report form).
"""

import importlib
import inspect
import re
from typing import Any

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from integritas.accounts.models import User
from integritas.core.forms import IntegritasFormRenderer
from integritas.organisations.models import Organisation, Region
from tests.cases.factories import submit_case

FORM_MODULES = (
    "integritas.accounts.forms",
    "integritas.accounts.audit_log.forms",
    "integritas.cases.handling.forms",
    "integritas.cases.intake.forms",
    "integritas.cases.investigation.forms",
    "integritas.cases.mailbox.forms",
    "integritas.cases.substitutes.forms",
    "integritas.counsel.forms",
    "integritas.accounts.organisation_pages.forms",
)


def _project_forms() -> list[type[forms.BaseForm]]:
    for name in FORM_MODULES:
        importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[Any]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("integritas.") and cls.__module__ in FORM_MODULES:
            found.append(cls)
    return sorted(set(found), key=lambda c: (c.__module__, c.__name__))


PROJECT_FORMS = _project_forms()


class TemplateOnlyFormRenderer(TemplatesSetting):
    """The project's renderer through the templates only: the reference."""

    form_template_name = IntegritasFormRenderer.form_template_name
    field_template_name = IntegritasFormRenderer.field_template_name


def _normalise(html: str) -> str:
    html = re.sub(r'(name="form_token" value=")[^"]*', r"\1(random)", html)  # one per form
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def _kwargs(form_class: type[forms.BaseForm], organisation: Organisation) -> dict[str, Any]:
    """Constructor arguments the project's forms ask for by name."""
    wanted: set[str] = set()
    for cls in form_class.__mro__:
        init = cls.__dict__.get("__init__")
        if init is not None:
            wanted |= {
                p.name
                for p in inspect.signature(init).parameters.values()
                if p.kind is inspect.Parameter.KEYWORD_ONLY
            }
    available: dict[str, Any] = {
        "case": lambda: submit_case(organisation).case,
        "organisations": lambda: Organisation.objects.all(),
        "users": lambda: User.objects.all(),
        "regions": lambda: Region.objects.all(),
        "as_manager": lambda: True,
        "as_coordinator": lambda: True,
    }
    missing = wanted - set(available)
    assert not missing, f"{form_class.__name__} needs {missing}: teach this test to make them"
    return {name: available[name]() for name in wanted}


def test_every_project_form_is_covered():
    names = {cls.__name__ for cls in PROJECT_FORMS}
    assert {"MessageForm", "NoteForm", "InboxFilterForm", "DecisionForm"} <= names
    assert len(PROJECT_FORMS) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", PROJECT_FORMS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("bound", [False, True], ids=["empty", "with-errors"])
def test_fast_renderer_writes_what_the_templates_write(form_class, bound, organisation):
    kwargs = _kwargs(form_class, organisation)
    rendered = {}
    for renderer in (IntegritasFormRenderer(), TemplateOnlyFormRenderer()):
        args = ({},) if bound else ()
        form = form_class(*args, renderer=renderer, **kwargs)
        if bound:
            form.is_valid()
        rendered[type(renderer).__name__] = _normalise(str(form))
    assert rendered["IntegritasFormRenderer"] == rendered["TemplateOnlyFormRenderer"]
    if form.fields:
        assert rendered["IntegritasFormRenderer"]  # the form renders something at all


def test_values_and_errors_are_escaped_on_the_fast_path():
    class Probe(forms.Form):
        text = forms.CharField(label="<b>label</b>", help_text="<i>help</i>")
        body = forms.CharField(widget=forms.Textarea)

    html = str(
        Probe(
            {"text": '"><script>x</script>', "body": "</textarea><script>y</script>"},
            renderer=IntegritasFormRenderer(),
        )
    )
    assert "<script>" not in html
    assert "&lt;b&gt;label&lt;/b&gt;" in html
    assert "&lt;/textarea&gt;&lt;script&gt;y&lt;/script&gt;" in html


def test_form_errors_and_hidden_fields_render_alike_on_both_paths():
    class Probe(forms.Form):
        token = forms.CharField(widget=forms.HiddenInput)
        text = forms.CharField(required=False)

        def clean(self) -> dict[str, Any]:
            raise forms.ValidationError("<b>Niet verwerkt</b>: probeer opnieuw.")

    rendered = [
        _normalise(str(_bound(Probe, renderer)))
        for renderer in (IntegritasFormRenderer(), TemplateOnlyFormRenderer())
    ]
    assert rendered[0] == rendered[1]
    assert "Controleer de gemarkeerde velden." in rendered[0]
    assert "&lt;b&gt;Niet verwerkt&lt;/b&gt;" in rendered[0]
    assert 'type="hidden" name="token"' in rendered[0]


def _bound(form_class: type[forms.Form], renderer: Any) -> forms.Form:
    form = form_class({"text": "x"}, renderer=renderer)
    form.is_valid()
    return form

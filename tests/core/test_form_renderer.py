"""The one form renderer (Jinja2) writes the markup of the reference templates.

IntegritasFormRenderer renders every form with the Jinja2 templates in
jinja2/django/forms/ and Django's Jinja2 widgets (integritas.core.forms). The reference is
the same markup in Django's template language, kept here in reference_forms/ with Django's
own widget templates: every form in the project is rendered both ways, empty and with the
errors of an empty submission, and the two must be the same HTML (compared as parsed
HTML: whitespace, the order of attributes and the spelling of escapes may differ). Bad
input keeps its Dutch error per field (R-WBK-2: the written report form).
"""

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.backends.django import DjangoTemplates as DjangoTemplatesBackend
from django.test.html import parse_html
from django.utils.functional import cached_property

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


REFERENCE_DIR = Path(__file__).parent / "reference_forms"
DJANGO_FORMS_TEMPLATES = Path(forms.__file__).parent / "templates"


class ReferenceFormRenderer(DjangoTemplates):
    """The reference: the same form and field markup in Django's template language, with
    Django's own widget templates."""

    form_template_name = IntegritasFormRenderer.form_template_name
    field_template_name = IntegritasFormRenderer.field_template_name

    @cached_property
    def engine(self) -> DjangoTemplatesBackend:
        return DjangoTemplatesBackend(
            {
                "APP_DIRS": False,
                "DIRS": [REFERENCE_DIR, DJANGO_FORMS_TEMPLATES],
                "NAME": "reference_forms",
                "OPTIONS": {},
            }
        )


def _normalise(html: str) -> str:
    html = re.sub(r'(name="form_token" value=")[^"]*', r"\1(random)", html)  # one per form
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def _same_html(first: str, second: str) -> bool:
    return bool(parse_html(first) == parse_html(second))


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
        "allowed": lambda: Organisation.objects.all(),
        "users": lambda: User.objects.all(),
        "regions": lambda: Region.objects.all(),
        "as_manager": lambda: True,
        "as_coordinator": lambda: True,
        "chosen": lambda: False,
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
def test_renderer_writes_what_the_reference_templates_write(form_class, bound, organisation):
    kwargs = _kwargs(form_class, organisation)
    rendered = {}
    for renderer in (IntegritasFormRenderer(), ReferenceFormRenderer()):
        args = ({},) if bound else ()
        form = form_class(*args, renderer=renderer, **kwargs)
        if bound:
            form.is_valid()
        rendered[type(renderer).__name__] = _normalise(str(form))
    jinja2, reference = rendered["IntegritasFormRenderer"], rendered["ReferenceFormRenderer"]
    assert _same_html(jinja2, reference), f"{jinja2}\n!=\n{reference}"
    if form.fields:
        assert jinja2  # the form renders something at all


def test_values_and_errors_are_escaped():
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
        for renderer in (IntegritasFormRenderer(), ReferenceFormRenderer())
    ]
    assert _same_html(rendered[0], rendered[1])
    assert "Controleer de gemarkeerde velden." in rendered[0]
    assert "&lt;b&gt;Niet verwerkt&lt;/b&gt;" in rendered[0]
    assert 'type="hidden" name="token"' in rendered[0]


def _bound(form_class: type[forms.Form], renderer: Any) -> forms.Form:
    form = form_class({"text": "x"}, renderer=renderer)
    form.is_valid()
    return form


def test_optional_fields_are_marked_except_in_a_filter_bar():
    from integritas.cases.handling.forms import InboxFilterForm

    class Probe(forms.Form):
        text = forms.CharField(required=False)

    assert "(niet verplicht)" in str(Probe(renderer=IntegritasFormRenderer()))
    filter_bar = str(InboxFilterForm(organisations=[], renderer=IntegritasFormRenderer()))
    assert "utrecht-form-field" in filter_bar
    assert "niet verplicht" not in filter_bar


@pytest.mark.django_db
def test_kept_html_is_reused_per_language_and_never_for_a_bound_form(organisation):
    from django.utils import translation

    from integritas.cases.handling.forms import MessageForm

    case = submit_case(organisation).case
    with translation.override("nl"):
        dutch = str(MessageForm(case=case))
    with translation.override("en"):
        english = str(MessageForm(case=case))
    assert dutch != english
    assert "(niet verplicht)" in dutch and "(niet verplicht)" not in english
    with translation.override("nl"):
        assert str(MessageForm(case=case)) == dutch
        bound = MessageForm({"message-body": "<b>x</b>"}, case=case)
        assert "&lt;b&gt;x&lt;/b&gt;" in str(bound)
        assert "&lt;b&gt;x&lt;/b&gt;" not in str(MessageForm(case=case))

"""One form renderer for every form: NL Design System markup from templates/django/forms.

The form, the field group and the plain input widgets are written in Python as well as
in the templates: a case page renders a dozen fields, and through the template engine each one
costs about as much as a database query (benchmarks/cases.py). The Python versions
produce the same HTML as the templates, which tests/core/test_form_renderer.py checks
for every form in the project; any other template goes through the engine as usual.
"""

from collections.abc import Callable
from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.translation import gettext

FIELD_TEMPLATE = "django/forms/field.html"
_INPUT_WIDGETS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "date",
        "number",
        "password",
        "hidden",
        "url",
        "checkbox",
        "file",
        "datetime",
        "time",
        "search",
        "tel",
    )
}
_TEXTAREA = "django/forms/widgets/textarea.html"


def _e(value: Any) -> str:
    return str(conditional_escape(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """templates/django/forms/widgets/attrs.html"""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_e(name)}" if value is True else f' {_e(name)}="{_e(value)}"')
    return "".join(parts)


def _input(context: dict[str, Any]) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{_e(value)}"'
    return (
        f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def _textarea(context: dict[str, Any]) -> str:
    widget = context["widget"]
    value = _e(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _field(context: dict[str, Any]) -> str:
    """templates/django/forms/field.html"""
    field = context["field"]
    errors = field.errors
    auto_id = _e(field.auto_id)
    if field.use_fieldset:
        invalid = " utrecht-form-fieldset--invalid" if errors else ""
        head = (
            f'<fieldset class="utrecht-form-fieldset{invalid}">\n'
            f'  <legend class="utrecht-form-fieldset__legend">{_e(field.label)}</legend>\n'
        )
        tail = "</fieldset>"
    else:
        invalid = " utrecht-form-field--invalid" if errors else ""
        label = ""
        if field.label:
            optional = ""
            if not field.field.required:
                optional = (
                    f' <span class="integritas-optional">({_e(gettext("niet verplicht"))})</span>'
                )
            label = (
                f'<div class="utrecht-form-field__label"><label class="utrecht-form-label" '
                f'for="{auto_id}">{_e(field.label)}{optional}</label></div>'
            )
        head = f'<div class="utrecht-form-field{invalid}">\n  {label}\n'
        tail = "</div>"
    help_text = ""
    if field.help_text:
        help_text = (
            f'<div class="utrecht-form-field-description" id="{auto_id}_helptext">'
            f"{_e(field.help_text)}</div>"
        )
    error_html = ""
    if errors:
        messages = "".join(f'<p class="utrecht-paragraph">{_e(error)}</p>' for error in errors)
        error_html = (
            f'<div class="utrecht-form-field-error-message" id="{auto_id}_error">{messages}</div>'
        )
    return (
        f"{head}  {help_text}\n  {error_html}\n"
        f'  <div class="utrecht-form-field__input">{field}</div>\n{tail}\n'
    )


def _form(context: dict[str, Any]) -> str:
    """templates/django/forms/integritas.html"""
    errors = context["errors"]
    alert = ""
    if errors:
        messages = "".join(f'<p class="utrecht-paragraph">{_e(error)}</p>' for error in errors)
        alert = (
            '<div class="utrecht-alert utrecht-alert--error" role="alert">'
            f'<p class="utrecht-paragraph">{_e(gettext("Controleer de gemarkeerde velden."))}'
            f"</p>{messages}</div>"
        )
    fields = "".join(str(field.as_field_group()) for field, _ in context["fields"])
    hidden = "".join(str(field) for field in context["hidden_fields"])
    return f"{alert}\n{fields}\n{hidden}\n"


FORM_TEMPLATE = "django/forms/integritas.html"
FAST_TEMPLATES: dict[str, Callable[[dict[str, Any]], str]] = {
    FORM_TEMPLATE: _form,
    FIELD_TEMPLATE: _field,
    _TEXTAREA: _textarea,
    **dict.fromkeys(_INPUT_WIDGETS, _input),
}


class IntegritasFormRenderer(TemplatesSetting):
    """Renders every form with our templates (utrecht-form-field markup)."""

    form_template_name = FORM_TEMPLATE
    field_template_name = FIELD_TEMPLATE

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        fast = FAST_TEMPLATES.get(template_name)
        if fast is not None:
            return fast(context)
        return super().render(template_name, context, request=request)

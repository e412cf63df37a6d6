"""One form renderer for every form: NL Design System markup from templates/django/forms."""

from django.forms.renderers import TemplatesSetting


class IntegritasFormRenderer(TemplatesSetting):
    """Renders every form with our templates (utrecht-form-field markup)."""

    form_template_name = "django/forms/integritas.html"
    field_template_name = "django/forms/field.html"

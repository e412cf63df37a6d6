"""One form renderer for every form: NL Design System markup from Jinja2 templates.

The form and its field groups are written in jinja2/django/forms/ (integritas.html,
field.html), the widgets are Django's own Jinja2 templates (django/forms/jinja2), all
rendered by the engine named "jinja2" in TEMPLATES (core/jinja.py). Through Django's
template language a case page's dozen fields cost about as much as a database query
each (benchmarks/cases.py); through Jinja2 they are cheap, so nothing is written in Python.
tests/core/test_form_renderer.py holds every form in the project to the markup of the
reference templates in tests/core/reference_forms.

A form that a busy page renders the same way request after request (the inbox's filter
bar, the empty message and note forms of the case page) can keep its HTML: see KeptHtmlForm.
"""

import hashlib
from typing import Any

from django import forms
from django.core.cache import cache
from django.forms.renderers import BaseRenderer
from django.template import engines
from django.utils.safestring import SafeString
from django.utils.translation import get_language

FORM_TEMPLATE = "django/forms/integritas.html"
FIELD_TEMPLATE = "django/forms/field.html"


class IntegritasFormRenderer(BaseRenderer):
    """Renders every form with our Jinja2 templates (utrecht-form-field markup).

    Every template a form or widget names is looked up in the Jinja2 engine only: Django
    ships Jinja2 templates for all its widgets; a widget of our own needs one in jinja2/.
    """

    form_template_name = FORM_TEMPLATE
    field_template_name = FIELD_TEMPLATE

    def get_template(self, template_name: str) -> Any:
        return engines["jinja2"].get_template(template_name)


# How long a KeptHtmlForm's HTML is kept; a deployment with new templates shows them to
# every user within this time (a process-local cache forgets them at once).
FORM_HTML_SECONDS = 60


class KeptHtmlForm(forms.Form):
    """A form whose HTML is rendered once and then read from the cache.

    `html_key()` names what the HTML depends on besides the form's class, its renderer
    and the language, or returns None to render it every time. Only for forms whose HTML
    holds no personal data and depends on nothing else: the cache is shared by every user.
    """

    def html_key(self) -> str | None:
        return None

    def render(
        self, template_name: str | None = None, context: Any = None, renderer: Any = None
    ) -> SafeString:
        key = None
        if template_name is None and context is None and renderer is None:
            key = self.html_key()
        if key is None:
            return super().render(template_name, context, renderer)
        names = (type(self).__module__, type(self).__qualname__, type(self.renderer).__name__)
        digest = hashlib.sha256("|".join((*names, get_language() or "", key)).encode())
        cache_key = f"integritas:form-html:{digest.hexdigest()}"
        html: SafeString | None = cache.get(cache_key)
        if html is None:
            html = super().render()
            cache.set(cache_key, html, FORM_HTML_SECONDS)
        return html

    __str__ = __html__ = render

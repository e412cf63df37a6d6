"""`{% jinja2_include "name" %}`: a Jinja2 template inside a Django template.

A page that needs Jinja2's speed keeps its Django template for the layout (it extends
base.html and fills the title) and writes its body in a Jinja2 template, under a
`jinja2/` folder, which this tag renders with the page's context and request (core/jinja.py).
"""

from typing import Any, cast

from django import template
from django.template import engines
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja2_include(context: Context, template_name: str) -> SafeString:
    """The Jinja2 template `template_name`, rendered with this template's context."""
    body = engines["jinja2"].get_template(template_name)
    values = cast(dict[str, Any], context.flatten())
    # The Jinja2 environment escapes every value (autoescape is always on there).
    html = body.render(values, request=getattr(context, "request", None))
    return mark_safe(html)  # noqa: S308

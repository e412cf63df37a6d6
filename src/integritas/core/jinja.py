"""The Jinja2 environment of the templates in `jinja2/` folders (STYLE habit 8).

Markup lives in templates. Most pages are written in Django's template language; the form
renderer (core/forms.py) and the busiest pages (the case inbox and the case pages) are
written for Django's Jinja2 backend, the engine named "jinja2" in TEMPLATES, because it
renders them several times faster (benchmarks/cases.py). Such a page keeps the common
layout: its Django template extends base.html and includes the Jinja2 body with
`{% jinja2_include %}` (core/templatetags/jinja2_include.py).

What this environment gives a Jinja2 template, so it reads as it would in Django's
language:

- autoescaping, always on; Django's safe strings stay unescaped;
- translations through `_()`, written so that `make messages` finds them: `{{ _("…") }}`,
  and with values `{{ _("… %(name)s …") % {"name": value} }}`; a translated argument goes
  through `{% set label %}{{ _("…") }}{% endset %}` or a `{% call %}` block, because
  makemessages reads only a `_("…")` that opens a `{{ }}`. `ngettext` exists but is not
  found by makemessages: give a plural as text from Python;
- `url(name, *args)` as `{% url %}`, `static(path)` as `{% static %}`, and `csrf_input`
  (set by the backend) as `{% csrf_token %}`;
- `display(instance, "field")` as `instance.get_field_display()`, which translates every
  choice of the field to find one (it hashes their labels) where this translates one;
- Django's `date` filter (in the current time zone, as Django's templates show a moment),
  `linebreaksbr`, `filesizeformat` and `yesno`.
"""

import datetime
from typing import Any

from django.db.models import Model
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from jinja2 import Environment


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """As `{% url name arg … %}`."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def display(instance: Model, field_name: str) -> Any:
    """The label of a choice field's value, as `instance.get_<field_name>_display()`."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field_name)
    for choice, label in field.flatchoices:  # type: ignore[union-attr]
        if choice == value:
            return label
    return value


def date(value: Any, format_string: str | None = None) -> str:
    """As Django's `date` filter, which shows an aware moment in the current time zone."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return defaultfilters.date(value, format_string)


def environment(**options: Any) -> Environment:
    """The Jinja2 environment for Django's Jinja2 backend (OPTIONS["environment"])."""
    options.pop("autoescape", None)
    options["extensions"] = [*options.get("extensions", ()), "jinja2.ext.i18n"]
    env = Environment(autoescape=True, **options)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=translation.gettext,
        ngettext=translation.ngettext,
        newstyle=False,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(url=url, static=static, display=display)
    env.filters.update(
        date=date,
        linebreaksbr=defaultfilters.linebreaksbr,
        filesizeformat=defaultfilters.filesizeformat,
        yesno=defaultfilters.yesno,
    )
    return env

"""Widgets and field helpers of the case handlers' forms (handling, investigation).

The widgets are Django's own; the one form renderer (core/forms.py) writes them from
Django's Jinja2 widget templates.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

ALL = _("Alle")


def blank(choices: list[tuple[str, Any]], label: Any = ALL) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})

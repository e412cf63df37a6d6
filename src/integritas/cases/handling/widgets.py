"""Widgets and field helpers of the case handlers' forms (handling, investigation).

The Plain* widgets write their options in Python, with Django's markup: the inbox and the
case page need that to stay within their time budget (benchmarks/cases.py).
"""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

ALL = _("Alle")


def blank(choices: list[tuple[str, Any]], label: Any = ALL) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlainSelect(forms.Select):
    """A select whose options are written in Python, not one template per option.

    The field around it still goes through the one form renderer; only the option markup
    (the same as Django's) skips ~15 template renders per select, which the inbox and the
    case page need to stay within their time budget (benchmarks/cases.py).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) in chosen else "", label)
                for v, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class PlainRadioSelect(forms.RadioSelect):
    """Radio buttons written in Python, markup as Django's (see PlainSelect)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        base_id = final.pop("id", "")
        chosen = set(self.format_value(value))
        items = []
        for index, (v, label) in enumerate(self.choices):
            input_attrs = {**final, "type": self.input_type, "name": name, "value": str(v)}
            input_attrs["checked"] = str(v) in chosen
            label_for = ""
            if base_id:
                input_attrs["id"] = f"{base_id}_{index}"
                label_for = format_html(' for="{}"', input_attrs["id"])
            items.append(
                format_html(
                    "<div><label{}><input{}> {}</label></div>",
                    label_for,
                    flatatt(input_attrs),
                    label,
                )
            )
        outer = flatatt({"id": base_id}) if base_id else ""
        return format_html("<div{}>{}</div>", outer, mark_safe("".join(items)))  # noqa: S308


class PlainCheckboxSelectMultiple(PlainRadioSelect):
    input_type = "checkbox"
    allow_multiple_selected = True

    def use_required_attribute(self, initial: Any) -> bool:
        return False

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter is not None else data.get(name)


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})

"""`make messages` finds every translatable string of the Jinja2 templates (docs/adr/0003).

Django's makemessages reads a Jinja2 template as a Django template and finds only a
`_("…")` that opens a `{{ }}`; ours reads it with Jinja2's parser
(core/management/commands/makemessages.py), so an English visitor does not meet a Dutch
string that the catalogue never got.
"""

import re

import pytest
from jinja2 import TemplateSyntaxError

from integritas.core.management.commands.makemessages import jinja2_templatize


def test_strings_inside_expressions_blocks_and_calls_are_found() -> None:
    source = (
        '<td>{{ a.requested_by or _("systeem") }}</td>\n'
        '{% set label = _("Rol") %}{{ (_("Melding %(number)s")|e) % {"number": n} }}\n'
        '{{ ngettext("%(num)d fout", "%(num)d fouten", count) }}\n'
        '{{ pgettext("maand", "mei") }}\n'
    )
    python = jinja2_templatize(source, origin="x.html").splitlines()
    assert python[0] == "gettext('systeem')"
    assert python[1] == "gettext('Rol') gettext('Melding %(number)s')"
    assert python[2] == "ngettext('%(num)d fout', '%(num)d fouten', 1)"
    assert python[3] == "pgettext('maand', 'mei')"


def test_commented_out_strings_are_not_extracted() -> None:
    source = '{#\n  {{ _("Oud") }}\n-#}\n{{ _("Nieuw") }}\n'
    assert re.findall(r"'([^']*)'", jinja2_templatize(source, origin="x.html")) == ["Nieuw"]


def test_a_template_jinja2_cannot_read_stops_the_extraction() -> None:
    with pytest.raises(TemplateSyntaxError):
        jinja2_templatize('{% if x %}{{ _("Nooit gevonden") }}', origin="x.html")

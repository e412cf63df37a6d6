"""The Jinja2 environment (core/jinja.py) reads as Django's template language does."""

import datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation


def _render(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_values_are_escaped_and_safe_strings_are_not():
    from django.utils.safestring import mark_safe

    html = _render("{{ a }}|{{ b }}", a="<b>x</b>", b=mark_safe("<i>y</i>"))
    assert html == "&lt;b&gt;x&lt;/b&gt;|<i>y</i>"


def test_translations_follow_the_active_language_and_escape_their_values():
    source = '{{ _("Melding %(number)s") % {"number": number} }}'
    with translation.override("nl"):
        assert _render(source, number="<1>") == "Melding &lt;1&gt;"
    with translation.override("en"):
        assert _render('{{ _("Terug naar de meldingen") }}') != "Terug naar de meldingen"


def test_date_shows_a_moment_in_local_time_as_django_does():
    moment = datetime.datetime(2026, 3, 4, 23, 30, tzinfo=datetime.UTC)  # 00:30 in Amsterdam
    assert _render('{{ m|date("d-m-Y H:i") }}', m=moment) == "05-03-2026 00:30"
    assert _render('{{ m|date("d-m-Y") or "none" }}', m=None) == "none"


def test_django_filters_url_and_csrf_field():
    assert _render("{{ t|linebreaksbr }}", t="a<\nb") == "a&lt;<br>b"
    assert _render('{{ v|yesno("ja,nee") }}', v=False) == "nee"
    assert _render('{{ url("cases:inbox") }}') == "/meldingen/"
    request = RequestFactory().get("/")
    html = engines["jinja2"].from_string("{{ csrf_input }}").render({}, request=request)
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.parametrize("name", ["cases/inbox_body.html", "cases/case_detail_body.html"])
def test_page_bodies_are_jinja2_templates(name):
    assert engines["jinja2"].get_template(name)

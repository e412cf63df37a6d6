"""Markdown rendered safely, with anchored sections; the diff between versions by section."""

from html.parser import HTMLParser

import pytest

from integritas.policies.diff import Change, diff_sections, word_diff
from integritas.policies.rendering import (
    clean_html,
    render_markdown,
    split_sections,
    table_of_contents,
)

HOSTILE = """# Titel

<script>alert('x')</script>

<img src=x onerror="alert(1)">

[klik](javascript:alert(1)) en [ook](JaVaScRiPt:alert(2)) en <a href="javascript:alert(3)">a</a>

<iframe src="https://example.org"></iframe>

![plaatje](javascript:alert(4))

[goed](https://www.leiderdorp.nl) en [mail](mailto:integriteit@example.nl)
"""


class Elements(HTMLParser):
    """Every element and its attributes, as a browser would build them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


def assert_inert(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag not in {"script", "img", "iframe", "style", "object", "embed", "svg"}
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


def test_script_handlers_and_javascript_links_are_inert() -> None:
    html = str(render_markdown(HOSTILE).html)
    assert_inert(html)
    assert "&lt;script&gt;" in html  # shown as text, not run
    assert '<a href="https://www.leiderdorp.nl" rel="noopener noreferrer">goed</a>' in html
    assert 'href="mailto:integriteit@example.nl"' in html


def test_sanitiser_cleans_raw_html_too() -> None:
    """The second line of defence: whatever HTML reaches nh3 leaves it inert."""
    html = clean_html(
        '<p onclick="x()">a<script>alert(1)</script></p><a href="javascript:alert(1)">b</a>'
        '<a href=" JAVASCRIPT:alert(1)">c</a><img src=x onerror=alert(1)><h2 id="k" '
        'onmouseover="y">d</h2>'
    )
    assert_inert(html)
    assert "alert(1)</script>" not in html
    assert '<h2 id="k">d</h2>' in html


def test_headings_get_anchors_and_move_one_level_down() -> None:
    rendered = render_markdown("# Eén\n\ntekst\n\n## Twee\n\n# Eén\n\n#### Diep\n")
    html = str(rendered.html)
    assert '<h2 id="h-een">Eén</h2>' in html
    assert '<h3 id="h-twee">Twee</h3>' in html
    assert '<h2 id="h-een-2">Eén</h2>' in html
    assert "<h1" not in html
    assert [h.anchor for h in table_of_contents(rendered.headings)] == [
        "h-een",
        "h-twee",
        "h-een-2",
    ]


def test_sections_follow_the_headings_not_a_hash_in_code() -> None:
    text = "Vooraf.\n\n# Een\n\n```\n# geen kop\n```\n\n## Twee\n\ntekst"
    sections = split_sections(text)
    assert [(s.title, s.level) for s in sections] == [("", 0), ("Een", 1), ("Twee", 2)]
    assert "# geen kop" in sections[1].source


def test_word_diff_marks_what_went_and_what_came() -> None:
    segments = word_diff("Meld elk geschenk bij HRM.", "Meld elk geschenk bij uw leidinggevende.")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "Meld elk geschenk bij "),
        ("delete", "HRM."),
        ("insert", "uw leidinggevende."),
    ]


@pytest.mark.requirement("R-AW-1")
def test_diff_by_section() -> None:
    old = "# Inleiding\n\nVoor medewerkers.\n\n# Geschenken\n\nTot 50 euro.\n\n# Oud\n\nWeg."
    new = (
        "# Inleiding\n\nVoor medewerkers en inhuur.\n\n# Geschenken\n\nTot 50 euro."
        "\n\n# Nieuw\n\nErbij."
    )
    changes = diff_sections(old, new)
    assert [(c.change, c.title) for c in changes] == [
        (Change.CHANGED, "Inleiding"),
        (Change.UNCHANGED, "Geschenken"),
        (Change.REMOVED, "Oud"),
        (Change.ADDED, "Nieuw"),
    ]
    inleiding = changes[0]
    assert [(s.op, s.text) for s in inleiding.segments if s.op != "equal"] == [
        ("insert", " en inhuur."),
    ] or [(s.op, s.text) for s in inleiding.segments if s.op != "equal"] == [
        ("delete", "medewerkers."),
        ("insert", "medewerkers en inhuur."),
    ]
    assert changes[2].segments[0].text == "Weg."
    assert changes[3].segments[0].text == "Erbij."
    assert changes[3].anchor == "h-nieuw"


def test_identical_versions_have_no_changes() -> None:
    text = "# A\n\nx\n\n# B\n\ny"
    assert {c.change for c in diff_sections(text, text)} == {Change.UNCHANGED}

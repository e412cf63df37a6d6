"""Markdown of a version to safe HTML, its sections and its table of contents.

The text is Markdown (CommonMark with tables), parsed by markdown-it-py with raw HTML
switched off, so a `<script>` in the text is shown as text; the result is cleaned once
more by nh3 (an allow-list of tags and attributes, links only to http, https and
mailto), so nothing in a document can run script, carry an event handler or link to
`javascript:`. Headings get stable anchors (for the table of contents and links to a
section) and move one level down, so that the page's own title stays the only h1.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

#: Headings up to this level start a section (table of contents, diff by section).
SECTION_LEVEL = 3

_TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol",
    "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_HEADINGS = {f"h{n}" for n in range(2, 7)}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    **{tag: {"id"} for tag in _HEADINGS},
}
_URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class Heading:
    anchor: str
    title: str
    level: int  # in the text: 1 for "#"


@dataclass(frozen=True)
class Section:
    """A part of the text from one heading (level <= SECTION_LEVEL) to the next."""

    title: str  # "" for the text before the first heading
    level: int
    anchor: str
    source: str  # the Markdown of the section, its heading line included


@dataclass(frozen=True)
class Rendered:
    html: SafeString
    headings: tuple[Heading, ...]


def _plain(inline: Token) -> str:
    return "".join(
        child.content for child in inline.children or () if child.type in {"text", "code_inline"}
    ).strip()


def _anchors(tokens: list[Token], prefix: str) -> list[Heading]:
    """Give every heading an id (unique within the text) and one level down."""
    seen: dict[str, int] = {}
    headings = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        title = _plain(tokens[index + 1])
        base = f"{prefix}{slugify(title)[:60] or 'sectie'}"
        seen[base] = seen.get(base, 0) + 1
        anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        level = int(token.tag[1])
        token.attrSet("id", anchor)
        shifted = f"h{min(level + 1, 6)}"
        token.tag = shifted
        tokens[index + 2].tag = shifted
        headings.append(Heading(anchor, title, level))
    return headings


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str, *, prefix: str = "h-") -> Rendered:
    """The text as sanitised HTML with anchored headings, and the headings in order.

    A vastgestelde version never changes and is read by everyone, so the result is kept
    per process for the texts read most recently (the key is the text itself)."""
    return _render_cached(text, prefix)


@lru_cache(maxsize=64)
def _render_cached(text: str, prefix: str) -> Rendered:
    parser = _parser()
    tokens = parser.parse(text)
    headings = _anchors(tokens, prefix)
    html = parser.renderer.render(tokens, parser.options, {})
    return Rendered(mark_safe(clean_html(html)), tuple(headings))  # noqa: S308 (cleaned by nh3)


def table_of_contents(headings: tuple[Heading, ...]) -> list[Heading]:
    return [heading for heading in headings if heading.level <= SECTION_LEVEL]


def split_sections(text: str, *, prefix: str = "h-") -> list[Section]:
    """The text cut at its headings (up to SECTION_LEVEL), each part with its Markdown.

    The cut follows markdown-it's own reading (a `#` inside a code block is no heading);
    the anchors are those that render_markdown gives the same headings.
    """
    text = text.replace("\r\n", "\n")
    parser = _parser()
    tokens = parser.parse(text)
    headings = _anchors(tokens, prefix)
    lines = text.split("\n")
    starts: list[tuple[int, Heading]] = []
    position = 0
    for token in tokens:
        if token.type != "heading_open":
            continue
        heading = headings[position]
        position += 1
        if heading.level <= SECTION_LEVEL and token.map:
            starts.append((token.map[0], heading))
    sections = []
    first = starts[0][0] if starts else len(lines)
    preamble = "\n".join(lines[:first]).strip()
    if preamble:
        sections.append(Section("", 0, "", preamble))
    for number, (start, heading) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        sections.append(
            Section(
                heading.title, heading.level, heading.anchor, "\n".join(lines[start:end]).strip()
            )
        )
    return sections


_MARKUP = re.compile(r"[*_`#>|]+")


def plain_text(markdown: str) -> str:
    """Markdown reduced to its words (for search snippets)."""
    return " ".join(_MARKUP.sub(" ", markdown).split())

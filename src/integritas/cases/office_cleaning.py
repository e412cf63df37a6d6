"""The names of the people who wrote comments and tracked changes in an Office file.

Document properties go elsewhere (`attachments._clean_zip`); this removes the other
places where an Office or OpenDocument file names its editors: the author of every
comment and of every tracked change, and the account ids behind them. A reporter who
annotates the evidence in Word would otherwise sign it with their name and their e-mail
address (`w15:userId`). The comments themselves stay: they may be the evidence.

Parts are rewritten as a stream with a few targeted substitutions, so the XML is not
re-serialised (Office is picky about namespace prefixes) and memory stays bounded.
"""

import re
from collections.abc import Iterator
from typing import IO

_CHUNK = 1024 * 1024
_MAX_PENDING = 4 * 1024 * 1024  # no tag is this long; beyond it, process what we have


def _attributes(*names: str) -> re.Pattern[bytes]:
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"""(\s(?:{alternatives})\s*=\s*)("[^"]*"|'[^']*')""".encode())


def _elements(*names: str) -> re.Pattern[bytes]:
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(<(?:{alternatives})(?:\s[^>]*)?>)[^<]*(</)".encode())


# (part name pattern, attribute pattern or None, element pattern or None)
_RULES: tuple[tuple[re.Pattern[str], re.Pattern[bytes] | None, re.Pattern[bytes] | None], ...] = (
    (
        re.compile(r"^word/[^/]+\.xml$"),
        _attributes("w:author", "w:initials", "w15:author", "w15:userId", "w15:providerId"),
        None,
    ),
    (re.compile(r"^xl/comments[^/]*\.xml$"), None, _elements("author")),
    (
        re.compile(r"^xl/persons/[^/]+\.xml$"),
        _attributes("displayName", "userId", "providerId"),
        None,
    ),
    (
        re.compile(r"^ppt/(commentAuthors|authors)\.xml$"),
        _attributes("name", "initials", "userId", "providerId"),
        None,
    ),
    (
        re.compile(r"^(content|styles)\.xml$"),
        None,
        _elements("dc:creator", "meta:creator-initials"),
    ),
)


def scrubs(part_name: str) -> bool:
    """Whether this part of the zip can name the people who edited the file."""
    return any(rule.match(part_name) for rule, _attrs, _elems in _RULES)


def _scrub(data: bytes, part_name: str) -> bytes:
    for rule, attributes, elements in _RULES:
        if not rule.match(part_name):
            continue
        if attributes is not None:
            data = attributes.sub(rb'\1""', data)
        if elements is not None:
            data = elements.sub(rb"\1\2", data)
    return data


def _safe_cut(data: bytes) -> int:
    """Where the data may be cut without splitting a match: before the last opening tag.

    An attribute match lies inside one tag; an element match runs from an opening tag to
    the next "</". Cutting before an opening tag ("<" not followed by "/") splits neither.
    """
    position = len(data)
    while (position := data.rfind(b"<", 0, position)) > 0:
        if data[position + 1 : position + 2] != b"/":
            return position
    return 0


def scrubbed(reader: IO[bytes], part_name: str) -> Iterator[bytes]:
    """The part read from `reader`, with the editors' names and ids blanked."""
    pending = b""
    for chunk in iter(lambda: reader.read(_CHUNK), b""):
        pending += chunk
        cut = _safe_cut(pending)
        if cut == 0 and len(pending) < _MAX_PENDING:
            continue
        cut = cut or len(pending)
        yield _scrub(pending[:cut], part_name)
        pending = pending[cut:]
    if pending:
        yield _scrub(pending, part_name)

"""Office and OpenDocument files without their document properties and editors' names.

`clean_zip` rebuilds the zip without the document properties (below); `scrubbed` removes
the other places where an Office or OpenDocument file names its editors: the author of every
comment and of every tracked change, and the account ids behind them. A reporter who
annotates the evidence in Word would otherwise sign it with their name and their e-mail
address (`w15:userId`). The comments themselves stay: they may be the evidence.

Parts are rewritten as a stream with a few targeted substitutions, so the XML is not
re-serialised (Office is picky about namespace prefixes) and memory stays bounded.
"""

import re
import zipfile
from collections.abc import Iterator
from typing import IO

from integritas.core.files.detection import OOXML_DIRS
from integritas.core.files.streams import UnreadableError, chunks, max_bytes, spool

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


# --- the zip: document properties ---------------------------------------------------

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_OOXML_REL = re.compile(rb"<Relationship\b[^>]*Target=\"/?docProps/[^\"]*\"[^>]*/>")
_OOXML_OVERRIDE = re.compile(rb"<Override\b[^>]*PartName=\"/docProps/[^\"]*\"[^>]*/>")
_ODF_EMPTY_META = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    b' office:version="1.2"><office:meta/></office:document-meta>'
)


def clean_zip(stream: IO[bytes], key: str) -> IO[bytes]:
    """Rebuild an Office/OpenDocument zip without its document properties.

    OOXML: `docProps/` (core, app and custom properties: author, company, edit times)
    goes, with its relationships and content-type overrides. ODF: `meta.xml` is replaced
    by an empty one (the manifest still lists it). Entry times are zeroed. The authors of
    comments and tracked changes are blanked (`scrubbed`, above).
    """
    out = spool()
    stream.seek(0)
    budget = 20 * max_bytes()  # guards against zip bombs
    with zipfile.ZipFile(stream) as source, zipfile.ZipFile(out, "w") as target:
        infos = source.infolist()
        if sum(info.file_size for info in infos) > budget or len(infos) > 10_000:
            raise UnreadableError
        for info in infos:
            name = info.filename
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise UnreadableError
            if key in OOXML_DIRS.values() and name.startswith("docProps/"):
                continue
            entry = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = info.compress_type
            entry.external_attr = 0o644 << 16
            if name in ("_rels/.rels", "[Content_Types].xml") or (
                name == "meta.xml" and key in ("odt", "ods")
            ):
                data = source.read(info)
                if name == "_rels/.rels":
                    data = _OOXML_REL.sub(b"", data)
                elif name == "[Content_Types].xml":
                    data = _OOXML_OVERRIDE.sub(b"", data)
                else:
                    data = _ODF_EMPTY_META
                target.writestr(entry, data)
                continue
            with source.open(info) as reader, target.open(entry, "w") as writer:
                parts = scrubbed(reader, name) if scrubs(name) else chunks(reader)
                for chunk in parts:
                    writer.write(chunk)
    out.seek(0)
    return out

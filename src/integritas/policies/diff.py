"""What changed between two versions, section by section (difflib).

Sections are matched by their heading in order (difflib over the list of headings):
a heading only in the newer version is an added section, one only in the older a removed
section, and a section under the same heading whose text differs is changed, with the
words that went and came marked. So acknowledging a new gedragscode means reading what
changed, not the whole text again.
"""

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import models
from django.utils.translation import gettext_lazy as _

from .rendering import Section, split_sections


class Change(models.TextChoices):
    ADDED = "added", _("Toegevoegd")
    REMOVED = "removed", _("Vervallen")
    CHANGED = "changed", _("Gewijzigd")
    UNCHANGED = "unchanged", _("Ongewijzigd")


@dataclass(frozen=True)
class Segment:
    """A run of text: kept ("equal"), gone ("delete") or new ("insert")."""

    op: str
    text: str


@dataclass(frozen=True)
class SectionChange:
    change: str
    title: str
    anchor: str  # the section's anchor in the newer version ("" when removed)
    segments: list[Segment] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Change(self.change).label)


_WORDS = re.compile(r"\s+|[^\s]+")


def _body(section: Section) -> str:
    """A section's text without its heading line."""
    if not section.title:
        return section.source
    _heading, _newline, rest = section.source.partition("\n")
    return rest.strip()


def word_diff(old: str, new: str) -> list[Segment]:
    """The words of `new` with those of `old` that went and those that came marked."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments: list[Segment] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
            continue
        if tag in {"delete", "replace"}:
            add("delete", "".join(a[i1:i2]))
        if tag in {"insert", "replace"}:
            add("insert", "".join(b[j1:j2]))
    return segments


def diff_sections(old_text: str, new_text: str) -> list[SectionChange]:
    """The changes from `old_text` to `new_text`, section by section (kept per process for
    the pairs compared most recently: everyone reads the same changes of a new version)."""
    return list(_diff_cached(old_text, new_text))


@lru_cache(maxsize=32)
def _diff_cached(old_text: str, new_text: str) -> tuple[SectionChange, ...]:
    old, new = split_sections(old_text), split_sections(new_text)
    matcher = difflib.SequenceMatcher(
        None, [s.title for s in old], [s.title for s in new], autojunk=False
    )
    changes: list[SectionChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for before, after in zip(old[i1:i2], new[j1:j2], strict=True):
                if _body(before) == _body(after):
                    changes.append(SectionChange(Change.UNCHANGED, after.title, after.anchor))
                else:
                    changes.append(
                        SectionChange(
                            Change.CHANGED,
                            after.title,
                            after.anchor,
                            word_diff(_body(before), _body(after)),
                        )
                    )
            continue
        changes.extend(
            SectionChange(Change.REMOVED, before.title, "", [Segment("delete", _body(before))])
            for before in old[i1:i2]
        )
        changes.extend(
            SectionChange(
                Change.ADDED, after.title, after.anchor, [Segment("insert", _body(after))]
            )
            for after in new[j1:j2]
        )
    return tuple(changes)

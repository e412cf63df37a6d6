"""Does a note look like it names someone? (seed 3.2.10: the log is name-free by design)

Warns, never blocks: a counsellor may confirm that a word is not a name. Three checks:
an e-mail address, a phone number, and the last name (alone or after a first name) of an
employee of the organisation.

The name check never reads the organisation's employees (20,000 of them): it cuts the
note into words, builds the few spellings a last name could have in it ("jansen" ->
"Jansen"; "van der berg" -> "van der Berg", "Van der Berg" ...), and asks the database
which of those candidates is an employee's `last_name` in this organisation — one query,
an equality lookup served by the index on (organisation, last_name, first_name, id).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from integritas.organisations.models import Employee

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+|\b)\d[\d\s().-]{6,}\d\b")
_PHONE_MIN_DIGITS = 9
# Dutch (and a few other) name particles that stand before a last name.
_PARTICLES = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "ten",
        "ter",
        "te",
        "op",
        "in",
        "'t",
        "la",
        "le",
        "du",
        "di",
        "da",
        "del",
        "della",
        "von",
        "zu",
        "al",
        "el",
    ]
)
_MAX_PARTICLES = 2


@dataclass(frozen=True)
class Findings:
    """What the check found: the words of the note that may be names, and whether it holds
    an e-mail address or a phone number. Empty: nothing to warn about."""

    names: tuple[str, ...] = field(default=())
    email: bool = False
    phone: bool = False

    def __bool__(self) -> bool:
        return bool(self.names or self.email or self.phone)


def _spellings(words: list[str]) -> set[str]:
    """The ways `words` (particles + a last name) may be stored as a last name."""
    *particles, last = words
    lasts = {last, last[:1].upper() + last[1:].lower(), last[:1].upper() + last[1:]}
    if not particles:
        return lasts
    lower = " ".join(p.lower() for p in particles)
    capital = lower[:1].upper() + lower[1:]
    typed = " ".join(particles)
    return {f"{prefix} {name}" for prefix in {lower, capital, typed} for name in lasts}


def name_candidates(text: str) -> dict[str, str]:
    """Every spelling a last name in `text` may have -> the words of the text it stands for."""
    words = _WORD.findall(text)
    candidates: dict[str, str] = {}
    for i, word in enumerate(words):
        if len(word) < 2 or word.lower() in _PARTICLES:
            continue
        start = i
        while start > 0 and i - start < _MAX_PARTICLES and words[start - 1].lower() in _PARTICLES:
            start -= 1
        # "van der Berg", "der Berg" and "Berg" may each be how the name is stored.
        for first in range(start, i + 1):
            phrase = words[first : i + 1]
            for spelling in _spellings(phrase):
                candidates.setdefault(spelling, " ".join(phrase))
    return candidates


def _has_phone(text: str) -> bool:
    return any(
        sum(ch.isdigit() for ch in match.group()) >= _PHONE_MIN_DIGITS
        for match in _PHONE.finditer(text)
    )


def matching_last_names(organisation_id: int, candidates: Iterable[str]) -> set[str]:
    """The candidates that are an employee's last name in the organisation (one query)."""
    wanted = list(candidates)
    if not wanted:
        return set()
    return set(
        Employee.objects.filter(organisation_id=organisation_id, last_name__in=wanted)
        .values_list("last_name", flat=True)
        .distinct()
    )


def check_note(text: str, organisation_id: int) -> Findings:
    """What in `text` may identify a person (at most one query)."""
    if not text.strip():
        return Findings()
    candidates = name_candidates(text)
    found = matching_last_names(organisation_id, candidates)
    names = sorted({candidates[spelling] for spelling in found})
    return Findings(names=tuple(names), email=bool(_EMAIL.search(text)), phone=_has_phone(text))

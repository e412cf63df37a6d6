"""Matching registrations against the organisation's counterparty list (pure functions).

A party is found by its KvK number first; only when the KvK number finds nothing, by its
normalised name: legal forms (B.V., N.V., V.O.F., Stichting, Vereniging …), punctuation,
diacritics and case removed. Two different KvK numbers are two different parties: a name
alone never joins them. A match is a signal for a person to weigh, never a verdict.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .constants import CounterpartyKind, MatchBy

#: Legal forms and their usual abbreviations (after dots are removed and case folded).
LEGAL_FORMS = frozenset(
    {
        "bv",
        "nv",
        "vof",
        "cv",
        "ua",
        "wa",
        "ba",
        "stichting",
        "stg",
        "vereniging",
        "cooperatie",
        "cooperatieve",
        "maatschap",
        "eenmanszaak",
        "besloten",
        "vennootschap",
        "naamloze",
        "commanditaire",
        "gmbh",
        "ltd",
        "inc",
        "bvba",
    }
)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_NON_DIGIT = re.compile(r"\D+")


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """The comparable form of an organisation's name: "Bouwbedrijf De Steen B.V." and
    "bouwbedrijf de steen" are the same; an empty name stays empty."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.casefold().replace(".", "").replace("&", " en ")
    tokens = _NON_WORD.sub(" ", plain).split()
    # "B V" (an abbreviation typed with spaces) becomes "bv": single letters join up.
    joined: list[str] = []
    letters = False
    for token in tokens:
        single = len(token) == 1 and token.isalpha()
        if single and letters:
            joined[-1] += token
            continue
        joined.append(token)
        letters = single
    kept = [token for token in joined if token not in LEGAL_FORMS]
    return " ".join(kept or joined)


def normalise_kvk(value: str) -> str:
    """A KvK number as its 8 digits, or "" for anything that is not one."""
    digits = _NON_DIGIT.sub("", value or "")
    if len(digits) == 7 and value.strip().isdigit():
        digits = "0" + digits  # a spreadsheet dropped the leading zero
    return digits if len(digits) == 8 else ""


@dataclass(frozen=True)
class Party:
    """One line of the counterparty list, as the matcher needs it."""

    pk: int
    name: str
    kvk: str
    kind: str
    tender_start: datetime.date | None = None
    tender_end: datetime.date | None = None

    @property
    def key(self) -> str:
        """What identifies the party across imports: its KvK number, else its name."""
        return f"kvk:{self.kvk}" if self.kvk else f"name:{normalise_name(self.name)}"[:120]

    def tender_covers(self, day: datetime.date) -> bool:
        if self.kind != CounterpartyKind.TENDER or self.tender_start is None:
            return False
        return self.tender_start <= day and (self.tender_end is None or day <= self.tender_end)


@dataclass(frozen=True)
class Match:
    party: Party
    by: MatchBy


class PartyIndex:
    """The list, indexed by KvK number and by normalised name."""

    def __init__(self, parties: Iterable[Party]) -> None:
        self.by_kvk: dict[str, list[Party]] = {}
        self.by_name: dict[str, list[Party]] = {}
        for party in parties:
            if party.kvk:
                self.by_kvk.setdefault(party.kvk, []).append(party)
            name = normalise_name(party.name)
            if name:
                self.by_name.setdefault(name, []).append(party)

    def __bool__(self) -> bool:
        return bool(self.by_kvk or self.by_name)

    def match(self, *, name: str, kvk: str = "") -> list[Match]:
        """The parties this name and KvK number point at: by KvK number when that finds
        any, else by name — never a party whose KvK number differs from a given one."""
        kvk = normalise_kvk(kvk)
        if kvk and kvk in self.by_kvk:
            return [Match(party, MatchBy.KVK) for party in self.by_kvk[kvk]]
        found = self.by_name.get(normalise_name(name), ()) if name else ()
        return [
            Match(party, MatchBy.NAME)
            for party in found
            if not (kvk and party.kvk and party.kvk != kvk)
        ]

    def tender_match(self, *, name: str, day: datetime.date) -> list[Match]:
        """The parties with a tender running on `day` that go by this name."""
        return [m for m in self.match(name=name) if m.party.tender_covers(day)]

"""What `seed_scale` makes, decided before anything is written: pure, no database.

Organisation sizes follow a skewed spread as in a country: a few large organisations, a
long tail of small ones. Sizes are spaced on a log scale between a smallest and a largest
size, bent by an exponent that is solved for so that the sizes sum exactly to the number
of employees asked for. Cases follow the sizes (largest-remainder rounding), so every
count adds up to the option given.
"""

import math
from dataclasses import dataclass

#: Slugs of generated organisations start with this; it is how a later run recognises them.
SLUG_PREFIX = "schaal-"
#: Personnel numbers of generated employees (also those added to the demo organisation).
PERSONNEL_PREFIX = "S"
#: Unit codes of generated units (also those added to the demo organisation).
UNIT_PREFIX = "S-"

SMALLEST = 30  # a small joint arrangement or shared service
LARGEST = 20_000  # a city's whole civil service
LARGEST_SHARE = 0.10  # the largest organisation holds at most this share, when it can


@dataclass(frozen=True)
class ScaleOptions:
    organisations: int = 350
    employees: int = 200_000
    cases_per_year: int = 50_000
    years: int = 3
    audit_events: int = 10_000_000
    seed: int = 2026
    #: Share of employees with an account (the others never log in).
    user_share: float = 0.25

    def validate(self) -> list[str]:
        """Problems with the options, in words for the command line."""
        problems = []
        if self.organisations < 1:
            problems.append("--organisations moet minstens 1 zijn")
        if self.employees < 10 * self.organisations:
            problems.append("--employees moet minstens 10 per organisatie zijn")
        if self.years < 1:
            problems.append("--years moet minstens 1 zijn")
        if self.cases_per_year < 0 or self.audit_events < 0:
            problems.append("aantallen kunnen niet negatief zijn")
        return problems


def _spread(count: int, smallest: float, largest: float, bend: float) -> list[float]:
    """`count` sizes from `largest` down to `smallest`, log-spaced, bent by `bend`."""
    if count == 1:
        return [largest]
    ratio = math.log(largest / smallest)
    return [largest * math.exp(-ratio * (i / (count - 1)) ** bend) for i in range(count)]


def organisation_sizes(total: int, count: int) -> list[int]:
    """Employees per organisation, largest first, summing exactly to `total`.

    The smallest is a few dozen (less when the total is too small for that), the largest
    at most 20,000 and at most a tenth of the total unless fewer organisations need more.
    """
    if count == 1:
        return [total]
    mean = total / count
    smallest = float(max(1, min(SMALLEST, math.floor(mean / 2))))
    largest = float(min(LARGEST, max(total * LARGEST_SHARE, 2 * mean)))
    largest = max(largest, smallest + 1)
    # sum(spread) grows with the bend: search it on a log scale until the sum fits.
    low, high = -12.0, 12.0
    for _ in range(100):
        middle = (low + high) / 2
        if sum(_spread(count, smallest, largest, math.exp(middle))) < total:
            low = middle
        else:
            high = middle
    raw = _spread(count, smallest, largest, math.exp((low + high) / 2))
    return proportional(total, raw)


def proportional(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder): sums exactly."""
    weight_sum = sum(weights)
    if total == 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [math.floor(x) for x in exact]
    short = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[:short]:
        parts[i] += 1
    return parts


# Invented place names: a prefix and a stem from small lists (no real municipality is
# meant; where one happens to exist, the .example addresses still mark it as fake).
_PREFIXES = (
    "Noord", "Zuid", "Oost", "West", "Hoog", "Laag", "Groot", "Klein", "Nieuw", "Oud",
    "Midden", "Boven",
)  # fmt: skip
_STEMS = (
    "veen", "dam", "wijk", "horst", "hoven", "dijk", "meer", "zand", "broek", "rade",
    "brugge", "haven", "kerk", "sloot", "lo", "beek", "berg", "burg", "dorp", "hout",
    "kamp", "laar", "mond", "rijp", "stede", "voort", "waard", "weerd", "wolde", "zijl",
)  # fmt: skip


def organisation_name(index: int) -> tuple[str, str]:
    """(kind, name) of the `index`-th generated organisation; about one in twelve is a
    shared service organisation."""
    prefix = _PREFIXES[index % len(_PREFIXES)]
    stem = _STEMS[(index // len(_PREFIXES)) % len(_STEMS)]
    place = f"{prefix}{stem}"
    round_ = index // (len(_PREFIXES) * len(_STEMS))
    if round_:
        place = f"{place} {round_ + 1}"
    if index % 12 == 11:
        return "shared_service", f"Werkorganisatie {place}"
    return "municipality", f"Gemeente {place}"


def organisation_slug(index: int) -> str:
    return f"{SLUG_PREFIX}{index + 1:04d}"


def case_prefix(index: int) -> str:
    """Five characters, unique among generated organisations, unlike any demo prefix."""
    return f"S{index + 1:04d}"

"""Raising and keeping conflict signals, set-based.

`recompute_organisation` matches every live registration of one organisation against its
counterparty list in bulk (after an import); `recompute_registration` does the same for
one registration (after it is registered, changed, ended or decided). Both keep what a
person weighed: an open signal that no longer matches goes, a weighed one stays — linked
to its party while the party is on the list, marked "no longer on the list" otherwise.

`refresh_signals`, run daily by `integritas send_reminders`, matches again the side
activities that started or ended since its previous run: the calendar alone changes
whether they should raise a signal.

Financial interests are matched on their stored blind indexes (vault.blind_keys), never
unsealed; nothing of them is stored in a signal but the party as the list names it
(R-AW-8).
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, F, Field, Model, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import vault
from .constants import (
    NOT_LIVE_STATUSES,
    CounterpartyKind,
    Kind,
    MatchBy,
    SignalReason,
    SignalState,
)
from .matching import Match, Party, PartyIndex, normalise_kvk, normalise_name
from .models import (
    ConflictSignal,
    Counterparty,
    FinancialInterest,
    Gift,
    Registration,
    SideActivity,
    SignalRefresh,
)

BATCH = 2000
#: PostgreSQL writes more rows than this at once by COPY (insert_rows).
COPY_ABOVE = 1000
#: Beyond this many changed side activities in one organisation, the daily run matches
#: the organisation whole (one pass) instead of by their ids (a pass per BATCH).
WHOLE_ORGANISATION = 10 * BATCH


@dataclass(frozen=True)
class Found:
    registration_id: int
    reason: SignalReason
    match: Match

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.registration_id, str(self.reason), self.match.party.key)


def _parties(rows: Iterable[Counterparty]) -> list[Party]:
    return [
        Party(row.pk, row.name, row.kvk_number, row.kind, row.tender_start, row.tender_end)
        for row in rows
    ]


def organisation_parties(organisation_id: int) -> list[Party]:
    """The whole list, as plain rows (10,000 lines: no model instances to build)."""
    return [
        Party(*row)
        for row in Counterparty.objects.filter(organisation_id=organisation_id)
        .order_by("pk")
        .values_list("pk", "name", "kvk_number", "kind", "tender_start", "tender_end")
    ]


# --------------------------------------------------------------------------- matching


def _side_activities(index: PartyIndex, rows: Iterable[tuple[int, str, str]]) -> Iterator[Found]:
    for registration_id, name, kvk in rows:
        for match in index.match(name=name, kvk=kvk):
            yield Found(registration_id, SignalReason.SIDE_ACTIVITY, match)


def _gifts(index: PartyIndex, rows: Iterable[tuple[int, str, datetime.date]]) -> Iterator[Found]:
    for registration_id, giver, given_on in rows:
        for match in index.tender_match(name=giver, day=given_on):
            yield Found(registration_id, SignalReason.TENDER_GIFT, match)


class BlindPartyIndex:
    """The list indexed by the blind indexes of its names and KvK numbers in one
    organisation (vault.blind_keys), to match financial interests by their stored blind
    indexes: the same rule as PartyIndex.match, on keyed hashes instead of text."""

    def __init__(self, organisation_id: int, parties: Iterable[Party]) -> None:
        self.by_kvk: dict[str, list[Party]] = {}
        self.by_name: dict[str, list[Party]] = {}
        self.kvk_of: dict[int, str] = {}
        for party in parties:
            name_index, kvk_index = vault.blind_keys(
                organisation_id, name=party.name, kvk=party.kvk
            )
            if kvk_index:
                self.by_kvk.setdefault(kvk_index, []).append(party)
                self.kvk_of[party.pk] = kvk_index
            if name_index:
                self.by_name.setdefault(name_index, []).append(party)

    def match(self, *, name_index: str, kvk_index: str) -> list[Match]:
        if kvk_index and kvk_index in self.by_kvk:
            return [Match(party, MatchBy.KVK) for party in self.by_kvk[kvk_index]]
        found = self.by_name.get(name_index, ()) if name_index else ()
        return [
            Match(party, MatchBy.NAME)
            for party in found
            if not (kvk_index and party.pk in self.kvk_of and self.kvk_of[party.pk] != kvk_index)
        ]


#: The blind index of the lists last matched, by organisation and the list's lines
#: themselves (ids alone could be reused after a rolled-back import).
_BLIND_CACHE: dict[tuple[int, tuple[Party, ...]], BlindPartyIndex] = {}
_BLIND_CACHE_SIZE = 4


def _blind_index(organisation_id: int, parties: list[Party]) -> BlindPartyIndex:
    """Two HMACs per line of the list (0.5 s for 10,000 lines), computed once per list
    and process rather than at every registration or decision of a financial interest."""
    key = (organisation_id, tuple(parties))
    index = _BLIND_CACHE.get(key)
    if index is None:
        index = BlindPartyIndex(organisation_id, parties)
        while len(_BLIND_CACHE) >= _BLIND_CACHE_SIZE:
            _BLIND_CACHE.pop(next(iter(_BLIND_CACHE)))
        _BLIND_CACHE[key] = index
    return index


def _financial(
    organisation_id: int, parties: list[Party], rows: Iterable[tuple[int, str, str]]
) -> Iterator[Found]:
    """Financial interests matched on their blind indexes: nothing is unsealed (R-AW-8).
    The list's blind indexes are computed only when there is an interest to match."""
    index: BlindPartyIndex | None = None
    for registration_id, name_index, kvk_index in rows:
        if index is None:
            index = _blind_index(organisation_id, parties)
        for match in index.match(name_index=name_index, kvk_index=kvk_index):
            yield Found(registration_id, SignalReason.FINANCIAL_INTEREST, match)


def _live(prefix: str = "registration__") -> Q:
    return ~Q(**{f"{prefix}status__in": NOT_LIVE_STATUSES})


def _current(today: datetime.date) -> Q:
    """A side activity raises a signal from its start date up to and including its end
    date: a planned one only once it starts (the daily run, `refresh_signals`)."""
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def _find(
    organisation_id: int,
    index: PartyIndex,
    registrations: Q,
    today: datetime.date,
    parties: list[Party],
) -> Iterator[Found]:
    """Every match of the live registrations that `registrations` selects (a filter on
    Registration, prefixed for the detail tables)."""
    if not index:
        return
    yield from _side_activities(
        index,
        SideActivity.objects.filter(registrations, _live())
        .filter(_current(today))
        .values_list("registration_id", "client_name", "kvk_number")
        .iterator(chunk_size=BATCH),
    )
    tenders = [p for p in parties if p.kind == CounterpartyKind.TENDER and p.tender_start]
    if tenders:
        gifts = Gift.objects.filter(registrations, _live()).filter(
            given_on__gte=min(p.tender_start for p in tenders if p.tender_start)
        )
        if all(p.tender_end for p in tenders):
            gifts = gifts.filter(given_on__lte=max(p.tender_end for p in tenders if p.tender_end))
        yield from _gifts(
            PartyIndex(tenders),
            gifts.values_list("registration_id", "giver_organisation", "given_on").iterator(
                chunk_size=BATCH
            ),
        )
    yield from _financial(
        organisation_id,
        parties,
        FinancialInterest.objects.filter(registrations, _live())
        .values_list("registration_id", "name_index", "kvk_index")
        .iterator(chunk_size=BATCH),
    )


# --------------------------------------------------------------------------- keeping


def insert_rows(
    model: type[Model],
    fields: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """Insert plain rows with one prepared statement per batch (executemany), or on
    PostgreSQL, when there are more than COPY_ABOVE, by COPY.

    An import writes tens of thousands of signals; `bulk_create` compiles every value of
    every row through the ORM and took most of a 30-second budget. The column names come
    from the model's own fields, the values are parameters; dates and times are adapted
    for the database as Django would.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [cast(Field, meta.get_field(name)) for name in fields]
    adapt: list[Any] = []
    for field in columns:
        if isinstance(field, DateTimeField):
            adapt.append(connection.ops.adapt_datetimefield_value)
        elif isinstance(field, DateField):
            adapt.append(connection.ops.adapt_datefield_value)
        else:
            adapt.append(None)
    table = quote(meta.db_table)
    names = ", ".join(quote(str(field.column)) for field in columns)
    if connection.vendor == "postgresql" and len(rows) > COPY_ABOVE:
        _copy_rows(table, names, rows, ignore_conflicts=ignore_conflicts)
        return
    sql = "INSERT INTO {} ({}) VALUES ({}){}".format(  # noqa: S608 (names from the model)
        table,
        names,
        ", ".join(["%s"] * len(columns)),
        " ON CONFLICT DO NOTHING" if ignore_conflicts else "",
    )
    with connection.cursor() as cursor:
        for begin in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    tuple(
                        value if how is None or value is None else how(value)
                        for how, value in zip(adapt, row, strict=True)
                    )
                    for row in rows[begin : begin + BATCH]
                ],
            )


def _copy_rows(
    table: str, names: str, rows: list[tuple[Any, ...]], *, ignore_conflicts: bool
) -> None:
    """PostgreSQL: the rows by COPY (psycopg's executemany sends one INSERT per row and
    spent 37 s on an import's 87,000 signals, COPY 8 s). COPY knows no ON CONFLICT, so
    with `ignore_conflicts` the rows go to a temporary table first and from there into
    the table in one INSERT ... SELECT ... ON CONFLICT DO NOTHING (in a transaction of
    its own, so that a failure leaves no temporary table behind)."""
    target = table
    with transaction.atomic(), connection.cursor() as cursor:
        if ignore_conflicts:
            target = connection.ops.quote_name("_integritas_insert_rows")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {target} AS "  # noqa: S608 (names from the model)
                f"SELECT {names} FROM {table} WITH NO DATA"
            )
        with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if ignore_conflicts:
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {target} "  # noqa: S608
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute(f"DROP TABLE {target}")


@dataclass(frozen=True)
class RecomputeResult:
    raised: int
    kept: int
    removed: int


def _apply(organisation_id: int, found: Iterable[Found], scope: Q) -> RecomputeResult:
    """Bring the stored signals within `scope` in line with `found`, in a constant number
    of statements: open signals that no longer match go, new matches are raised, and
    every signal without a link is linked again to its party when the list holds it."""
    wanted: dict[tuple[int, str, str], Found] = {}
    for one in found:
        wanted.setdefault(one.key, one)
    to_delete: list[int] = []
    match_by: dict[str, list[int]] = {}
    orphans: list[tuple[int, int, str, str, str]] = []
    kept = 0
    existing = (
        ConflictSignal.objects.filter(scope)
        .values_list(
            "pk", "registration_id", "reason", "party_key", "state", "match_by", "party_name"
        )
        .iterator(chunk_size=BATCH)
    )
    for pk, registration_id, reason, party_key, state, by, party_name in existing:
        matched = wanted.pop((registration_id, reason, party_key), None)
        if matched is not None:
            kept += 1
            if matched.match.by != by:
                match_by.setdefault(matched.match.by, []).append(pk)
        elif state == SignalState.OPEN:
            to_delete.append(pk)
        else:
            kept += 1  # weighed: kept, whether its party is on the list or not
            orphans.append((pk, registration_id, reason, party_key, party_name))
    _carry_weighing(orphans, wanted)
    for begin in range(0, len(to_delete), BATCH):
        ConflictSignal.objects.filter(pk__in=to_delete[begin : begin + BATCH]).delete()
    for by, pks in match_by.items():
        for begin in range(0, len(pks), BATCH):
            ConflictSignal.objects.filter(pk__in=pks[begin : begin + BATCH]).update(match_by=by)
    now = timezone.now()
    insert_rows(
        ConflictSignal,
        (
            "created_at",
            "updated_at",
            "organisation",
            "registration",
            "reason",
            "match_by",
            "party_key",
            "party_name",
            "party_kind",
            "counterparty",
            "state",
            "note",
        ),
        [
            (
                now,
                now,
                organisation_id,
                item.registration_id,
                str(item.reason),
                str(item.match.by),
                item.match.party.key,
                item.match.party.name[:200],
                item.match.party.kind,
                item.match.party.pk,
                SignalState.OPEN.value,
                "",
            )
            for item in wanted.values()
        ],
        # A registration's own recompute may have raised the same signal meanwhile.
        ignore_conflicts=True,
    )
    _relink(scope)
    return RecomputeResult(len(wanted), kept, len(to_delete))


def _carry_weighing(
    orphans: list[tuple[int, int, str, str, str]], wanted: dict[tuple[int, str, str], Found]
) -> None:
    """A weighed signal whose party the list now names under another key (the list gave
    the party's KvK number, or dropped it) is the same party: its weighing moves to the
    new key instead of a new open signal beside it. The same party means the same
    normalised name and no contradicting KvK number. Only such rows are written (rare:
    an update each)."""
    if not orphans or not wanted:
        return
    by_name: dict[tuple[int, str, str], Found] = {}
    for one in wanted.values():
        name = normalise_name(one.match.party.name)
        if name:
            by_name.setdefault((one.registration_id, str(one.reason), name), one)
    for pk, registration_id, reason, party_key, party_name in orphans:
        item = by_name.get((registration_id, reason, normalise_name(party_name)))
        if item is None or item.key not in wanted:
            continue
        party = item.match.party
        if party_key.startswith("kvk:") and party.kvk and party_key != party.key:
            continue  # two KvK numbers: two parties, whatever their names
        del wanted[item.key]
        ConflictSignal.objects.filter(pk=pk).update(
            party_key=party.key,
            party_name=party.name[:200],
            party_kind=party.kind,
            match_by=str(item.match.by),
            counterparty_id=party.pk,
            updated_at=timezone.now(),
        )


def _relink(scope: Q) -> None:
    """Link every unlinked signal in `scope` to its party, when the list holds it (one
    statement, along the index on the list's organisation and party key)."""
    party = Counterparty.objects.filter(
        organisation_id=OuterRef("organisation_id"), party_key=OuterRef("party_key")
    ).order_by("pk")
    ConflictSignal.objects.filter(scope, counterparty__isnull=True).update(
        counterparty_id=Subquery(party.values("pk")[:1]),
        party_kind=Coalesce(Subquery(party.values("kind")[:1]), F("party_kind")),
    )


def recompute_organisation(
    organisation_id: int, *, today: datetime.date | None = None
) -> RecomputeResult:
    """Match every live registration of the organisation against its list (in bulk).
    Call inside the transaction of the change that asks for it."""
    today = today or timezone.localdate()
    parties = organisation_parties(organisation_id)
    found = _find(
        organisation_id,
        PartyIndex(parties),
        Q(registration__organisation_id=organisation_id),
        today,
        parties,
    )
    return _apply(organisation_id, list(found), Q(organisation_id=organisation_id))


def _candidates(organisation_id: int, names: list[str], kvks: list[str]) -> list[Party]:
    """The lines of the list that one registration could match (an index lookup)."""
    keys = [key for key in (normalise_name(n) for n in names) if key]
    numbers = [number for number in (normalise_kvk(k) for k in kvks) if number]
    if not keys and not numbers:
        return []
    return _parties(
        Counterparty.objects.filter(organisation_id=organisation_id).filter(
            Q(name_key__in=keys) | Q(kvk_number__in=numbers)
        )
    )


def recompute_registration(
    registration: Registration, *, today: datetime.date | None = None
) -> RecomputeResult:
    """Match one registration against its organisation's list: a few indexed queries."""
    today = today or timezone.localdate()
    names: list[str] = []
    kvks: list[str] = []
    if registration.kind == Kind.SIDE_ACTIVITY:
        activity = SideActivity.objects.filter(registration_id=registration.pk).first()
        if activity is not None:
            names, kvks = [activity.client_name], [activity.kvk_number]
    elif registration.kind == Kind.GIFT:
        gift = Gift.objects.filter(registration_id=registration.pk).first()
        if gift is not None:
            names = [gift.giver_organisation]
    if registration.kind == Kind.FINANCIAL_INTEREST:
        # Matched on its blind indexes against the whole list: never unsealed.
        parties = organisation_parties(registration.organisation_id)
    else:
        parties = _candidates(registration.organisation_id, names, kvks)
    found = _find(
        registration.organisation_id,
        PartyIndex(parties),
        Q(registration_id=registration.pk),
        today,
        parties,
    )
    return _apply(registration.organisation_id, list(found), Q(registration_id=registration.pk))


# --------------------------------------------------------------------------- the daily run


@dataclass(frozen=True)
class RefreshResult:
    since: datetime.date | None  # the previous run's day (None: the first run)
    registrations: int  # side activities matched again by id (0 when matched whole)
    raised: int
    removed: int


def _calendar_changed(since: datetime.date, today: datetime.date) -> Iterator[tuple[int, int]]:
    """(organisation, registration) of the live side activities that started after
    `since` (up to today) or whose last day lay between `since` and yesterday: those
    whose "current" changed since the signals were last brought in line."""
    window = Q(start_date__gt=since, start_date__lte=today) | Q(
        end_date__gte=since, end_date__lt=today
    )
    yield from (
        SideActivity.objects.filter(_live(), window)
        .values_list("registration__organisation_id", "registration_id")
        .order_by("registration__organisation_id", "registration_id")
        .iterator(chunk_size=BATCH)
    )


def refresh_signals(*, today: datetime.date | None = None) -> RefreshResult:
    """Bring the signals in line with the calendar (daily, idempotent): a side activity
    that ended since the previous run loses its open signal (a weighed one stays, with
    its weighing), one that started since then is matched and raised. A second run on
    the same day does nothing; a run after missed days covers them all."""
    today = today or timezone.localdate()
    with transaction.atomic():
        last = (
            SignalRefresh.objects.select_for_update()
            .order_by("-day")
            .values_list("day", flat=True)
            .first()
        )
        if last is not None and last >= today:
            return RefreshResult(last, 0, 0, 0)
        raised = removed = count = 0
        per_org: dict[int, list[int]] = {}
        if last is None:
            # The first run: every organisation with a list or signals, matched whole (as
            # an import does; cheaper than by the ids of nearly every side activity).
            organisations = {
                *Counterparty.objects.values_list("organisation_id", flat=True).distinct(),
                *ConflictSignal.objects.values_list("organisation_id", flat=True).distinct(),
            }
            per_org = {organisation_id: [] for organisation_id in sorted(organisations)}
        else:
            for organisation_id, registration_id in _calendar_changed(last, today):
                per_org.setdefault(organisation_id, []).append(registration_id)
        for organisation_id, ids in per_org.items():
            if last is None or len(ids) > WHOLE_ORGANISATION:
                whole = recompute_organisation(organisation_id, today=today)
                raised += whole.raised
                removed += whole.removed
                count += len(ids)
                continue
            parties = organisation_parties(organisation_id)
            index = PartyIndex(parties)
            for begin in range(0, len(ids), BATCH):
                batch = ids[begin : begin + BATCH]
                scope = Q(registration_id__in=batch)
                result = _apply(
                    organisation_id,
                    list(_find(organisation_id, index, scope, today, parties)),
                    scope,
                )
                raised += result.raised
                removed += result.removed
            count += len(ids)
        # A run on another host the same day may have written its row meanwhile: the
        # work is the same (idempotent), the row need not be written twice.
        SignalRefresh.objects.bulk_create(
            [SignalRefresh(day=today, raised=raised, removed=removed)], ignore_conflicts=True
        )
    return RefreshResult(last, count, raised, removed)

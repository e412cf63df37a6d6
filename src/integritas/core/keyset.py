"""Keyset pagination for lists that grow without bound (the audit log, at national scale).

A page is "the next N rows after this one" in a fixed order on indexed columns, so a page
costs the same at row ten million as at row ten, and no page issues a COUNT(*) over the
table. The cursor names the last row shown, as text safe for a query string.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


@dataclass(frozen=True)
class Cursor:
    """A position in a list ordered newest first by (timestamp, pk)."""

    timestamp: datetime.datetime
    pk: int

    def encode(self) -> str:
        return f"{(self.timestamp - _EPOCH) // _MICROSECOND}-{self.pk}"

    @classmethod
    def decode(cls, value: str | None) -> "Cursor | None":
        """The cursor in `value`, or None for anything that is not one (first page)."""
        if not value:
            return None
        micros, _dash, pk = value.partition("-")
        if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
            return None
        try:
            stamp = _EPOCH + int(micros) * _MICROSECOND
        except OverflowError:
            return None
        return cls(stamp, int(pk))

    @classmethod
    def of(cls, row: Any, field: str) -> "Cursor":
        return cls(getattr(row, field), row.pk)


@dataclass(frozen=True)
class KeysetPage[T: Model]:
    """One page: its rows (newest first) and the cursors to the neighbouring pages."""

    object_list: Sequence[T]
    newer: Cursor | None  # show rows newer than this (None: this is the first page)
    older: Cursor | None  # show rows older than this (None: this is the last page)

    @property
    def is_first(self) -> bool:
        return self.newer is None

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def keyset_page[T: Model](
    queryset: QuerySet[T],
    *,
    field: str,
    size: int,
    older_than: Cursor | None = None,
    newer_than: Cursor | None = None,
) -> KeysetPage[T]:
    """`size` rows of `queryset` newest first by (`field`, pk), from a cursor either way.

    Runs one query of at most size + 1 rows, which the index on (`field`, pk) serves.
    """
    if newer_than is not None:
        after = Q(**{f"{field}__gt": newer_than.timestamp}) | Q(
            **{field: newer_than.timestamp, "pk__gt": newer_than.pk}
        )
        rows = list(queryset.filter(after).order_by(field, "pk")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows,
            newer=Cursor.of(rows[0], field) if rows and has_newer else None,
            older=Cursor.of(rows[-1], field) if rows else newer_than,
        )
    if older_than is not None:
        before = Q(**{f"{field}__lt": older_than.timestamp}) | Q(
            **{field: older_than.timestamp, "pk__lt": older_than.pk}
        )
        queryset = queryset.filter(before)
    rows = list(queryset.order_by(f"-{field}", "-pk")[: size + 1])
    has_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows,
        newer=Cursor.of(rows[0], field) if rows and older_than is not None else None,
        older=Cursor.of(rows[-1], field) if rows and has_older else None,
    )

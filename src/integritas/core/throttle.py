"""A small database throttle for guessable public endpoints (receipt codes).

Keys are keyed hashes of the client address that rotate daily, so no address is kept in
clear, and yesterday's keys cannot be linked to today's. Counters live in a table, so the
throttle works the same on SQLite and PostgreSQL and across processes.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone

from .models import ThrottleCounter

GLOBAL_KEY = "global"


def client_key(request: HttpRequest, scope: str) -> str:
    """HMAC(pepper, day, scope, address): rotates daily, irreversible without the pepper."""
    address = request.META.get("REMOTE_ADDR", "")
    day = timezone.now().date().isoformat()
    key = hashlib.sha256(f"throttle|{settings.INTEGRITAS_RECEIPT_PEPPER}".encode()).digest()
    return hmac.new(key, f"{day}|{scope}|{address}".encode(), hashlib.sha256).hexdigest()


def _window_start(now: datetime.datetime, minutes: int) -> datetime.datetime:
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % (minutes * 60), tz=datetime.UTC)


def _windows(now: datetime.datetime, minutes: int) -> list[datetime.datetime]:
    """The current one-minute buckets covering the last `minutes` minutes."""
    start = _window_start(now, 1)
    return [start - datetime.timedelta(minutes=i) for i in range(minutes)]


def failures(key: str, minutes: int) -> int:
    total = ThrottleCounter.objects.filter(
        key=key, window_start__in=_windows(timezone.now(), minutes)
    ).aggregate(total=Sum("count"))["total"]
    return int(total or 0)


def record_failure(key: str) -> None:
    """Count one failed attempt atomically in the current minute bucket."""
    window = _window_start(timezone.now(), 1)
    with transaction.atomic():
        updated = ThrottleCounter.objects.filter(key=key, window_start=window).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    ThrottleCounter.objects.create(key=key, window_start=window, count=1)
            except IntegrityError:
                ThrottleCounter.objects.filter(key=key, window_start=window).update(
                    count=F("count") + 1
                )


def purge_old(hours: int = 48) -> int:
    cutoff = timezone.now() - datetime.timedelta(hours=hours)
    deleted, _ = ThrottleCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted

"""A small database throttle for the public endpoints (receipt codes, intake budget).

Keys are keyed hashes of the client address that rotate daily, so no address is kept in
clear, and yesterday's keys cannot be linked to today's. Counters live in a table, so the
throttle works the same on SQLite and PostgreSQL and across processes.

Behind a reverse proxy every request comes from the proxy's address; the proxy then
passes the client's address in X-Forwarded-For, which is believed only when the request
comes from an address in INTEGRITAS_TRUSTED_PROXIES (docs/operations.md).
"""

import datetime
import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone

from .models import IntakeBudgetCount, IntakeBudgetKey, IntakeProofSpent, ThrottleCounter

GLOBAL_KEY = "global"


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's address, seen through trusted proxies only.

    X-Forwarded-For is read from the right: each trusted proxy appends the address it
    received the request from, so the first address from the right that is not a trusted
    proxy is the client. Anything a client writes into the header itself stays to the
    left of that and is ignored. Used only to build the keyed hash below, never stored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _trusted(tuple(settings.INTEGRITAS_TRUSTED_PROXIES))
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if _is_trusted(hop, networks):
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            break  # garbage from the client's side of the chain: fall back to the proxy
    return remote


def client_key(request: HttpRequest, scope: str) -> str:
    """HMAC(pepper, day, scope, address): rotates daily, irreversible without the pepper."""
    address = client_address(request)
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


def count(key: str, minutes: int) -> int:
    """Events recorded under `key` in the last `minutes` minutes."""
    total = ThrottleCounter.objects.filter(
        key=key, window_start__in=_windows(timezone.now(), minutes)
    ).aggregate(total=Sum("count"))["total"]
    return int(total or 0)


def record(key: str) -> None:
    """Count one event (a failed lookup, a report) atomically in the current minute."""
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


def attempt(key: str, minutes: int, limit: int) -> bool:
    """Count one attempt now and say whether it stays within `limit`.

    Counting before the work (a slow hash) closes the race in which parallel requests all
    read a count below the limit before any of them has recorded its failure.
    """
    record(key)
    return count(key, minutes) <= limit


def release(key: str) -> None:
    """Take back an attempt that succeeded: only failed guesses count."""
    window = _window_start(timezone.now(), 1)
    ThrottleCounter.objects.filter(key=key, window_start=window, count__gt=0).update(
        count=F("count") - 1
    )


def purge_old(hours: int = 48) -> int:
    cutoff = timezone.now() - datetime.timedelta(hours=hours)
    deleted, _ = ThrottleCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted + intake_budget_purge()


def intake_budget_purge(now: datetime.datetime | None = None) -> int:
    """Delete the flood defence's hourly keys, counters and spent proofs of every hour that
    is over (cases/intake/budget.py): without its key, a counter ties to no address."""
    now = now or timezone.now()
    current = now.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    deleted = 0
    for model in (IntakeBudgetKey, IntakeBudgetCount, IntakeProofSpent):
        count, _ = model.objects.filter(window_start__lt=current).delete()
        deleted += count
    return deleted

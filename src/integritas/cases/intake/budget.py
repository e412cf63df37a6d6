"""The flood defence of the public intake: a budget per source, then a proof of work.

Nothing here ever refuses a report (docs/adr/0006-flood-defence.md):

- A source (the client address, seen through trusted proxies) may send
  `INTEGRITAS_INTAKE_SOURCE_REPORTS_PER_HOUR` reports in an hour; within that budget, and
  while the intake as a whole is under `INTEGRITAS_INTAKE_REPORTS_PER_HOUR`, a report is
  accepted at once.
- Over the budget (or when many sources flood together) a report needs a proof of work
  (altcha, some seconds of a browser's core); with a valid one it is accepted normally.
- Without one (no JavaScript, or the API) it is accepted into the held queue
  (`Case.intake_hold`), which the coordinator reviews; the reporter gets a receipt code
  as always and the statutory clock runs from receipt.

Privacy (DESIGN §2, docs/dpia.md): the source is counted under an HMAC of its address with
a random key that lives one hour (`IntakeBudgetKey`) and is deleted, with that hour's
counters, as soon as the hour is over. A counter holds the hour, no finer time, and no
link to a report; it is written in its own transaction, before and apart from the case.
"""

import datetime
import enum
import hashlib
import hmac
import secrets
from typing import Any

from altcha import v2 as altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from integritas.core import throttle
from integritas.core.models import IntakeBudgetCount, IntakeBudgetKey, IntakeProofSpent

WINDOW = datetime.timedelta(hours=1)
ALL_SOURCES = "alle-bronnen"
# How long a challenge on the review page may be solved and sent.
CHALLENGE_VALID = datetime.timedelta(minutes=30)
POW_ALGORITHM = "PBKDF2/SHA-256"


class Admission(enum.Enum):
    OPEN = "open"  # accepted normally
    HELD = "held"  # accepted into the held queue
    PROOF_REFUSED = "proof_refused"  # a forged, expired or used proof: nothing stored


def window_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The start of the hour `now` falls in (UTC): the finest time a counter keeps."""
    now = now or timezone.now()
    return now.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)


def purge_expired(now: datetime.datetime | None = None) -> None:
    """Delete every key, counter and spent proof of an hour that is over (also run by
    the housekeeping job, core/throttle.py, so a key dies even when no report follows)."""
    throttle.intake_budget_purge(now)


def _window_secret(window: datetime.datetime) -> bytes:
    row = IntakeBudgetKey.objects.filter(window_start=window).first()
    if row is None:
        try:
            with transaction.atomic():
                row = IntakeBudgetKey.objects.create(
                    window_start=window, secret=secrets.token_bytes(32)
                )
        except IntegrityError:
            row = IntakeBudgetKey.objects.get(window_start=window)
    return bytes(row.secret)


def source_key(source: str, window: datetime.datetime) -> str:
    """HMAC(this hour's random key, address): unlinkable once the key is deleted."""
    return hmac.new(_window_secret(window), source.encode(), hashlib.sha256).hexdigest()


def _count(key: str, window: datetime.datetime) -> int:
    row = IntakeBudgetCount.objects.filter(key=key, window_start=window).first()
    return row.count if row else 0


def _bump(key: str, window: datetime.datetime) -> int:
    """Count one report under `key` this hour, atomically, and return the new count."""
    with transaction.atomic():
        updated = IntakeBudgetCount.objects.filter(key=key, window_start=window).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    IntakeBudgetCount.objects.create(key=key, window_start=window, count=1)
            except IntegrityError:
                IntakeBudgetCount.objects.filter(key=key, window_start=window).update(
                    count=F("count") + 1
                )
        return _count(key, window)


def _within(source_count: int, total: int) -> bool:
    return (
        source_count <= settings.INTEGRITAS_INTAKE_SOURCE_REPORTS_PER_HOUR
        and total <= settings.INTEGRITAS_INTAKE_REPORTS_PER_HOUR
    )


def proof_needed(source: str) -> bool:
    """Whether the next report from `source` needs a proof of work (read only)."""
    window = window_start()
    purge_expired()
    return not _within(
        _count(source_key(source, window), window) + 1, _count(ALL_SOURCES, window) + 1
    )


def admit(source: str, proof: str = "") -> Admission:
    """Count one new report from `source` and say how it is received.

    Counted before the work, in its own transaction and never in the case's: a report
    that then fails validation still cost its sender, and no counter row is written
    together with a case. A repeat of a report received before is not counted (the
    caller asks `form_token_used` first).
    """
    window = window_start()
    purge_expired()
    with transaction.atomic():
        source_count = _bump(source_key(source, window), window)
        # Only reports within their source's budget count towards the whole: one script
        # over its budget adds at most its budget, so it alone cannot put the proof of
        # work on every other reporter; many sources together can.
        within = source_count <= settings.INTEGRITAS_INTAKE_SOURCE_REPORTS_PER_HOUR
        total = _bump(ALL_SOURCES, window) if within else _count(ALL_SOURCES, window)
    if _within(source_count, total):
        return Admission.OPEN
    if not proof:
        return Admission.HELD
    return Admission.OPEN if proof_spend(proof) else Admission.PROOF_REFUSED


# --- proof of work (altcha) ----------------------------------------------------------


def _secret(purpose: str) -> bytes:
    return hashlib.sha256(f"altcha|{purpose}|{settings.SECRET_KEY}".encode()).digest()


def challenge_new() -> dict[str, Any]:
    """A signed challenge for the altcha widget: find the one counter the server chose.

    The counter is drawn between MIN and MAX, and the widget counts up from 0, so every
    solution costs at least MIN key derivations of COST iterations (ADR 0006).
    """
    low = settings.INTEGRITAS_INTAKE_POW_COUNTER_MIN
    high = max(low, settings.INTEGRITAS_INTAKE_POW_COUNTER_MAX)
    challenge = altcha.create_challenge(
        POW_ALGORITHM,
        settings.INTEGRITAS_INTAKE_POW_COST,
        counter=low + secrets.randbelow(high - low + 1),
        expires_at=timezone.now() + CHALLENGE_VALID,
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def proof_spend(payload: str) -> bool:
    """Whether `payload` solves a challenge of ours that was not used before; uses it."""
    try:
        result = altcha.verify_solution(
            payload, _secret("challenge"), hmac_key_secret=_secret("key")
        )
        parsed = altcha.Payload.from_base64(payload) if result.verified else None
    except (ValueError, TypeError, KeyError):
        return False
    if parsed is None:
        return False
    parameters = parsed.challenge.parameters
    digest = hashlib.sha256(f"{parameters.nonce}|{parameters.salt}".encode()).hexdigest()
    expires = datetime.datetime.fromtimestamp(int(parameters.expires_at or 0), tz=datetime.UTC)
    try:
        with transaction.atomic():
            IntakeProofSpent.objects.create(digest=digest, window_start=window_start(expires))
    except IntegrityError:
        return False  # used before: a replay
    return True

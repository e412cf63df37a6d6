"""Refused access as audit events, bounded per user (R-BIO-1).

Every refusal of a logged-in user on a guarded route (a case, an attachment, the
reporter's identity, a four-eyes grant) is an event with result "denied". Two ways lead
here, and each refusal is recorded once:

- A service or view that refuses with something worth recording (the grant it refused,
  the infected file) calls `audit_denied` itself.
- Everything else that a view refuses by raising 404 or 403 is recorded by
  accounts.refusals.DeniedAccessMiddleware: the route's kind and, where the URL holds
  one, the reference the user asked for (a case number, an id), as asked, whether or not
  it exists, so the event never tells anyone what exists. The apps name their routes
  here (`guard_routes`, in their AppConfig.ready()).

The bound: at most DENIED_LIMIT refusals of one user per window of DENIED_WINDOW_MINUTES
become events; the next one becomes one `access.denied.burst` event, the rest of that
window none. The count is one row per user (DeniedAccessCounter), shared by every
process, without anything but the user's id. So a loop writes at most DENIED_LIMIT + 1
events per window, and the administrator sees the burst.
"""

import datetime
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from .constants import Origin, Result
from .models import AuditEvent, DeniedAccessCounter
from .services import audit_record

#: Refusals of one user recorded per window; the one after them becomes a burst event.
DENIED_LIMIT = 20
#: The window: a quarter of an hour (the burst's Dutch name says "dit kwartier").
DENIED_WINDOW_MINUTES = 15

BURST = "access.denied.burst"
#: The longest reference kept: AuditEvent.object_id's max_length.
MAX_REFERENCE = 64

# --- the guarded routes -------------------------------------------------------------


@dataclass(frozen=True)
class GuardedRoute:
    """A route whose refusals are recorded as `access.denied.<kind>`.

    `kwarg` names the URL argument that refers to the object asked for; it is stored
    (as `object_type`, value) only when it looks like such a reference (`pattern`): a
    free-form path segment could hold anything a user typed, a name among them.
    """

    kind: str  # a DeniedRoute
    object_type: str = ""
    kwarg: str = ""
    pattern: re.Pattern[str] | None = None

    def reference(self, kwargs: Mapping[str, Any]) -> tuple[str, str]:
        """(object_type, object_id) of what the URL asked for, or ("", "")."""
        if not self.kwarg or self.kwarg not in kwargs:
            return "", ""
        value = str(kwargs[self.kwarg])
        if self.pattern is not None and not self.pattern.fullmatch(value):
            return "", ""
        if not value or len(value) > MAX_REFERENCE:
            return "", ""
        return self.object_type, value


#: "namespace:name" of a route, or "namespace:*" for every route of a namespace.
_routes: dict[str, GuardedRoute] = {}


def guard_routes(routes: Mapping[str, GuardedRoute]) -> None:
    """Register routes ("namespace:name" or "namespace:*") whose refusals are recorded."""
    _routes.update(routes)


def guarded_route(view_name: str, namespace: str) -> GuardedRoute | None:
    """The registration of a resolved route: its own, else its namespace's, else None."""
    found = _routes.get(view_name)
    if found is None and namespace:
        found = _routes.get(f"{namespace}:*")
    return found


# --- one record per refusal ---------------------------------------------------------

_recorded: ContextVar[bool] = ContextVar("integritas_denial_recorded", default=False)


@contextmanager
def denial_scope() -> Iterator[None]:
    """One request: whether its refusal was recorded starts out False."""
    token = _recorded.set(False)
    try:
        yield
    finally:
        _recorded.reset(token)


def denial_recorded() -> bool:
    """Whether `audit_denied` already handled a refusal in this request."""
    return _recorded.get()


# --- the bounded record -------------------------------------------------------------


def _window_start(now: datetime.datetime) -> datetime.datetime:
    seconds = DENIED_WINDOW_MINUTES * 60
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.UTC)


def _count(actor_id: int) -> int:
    """Count one refusal of `actor_id` in the current window; the count, this one in.

    Inside the caller's transaction: the row stays locked until it ends, so parallel
    requests of one user each get their own number and exactly one gets the burst.
    """
    window = _window_start(timezone.now())
    counter = DeniedAccessCounter.objects.filter(actor_id=actor_id)
    # The SET expressions read the row as it was: a new window starts again at 1.
    updated = counter.update(
        count=Case(When(window_start=window, then=F("count") + 1), default=Value(1)),
        window_start=window,
    )
    if not updated:
        try:
            with transaction.atomic():
                DeniedAccessCounter.objects.create(actor_id=actor_id, window_start=window, count=1)
        except IntegrityError:
            return _count(actor_id)  # another request of the same user created it first
        return 1
    return int(counter.values_list("count", flat=True).get())


def denied_counters_purge(now: datetime.datetime | None = None) -> int:
    """Delete the counters of windows that are over: a row per user who was ever refused
    would otherwise stay forever, and a new window starts at 1 anyway (`_count`)."""
    window = _window_start(now or timezone.now())
    deleted, _ = DeniedAccessCounter.objects.filter(window_start__lt=window).delete()
    return deleted


def audit_denied(
    *,
    action: str,
    actor: Any,
    actor_role: str = "",
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    organisation: Any = None,
    origin: str = Origin.WEB,
) -> AuditEvent | None:
    """Record one refused attempt as audit_record does (result "denied"), within the
    bound of the actor's window; None when the bound left it out.

    Outside any transaction that the refusal rolls back: call it, then raise.
    """
    _recorded.set(True)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return audit_record(
            action=action,
            obj=obj,
            object_type=object_type,
            object_id=object_id,
            organisation=organisation,
            result=Result.DENIED,
            origin=origin,
        )
    with transaction.atomic():
        number = _count(actor.pk)
        if number <= DENIED_LIMIT:
            return audit_record(
                action=action,
                actor=actor,
                actor_role=actor_role,
                obj=obj,
                object_type=object_type,
                object_id=object_id,
                organisation=organisation,
                result=Result.DENIED,
                origin=origin,
            )
        if number == DENIED_LIMIT + 1:
            audit_record(
                action=BURST,
                actor=actor,
                actor_role=actor_role,
                organisation=organisation,
                result=Result.DENIED,
                origin=origin,
            )
    return None


def record_route_denial(
    *, actor: Any, route: GuardedRoute, kwargs: Mapping[str, Any], organisation: Any
) -> None:
    """A refusal on a guarded route: its kind and the reference asked for, in the chain
    of the actor's `organisation` (whatever the object's organisation may be)."""
    object_type, object_id = route.reference(kwargs)
    audit_denied(
        action=f"access.denied.{route.kind}",
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        organisation=organisation,
    )

"""The home page's work lists, kept briefly per user: the page most opened, cheaply.

Building the lists asks every app for its rows, one small query each (a coordinator's
home page builds and compiles some twenty querysets); most of a home page's time goes
there, not into the database. So the finished lists (counts, dates and links, never
content) are kept in the cache for INTEGRITAS_WORK_LISTS_SECONDS per user and language.

What others do (a new report, a decision by a colleague) shows within that time. What
the user does themselves shows at once: every form the user sends gives their session a
new mark (`WorkListsMarkMiddleware`), the mark is part of the key, and the next home page
builds the lists again — on whichever server process serves it, as the session lives in
the database and the cache of another process may still hold the old lists. A setting of
0 builds them on every view (the test settings, unless a test asks otherwise).
"""

import secrets
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language

from .contributions import WorkList, work_lists_for

#: The session key of the mark that changes with every form the user sends.
SESSION_MARK = "integritas_work_mark"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def work_lists_kept(request: HttpRequest) -> list[WorkList]:
    """The user's work lists, from the cache when they were built recently enough."""
    user: Any = request.user
    seconds = settings.INTEGRITAS_WORK_LISTS_SECONDS
    if seconds <= 0:
        return work_lists_for(user)
    mark = request.session.get(SESSION_MARK, "")
    key = f"integritas:work-lists:{user.pk}:{mark}:{get_language()}"
    lists: list[WorkList] | None = cache.get(key)
    if lists is None:
        lists = work_lists_for(user)
        cache.set(key, lists, seconds)
    return lists


def mark_sent_form(request: HttpRequest) -> None:
    """After a form of this user, the next home page builds its lists again."""
    user = getattr(request, "user", None)
    if request.method in SAFE_METHODS or user is None or not user.is_authenticated:
        return
    request.session[SESSION_MARK] = secrets.token_hex(4)

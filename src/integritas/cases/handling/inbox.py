"""The case inbox: the cases a handler may see, filtered, with their legal deadlines.
A designated substitute has one too, listing only the cases they handle.

Nothing is decrypted here: the inbox lists only the fields the workflow keeps in clear,
read as plain values (no model instances), because 50 rows of ORM objects would cost more
than the rest of the page (benchmarks/cases.py). The rows are written by the Jinja2
template cases/jinja2/cases/inbox_body.html.
"""

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from rules.contrib.views import permission_required

from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.cases.clock import deadlines
from integritas.cases.clock.display import Deadline, DeadlineDisplay
from integritas.cases.constants import Category, Kind, Status
from integritas.cases.substitutes.selectors import organisations_substituted_by
from integritas.organisations.models import Organisation
from integritas.organisations.selectors import organisations_for_select

from . import selectors
from .forms import InboxFilterForm

INBOX_PAGE_SIZE = 50
# A count over every case a coordinator sees would cost more than the whole rest of the
# page at 50,000 cases; above this the page says "more than".
INBOX_COUNT_CAP = 1000
# The count is kept this long per user and filter: paging through the inbox does not count
# again. It is a number only, never a case; it may lag a change by at most this long.
INBOX_COUNT_SECONDS = 60
# The only columns the inbox reads: never the encrypted content or the wrapped key.
INBOX_COLUMNS = (
    "case_number",
    "organisation__name",
    "kind",
    "category",
    "status",
    "received_at",
    "acknowledged_at",
    "feedback_given_at",
)


@dataclass(frozen=True)
class InboxRow:
    """One inbox line: clear-text workflow fields only, as ready-made strings."""

    number: str
    url: str
    organisation: str
    kind: str
    category: str
    status: str
    status_value: str
    received: str
    acknowledgement: Deadline
    feedback: Deadline


def inbox_rows(values: list[tuple[Any, ...]], now: datetime.datetime) -> list[InboxRow]:
    """Rows from tuples in the order of INBOX_COLUMNS."""
    kinds = {value: str(label) for value, label in Kind.choices}
    categories = {value: str(label) for value, label in Category.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    display = DeadlineDisplay(now)
    prefix = reverse("cases:inbox")
    rows = []
    for number, organisation, kind, category, status, received, acknowledged, feedback in values:
        acknowledgement_deadline, feedback_deadline = display.pair(received, acknowledged, feedback)
        rows.append(
            InboxRow(
                number=number,
                url=f"{prefix}{quote(number)}/",
                organisation=organisation,
                kind=kinds.get(kind, kind),
                category=categories.get(category, ""),
                status=statuses.get(status, status),
                status_value=status,
                received=deadlines.local_date(received).strftime("%d-%m-%Y"),
                acknowledgement=acknowledgement_deadline,
                feedback=feedback_deadline,
            )
        )
    return rows


@dataclass(frozen=True)
class InboxPage:
    """A page of the inbox with a count capped at INBOX_COUNT_CAP + 1."""

    number: int
    has_next: bool
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def total_capped(self) -> bool:
        return self.total > INBOX_COUNT_CAP

    @property
    def total_text(self) -> str:
        return ngettext("%(total)s melding", "%(total)s meldingen", self.total) % {
            "total": self.total
        }


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1_000_000))
    except ValueError:
        return 1


def _capped_count(user_id: int, filters: str, cases: Any) -> int:
    """How many cases match, up to INBOX_COUNT_CAP + 1, kept briefly per user and filter."""
    digest = hashlib.sha256(f"{user_id}|{filters}".encode()).hexdigest()
    key = f"integritas:inbox-count:{digest}"
    total = cache.get(key)
    if total is None:
        total = cases[: INBOX_COUNT_CAP + 1].count()
        cache.set(key, total, INBOX_COUNT_SECONDS)
    return int(total)


def _inbox_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisation filter's choices: where the user holds a case role, and where
    they stand in as substitute (seed 5.2). One query."""
    own = selectors.inbox_organisations(user)
    return (own | organisations_substituted_by(user)).distinct().order_by("name")


@permission_required("cases.view_inbox", raise_exception=True)
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cases this user may see, filtered; numbers and dates only, nothing decrypted."""
    allowed = _inbox_organisations(request.user)
    # A <select> up to 25 organisations; beyond, the organisation is typed (a regional
    # coordinator of 355 organisations would otherwise load them all on every page).
    organisations = organisations_for_select(allowed)
    form = InboxFilterForm(request.GET or None, organisations=organisations, allowed=allowed)
    filters: dict[str, Any] = dict(form.cleaned_data) if form.is_valid() else {}
    now = timezone.now()
    filters["now"] = now
    cases = selectors.cases_for_inbox(request.user, filters)
    number = _page_number(request.GET.get("pagina"))
    offset = (number - 1) * INBOX_PAGE_SIZE
    found = list(cases.values_list(*INBOX_COLUMNS)[offset : offset + INBOX_PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("pagina", None)
    if len(found) <= INBOX_PAGE_SIZE and (found or number == 1):
        total = offset + len(found)  # this is the last page: no count needed
    else:
        total = _capped_count(request.user.pk, query.urlencode(), cases)
    page = InboxPage(number=number, has_next=len(found) > INBOX_PAGE_SIZE, total=total)
    return render(
        request,
        "cases/inbox.html",
        {
            "form": form,
            "page": page,
            "rows": inbox_rows(found[:INBOX_PAGE_SIZE], now),
            "query": query.urlencode(),
        },
    )

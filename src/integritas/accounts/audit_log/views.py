"""The audit log for administrators: filter, page and export events (R-BIO-1).

Pages are keyset pages (core.keyset): no COUNT(*) and no OFFSET over millions of rows.
The export streams the filtered events as CSV without holding them in memory, and is
itself an audit event. The page names each action and role in Dutch next to its code;
the export keeps the codes, as stored.
"""

import csv
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from integritas.accounts.constants import Role
from integritas.accounts.types import AuthenticatedHttpRequest
from integritas.audit.constants import ACTION_LABELS
from integritas.audit.models import AuditEvent
from integritas.audit.services import audit_record
from integritas.core.keyset import Cursor, keyset_page

from .forms import AuditFilterForm
from .selectors import events_filtered, events_visible_to, filter_organisations

PAGE_SIZE = 50
EXPORT_CHUNK = 2000
EXPORT_COLUMNS = (
    "timestamp",
    "chain",
    "sequence",
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "organisation_id",
    "result",
    "origin",
    "hash",
)


_ROLE_LABELS: dict[str, Promise] = {role.value: role.label for role in Role}


@dataclass(frozen=True)
class EventRow:
    """One event as the page shows it: codes, ids and the Dutch names of its action and
    role (None: the code alone), the time in the local zone. Plain values, so that 50
    rows cost no model instances or template lookups."""

    time: str
    actor: str
    role: str
    role_label: str | None
    action: str
    action_label: str | None
    object_type: str
    object_id: str
    organisation: str
    result: str
    origin: str


_RESULT_LABELS = dict(AuditEvent._meta.get_field("result").flatchoices)
_ORIGIN_LABELS = dict(AuditEvent._meta.get_field("origin").flatchoices)
#: What a row shows, and nothing more: 50 rows of three models' whole rows cost more than
#: the query at ten million events.
ROW_FIELDS = (
    "timestamp",
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "organisation_id",
    "result",
    "origin",
    "actor__full_name",
    "actor__email",
    "organisation__name",
)


@functools.cache
def _labels(language: str | None) -> dict[str, dict[str, str]]:
    """The Dutch (or English) names of every role, action, result and origin code,
    translated once per language rather than once per row."""
    del language  # the cache key: gettext below uses the active language
    return {
        "role": {code: str(label) for code, label in _ROLE_LABELS.items()},
        "action": {code: str(label) for code, label in ACTION_LABELS.items()},
        "result": {code: str(label) for code, label in _RESULT_LABELS.items()},
        "origin": {code: str(label) for code, label in _ORIGIN_LABELS.items()},
    }


def event_rows(events: Iterable[AuditEvent]) -> list[EventRow]:
    labels = _labels(get_language())
    roles, actions, results, origins = (
        labels["role"],
        labels["action"],
        labels["result"],
        labels["origin"],
    )
    return [
        EventRow(
            time=timezone.localtime(e.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
            actor=str(e.actor) if e.actor_id else "",
            role=e.actor_role,
            role_label=roles.get(e.actor_role),
            action=e.action,
            action_label=actions.get(e.action),
            object_type=e.object_type,
            object_id=str(e.object_id),
            organisation=e.organisation.name if e.organisation_id else "",
            result=results.get(e.result, e.result),
            origin=origins.get(e.origin, e.origin),
        )
        for e in events
    ]


def _filtered(request: AuthenticatedHttpRequest) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None, organisations=filter_organisations(request.user))
    events = events_visible_to(request.user)
    if form.is_bound and form.is_valid():
        events = events_filtered(events, form.cleaned_data)
    return form, events


def _query_without_cursor(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    for key in ("ouder", "nieuwer"):
        query.pop(key, None)
    return query.urlencode()


@permission_required("audit.view_events", raise_exception=True)
def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = keyset_page(
        events.only(*ROW_FIELDS),
        field="timestamp",
        size=PAGE_SIZE,
        older_than=Cursor.decode(request.GET.get("ouder")),
        newer_than=Cursor.decode(request.GET.get("nieuwer")),
    )
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "rows": event_rows(page),
            "query": _query_without_cursor(request),
        },
    )


class _Echo:
    """csv.writer writes into this and gets the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(events: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    rows = events.order_by("timestamp", "pk").values_list(*EXPORT_COLUMNS)
    for row in rows.iterator(chunk_size=EXPORT_CHUNK):
        yield writer.writerow([row[0].isoformat(), *row[1:]])


@permission_required("audit.view_events", raise_exception=True)
def event_export(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered events as CSV, oldest first: ids and codes only, as stored."""
    form, events = _filtered(request)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "audit/event_list.html",
            {"form": form, "page": None, "query": _query_without_cursor(request)},
            status=400,
        )
    audit_record(
        action="audit.export",
        actor=request.user,
        actor_role=Role.ADMINISTRATOR,
        object_type="audit.auditevent",
    )
    name = _("auditlog-%(stamp)s.csv") % {"stamp": timezone.localtime().strftime("%Y%m%d-%H%M")}
    response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

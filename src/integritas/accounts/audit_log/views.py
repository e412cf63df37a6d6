"""The audit log for administrators: filter and page through events (R-BIO-1)."""

import datetime

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from rules.contrib.views import permission_required

from integritas.accounts.types import AuthenticatedHttpRequest

from .forms import AuditFilterForm
from .selectors import events_visible_to


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@permission_required("audit.view_events", raise_exception=True)
def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = events_visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action__startswith=data["action"])
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"])
        if data["actor"]:
            events = events.filter(actor__email__iexact=data["actor"])
        if data["result"]:
            events = events.filter(result=data["result"])
        if data["origin"]:
            events = events.filter(origin=data["origin"])
        # Whole local days, as a range on the indexed timestamp.
        if data["date_from"]:
            events = events.filter(timestamp__gte=_start_of_day(data["date_from"]))
        if data["date_to"]:
            events = events.filter(
                timestamp__lt=_start_of_day(data["date_to"] + datetime.timedelta(days=1))
            )
    page = Paginator(events.order_by("-timestamp", "-pk"), 50).get_page(request.GET.get("pagina"))
    return render(request, "audit/event_list.html", {"form": form, "page": page})

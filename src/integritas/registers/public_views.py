"""The public register of side activities (R-AW-7): no login, per organisation.

Only approved, current side activities of current holders of a function designated for
publication; never anyone else's, never financial interests or gifts.
"""

import csv
import json
from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from integritas.organisations.models import Organisation
from integritas.organisations.selectors import organisation_get_by_slug

from . import selectors


def _organisation(slug: str) -> Organisation:
    organisation = organisation_get_by_slug(slug)
    if organisation is None:
        raise Http404
    return organisation


def _row(row: selectors.PublicRow) -> dict[str, str]:
    return {
        "naam": row.name,
        "functie": row.function,
        "nevenwerkzaamheid": row.activity,
        "organisatie": row.organisation,
        "betaald": "ja" if row.paid else "nee",
        "beperkingen": row.restrictions,
        "sinds": row.since.isoformat(),
    }


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registers/public_index.html",
        {"organisations": selectors.public_organisations()},
    )


def organisation_register(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    page = selectors.public_page(
        organisation,
        after=request.GET.get("vanaf"),
        before=request.GET.get("tot"),
        size=selectors.PUBLIC_PAGE_SIZE,
    )
    paid = {"ja": _("ja"), "nee": _("nee")}
    rows = [_row(a) for a in page.rows]
    for row in rows:
        row["paid"] = paid[row["betaald"]]
    return render(
        request,
        "registers/public_register.html",
        {"organisation": organisation, "rows": rows, "page": page},
    )


FIELDS = ("naam", "functie", "nevenwerkzaamheid", "organisatie", "betaald", "beperkingen", "sinds")


class _Line:
    """A file-like that hands back what the csv writer writes (one line at a time)."""

    def write(self, text: str) -> str:
        return text


def _csv_lines(organisation: Organisation) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield writer.writerow(FIELDS).encode("utf-8")
    for public in selectors.public_rows(organisation):
        row = _row(public)
        yield writer.writerow([row[field] for field in FIELDS]).encode("utf-8")


def organisation_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every line, streamed as it is read (the database in chunks; never all in memory)."""
    organisation = _organisation(slug)
    response = StreamingHttpResponse(
        _csv_lines(organisation), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="nevenwerkzaamheden-{organisation.slug}.csv"'
    )
    return response


def _json_parts(organisation: Organisation, description: str) -> Iterator[bytes]:
    head = json.dumps(
        {"organisatie": organisation.name, "omschrijving": description}, ensure_ascii=False
    )
    yield (head[:-1] + ', "nevenwerkzaamheden": [').encode("utf-8")
    separator = ""
    for public in selectors.public_rows(organisation):
        yield (separator + json.dumps(_row(public), ensure_ascii=False)).encode("utf-8")
        separator = ", "
    yield b"]}"


def organisation_json(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The same lines as JSON, streamed like the CSV."""
    organisation = _organisation(slug)
    description = _("Nevenwerkzaamheden van aangewezen functies")
    return StreamingHttpResponse(
        _json_parts(organisation, description), content_type="application/json"
    )

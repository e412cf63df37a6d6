"""The public register of side activities (R-AW-7): no login, per organisation.

Only approved, current side activities of current holders of a function designated for
publication; never anyone else's, never financial interests or gifts.
"""

import csv
import io

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
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
    rows = [_row(a) for a in selectors.public_rows(organisation)]
    paid = {"ja": _("ja"), "nee": _("nee")}
    for row in rows:
        row["paid"] = paid[row["betaald"]]
    return render(
        request,
        "registers/public_register.html",
        {"organisation": organisation, "rows": rows},
    )


def organisation_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    rows = [_row(a) for a in selectors.public_rows(organisation)]
    buffer = io.StringIO()
    fields = [
        "naam",
        "functie",
        "nevenwerkzaamheid",
        "organisatie",
        "betaald",
        "beperkingen",
        "sinds",
    ]
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="nevenwerkzaamheden-{organisation.slug}.csv"'
    )
    return response


def organisation_json(request: HttpRequest, slug: str) -> JsonResponse:
    organisation = _organisation(slug)
    return JsonResponse(
        {
            "organisatie": organisation.name,
            "omschrijving": _("Nevenwerkzaamheden van aangewezen functies"),
            "nevenwerkzaamheden": [_row(a) for a in selectors.public_rows(organisation)],
        },
        json_dumps_params={"ensure_ascii": False},
    )

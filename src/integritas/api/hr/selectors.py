"""The HR API's reads: one organisation's rows in keyset pages along their unique keys.

Every read is scoped by the token's organisation id; a page is one query of at most
limit + 1 rows read along the unique (organisation, code) or (organisation, personnel
number) index, the same at row 100,000 as at row 1.
"""

from dataclasses import dataclass
from typing import Any

from integritas.organisations.models import Employee, Function, OrgUnit


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    last_key: str | None  # the key to continue after, None on the last page


def _page(queryset: Any, key: str, after: str | None, limit: int) -> tuple[list[Any], bool]:
    if after:
        queryset = queryset.filter(**{f"{key}__gt": after})
    rows = list(queryset.order_by(key)[: limit + 1])
    return rows[:limit], len(rows) > limit


def org_units_page(*, organisation_id: int, after: str | None, limit: int) -> Page:
    rows, more = _page(
        OrgUnit.objects.filter(organisation_id=organisation_id).values_list(
            "code", "name", "parent__code"
        ),
        "code",
        after,
        limit,
    )
    return Page(
        [{"code": c, "naam": n, "bovenliggende_afdeling": p} for c, n, p in rows],
        rows[-1][0] if more else None,
    )


def functions_page(*, organisation_id: int, after: str | None, limit: int) -> Page:
    rows, more = _page(
        Function.objects.filter(organisation_id=organisation_id).values_list("code", "name"),
        "code",
        after,
        limit,
    )
    return Page([{"code": c, "naam": n} for c, n in rows], rows[-1][0] if more else None)


EMPLOYEE_FIELDS = {
    "personeelsnummer": "personnel_number",
    "voornaam": "first_name",
    "achternaam": "last_name",
    "email": "email",
    "afdeling": "org_unit__code",
    "functie": "function__code",
    "dienstverband": "employment_type",
    "datum_in_dienst": "start_date",
    "datum_uit_dienst": "end_date",
    "leidinggevende": "manager__personnel_number",
}


def employees_page(*, organisation_id: int, after: str | None, limit: int) -> Page:
    rows, more = _page(
        Employee.objects.filter(organisation_id=organisation_id).values_list(
            *EMPLOYEE_FIELDS.values()
        ),
        "personnel_number",
        after,
        limit,
    )
    names = tuple(EMPLOYEE_FIELDS)
    return Page([dict(zip(names, row, strict=True)) for row in rows], rows[-1][0] if more else None)

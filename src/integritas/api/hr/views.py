"""The HR API's endpoints: thin, over the HR import service and the selectors.

Every call ends in `HrApiView.finalize_response`, which audits it: with a known token an
`api.hr.<operation>` event (object: the token, its organisation's chain, origin API; the
result from the status) and an `ApiCall` row with the counts; without one an
`api.hr.unauthenticated` event in the region chain, bounded per client (authentication).
Ids and counts only: no name, number or value of any row.
"""

import csv
import io
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from integritas.accounts.api_tokens.models import ApiToken
from integritas.accounts.api_tokens.services import api_call_record
from integritas.api.serializers import DetailSerializer
from integritas.audit.constants import Origin, Result
from integritas.audit.services import audit_record
from integritas.core import throttle
from integritas.obligations.selectors import duties_for_api
from integritas.organisations.services import HR_IMPORT_COLUMNS, RowError, hr_file_import

from . import selectors
from .authentication import (
    AUTH_FAILURE_LIMIT,
    AUTH_FAILURE_MINUTES,
    REFUSED_TOKEN_ATTR,
    ApiTokenAuthentication,
    failure_key,
)
from .permissions import HasTokenScope
from .serializers import (
    DutyFilterSerializer,
    DutyPageSerializer,
    EmployeeBatchSerializer,
    EmployeePageSerializer,
    FunctionPageSerializer,
    OrgUnitPageSerializer,
    UpsertErrorSerializer,
    UpsertResultSerializer,
)
from .throttling import TokenRateThrottle

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
#: The HR file's first data row: row numbers in the importer's messages count the header.
FIRST_ROW = 2

# The audit code of a call without a known token (audit/constants.py ACTION_LABELS names
# every code; the operations' codes are spelled out in HrApiView._audit).
AUDIT_UNAUTHENTICATED = "api.hr.unauthenticated"

COMMON_RESPONSES = {
    401: OpenApiResponse(
        DetailSerializer, description=_("Geen, een onbekende of een ingetrokken API-sleutel.")
    ),
    403: OpenApiResponse(DetailSerializer, description=_("De API-sleutel mag dit niet.")),
    429: OpenApiResponse(DetailSerializer, description=_("Te veel aanroepen.")),
}
PAGE_PARAMETERS = [
    OpenApiParameter(
        "after",
        str,
        description=_("De sleutel (code of personeelsnummer) waarna de pagina begint."),
    ),
    OpenApiParameter("limit", int, description=_("Rijen per pagina, 1 tot en met 1000.")),
]


def _result(status_code: int) -> str:
    if status_code < 400:
        return Result.SUCCESS
    if status_code in (401, 403, 429):
        return Result.DENIED
    return Result.FAILURE


class HrApiView(APIView):
    """Token-authenticated, scope-checked, throttled, audited, never cached."""

    authentication_classes: ClassVar[list[Any]] = [ApiTokenAuthentication]
    permission_classes: ClassVar[list[Any]] = [HasTokenScope]
    throttle_classes: ClassVar[list[Any]] = [TokenRateThrottle]
    operation: ClassVar[str] = ""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ParseError):
            exc = ParseError(_("De inhoud is geen geldige JSON."))
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        self._audit(request, response)
        return response

    def operation_of(self, request: Request) -> str:
        """The operation this call is audited as (the HTTP method may decide)."""
        return self.operation

    def _audit(self, request: Request, response: Response) -> None:
        # request.auth is only set when authentication ran and passed.
        token = request.__dict__.get("_auth")
        if not isinstance(token, ApiToken):
            token = getattr(request._request, REFUSED_TOKEN_ATTR, None)
        code = response.status_code
        operation = self.operation_of(request)
        if isinstance(token, ApiToken):
            action = (
                "api.hr.employees_upsert"
                if operation == "employees_upsert"
                else "api.hr.employees_read"
                if operation == "employees_read"
                else "api.hr.functions_read"
                if operation == "functions_read"
                else "api.hr.duties_read"
                if operation == "duties_read"
                else "api.hr.org_units_read"
            )
            audit_record(
                action=action,
                obj=token,
                organisation=token.organisation,
                result=_result(code),
                origin=Origin.API,
            )
            counts = getattr(response, "integritas_counts", {})
            api_call_record(token=token, operation=operation, status_code=code, **counts)
            if code == status.HTTP_401_UNAUTHORIZED:
                throttle.record(failure_key(request))
            return
        if code == status.HTTP_401_UNAUTHORIZED:
            # Bounded: past the limit the authentication answers 429 without an event.
            key = failure_key(request)
            throttle.record(key)
            if throttle.count(key, AUTH_FAILURE_MINUTES) <= AUTH_FAILURE_LIMIT:
                audit_record(action=AUDIT_UNAUTHENTICATED, result=Result.DENIED, origin=Origin.API)


def _limit(request: Request) -> int:
    value = request.query_params.get("limit", "")
    if value.isascii() and value.isdigit() and len(value) <= 6:
        return max(1, min(int(value), MAX_LIMIT))
    return DEFAULT_LIMIT


def _page_response(request: Request, page: selectors.Page) -> Response:
    next_url = None
    if page.last_key is not None:
        query = request.query_params.copy()
        query["after"] = page.last_key
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    response = Response({"results": page.rows, "next": next_url})
    response.integritas_counts = {"rows": len(page.rows)}
    return response


def _after(request: Request) -> str | None:
    value = request.query_params.get("after", "")
    return value[:100] or None


class OrgUnitListView(HrApiView):
    operation = "org_units_read"

    @extend_schema(
        operation_id="hr_afdelingen_list",
        summary=_("Afdelingen lezen"),
        description=_("De afdelingen van de organisatie van de API-sleutel, op code."),
        tags=["hr"],
        parameters=PAGE_PARAMETERS,
        responses={200: OrgUnitPageSerializer, **COMMON_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        page = selectors.org_units_page(
            organisation_id=request.auth.organisation_id,
            after=_after(request),
            limit=_limit(request),
        )
        return _page_response(request, page)


class FunctionListView(HrApiView):
    operation = "functions_read"

    @extend_schema(
        operation_id="hr_functies_list",
        summary=_("Functies lezen"),
        description=_("De functies van de organisatie van de API-sleutel, op code."),
        tags=["hr"],
        parameters=PAGE_PARAMETERS,
        responses={200: FunctionPageSerializer, **COMMON_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        page = selectors.functions_page(
            organisation_id=request.auth.organisation_id,
            after=_after(request),
            limit=_limit(request),
        )
        return _page_response(request, page)


def _csv(organisation_slug: str, rows: list[dict[str, Any]]) -> bytes:
    """The batch as the HR file it stands for: the import reads exactly this."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HR_IMPORT_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                organisation_slug if column == "organisatie" else (row.get(column) or "")
                for column in HR_IMPORT_COLUMNS
            ]
        )
    return out.getvalue().encode()


def _error(error: RowError, rows: list[dict[str, Any]]) -> dict[str, Any]:
    index = error.row - FIRST_ROW
    return {
        "index": index if 0 <= index < len(rows) else -1,
        "row": error.row,
        "field": error.field,
        "message": error.message,
        "text": str(error),
    }


class EmployeeView(HrApiView):
    operation = "employees_read"

    def operation_of(self, request: Request) -> str:
        return "employees_upsert" if request.method == "POST" else self.operation

    @extend_schema(
        operation_id="hr_medewerkers_list",
        summary=_("Medewerkers lezen"),
        description=_(
            "De medewerkers van de organisatie van de API-sleutel, op personeelsnummer, ook "
            "wie uit dienst is."
        ),
        tags=["hr"],
        parameters=PAGE_PARAMETERS,
        responses={200: EmployeePageSerializer, **COMMON_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        page = selectors.employees_page(
            organisation_id=request.auth.organisation_id,
            after=_after(request),
            limit=_limit(request),
        )
        return _page_response(request, page)

    @extend_schema(
        operation_id="hr_medewerkers_upsert",
        summary=_("Medewerkers, afdelingen en functies bijwerken"),
        description=_(
            "Werkt medewerkers bij op personeelsnummer, met hun afdeling en functie, precies "
            "zoals de HR-import van een bestand: elke rij heeft de kolommen van dat bestand "
            "(zonder organisatie: die volgt uit de API-sleutel). Eerst wordt elke rij "
            "gecontroleerd; bevat de lijst een fout, dan wordt er niets opgeslagen en noemt "
            "het antwoord elke foute rij. Dezelfde lijst twee keer sturen verandert de "
            "tweede keer niets. Vereist een API-sleutel die mag schrijven."
        ),
        tags=["hr"],
        request=EmployeeBatchSerializer,
        responses={
            200: OpenApiResponse(UpsertResultSerializer, description=_("Verwerkt.")),
            400: OpenApiResponse(
                UpsertErrorSerializer, description=_("Fouten per rij; er is niets opgeslagen.")
            ),
            **COMMON_RESPONSES,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = EmployeeBatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = serializer.validated_data["employees"]
        token = request.auth
        result = hr_file_import(
            data=_csv(token.organisation.slug, rows),
            filename="api.csv",
            origin=Origin.API,
            allowed_organisation_ids={token.organisation_id},
            dry_run=serializer.validated_data["dry_run"],
        )
        if not result.ok:
            response = Response(
                {
                    "detail": ngettext(
                        "De lijst bevat %(count)s fout; er is niets opgeslagen.",
                        "De lijst bevat %(count)s fouten; er is niets opgeslagen.",
                        len(result.errors),
                    )
                    % {"count": len(result.errors)},
                    "errors": [_error(error, rows) for error in result.errors],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
            response.integritas_counts = {"rows": len(rows)}
            return response
        response = Response(
            {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "units_created": result.units_created,
                "units_updated": result.units_updated,
                "functions_created": result.functions_created,
                "functions_updated": result.functions_updated,
                "unit_managers_changed": result.unit_managers_changed,
                "dry_run": result.dry_run,
            }
        )
        response.integritas_counts = {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
        }
        return response


class DutyListView(HrApiView):
    """The duties of the token's organisation and their status (read scope)."""

    operation = "duties_read"

    @extend_schema(
        operation_id="hr_verplichtingen_list",
        summary=_("Verplichtingen lezen"),
        description=_(
            "De verplichtingen (VOG, eed of belofte, integriteitsverklaring, gedragscode, "
            "handboek, training informatiebeveiliging, integriteit in de HRM-cyclus) van "
            "de medewerkers van de organisatie van de API-sleutel, met hun status, op "
            "uiterste datum. Filters: personeelsnummer, status, te_laat en soort."
        ),
        tags=["hr"],
        parameters=[
            DutyFilterSerializer,
            OpenApiParameter(
                "after",
                str,
                description=_("De sleutel (uiterste datum en id) waarna de pagina begint."),
            ),
            OpenApiParameter("limit", int, description=_("Rijen per pagina, 1 tot en met 1000.")),
        ],
        responses={
            200: DutyPageSerializer,
            400: OpenApiResponse(DetailSerializer, description=_("Een ongeldig filter.")),
            **COMMON_RESPONSES,
        },
    )
    def get(self, request: Request) -> Response:
        filters = DutyFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        page = duties_for_api(
            organisation_id=request.auth.organisation_id,
            personnel_number=wanted.get("personeelsnummer", "").strip(),
            status=wanted.get("status", ""),
            overdue=wanted.get("te_laat"),
            kind=wanted.get("soort", ""),
            after=_after(request),
            limit=_limit(request),
        )
        rows = [
            {
                "id": duty.id,
                "personeelsnummer": page.personnel_numbers[duty.employee_id],
                "soort": duty.kind,
                "soort_naam": duty.kind_label,
                "status": duty.status,
                "status_naam": duty.status_label,
                "jaar": duty.period,
                "uiterlijk": duty.due_date,
                "afgerond_op": duty.completed_on,
                "te_laat": duty.overdue,
            }
            for duty in page.rows
        ]
        return _page_response(request, selectors.Page(rows, page.last_key))
